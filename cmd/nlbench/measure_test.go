package main

import (
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
		r := summarize("x", "x", tc.in)
		if r.median != tc.median || r.min != tc.lo || r.maxRSS != tc.rss || r.runs != len(tc.in) {
			t.Errorf("summarize(%v) = %+v", tc.in, r)
		}
	}
}

func TestCountJSON(t *testing.T) {
	n, err := countJSON(strings.NewReader(`[{"dst":"10.1.0.1","gateway":"10.255.0.2"},{"dst":"10.1.0.2","gateway":"10.255.0.3"},{"dst":"10.0.1.1","gateway":"10.255.0.2"},{"dst":"10.1.9.9","gateway":"10.255.0.2"}]`))
	if err != nil || n != "2" {
		t.Errorf("countJSON = %q, %v; want 2", n, err)
	}
}

func TestDst(t *testing.T) {
	// The workloads' address plan: 10.0.0.0/15, so about a third of
	// 100,000 routes fall in 10.1.0.0/16.
	for i, want := range map[int]string{0: "10.0.0.0", 257: "10.0.1.1", 65536: "10.1.0.0", 99999: "10.1.134.159"} {
		if got := dst(i); got != want {
			t.Errorf("dst(%d) = %s, want %s", i, got, want)
		}
	}
}

func TestReportRatios(t *testing.T) {
	r := &report{}
	r.add("dump", result{name: "nlsh", median: 100 * time.Millisecond, runs: 3, maxRSS: 2048})
	r.add("dump", result{name: "ip -j route show", median: 200 * time.Millisecond, runs: 3, maxRSS: 1024})
	md := r.markdown(&config{}, "go run ./cmd/nlbench")
	for _, want := range []string{"| nlsh | 100.0 ms | 3 | 0.50 | 2.0 MiB |", "| ip -j route show | 200.0 ms | 3 | 1.00 | 1.0 MiB |", "## dump"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

func TestTargets(t *testing.T) {
	r := &report{}
	r.add("dump", result{name: "raw netlink dump (floor)", median: 50 * time.Millisecond})
	r.add("dump", result{name: "nlsh", median: 180 * time.Millisecond, maxRSS: 70 * 1024})
	r.add("dump", result{name: "ip -j route show \\| counter", median: 200 * time.Millisecond})
	r.add("dump", result{name: "pyroute2", median: 6 * time.Second})
	r.add("startup", result{name: "nlsh -e 'return 1'", median: 20 * time.Millisecond})
	md := r.targetsMarkdown()
	for _, want := range []string{
		"| dump | nlsh ≤ 1.0× `ip -j route show` (with its counter) | 0.90× | yes |",
		"| dump | nlsh ≥ 20× faster than pyroute2 | 33.3× | yes |",
		"| dump | nlsh ≤ 4× the raw floor | 3.6× | yes |",
		"| dump | nlsh peak memory ≤ 100 MiB | 70.0 MiB | yes |",
		"| startup | `nlsh -e 'return 1'` ≤ 15 ms | 20.0 ms | no |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("targets lack %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "| add |") {
		t.Errorf("targets judged a workload that did not run:\n%s", md)
	}
}
