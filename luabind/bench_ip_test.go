package luabind

import (
	"context"
	"io"
	"strconv"
	"testing"

	"nlsh/engine/nstest"
)

// The ip verbs' loops beside ip.route's (bench_add_test.go): 2,000
// addresses and 10,000 neighbour entries added from Lua, one request at a
// time and inside ip.batch, and the same verbs building their messages
// without a kernel (dry = true).

// addrAdds is the size of the address workload: the kernel walks a
// link's address list on each add, so 10,000 would time the kernel.
const addrAdds = 2000

// addrScript adds addrAdds /32 addresses to v0.
const addrScript = `
local batch = ...
local index = ip.link_lookup('v0')
local function add()
  for i = 0, 1999 do
    ip.addr('add', {index = index, address = ('10.%d.%d.%d/32'):format(1 + math.floor(i / 65536) % 2, math.floor(i / 256) % 256, i % 256)})
  end
end
if batch then ip.batch(add) else add() end
return #ip.addrs{index = index, family = AF_INET}`

// neighScript adds benchAdds permanent ARP entries on v0.
const neighScript = `
local batch = ...
local index = ip.link_lookup('v0')
local function add()
  for i = 0, 9999 do
    ip.neigh('add', {ifindex = index, dst = ('10.%d.%d.%d'):format(1 + math.floor(i / 65536) % 2, math.floor(i / 256) % 256, i % 256), lladdr = '02:00:00:00:00:01'})
  end
end
if batch then ip.batch(add) else add() end
return #ip.neighs{ifindex = index, family = AF_INET}`

// benchVerbAdds runs script, which adds n objects, in a fresh namespace
// per iteration, as a loop and inside ip.batch, and checks it returned n.
func benchVerbAdds(b *testing.B, script string, n int) {
	want := strconv.Itoa(n)
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
				e := New(Options{Stdout: io.Discard, NetNS: ns})
				b.StartTimer()
				var args []string
				if mode.batch {
					args = []string{"batch"}
				}
				out, err := e.Run(context.Background(), "add", script, args)
				b.StopTimer()
				if err != nil {
					b.Fatal(e.FormatError(err))
				}
				if n := out[0].String(); n != want {
					b.Fatalf("%s objects, want %s", n, want)
				}
				e.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/object")
		})
	}
}

// BenchmarkIPAddrAdd adds 2,000 addresses with ip.addr.
func BenchmarkIPAddrAdd(b *testing.B) { benchVerbAdds(b, addrScript, addrAdds) }

// BenchmarkIPNeighAdd adds 10,000 ARP entries with ip.neigh.
func BenchmarkIPNeighAdd(b *testing.B) { benchVerbAdds(b, neighScript, benchAdds) }

// BenchmarkIPBuild is each verb's work before the socket, from Lua: read
// the spec, apply the defaults, build the message (dry = true returns it).
// No kernel needed; the figure is per call.
func BenchmarkIPBuild(b *testing.B) {
	for _, c := range []struct{ name, call string }{
		{"route", `ip.route('add', {dst = '10.1.2.3/32', gateway = '10.255.0.2', dry = true})`},
		{"addr", `ip.addr('add', {index = 3, address = '10.1.2.3/24', dry = true})`},
		{"neigh", `ip.neigh('add', {ifindex = 3, dst = '10.1.2.3', lladdr = '02:00:00:00:00:01', dry = true})`},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := New(Options{Stdout: io.Discard})
			defer e.Close()
			src := "for _ = 1, 1000 do " + c.call + " end"
			if _, err := e.Run(context.Background(), "warm", src, nil); err != nil {
				b.Fatal(e.FormatError(err))
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Run(context.Background(), "bench", src, nil); err != nil {
					b.Fatal(e.FormatError(err))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/call")
		})
	}
}
