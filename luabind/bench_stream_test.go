package luabind

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// Benchmarks of the Lua side of a dump, per message: the iterator of the
// streaming form (s:each), the list form (s:request), and m:get. Each
// reports ns, bytes and allocations per message, so a change to one hot
// path shows in its own line (docs/performance.md quotes them).

// perMsg runs fn b.N times, fn handling n messages each time, and reports
// time, bytes and allocations per message.
func perMsg(b *testing.B, n int, fn func()) {
	b.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		fn()
	}
	runtime.ReadMemStats(&after)
	msgs := float64(b.N * n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/msgs, "ns/msg")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/msgs, "B/msg")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/msgs, "allocs/msg")
}

// routeNS makes a namespace whose main table holds n /32 routes via two
// gateways, as cmd/nlbench's dump workload has them (plus the subnet's own
// route).
func routeNS(b *testing.B, n int) string {
	b.Helper()
	ns := nstest.New(b)
	nstest.IP(b, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(b, ns, "link", "set", "v0", "up")
	nstest.IP(b, ns, "addr", "add", "10.255.0.1/16", "dev", "v0")
	var sb strings.Builder
	for i := range n {
		gw := "10.255.0.2"
		if i%2 == 1 {
			gw = "10.255.0.3"
		}
		fmt.Fprintf(&sb, "route add 10.%d.%d.%d/32 via %s\n", i>>16&1, i>>8&255, i&255, gw)
	}
	f := filepath.Join(b.TempDir(), "routes")
	if err := os.WriteFile(f, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	nstest.IP(b, ns, "-batch", f)
	b.Cleanup(func() { nstest.IP(b, ns, "route", "flush", "table", "main") })
	return ns
}

// dumpFilter is cmd/nlbench's filter over each form: count the routes in
// 10.1.0.0/16 via 10.255.0.2.
const dumpFilter = `
local form = ...
local s = nl.socket('route')
local m = rtnl.rtmsg{family = AF_INET}
m.header.type = RTM_GETROUTE
m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
local n, all = 0, 0
local function test(r)
  all = all + 1
  local d = r:get('RTA_DST')
  if d and d:sub(1, 5) == '10.1.' and r:get('RTA_GATEWAY') == '10.255.0.2' then n = n + 1 end
end
if form == 'stream' then
  for r in s:each(m) do test(r) end
else
  for _, r in ipairs(s:request(m)) do test(r) end
end
s:close()
return n, all`

// BenchmarkDumpFilter streams (s:each) and lists (s:request) a dump of
// 100,000 routes from a namespace and filters it in Lua: the whole
// per-route cost, kernel included.
func BenchmarkDumpFilter(b *testing.B) {
	const routes = 100000
	ns := routeNS(b, routes)
	for _, form := range []string{"stream", "list"} {
		b.Run(form, func(b *testing.B) {
			e := New(Options{Stdout: io.Discard, NetNS: ns})
			defer e.Close()
			perMsg(b, routes, func() {
				out, err := e.Run(context.Background(), "bench", dumpFilter, []string{form})
				if err != nil {
					b.Fatal(e.FormatError(err))
				}
				// The main table's routes and the local table's few.
				if all := int(lua.LVAsNumber(out[1])); all < routes+1 || all > routes+10 {
					b.Fatalf("saw %d routes, want %d and the local table's", all, routes+1)
				}
			})
		})
	}
}

// BenchmarkLuaGet is m:get on lazily decoded routes whose attributes were
// never materialised: an address (RTA_DST), a number (RTA_OIF), a name
// that is absent (RTA_PREFSRC), and a path through a nest.
func BenchmarkLuaGet(b *testing.B) {
	e := New(Options{Stdout: io.Discard})
	defer e.Close()
	e.L.SetGlobal("dump", lua.LString(benchRouteDump(benchRoutes)))
	if _, err := e.Run(context.Background(), "setup", `msgs = rtnl.decode(dump)`, nil); err != nil {
		b.Fatal(err)
	}
	for _, get := range []struct{ name, call string }{
		{"RTA_DST", `r:get('RTA_DST')`},
		{"RTA_OIF", `r:get('RTA_OIF')`},
		{"RTA_PREFSRC", `r:get('RTA_PREFSRC')`},
		{"RTA_METRICS/RTAX_MTU", `r:get('RTA_METRICS', 'RTAX_MTU')`},
	} {
		b.Run(get.name, func(b *testing.B) {
			src := `local x for _, r in ipairs(msgs) do x = ` + get.call + ` end`
			perMsg(b, benchRoutes, func() {
				if _, err := e.Run(context.Background(), "bench", src, nil); err != nil {
					b.Fatal(e.FormatError(err))
				}
			})
		})
	}
}

// BenchmarkLuaIterate is the cost of the loop alone over a decoded list:
// what each m:get above adds to.
func BenchmarkLuaIterate(b *testing.B) {
	e := New(Options{Stdout: io.Discard})
	defer e.Close()
	e.L.SetGlobal("dump", lua.LString(benchRouteDump(benchRoutes)))
	perMsg(b, benchRoutes, func() {
		if _, err := e.Run(context.Background(), "bench", `local n = 0 for _, r in ipairs(rtnl.decode(dump)) do n = n + 1 end`, nil); err != nil {
			b.Fatal(e.FormatError(err))
		}
	})
}

// BenchmarkNew is start-up's share in luabind: a new Env, one chunk, Close.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		e := New(Options{Stdout: io.Discard})
		if _, err := e.Run(context.Background(), "-e", "return 1", nil); err != nil {
			b.Fatal(err)
		}
		e.Close()
	}
}
