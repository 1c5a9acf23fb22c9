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
		"false test:12: encode: ifinfomsg: expected a table, got a table of more than 1048576 values (counting a table it holds twice twice)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
