package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// tuneGC sets the collector's policy unless GOGC or GOMEMLIMIT does.
//
// A script that walks a large dump makes much short-lived garbage and
// little that lasts: collecting less often (GOGC=400) saves a fifth of the
// time of the 100,000-route benchmark at the same peak memory. But a
// script that keeps a large dump is the other way round: a million listed
// routes live in 190 MB, and letting the heap grow to five times that
// before collecting costs far more memory than collecting costs time. So
// the heap may also grow to softBudget, and past that by at most
// headroom: a soft memory limit, moved after every collection.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	followLive()
}

// softBudget is the memory nlsh may use before collecting more often than
// GOGC=400 would; headroom is the least it may grow past the live heap.
const (
	softBudget  = 224 << 20
	minHeadroom = 48 << 20
)

// limitFor is the memory limit for a live heap of live bytes when the
// runtime holds other bytes beside the heap.
func limitFor(live, other uint64) uint64 {
	return max(softBudget, live+other+max(minHeadroom, live/8))
}

var liveSample = []metrics.Sample{
	{Name: "/gc/heap/live:bytes"},
	{Name: "/memory/classes/total:bytes"},
	{Name: "/memory/classes/heap/objects:bytes"},
}

// gcSentinel becomes garbage at once; its finalizer runs after the
// collection that found it so, and sets the next one up.
type gcSentinel struct{ _ *int }

// followLive moves the memory limit after every collection.
func followLive() {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		metrics.Read(liveSample)
		live := liveSample[0].Value.Uint64()
		other := liveSample[1].Value.Uint64() - liveSample[2].Value.Uint64()
		debug.SetMemoryLimit(int64(limitFor(live, other)))
		followLive()
	})
}
