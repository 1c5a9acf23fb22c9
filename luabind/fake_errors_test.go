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
	vals := run(t, e, kernelErrorsScript)
	checkKernelErrors(t, vals)
	if ack := lua.LVAsString(vals[1]); ack != "mtu less than device minimum" {
		t.Errorf("ext_ack = %q, want the kernel's MTU message", ack)
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
	vals := run(t, e, droppedRequestScript)
	if got := luaJoin(vals); got != droppedRequestWant {
		t.Errorf("got  %s\nwant %s", got, droppedRequestWant)
	}
	if n := len(k.Requests()); n != 3 {
		t.Errorf("the kernel saw %d datagrams, want the two dropped and the get", n)
	}
}
