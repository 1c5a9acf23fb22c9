package luabind

import (
	"io"
	"net"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// TestMPTCPEndpoints adds, reads back and deletes an MPTCP endpoint through
// mptcp_pm's spec, checked with iproute2's `ip mptcp endpoint show`.
func TestMPTCPEndpoints(t *testing.T) {
	needTools(t)
	ns, e := ipEnv(t)
	run(t, e, `
local f = genl.family('mptcp_pm')
f:doit('add-addr', {addr = {family = AF_INET, addr4 = 0x0a000001, id = 7, flags = 1}})
local r = f:doit('get-addr', {addr = {id = 7}})
assert(r:get('addr', 'addr4') == 0x0a000001 and r:get('addr', 'id') == 7, tostring(r))
assert(#f:dumpit('get-addr') == 1)`)
	if out := nstest.IP(t, ns, "mptcp", "endpoint", "show"); !strings.Contains(out, "10.0.0.1 id 7 signal") {
		t.Errorf("ip mptcp endpoint show:\n%s", out)
	}
	run(t, e, `local f = genl.family('mptcp_pm'); f:doit('del-addr', {addr = {id = 7}}); assert(#f:dumpit('get-addr') == 0)`)
	if out := nstest.IP(t, ns, "mptcp", "endpoint", "show"); strings.TrimSpace(out) != "" {
		t.Errorf("after del-addr, ip mptcp endpoint show:\n%s", out)
	}
}

// inNetNS runs fn on a thread inside namespace ns (sockets fn opens stay
// there).
func inNetNS(t *testing.T, ns string, fn func()) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			done <- err
			return
		}
		defer unix.Close(orig)
		fd, err := engine.OpenNetNS(ns)
		if err != nil {
			done <- err
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			done <- err
			return
		}
		fn()
		if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
			done <- err // the thread stays locked and dies with the goroutine
			return
		}
		runtime.UnlockOSThread()
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestTCPMetrics dumps tcp_metrics after a TCP exchange in the namespace:
// the same destination iproute2's `ip tcp_metrics show` lists.
func TestTCPMetrics(t *testing.T) {
	needTools(t)
	ns, e := ipEnv(t)
	for _, c := range [][]string{
		{"link", "add", "a0", "type", "veth", "peer", "name", "a1"},
		{"addr", "add", "10.5.0.1/24", "dev", "a0"},
		{"link", "set", "a0", "up"}, {"link", "set", "a1", "up"}, {"link", "set", "lo", "up"},
	} {
		nstest.IP(t, ns, c...)
	}
	var ln net.Listener
	var conn net.Conn
	inNetNS(t, ns, func() {
		var err error
		if ln, err = net.Listen("tcp4", "10.5.0.1:0"); err != nil {
			t.Error(err)
			return
		}
		if conn, err = net.Dial("tcp4", ln.Addr().String()); err != nil {
			t.Error(err)
		}
	})
	if conn == nil {
		t.FailNow()
	}
	srv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	go func() { srv.Write(make([]byte, 100000)); srv.Close() }()
	io.Copy(io.Discard, conn)
	conn.Close()
	ln.Close()
	if out := nstest.IP(t, ns, "tcp_metrics", "show"); !strings.HasPrefix(out, "10.5.0.1 ") {
		t.Fatalf("ip tcp_metrics show:\n%s", out)
	}
	run(t, e, `
local dsts = {}
for _, m in ipairs(genl.family('tcp_metrics'):dumpit('get')) do dsts[#dsts+1] = m:get('addr-ipv4') end
assert(#dsts == 1 and dsts[1] == '10.5.0.1', #dsts .. ' ' .. tostring(dsts[1]))`)
}

// TestNlctrlDumps decodes nlctrl's own family and policy dumps by name.
func TestNlctrlDumps(t *testing.T) {
	_, e := ipEnv(t)
	run(t, e, `
local f = genl.family('nlctrl')
local fams = f:dumpit('getfamily')
local seen = {}
for _, m in ipairs(fams) do
  seen[m:get('family-name')] = m:get('family-id')
  assert(m.event == 'getfamily' and m.cmd == 1)
end
assert(seen.nlctrl == 16 and seen.ethtool, 'nlctrl and ethtool listed')
local pol = f:dumpit('getpolicy', {family_name = 'nlctrl'})
local types = {}
for _, m in ipairs(pol) do
  for _, p in ipairs(m:get_all('policy')) do
    for _, set in ipairs(p.attrs) do
      for _, a in ipairs(set[2].attrs) do types[#types+1] = a[2]:get('type') end
    end
  end
end
assert(#types > 3, #types)`)
}

// TestGenlCheck compares specs with the running kernel: netdev's 6.12 spec
// predates commands this kernel offers, which f:ops lists as cmd-N and
// f:check names; a family described by its policy has nothing to
// disagree with.
func TestGenlCheck(t *testing.T) {
	needTools(t)
	_, e := ipEnv(t)
	run(t, e, `
local f = genl.family('netdev')
local said = {}
for _, s in ipairs(f:check()) do said[s] = true end
local unnamed = 0
for _, o in ipairs(f:ops()) do
  local n = o.name:match('^cmd%-(%d+)$')
  if n then
    unnamed = unnamed + 1
    assert(said['the kernel offers command ' .. n .. ', which the description does not name'], 'check does not name command ' .. n)
  end
end
for s in pairs(said) do
  assert(s:find('the kernel offers command') or s:find('is described but this kernel does not offer it')
    or s:find('which the kernel.s policy does not accept') or s:find('which the description does not name')
    or s:find('in the description, .* in the kernel.s policy'), s)
end
assert(#genl.family('TASKSTATS'):check() == 0)
local m = tostring(genl.family('TASKSTATS'):message('cmd-1', {attr_1 = 7}))
assert(m:find('attr%-1 %(u32%): 7'), m)`)
}

// TestSilentRequest: a change asked for without NLM_F_ACK is answered only
// if it fails, so s:request refuses it at once instead of waiting for
// ever; gets are answered without an ACK and still work.
func TestSilentRequest(t *testing.T) {
	needTools(t)
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	run(t, e, `
local s = nl.socket('route')
local m = rtnl.ifinfomsg{index = 1}
m.header.type, m.header.flags = RTM_SETLINK, NLM_F_REQUEST
local ok, err = pcall(s.request, s, m)
assert(not ok and tostring(err):find('RTM_SETLINK has neither NLM_F_ACK nor NLM_F_DUMP'), tostring(err))
m.header.type = RTM_GETLINK
assert(#s:request(m) == 1, 'a get is answered without an ACK')
local g = nl.socket('generic')
local set = genl.family('ethtool'):message('linkinfo-set', {header = {dev_name = 'v0'}})
set.header.flags = NLM_F_REQUEST
ok, err = pcall(g.request, g, set)
assert(not ok and tostring(err):find('ethtool linkinfo%-set has neither'), tostring(err))
local get = genl.family('ethtool'):message('linkinfo-get', {header = {dev_name = 'v0'}})
get.header.flags = NLM_F_REQUEST
assert(g:request(get)[1]:get('header', 'dev-name') == 'v0')`)
}
