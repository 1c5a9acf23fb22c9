package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// report collects results by workload, in the order they ran.
type report struct {
	order   []string
	results map[string][]result
	notes   map[string]string
}

func (r *report) add(w string, res result) {
	if r.results == nil {
		r.results, r.notes = map[string][]result{}, map[string]string{}
	}
	if _, ok := r.results[w]; !ok {
		r.order = append(r.order, w)
	}
	r.results[w] = append(r.results[w], res)
}

func (r *report) note(w, text string) {
	if r.notes == nil {
		r.notes = map[string]string{}
	}
	r.notes[w] = text
}

// baseline is the row each workload's ratios are relative to: iproute2.
func baseline(rs []result) result {
	for _, res := range rs {
		if strings.HasPrefix(res.name, "ip ") {
			return res
		}
	}
	return rs[0]
}

func (r *report) markdown(c *config, command string) string {
	var b strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&b, "# Performance\n\nMeasured %s on %s: %s, %d CPUs, %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), host, cpuModel(), runtime.NumCPU(), kernel())
	fmt.Fprintf(&b, "Command: `%s` (as root). Each figure is the median wall time of whole processes over the runs shown, in network namespaces the benchmark creates; peak memory is the measured process's maximum resident set. Ratios are to iproute2 in the same run. The machine is shared, so single figures are noisy: compare ratios within one run.\n", command)
	for _, w := range r.order {
		rs := r.results[w]
		base := baseline(rs)
		fmt.Fprintf(&b, "\n## %s\n\n", w)
		if n := r.notes[w]; n != "" {
			fmt.Fprintf(&b, "%s\n\n", n)
		}
		fmt.Fprintf(&b, "| tool | median | runs | × iproute2 | peak RSS |\n|---|---:|---:|---:|---:|\n")
		for _, res := range rs {
			fmt.Fprintf(&b, "| %s | %s | %d | %.2f | %.1f MiB |\n", res.name, fmtDur(res.median), res.runs,
				float64(res.median)/float64(base.median), float64(res.maxRSS)/1024)
		}
	}
	b.WriteString(r.targetsMarkdown())
	b.WriteString(notesOnMethod)
	return b.String()
}

func fmtDur(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "model name") {
			if i := strings.IndexByte(l, ':'); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
		}
	}
	return "unknown CPU"
}

func kernel() string {
	data, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "unknown kernel"
	}
	return "Linux " + strings.TrimSpace(string(data))
}

// notesOnMethod says what each figure includes, so the numbers are read
// right.
const notesOnMethod = `
## How to read it

- Every figure is a whole process, from exec to exit, started through GNU
  time (which reports the peak memory; it adds about a millisecond to each).
- nlsh runs a Lua script: the dump one walks ip.routes{table=254} and tests
  RTA_DST and RTA_GATEWAY of every route with m:get; the add one calls
  ip.route('add', …) 10,000 times, or inside ip.batch.
- "ip -j route show | counter" is iproute2's JSON read and counted by the
  benchmark as it arrives; the row below it is ip alone, its output thrown
  away, for reference.
- pyroute2 runs under ` + "`ip netns exec`" + ` (IPRoute has no namespace option
  that avoids forking a helper); that costs it a few milliseconds.
- The floors are nlbench itself, in raw mode: the dump decodes nothing, the
  add sends pre-encoded messages in batches.
- ip.batch and the add floor share the engine's Batch: requests leave 128
  to a datagram while the script builds the next ones, and the
  acknowledgements are read many per system call (recvmmsg). ip -batch
  sends each line and waits for its answer in turn.
- Profiles: go test -run '^$' -bench IPRouteAdd -cpuprofile cpu.out
  ./luabind (as root) runs the add workload in-process;
  -bench LuaDecodeDump10k the dump's decoding.
`
