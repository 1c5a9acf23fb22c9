// Command nlbench compares nlsh with iproute2 and pyroute2 on the workloads
// of DESIGN §5 and the scale targets: dumping 10,000, 100,000 and 1,000,000
// routes and counting a filtered subset (nlsh's list and streaming forms
// against a raw floor, `ip -j` and pyroute2), adding 10,000 routes,
// start-up, and monitoring a storm of 100,000 route notifications. Every
// measurement is a whole process, run in a network namespace nlbench
// creates and deletes; the runs of the tools compared are interleaved, so
// that a shared machine's noise falls on all of them alike. It prints
// medians, ratios and peak memory, writes them as Markdown
// (docs/performance.md) and draws time and memory against dump size as an
// SVG chart (docs/performance.svg).
//
//	go run ./cmd/nlbench -runs 5 -out docs/performance.md
//
// It needs root. It installs iproute2 and Debian's python3-pyroute2 with
// apt-get when they are missing (-install=false to skip).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], "raw-") {
		// The floors run as processes of their own, like everything else.
		os.Exit(rawMain(os.Args[1:]))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	runs     int
	sizes    []int // dump sizes
	pyMax    int   // the largest dump pyroute2 is asked for
	adds     int
	storm    int
	out      string
	svg      string
	install  bool
	nlsh     string
	only     string
	selfPath string
	builtDir string // where prepare built nlsh, removed at the end
}

// workloads in the order they run.
var workloads = []struct {
	name string
	fn   func(*config, *report, io.Writer) error
}{{"dump", benchDump}, {"add", benchAdd}, {"startup", benchStartup}, {"monitor", benchMonitor}, {"gobench", benchGo}}

func run(args []string, stdout, stderr io.Writer) int {
	c := config{}
	var sizes string
	fs := flag.NewFlagSet("nlbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.runs, "runs", 5, "runs of each measurement (the median is reported)")
	fs.StringVar(&sizes, "sizes", "10000,100000,1000000", "routes in the dump workloads (comma-separated)")
	fs.IntVar(&c.pyMax, "pyroute2-max", 100000, "the largest dump pyroute2 is measured on (it needs seconds per 100,000 routes)")
	fs.IntVar(&c.adds, "adds", 10000, "routes in the add workload")
	fs.IntVar(&c.storm, "storm", 100000, "routes another process adds while the monitors listen")
	fs.StringVar(&c.out, "out", "", "write the Markdown report to this file too")
	fs.StringVar(&c.svg, "svg", "", "write the chart to this file (default: -out with .svg)")
	fs.BoolVar(&c.install, "install", true, "apt-get install iproute2 and python3-pyroute2 when missing")
	fs.StringVar(&c.nlsh, "nlsh", "", "nlsh binary to measure (default: build ./cmd/nlsh)")
	fs.StringVar(&c.only, "only", "", "run only these workloads (comma-separated: dump, add, startup, monitor, gobench)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var err error
	if c.sizes, err = parseSizes(sizes); err != nil {
		fmt.Fprintln(stderr, "nlbench: -sizes:", err)
		return 2
	}
	if c.svg == "" && c.out != "" {
		c.svg = strings.TrimSuffix(c.out, filepath.Ext(c.out)) + ".svg"
	}
	if os.Geteuid() != 0 {
		fmt.Fprintln(stderr, "nlbench: needs root (it creates network namespaces)")
		return 1
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "nlbench:", err)
		return 1
	}
	c.selfPath = self
	if err := prepare(&c, stderr); err != nil {
		fmt.Fprintln(stderr, "nlbench:", err)
		return 1
	}
	if c.builtDir != "" {
		defer os.RemoveAll(c.builtDir)
	}
	rep := &report{}
	for _, w := range workloads {
		if c.only != "" && !strings.Contains(","+c.only+",", ","+w.name+",") {
			continue
		}
		if err := w.fn(&c, rep, stderr); err != nil {
			fmt.Fprintf(stderr, "nlbench: %s: %v\n", w.name, err)
			return 1
		}
	}
	command := strings.Join(append([]string{"go run ./cmd/nlbench"}, args...), " ")
	md := rep.markdown(command, filepath.Base(c.svg))
	fmt.Fprint(stdout, md)
	if c.out != "" {
		if err := os.WriteFile(c.out, []byte(md), 0o644); err != nil {
			fmt.Fprintln(stderr, "nlbench:", err)
			return 1
		}
	}
	if c.svg != "" && len(rep.sizes) > 0 {
		if err := os.WriteFile(c.svg, []byte(rep.chart()), 0o644); err != nil {
			fmt.Fprintln(stderr, "nlbench:", err)
			return 1
		}
	}
	return 0
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 1<<20 {
			return nil, fmt.Errorf("%q is not a dump size (1 to %d routes)", f, 1<<20)
		}
		out = append(out, n)
	}
	return out, nil
}

// prepare finds or builds nlsh and installs what it compares against.
func prepare(c *config, log io.Writer) error {
	if c.install {
		var pkgs []string
		if _, err := exec.LookPath("ip"); err != nil {
			pkgs = append(pkgs, "iproute2")
		}
		if _, err := os.Stat(timeBin); err != nil {
			pkgs = append(pkgs, "time")
		}
		if exec.Command(python, "-c", "import pyroute2").Run() != nil {
			pkgs = append(pkgs, "python3-pyroute2")
		}
		if len(pkgs) > 0 {
			fmt.Fprintf(log, "nlbench: installing %s\n", strings.Join(pkgs, " "))
			for _, argv := range [][]string{{"apt-get", "update", "-qq"}, append([]string{"apt-get", "install", "-y", "-qq"}, pkgs...)} {
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
				if out, err := cmd.CombinedOutput(); err != nil {
					return fmt.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, out)
				}
			}
		}
	}
	if c.nlsh == "" {
		dir, err := os.MkdirTemp("", "nlbench")
		if err != nil {
			return err
		}
		c.builtDir = dir
		c.nlsh = filepath.Join(dir, "nlsh")
		// Built as the README builds it: without cgo (see buildEnv).
		build := exec.Command("go", "build", "-o", c.nlsh, "./cmd/nlsh")
		build.Env = append(os.Environ(), buildEnv)
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("building nlsh (run from the repository root): %v\n%s", err, out)
		}
	}
	return nil
}

// buildEnv is how the README builds nlsh. nlsh calls no C, but the net
// package (which readline and mdlayher/netlink import) links against libc
// when cgo is on: the dynamic loader, libc's start and a thread for cgo
// add about a millisecond to every start.
const buildEnv = "CGO_ENABLED=0"

// python is Debian's interpreter, the one python3-pyroute2 installs for.
const python = "/usr/bin/python3"
