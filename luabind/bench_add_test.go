package luabind

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
	"nlsh/rtnl"
)

// benchAdds is the size of the add workload of DESIGN §5.
const benchAdds = 10000

// addScript is the script of cmd/nlbench's add workload: the same loop,
// through ip.route or inside ip.batch, or with a function that does
// nothing in ip.route's place (noop), or with ip.route's dry run, which
// returns the messages instead of sending them (encode).
const addScript = `
local mode = ...
local route, out = ip.route, nil
if mode == 'noop' then route = function() end end
if mode == 'encode' then
  out = {}
  route = function(cmd, spec) spec.dry = true; out[#out + 1] = ip.route(cmd, spec):encode() end
end
local function add()
  for i = 0, 9999 do
    route('add', {dst = ('10.%d.%d.%d/32'):format(i % 16, math.floor(i / 4096) % 256, math.floor(i / 16) % 256), gateway = '10.255.0.2'})
  end
end
if mode == 'batch' then ip.batch(add) else add() end
return out`

// BenchmarkIPRouteAdd adds 10,000 routes in a fresh namespace per
// iteration, in-process: the figure to profile (-cpuprofile) when
// cmd/nlbench's add workload moves. Its modes part the plain loop's time:
//
//   - loop: the script, one ip.route at a time, as nlbench runs it;
//   - batch: the same inside ip.batch;
//   - request: the same 10,000 messages, encoded beforehand, each sent with
//     engine's Conn.Request: the kernel, the system calls and the engine;
//   - noop: the script with a function that does nothing in ip.route's
//     place, and no kernel: gopher-lua running the script's own Lua.
//
// loop less request less noop is ip.route's own work: reading its
// arguments, building and encoding the message, raising errors.
//
// Only the adds are timed (and their allocations counted); each run that
// adds is then checked to have added every route. The collector runs as
// nlsh sets it (GOGC=400) unless GOGC says otherwise, so that the figures
// match the process's.
func BenchmarkIPRouteAdd(b *testing.B) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	for _, mode := range []string{"loop", "batch", "request", "noop"} {
		b.Run(mode, func(b *testing.B) {
			var before, after runtime.MemStats
			var allocs, bytes uint64
			for b.Loop() {
				b.StopTimer()
				ns := ""
				if mode != "noop" {
					ns = nstest.New(b)
					nstest.IP(b, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
					nstest.IP(b, ns, "link", "set", "v0", "up")
					nstest.IP(b, ns, "addr", "add", "10.255.0.1/16", "dev", "v0")
				}
				e := New(Options{Stdout: io.Discard, NetNS: ns})
				send := func() error {
					_, err := e.Run(context.Background(), "add", addScript, []string{mode})
					return err
				}
				if mode == "request" {
					send = requestEach(b, e, ns)
				}
				runtime.ReadMemStats(&before)
				b.StartTimer()
				err := send()
				b.StopTimer()
				runtime.ReadMemStats(&after)
				allocs += after.Mallocs - before.Mallocs
				bytes += after.TotalAlloc - before.TotalAlloc
				if err != nil {
					b.Fatal(e.FormatError(err))
				}
				if mode != "noop" {
					// The namespace's own subnet route and the 10,000.
					out, err := e.Run(context.Background(), "count", "return #ip.routes{table = 254}", nil)
					if err != nil {
						b.Fatal(e.FormatError(err))
					}
					if n := out[0].String(); n != "10001" {
						b.Fatalf("%s routes in table main, want 10001", n)
					}
				}
				e.Close()
				if mode != "noop" {
					// The kernel frees a dead namespace's routes later,
					// under the RTNL lock, which would stall the next
					// iteration.
					nstest.IP(b, ns, "route", "flush", "table", "main")
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchAdds), "ns/route")
			b.ReportMetric(float64(bytes)/float64(b.N*benchAdds), "B/route")
			b.ReportMetric(float64(allocs)/float64(b.N*benchAdds), "allocs/route")
		})
	}
}

// requestEach encodes the add workload's messages with ip.route's dry run
// and returns a function that sends them one at a time through an engine
// Conn in namespace ns, as ip.route would, without Lua.
func requestEach(b *testing.B, e *Env, ns string) func() error {
	out, err := e.Run(context.Background(), "encode", addScript, []string{"encode"})
	if err != nil {
		b.Fatal(e.FormatError(err))
	}
	list := out[0].(*lua.LTable)
	msgs := make([][]byte, 0, list.Len())
	for i := 1; i <= list.Len(); i++ {
		msgs = append(msgs, []byte(list.RawGetInt(i).String()))
	}
	if len(msgs) != benchAdds {
		b.Fatalf("%d messages encoded, want %d", len(msgs), benchAdds)
	}
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = ns
	c, err := engine.Dial(unix.NETLINK_ROUTE, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return func() error {
		for i, m := range msgs {
			if _, err := c.Request(context.Background(), rtnl.Route, m); err != nil {
				return fmt.Errorf("route %d: %w", i, err)
			}
		}
		return nil
	}
}
