package luabind

import (
	"context"
	"io"
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
    ip.route('add', {dst = ('10.%d.%d.%d/32'):format(math.floor(i / 65536) % 2, math.floor(i / 256) % 256, i % 256), gateway = '10.255.0.2'})
  end
end
if batch then ip.batch(add) else add() end
return #ip.routes{table = 254}`

// BenchmarkIPRouteAdd adds 10,000 routes in a fresh namespace per
// iteration, one request at a time and through ip.batch, in-process: the
// figure to profile (-cpuprofile) when cmd/nlbench's add workload moves.
func BenchmarkIPRouteAdd(b *testing.B) {
	for _, mode := range []struct {
		name  string
		batch bool
	}{{"loop", false}, {"batch", true}} {
		b.Run(mode.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				ns := nstest.New(b)
				nstest.IP(b, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
				nstest.IP(b, ns, "link", "set", "v0", "up")
				nstest.IP(b, ns, "addr", "add", "10.255.0.1/16", "dev", "v0")
				e := New(Options{Stdout: io.Discard, NetNS: ns})
				b.StartTimer()
				var args []string // no argument: the plain loop
				if mode.batch {
					args = []string{"batch"}
				}
				out, err := e.Run(context.Background(), "add", addScript, args)
				b.StopTimer()
				if err != nil {
					b.Fatal(e.FormatError(err))
				}
				// The namespace's own subnet route and the 10,000.
				if n := out[0].String(); n != "10001" {
					b.Fatalf("%s routes in table main, want 10001", n)
				}
				e.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchAdds), "ns/route")
		})
	}
}
