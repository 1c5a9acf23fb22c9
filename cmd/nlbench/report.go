package main

import (
	"fmt"
	"strings"
	"time"

	"nlsh/cmd/internal/machine"
)

// report collects results by workload, in the order they ran.
type report struct {
	order   []string
	results map[string][]result
	notes   map[string]string
	sizes   []int // dump sizes measured, in order
	monitor []monResult
	gobench []benchLine
}

// dumpWorkload names the dump workload of one size.
func dumpWorkload(size int) string { return "dump " + thousands(size) }

func (r *report) add(w string, rs []result, note string) {
	if r.results == nil {
		r.results, r.notes = map[string][]result{}, map[string]string{}
	}
	if _, ok := r.results[w]; !ok {
		r.order = append(r.order, w)
	}
	r.results[w] = append(r.results[w], rs...)
	if note != "" {
		r.notes[w] = note
	}
}

func (r *report) addDump(size int, rs []result, note string) {
	r.sizes = append(r.sizes, size)
	r.add(dumpWorkload(size), rs, note)
}

func (r *report) addMonitor(rs []monResult, note string) {
	r.monitor = rs
	r.order = append(r.order, "monitor")
	if r.notes == nil {
		r.notes = map[string]string{}
	}
	r.notes["monitor"] = note
}

// find returns workload w's row named name.
func (r *report) find(w, name string) (result, bool) {
	for _, res := range r.results[w] {
		if res.name == name {
			return res, true
		}
	}
	return result{}, false
}

// baselines are the rows each workload's ratio columns divide by.
func baselines(w string) []string {
	switch {
	case strings.HasPrefix(w, "dump"):
		return []string{rowFloor, rowIPJ}
	case w == "add":
		return []string{rowAddFloor, rowAddIP}
	case w == "startup":
		return []string{rowStartIP}
	}
	return nil
}

// columnName is how a ratio column is headed.
func columnName(row string) string {
	switch row {
	case rowFloor, rowAddFloor:
		return "× floor"
	case rowIPJ:
		return "× ip -j"
	}
	return "× " + strings.SplitN(row, " ", 2)[0]
}

func (r *report) markdown(command, svg string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Performance\n\nMeasured %s on %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), machine.Describe())
	fmt.Fprintf(&b, "Command: `%s` (as root). Each figure is the median wall time of whole processes over the runs shown, in network namespaces the benchmark creates; peak memory is the measured process's maximum resident set. The runs of the tools compared take turns, so the load of a shared machine falls on all alike: compare ratios within one run.\n", command)
	if len(r.sizes) > 0 && svg != "" {
		fmt.Fprintf(&b, "\n![Time and peak memory against dump size, one line per tool](%s)\n", svg)
	}
	b.WriteString(r.targetsMarkdown())
	for _, w := range r.order {
		fmt.Fprintf(&b, "\n## %s\n\n", w)
		if n := r.notes[w]; n != "" {
			fmt.Fprintf(&b, "%s\n\n", n)
		}
		if w == "monitor" {
			b.WriteString(r.monitorMarkdown())
			continue
		}
		var bases []result
		b.WriteString("| tool | median | runs |")
		sep := "|---|---:|---:|"
		for _, name := range baselines(w) {
			if res, ok := r.find(w, name); ok {
				bases = append(bases, res)
				fmt.Fprintf(&b, " %s |", columnName(name))
				sep += "---:|"
			}
		}
		fmt.Fprintf(&b, " peak RSS |\n%s---:|\n", sep)
		for _, res := range r.results[w] {
			fmt.Fprintf(&b, "| %s | %s | %d |", res.name, fmtDur(res.median), res.runs)
			for _, base := range bases {
				fmt.Fprintf(&b, " %.2f |", ratio(res, base))
			}
			fmt.Fprintf(&b, " %.1f MiB |\n", float64(res.maxRSS)/1024)
		}
	}
	if len(r.gobench) > 0 {
		b.WriteString(r.gobenchMarkdown())
	}
	b.WriteString(notesOnMethod)
	return b.String()
}

func (r *report) monitorMarkdown() string {
	var b strings.Builder
	b.WriteString("| tool | runs | received (median) | fewest received | runs that lost some | of those, said so | overruns reported | notifications/s |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range r.monitor {
		fmt.Fprintf(&b, "| %s | %d | %s of %s | %s | %d | %d | %d | %s |\n", m.name, m.runs, thousands(m.received), thousands(m.storm),
			thousands(m.minRecv), m.lossRuns, m.lossRuns-m.silent, m.overruns, thousands(int(m.rate)))
	}
	return b.String()
}

func fmtDur(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// notesOnMethod says what each figure includes, so the numbers are read
// right.
const notesOnMethod = `
## How to read it

- Every figure is a whole process, from exec to exit, started through GNU
  time (which reports the peak memory; it adds about a millisecond to each).
- nlsh is built as the README builds it, without cgo (CGO_ENABLED=0), so
  it is a static binary; with cgo, which go build turns on where a C
  compiler is installed, it starts about a millisecond later.
- The dump workloads run one Lua script in four forms: s:each walks the
  dump as it arrives (the streaming form: each datagram's messages are
  handed out while a goroutine receives the next), s:request returns the
  whole list, ip.routes is the ip module's list and ip.each.routes its
  stream (with the filter table = 254, tested as routes arrive). Each reads RTA_DST
  of every route and RTA_GATEWAY of those in 10.1.0.0/16 with m:get.
- The floors are nlbench itself, in raw mode: the dump streams the routes
  and counts messages without decoding them (in constant memory); the
  add sends pre-encoded messages in batches.
- "ip -j route show | counter" is iproute2's JSON read and counted by the
  benchmark as it arrives (cutting out each route's dst and gateway, not
  decoding the JSON); the row below it is ip alone, its output thrown
  away.
- pyroute2 runs under ` + "`ip netns exec`" + ` (IPRoute has no namespace option
  that avoids forking a helper); that costs it a few milliseconds. It is
  measured up to 100,000 routes: it needs seconds for each 100,000.
- ip.batch and the add floor share the engine's Batch: requests leave 128
  to a datagram while the script builds the next ones, and the
  acknowledgements are read many per system call (recvmmsg). ip -batch
  sends each line and waits for its answer in turn, as a plain loop of
  requests does, in three system calls a route (sendmsg, a peek at the
  answer's size, recvmsg). The floor of such a loop is the raw row sending
  one at a time: a blocking sendto and recvfrom per route on a plain
  socket, nothing else. nlsh's ip.route loop makes the same two system
  calls a route (a change's acknowledgement is read without a peek) and
  adds the script's own Lua (formatting the address, building the
  argument table), ip.route's checking and encoding, and start-up. The
  no-op row runs the same script with a function that does nothing in
  ip.route's place: what the interpreter alone costs. The loop does the
  work of both rows, so it takes at least their sum less a start-up.
- Start-up: a profile of 400 start-ups (perf record -e cpu-clock -g, all
  threads) puts about a third of nlsh's samples in the Go runtime's own
  start (20% CPU feature detection, which traps in a virtual machine; 4%
  reading the cgroup limits behind GOMAXPROCS; the heap), 19% in package
  initialisation (6% rtnl's descriptions, mostly page faults on the static
  data it patches with structs and enums built at start-up; 1% each the
  engine, luabind and runtime/metrics; ynl reads YNL specs with its own
  YAML parser, which builds nothing at start-up), 15% in building the Lua
  state (9% gopher-lua opening its standard libraries), 5% in running the
  chunk, 8% in starting threads and about 4% in os/signal's handling of
  Ctrl-C; page faults on fresh memory run through all of it.
- Profiles: the Go benchmarks below run the same paths in-process, e.g.
  go test -run '^$' -bench DumpFilter -cpuprofile cpu.out ./luabind (as
  root: it makes a namespace of 100,000 routes).
`
