package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// The Go benchmarks beside each hot path, run by nlbench so that the
// report quotes them from the same machine and the same hour as the
// processes above.
var goBenches = []struct {
	pkg, pattern, benchtime string
}{
	{"./rtnl", "SplitDump10k|DecodeDump10k|LookupDump10k|GetDump10k|EncodeRoute|DecodeRoute", "1s"},
	{"./engine", "StreamDump", "5x"},
	{"./luabind", "LuaGet|LuaIterate|LuaDecodeDump10k|BenchmarkNew$", "1s"},
	{"./luabind/iproute", "RouteBuild", "1s"},
	{"./luabind", "DumpFilter", "5x"},
	{"./luabind", "IPRouteAdd", "5x"},
}

// goBenchCount runs each benchmark this many times; the median is kept.
const goBenchCount = 3

// benchLine is one benchmark's median figures: value by unit.
type benchLine struct {
	pkg, name string
	units     []string
	values    map[string]float64
}

func benchGo(c *config, rep *report, log io.Writer) error {
	for _, gb := range goBenches {
		fmt.Fprintf(log, "nlbench: go test -bench '%s' %s\n", gb.pattern, gb.pkg)
		cmd := exec.Command("go", "test", "-run", "^$", "-bench", gb.pattern, "-benchtime", gb.benchtime, "-count", strconv.Itoa(goBenchCount), gb.pkg)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("go test -bench %s %s: %v\n%s", gb.pattern, gb.pkg, err, out)
		}
		rep.gobench = append(rep.gobench, parseBench(strings.TrimPrefix(gb.pkg, "./"), out)...)
	}
	return nil
}

// parseBench reads go test -bench output: the median of each benchmark's
// runs, unit by unit.
func parseBench(pkg string, out []byte) []benchLine {
	var order []string
	runs := map[string][]map[string]float64{}
	units := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i] // the GOMAXPROCS suffix
		}
		vals := map[string]float64{}
		var us []string
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			vals[f[i+1]] = v
			us = append(us, f[i+1])
		}
		if _, ok := runs[name]; !ok {
			order = append(order, name)
			units[name] = us
		}
		runs[name] = append(runs[name], vals)
	}
	var lines []benchLine
	for _, name := range order {
		l := benchLine{pkg: pkg, name: name, units: units[name], values: map[string]float64{}}
		for _, u := range l.units {
			var vs []float64
			for _, r := range runs[name] {
				vs = append(vs, r[u])
			}
			sort.Float64s(vs)
			l.values[u] = vs[len(vs)/2]
		}
		lines = append(lines, l)
	}
	return lines
}

// perUnit picks a benchmark's figure per message (or route) when it has
// one, else per operation.
func (l benchLine) perUnit(prefix string) string {
	for _, u := range []string{prefix + "/msg", prefix + "/route", prefix + "/op"} {
		if v, ok := l.values[u]; ok {
			switch {
			case v >= 100:
				return fmt.Sprintf("%.0f %s", v, u)
			case v >= 1:
				return fmt.Sprintf("%.1f %s", v, u)
			}
			return fmt.Sprintf("%.3f %s", v, u)
		}
	}
	return ""
}

func (r *report) gobenchMarkdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Go benchmarks\n\nThe hot paths in-process (`go test -run '^$' -bench … -count %d`, medians), per message where the benchmark handles many: splitting a dump, decoding, `Message.Get`/`Lookup`, encoding, the stream floor, `m:get` and the loop in Lua, and the dump workloads' two forms over a namespace of 100,000 routes (kernel included), and the add workload of 10,000 routes (kernel included) as a plain loop, inside ip.batch, as pre-encoded requests and as the script alone. An Env's start-up is `New`.\n\n| package | benchmark | time | memory | allocations |\n|---|---|---:|---:|---:|\n", goBenchCount)
	for _, l := range r.gobench {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", l.pkg, l.name, l.perUnit("ns"), l.perUnit("B"), l.perUnit("allocs"))
	}
	b.WriteString(r.loopParts())
	return b.String()
}

// loopParts parts the plain ip.route loop's time per route, in-process,
// from the IPRouteAdd benchmarks: what the kernel and engine take
// (request), what gopher-lua takes for the script alone (noop), and the
// rest.
func (r *report) loopParts() string {
	ns := map[string]float64{}
	for _, l := range r.gobench {
		if l.pkg == "luabind" {
			if v, ok := l.values["ns/route"]; ok {
				ns[l.name] = v
			}
		}
	}
	loop, okL := ns["IPRouteAdd/loop"]
	req, okR := ns["IPRouteAdd/request"]
	noop, okN := ns["IPRouteAdd/noop"]
	if !okL || !okR || !okN {
		return ""
	}
	us := func(v float64) string { return fmt.Sprintf("%.1f µs", v/1000) }
	return fmt.Sprintf("\nThe plain loop in-process, parted (IPRouteAdd): %s a route in all. "+
		"Sending the same messages, encoded beforehand, one request at a time (request: the kernel, the system calls and the engine) takes %s; "+
		"the script alone, with a function that does nothing in ip.route's place and no kernel (noop: gopher-lua running the script's own Lua), %s. "+
		"The rest, %s, is ip.route's own work (reading its arguments, building and encoding the message) and what the parts cost each other "+
		"when they take turns on one CPU.\n", us(loop), us(req), us(noop), us(loop-req-noop))
}
