package luabind

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRewriteLocals(t *testing.T) {
	for _, tc := range []struct {
		src, want string
		names     []string
	}{
		{"local x = 5", " x = 5", []string{"x"}},
		{"local a, b = 1, 2", " a, b = 1, 2", []string{"a", "b"}},
		{"local x", " x = nil", []string{"x"}},
		{"local x; local y", " x = nil;  y = nil", []string{"x", "y"}},
		{"local function f(n) local y = n return y end", " function f(n) local y = n return y end", []string{"f"}},
		{"for i = 1, 2 do local z = i end", "for i = 1, 2 do local z = i end", nil},
		{"if x then local q = 1 else local r = 2 end local s = 3", "if x then local q = 1 else local r = 2 end  s = 3", []string{"s"}},
		{"repeat local u = 1 until u local v = 2", "repeat local u = 1 until u  v = 2", []string{"v"}},
		{"print('local x') -- local y\nlocal z = [[local w]]", "print('local x') -- local y\n z = [[local w]]", []string{"z"}},
		{"local t = {f = function() local k = 1 end}", " t = {f = function() local k = 1 end}", []string{"t"}},
	} {
		got, names := rewriteLocals(tc.src)
		if got != tc.want || !cmp.Equal(names, tc.names) {
			t.Errorf("rewriteLocals(%q) = %q %v, want %q %v", tc.src, got, names, tc.want, tc.names)
		}
	}
}

// TestSessionLocals: top-level locals of one shell chunk are seen by the
// next, locals inside functions stay local, globals stay global.
func TestSessionLocals(t *testing.T) {
	e, out := newEnv(t, "")
	s := e.NewSession()
	for _, chunk := range []string{
		"local x = 5",
		"local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end",
		"local m = rtnl.ifaddrmsg{prefixlen = 24}",
		"m.index = 3",
		"local y; g = 7",
		"local function inner() local x = 99 return x end",
		"print(x, fact(5), m.prefixlen, m.index, y, g, inner(), x)",
		"local print = function() end",
	} {
		if _, err := s.Run(context.Background(), chunk); err != nil {
			t.Fatalf("%s: %v", chunk, e.FormatError(err))
		}
	}
	if got := out.String(); got != "5\t120\t24\t3\tnil\t7\t99\t5\n" {
		t.Errorf("printed %q", got)
	}
	// A session local shadows the global of the same name only in the
	// session: the global print is intact.
	if v := e.L.GetGlobal("print"); v.String() == "" {
		t.Error("global print lost")
	}
	if v, ok := s.Local("x"); !ok || v.String() != "5" {
		t.Errorf("Local(x) = %v, %v", v, ok)
	}
	if g := e.L.GetGlobal("g").String(); g != "7" {
		t.Errorf("global g = %s", g)
	}
}
