package engine_test

import (
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nltest"
)

// These tests exchange messages with package nltest's fake kernel: they
// judge nlsh's own logic (numbering, collecting, buffers, errors) and need
// no root. What only the kernel can judge stays in the namespace tests.

// dialFake opens a Conn to a fake kernel answering with h.
func dialFake(t *testing.T, cfg engine.ConnConfig, h nltest.Handler) (*engine.Conn, *nltest.Kernel) {
	t.Helper()
	k := nltest.Start(t, h)
	c, err := k.Dial(unix.NETLINK_ROUTE, cfg)
	if err != nil {
		t.Fatalf("fake Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c, k
}

// fakeLink is an RTM_NEWLINK body naming a link, with n bytes of padding
// in an IFLA_MTU-free attribute (IFLA_IFALIAS, 20) to make it large.
func fakeLink(index int32, name string, n int) []byte {
	b := append(ifinfomsg(index), attr(3, str(name))...)
	if n > 0 {
		b = append(b, attr(20, make([]byte, n))...)
	}
	return b
}

// linkDumper answers an RTM_GETLINK dump with the given datagrams of link
// names, then NLMSG_DONE with doneFlags in a datagram of its own; a get of
// a single link with that link; changes with their ACK.
func linkDumper(parts [][]string, doneFlags uint16) nltest.Handler {
	return func(r nltest.Request) [][]byte {
		var out [][]byte
		for _, m := range r.Messages {
			switch {
			case m.Header.Type == rtmGetLink && m.Header.Flags&engine.NLM_F_DUMP == engine.NLM_F_DUMP:
				for _, names := range parts {
					var bodies [][]byte
					for i, n := range names {
						bodies = append(bodies, fakeLink(int32(i+1), n, 0))
					}
					out = append(out, nltest.Multi(m, rtmNewLink, 0, bodies...))
				}
				out = append(out, nltest.Done(m, doneFlags))
			case m.Header.Type == rtmGetLink:
				out = append(out, nltest.Reply(m, rtmNewLink, 0, fakeLink(1, "lo", 0)))
			case m.Header.Flags&engine.NLM_F_ACK != 0:
				out = append(out, nltest.Ack(m))
			}
		}
		return out
	}
}

func TestFakeRequestAck(t *testing.T) {
	for _, p := range []*engine.Protocol{testProto, ackProto} {
		t.Run("AckOnly="+strconv.FormatBool(p.AckOnly), func(t *testing.T) {
			c, k := dialFake(t, engine.DefaultConnConfig(), nil)
			for i := range 3 {
				msgs, err := c.Request(context.Background(), p, setMTU(uint32(1500+i)))
				if err != nil || len(msgs) != 0 {
					t.Fatalf("change %d: %v, %v", i, briefs(msgs), err)
				}
			}
			got := k.Requests()
			if len(got) != 3 {
				t.Fatalf("the kernel saw %d datagrams, want 3", len(got))
			}
			for i, r := range got {
				h := r.Messages[0].Header
				if h.Seq != uint32(i+1) || h.PID != c.PortID() || r.Port != c.PortID() {
					t.Errorf("request %d: seq %d pid %d (port %d); want seq %d pid %d", i, h.Seq, h.PID, r.Port, i+1, c.PortID())
				}
			}
		})
	}
}

func TestFakeErrorExtAck(t *testing.T) {
	// The request's IFLA_MTU starts at byte 16+16 = 32 of the message.
	c, _ := dialFake(t, engine.DefaultConnConfig(), func(r nltest.Request) [][]byte {
		return [][]byte{nltest.Error(r.Messages[0], unix.EINVAL, nltest.ExtAck{Msg: "MTU too small", Offset: 32})}
	})
	for _, p := range []*engine.Protocol{testProto, ackProto} {
		req := nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, 0, ifinfomsg(1), attr(4, u32(10)))
		_, err := c.Request(context.Background(), p, req)
		want := &errSummary{Errno: unix.EINVAL, Op: "RTM_NEWLINK", Msg: "MTU too small", Offset: 32, AttrPath: []string{"IFLA_MTU"}}
		if diff := cmp.Diff(want, summarise(t, err)); diff != "" {
			t.Errorf("AckOnly %v: (-want +got):\n%s", p.AckOnly, diff)
		}
		if !errors.Is(err, unix.EINVAL) {
			t.Errorf("errors.Is(%v, EINVAL) = false", err)
		}
		var e *engine.Error
		if errors.As(err, &e) && (len(e.Request) < engine.HeaderLen || engine.ParseHeader(e.Request).Seq == 0) {
			t.Errorf("Request not kept with its sequence number: % x", e.Request)
		}
	}

	// Capped, without extended ACK: the errno alone.
	c, _ = dialFake(t, engine.DefaultConnConfig(), func(r nltest.Request) [][]byte {
		return [][]byte{nltest.Error(r.Messages[0], unix.ENODEV, nltest.ExtAck{Capped: true})}
	})
	_, err := c.Request(context.Background(), testProto, setMTU(1500))
	if diff := cmp.Diff(&errSummary{Errno: unix.ENODEV, Op: "RTM_NEWLINK", Offset: -1}, summarise(t, err)); diff != "" {
		t.Errorf("capped ENODEV (-want +got):\n%s", diff)
	}
}

func TestFakeDumpMultiDatagram(t *testing.T) {
	parts := [][]string{{"lo", "eth0"}, {"eth1"}, {"eth2", "eth3", "eth4"}}
	c, _ := dialFake(t, engine.DefaultConnConfig(), linkDumper(parts, 0))
	want := slices.Concat(parts...)
	for range 2 {
		if diff := cmp.Diff(want, dumpLinks(t, c)); diff != "" {
			t.Errorf("links (-want +got):\n%s", diff)
		}
	}
}

func TestFakeDumpInterrupted(t *testing.T) {
	c, _ := dialFake(t, engine.DefaultConnConfig(), linkDumper([][]string{{"lo"}, {"eth0"}}, engine.NLM_F_DUMP_INTR))
	req := nlmsg(rtmGetLink, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, 0, ifinfomsg(0))
	msgs, err := c.Request(context.Background(), testProto, req)
	if !errors.Is(err, engine.ErrDumpInterrupted) {
		t.Fatalf("interrupted dump: %v, want ErrDumpInterrupted", err)
	}
	if len(msgs) != 2 {
		t.Errorf("an interrupted dump returned %d messages, want all 2", len(msgs))
	}
	// The socket is in step after it.
	if _, err := c.Request(context.Background(), testProto, nlmsg(rtmGetLink, engine.NLM_F_REQUEST, 0, ifinfomsg(1))); err != nil {
		t.Errorf("get after an interrupted dump: %v", err)
	}
}

// A reply larger than the 32 KiB scratch buffer is read whole, in a dump
// and alone.
func TestFakeLargeReply(t *testing.T) {
	const big = 100 << 10
	c, _ := dialFake(t, engine.DefaultConnConfig(), func(r nltest.Request) [][]byte {
		m := r.Messages[0]
		if m.Header.Flags&engine.NLM_F_DUMP == engine.NLM_F_DUMP {
			return [][]byte{
				nltest.Multi(m, rtmNewLink, 0, fakeLink(1, "lo", 0)),
				nltest.Multi(m, rtmNewLink, 0, fakeLink(2, "big0", big)),
				nltest.Done(m, 0),
			}
		}
		return [][]byte{nltest.Reply(m, rtmNewLink, 0, fakeLink(2, "big0", big))}
	})
	if diff := cmp.Diff([]string{"lo", "big0"}, dumpLinks(t, c)); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	msgs, err := c.Request(context.Background(), testProto, nlmsg(rtmGetLink, engine.NLM_F_REQUEST, 0, ifinfomsg(2)))
	if err != nil || len(msgs) != 1 {
		t.Fatalf("get big0: %v, %d messages", err, len(msgs))
	}
	if n := len(msgs[0].Body); n < big {
		t.Errorf("big0's reply has %d bytes of body, want > %d", n, big)
	}
}

// bigEcho answers every change with an error echoing all of it: larger
// than the 32 KiB an acknowledgement is read with when the change is.
func bigEcho(r nltest.Request) [][]byte {
	var out [][]byte
	for _, m := range r.Messages {
		if m.Header.Flags&engine.NLM_F_ACK == 0 {
			continue
		}
		if len(m.Body) > 32<<10 {
			out = append(out, nltest.Error(m, unix.ERANGE, nltest.ExtAck{}))
		} else {
			out = append(out, nltest.Ack(m))
		}
	}
	return out
}

// A change read without a peek can still meet a late reply larger than
// the buffer: the answer to an earlier request no one awaits any more. It
// is passed over; one with the change's own number is an error, not a
// loss.
func TestFakeAckOnlyLargeLateReply(t *testing.T) {
	c, _ := dialFake(t, engine.DefaultConnConfig(), bigEcho)
	ctx := context.Background()
	if err := c.Send(bigBadRequest(7777)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Request(ctx, ackProto, setMTU(1500)); err != nil {
		t.Fatalf("change after a late 40 KiB reply: %v", err)
	}
	if _, err := c.Request(ctx, ackProto, setMTU(1400)); err != nil {
		t.Fatalf("the socket is out of step after it: %v", err)
	}

	if err := c.Send(bigBadRequest(8888)); err != nil {
		t.Fatal(err)
	}
	req := setMTU(1500)
	engine.Header{Length: uint32(len(req)), Type: rtmNewLink, Flags: engine.NLM_F_REQUEST | engine.NLM_F_ACK, Seq: 8888}.Put(req)
	_, err := c.Request(ctx, ackProto, req)
	if err == nil || !strings.Contains(err.Error(), "cut to") {
		t.Fatalf("a reply too large with the change's own number: %v, want an error saying it was cut", err)
	}
}

// Replies with an old sequence number, late answers to requests given up
// on, are skipped, alone in their datagram or beside the awaited reply.
func TestFakeStaleReplySkipped(t *testing.T) {
	c, k := dialFake(t, engine.DefaultConnConfig(), func(r nltest.Request) [][]byte {
		m := r.Messages[0]
		old := m
		old.Header.Seq = 4000
		return [][]byte{
			nltest.Reply(old, rtmNewLink, 0, fakeLink(9, "stale", 0)),
			nltest.Datagram(nltest.Reply(old, rtmNewLink, 0, fakeLink(9, "stale", 0)), nltest.Reply(m, rtmNewLink, 0, fakeLink(1, "lo", 0))),
		}
	})
	msgs, err := c.Request(context.Background(), testProto, nlmsg(rtmGetLink, engine.NLM_F_REQUEST, 0, ifinfomsg(1)))
	if err != nil || len(msgs) != 1 || linkName(t, msgs[0]) != "lo" {
		t.Fatalf("get lo past stale replies: %v, %v", briefs(msgs), err)
	}
	if n := len(k.Requests()); n != 1 {
		t.Errorf("the kernel saw %d datagrams, want 1", n)
	}
}

func TestFakeRequestTapAndSequence(t *testing.T) {
	var (
		mu   sync.Mutex
		sent [][]byte
		recv [][]byte
	)
	cfg := engine.DefaultConnConfig()
	cfg.Tap = func(out bool, data []byte) {
		mu.Lock()
		defer mu.Unlock()
		d := append([]byte(nil), data...)
		if out {
			sent = append(sent, d)
		} else {
			recv = append(recv, d)
		}
	}
	c, _ := dialFake(t, cfg, linkDumper([][]string{{"lo"}}, 0))
	req := nlmsg(rtmGetLink, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, 0, ifinfomsg(0))
	orig := append([]byte(nil), req...)
	for i := 1; i <= 2; i++ {
		msgs, err := c.Request(context.Background(), testProto, req)
		if err != nil {
			t.Fatal(err)
		}
		if got := engine.ParseHeader(sent[i-1]); got.Seq != uint32(i) || got.PID != c.PortID() {
			t.Errorf("request %d went out with seq %d pid %d; want %d, %d", i, got.Seq, got.PID, i, c.PortID())
		}
		for _, m := range msgs {
			if m.Header.Seq != uint32(i) {
				t.Errorf("reply seq %d, want %d", m.Header.Seq, i)
			}
		}
	}
	if diff := cmp.Diff(orig, req); diff != "" {
		t.Errorf("Request modified the caller's bytes (-want +got):\n%s", diff)
	}
	// A sequence number the caller chose is kept.
	binary.LittleEndian.PutUint32(req[8:], 4242)
	msgs, err := c.Request(context.Background(), testProto, req)
	if err != nil || len(msgs) != 1 || msgs[0].Header.Seq != 4242 {
		t.Errorf("caller's seq: %v, %v", briefs(msgs), err)
	}
	if len(recv) != 6 {
		t.Errorf("tap saw %d received datagrams, want 6 (a part and DONE for each dump)", len(recv))
	}
}

// A request reads its acknowledgement in place, in a buffer every read
// reuses: what a request returns (replies, an error and the reply inside
// it) must be its own, unchanged by the requests that follow.
func TestFakeRequestResultsOutliveNextRead(t *testing.T) {
	dump := linkDumper([][]string{{"lo", "eth0"}}, 0)
	c, _ := dialFake(t, engine.DefaultConnConfig(), func(r nltest.Request) [][]byte {
		m := r.Messages[0]
		if m.Header.Type == rtmNewLink && len(m.Body) == 16+4 { // IFLA_MTU without payload
			return [][]byte{nltest.Error(m, unix.ERANGE, nltest.ExtAck{Msg: "Attribute failed policy validation", Offset: 32})}
		}
		return dump(r)
	})
	ctx := context.Background()
	getLo := nlmsg(rtmGetLink, engine.NLM_F_REQUEST, 0, ifinfomsg(1))
	msgs, err := c.Request(ctx, testProto, getLo)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("get lo: %v, %d messages", err, len(msgs))
	}
	reply := append([]byte(nil), msgs[0].Body...)
	noMTU := nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, 0, ifinfomsg(1), attr(4))
	_, failed := c.Request(ctx, testProto, noMTU)
	var e *engine.Error
	if !errors.As(failed, &e) || e.Errno != unix.ERANGE || e.Reply == nil || e.Msg == "" {
		t.Fatalf("IFLA_MTU without payload: %v, want ERANGE with the kernel's reply and message", failed)
	}
	text, msg, req := failed.Error(), e.Msg, append([]byte(nil), e.Request...)
	for range 20 {
		if _, err := c.Request(ctx, ackProto, setMTU(65536)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Request(ctx, testProto, nlmsg(rtmGetLink, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, 0, ifinfomsg(0))); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(msgs[0].Body, reply) {
		t.Errorf("get lo's reply changed under later reads")
	}
	if failed.Error() != text || e.Msg != msg || !slices.Equal(e.Request, req) {
		t.Errorf("the error changed under later reads: %q, was %q", failed.Error(), text)
	}
}

func TestFakeRecvRawCancel(t *testing.T) {
	c, _ := dialFake(t, engine.DefaultConnConfig(), linkDumper([][]string{{"lo"}}, 0))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	b, err := c.RecvRaw(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("RecvRaw = %q, %v; want context.Canceled", b, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("RecvRaw returned %v after cancel", d)
	}

	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := c.RecvRaw(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("RecvRaw with a deadline: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("RecvRaw returned %v after its deadline", d)
	}

	// The socket still works after both.
	if diff := cmp.Diff([]string{"lo"}, dumpLinks(t, c)); diff != "" {
		t.Errorf("links after cancellation (-want +got):\n%s", diff)
	}
}

// A request the kernel never answers fails after the idle bound.
func TestFakeIdle(t *testing.T) {
	cfg := engine.DefaultConnConfig()
	cfg.Idle = 50 * time.Millisecond
	c, _ := dialFake(t, cfg, func(nltest.Request) [][]byte { return nil })
	start := time.Now()
	_, err := c.Request(context.Background(), testProto, setMTU(1500))
	var idle *engine.IdleError
	if !errors.As(err, &idle) || !errors.Is(err, unix.ETIMEDOUT) {
		t.Fatalf("unanswered request: %v, want an IdleError (ETIMEDOUT)", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %v", d)
	}
}

// A guard's refusal sends nothing.
func TestFakeGuardSendsNothing(t *testing.T) {
	refused := errors.New("read-only")
	cfg := engine.DefaultConnConfig()
	cfg.Guard = func(m *engine.Message) error {
		if m.Header.Type == rtmNewLink {
			return refused
		}
		return nil
	}
	c, k := dialFake(t, cfg, nil)
	if _, err := c.Request(context.Background(), testProto, setMTU(1500)); !errors.Is(err, refused) {
		t.Fatalf("guarded change: %v, want the guard's error", err)
	}
	if n := len(k.Requests()); n != 0 {
		t.Errorf("the kernel saw %d datagrams, want none", n)
	}
}

// A notification the kernel sends unasked is there for RecvRaw.
func TestFakeNotify(t *testing.T) {
	c, k := dialFake(t, engine.DefaultConnConfig(), nil)
	note := nltest.Reply(engine.Message{}, rtmNewLink, 0, fakeLink(5, "n0", 0))
	if err := k.Notify(unix.NETLINK_ROUTE, note); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	b, err := c.RecvRaw(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b, note) {
		t.Errorf("RecvRaw = % x, want % x", b, note)
	}
}
