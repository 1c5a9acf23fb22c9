package luabind

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nltest"
	"nlsh/rtnl"
)

// Errors as the kernel sends them, turned into error values, explained and
// traced. Each reply is one the namespace tests see the kernel send: an
// NLMSG_ERROR echoing the request (NETLINK_CAP_ACK is off by default), with
// the extended ACK's message and offset where the kernel gives them.

// fakeAttrOffset is the byte offset, from m's header, of the attribute
// found by following path (attribute types, each nested in the one
// before) from the attributes after m's fixed header of fixed bytes: what
// the kernel puts in NLMSGERR_ATTR_OFFS for an attribute it refuses.
func fakeAttrOffset(t *testing.T, m engine.Message, fixed int, path ...uint16) int {
	t.Helper()
	b := m.Bytes()
	start, end := engine.HeaderLen+fixed, len(b)
	for i, want := range path {
		found := false
		for off := start; off+4 <= end; {
			l := int(binary.NativeEndian.Uint16(b[off:]))
			typ := binary.NativeEndian.Uint16(b[off+2:]) & engine.NLA_TYPE_MASK
			if l < 4 || off+l > end {
				break
			}
			if typ == want {
				if i == len(path)-1 {
					return off
				}
				start, end, found = off+4, off+l, true
				break
			}
			off += (l + 3) &^ 3
		}
		if !found {
			break
		}
	}
	t.Fatalf("no attribute %v in the request", path)
	return 0
}

// policyError is the kernel's answer to an attribute of the wrong length
// for its policy (a u32 given 2 bytes): ERANGE, pointing at it. (Since
// 5.10 the kernel adds the policy itself, NLMSGERR_ATTR_POLICY, which
// nothing here reads; older kernels answer as this does.)
func policyError(t *testing.T, m engine.Message, fixed int, path ...uint16) []byte {
	return nltest.Error(m, unix.ERANGE, nltest.ExtAck{Msg: "Attribute failed policy validation", Offset: fakeAttrOffset(t, m, fixed, path...)})
}

const ifinfomsgLen = 16

// TestFakeErrorsTeach: a refused request is explained with the attribute
// the kernel pointed at marked, by e:explain() and by the trace in both
// modes.
func TestFakeErrorsTeach(t *testing.T) {
	links := fakeLinks(t, [][]string{{"lo", "v0", "v1"}}, 0)
	k := nltest.Start(t, func(r nltest.Request) [][]byte {
		if m := r.Messages[0]; m.Header.Type == unix.RTM_NEWLINK {
			return [][]byte{policyError(t, m, ifinfomsgLen, unix.IFLA_MTU)}
		}
		return links(r)
	})
	var out, tr bytes.Buffer
	e := New(Options{Stdout: &out, TraceOut: &tr, Dial: k.Dial})
	defer e.Close()
	run(t, e, `
local ok, err = pcall(ip.link, 'set', {ifname = 'v0', mtu = nl.raw('\1\0')})
err:explain()
nl.trace(true)
pcall(ip.link, 'set', {ifname = 'v0', mtu = nl.raw('\1\0')})
nl.trace('explain')
pcall(ip.link, 'set', {ifname = 'v0', mtu = nl.raw('\1\0')})
`)
	marked := func(s string) string {
		for _, l := range strings.Split(s, "\n") {
			if strings.HasSuffix(l, "<-- here") {
				return l
			}
		}
		return ""
	}
	if l := marked(out.String()); !strings.Contains(l, "nla_len = 6") || !strings.HasPrefix(out.String(), "RTM_NEWLINK: numerical result out of range (ERANGE") {
		t.Errorf("e:explain() printed (marked row %q):\n%s", l, out.String())
	}
	trace := tr.String()
	if !strings.Contains(trace, `error=ERANGE "Attribute failed policy validation" [at IFLA_MTU]`) {
		t.Errorf("compact trace lacks the error's attribute:\n%s", trace)
	}
	if !strings.Contains(trace, "the kernel refused request seq=") || !strings.Contains(marked(trace), "nla_len = 6") ||
		!strings.Contains(trace, "nlmsgerr.type (msg.nlmsg_type) = 16 RTM_NEWLINK") {
		t.Errorf("explain trace does not mark the request:\n%s", trace)
	}
}

// TestFakeKernelErrors: error values for EEXIST, ENODEV, an extended ACK
// with a message alone, and one pointing at an attribute, at the top level
// and inside nests (named by path). The namespace version, TestKernelErrors,
// judges which errors the kernel gives.
func TestFakeKernelErrors(t *testing.T) {
	links := fakeLinks(t, [][]string{{"lo", "v0", "v1"}}, 0)
	e, _, _ := newFakeEnv(t, func(r nltest.Request) [][]byte {
		m := r.Messages[0]
		switch {
		case m.Header.Type == unix.RTM_DELLINK:
			return [][]byte{nltest.Error(m, unix.ENODEV, nltest.ExtAck{})}
		case m.Header.Type != unix.RTM_NEWLINK:
			return links(r)
		case m.Header.Flags&engine.NLM_F_EXCL != 0:
			if _, ok := m.Find(rtnl.LinkClass, unix.IFLA_LINKINFO); ok && strings.Contains(string(m.Body), "vxlan") {
				return [][]byte{policyError(t, m, ifinfomsgLen, unix.IFLA_LINKINFO, unix.IFLA_INFO_DATA, unix.IFLA_VXLAN_ID)}
			}
			return [][]byte{nltest.Error(m, unix.EEXIST, nltest.ExtAck{})} // v0 exists
		}
		if mtu, _ := m.Find(rtnl.LinkClass, unix.IFLA_MTU); len(mtu) == 4 {
			return [][]byte{nltest.Error(m, unix.EINVAL, nltest.ExtAck{Msg: "mtu less than device minimum"})}
		}
		return [][]byte{policyError(t, m, ifinfomsgLen, unix.IFLA_MTU)}
	})
	vals := run(t, e, `
local s = nl.socket('route')
local function newlink(name)
  local m = rtnl.ifinfomsg()
  m.header.type = RTM_NEWLINK
  m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
  m.attrs = {{'IFLA_IFNAME', name}, {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}}}}
  return m
end
local ok, e1 = pcall(s.request, s, newlink('v0'))
assert(not ok and e1.errno == 17 and e1.code == 'EEXIST', tostring(e1))
assert(e1.message == 'file exists', e1.message)
assert(e1.request.event == 'RTM_NEWLINK')
local d = rtnl.ifinfomsg{index = 9999}
d.header.type = RTM_DELLINK
d.header.flags = NLM_F_REQUEST + NLM_F_ACK
local ok, e2 = pcall(s.request, s, d)
assert(not ok and e2.code == 'ENODEV' and e2.errno == 19, tostring(e2))
-- an MTU below the minimum: the kernel says why
local get = rtnl.ifinfomsg()
get.header.type = RTM_GETLINK
get.header.flags = NLM_F_REQUEST
get.attrs = {{'IFLA_IFNAME', 'v0'}}
local idx = s:request(get)[1].index
local set = rtnl.ifinfomsg{index = idx}
set.header.type = RTM_NEWLINK
set.header.flags = NLM_F_REQUEST + NLM_F_ACK
set.attrs = {{'IFLA_MTU', 10}}
local ok, e3 = pcall(s.request, s, set)
assert(not ok and e3.code == 'EINVAL', tostring(e3))
-- a malformed attribute: the kernel points at it
set.attrs = {{'IFLA_MTU', nl.raw('\1\0')}}
local ok, e4 = pcall(s.request, s, set)
assert(not ok and e4.offset and e4.ext_ack, tostring(e4))
-- and inside nests, by path
local vx = rtnl.ifinfomsg()
vx.header.type = RTM_NEWLINK
vx.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
vx.attrs = {{'IFLA_IFNAME', 'vx0'}, {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'vxlan'},
  {'IFLA_INFO_DATA', {{'IFLA_VXLAN_ID', nl.raw('\1\0')}}}}}}
local ok, e5 = pcall(s.request, s, vx)
assert(not ok and e5.offset, tostring(e5))
return tostring(e1), e3.ext_ack, e4.attr, tostring(e4), e5.attr, tostring(e3)
`)
	if got := lua.LVAsString(vals[0]); !strings.Contains(got, "EEXIST") || strings.Contains(got, "\n") {
		t.Errorf("tostring(EEXIST error) = %q, want one line naming EEXIST", got)
	}
	if ack := lua.LVAsString(vals[1]); ack != "mtu less than device minimum" {
		t.Errorf("ext_ack = %q, want the kernel's MTU message", ack)
	}
	if attr := lua.LVAsString(vals[2]); attr != "IFLA_MTU" {
		t.Errorf("attr = %q, want IFLA_MTU (%s)", attr, lua.LVAsString(vals[3]))
	}
	if attr := lua.LVAsString(vals[4]); attr != "IFLA_LINKINFO > IFLA_INFO_DATA > IFLA_VXLAN_ID" {
		t.Errorf("attr = %q, want the path to IFLA_VXLAN_ID", attr)
	}
	if got, want := lua.LVAsString(vals[5]), "RTM_NEWLINK: invalid argument (EINVAL, errno 22): mtu less than device minimum"; got != want {
		t.Errorf("tostring(EINVAL error) = %q, want %q", got, want)
	}
}

// TestFakeDroppedRequest: a request whose header says it is longer than
// it is, which the kernel drops without a word (netlink_rcv_skb), fails
// with a timeout, saying so, instead of waiting for ever. The namespace
// version, TestDroppedRequest, checks that the kernel does drop it.
func TestFakeDroppedRequest(t *testing.T) {
	e, _, k := newFakeEnv(t, func(r nltest.Request) [][]byte {
		if r.Messages == nil {
			return nil // nlmsg_len beyond the datagram: dropped
		}
		// A get of ifindex 1 with NLM_F_ACK: the link, then the ACK.
		m := r.Messages[0]
		return [][]byte{nltest.Reply(m, unix.RTM_NEWLINK, 0, fakeLinkBody(t, 1, "lo")), nltest.Ack(m)}
	})
	vals := run(t, e, `
local s = nl.socket('route')
local get = rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = 'NLM_F_REQUEST|NLM_F_ACK'}, index = 1}
local bad = get:encode()
bad = string.char(bad:byte(1) + 8) .. bad:sub(2)      -- nlmsg_len 8 bytes too long
local ok, e = pcall(s.request, s, bad, {timeout = 0.1})
local ok2, e2 = pcall(function() for m in s:each(bad, {timeout = 0.1}) do end end)
return ok, e.code, e.errno, tostring(e), ok2, e2.code, #s:request(get)
`)
	want := "false ETIMEDOUT 110 RTM_GETLINK: no reply from the kernel for 0.1 s (the request may have been dropped: check its length) false ETIMEDOUT 1"
	if got := luaJoin(vals); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if n := len(k.Requests()); n != 3 {
		t.Errorf("the kernel saw %d datagrams, want the two dropped and the get", n)
	}
}
