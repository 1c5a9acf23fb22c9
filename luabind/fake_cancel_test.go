package luabind

import (
	"context"
	"strings"
	"testing"
	"time"

	"nlsh/engine/nltest"
)

// TestFakeRunCancelled: a chunk's context ending stops a loop that never
// calls Go, and a Go call blocked under the chunk (a socket waiting for a
// datagram that never comes: the fake kernel answers nothing), both
// promptly.
func TestFakeRunCancelled(t *testing.T) {
	e, _, k := newFakeEnv(t, func(r nltest.Request) [][]byte { return nil })
	for _, src := range []string{
		`while true do end`,
		`local s = nl.socket('route') s:recv()`,
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		start := time.Now()
		_, err := e.Run(ctx, "loop", src, nil)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "context deadline exceeded") && !strings.Contains(e.FormatError(err), "interrupted") {
			t.Errorf("%s: %v, want the context's end", src, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s ran %v after its context ended", src, d)
		}
		// The state runs the next chunk as before.
		if out, err := e.Run(context.Background(), "after", `return 1 + 1`, nil); err != nil || out[0].String() != "2" {
			t.Errorf("after %s: %v %v", src, out, err)
		}
	}
	if n := len(k.Requests()); n != 0 {
		t.Errorf("the kernel saw %d datagrams; s:recv sends nothing", n)
	}
}
