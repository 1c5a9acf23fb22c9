package iproute

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// BenchmarkRouteBuild is ip.route('add', …)'s work before the socket: read
// the spec table, apply iproute2's defaults, encode. No kernel needed.
func BenchmarkRouteBuild(b *testing.B) {
	m, L := newTestModule(b)
	spec := L.NewTable()
	spec.RawSetString("dst", lua.LString("10.1.2.3/32"))
	spec.RawSetString("gateway", lua.LString("10.255.0.2"))
	inst := m.root
	b.ReportAllocs()
	for b.Loop() {
		c := inst.call(L, routeVerb(), "add", useChange)
		c.read(spec)
		msg := c.encode(c.routeChange())
		c.done()
		if len(msg) != 44 {
			b.Fatalf("%d bytes", len(msg))
		}
	}
}
