// Command nlsh is a scriptable netlink shell: a Lua REPL and script runner
// that builds, sends, receives and explains netlink messages.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind"
)

const usage = `nlsh — a scriptable netlink shell

Usage:
  nlsh [options]                 start the interactive shell (a script when stdin is not a terminal)
  nlsh [options] FILE.lua [ARG…] run a Lua script; its arguments are in arg[1]…
  nlsh [options] -e CHUNK        run a chunk of Lua and print what it returns
  nlsh [options] --monitor GROUPS  print notifications (link,addr,route,neigh,rule,…) until Ctrl-C
  nlsh decode [--explain] FILE   print the messages of a capture (pcap from --pcap, hex dump or raw bytes)

Options:
  -e CHUNK         run CHUNK
  --netns NAME     run everything in network namespace NAME (under /run/netns) or at a path (not empty)
  --trace[=MODE]   print every message sent and received: compact (the default) or explain
  --pcap FILE      write every message sent and received to FILE (pcap; Wireshark and tshark read it)
  --monitor GROUPS comma-separated groups to watch, as ip monitor names them
  --ynl-path DIRS  look for YNL specs (generic netlink descriptions) in DIRS (colon-separated)
                   first, then in NLSH_YNL_PATH, /usr/share/ynl/specs and linux-doc-*
  --read-only      refuse, before sending, every request that would change the kernel,
                   and the Lua functions that run commands or write files
  -h, --help       show this help

Exit status: 0 success, 1 a Lua or netlink error, 2 a usage error.
Inside nlsh: modules nl, rtnl, ip and bit; constants such as RTM_NEWADDR and
NLM_F_REQUEST are globals. In the shell, help() lists everything, Tab
completes, Ctrl-C cancels what runs, history is kept in ~/.nlsh_history
(NLSH_HISTORY overrides). See the README and docs/ for a tour.
`

func main() {
	tuneGC()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// exit codes
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

type options struct {
	chunk   string
	hasE    bool
	netns   string
	netnsOn bool // --netns was given, perhaps empty
	trace   traceFlag
	pcap    string
	monitor string
	ro      bool
	ynlPath string
	rest    []string
	showUse bool
}

// traceFlag is --trace (compact) or --trace=MODE.
type traceFlag string

func (t *traceFlag) String() string   { return string(*t) }
func (t *traceFlag) IsBoolFlag() bool { return true }
func (t *traceFlag) Set(s string) error {
	switch s {
	case "true", luabind.TraceCompact:
		*t = luabind.TraceCompact
	case luabind.TraceExplain:
		*t = luabind.TraceExplain
	case "false", luabind.TraceOff:
		*t = ""
	default:
		return fmt.Errorf("--trace takes compact or explain, not %q", s)
	}
	return nil
}

func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("nlsh", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Func("e", "run CHUNK", func(s string) error { o.chunk, o.hasE = s, true; return nil })
	fs.StringVar(&o.netns, "netns", "", "network namespace")
	fs.Var(&o.trace, "trace", "trace mode")
	fs.StringVar(&o.pcap, "pcap", "", "pcap file")
	fs.StringVar(&o.monitor, "monitor", "", "groups to monitor")
	fs.BoolVar(&o.ro, "read-only", false, "refuse every change to the kernel")
	fs.StringVar(&o.ynlPath, "ynl-path", "", "directories of YNL specs")
	fs.BoolVar(&o.showUse, "h", false, "help")
	fs.BoolVar(&o.showUse, "help", false, "help")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.rest = fs.Args()
	fs.Visit(func(f *flag.Flag) { o.netnsOn = o.netnsOn || f.Name == "netns" })
	return o, nil
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseArgs(args, stderr)
	if err != nil {
		msg := err.Error()
		// The flag package calls --trace a boolean; say what it takes.
		if i := strings.Index(msg, "for -trace: "); i >= 0 {
			msg = msg[i+len("for -trace: "):]
		}
		fmt.Fprintf(stderr, "nlsh: %s\n\n%s", msg, usage)
		return exitUsage
	}
	if o.netnsOn && o.netns == "" {
		// iproute2's `ip -n ''` refuses too: an empty name must not mean
		// the current namespace, the one --netns was meant to keep out of.
		fmt.Fprintln(stderr, "nlsh: --netns takes a network namespace (a name under /run/netns or a path such as /proc/PID/ns/net), not an empty string")
		return exitUsage
	}
	if o.showUse {
		io.WriteString(stdout, usage)
		return exitOK
	}
	if len(o.rest) > 0 && o.rest[0] == "decode" && !o.hasE {
		return decode(o.rest[1:], ynlDirs(o.ynlPath), stdout, stderr)
	}
	if o.netns != "" {
		// Check it now, so a wrong name fails before anything runs.
		fd, err := engine.OpenNetNS(o.netns)
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: %v\n", err)
			return exitError
		}
		unix.Close(fd)
	}
	env := luabind.New(luabind.Options{NetNS: o.netns, Stdout: stdout, TraceOut: stderr, YNLPath: ynlDirs(o.ynlPath)})
	defer env.Close()
	if o.ro {
		env.SetReadOnly()
	}
	if o.trace != "" {
		env.SetTrace(string(o.trace))
	}
	if o.pcap != "" {
		if err := env.OpenPcap(o.pcap); err != nil {
			fmt.Fprintf(stderr, "nlsh: --pcap: %v\n", err)
			return exitError
		}
	}
	if o.monitor != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		if err := env.Monitor(ctx, strings.Split(o.monitor, ",")); err != nil && ctx.Err() == nil {
			fmt.Fprintln(stderr, env.FormatError(err))
			return exitError
		}
		return exitOK
	}

	switch {
	case o.hasE:
		if len(o.rest) > 0 {
			fmt.Fprintf(stderr, "nlsh: -e takes no script file (got %q)\n", o.rest[0])
			return exitUsage
		}
		return runChunk(env, "-e", o.chunk, nil, stdout, stderr, true)
	case len(o.rest) > 0:
		src, err := os.ReadFile(o.rest[0])
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: %v\n", err)
			return exitError
		}
		return runChunk(env, o.rest[0], stripShebang(string(src)), o.rest[1:], stdout, stderr, false)
	case isTerminal(stdin):
		return repl(env, stdout, stderr)
	default:
		src, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: reading stdin: %v\n", err)
			return exitError
		}
		return runChunk(env, "stdin", stripShebang(string(src)), []string{}, stdout, stderr, false)
	}
}

// runChunk runs src with SIGINT cancelling it; printResults prints what the
// chunk returns (as -e does).
func runChunk(env *luabind.Env, name, src string, args []string, stdout, stderr io.Writer, printResults bool) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	vals, err := env.Run(ctx, name, src, args)
	if err != nil {
		// gopher-lua ends syntax errors with a newline; keep one clear line.
		fmt.Fprintln(stderr, strings.TrimRight(env.FormatError(err), "\n"))
		return exitError
	}
	if printResults && len(vals) > 0 {
		fmt.Fprintln(stdout, env.Show(vals))
	}
	return exitOK
}

// ynlDirs is where YNL specs are looked for before the system's:
// --ynl-path, then NLSH_YNL_PATH (each a colon-separated list).
func ynlDirs(flagPath string) []string {
	var dirs []string
	for _, p := range []string{flagPath, os.Getenv("NLSH_YNL_PATH")} {
		for _, d := range strings.Split(p, ":") {
			if d != "" {
				dirs = append(dirs, d)
			}
		}
	}
	return dirs
}

func stripShebang(s string) string {
	if strings.HasPrefix(s, "#!") {
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			return "--" + s[i:]
		}
		return ""
	}
	return s
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
