package main

import (
	"fmt"
	"strings"
)

// target is one of the performance targets (DESIGN §5 and the scale
// issue), judged from a run. check reports the figure, whether it is met,
// and whether the run measured it at all.
type target struct {
	workload string
	text     string
	check    func(r *report) (fig string, met, measured bool)
}

func ratio(a, b result) float64 { return float64(a.median) / float64(b.median) }

// atMost is a target on the ratio of row a to row b in workload w.
func atMost(w, a, b string, limit float64) func(*report) (string, bool, bool) {
	return func(r *report) (string, bool, bool) {
		x, ok1 := r.find(w, a)
		y, ok2 := r.find(w, b)
		if !ok1 || !ok2 {
			return "", false, false
		}
		q := ratio(x, y)
		return fmt.Sprintf("%.2f× (%s vs %s)", q, fmtDur(x.median), fmtDur(y.median)), q <= limit, true
	}
}

// fasterBy is a target on how many times row a is faster than row b.
func fasterBy(w, a, b string, limit float64) func(*report) (string, bool, bool) {
	return func(r *report) (string, bool, bool) {
		x, ok1 := r.find(w, a)
		y, ok2 := r.find(w, b)
		if !ok1 || !ok2 {
			return "", false, false
		}
		q := ratio(y, x)
		return fmt.Sprintf("%.1f×", q), q >= limit, true
	}
}

// rssAtMost is a target on row a's peak memory.
func rssAtMost(w, a string, mib float64) func(*report) (string, bool, bool) {
	return func(r *report) (string, bool, bool) {
		x, ok := r.find(w, a)
		if !ok {
			return "", false, false
		}
		got := float64(x.maxRSS) / 1024
		return fmt.Sprintf("%.1f MiB", got), got <= mib, true
	}
}

// noSilentLoss is the monitor target for an nlsh row: it receives every
// notification ip monitor receives, or says when it lost some.
func noSilentLoss(row string) func(*report) (string, bool, bool) {
	return func(r *report) (string, bool, bool) {
		var n, ip *monResult
		for i := range r.monitor {
			switch r.monitor[i].name {
			case row:
				n = &r.monitor[i]
			case rowMonIP:
				ip = &r.monitor[i]
			}
		}
		if n == nil || ip == nil {
			return "", false, false
		}
		fig := fmt.Sprintf("received %s (ip: %s) of %s; %d of %d runs lost some, %d said so", thousands(n.received), thousands(ip.received), thousands(n.storm), n.lossRuns, n.runs, n.lossRuns-n.silent)
		return fig, n.received >= ip.received || n.silent == 0, true
	}
}

var (
	d1m  = dumpWorkload(1000000)
	d100 = dumpWorkload(100000)
)

var targets = []target{
	{d1m, "stream (s:each), filter and count ≤ 3× the raw floor", atMost(d1m, rowStream, rowFloor, 3)},
	{d1m, "stream (s:each) peak RSS ≤ 64 MiB", rssAtMost(d1m, rowStream, 64)},
	{d1m, "list (s:request) peak RSS ≤ 250 MiB", rssAtMost(d1m, rowList, 250)},
	{d1m, "list (s:request) ≤ 1.0× `ip -j route show` (with its counter)", atMost(d1m, rowList, rowIPJ, 1.0)},
	{d100, "list (s:request), filter and count ≤ 4× the raw floor", atMost(d100, rowList, rowFloor, 4)},
	{d100, "list (s:request) ≥ 20× faster than pyroute2", fasterBy(d100, rowList, rowPy, 20)},
	{"startup", "`nlsh -e 'return 1'` ≤ 2× `ip link show lo`", atMost("startup", rowStartNlsh, rowStartIP, 2)},
	{"add", "ip.batch ≤ 1.5× the raw batched floor", atMost("add", rowAddBatch, rowAddFloor, 1.5)},
	{"add", "plain ip.route loop ≤ 0.8× `ip -batch`", atMost("add", rowAddLoop, rowAddIP, 0.8)},
	{"add", "plain ip.route loop ≥ 10× faster than pyroute2's", fasterBy("add", rowAddLoop, rowAddPy, 10)},
	{"monitor", "`nlsh --monitor route` loses nothing `ip monitor` receives, or reports the loss", noSilentLoss(rowMonNlsh)},
	{"monitor", "an nl.events loop loses nothing `ip monitor` receives, or reports the loss", noSilentLoss(rowMonEvents)},
}

// targetsMarkdown judges every target the run measured.
func (r *report) targetsMarkdown() string {
	var b strings.Builder
	b.WriteString("\n## Targets\n\n| workload | target | this run | met |\n|---|---|---|:---:|\n")
	n := 0
	for _, t := range targets {
		fig, met, measured := t.check(r)
		if !measured {
			continue
		}
		mark := "no"
		if met {
			mark = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.workload, t.text, fig, mark)
		n++
	}
	if n == 0 {
		return ""
	}
	return b.String()
}
