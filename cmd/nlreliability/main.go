// Command nlreliability runs nlsh's reliability checks and writes what was
// tried and what held as a Markdown report (docs/reliability.md):
//
//	go run ./cmd/nlreliability -out docs/reliability.md
//
// It runs every fuzz target of the repository (found by grepping for
// func Fuzz) for a bounded time each, then the reliability tests in their
// long versions (NLSH_RELIABILITY=full): the malformed-argument sweep over
// every public Lua function, corrupt captures, changes refused without
// privilege, a missing namespace, overruns and interrupted dumps, forgotten
// sockets, and a monitor's memory through 100,000 notifications. Each is a
// Go test that fails when it stops holding; go test ./... runs their quick
// versions. Every test that talks to the kernel makes its own network
// namespace, so it needs root, and the tools the test suite needs (README).
//
// Run it from the repository root. It exits 1 if anything did not hold,
// after writing the report, which says what.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the flags set.
type config struct {
	fuzzTime     time.Duration
	minimizeTime time.Duration
	out          string
	only         string
	quick        bool
}

func run(args []string, stdout, stderr io.Writer) int {
	var c config
	fs := flag.NewFlagSet("nlreliability", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&c.fuzzTime, "fuzztime", 25*time.Second, "how long each fuzz target runs")
	fs.DurationVar(&c.minimizeTime, "fuzzminimizetime", 5*time.Second, "how long a failing input is shrunk, at most")
	fs.StringVar(&c.out, "out", "", "write the Markdown report to this file too")
	fs.StringVar(&c.only, "only", "", "run only these parts (comma-separated: fuzz, tests)")
	fs.BoolVar(&c.quick, "quick", false, "run the tests' quick versions, as go test does (to try the command out)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "nlreliability: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if _, err := os.Stat("go.mod"); err != nil {
		fmt.Fprintln(stderr, "nlreliability: run it from the repository root (no go.mod here)")
		return 1
	}
	if os.Geteuid() != 0 {
		fmt.Fprintln(stderr, "nlreliability: needs root (the tests create network namespaces)")
		return 1
	}
	want := func(part string) bool { return c.only == "" || strings.Contains(","+c.only+",", ","+part+",") }
	rep := &report{started: time.Now(), command: strings.Join(append([]string{"go run ./cmd/nlreliability"}, args...), " "),
		fuzzTime: c.fuzzTime, minimizeTime: c.minimizeTime, quick: c.quick}
	if want("fuzz") {
		targets, err := findFuzzTargets(".")
		if err != nil {
			fmt.Fprintln(stderr, "nlreliability:", err)
			return 1
		}
		for _, ft := range targets {
			fmt.Fprintf(stderr, "nlreliability: fuzzing %s %s for %v\n", ft.pkg, ft.name, c.fuzzTime)
			rep.fuzz = append(rep.fuzz, runFuzz(ft, c.fuzzTime, c.minimizeTime))
		}
	}
	if want("tests") {
		for _, it := range items {
			fmt.Fprintf(stderr, "nlreliability: %s\n", it.title)
			rep.items = append(rep.items, runItem(it, !c.quick, stderr))
		}
	}
	rep.finished = time.Now()
	md := rep.markdown()
	fmt.Fprint(stdout, md)
	if c.out != "" {
		if err := os.WriteFile(c.out, []byte(md), 0o644); err != nil {
			fmt.Fprintln(stderr, "nlreliability:", err)
			return 1
		}
	}
	if !rep.held() {
		fmt.Fprintln(stderr, "nlreliability: not everything held; the report says what")
		return 1
	}
	return 0
}
