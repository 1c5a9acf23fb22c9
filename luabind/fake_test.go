package luabind

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nltest"
	"nlsh/rtnl"
)

// These tests run scripts against package nltest's fake kernel: they judge
// how nlsh turns the kernel's answers into Lua values, and need no root.

// newFakeEnv is an Env whose sockets all go to a fake kernel answering
// with h.
func newFakeEnv(t *testing.T, h nltest.Handler) (*Env, *bytes.Buffer, *nltest.Kernel) {
	t.Helper()
	k := nltest.Start(t, h)
	var out bytes.Buffer
	e := New(Options{Stdout: &out, Dial: k.Dial})
	t.Cleanup(e.Close)
	return e, &out, k
}

// fakeLinkBody is an RTM_NEWLINK body for a link, encoded by rtnl's class.
func fakeLinkBody(t *testing.T, index int, name string) []byte {
	t.Helper()
	b, err := engine.EncodeRecord(rtnl.LinkClass, engine.Table{Map: map[string]any{
		"index": int64(index),
		"attrs": engine.Table{List: []any{engine.Table{List: []any{"IFLA_IFNAME", name}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeLinks answers an RTM_GETLINK dump with a datagram per group of
// names, then NLMSG_DONE (with doneFlags); a get by IFLA_IFNAME with the
// link of that name or ENODEV; and other requests asking for it with an ACK.
func fakeLinks(t *testing.T, groups [][]string, doneFlags uint16) nltest.Handler {
	return func(r nltest.Request) [][]byte {
		var out [][]byte
		for _, m := range r.Messages {
			switch {
			case m.Header.Type == unix.RTM_GETLINK && m.Header.Flags&engine.NLM_F_DUMP == engine.NLM_F_DUMP:
				index := 0
				for _, names := range groups {
					var bodies [][]byte
					for _, n := range names {
						index++
						bodies = append(bodies, fakeLinkBody(t, index, n))
					}
					out = append(out, nltest.Multi(m, unix.RTM_NEWLINK, 0, bodies...))
				}
				out = append(out, nltest.Done(m, doneFlags))
			case m.Header.Type == unix.RTM_GETLINK:
				want, _ := m.Decode(rtnl.Route).Get("IFLA_IFNAME")
				index := 0
				for _, names := range groups {
					for _, n := range names {
						index++
						if n == want {
							out = append(out, nltest.Reply(m, unix.RTM_NEWLINK, 0, fakeLinkBody(t, index, n)))
						}
					}
				}
				if len(out) == 0 {
					out = append(out, nltest.Error(m, unix.ENODEV, nltest.ExtAck{}))
				}
			case m.Header.Flags&engine.NLM_F_ACK != 0:
				out = append(out, nltest.Ack(m))
			}
		}
		return out
	}
}

// A kernel error becomes an error value with the fields docs/lua-api.md
// lists.
func TestFakeErrorValue(t *testing.T) {
	e, _, k := newFakeEnv(t, func(r nltest.Request) [][]byte {
		// The first attribute after the header and ifinfomsg: byte 32.
		return [][]byte{nltest.Error(r.Messages[0], unix.ERANGE, nltest.ExtAck{Msg: "Attribute failed policy validation", Offset: 32})}
	})
	run(t, e, `
local s = nl.socket('route')
local set = rtnl.ifinfomsg{index = 1}
set.header.type = RTM_NEWLINK
set.header.flags = NLM_F_REQUEST + NLM_F_ACK
set.attrs = {{'IFLA_MTU', nl.raw('\1\0')}}
local ok, e = pcall(s.request, s, set)
assert(not ok and type(e) == 'table', tostring(e))
assert(e.errno == 34, tostring(e.errno))
assert(e.code == 'ERANGE', e.code)
assert(e.message == 'numerical result out of range', e.message)
assert(e.ext_ack == 'Attribute failed policy validation', e.ext_ack)
assert(e.offset == 32, tostring(e.offset))
assert(e.attr == 'IFLA_MTU', e.attr)
assert(e.op == 'RTM_NEWLINK', e.op)
assert(e.request.index == 1, tostring(e.request.index))
assert(#e.request_bytes == 40, tostring(#e.request_bytes)) -- header, ifinfomsg, a 6-byte attribute padded to 8
assert(tostring(e) == 'RTM_NEWLINK: numerical result out of range (ERANGE, errno 34): Attribute failed policy validation [at IFLA_MTU]', tostring(e))
`)
	if n := len(k.Requests()); n != 1 {
		t.Errorf("the kernel saw %d datagrams, want 1", n)
	}
}

// s:request of a dump gathers its replies across datagrams.
func TestFakeDumpRequest(t *testing.T) {
	e, _, _ := newFakeEnv(t, fakeLinks(t, [][]string{{"lo", "eth0"}, {"eth1"}, {"br0", "br1"}}, 0))
	vals := run(t, e, `
local s = nl.socket('route')
local dump = rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST + NLM_F_DUMP}}
local names = {}
for i, m in ipairs(s:request(dump)) do
	assert(m.index == i and m.event == 'RTM_NEWLINK')
	names[#names+1] = m:get('IFLA_IFNAME')
end
return table.concat(names, ' ')
`)
	if got := vals[0].String(); got != "lo eth0 eth1 br0 br1" {
		t.Errorf("dumped %q", got)
	}
}

// An interrupted dump raises NLM_F_DUMP_INTR, its replies kept.
func TestFakeDumpInterrupted(t *testing.T) {
	e, _, _ := newFakeEnv(t, fakeLinks(t, [][]string{{"lo"}, {"eth0"}}, engine.NLM_F_DUMP_INTR))
	run(t, e, `
local s = nl.socket('route')
local dump = rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST + NLM_F_DUMP}}
local ok, e = pcall(s.request, s, dump)
assert(not ok and e.code == 'NLM_F_DUMP_INTR' and e.dump_interrupted, tostring(e))
assert(#e.replies == 2 and e.replies[2]:get('IFLA_IFNAME') == 'eth0', tostring(#e.replies))
`)
}

// ip.link_lookup of a missing name is nil: the kernel's ENODEV is no error.
func TestFakeLinkLookup(t *testing.T) {
	e, _, k := newFakeEnv(t, fakeLinks(t, [][]string{{"lo", "eth0"}}, 0))
	run(t, e, `
assert(ip.link_lookup('nope') == nil)
assert(ip.link_lookup('eth0') == 2, tostring(ip.link_lookup('eth0')))
`)
	if n := len(k.Requests()); n < 2 {
		t.Errorf("the kernel saw %d datagrams, want the two lookups", n)
	}
}

// Read-only mode refuses a change before anything is sent: the kernel sees
// nothing of it.
func TestFakeReadOnly(t *testing.T) {
	e, _, k := newFakeEnv(t, fakeLinks(t, [][]string{{"lo"}}, 0))
	e.SetReadOnly()
	msg := runErr(t, e, `
local s = nl.socket('route')
local set = rtnl.ifinfomsg{index = 1}
set.header.type = RTM_NEWLINK
set.header.flags = NLM_F_REQUEST + NLM_F_ACK
set.attrs = {{'IFLA_MTU', 1400}}
s:request(set)
`)
	if !strings.Contains(msg, "refused: read-only") {
		t.Errorf("error %q does not say read-only", msg)
	}
	if got := k.Requests(); len(got) != 0 {
		t.Errorf("the kernel saw %d datagrams of a refused change", len(got))
	}
	// Reading is still allowed.
	run(t, e, `assert(ip.link_lookup('lo') == 1)`)
	if n := len(k.Requests()); n != 1 {
		t.Errorf("the kernel saw %d datagrams, want the lookup alone", n)
	}
}
