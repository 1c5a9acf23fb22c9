package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"nlsh/engine"
	"nlsh/engine/nstest"
	"nlsh/rtnl"
)

// TestEchoNotQueued: the echo an NLM_F_ECHO request gets back is its reply,
// not a notification waiting for RecvRaw.
func TestEchoNotQueued(t *testing.T) {
	ns := nstest.New(t)
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = ns
	c, err := engine.Dial(0, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req, err := engine.EncodeMessage(engine.Header{Type: 16, Flags: engine.NLM_F_REQUEST | engine.NLM_F_ACK | engine.NLM_F_CREATE | engine.NLM_F_EXCL | engine.NLM_F_ECHO},
		rtnl.LinkClass, engine.Table{Map: map[string]any{"attrs": engine.Table{List: []any{
			engine.Table{List: []any{"IFLA_IFNAME", "e0"}},
			engine.Table{List: []any{"IFLA_LINKINFO", engine.Table{List: []any{engine.Table{List: []any{"IFLA_INFO_KIND", "bridge"}}}}}},
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Request(context.Background(), rtnl.Route, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 {
		t.Fatal("no echo")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if b, err := c.RecvRaw(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("RecvRaw after an echoed request returned %d bytes, %v; want nothing", len(b), err)
	}
}
