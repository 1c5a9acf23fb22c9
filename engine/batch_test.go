package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// newRoute is RTM_NEWROUTE for the blackhole route 10.a.b.0/24 (a
// blackhole needs no device), with NLM_F_EXCL so that adding it twice
// fails with EEXIST. It asks for no ACK: a Batch sets NLM_F_ACK itself.
func newRoute(a, b byte) []byte {
	rtm := []byte{unix.AF_INET, 24, 0, 0, unix.RT_TABLE_MAIN, unix.RTPROT_BOOT, unix.RT_SCOPE_UNIVERSE, unix.RTN_BLACKHOLE, 0, 0, 0, 0}
	return nlmsg(unix.RTM_NEWROUTE, engine.NLM_F_REQUEST|engine.NLM_F_CREATE|engine.NLM_F_EXCL, 0,
		rtm, attr(unix.RTA_DST, []byte{10, a, b, 0}))
}

// acked is req with NLM_F_ACK, for Request, which waits for the ACK.
func acked(req []byte) []byte {
	h := engine.ParseHeader(req)
	h.Flags |= engine.NLM_F_ACK
	h.Put(req)
	return req
}

// countRoutes dumps table main and counts its routes.
func countRoutes(t *testing.T, c *engine.Conn) int {
	t.Helper()
	rtm := []byte{unix.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	msgs, err := c.Request(context.Background(), testProto, nlmsg(unix.RTM_GETROUTE, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, 0, rtm))
	if err != nil {
		t.Fatalf("route dump: %v", err)
	}
	return len(msgs)
}

// TestBatch streams 3,000 requests (two dozen datagrams) through a Batch,
// three of them failing, one too short to send, on a socket that also
// hears the route group: every request gets its own result, the failures
// name their own requests, the routes are all there, and the notifications
// the batch caused wait for RecvRaw.
func TestBatch(t *testing.T) {
	cfg := engine.DefaultConnConfig()
	cfg.Groups = []uint32{unix.RTNLGRP_IPV4_ROUTE}
	cfg.RcvBuf = 8 << 20
	c, _ := dialNS(t, cfg)
	b := c.Batch(context.Background(), testProto)
	const n = 3000
	dups := map[int]bool{700: true, 1500: true, 2999: true}
	short := 1234
	// Requests whose nlmsg_len disagrees with their size: two messages in
	// one, and one claiming more bytes than it has.
	bad := map[int][]byte{1800: append(newRoute(250, 1), newRoute(250, 2)...), 1801: newRoute(250, 3)[:30],
		1802: nlmsg(unix.RTM_GETROUTE, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, 0, make([]byte, 12))}
	var reqs [][]byte
	for i := range n {
		var r []byte
		switch {
		case dups[i]:
			r = newRoute(0, byte(i%7)) // added at i%7 already
		case i == short:
			r = []byte{1, 2, 3}
		case bad[i] != nil:
			r = bad[i]
		default:
			r = newRoute(byte(i/256), byte(i%256))
		}
		reqs = append(reqs, r)
		idx, err := b.Add(r)
		if err != nil || idx != i {
			t.Fatalf("Add %d: index %d, %v", i, idx, err)
		}
	}
	if b.Len() != n {
		t.Errorf("Len = %d, want %d", b.Len(), n)
	}
	errs, err := b.Wait()
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if len(errs) != n {
		t.Fatalf("%d results for %d requests", len(errs), n)
	}
	for i, e := range errs {
		switch {
		case dups[i]:
			var ne *engine.Error
			if !errors.As(e, &ne) || ne.Errno != unix.EEXIST {
				t.Errorf("request %d: %v, want EEXIST", i, e)
				continue
			}
			// The error carries the request as sent: its own destination,
			// with the sequence number and NLM_F_ACK filled in.
			if got := ne.Request; len(got) != len(reqs[i]) || string(got[16:]) != string(reqs[i][16:]) {
				t.Errorf("request %d: error names request % x, want % x", i, got, reqs[i])
			}
			if h := engine.ParseHeader(ne.Request); h.Seq == 0 || h.Flags&engine.NLM_F_ACK == 0 {
				t.Errorf("request %d: sent header %+v", i, h)
			}
		case i == short:
			if e == nil || !strings.Contains(e.Error(), "shorter than") {
				t.Errorf("short request: %v", e)
			}
		case bad[i] != nil:
			if e == nil || !strings.Contains(e.Error(), "one message per request") && !strings.Contains(e.Error(), "a dump cannot go in a batch") {
				t.Errorf("request %d (%d bytes, refused before sending): %v", i, len(bad[i]), e)
			}
		case e != nil:
			t.Errorf("request %d: %v", i, e)
		}
	}
	if got, want := countRoutes(t, c), n-len(dups)-len(bad)-1; got != want {
		t.Errorf("%d routes in table main, want %d", got, want)
	}
	// The route group heard about the adds: those datagrams were kept.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	note, err := c.RecvRaw(ctx)
	if err != nil {
		t.Fatalf("no notification kept: %v", err)
	}
	if ms, _ := engine.Split(note); len(ms) == 0 || ms[0].Header.Type != unix.RTM_NEWROUTE {
		t.Errorf("kept notification % x", note)
	}

	// Finished, the batch refuses more; the socket serves requests again.
	if _, err := b.Add(newRoute(200, 0)); err == nil {
		t.Error("Add after Wait succeeded")
	}
	if _, err := c.Request(context.Background(), testProto, acked(newRoute(200, 1))); err != nil {
		t.Errorf("Request after the batch: %v", err)
	}
}

// TestBatchCancel cancels a batch's context half-way: Add and Wait report
// it, and the socket still serves requests afterwards.
func TestBatchCancel(t *testing.T) {
	c, _ := dialNS(t, engine.DefaultConnConfig())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := c.Batch(ctx, testProto)
	var addErr error
	for i := range 5000 {
		if i == 1000 {
			cancel()
		}
		if _, addErr = b.Add(newRoute(byte(i/256), byte(i%256))); addErr != nil {
			break
		}
	}
	_, err := b.Wait()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Wait after cancel: %v (Add said %v)", err, addErr)
	}
	if got := countRoutes(t, c); got < 1 || got > 5000 {
		t.Errorf("%d routes after a cancelled batch", got)
	}
	if _, err := c.Request(context.Background(), testProto, acked(newRoute(250, 0))); err != nil {
		t.Errorf("Request after the cancelled batch: %v", err)
	}
}

// TestRequestBatch checks the list form on the same namespace helper.
func TestRequestBatch(t *testing.T) {
	c, ns := dialNS(t, engine.DefaultConnConfig())
	reqs := [][]byte{newRoute(1, 1), newRoute(1, 2), newRoute(1, 1)}
	errs, err := c.RequestBatch(context.Background(), testProto, reqs)
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || errs[1] != nil || !errors.Is(errs[2], unix.EEXIST) {
		t.Errorf("results %v", errs)
	}
	if out := nstest.IP(t, ns, "route", "show", "type", "blackhole"); strings.Count(out, "\n") != 2 {
		t.Errorf("ip route show: %q", out)
	}
}

// TestBatchLargeReply batches a request whose reply is larger than the room
// kept for an acknowledgement (RTM_GETLINK of a 6 KiB link, with NLM_F_ACK):
// the cut reply is passed over and the request succeeds on its ACK.
func TestBatchLargeReply(t *testing.T) {
	c, ns := dialNS(t, engine.DefaultConnConfig())
	bigLink(t, ns)
	get := nlmsg(rtmGetLink, engine.NLM_F_REQUEST, 0, ifinfomsg(0), attr(unix.IFLA_IFNAME, str("big0")))
	errs, err := c.RequestBatch(context.Background(), testProto, [][]byte{get, get})
	if err != nil || errs[0] != nil || errs[1] != nil {
		t.Errorf("batched RTM_GETLINK of big0: %v, %v", errs, err)
	}
}

// TestBatchCutNotification: a notification larger than the room a batch
// keeps per acknowledgement (the 6 KiB RTM_NEWLINK of a link with many
// names, heard on the link group while the batch changes that link) cannot
// be kept whole, so RecvRaw reports it lost (ENOBUFS) rather than handing
// out a cut message.
func TestBatchCutNotification(t *testing.T) {
	cfg := engine.DefaultConnConfig()
	cfg.Groups = []uint32{unix.RTNLGRP_LINK}
	c, ns := dialNS(t, cfg)
	bigLink(t, ns)
	// The notifications of making big0 come first: read them all.
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		_, err := c.RecvRaw(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatalf("reading the setup's notifications: %v", err)
		}
	}
	setMTU := nlmsg(rtmNewLink, engine.NLM_F_REQUEST, 0, ifinfomsg(0), attr(unix.IFLA_IFNAME, str("big0")), attr(unix.IFLA_MTU, u32(1400)))
	errs, err := c.RequestBatch(context.Background(), testProto, [][]byte{setMTU})
	if err != nil || errs[0] != nil {
		t.Fatalf("batched mtu change: %v, %v", errs, err)
	}
	rctx, rcancel := context.WithTimeout(context.Background(), time.Second)
	defer rcancel()
	for {
		b, err := c.RecvRaw(rctx)
		if errors.Is(err, unix.ENOBUFS) {
			return
		}
		if err != nil {
			t.Fatalf("no ENOBUFS for the cut notification: %v", err)
		}
		if ms, _ := engine.Split(b); len(ms) > 0 && linkName(t, ms[0]) == "big0" {
			t.Fatalf("a %d-byte notification about big0 was handed out", len(b))
		}
	}
}
