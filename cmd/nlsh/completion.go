package main

import (
	"fmt"
	"io"
	"strings"

	"nlsh/rtnl"
)

// completion is `nlsh completion bash|zsh`: it prints a script that
// teaches the shell nlsh's options and subcommands. Namespace names are
// read from /run/netns when completing; the --monitor groups are the ones
// this nlsh knows, written into the script.
func completion(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || args[0] != "bash" && args[0] != "zsh" {
		fmt.Fprintln(stderr, "usage: nlsh completion bash|zsh   (then: source <(nlsh completion bash))")
		return exitUsage
	}
	src := bashCompletion
	if args[0] == "zsh" {
		src = zshCompletion
	}
	// One substitution: text/template (and net/url, which it imports)
	// would add their start-up to every run of nlsh for it.
	io.WriteString(stdout, strings.ReplaceAll(src, "{{.Groups}}", strings.Join(monitorGroups(), " ")))
	return exitOK
}

// monitorGroups lists what --monitor takes: the short names ip.monitor
// knows (addr, route, …) and every rtnetlink group, sorted.
func monitorGroups() []string { return rtnl.MonitorNames() }

// The options are parseArgs's; Go's flag package takes -x and --x alike,
// and a value after '=' or as the next word (--trace only after '=').
const bashCompletion = `# bash completion for nlsh, written by 'nlsh completion bash'.
# Load it in the current shell with
#     source <(nlsh completion bash)
# or for every shell, save it as /etc/bash_completion.d/nlsh (or
# ~/.local/share/bash-completion/completions/nlsh).

_nlsh_netns() {
    # Namespaces named under /run/netns, as 'ip netns' makes them.
    local f
    for f in /run/netns/*; do
        [[ -e $f ]] && printf '%s\n' "${f##*/}"
    done
}

_nlsh() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev= cword=$COMP_CWORD
    ((cword > 0)) && prev=${COMP_WORDS[cword-1]}
    local groups="{{.Groups}}"
    local options="--netns --trace --trace=compact --trace=explain --pcap --monitor --rcvbuf --ynl-path --read-only --json -e --version --help -h"
    COMPREPLY=()

    # An option's value: "--opt value", "--opt=value", and the same
    # split in three words by COMP_WORDBREAKS ("--opt" "=" "value").
    local opt= val= pre=
    if [[ $cur == = ]]; then
        opt=$prev
    elif [[ $prev == = ]] && ((cword > 1)); then
        opt=${COMP_WORDS[cword-2]} val=$cur
    elif [[ $cur == -*=* ]]; then
        opt=${cur%%=*} val=${cur#*=} pre=${cur%%=*}=
    else
        case $prev in
        -netns | --netns | -pcap | --pcap | -monitor | --monitor | -e | --e | -ynl-path | --ynl-path | -rcvbuf | --rcvbuf) opt=$prev val=$cur ;;
        esac
    fi
    case $opt in
    -netns | --netns)
        if [[ $val == */* || $val == .* ]]; then
            COMPREPLY=($(compgen -P "$pre" -f -- "$val"))
        else
            COMPREPLY=($(compgen -P "$pre" -W "$(_nlsh_netns)" -- "$val"))
        fi
        return
        ;;
    -pcap | --pcap)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -P "$pre" -f -- "$val"))
        return
        ;;
    -monitor | --monitor)
        # A comma-separated list: complete its last name.
        local done=
        [[ $val == *,* ]] && done=${val%,*},
        compopt -o nospace 2>/dev/null
        COMPREPLY=($(compgen -P "$pre$done" -W "$groups" -- "${val##*,}"))
        return
        ;;
    -trace | --trace)
        COMPREPLY=($(compgen -P "$pre" -W "compact explain" -- "$val"))
        return
        ;;
    -ynl-path | --ynl-path)
        # Directories of YNL specs, colon-separated: complete the last.
        local done=
        [[ $val == *:* ]] && done=${val%:*}:
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -P "$pre$done" -d -- "${val##*:}"))
        return
        ;;
    -rcvbuf | --rcvbuf)
        return # a number of bytes
        ;;
    -e | --e)
        return # a chunk of Lua
        ;;
    esac

    # The first word that is neither an option nor an option's value is
    # a subcommand or a script; Go's flags end there, or after "--".
    local i cmd= at=0 chunk=
    for ((i = 1; i < cword; i++)); do
        case ${COMP_WORDS[i]} in
        -e | --e | -e=* | --e=*)
            chunk=1
            [[ ${COMP_WORDS[i]} == *=* ]] || ((i++))
            ;;
        -netns | --netns | -pcap | --pcap | -monitor | --monitor | -ynl-path | --ynl-path | -rcvbuf | --rcvbuf)
            [[ ${COMP_WORDS[i+1]} == = ]] && ((i++))
            ((i++))
            ;;
        -trace | --trace)
            [[ ${COMP_WORDS[i+1]} == = ]] && ((i += 2))
            ;;
        --)
            ((i + 1 < cword)) && cmd=${COMP_WORDS[i+1]} at=$((i + 1))
            break
            ;;
        -*) ;;
        *)
            cmd=${COMP_WORDS[i]} at=$i
            break
            ;;
        esac
    done

    case $cmd in
    '')
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$options" -- "$cur"))
        elif [[ -z $chunk ]]; then # -e runs its chunk and takes no script
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -W "decode completion" -- "$cur") $(compgen -f -- "$cur"))
        fi
        ;;
    decode)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--explain" -- "$cur"))
        else
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        ;;
    completion)
        ((cword == at + 1)) && COMPREPLY=($(compgen -W "bash zsh" -- "$cur"))
        ;;
    *)
        # A script's own arguments.
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        ;;
    esac
}

complete -F _nlsh nlsh
`

const zshCompletion = `#compdef nlsh
# zsh completion for nlsh, written by 'nlsh completion zsh'.
# Load it in the current shell with
#     source <(nlsh completion zsh)
# or for every shell, save it as _nlsh in a directory of $fpath.

_nlsh_netns() {
    # Namespaces named under /run/netns, as 'ip netns' makes them, or a path.
    if [[ $PREFIX == */* || $PREFIX == .* ]]; then
        _files
    else
        local -a names
        names=(/run/netns/*(N:t))
        _wanted netns expl 'network namespace' compadd -a names
    fi
}

_nlsh_groups() {
    _values -s , 'notification group' {{.Groups}}
}

_nlsh() {
    local curcontext=$curcontext state state_descr line ret=1
    typeset -A opt_args
    _arguments -C -S \
        '(- *)'{-h,--help}'[show the help]' \
        '--netns=[run everything in a network namespace]:namespace:_nlsh_netns' \
        '--trace=-[print every message sent and received]::mode:(compact explain)' \
        '--pcap=[write every message sent and received to a pcap file]:pcap file:_files' \
        '--monitor=[print the notifications of these groups until Ctrl-C]:groups:_nlsh_groups' \
        '--rcvbuf=[with --monitor: the receive buffer in bytes]:bytes: ' \
        '--ynl-path=[look for YNL specs in these directories first]:directories:_dir_list' \
        '--read-only[refuse every request that would change the kernel]' \
        '--json[print what the script returns as JSON]' \
        '(- *)--version[print the version]' \
        '(1 *)-e[run a chunk of Lua and print what it returns]:chunk of Lua: ' \
        '1: :->first' \
        '*:: :->rest' && ret=0
    case $state in
    first)
        _alternative \
            'commands:command:((decode\:"print the messages of a capture" completion\:"print a shell completion script"))' \
            'files:script:_files' && ret=0
        ;;
    rest)
        case $line[1] in
        decode)
            _arguments '--explain[explain every byte]' '1:capture file:_files' && ret=0
            ;;
        completion)
            _arguments '1:shell:(bash zsh)' && ret=0
            ;;
        *)
            _files && ret=0
            ;;
        esac
        ;;
    esac
    return ret
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    _nlsh "$@"
else
    compdef _nlsh nlsh
fi
`
