package main

import (
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
	"nlsh/rtnl"
)

// TestCompletionKnowsEveryFlag: both scripts offer every flag parseArgs
// defines, and --monitor every group and short name.
func TestCompletionKnowsEveryFlag(t *testing.T) {
	var names []string
	fs := flag.NewFlagSet("nlsh", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	newFlags(fs, &options{})
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	for _, shell := range []string{"bash", "zsh"} {
		r := nlsh(t, "", "completion", shell)
		for _, n := range names {
			if len(n) > 1 && !strings.Contains(r.stdout, "--"+n) || len(n) == 1 && !strings.Contains(r.stdout, "-"+n) {
				t.Errorf("the %s script lacks -%s", shell, n)
			}
		}
		for a := range rtnl.MonitorAliases {
			if !regexp.MustCompile(`[\s"]` + a + `[\s"]`).MatchString(r.stdout) {
				t.Errorf("the %s script lacks the group %s", shell, a)
			}
		}
	}
}

func TestCompletionUsage(t *testing.T) {
	for _, args := range [][]string{{"completion"}, {"completion", "fish"}, {"completion", "bash", "zsh"}} {
		r := nlsh(t, "", args...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "usage: nlsh completion bash|zsh") {
			t.Errorf("nlsh %q: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := nlsh(t, "", "--help"); !strings.Contains(r.stdout, "nlsh completion bash|zsh") {
		t.Errorf("--help does not mention completion:\n%s", r.stdout)
	}
}

// TestBashCompletion: the script is valid bash, and driven as bash drives
// it (COMP_WORDS, COMP_CWORD, the function it registers) it proposes the
// options, the subcommands, the namespaces under /run/netns as they are
// when completing, the --monitor groups and files.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not installed")
	}
	r := nlsh(t, "", "completion", "bash")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "nlsh.bash")
	for name, text := range map[string]string{script: r.stdout, "capture.pcap": "", "script.lua": "", "setup.lua": ""} {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(name)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	ns := nstest.New(t) // created after the script was written: read when completing
	for _, tc := range []struct {
		words []string // the command line, the word being completed last
		want  []string
	}{
		{[]string{"--"}, []string{"--help", "--json", "--monitor", "--netns", "--pcap", "--rcvbuf", "--read-only", "--trace", "--trace=compact", "--trace=explain", "--version", "--ynl-path"}},
		{[]string{"-"}, []string{"--help", "--json", "--monitor", "--netns", "--pcap", "--rcvbuf", "--read-only", "--trace", "--trace=compact", "--trace=explain", "--version", "--ynl-path", "-e", "-h"}},
		{[]string{"--mon"}, []string{"--monitor"}},
		{[]string{"--monitor", "li"}, []string{"link"}},
		{[]string{"--monitor", "link,ad"}, []string{"link,addr", "link,address"}},
		{[]string{"--monitor", "=", "ipv6-ro"}, []string{"ipv6-route"}}, // "--monitor=ipv6-ro", split at '=' as bash does
		{[]string{"--monitor=ne"}, []string{"--monitor=neigh", "--monitor=netconf", "--monitor=nexthop"}},
		{[]string{"--trace", "="}, []string{"compact", "explain"}},
		{[]string{"--trace", "=", "ex"}, []string{"explain"}},
		{[]string{"--netns", ns[:len(ns)-2]}, []string{ns}},
		{[]string{"-netns", "=", ns[:len(ns)-2]}, []string{ns}},
		{[]string{"--netns", "/proc/self/ns/ne"}, []string{"/proc/self/ns/net"}},
		{[]string{"--pcap", "cap"}, []string{"capture.pcap"}},
		{[]string{"-e", ""}, nil},
		{[]string{"-e", "return 1", ""}, nil}, // -e takes no script
		{[]string{"-e", "return 1", "--p"}, []string{"--pcap"}},
		{[]string{""}, []string{"capture.pcap", "completion", "decode", "nlsh.bash", "script.lua", "setup.lua"}},
		{[]string{"s"}, []string{"script.lua", "setup.lua"}},
		{[]string{"--netns", ns, "--trace", "de"}, []string{"decode"}},
		{[]string{"--netns", "=", ns, "--pcap", "x.pcap", "co"}, []string{"completion"}},
		{[]string{"decode", "--"}, []string{"--explain"}},
		{[]string{"decode", "--explain", "ca"}, []string{"capture.pcap"}},
		{[]string{"completion", ""}, []string{"bash", "zsh"}},
		{[]string{"completion", "bash", ""}, nil},
		{[]string{"script.lua", "se"}, []string{"setup.lua"}},
		{[]string{"script.lua", "--"}, nil},
	} {
		t.Run(strings.Join(tc.words, " "), func(t *testing.T) {
			// What bash does on Tab: COMP_WORDS and COMP_CWORD set, then
			// the function 'complete -p nlsh' names called.
			words := append([]string{"nlsh"}, tc.words...)
			var quoted []string
			for _, w := range words {
				quoted = append(quoted, "'"+w+"'")
			}
			prog := `source "$1"
f=$(complete -p nlsh | sed -n 's/.*-F \([^ ]*\) nlsh$/\1/p')
[[ -n $f ]] || { echo "no completion registered for nlsh" >&2; exit 1; }
COMP_WORDS=(` + strings.Join(quoted, " ") + `)
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$f" nlsh "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
`
			cmd := exec.Command(bash, "-c", prog, "bash", script)
			cmd.Dir = dir
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("bash: %v\n%s", err, out)
			}
			got := strings.Fields(string(out))
			sort.Strings(got)
			if diff := cmp.Diff(tc.want, got, cmpEmpty); diff != "" {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
		})
	}
}

// cmpEmpty makes nil and empty lists equal.
var cmpEmpty = cmp.Transformer("empty", func(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
})

// TestZshCompletion: the zsh script is valid zsh (when zsh is installed;
// CI does not install it).
func TestZshCompletion(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("zsh not installed")
	}
	r := nlsh(t, "", "completion", "zsh")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "#compdef nlsh\n") || !strings.Contains(r.stdout, " link ") {
		t.Fatalf("exit %d: %s\n%s", r.code, r.stderr, r.stdout)
	}
	p := filepath.Join(t.TempDir(), "_nlsh")
	if err := os.WriteFile(p, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(zsh, "-n", p).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
}
