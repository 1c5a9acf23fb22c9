package luabind

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"weak"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// eachInterruptedScript streams an interrupted dump with s:each;
// TestEachInterrupted runs it against the kernel, TestFakeEachInterrupted
// against the fake one.
const eachInterruptedScript = `
-- A small receive buffer makes the kernel write the dump a datagram at a
-- time, as the loop asks for more.
local s, other = nl.socket('route', {rcvbuf = 4096}), nl.socket('route')
local req = rtnl.ifaddrmsg{family = AF_INET}
req.header.type, req.header.flags = RTM_GETADDR, 'NLM_F_REQUEST|NLM_F_DUMP'
local n, changed = 0, false
local ok, err = pcall(function()
  for m in s:each(req) do
    n = n + 1
    if n == 10 and not changed then
      changed = true
      local a = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 32, index = ip.link_lookup('v1')}
      a.header.type, a.header.flags = RTM_NEWADDR, 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
      a.attrs = {{'IFA_LOCAL', '10.200.0.1'}}
      other:request(a)
    end
  end
end)
return ok, err and err.code, n`

// TestEachInterrupted: a change made while s:each walks a dump interrupts
// it; the stream cannot ask again for what it already handed out, so it
// hands out the rest and then raises code NLM_F_DUMP_INTR.
func TestEachInterrupted(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	var b strings.Builder
	for i := range 500 {
		b.WriteString("addr add 10.1." + strconv.Itoa(i/200) + "." + strconv.Itoa(i%200+1) + "/32 dev v0\n")
	}
	batch := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(batch, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", batch)
	vals := run(t, e, eachInterruptedScript)
	if vals[0].String() != "false" || vals[1].String() != "NLM_F_DUMP_INTR" {
		t.Fatalf("s:each under a change: ok=%s code=%s after %s messages", vals[0], vals[1], vals[2])
	}
	if n, _ := strconv.Atoi(vals[2].String()); n < 500 {
		t.Errorf("the stream handed out %d messages before raising, want them all (>= 500)", n)
	}
}

// manyRoutes fills table main of ns with n /32 routes through v0.
func manyRoutes(t *testing.T, ns string, n int) {
	t.Helper()
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "addr", "add", "10.255.0.1/16", "dev", "v0")
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "route add 10.%d.%d.%d/32 via 10.255.0.2\n", i>>16&1, i>>8&255, i&255)
	}
	f := filepath.Join(t.TempDir(), "routes")
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", f)
	// Flushed before the namespace goes, so the kernel does not free them
	// later under the rtnl lock, in another test's time.
	t.Cleanup(func() { nstest.IP(t, ns, "route", "flush", "table", "main") })
}

const routeDumpReq = `
s = nl.socket('route')
req = rtnl.rtmsg{family = AF_INET}
req.header.type, req.header.flags = RTM_GETROUTE, NLM_F_REQUEST + NLM_F_DUMP
`

// openStreamOf returns the stream open on the Env's one socket.
func openStreamOf(t *testing.T, e *Env) *dumpStream {
	t.Helper()
	for s := range e.sockets {
		if s.stream != nil {
			return s.stream
		}
	}
	return nil
}

// TestReadAheadBounded breaks out of a long dump after one message: the
// reader receives a few datagrams beyond it and waits, and the next call
// on the socket stops it. An iterator dropped without another call stops
// its reader when collected.
func TestReadAheadBounded(t *testing.T) {
	ns, e := ipEnv(t)
	manyRoutes(t, ns, 30000)
	run(t, e, routeDumpReq+`
for r in s:each(req) do break end
`)
	d := openStreamOf(t, e)
	if d == nil || d.cancel == nil {
		t.Fatal("no stream with a reader left open after the loop broke")
	}
	time.Sleep(200 * time.Millisecond) // time enough to read the whole dump
	// The datagram handed out, readAhead in the channel, one in the
	// reader's hands.
	if n := d.read.Load(); n > readAhead+2 {
		t.Errorf("the reader received %d datagrams after the loop broke; at most %d", n, readAhead+2)
	}
	vals := run(t, e, `return #s:request(req)`)
	select {
	case <-d.done:
	default:
		t.Error("the reader still runs after the next request on the socket")
	}
	if n := int(lua.LVAsNumber(vals[0])); n < 30001 {
		t.Errorf("the dump after a broken stream listed %d routes, want 30001 or more", n)
	}

	run(t, e, `
local it = s:each(req)
it()
it = nil
collectgarbage()`)
	d = openStreamOf(t, e)
	if d == nil {
		t.Fatal("no stream open")
	}
	for i := 0; i < 50; i++ {
		runtime.GC()
		select {
		case <-d.done:
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Error("the reader of a collected iterator still runs")
}

// TestStreamMemoryFlat streams a dump of 100,000 routes and reads the heap
// as it goes: after the first datagrams it stays flat (the stream keeps
// nothing behind), where the list of the same dump grows with it.
func TestStreamMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 100,000 routes")
	}
	ns, e := ipEnv(t)
	manyRoutes(t, ns, 100000)
	e.L.SetGlobal("heap", e.L.NewFunction(func(L *lua.LState) int {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		L.Push(lua.LNumber(ms.HeapAlloc))
		return 1
	}))
	vals := run(t, e, routeDumpReq+`
local n, h1, h2 = 0
for r in s:each(req) do
  n = n + 1
  if r:get('RTA_DST') == nil then error('no RTA_DST') end
  if n == 5000 then h1 = heap() elseif n == 95000 then h2 = heap() end
end
-- ip.each, its filter applied as the routes arrive.
local m, h4, h5 = 0
for r in ip.each.routes{table = 254, dst_len = 32} do
  m = m + 1
  if m == 5000 then h4 = heap() elseif m == 95000 then h5 = heap() end
end
local list = s:request(req)
local h3 = heap()
return n, h1, h2, h3, #list, m, h4, h5`)
	n, h1, h2, h3 := lua.LVAsNumber(vals[0]), lua.LVAsNumber(vals[1]), lua.LVAsNumber(vals[2]), lua.LVAsNumber(vals[3])
	if n < 100001 {
		t.Fatalf("streamed %v routes", n)
	}
	// 90,000 routes went by between the two readings.
	if grew := float64(h2 - h1); grew > 2<<20 {
		t.Errorf("the heap grew %.1f MiB while 90,000 routes streamed by", grew/(1<<20))
	}
	m, h4, h5 := lua.LVAsNumber(vals[5]), lua.LVAsNumber(vals[6]), lua.LVAsNumber(vals[7])
	if m != 100000 {
		t.Errorf("ip.each.routes{table = 254, dst_len = 32} streamed %v routes, want 100000", m)
	}
	if grew := float64(h5 - h4); grew > 2<<20 {
		t.Errorf("the heap grew %.1f MiB while ip.each streamed 90,000 routes", grew/(1<<20))
	}
	// The check can see growth: the list of the same dump holds it all.
	if grew := float64(h3 - h2); grew < 10<<20 {
		t.Errorf("the listed dump added only %.1f MiB to the heap; the stream check cannot tell", grew/(1<<20))
	}
	t.Logf("heap: %.1f MiB after 5,000 streamed routes, %.1f MiB after 95,000, %.1f MiB with the list of %v", float64(h1)/(1<<20), float64(h2)/(1<<20), float64(h3)/(1<<20), vals[4])
}

// TestListKeepsDatagram: a message kept from a listed dump keeps its own
// datagram's group alive, not the dump's.
func TestListKeepsDatagram(t *testing.T) {
	ns, e := ipEnv(t)
	manyRoutes(t, ns, 5000)
	run(t, e, routeDumpReq+`
local list = s:request(req)
kept, last = list[1], list[#list]
`)
	groupOf := func(name string) *lazyGroup {
		v := e.L.GetGlobal(name).(*lua.LTable)
		return v.Metatable.(*lua.LTable).RawGetInt(1).(*lua.LUserData).Value.(*lazyGroup)
	}
	first, lastG := groupOf("kept"), weak.Make(groupOf("last"))
	if first == lastG.Value() {
		t.Fatal("5,000 routes came in one group")
	}
	run(t, e, `last = nil collectgarbage()`)
	for i := 0; i < 10 && lastG.Value() != nil; i++ {
		runtime.GC()
	}
	if lastG.Value() != nil {
		t.Error("the last datagram's group outlived its messages")
	}
	if v := run(t, e, `return kept:get('RTA_DST')`); v[0].String() == "nil" {
		t.Error("the kept message lost its RTA_DST")
	}
}
