package luabind

import (
	"context"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"testing"

	"nlsh/engine/nstest"
)

// benchAdds is the size of the add workload of DESIGN §5.
const benchAdds = 10000

// addScript is the script of cmd/nlbench's add workload: the same loop,
// through ip.route or inside ip.batch.
const addScript = `
local batch = ...
local function add()
  for i = 0, 9999 do
    ip.route('add', {dst = ('10.%d.%d.%d/32'):format(i % 16, math.floor(i / 4096) % 256, math.floor(i / 16) % 256), gateway = '10.255.0.2'})
  end
end
if batch then ip.batch(add) else add() end`

// BenchmarkIPRouteAdd adds 10,000 routes in a fresh namespace per
// iteration, one request at a time and through ip.batch, in-process: the
// figure to profile (-cpuprofile) when cmd/nlbench's add workload moves.
// Only the adds are timed (and their allocations counted); each run is
// then checked to have added every route. The collector runs as nlsh sets
// it (GOGC=400) unless GOGC says otherwise, so that the figures match the
// process's.
func BenchmarkIPRouteAdd(b *testing.B) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	for _, mode := range []struct {
		name  string
		batch bool
	}{{"loop", false}, {"batch", true}} {
		b.Run(mode.name, func(b *testing.B) {
			var before, after runtime.MemStats
			var allocs, bytes uint64
			for b.Loop() {
				b.StopTimer()
				ns := nstest.New(b)
				nstest.IP(b, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
				nstest.IP(b, ns, "link", "set", "v0", "up")
				nstest.IP(b, ns, "addr", "add", "10.255.0.1/16", "dev", "v0")
				e := New(Options{Stdout: io.Discard, NetNS: ns})
				var args []string // no argument: the plain loop
				if mode.batch {
					args = []string{"batch"}
				}
				runtime.ReadMemStats(&before)
				b.StartTimer()
				_, err := e.Run(context.Background(), "add", addScript, args)
				b.StopTimer()
				runtime.ReadMemStats(&after)
				allocs += after.Mallocs - before.Mallocs
				bytes += after.TotalAlloc - before.TotalAlloc
				if err != nil {
					b.Fatal(e.FormatError(err))
				}
				// The namespace's own subnet route and the 10,000.
				out, err := e.Run(context.Background(), "count", "return #ip.routes{table = 254}", nil)
				if err != nil {
					b.Fatal(e.FormatError(err))
				}
				if n := out[0].String(); n != "10001" {
					b.Fatalf("%s routes in table main, want 10001", n)
				}
				e.Close()
				// The kernel frees a dead namespace's routes later, under
				// the RTNL lock, which would stall the next iteration.
				nstest.IP(b, ns, "route", "flush", "table", "main")
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchAdds), "ns/route")
			b.ReportMetric(float64(bytes)/float64(b.N*benchAdds), "B/route")
			b.ReportMetric(float64(allocs)/float64(b.N*benchAdds), "allocs/route")
		})
	}
}
