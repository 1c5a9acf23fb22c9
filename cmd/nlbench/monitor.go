package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"
)

// The monitor workload: a monitor listens to a namespace's IPv4 route
// notifications while another process (ip -batch) adds routes as fast as
// it can. Each monitor prints a line per notification, which nlbench reads
// as it comes: how many of the storm's notifications arrived, how fast,
// and whether a monitor that missed some said so (ip prints the kernel's
// ENOBUFS on stderr; nlsh an OVERRUN event).

// Marker routes: the first tells nlbench a monitor is listening, the last
// that the storm is over.
const (
	markStart = "10.254.0.1"
	markEnd   = "10.254.0.2"
)

// Rows of the monitor workload.
const (
	rowMonIP     = "ip monitor route"
	rowMonNlsh   = "nlsh --monitor route"
	rowMonEvents = "nlsh nl.events loop"
)

// nlshEvents is the script of the nl.events row: a line per notification,
// as ip monitor prints.
const nlshEvents = `for ev in nl.events({'ipv4-route'}) do
  if ev.overrun then print('OVERRUN') else print(ev:get('RTA_DST') or '?') end
end
`

// monTool is one monitor: its command, and how to read a line of its
// output (the route it is about; overrun when it reports lost
// notifications).
type monTool struct {
	name  string
	argv  func(ns string) []string
	parse func(line string) (dst string, overrun bool)
}

// monSample is one monitor's view of one storm.
type monSample struct {
	received int           // notifications of the storm's routes
	overruns int           // times it said notifications were lost
	span     time.Duration // from the storm's start to its last notification
}

// monResult sums up a monitor's runs.
type monResult struct {
	name     string
	storm    int
	runs     int
	received int // median
	minRecv  int
	overruns int // in all runs
	lossRuns int // runs that lost notifications
	silent   int // runs that lost some and said nothing
	rate     float64
}

func parseIPMonitor(line string) (string, bool) {
	f := strings.Fields(line)
	if len(f) == 0 || f[0] == "Deleted" {
		return "", false
	}
	return f[0], false
}

func parseNlshMonitor(line string) (string, bool) {
	if strings.Contains(line, "OVERRUN") {
		return "", true
	}
	if !strings.Contains(line, "RTM_NEWROUTE") {
		return "", false
	}
	i := strings.Index(line, "RTA_DST=")
	if i < 0 {
		return "", false
	}
	f := strings.Fields(line[i+len("RTA_DST="):])
	if len(f) == 0 {
		return "", false
	}
	return f[0], false
}

func parseEventsLine(line string) (string, bool) {
	if line == "OVERRUN" {
		return "", true
	}
	return strings.TrimSpace(line), false
}

func benchMonitor(c *config, rep *report, log io.Writer) error {
	dir, err := os.MkdirTemp("", "nlbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var b strings.Builder
	for i := 0; i < c.storm; i++ {
		fmt.Fprintf(&b, "route add %s/32 via %s\n", dst(i), gatewayOf(i))
	}
	storm, err := writeFile(dir, "storm.batch", b.String())
	if err != nil {
		return err
	}
	script, err := writeFile(dir, "events.lua", nlshEvents)
	if err != nil {
		return err
	}
	tools := []monTool{
		{rowMonIP, func(ns string) []string { return []string{"ip", "-n", ns, "monitor", "route"} }, parseIPMonitor},
		{rowMonNlsh, func(ns string) []string { return []string{c.nlsh, "--netns", ns, "--monitor", "route"} }, parseNlshMonitor},
		{rowMonEvents, func(ns string) []string { return []string{c.nlsh, "--netns", ns, script} }, parseEventsLine},
	}
	runs := min(c.runs, 3) // a storm takes seconds
	samples := make([][]monSample, len(tools))
	for r := 0; r < runs; r++ {
		for i, t := range tools {
			s, err := monitorOnce(c, t, storm, fmt.Sprintf("nlbench-mon-%d-%d-%d", os.Getpid(), r, i))
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			fmt.Fprintf(log, "nlbench: monitor: %-24s received %d of %d, %d overruns reported, %.0f/s\n", t.name, s.received, c.storm, s.overruns, float64(s.received)/s.span.Seconds())
			samples[i] = append(samples[i], s)
		}
	}
	var rs []monResult
	for i, t := range tools {
		rs = append(rs, summarizeMonitor(t.name, c.storm, samples[i]))
	}
	rep.addMonitor(rs, fmt.Sprintf("Another process (`ip -batch`) adds %s routes while each monitor listens to the namespace's IPv4 route notifications and prints a line per notification, which nlbench reads and counts as it comes. Each run is a fresh namespace and one storm, the monitors taking turns.", thousands(c.storm)))
	return nil
}

func summarizeMonitor(name string, storm int, ss []monSample) monResult {
	r := monResult{name: name, storm: storm, runs: len(ss), minRecv: storm}
	recv := make([]int, len(ss))
	var rates []float64
	for i, s := range ss {
		recv[i] = s.received
		r.minRecv = min(r.minRecv, s.received)
		r.overruns += s.overruns
		if s.received < storm {
			r.lossRuns++
			if s.overruns == 0 {
				r.silent++
			}
		}
		if s.span > 0 {
			rates = append(rates, float64(s.received)/s.span.Seconds())
		}
	}
	sort.Ints(recv)
	sort.Float64s(rates)
	if len(recv) > 0 {
		r.received = recv[len(recv)/2]
	}
	if len(rates) > 0 {
		r.rate = rates[len(rates)/2]
	}
	return r
}

// monitorOnce runs one storm under one monitor, in a fresh namespace.
func monitorOnce(c *config, t monTool, storm, ns string) (monSample, error) {
	if err := newNS(ns); err != nil {
		return monSample{}, err
	}
	defer delNS(ns)
	argv := t.argv(ns)
	cmd := exec.Command(argv[0], argv[1:]...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return monSample{}, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return monSample{}, err
	}
	if err := cmd.Start(); err != nil {
		return monSample{}, err
	}
	var (
		mu       sync.Mutex
		s        monSample
		last     time.Time // the last line of any kind
		lastSeen time.Time // the last storm notification
		started  = make(chan struct{})
		ended    = make(chan struct{})
		errText  strings.Builder
		readers  sync.WaitGroup
	)
	var startOnce, endOnce sync.Once
	readers.Add(2)
	go func() {
		defer readers.Done()
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			d, over := t.parse(sc.Text())
			now := time.Now()
			mu.Lock()
			last = now
			switch {
			case over:
				s.overruns++
			case d == markStart:
				startOnce.Do(func() { close(started) })
			case d == markEnd:
				endOnce.Do(func() { close(ended) })
			case strings.HasPrefix(d, "10.") && !strings.HasPrefix(d, "10.254.") && !strings.HasPrefix(d, "10.255."):
				s.received++
				lastSeen = now
			}
			mu.Unlock()
		}
	}()
	go func() {
		defer readers.Done()
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			if strings.Contains(line, "No buffer space") || strings.Contains(line, "ENOBUFS") || strings.Contains(line, "OVERRUN") {
				s.overruns++
			} else if errText.Len() < 4096 {
				errText.WriteString(line + "\n")
			}
			mu.Unlock()
		}
	}()
	stop := func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { readers.Wait(); cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	ip := func(args ...string) error {
		out, err := exec.Command("ip", append([]string{"-n", ns}, args...)...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	// The monitor listens once it reports the start marker. Each try
	// changes the marker's gateway: replacing a route with itself is no
	// change, and the kernel says nothing about it.
	ready := false
	for try := 0; try < 100 && !ready; try++ {
		if err := ip("route", "replace", markStart+"/32", "via", gatewayOf(try<<4)); err != nil {
			stop()
			return monSample{}, err
		}
		select {
		case <-started:
			ready = true
		case <-time.After(100 * time.Millisecond):
		}
	}
	if !ready {
		stop()
		return monSample{}, fmt.Errorf("%s never reported the marker route: %s", t.name, errText.String())
	}
	begin := time.Now()
	if err := ip("-batch", storm); err != nil {
		stop()
		return monSample{}, err
	}
	if err := ip("route", "add", markEnd+"/32", "via", gateway); err != nil {
		stop()
		return monSample{}, err
	}
	// Wait for the end marker, or for two seconds of silence (the marker
	// itself may be lost).
	for waiting := true; waiting; {
		select {
		case <-ended:
			waiting = false
		case <-time.After(100 * time.Millisecond):
			mu.Lock()
			quiet := time.Since(last) > 2*time.Second
			mu.Unlock()
			waiting = !quiet
		}
	}
	stop()
	mu.Lock()
	defer mu.Unlock()
	if !lastSeen.IsZero() {
		s.span = lastSeen.Sub(begin)
	}
	return s, nil
}
