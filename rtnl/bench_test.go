package rtnl

import (
	"runtime"
	"testing"

	"nlsh/engine"
)

// Benchmarks for the codec on the shapes of DESIGN §5: one route as a script
// sends it, and a 10,000-route dump as the kernel answers RTM_GETROUTE.

// Sinks keep results alive so the compiler cannot drop the work. They are
// typed: storing a slice in an `any` would allocate and count against the
// code being measured.
var (
	bytesSink  []byte
	msgsSink   []engine.Message
	recordSink *engine.Record
	valuesSink []any
	anySink    any
)

// scriptRoute is one IPv4 route as a Lua script hands it to the encoder
// (through luabind's fromLua: integers as uint64, addresses as strings).
func scriptRoute() engine.Table {
	pair := func(name string, v any) engine.Table { return engine.Table{List: []any{name, v}} }
	return engine.Table{Map: map[string]any{
		"family": uint64(2), "dst_len": uint64(24), "table": uint64(254),
		"proto": uint64(4), "scope": uint64(0), "type": uint64(1),
		"attrs": engine.Table{List: []any{
			pair("RTA_TABLE", uint64(254)),
			pair("RTA_DST", "10.1.2.0"),
			pair("RTA_GATEWAY", "10.0.0.1"),
			pair("RTA_OIF", uint64(2)),
			pair("RTA_PRIORITY", uint64(100)),
		}},
	}}
}

var routeHeader = engine.Header{Type: 24, Flags: engine.NLM_F_REQUEST | engine.NLM_F_ACK | engine.NLM_F_CREATE | engine.NLM_F_EXCL, Seq: 1}

func BenchmarkEncodeRoute(b *testing.B) {
	tbl := scriptRoute()
	b.ReportAllocs()
	for b.Loop() {
		msg, err := engine.EncodeMessage(routeHeader, RouteClass, tbl)
		if err != nil {
			b.Fatal(err)
		}
		bytesSink = msg
	}
}

func BenchmarkDecodeRoute(b *testing.B) {
	buf, err := engine.EncodeMessage(routeHeader, RouteClass, scriptRoute())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		msgs, err := engine.Split(buf)
		if err != nil || len(msgs) != 1 {
			b.Fatal(len(msgs), err)
		}
		recordSink = msgs[0].Decode(Route)
	}
}

const dumpRoutes = 10000

// routeDump builds the answer to an IPv4 route dump of n routes as the
// kernel lays it out: rtmsg, RTA_TABLE, RTA_DST 10.x.y.0/24, RTA_PRIORITY
// (on every other route), RTA_GATEWAY, RTA_OIF.
func routeDump(n int) []byte {
	var buf []byte
	rtm := []byte{2, 24, 0, 0, 254, 4, 0, 1, 0, 0, 0, 0} // AF_INET /24 main static universe unicast
	for i := range n {
		parts := [][]byte{rtm, nla(15, u32(254)), nla(1, []byte{10, byte(i >> 8), byte(i), 0})}
		if i%2 == 0 {
			parts = append(parts, nla(6, u32(100)))
		}
		parts = append(parts, nla(5, []byte{10, 0, 0, 1}), nla(4, u32(2)))
		buf = append(buf, nlmsg(24, engine.NLM_F_MULTI, parts...)...)
	}
	return buf
}

// perRoute runs fn b.N times over a dump of dumpRoutes routes and
// reports time, bytes and allocations per route.
func perRoute(b *testing.B, fn func()) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		fn()
	}
	runtime.ReadMemStats(&after)
	n := float64(b.N * dumpRoutes)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/msg")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/msg")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/msg")
}

func splitDump(b *testing.B, buf []byte) []engine.Message {
	msgs, err := engine.Split(buf)
	if err != nil || len(msgs) != dumpRoutes {
		b.Fatal(len(msgs), err)
	}
	return msgs
}

func BenchmarkSplitDump10k(b *testing.B) {
	buf := routeDump(dumpRoutes)
	perRoute(b, func() { msgsSink = splitDump(b, buf) })
}

func BenchmarkDecodeDump10k(b *testing.B) {
	buf := routeDump(dumpRoutes)
	perRoute(b, func() {
		msgs := splitDump(b, buf)
		for i := range msgs {
			recordSink = msgs[i].Decode(Route)
		}
	})
}

func BenchmarkLookupDump10k(b *testing.B) {
	buf := routeDump(dumpRoutes)
	dst, gw := []string{"RTA_DST"}, []string{"RTA_GATEWAY"}
	perRoute(b, func() {
		msgs := splitDump(b, buf)
		for i := range msgs {
			valuesSink = msgs[i].Lookup(Route, dst, true)
			valuesSink = msgs[i].Lookup(Route, gw, true)
		}
	})
}

// BenchmarkGetDump10k is Message.Get of two attributes of every route, as
// a filter reads them: the lazy path under m:get.
func BenchmarkGetDump10k(b *testing.B) {
	buf := routeDump(dumpRoutes)
	perRoute(b, func() {
		msgs := splitDump(b, buf)
		for i := range msgs {
			v, _ := msgs[i].Get(Route, "RTA_DST")
			w, _ := msgs[i].Get(Route, "RTA_GATEWAY")
			anySink, anySink = v, w
		}
	})
}
