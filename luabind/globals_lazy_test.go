package luabind

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestLazyGlobals: New makes neither ip nor rtnl; the first read makes the
// module, stores it among the globals and gives every constant to pairs;
// require gives the same table; a global assigned before it is read is an
// ordinary one.
func TestLazyGlobals(t *testing.T) {
	e, _ := newEnv(t, "")
	if e.rtnl != nil || e.ip != nil {
		t.Fatalf("New made a lazy module (rtnl %v, ip %v)", e.rtnl != nil, e.ip != nil)
	}
	vals := run(t, e, `
		local before = rawget(_G, 'rtnl')
		local n = 0
		for k, v in pairs(rtnl) do
			if type(v) == 'number' then n = n + 1 end
		end
		return before, rawget(_G, 'rtnl') == rtnl, require('rtnl') == rtnl, n, rtnl.RTM_NEWLINK`)
	if vals[0] != lua.LNil || vals[1] != lua.LTrue || vals[2] != lua.LTrue {
		t.Errorf("rawget before, stored after, require = %v, %v, %v; want nil, true, true", vals[0], vals[1], vals[2])
	}
	if n, want := int(vals[3].(lua.LNumber)), len(e.Consts()); n != want {
		t.Errorf("pairs(rtnl) saw %d constants, want %d", n, want)
	}
	if vals[4] != lua.LNumber(16) {
		t.Errorf("rtnl.RTM_NEWLINK = %v, want 16", vals[4])
	}

	e2, _ := newEnv(t, "")
	vals = run(t, e2, `rtnl = nil; ip = 5; return rtnl, ip`)
	if vals[0] != lua.LNil || vals[1] != lua.LNumber(5) {
		t.Errorf("after rtnl = nil; ip = 5: rtnl, ip = %v, %v; want nil, 5", vals[0], vals[1])
	}
	if e2.rtnl != nil {
		t.Error("assigning rtnl made the module")
	}
}

// TestValueStackLimits: the Lua value stack grows on demand to the size
// gopher-lua's default state has, and fails past it as that one does.
func TestValueStackLimits(t *testing.T) {
	e, _ := newEnv(t, "")
	vals := run(t, e, `
		local t = {}
		for i = 1, 5000 do t[i] = i end
		return select('#', unpack(t))`)
	if vals[0] != lua.LNumber(5000) {
		t.Errorf("unpack of 5,000 values gave %v values", vals[0])
	}
	if msg := runErr(t, e, `local t = {} for i = 1, 6000 do t[i] = i end return unpack(t)`); !strings.Contains(msg, "registry overflow") {
		t.Errorf("unpack of 6,000 values: %q, want registry overflow", msg)
	}
	if msg := runErr(t, e, `local function f(n) return 1 + f(n + 1) end return f(1)`); !strings.Contains(msg, "stack overflow") {
		t.Errorf("endless recursion: %q, want stack overflow", msg)
	}
}
