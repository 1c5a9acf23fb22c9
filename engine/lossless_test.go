package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// lying is an RTM_GETLINK of one link whose header says it is 8 bytes
// longer than it is: the kernel drops it without a word.
func lying() []byte {
	req := nlmsg(rtmGetLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, 0, ifinfomsg(1))
	h := engine.ParseHeader(req)
	h.Length += 8
	h.Put(req)
	return req
}

// TestRequestIdle: a request the kernel drops fails once no reply has come
// for the idle bound, whether the bound is the Conn's or the request's,
// and says what happened; a request with no bound is ended only by ctx.
func TestRequestIdle(t *testing.T) {
	cfg := engine.DefaultConnConfig()
	cfg.Idle = 150 * time.Millisecond
	c, _ := dialNS(t, cfg)
	ctx := context.Background()
	tests := []struct {
		name string
		opt  engine.RequestOptions
		want string
	}{
		{"conn's bound", engine.RequestOptions{}, "RTM_GETLINK: no reply from the kernel for 0.15 s (the request may have been dropped: check its length)"},
		{"request's bound", engine.RequestOptions{Idle: 50 * time.Millisecond}, "RTM_GETLINK: no reply from the kernel for 0.05 s (the request may have been dropped: check its length)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := c.RequestWith(ctx, testProto, lying(), tt.opt)
			if err == nil {
				t.Fatal("a dropped request succeeded")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error %q, want %q", got, tt.want)
			}
			if !errors.Is(err, unix.ETIMEDOUT) {
				t.Errorf("errors.Is(%v, ETIMEDOUT) = false", err)
			}
			var ie *engine.IdleError
			if !errors.As(err, &ie) {
				t.Errorf("%v is no *IdleError", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	// The socket still works, and a bound is a gap, not a total: a dump
	// outlasting it is whole.
	if diff := cmp.Diff([]string{"lo"}, dumpLinks(t, c)); diff != "" {
		t.Errorf("links after idle errors (-want +got):\n%s", diff)
	}
	t.Run("no bound", func(t *testing.T) {
		cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		_, err := c.RequestWith(cctx, testProto, lying(), engine.RequestOptions{Idle: -1})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v, want ctx's", err)
		}
	})
	t.Run("stream", func(t *testing.T) {
		st, err := c.StreamWith(ctx, testProto, lying(), engine.RequestOptions{Idle: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		_, ok, err := st.Next(ctx)
		if ok || !errors.Is(err, unix.ETIMEDOUT) {
			t.Errorf("Next = %v, %v; want an idle error", ok, err)
		}
	})
}

// TestListener: a Listener keeps notifications read ahead of a consumer
// that does not read for a while, past what the kernel's buffer holds,
// and reports the ones it had to drop where they were dropped.
func TestListener(t *testing.T) {
	cfg := engine.DefaultConnConfig()
	cfg.Groups = []uint32{unix.RTNLGRP_LINK}
	cfg.RcvBuf = 16 << 10 // the kernel's buffer holds a dozen
	tests := []struct {
		name    string
		backlog int
		overrun bool
	}{
		{"room", 0, false},
		{"backlog full", 3000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ns := dialNS(t, cfg)
			l := c.Listen(tt.backlog)
			defer l.Close()
			if tt.overrun {
				addLinks(t, ns, 20)
			} else {
				// One pair at a time: what the listener must read ahead
				// of the consumer is the 40 links, not a burst faster
				// than a loaded machine schedules its goroutine (one
				// batch of 20 pairs overran the 16 KiB now and then).
				for i := range 20 {
					nstest.IP(t, ns, "link", "add", "e"+strconv.Itoa(i), "type", "veth", "peer", "name", "f"+strconv.Itoa(i))
				}
			}
			time.Sleep(100 * time.Millisecond) // the consumer is busy
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			links, overruns := 0, 0
			for {
				b, err := l.Next(ctx)
				if errors.Is(err, context.DeadlineExceeded) {
					break
				}
				if errors.Is(err, unix.ENOBUFS) {
					overruns++
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				msgs, _ := engine.Split(b)
				for _, m := range msgs {
					if m.Header.Type == rtmNewLink {
						links++
					}
				}
			}
			t.Logf("%d link notifications, %d overruns", links, overruns)
			if tt.overrun {
				if overruns == 0 || links >= 40 {
					t.Errorf("%d notifications, %d overruns: want losses reported", links, overruns)
				}
				return
			}
			// Each veth pair is two links, each announced at least once.
			if overruns != 0 || links < 40 {
				t.Errorf("%d notifications, %d overruns: want every one of 40 links, no overrun", links, overruns)
			}
		})
	}
}

// addLinks adds n veth pairs in ns with one ip -batch.
func addLinks(t *testing.T, ns string, n int) {
	t.Helper()
	batch := filepath.Join(t.TempDir(), "batch")
	var b strings.Builder
	for i := range n {
		b.WriteString("link add e" + strconv.Itoa(i) + " type veth peer name f" + strconv.Itoa(i) + "\n")
	}
	if err := os.WriteFile(batch, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", batch)
}

// TestListenerClose: closing a Listener ends a Next that waits, and the
// ones after it.
func TestListenerClose(t *testing.T) {
	cfg := engine.DefaultConnConfig()
	cfg.Groups = []uint32{unix.RTNLGRP_LINK}
	c, _ := dialNS(t, cfg)
	l := c.Listen(0)
	go func() {
		time.Sleep(50 * time.Millisecond)
		l.Close()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := l.Next(ctx); err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Next on a closed listener: %v", err)
	}
	if _, err := l.Next(ctx); err == nil {
		t.Error("Next after the end: no error")
	}
}

// TestBatchAppliedOnCancel: a batch cut short by its context reports how
// many requests the kernel applied, exactly: as many as the routes there.
func TestBatchAppliedOnCancel(t *testing.T) {
	c, _ := dialNS(t, engine.DefaultConnConfig())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := c.Batch(ctx, testProto)
	const n = 20000
	for i := range n {
		if i == n/2 {
			cancel()
		}
		if _, err := b.Add(newRoute(byte(100+i/256), byte(i%256))); err != nil {
			break
		}
	}
	errs, err := b.Wait()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait: %v, want context.Canceled", err)
	}
	for i, e := range errs {
		if e != nil {
			t.Fatalf("request %d: %v", i, e)
		}
	}
	applied := b.Applied()
	got := countRoutes(t, c)
	t.Logf("%d of %d applied before the cancel took effect; %d routes", applied, n, got)
	if applied != got || applied == 0 || applied >= n {
		t.Errorf("Applied() = %d, routes in the table %d (of %d sent)", applied, got, n)
	}
}
