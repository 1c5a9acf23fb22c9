package luabind

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"nlsh/engine/nstest"
)

// TestRunCancelled: a chunk's context ending stops a loop that never calls
// Go, and a Go call blocked under the chunk (a socket waiting for a
// datagram that never comes), both promptly.
func TestRunCancelled(t *testing.T) {
	e := New(Options{Stdout: io.Discard, NetNS: nstest.New(t)})
	defer e.Close()
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
}
