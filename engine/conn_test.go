package engine_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// Bytes are built by hand here, independently of the encoder, so these
// tests pin the socket layer to the wire format and not to another codec.

// nlmsg frames one message.
func nlmsg(typ, flags uint16, seq uint32, body ...[]byte) []byte {
	var b []byte
	for _, p := range body {
		b = append(b, p...)
	}
	out := make([]byte, engine.HeaderLen+len(b))
	engine.Header{Length: uint32(len(out)), Type: typ, Flags: flags, Seq: seq}.Put(out)
	copy(out[engine.HeaderLen:], b)
	return out
}

// dgram concatenates messages into one datagram, each 4-byte aligned.
func dgram(msgs ...[]byte) []byte {
	var b []byte
	for _, m := range msgs {
		b = append(b, m...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	return b
}

// attr builds one attribute, padded to 4 bytes.
func attr(typ uint16, payload ...[]byte) []byte {
	var p []byte
	for _, x := range payload {
		p = append(p, x...)
	}
	b := make([]byte, 4, 4+len(p)+3)
	binary.LittleEndian.PutUint16(b, uint16(4+len(p)))
	binary.LittleEndian.PutUint16(b[2:], typ)
	b = append(b, p...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func s32(v int32) []byte  { return u32(uint32(v)) }
func str(s string) []byte { return append([]byte(s), 0) }

// ifinfomsg is struct ifinfomsg with only the index set.
func ifinfomsg(index int32) []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint32(b[4:], uint32(index))
	return b
}

// errMsg builds an NLMSG_ERROR answering req: the errno (negative, or 0 for
// an ACK), the request's header, its payload unless capped, then TLVs.
func errMsg(errno int32, req []byte, capped bool, tlvs ...[]byte) []byte {
	h := engine.ParseHeader(req)
	var flags uint16
	body := append(s32(errno), req[:engine.HeaderLen]...)
	if capped {
		flags |= engine.NLM_F_CAPPED
	} else {
		body = append(body, req[engine.HeaderLen:]...)
	}
	if len(tlvs) > 0 {
		flags |= engine.NLM_F_ACK_TLVS
	}
	for _, t := range tlvs {
		body = append(body, t...)
	}
	return nlmsg(engine.NLMSG_ERROR, flags, h.Seq, body)
}

const (
	rtmNewLink  = 16
	rtmGetLink  = 18
	rtmGetRoute = 26
)

// testProto is the little of RTNL these tests need, so they do not depend on
// package rtnl.
var testProto = func() *engine.Protocol {
	info := engine.NewAttrSet("link_info", "IFLA_INFO_",
		&engine.AttrDesc{Name: "IFLA_INFO_KIND", Type: 1, Kind: engine.Asciiz})
	link := engine.NewAttrSet("ifla", "IFLA_",
		&engine.AttrDesc{Name: "IFLA_IFNAME", Type: 3, Kind: engine.Asciiz},
		&engine.AttrDesc{Name: "IFLA_MTU", Type: 4, Kind: engine.U32},
		&engine.AttrDesc{Name: "IFLA_LINKINFO", Type: 18, Kind: engine.Nested, Set: info})
	ifi := &engine.Class{Name: "ifinfomsg", Attrs: link, Struct: engine.NewStruct("ifinfomsg",
		engine.Field{Name: "family", Kind: engine.U8}, engine.Field{Name: "pad", Kind: engine.Pad, Size: 1},
		engine.Field{Name: "ifi_type", Kind: engine.U16}, engine.Field{Name: "index", Kind: engine.S32},
		engine.Field{Name: "flags", Kind: engine.U32}, engine.Field{Name: "change", Kind: engine.U32})}
	return (&engine.Protocol{Name: "route", Number: unix.NETLINK_ROUTE, Classes: []*engine.Class{ifi},
		Types: []*engine.MsgType{
			{Name: "RTM_NEWLINK", Type: rtmNewLink, Class: ifi, Op: engine.OpNew},
			{Name: "RTM_GETLINK", Type: rtmGetLink, Class: ifi, Op: engine.OpGet},
		}}).Build()
}()

// fed is one datagram for the collector and the group it arrived on.
type fed struct {
	data  []byte
	group uint32
}

// brief summarises a message for comparison.
type brief struct {
	Type  uint16
	Flags uint16
	Seq   uint32
}

func briefs(ms []engine.Message) []brief {
	var out []brief
	for _, m := range ms {
		out = append(out, brief{m.Header.Type, m.Header.Flags, m.Header.Seq})
	}
	return out
}

// errSummary is what the tests check of an *Error.
type errSummary struct {
	Errno    unix.Errno
	Op       string
	Msg      string
	Offset   int
	AttrPath []string
	Intr     bool
}

func summarise(t *testing.T, err error) *errSummary {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *engine.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *engine.Error", err, err)
	}
	return &errSummary{Errno: e.Errno, Op: e.Op, Msg: e.Msg, Offset: e.Offset, AttrPath: e.AttrPath,
		Intr: errors.Is(err, engine.ErrDumpInterrupted)}
}

func TestCollector(t *testing.T) {
	const seq = 7
	const multi = engine.NLM_F_MULTI
	dump := nlmsg(rtmGetLink, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, seq, ifinfomsg(0))
	get := nlmsg(rtmGetLink, engine.NLM_F_REQUEST, seq, ifinfomsg(1))
	getAck := nlmsg(rtmGetLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, seq, ifinfomsg(1))
	setMTU := nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, seq, ifinfomsg(1), attr(4, u32(10)))
	link := func(flags uint16, s uint32) []byte {
		return nlmsg(rtmNewLink, flags, s, ifinfomsg(1), attr(3, str("lo")))
	}
	done := func(s uint32, errno int32) []byte { return nlmsg(engine.NLMSG_DONE, multi, s, s32(errno)) }

	tests := []struct {
		name     string
		req      []byte
		in       []fed
		doneAt   int // index of the datagram that completes the reply; -1 = never
		want     []brief
		wantErr  *errSummary
		wantBody []byte // body of the first message, when checked
	}{
		{
			name: "dump over three datagrams",
			req:  dump,
			in: []fed{
				{data: dgram(link(multi, seq), link(multi, seq))},
				{data: dgram(link(multi, seq))},
				{data: dgram(done(seq, 0))},
			},
			doneAt:   2,
			want:     []brief{{rtmNewLink, multi, seq}, {rtmNewLink, multi, seq}, {rtmNewLink, multi, seq}},
			wantBody: append(ifinfomsg(1), attr(3, str("lo"))...),
		},
		{
			name:   "dump and DONE in one datagram",
			req:    dump,
			in:     []fed{{data: dgram(link(multi, seq), done(seq, 0))}},
			doneAt: 0,
			want:   []brief{{rtmNewLink, multi, seq}},
		},
		{
			name:   "ACK",
			req:    setMTU,
			in:     []fed{{data: dgram(errMsg(0, setMTU, true))}},
			doneAt: 0,
		},
		{
			name:   "reply then ACK",
			req:    getAck,
			in:     []fed{{data: dgram(link(0, seq))}, {data: dgram(errMsg(0, getAck, true))}},
			doneAt: 1,
			want:   []brief{{rtmNewLink, 0, seq}},
		},
		{
			name:   "single reply without ACK",
			req:    get,
			in:     []fed{{data: dgram(link(0, seq))}, {data: dgram(link(0, seq))}},
			doneAt: 0,
			want:   []brief{{rtmNewLink, 0, seq}},
		},
		{
			name: "error with extended ACK, capped",
			req:  setMTU,
			in: []fed{{data: dgram(errMsg(-int32(unix.EINVAL), setMTU, true,
				attr(1, str("mtu less than device minimum")), attr(2, u32(32))))}},
			doneAt: 0,
			wantErr: &errSummary{Errno: unix.EINVAL, Op: "RTM_NEWLINK", Msg: "mtu less than device minimum",
				Offset: 32, AttrPath: []string{"IFLA_MTU"}},
		},
		{
			name: "error with extended ACK, request echoed",
			req:  setMTU,
			in: []fed{{data: dgram(errMsg(-int32(unix.ERANGE), setMTU, false,
				attr(1, str("out of range")), attr(2, u32(36))))}},
			doneAt: 0,
			wantErr: &errSummary{Errno: unix.ERANGE, Op: "RTM_NEWLINK", Msg: "out of range",
				Offset: 36, AttrPath: []string{"IFLA_MTU"}},
		},
		{
			name:    "error without extended ACK",
			req:     setMTU,
			in:      []fed{{data: dgram(errMsg(-int32(unix.EPERM), setMTU, false))}},
			doneAt:  0,
			wantErr: &errSummary{Errno: unix.EPERM, Op: "RTM_NEWLINK", Offset: -1},
		},
		{
			name: "DONE with an error",
			req:  dump,
			in: []fed{
				{data: dgram(link(multi, seq))},
				{data: dgram(done(seq, -int32(unix.EMSGSIZE)))},
			},
			doneAt:  1,
			want:    []brief{{rtmNewLink, multi, seq}},
			wantErr: &errSummary{Errno: unix.EMSGSIZE, Op: "RTM_GETLINK", Offset: -1},
		},
		{
			name: "dump interrupted",
			req:  dump,
			in: []fed{
				{data: dgram(link(multi, seq))},
				{data: dgram(link(multi|engine.NLM_F_DUMP_INTR, seq))},
				{data: dgram(link(multi, seq), done(seq, 0))},
			},
			doneAt: 2,
			want: []brief{{rtmNewLink, multi, seq}, {rtmNewLink, multi | engine.NLM_F_DUMP_INTR, seq},
				{rtmNewLink, multi, seq}},
			wantErr: &errSummary{Op: "RTM_GETLINK", Offset: -1, Intr: true},
		},
		{
			name: "interrupted flag on DONE",
			req:  dump,
			in: []fed{
				{data: dgram(link(multi, seq), nlmsg(engine.NLMSG_DONE, multi|engine.NLM_F_DUMP_INTR, seq, s32(0)))},
			},
			doneAt:  0,
			want:    []brief{{rtmNewLink, multi, seq}},
			wantErr: &errSummary{Op: "RTM_GETLINK", Offset: -1, Intr: true},
		},
		{
			name: "foreign sequence numbers skipped",
			req:  getAck,
			in: []fed{
				{data: dgram(link(multi, seq-1), done(seq-1, 0))},
				{data: dgram(errMsg(-int32(unix.ENODEV), nlmsg(rtmGetLink, 0, seq+1), true), link(0, seq))},
				{data: dgram(errMsg(0, getAck, true))},
			},
			doneAt: 2,
			want:   []brief{{rtmNewLink, 0, seq}},
		},
		{
			name: "multicast copy with our sequence number skipped",
			req:  setMTU,
			in: []fed{
				{data: dgram(link(0, seq)), group: 1},
				{data: dgram(errMsg(0, setMTU, true))},
			},
			doneAt: 1,
		},
		{
			name:    "datagram that does not frame",
			req:     getAck,
			in:      []fed{{data: append(dgram(link(0, seq)), 0xff, 0xff)}},
			doneAt:  0,
			want:    []brief{{rtmNewLink, 0, seq}},
			wantErr: &errSummary{Op: "RTM_GETLINK", Offset: -1},
		},
		{
			name:   "incomplete",
			req:    dump,
			in:     []fed{{data: dgram(link(multi, seq))}},
			doneAt: -1,
			want:   []brief{{rtmNewLink, multi, seq}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := engine.NewCollector(testProto, tt.req)
			gotDone := -1
			for i, d := range tt.in {
				if c.Feed(d.data, d.group) {
					gotDone = i
					break
				}
			}
			if gotDone != tt.doneAt {
				t.Errorf("complete after datagram %d, want %d", gotDone, tt.doneAt)
			}
			if c.Done() != (tt.doneAt >= 0) {
				t.Errorf("Done() = %v", c.Done())
			}
			msgs, err := c.Result()
			if diff := cmp.Diff(tt.want, briefs(msgs)); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErr, summarise(t, err)); diff != "" {
				t.Errorf("error %v (-want +got):\n%s", err, diff)
			}
			if tt.wantBody != nil {
				if diff := cmp.Diff(tt.wantBody, msgs[0].Body); diff != "" {
					t.Errorf("first body (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestCollectorNilProtocol checks errors still come out, unnamed, when the
// caller has no protocol description.
func TestCollectorNilProtocol(t *testing.T) {
	req := nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, 3, ifinfomsg(1), attr(4, u32(10)))
	c := engine.NewCollector(nil, req)
	if !c.Feed(errMsg(-int32(unix.EINVAL), req, true, attr(1, str("nope")), attr(2, u32(32))), 0) {
		t.Fatal("error did not complete the reply")
	}
	_, err := c.Result()
	want := &errSummary{Errno: unix.EINVAL, Msg: "nope", Offset: 32}
	if diff := cmp.Diff(want, summarise(t, err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !errors.Is(err, unix.EINVAL) {
		t.Errorf("errors.Is(%v, EINVAL) = false", err)
	}
}

// dialNS opens a route socket in a fresh namespace.
func dialNS(t *testing.T, cfg engine.ConnConfig) (*engine.Conn, string) {
	t.Helper()
	ns := nstest.New(t)
	cfg.NetNS = ns
	c, err := engine.Dial(unix.NETLINK_ROUTE, cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c, ns
}

func linkName(t *testing.T, m engine.Message) string {
	t.Helper()
	v, ok := m.Decode(testProto).Get("IFLA_IFNAME")
	if !ok {
		t.Fatalf("link without IFLA_IFNAME: % x", m.Bytes())
	}
	return v.(string)
}

func dumpLinks(t *testing.T, c *engine.Conn) []string {
	t.Helper()
	req := nlmsg(rtmGetLink, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, 0, ifinfomsg(0))
	msgs, err := c.Request(context.Background(), testProto, req)
	if err != nil {
		t.Fatalf("RTM_GETLINK dump: %v", err)
	}
	var names []string
	for _, m := range msgs {
		if m.Header.Type != rtmNewLink {
			t.Errorf("dump returned message type %d", m.Header.Type)
		}
		names = append(names, linkName(t, m))
	}
	return names
}

func TestDumpLinksInNetNS(t *testing.T) {
	for _, byPath := range []bool{false, true} {
		t.Run("path="+strconv.FormatBool(byPath), func(t *testing.T) {
			ns := nstest.New(t)
			cfg := engine.DefaultConnConfig()
			cfg.NetNS = ns
			if byPath {
				cfg.NetNS = engine.NetNSPath(ns)
			}
			c, err := engine.Dial(unix.NETLINK_ROUTE, cfg)
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			defer c.Close()
			if c.PortID() == 0 {
				t.Error("PortID() = 0")
			}
			// A fresh namespace holds only lo: seeing exactly that proves the
			// socket is in the namespace and not the host's.
			if diff := cmp.Diff([]string{"lo"}, dumpLinks(t, c)); diff != "" {
				t.Errorf("links (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDialMissingNetNS(t *testing.T) {
	_, err := engine.Dial(unix.NETLINK_ROUTE, engine.ConnConfig{NetNS: "nlsht-does-not-exist"})
	if !errors.Is(err, unix.ENOENT) {
		t.Fatalf("Dial in a missing namespace: %v, want ENOENT", err)
	}
	if !strings.Contains(err.Error(), "/run/netns/nlsht-does-not-exist") {
		t.Errorf("error %q does not name the file", err)
	}
}

// newVeth is RTM_NEWLINK creating a veth pair named name (peer named by
// the kernel), with the given extra flags.
func newVeth(name string, flags uint16) []byte {
	return nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK|engine.NLM_F_CREATE|flags, 0,
		ifinfomsg(0), attr(3, str(name)), attr(18|engine.NLA_F_NESTED, attr(1, str("veth"))))
}

func TestRequestErrors(t *testing.T) {
	c, ns := dialNS(t, engine.DefaultConnConfig())
	ctx := context.Background()
	if _, err := c.Request(ctx, testProto, newVeth("v0", engine.NLM_F_EXCL)); err != nil {
		t.Fatalf("creating veth v0: %v", err)
	}
	if out := nstest.IP(t, ns, "-o", "link", "show", "v0"); !strings.Contains(out, "v0@") {
		t.Errorf("ip link show v0: %q", out)
	}

	t.Run("EEXIST", func(t *testing.T) {
		msgs, err := c.Request(ctx, testProto, newVeth("v0", engine.NLM_F_EXCL))
		if !errors.Is(err, unix.EEXIST) {
			t.Fatalf("creating v0 again: %v (%d messages), want EEXIST", err, len(msgs))
		}
		var e *engine.Error
		if !errors.As(err, &e) {
			t.Fatalf("%T is not *engine.Error", err)
		}
		if e.Errno != unix.EEXIST || e.Op != "RTM_NEWLINK" {
			t.Errorf("Errno %v, Op %q; want EEXIST, RTM_NEWLINK", e.Errno, e.Op)
		}
		if len(e.Request) < engine.HeaderLen || engine.ParseHeader(e.Request).Seq == 0 {
			t.Errorf("Request not kept with its sequence number: % x", e.Request)
		}
		t.Logf("kernel said: %v", err)
	})

	t.Run("extended ACK", func(t *testing.T) {
		// MTU 10 is below veth's minimum (68); the kernel explains why.
		req := nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, 0,
			ifinfomsg(0), attr(3, str("v0")), attr(4, u32(10)))
		_, err := c.Request(ctx, testProto, req)
		var e *engine.Error
		if !errors.As(err, &e) || e.Errno != unix.EINVAL {
			t.Fatalf("MTU 10: %v, want EINVAL", err)
		}
		if e.Msg == "" {
			t.Errorf("no extended-ACK message in %v", err)
		}
		t.Logf("kernel said: %v (offset %d)", err, e.Offset)
	})

	t.Run("strict check names the attribute", func(t *testing.T) {
		// A u32 attribute with no payload fails policy validation, and the
		// kernel points at it.
		req := nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, 0,
			ifinfomsg(0), attr(3, str("v0")), attr(4))
		_, err := c.Request(ctx, testProto, req)
		t.Logf("IFLA_MTU without payload: %v", err)
		var e *engine.Error
		if !errors.As(err, &e) {
			t.Fatalf("%v is not an *engine.Error", err)
		}
		if e.Offset < 0 || len(e.AttrPath) == 0 {
			t.Errorf("no offending attribute: offset %d, path %v", e.Offset, e.AttrPath)
		}
	})
}

// TestMulticast checks the notification the kernel sends about our own
// change is not taken for a reply, and is there for RecvRaw afterwards.
func TestMulticast(t *testing.T) {
	cfg := engine.DefaultConnConfig()
	cfg.Groups = []uint32{unix.RTNLGRP_LINK}
	c, _ := dialNS(t, cfg)
	req := newVeth("m0", engine.NLM_F_EXCL)
	msgs, err := c.Request(context.Background(), testProto, req)
	if err != nil || len(msgs) != 0 {
		t.Fatalf("create m0: %v, %v", briefs(msgs), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var names []string
	for len(names) < 2 {
		b, err := c.RecvRaw(ctx)
		if err != nil {
			t.Fatalf("waiting for notifications (have %v): %v", names, err)
		}
		ms, err := engine.Split(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			t.Logf("notification %s: type %d flags %#x seq %d pid %d", linkName(t, m), m.Header.Type, m.Header.Flags, m.Header.Seq, m.Header.PID)
			names = append(names, linkName(t, m))
		}
	}
	if !strings.Contains(strings.Join(names, " "), "m0") {
		t.Errorf("no notification about m0 in %v", names)
	}

	// A change made by our own request is announced to the group too.
	set := nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, 0, ifinfomsg(0), attr(3, str("m0")), attr(4, u32(1400)))
	msgs, err = c.Request(ctx, testProto, set)
	if err != nil || len(msgs) != 0 {
		t.Fatalf("set m0 mtu: %v, %v", briefs(msgs), err)
	}
	b, err := c.RecvRaw(ctx)
	if err != nil {
		t.Fatalf("notification of the MTU change: %v", err)
	}
	ms, err := engine.Split(b)
	if err != nil || len(ms) == 0 {
		t.Fatalf("notification % x: %v", b, err)
	}
	m := ms[0]
	t.Logf("notification %s: type %d flags %#x seq %d pid %d (port %d)", linkName(t, m), m.Header.Type, m.Header.Flags, m.Header.Seq, m.Header.PID, c.PortID())

	// Address notifications carry the requester's sequence number and port
	// id: only the multicast group tells them apart from a reply.
	if err := c.JoinGroup(unix.RTNLGRP_IPV4_IFADDR); err != nil {
		t.Fatal(err)
	}
	ifa := []byte{unix.AF_INET, 8, 0, 0, 1, 0, 0, 0} // family, prefixlen, flags, scope, index 1 (lo)
	addr := nlmsg(unix.RTM_NEWADDR, engine.NLM_F_REQUEST|engine.NLM_F_ACK|engine.NLM_F_CREATE|engine.NLM_F_EXCL, 0,
		ifa, attr(unix.IFA_LOCAL, []byte{10, 0, 0, 1}), attr(unix.IFA_ADDRESS, []byte{10, 0, 0, 1}))
	msgs, err = c.Request(ctx, testProto, addr)
	if err != nil || len(msgs) != 0 {
		t.Fatalf("add 10.0.0.1/8 to lo: %v, %v", briefs(msgs), err)
	}
	b, err = c.RecvRaw(ctx)
	if err != nil {
		t.Fatalf("notification of the new address: %v", err)
	}
	ms, _ = engine.Split(b)
	for _, m := range ms {
		t.Logf("address notification: type %d flags %#x seq %d pid %d (port %d)", m.Header.Type, m.Header.Flags, m.Header.Seq, m.Header.PID, c.PortID())
		if m.Header.Type != unix.RTM_NEWADDR {
			t.Errorf("address notification has type %d", m.Header.Type)
		}
	}
	if err := c.LeaveGroup(unix.RTNLGRP_LINK); err != nil {
		t.Errorf("LeaveGroup: %v", err)
	}
}

// TestENOBUFS overflows a tiny receive buffer with notifications.
func TestENOBUFS(t *testing.T) {
	cfg := engine.DefaultConnConfig()
	cfg.Groups = []uint32{unix.RTNLGRP_LINK}
	cfg.RcvBuf = 4096
	c, ns := dialNS(t, cfg)
	batch := filepath.Join(t.TempDir(), "batch")
	var b strings.Builder
	for i := range 40 {
		b.WriteString("link add e" + strconv.Itoa(i) + " type veth peer name f" + strconv.Itoa(i) + "\n")
	}
	if err := os.WriteFile(batch, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", batch)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for i := 0; ; i++ {
		_, err := c.RecvRaw(ctx)
		if errors.Is(err, unix.ENOBUFS) {
			t.Logf("ENOBUFS after %d datagrams: %v", i, err)
			break
		}
		if err != nil {
			t.Fatalf("after %d datagrams: %v, want ENOBUFS", i, err)
		}
	}
	// The socket keeps working after an overrun.
	if _, err := c.RecvRaw(ctx); err != nil {
		t.Errorf("RecvRaw after ENOBUFS: %v", err)
	}
}

// TestSetOptionCapAck watches NETLINK_CAP_ACK change the kernel's error
// replies: capped ones carry only the request's header.
func TestSetOptionCapAck(t *testing.T) {
	var mu sync.Mutex
	var last []byte
	cfg := engine.DefaultConnConfig()
	cfg.Tap = func(out bool, data []byte) {
		if !out {
			mu.Lock()
			last = append([]byte(nil), data...)
			mu.Unlock()
		}
	}
	c, _ := dialNS(t, cfg)
	req := nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, 0, ifinfomsg(999), attr(4, u32(1500)))
	for _, capAck := range []bool{true, false} {
		if err := c.SetOption(unix.NETLINK_CAP_ACK, capAck); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Request(context.Background(), testProto, req); !errors.Is(err, unix.ENODEV) {
			t.Fatalf("ifindex 999: %v, want ENODEV", err)
		}
		h := engine.ParseHeader(last)
		if got := h.Flags&engine.NLM_F_CAPPED != 0; got != capAck {
			t.Errorf("CAP_ACK %v: reply flags %#x", capAck, h.Flags)
		}
		if !capAck && int(h.Length) < engine.HeaderLen+4+len(req) {
			t.Errorf("uncapped error is %d bytes, too short to echo the %d-byte request", h.Length, len(req))
		}
	}
	if err := c.SetOption(9999, true); !errors.Is(err, unix.ENOPROTOOPT) {
		t.Errorf("SetOption(9999): %v, want ENOPROTOOPT", err)
	}
}

// TestRequestCancelledDump abandons a long dump midway; the next dump must
// not fail with EBUSY (the kernel allows one dump at a time per socket).
func TestRequestCancelledDump(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	cfg := engine.DefaultConnConfig()
	cfg.Tap = func(out bool, data []byte) {
		if !out {
			once.Do(cancel) // cancel after the first datagram of the reply
		}
	}
	c, ns := dialNS(t, cfg)
	nstest.IP(t, ns, "link", "set", "lo", "up")
	batch := filepath.Join(t.TempDir(), "batch")
	var b strings.Builder
	for i := range 2000 {
		b.WriteString("route add local 10.9." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256) + "/32 dev lo\n")
	}
	if err := os.WriteFile(batch, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", batch)

	rtmsg := make([]byte, 12)
	rtmsg[0] = unix.AF_INET
	req := nlmsg(rtmGetRoute, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, 0, rtmsg)
	msgs, err := c.Request(ctx, testProto, req)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled dump: %d messages, %v", len(msgs), err)
	}
	t.Logf("abandoned the dump after %d messages", len(msgs))
	all, err := c.Request(context.Background(), testProto, req)
	if err != nil {
		t.Fatalf("dump after an abandoned one: %v", err)
	}
	// 2000 local routes in table local, plus lo's own routes.
	if len(all) < 2000 {
		t.Errorf("dump returned %d routes, want >= 2000", len(all))
	}
}

// TestDumpLargeLink dumps a link whose message is larger than a 4 KiB
// datagram (45 long alternative names make it about 6 KiB): the kernel
// leaves such a message out of a dump, silently, unless the socket reads
// with a buffer large enough for it.
func TestDumpLargeLink(t *testing.T) {
	c, ns := dialNS(t, engine.DefaultConnConfig())
	bigLink(t, ns)
	names := dumpLinks(t, c)
	if !slices.Contains(names, "big0") {
		t.Errorf("the dump lists %v, without big0", names)
	}
}

// bigLink makes veth big0 (and its peer big1) with 45 long alternative
// names: its RTM_NEWLINK is about 6 KiB.
func bigLink(t *testing.T, ns string) {
	t.Helper()
	nstest.IP(t, ns, "link", "add", "big0", "type", "veth", "peer", "name", "big1")
	for i := range 45 {
		nstest.IP(t, ns, "link", "property", "add", "dev", "big0", "altname", fmt.Sprintf("a%03d%s", i, strings.Repeat("x", 96)))
	}
}
