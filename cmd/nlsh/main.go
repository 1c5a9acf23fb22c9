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
	"runtime/debug"
	"strings"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind"
	"nlsh/rtnl"
)

const usage = `nlsh — a scriptable netlink shell

Usage:
  nlsh [options]                 start the interactive shell (a script when stdin is not a terminal)
  nlsh [options] FILE.lua [ARG…] run a Lua script; its arguments are in arg[1]…
  nlsh [options] -e CHUNK [ARG…] run a chunk of Lua and print what it returns; ARGs are in arg
  nlsh [options] - [ARG…]        run the script read from stdin
  nlsh [options] --monitor GROUPS  print notifications (link,addr,route,neigh,rule,…) until Ctrl-C
  nlsh decode [--explain] FILE   print the messages of a capture (pcap or pcapng, hex dump or raw bytes)
  nlsh completion bash|zsh       print a completion script: source <(nlsh completion bash)

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
  --json           print what the script or -e returns as JSON (one document per line per
                   value; with --monitor, each notification), for jq
  --rcvbuf BYTES   with --monitor: the socket's receive buffer (default 4 MiB)
  --version        print nlsh's version
  -h, --help       show this help

Exit status: 0 success, 1 a Lua or netlink error, 2 a usage error.
Inside nlsh: modules nl, rtnl, ip, genl and bit; constants such as
RTM_NEWADDR and NLM_F_REQUEST are globals. In the shell, help() lists
everything, Tab completes, Ctrl-C cancels what runs, history is kept in
~/.nlsh_history (NLSH_HISTORY overrides). See the README and docs/ for a tour.
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
	json    bool
	rcvbuf  int
	rest    []string
	showUse bool
	version bool
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
	newFlags(fs, o)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.rest = fs.Args()
	fs.Visit(func(f *flag.Flag) { o.netnsOn = o.netnsOn || f.Name == "netns" })
	return o, nil
}

// newFlags defines nlsh's flags on fs, filling o; the completion scripts
// are checked against the same set.
func newFlags(fs *flag.FlagSet, o *options) {
	fs.Func("e", "run CHUNK", func(s string) error { o.chunk, o.hasE = s, true; return nil })
	fs.StringVar(&o.netns, "netns", "", "network namespace")
	fs.Var(&o.trace, "trace", "trace mode")
	fs.StringVar(&o.pcap, "pcap", "", "pcap file")
	fs.StringVar(&o.monitor, "monitor", "", "groups to monitor")
	fs.BoolVar(&o.ro, "read-only", false, "refuse every change to the kernel")
	fs.StringVar(&o.ynlPath, "ynl-path", "", "directories of YNL specs")
	fs.BoolVar(&o.json, "json", false, "results as JSON")
	fs.BoolVar(&o.version, "version", false, "version")
	fs.IntVar(&o.rcvbuf, "rcvbuf", 0, "monitor's receive buffer")
	fs.BoolVar(&o.showUse, "h", false, "help")
	fs.BoolVar(&o.showUse, "help", false, "help")
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
	if o.rcvbuf < 0 || o.rcvbuf > 0 && o.monitor == "" {
		fmt.Fprintf(stderr, "nlsh: --rcvbuf takes a positive number of bytes and goes with --monitor\n\n%s", usage)
		return exitUsage
	}
	if o.showUse {
		io.WriteString(stdout, usage)
		return exitOK
	}
	if o.version {
		fmt.Fprintln(stdout, versionLine())
		return exitOK
	}
	if len(o.rest) > 0 && o.rest[0] == "decode" && !o.hasE {
		return decode(o.rest[1:], ynlDirs(o.ynlPath), stdin, stdout, stderr)
	}
	if len(o.rest) > 0 && o.rest[0] == "completion" && !o.hasE {
		return completion(o.rest[1:], stdout, stderr)
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
		if bad := unknownMonitorNames(o.monitor); bad != "" {
			fmt.Fprintf(stderr, "nlsh: --monitor: %s\n\n%s", bad, usage)
			return exitUsage
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		var err error
		if o.json {
			err = monitorJSON(ctx, env, strings.Split(o.monitor, ","))
		} else {
			err = env.Monitor(ctx, strings.Split(o.monitor, ","), o.rcvbuf)
		}
		if err != nil && ctx.Err() == nil {
			fmt.Fprintln(stderr, env.FormatError(err))
			return exitError
		}
		return exitOK
	}

	switch {
	case o.hasE:
		// Words after the chunk are its arguments, as a script's are.
		return runChunk(env, "-e", o.chunk, o.rest, stdout, stderr, printFor(o, true))
	case len(o.rest) > 0 && o.rest[0] == "-":
		src, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: reading stdin: %v\n", err)
			return exitError
		}
		return runChunk(env, "stdin", stripShebang(string(src)), o.rest[1:], stdout, stderr, printFor(o, false))
	case len(o.rest) > 0:
		src, err := os.ReadFile(o.rest[0])
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: %v\n", err)
			return exitError
		}
		return runChunk(env, o.rest[0], stripShebang(string(src)), o.rest[1:], stdout, stderr, printFor(o, false))
	case isTerminal(stdin):
		if o.json {
			fmt.Fprintf(stderr, "nlsh: --json prints what a script or -e returns; in the shell, print(nl.json(value))\n\n%s", usage)
			return exitUsage
		}
		return repl(env, stdout, stderr)
	default:
		src, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: reading stdin: %v\n", err)
			return exitError
		}
		return runChunk(env, "stdin", stripShebang(string(src)), []string{}, stdout, stderr, printFor(o, false))
	}
}

// results says how runChunk prints what a chunk returns.
type results int

const (
	resultsNone results = iota // a script's results are its own business
	resultsShow                // readably, as -e prints them
	resultsJSON                // --json: one JSON document per line per value
)

// printFor is how a chunk's results are printed: -e shows them, --json
// writes them (a script's too).
func printFor(o *options, isE bool) results {
	switch {
	case o.json:
		return resultsJSON
	case isE:
		return resultsShow
	}
	return resultsNone
}

// runChunk runs src with SIGINT cancelling it and prints what it returns
// as results says.
func runChunk(env *luabind.Env, name, src string, args []string, stdout, stderr io.Writer, results results) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	vals, err := env.Run(ctx, name, src, args)
	if err != nil {
		// gopher-lua ends syntax errors with a newline; keep one clear line.
		fmt.Fprintln(stderr, strings.TrimRight(env.FormatError(err), "\n"))
		return exitError
	}
	switch {
	case results == resultsJSON:
		return writeJSON(env, vals, stdout, stderr)
	case results == resultsShow && len(vals) > 0:
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

// unknownMonitorNames says which of --monitor's comma-separated names no
// monitor takes, and lists those it does; "" when all are known.
func unknownMonitorNames(list string) string {
	known := map[string]bool{}
	for _, n := range rtnl.MonitorNames() {
		known[n] = true
	}
	var bad []string
	for _, n := range strings.Split(list, ",") {
		if !known[n] {
			bad = append(bad, fmt.Sprintf("%q", n))
		}
	}
	if len(bad) == 0 {
		return ""
	}
	return fmt.Sprintf("unknown group %s (groups: %s)", strings.Join(bad, ", "), strings.Join(rtnl.MonitorNames(), ", "))
}

// version is nlsh's release; a build from a checkout adds its commit.
const version = "0.4.0"

// versionLine says which nlsh this is: its version, the commit it was
// built from when the build knows it, and the Go that built it.
func versionLine() string {
	line := "nlsh " + version
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			if dirty {
				rev += "+changes"
			}
			line += " (" + rev + ")"
		}
		line += " " + bi.GoVersion
	}
	return line
}
