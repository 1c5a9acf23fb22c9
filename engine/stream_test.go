package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// routeNS is a namespace with n local routes in table local.
func routeNS(t *testing.T, c *engine.Conn, ns string, n int) {
	t.Helper()
	nstest.IP(t, ns, "link", "set", "lo", "up")
	batch := filepath.Join(t.TempDir(), "batch")
	var b strings.Builder
	for i := range n {
		b.WriteString("route add local 10.9." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256) + "/32 dev lo\n")
	}
	if err := os.WriteFile(batch, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", batch)
}

func routeDump() []byte {
	rtmsg := make([]byte, 12)
	rtmsg[0] = unix.AF_INET
	return nlmsg(rtmGetRoute, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, 0, rtmsg)
}

// TestStream walks a dump as it arrives: the same messages as Request,
// while a request on the same socket is refused instead of waiting for
// ever; a stream closed half way is drained by the next request.
func TestStream(t *testing.T) {
	c, ns := dialNS(t, engine.DefaultConnConfig())
	routeNS(t, c, ns, 3000)
	ctx := context.Background()
	all, err := c.Request(ctx, testProto, routeDump())
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Stream(ctx, testProto, routeDump())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		m, ok, err := s.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if m.Header.Type != rtmGetRoute-2 || string(m.Body) != string(all[n].Body) {
			t.Fatalf("message %d differs from the listed dump's", n)
		}
		n++
		if n == 10 {
			if _, err := c.Request(ctx, testProto, routeDump()); !errors.Is(err, engine.ErrStreamOpen) {
				t.Fatalf("request during a stream: %v, want ErrStreamOpen", err)
			}
		}
	}
	if n != len(all) {
		t.Errorf("streamed %d messages, listed %d", n, len(all))
	}

	s, err = c.Stream(ctx, testProto, routeDump())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Next(ctx); !ok || err != nil {
		t.Fatalf("first message: %v %v", ok, err)
	}
	s.Close()
	again, err := c.Request(ctx, testProto, routeDump())
	if err != nil || len(again) != len(all) {
		t.Fatalf("dump after a closed stream: %d messages, %v", len(again), err)
	}
}

// TestStreamError: a request the kernel refuses ends its stream with the
// error and no message.
func TestStreamError(t *testing.T) {
	c, _ := dialNS(t, engine.DefaultConnConfig())
	req := nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, 0, ifinfomsg(999))
	s, err := c.Stream(context.Background(), testProto, req)
	if err != nil {
		t.Fatal(err)
	}
	_, ok, err := s.Next(context.Background())
	if ok || !errors.Is(err, unix.ENODEV) && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.EOPNOTSUPP) {
		t.Fatalf("Next: ok=%v err=%v, want the kernel's refusal", ok, err)
	}
	if _, err := c.Request(context.Background(), testProto, routeDump()); err != nil {
		t.Fatalf("request after an ended stream: %v", err)
	}
}
