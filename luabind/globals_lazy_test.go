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
		for i = 1, 20000 do t[i] = i end
		return select('#', unpack(t))`)
	if vals[0] != lua.LNumber(20000) {
		t.Errorf("unpack of 20,000 values gave %v values", vals[0])
	}
	if msg := runErr(t, e, `local t = {} for i = 1, 70000 do t[i] = i end return unpack(t)`); !strings.Contains(msg, "registry overflow") {
		t.Errorf("unpack of 70,000 values: %q, want registry overflow", msg)
	}
	if msg := runErr(t, e, `local function f(n) return 1 + f(n + 1) end return f(1)`); !strings.Contains(msg, "stack overflow") {
		t.Errorf("endless recursion: %q, want stack overflow", msg)
	}
}

// table.concat joins any number of values, as Lua's does; gopher-lua's own
// pushed them all on the value stack and failed past a few thousand.
func TestTableConcat(t *testing.T) {
	e, _ := newEnv(t, "")
	for _, c := range []struct{ code, want string }{
		{`local t = {} for i = 1, 100000 do t[i] = i end local s = table.concat(t, ",") return #s .. ' ' .. s:sub(1, 8) .. ' ' .. s:sub(-6)`, "588894 1,2,3,4, 100000"},
		{`return table.concat({'a', 'b', 3, 4.5}, '-')`, "a-b-3-4.5"},
		{`return table.concat({'a', 'b', 'c'})`, "abc"},
		{`return table.concat({'a', 'b', 'c', 'd'}, ' ', 2, 3)`, "b c"},
		{`return table.concat({'a', 'b'}, ' ', 3)`, ""},
		{`return table.concat({})`, ""},
	} {
		if got := run(t, e, c.code); len(got) != 1 || got[0].String() != c.want {
			t.Errorf("%s = %v, want %q", c.code, got, c.want)
		}
	}
	for _, c := range []struct{ code, want string }{
		{`return table.concat({'a', {}, 'c'})`, "invalid value (at index 2) in table for 'concat'"},
		{`return table.concat({'a', 'b'}, ',', 1, 3)`, "invalid value (at index 3) in table for 'concat'"},
		{`return table.concat('abc')`, "table expected"},
	} {
		if msg := runErr(t, e, c.code); !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q, want %q", c.code, msg, c.want)
		}
	}
}
