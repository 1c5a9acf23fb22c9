package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"
)

// sample is one timed process run.
type sample struct {
	wall   time.Duration
	maxRSS int64 // KiB, of the measured process
	out    string
}

// timeBin is GNU time, used only to read the peak memory of the measured
// process. The rusage Go gets from wait4 is no good for that: Go starts
// children with vfork, and exec records the parent's own peak into the
// child's maxrss, so every process would seem as large as nlbench.
const timeBin = "/usr/bin/time"

// timeProc runs argv to completion; sink, when set, consumes its standard
// output as it is produced (the "piped to a counter" of the ip workload) and
// the time includes the sink finishing.
func timeProc(argv []string, sink func(io.Reader) (string, error)) (sample, error) {
	rssFile, err := os.CreateTemp("", "nlbench-rss")
	if err != nil {
		return sample{}, err
	}
	rssFile.Close()
	defer os.Remove(rssFile.Name())
	argv = append([]string{timeBin, "-f", "%M", "-o", rssFile.Name()}, argv...)
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	var out bytes.Buffer
	var pipe io.ReadCloser
	if sink != nil {
		if pipe, err = cmd.StdoutPipe(); err != nil {
			return sample{}, err
		}
	} else {
		cmd.Stdout = &out
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	var sinkOut string
	var sinkErr error
	if sink != nil {
		sinkOut, sinkErr = sink(pipe)
		io.Copy(io.Discard, pipe)
	}
	err = cmd.Wait()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s: %v\n%s", strings.Join(argv[5:], " "), err, stderr.String())
	}
	if sinkErr != nil {
		return sample{}, sinkErr
	}
	s := sample{wall: wall, out: strings.TrimSpace(out.String())}
	if sink != nil {
		s.out = sinkOut
	}
	if b, err := os.ReadFile(rssFile.Name()); err == nil {
		s.maxRSS, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	}
	return s, nil
}

// command is one tool's way of doing a workload: once runs it a single
// time, runs says how often (at most).
type command struct {
	name string
	runs int
	once func() (sample, error)
}

// interleave runs every command its number of times, a round at a time
// (each command once per round, in order), so that a shared machine's
// load, which changes over minutes, falls on all of them alike; it
// returns their results in the order given.
func interleave(label string, cmds []command, log io.Writer) ([]result, error) {
	ss := make([][]sample, len(cmds))
	rounds := 0
	for _, cm := range cmds {
		rounds = max(rounds, cm.runs)
	}
	for r := 0; r < rounds; r++ {
		for i, cm := range cmds {
			if r >= cm.runs {
				continue
			}
			s, err := cm.once()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", cm.name, err)
			}
			ss[i] = append(ss[i], s)
		}
	}
	out := make([]result, len(cmds))
	for i, cm := range cmds {
		out[i] = summarize(cm.name, ss[i])
		fmt.Fprintf(log, "nlbench: %s: %-40s %v, %.1f MiB (out %s)\n", label, cm.name, out[i].median, float64(out[i].maxRSS)/1024, out[i].out)
	}
	return out, nil
}

// result is the summary of several samples of one command.
type result struct {
	name   string
	median time.Duration
	min    time.Duration
	maxRSS int64 // KiB, the largest seen
	out    string
	runs   int
}

func summarize(name string, ss []sample) result {
	ws := make([]time.Duration, len(ss))
	r := result{name: name, runs: len(ss)}
	for i, s := range ss {
		ws[i] = s.wall
		r.maxRSS = max(r.maxRSS, s.maxRSS)
		r.out = s.out
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i] < ws[j] })
	r.median = ws[len(ws)/2]
	if len(ws)%2 == 0 {
		r.median = (ws[len(ws)/2-1] + ws[len(ws)/2]) / 2
	}
	r.min = ws[0]
	return r
}
