// Package machine describes the machine a measurement ran on, for the
// reports nlbench and nlreliability write: figures from a shared VM mean
// little without its CPU, kernel and toolchain beside them.
package machine

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

// Describe is "host: CPU model, N CPUs, Linux release".
func Describe() string {
	return fmt.Sprintf("%s: %s, %d CPUs, %s", host(), cpuModel(), runtime.NumCPU(), kernel())
}

func host() string {
	h, err := os.Hostname()
	if err != nil {
		return "an unnamed host"
	}
	return h
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(data), "\n") {
		if name, ok := strings.CutPrefix(l, "model name"); ok {
			if _, v, ok := strings.Cut(name, ":"); ok {
				return strings.TrimSpace(v)
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
