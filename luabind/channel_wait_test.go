package luabind

import (
	"context"
	"io"
	"testing"
	"time"
)

// TestChannelWaitStops checks that a chunk blocked on a channel ends when
// its context does (Ctrl-C, a timeout): gopher-lua's channel operations
// waited on a Done that nlsh's Lua context leaves nil while a chunk runs.
func TestChannelWaitStops(t *testing.T) {
	e := New(Options{NetNS: noKernel, Stdout: io.Discard})
	defer e.Close()
	for _, src := range []string{
		"channel.select()",
		"channel.select({'|<-', channel.make()})",
		"channel.make():receive()",
		"channel.make():send(1)",
		"local ok = pcall(function() channel.make():receive() end) return ok",
		"local co = coroutine.wrap(function() channel.make():send(1) end) co()",
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		done := make(chan error, 1)
		go func() { _, err := e.Run(ctx, "chan", src, nil); done <- err }()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s: ended without an error", src)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: still waiting 5 s after its chunk's deadline", src)
		}
		cancel()
	}
	// What still works: values pass, and a value send refuses stays refused.
	vals := run(t, e, `
local ch = channel.make(1)
ch:send({1, 2})
local ok, v = ch:receive()
local sent = pcall(function() ch:send(function() end) end)
local _, got = channel.select({'|<-', (function() local c = channel.make(1) c:send(7) return c end)()})
return ok and v[2], sent, got`)
	if len(vals) != 3 || vals[0].String() != "2" || vals[1].String() != "false" || vals[2].String() != "7" {
		t.Errorf("channels after the guard: got %v, want 2 false 7", vals)
	}
}
