package main

import (
	"fmt"
	"strings"
	"time"
)

// target is one of DESIGN §5's performance targets, judged from a run.
type target struct {
	workload string
	text     string
	check    func(find func(prefix string) (result, bool)) (string, bool, bool) // figure, met, measured
}

func ratio(a, b result) float64 { return float64(a.median) / float64(b.median) }

var targets = []target{
	{"dump", "nlsh ≤ 1.0× `ip -j route show` (with its counter)", func(f func(string) (result, bool)) (string, bool, bool) {
		n, ok1 := f("nlsh")
		ip, ok2 := f("ip -j route show \\| counter")
		if !ok1 || !ok2 {
			return "", false, false
		}
		r := ratio(n, ip)
		return fmt.Sprintf("%.2f×", r), r <= 1.0, true
	}},
	{"dump", "nlsh ≥ 20× faster than pyroute2", func(f func(string) (result, bool)) (string, bool, bool) {
		n, ok1 := f("nlsh")
		py, ok2 := f("pyroute2")
		if !ok1 || !ok2 {
			return "", false, false
		}
		r := ratio(py, n)
		return fmt.Sprintf("%.1f×", r), r >= 20, true
	}},
	{"dump", "nlsh ≤ 4× the raw floor", func(f func(string) (result, bool)) (string, bool, bool) {
		n, ok1 := f("nlsh")
		raw, ok2 := f("raw")
		if !ok1 || !ok2 {
			return "", false, false
		}
		r := ratio(n, raw)
		return fmt.Sprintf("%.1f×", r), r <= 4, true
	}},
	{"dump", "nlsh peak memory ≤ 100 MiB", func(f func(string) (result, bool)) (string, bool, bool) {
		n, ok := f("nlsh")
		if !ok {
			return "", false, false
		}
		mib := float64(n.maxRSS) / 1024
		return fmt.Sprintf("%.1f MiB", mib), mib <= 100, true
	}},
	{"add", "nlsh's ip.route loop ≤ 2× `ip -batch`", func(f func(string) (result, bool)) (string, bool, bool) {
		n, ok1 := f("nlsh ip.route loop")
		ip, ok2 := f("ip -batch")
		if !ok1 || !ok2 {
			return "", false, false
		}
		r := ratio(n, ip)
		return fmt.Sprintf("%.2f×", r), r <= 2, true
	}},
	{"add", "nlsh's ip.batch ≤ 1.0× `ip -batch`", func(f func(string) (result, bool)) (string, bool, bool) {
		n, ok1 := f("nlsh ip.batch")
		ip, ok2 := f("ip -batch")
		if !ok1 || !ok2 {
			return "", false, false
		}
		r := ratio(n, ip)
		return fmt.Sprintf("%.2f×", r), r <= 1, true
	}},
	{"add", "nlsh's loop ≥ 10× faster than pyroute2's", func(f func(string) (result, bool)) (string, bool, bool) {
		n, ok1 := f("nlsh ip.route loop")
		py, ok2 := f("pyroute2")
		if !ok1 || !ok2 {
			return "", false, false
		}
		r := ratio(py, n)
		return fmt.Sprintf("%.1f×", r), r >= 10, true
	}},
	{"startup", "`nlsh -e 'return 1'` ≤ 15 ms", func(f func(string) (result, bool)) (string, bool, bool) {
		n, ok := f("nlsh")
		if !ok {
			return "", false, false
		}
		return fmtDur(n.median), n.median <= 15*time.Millisecond, true
	}},
}

// targetsMarkdown judges every target the run measured.
func (r *report) targetsMarkdown() string {
	var b strings.Builder
	b.WriteString("\n## Targets\n\n| workload | target | this run | met |\n|---|---|---:|:---:|\n")
	n := 0
	for _, t := range targets {
		rs := r.results[t.workload]
		find := func(prefix string) (result, bool) {
			for _, res := range rs {
				if strings.HasPrefix(res.name, prefix) {
					return res, true
				}
			}
			return result{}, false
		}
		fig, met, measured := t.check(find)
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
