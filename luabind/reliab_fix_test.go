package luabind

import (
	"strings"
	"testing"
	"time"
)

// Regression tests for what the malformed-argument sweep (sweep_test.go)
// found: each failed, panicked or hung before its fix.

// TestEncodeTableHoldingItself: a table that holds itself, or the same
// table so many times over that walking it would never end, is an error
// naming it, at once. The walk used to branch at every copy until its depth
// limit: 4^64 steps for a table holding itself under four keys.
func TestEncodeTableHoldingItself(t *testing.T) {
	e, _ := newEnv(t, "")
	start := time.Now()
	vals := run(t, e, `
local cyc = {}
cyc[1], cyc.attrs, cyc.header, cyc.x = cyc, cyc, cyc, cyc
local loop = {}
loop[1] = loop
local shared = {}
for i = 1, 40 do shared = {shared, shared} end
local m = rtnl.ifinfomsg()
local out = {}
for _, v in ipairs({cyc, loop, shared}) do
  m.attrs = {{'IFLA_LINKINFO', v}}
  local ok, err = pcall(m.encode, m)
  out[#out + 1] = tostring(ok) .. ' ' .. tostring(err)
end
return table.concat(out, '\n')
`)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	got := vals[0].String()
	for _, want := range []string{
		"false test:12: encode: IFLA_LINKINFO: expected a list of {name, value} pairs, got a table with keys attrs, header, x besides its list",
		"false test:12: encode: IFLA_LINKINFO: attribute #1: expected a {name, value} pair, got a table that contains itself",
		"false test:12: encode: ifinfomsg: expected a table, got a table of more than 1048576 values (a table it holds in several places counted each time)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

// TestStdlibGuards: standard library calls that asked gopher-lua for an
// impossible allocation (a fatal error: the process died) or made it
// panic (math.random's rand.Intn) are Lua errors.
func TestStdlibGuards(t *testing.T) {
	e, _ := newEnv(t, "")
	for _, c := range []struct{ chunk, want string }{
		{"string.rep('x', 1e12)", "test:1: string.rep: the result would be 1000000000000 bytes, more than nlsh makes (1073741824)"},
		{"('ab'):rep(2^62)", "test:1: string.rep: the result would be 9223372036854775808 bytes, more than nlsh makes (1073741824)"},
		{"channel.make(2^31)", "test:1: bad argument #1 to make (a buffer of 0 to 1048576 values expected, got 2147483648)"},
		{"channel.make(-1)", "test:1: bad argument #1 to make (a buffer of 0 to 1048576 values expected, got -1)"},
		{"math.random(0)", "test:1: bad argument #1 to random (interval is empty)"},
		{"math.random(-0.5)", "test:1: bad argument #1 to random (interval is empty)"},
		{"math.random(0/0)", "test:1: bad argument #1 to random (interval is empty)"},
		{"math.random(3, 2)", "test:1: bad argument #2 to random (interval is empty)"},
		{"math.random(-2^63, 2^63)", "test:1: bad argument #2 to random (interval is too large)"},
		{"math.random(1/0)", "test:1: bad argument #1 to random (interval is too large)"},
	} {
		if got := runErr(t, e, c.chunk); got != c.want {
			t.Errorf("%s: %q, want %q", c.chunk, got, c.want)
		}
	}
	vals := run(t, e, "return #string.rep('x', 3), math.random(1), math.random(2, 2), math.random(-3, -3)")
	if got := luaJoin(vals); got != "3 1 2 -3" {
		t.Errorf("ordinary calls: %s", got)
	}
}

// TestErrorObjectWithoutText: an error value whose __tostring returns no
// text still reads as something (it printed an empty line).
func TestErrorObjectWithoutText(t *testing.T) {
	e, _ := newEnv(t, "")
	for _, chunk := range []string{
		"error(setmetatable({code = 1}, {__tostring = function() return {} end}))",
		"error(setmetatable({code = 1}, {__tostring = function() return '' end}))",
	} {
		if got := runErr(t, e, chunk); got != "error {code=1}" {
			t.Errorf("%s: %q", chunk, got)
		}
	}
}
