package luabind

import (
	"context"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// sockBatchScript drives s:batch; TestSockBatch runs it against the kernel,
// TestFakeSockBatch against the fake one.
const sockBatchScript = `
local s = nl.socket('route')
local function route(i)
  local m = rtnl.rtmsg{family = AF_INET, dst_len = 32, table = RT_TABLE_MAIN,
    proto = RTPROT_BOOT, type = RTN_BLACKHOLE}
  m.header.type = RTM_NEWROUTE
  m.header.flags = 'NLM_F_REQUEST|NLM_F_CREATE|NLM_F_EXCL'
  m.attrs = {{'RTA_DST', ('10.7.%d.%d'):format(math.floor(i / 256), i % 256)}}
  return m
end
-- The busy socket raises, and fn's assignments to the chunk's locals
-- after that error was caught still count.
local busy, added
local results, failed = s:batch(function(add)
  for i = 1, 500 do
    local n = add(i % 2 == 0 and route(i) or route(i):encode())
    assert(n == i, 'add returned ' .. tostring(n))
  end
  add(route(7))                                   -- 501: exists already
  busy = select(2, pcall(s.request, s, route(9999)))
  added = add
end)
local late = select(2, pcall(added, route(1)))
return #results, failed, results[501].code, results[500], tostring(busy), tostring(late)
`

// checkSockBatch checks what sockBatchScript returns: 501 results, the
// repeated route's EEXIST among them, and the socket's refusals during and
// after the batch.
func checkSockBatch(t *testing.T, vals []lua.LValue) {
	t.Helper()
	if got := []string{vals[0].String(), vals[1].String(), vals[2].String(), vals[3].String()}; strings.Join(got, " ") != "501 1 EEXIST true" {
		t.Errorf("results: %v", got)
	}
	if !strings.Contains(vals[4].String(), "socket is busy with a batch") {
		t.Errorf("request inside the batch: %s", vals[4])
	}
	if !strings.Contains(vals[5].String(), "after the batch finished") {
		t.Errorf("add after the batch: %s", vals[5])
	}
}

// TestSockBatch drives s:batch from Lua: requests queued by add (tables
// and bytes) reach the kernel, failures come back per request, the socket
// refuses other use meanwhile, and add is dead once the batch is over.
func TestSockBatch(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	checkSockBatch(t, run(t, e, sockBatchScript))
	if out := nstest.IP(t, ns, "route", "show", "type", "blackhole"); strings.Count(out, "\n") != 500 {
		t.Errorf("%d blackhole routes, want 500", strings.Count(out, "\n"))
	}
}

// ipBatchRaisesScript raises inside ip.batch; TestIPBatchRaises runs it
// against the kernel, TestFakeIPBatchRaises against the fake one.
const ipBatchRaisesScript = `ip.batch(function()
  for i = 1, 300 do
    ip.route('add', {dst = ('10.9.%d.0/24'):format(i % 256 + math.floor(i / 256)), gateway = '10.0.0.2', dev = 'v0'})
  end
  error('stop here')
end)`

// TestIPBatchRaises checks that when the function given to ip.batch raises,
// the requests it queued before are still sent and its error comes out
// unchanged; and that lookups by name work inside a batch.
func TestIPBatchRaises(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
	msg := runErr(t, e, ipBatchRaisesScript)
	if !strings.HasSuffix(msg, "stop here") {
		t.Errorf("error %q, want fn's own", msg)
	}
	if out := nstest.IP(t, ns, "route", "show", "via", "10.0.0.2"); strings.Count(out, "\n") != 255 {
		// 300 requests for 255 prefixes: the 45 repeats fail with EEXIST.
		t.Errorf("%d routes via 10.0.0.2 after the raising batch, want 255:\n%s", strings.Count(out, "\n"), out)
	}
}

// TestIPBatchCancelled stops an endless ip.batch by its context, as Ctrl-C
// does: the ip module is usable afterwards (no stale batch) and the
// batch's socket is closed.
func TestIPBatchCancelled(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
	run(t, e, `ip.links()`) // the module's own socket, opened once
	before := openFDs(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := e.Run(ctx, "endless", `
local i = 0
ip.batch(function()
  while true do
    i = i + 1
    ip.route('add', {dst = ('10.%d.%d.%d/32'):format(20 + math.floor(i / 65536) % 100, math.floor(i / 256) % 256, i % 256), gateway = '10.0.0.2'})
  end
end)`, nil)
	if err == nil {
		t.Fatal("the endless batch ended without an error")
	}
	run(t, e, `
ip.route('add', {dst = '10.99.0.0/16', gateway = '10.0.0.2'})
assert(ip.batch(function() ip.route('add', {dst = '10.98.0.0/16', gateway = '10.0.0.2'}) end) == 1)`)
	if after := openFDs(t); after > before {
		t.Errorf("%d file descriptors open after the cancelled batch, %d before", after, before)
	}
	if out := nstest.IP(t, ns, "route", "show", "10.99.0.0/16"); out == "" {
		t.Error("ip.route after the cancelled batch added nothing")
	}
}
