// Command nlbench compares nlsh with iproute2 and pyroute2 on the workloads
// of DESIGN §5: dumping 100,000 routes and counting a filtered subset, adding
// 10,000 routes, and start-up. Every measurement is a whole process, run in a
// network namespace nlbench creates and deletes; it prints medians, ratios
// and peak memory, and writes them as a Markdown table (docs/performance.md).
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
	routes   int
	adds     int
	out      string
	install  bool
	nlsh     string
	only     string
	selfPath string
	builtDir string // where prepare built nlsh, removed at the end
}

func run(args []string, stdout, stderr io.Writer) int {
	c := config{}
	fs := flag.NewFlagSet("nlbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.runs, "runs", 5, "runs of each measurement (the median is reported)")
	fs.IntVar(&c.routes, "routes", 100000, "routes in the dump workload")
	fs.IntVar(&c.adds, "adds", 10000, "routes in the add workload")
	fs.StringVar(&c.out, "out", "", "write the Markdown report to this file too")
	fs.BoolVar(&c.install, "install", true, "apt-get install iproute2 and python3-pyroute2 when missing")
	fs.StringVar(&c.nlsh, "nlsh", "", "nlsh binary to measure (default: build ./cmd/nlsh)")
	fs.StringVar(&c.only, "only", "", "run only these workloads (comma-separated: dump, add, startup)")
	if err := fs.Parse(args); err != nil {
		return 2
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
	for _, w := range []struct {
		name string
		fn   func(*config, *report, io.Writer) error
	}{{"dump", benchDump}, {"add", benchAdd}, {"startup", benchStartup}} {
		if c.only != "" && !strings.Contains(","+c.only+",", ","+w.name+",") {
			continue
		}
		if err := w.fn(&c, rep, stderr); err != nil {
			fmt.Fprintf(stderr, "nlbench: %s: %v\n", w.name, err)
			return 1
		}
	}
	md := rep.markdown(&c, strings.Join(append([]string{"go run ./cmd/nlbench"}, args...), " "))
	fmt.Fprint(stdout, md)
	if c.out != "" {
		if err := os.WriteFile(c.out, []byte(md), 0o644); err != nil {
			fmt.Fprintln(stderr, "nlbench:", err)
			return 1
		}
	}
	return 0
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
		if exec.Command("/usr/bin/python3", "-c", "import pyroute2").Run() != nil {
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
		if out, err := exec.Command("go", "build", "-o", c.nlsh, "./cmd/nlsh").CombinedOutput(); err != nil {
			return fmt.Errorf("building nlsh (run from the repository root): %v\n%s", err, out)
		}
	}
	return nil
}
