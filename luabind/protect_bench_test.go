package luabind

import (
	"context"
	"strconv"
	"testing"
)

// BenchmarkPcall measures one pcall from a Lua loop: of a Lua function
// that returns, of one that raises, and of a Go function (ns/op is per
// pcall).
func BenchmarkPcall(b *testing.B) {
	for _, c := range []struct{ name, setup, call string }{
		{"ok", "local function f(x) return x end", "pcall(f, i)"},
		{"error", "local function f() error('x') end", "pcall(f)"},
		{"go", "local f = math.floor", "pcall(f, i)"},
		{"xpcall", "local function f() error('x') end local function h(e) return e end", "xpcall(f, h)"},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := New(Options{})
			defer e.Close()
			src := c.setup + "\nfor i = 1, " + strconv.Itoa(b.N) + " do " + c.call + " end"
			b.ResetTimer()
			if _, err := e.Run(context.Background(), "bench", src, nil); err != nil {
				b.Fatal(err)
			}
		})
	}
}
