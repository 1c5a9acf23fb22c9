package main

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	ms := func(n int) sample { return sample{wall: time.Duration(n) * time.Millisecond, maxRSS: int64(n)} }
	for _, tc := range []struct {
		in         []sample
		median, lo time.Duration
		rss        int64
	}{
		{[]sample{ms(5), ms(1), ms(3)}, 3 * time.Millisecond, time.Millisecond, 5},
		{[]sample{ms(4), ms(1), ms(3), ms(2)}, 2500 * time.Microsecond, time.Millisecond, 4},
	} {
		r := summarize("x", tc.in)
		if r.median != tc.median || r.min != tc.lo || r.maxRSS != tc.rss || r.runs != len(tc.in) {
			t.Errorf("summarize(%v) = %+v", tc.in, r)
		}
	}
}

// TestInterleave: commands take turns, each as often as it asks.
func TestInterleave(t *testing.T) {
	var order []string
	cmd := func(name string, runs int) command {
		return command{name, runs, func() (sample, error) {
			order = append(order, name)
			return sample{wall: time.Millisecond, out: name}, nil
		}}
	}
	rs, err := interleave("t", []command{cmd("a", 3), cmd("b", 1), cmd("c", 2)}, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, ""); got != "abcaca" {
		t.Errorf("ran in the order %s, want abcaca", got)
	}
	if rs[0].runs != 3 || rs[1].runs != 1 || rs[2].runs != 2 || rs[2].out != "c" {
		t.Errorf("results %+v", rs)
	}
}

func TestCountJSON(t *testing.T) {
	in := `[{"dst":"10.1.0.1","gateway":"10.255.0.2","flags":[]},{"dst":"10.1.0.2","gateway":"10.255.0.3"},` +
		`{"dst":"10.0.1.1","gateway":"10.255.0.2","metrics":[{"mtu":1400}]},{"dst":"10.1.9.9","gateway":"10.255.0.2","x":"a}\"b"},` +
		`{"dst":"10.255.0.0/16","dev":"v0","prefsrc":"10.255.0.1"}]`
	n, err := countJSON(strings.NewReader(in))
	if err != nil || n != "2" {
		t.Errorf("countJSON = %q, %v; want 2", n, err)
	}
}

func TestDst(t *testing.T) {
	// The workloads' address plan: unique /32s, a sixteenth of them in
	// 10.1.0.0/16 at any size, half of those via the gateway.
	for i, want := range map[int]string{0: "10.0.0.0", 1: "10.1.0.0", 17: "10.1.0.1", 4096: "10.0.1.0", 1<<20 - 1: "10.15.255.255"} {
		if got := dst(i); got != want {
			t.Errorf("dst(%d) = %s, want %s", i, got, want)
		}
	}
	seen := map[string]bool{}
	for i := 0; i < 1<<20; i += 7 {
		if seen[dst(i)] {
			t.Fatalf("dst(%d) = %s twice", i, dst(i))
		}
		seen[dst(i)] = true
	}
	if n := wantCount(100000); n != 3125 {
		t.Errorf("wantCount(100000) = %d, want 3125", n)
	}
}

func TestReportRatios(t *testing.T) {
	r := &report{}
	w := dumpWorkload(100000)
	r.addDump(100000, []result{
		{name: rowFloor, median: 50 * time.Millisecond, runs: 3, maxRSS: 1024},
		{name: rowList, median: 100 * time.Millisecond, runs: 3, maxRSS: 2048},
		{name: rowIPJ, median: 200 * time.Millisecond, runs: 3, maxRSS: 1024},
	}, "note")
	md := r.markdown("go run ./cmd/nlbench", "performance.svg")
	for _, want := range []string{
		"## " + w, "| tool | median | runs | × floor | × ip -j | peak RSS |",
		"| nlsh s:request (list) | 100.0 ms | 3 | 2.00 | 0.50 | 2.0 MiB |",
		"![Time and peak memory against dump size, one line per tool](performance.svg)",
		"| dump 100,000 | list (s:request), filter and count ≤ 4× the raw floor | 2.00× (100.0 ms vs 50.0 ms) | yes |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

func TestTargets(t *testing.T) {
	r := &report{}
	r.addDump(1000000, []result{
		{name: rowFloor, median: time.Second, maxRSS: 3 * 1024},
		{name: rowStream, median: 2500 * time.Millisecond, maxRSS: 30 * 1024},
		{name: rowList, median: 3 * time.Second, maxRSS: 300 * 1024},
		{name: rowIPJ, median: 2 * time.Second, maxRSS: 3 * 1024},
	}, "")
	r.add("startup", []result{{name: rowStartNlsh, median: 5 * time.Millisecond}, {name: rowStartIP, median: 2 * time.Millisecond}}, "")
	r.addMonitor([]monResult{
		{name: rowMonIP, storm: 100, runs: 3, received: 90},
		{name: rowMonNlsh, storm: 100, runs: 3, received: 80, lossRuns: 3, silent: 0},
		{name: rowMonEvents, storm: 100, runs: 3, received: 80, lossRuns: 3, silent: 1},
	}, "")
	md := r.targetsMarkdown()
	for _, want := range []string{
		"| dump 1,000,000 | stream (s:each), filter and count ≤ 3× the raw floor | 2.50× (2.50 s vs 1.00 s) | yes |",
		"| dump 1,000,000 | stream (s:each) peak RSS ≤ 64 MiB | 30.0 MiB | yes |",
		"| dump 1,000,000 | list (s:request) peak RSS ≤ 250 MiB | 300.0 MiB | no |",
		"| dump 1,000,000 | list (s:request) ≤ 1.0× `ip -j route show` (with its counter) | 1.50× (3.00 s vs 2.00 s) | no |",
		"| startup | `nlsh -e 'return 1'` ≤ 2× `ip link show lo` | 2.50× (5.0 ms vs 2.0 ms) | no |",
		"| monitor | `nlsh --monitor route` loses nothing `ip monitor` receives, or reports the loss | received 80 (ip: 90) of 100; 3 of 3 runs lost some, 3 said so | yes |",
		"| monitor | an nl.events loop loses nothing `ip monitor` receives, or reports the loss | received 80 (ip: 90) of 100; 3 of 3 runs lost some, 2 said so | no |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("targets lack %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "| add |") {
		t.Errorf("targets judged a workload that did not run:\n%s", md)
	}
}

// TestChart: the chart is well-formed SVG with a line per tool in each
// panel and a legend entry per tool.
func TestChart(t *testing.T) {
	r := &report{}
	for i, size := range []int{10000, 100000, 1000000} {
		r.addDump(size, []result{
			{name: rowFloor, median: time.Duration(i+1) * 10 * time.Millisecond, maxRSS: 2048},
			{name: rowIPJ, median: time.Duration(i+1) * 30 * time.Millisecond, maxRSS: 2500},
		}, "")
	}
	r.addDump(2000000, []result{{name: rowFloor, median: time.Second, maxRSS: 3000}}, "")
	svg := r.chart()
	d := xml.NewDecoder(strings.NewReader(svg))
	counts := map[string]int{}
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("chart is not well-formed XML: %v\n%s", err, svg)
			}
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
		}
	}
	if counts["polyline"] != 4 || counts["circle"] != 2*(4+3) {
		t.Errorf("chart has %d lines and %d points, want 4 and 14:\n%s", counts["polyline"], counts["circle"], svg)
	}
	for _, want := range []string{"ip -j route show | counter", "1M", "10k", "wall time", "peak memory"} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
}

func TestParseBench(t *testing.T) {
	out := []byte(`goos: linux
BenchmarkLuaGet/RTA_DST-2   	 100	 29211590 ns/op	 91.40 B/msg	 6.012 allocs/msg	 2921 ns/msg
BenchmarkLuaGet/RTA_DST-2   	 100	 19211590 ns/op	 81.40 B/msg	 5.012 allocs/msg	 1921 ns/msg
BenchmarkLuaGet/RTA_DST-2   	 100	 39211590 ns/op	 71.40 B/msg	 7.012 allocs/msg	 3921 ns/msg
BenchmarkNew-2   	 256	 6635047 ns/op	  888396 B/op	    6326 allocs/op
PASS
`)
	ls := parseBench("luabind", out)
	if len(ls) != 2 || ls[0].name != "LuaGet/RTA_DST" || ls[1].name != "New" {
		t.Fatalf("parsed %+v", ls)
	}
	if got := ls[0].perUnit("ns") + ", " + ls[0].perUnit("B") + ", " + ls[0].perUnit("allocs"); got != "2921 ns/msg, 81.4 B/msg, 6.0 allocs/msg" {
		t.Errorf("LuaGet: %s", got)
	}
	if got := ls[1].perUnit("ns") + ", " + ls[1].perUnit("allocs"); got != "6635047 ns/op, 6326 allocs/op" {
		t.Errorf("New: %s", got)
	}
}

// TestLoopParts: the report parts the plain loop's time from the
// IPRouteAdd benchmarks, and says nothing when one of them is missing.
func TestLoopParts(t *testing.T) {
	out := []byte(`BenchmarkIPRouteAdd/loop-2   5  151550588 ns/op  1013 B/route  19.84 allocs/route  15155 ns/route
BenchmarkIPRouteAdd/batch-2  5   57282817 ns/op  1099 B/route  18.90 allocs/route   5728 ns/route
BenchmarkIPRouteAdd/request-2 5  84900044 ns/op  51.28 B/route  1.000 allocs/route  8490 ns/route
BenchmarkIPRouteAdd/noop-2   5   17415643 ns/op  911.3 B/route  14.83 allocs/route   1742 ns/route
`)
	r := &report{gobench: parseBench("luabind", out)}
	got := r.loopParts()
	for _, want := range []string{"15.2 µs a route in all", "takes 8.5 µs", "ip.route's place and no kernel (noop: gopher-lua running the script's own Lua), 1.7 µs", "The rest, 4.9 µs"} {
		if !strings.Contains(got, want) {
			t.Errorf("loop parts lack %q:\n%s", want, got)
		}
	}
	r.gobench = r.gobench[:3] // no noop
	if got := r.loopParts(); got != "" {
		t.Errorf("without the noop figure: %q", got)
	}
}

func TestMonitorParsers(t *testing.T) {
	for _, tc := range []struct {
		parse func(string) (string, bool)
		line  string
		dst   string
		over  bool
	}{
		{parseIPMonitor, "10.1.0.3 via 10.255.0.2 dev v0 proto boot", "10.1.0.3", false},
		{parseIPMonitor, "Deleted 10.1.0.3 via 10.255.0.2 dev v0", "", false},
		{parseNlshMonitor, "[22:49:28.691] RTM_NEWROUTE EXCL|CREATE seq=1 pid=2 rtmsg{family=AF_INET} RTA_TABLE=RT_TABLE_MAIN RTA_DST=10.254.0.1 RTA_GATEWAY=10.255.0.2", "10.254.0.1", false},
		{parseNlshMonitor, "[22:49:28.701] RTM_DELROUTE seq=1 RTA_DST=10.254.0.1", "", false},
		{parseNlshMonitor, "[22:49:28.701] OVERRUN: the kernel dropped notifications", "", true},
		{parseEventsLine, "10.0.0.16", "10.0.0.16", false},
		{parseEventsLine, "OVERRUN", "", true},
	} {
		d, over := tc.parse(tc.line)
		if d != tc.dst || over != tc.over {
			t.Errorf("parse(%q) = %q, %v; want %q, %v", tc.line, d, over, tc.dst, tc.over)
		}
	}
	m := summarizeMonitor("x", 10, []monSample{{received: 10, span: time.Second}, {received: 7, overruns: 1, span: time.Second}, {received: 9, span: time.Second}})
	if m.received != 9 || m.minRecv != 7 || m.lossRuns != 2 || m.silent != 1 || m.overruns != 1 || m.rate != 9 {
		t.Errorf("summarizeMonitor = %+v", m)
	}
}
