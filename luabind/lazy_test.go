package luabind

import (
	"context"
	"io"
	"runtime"
	"testing"
	"weak"

	lua "github.com/yuin/gopher-lua"
)

// TestLazyKeptMessage keeps one message of a dump and drops the rest: after
// collections, and after many new tables (which may take the dropped ones'
// addresses) and a second dump, the kept message still reads as itself.
func TestLazyKeptMessage(t *testing.T) {
	e := New(Options{Stdout: io.Discard})
	defer e.Close()
	e.L.SetGlobal("dump", lua.LString(benchRouteDump(2000)))
	run(t, e, `kept = rtnl.decode(dump)[1235]`)
	for range 3 {
		runtime.GC()
	}
	vals := run(t, e, `
for i = 1, 200000 do local t = {} end
local other = rtnl.decode(dump)
collectgarbage()
local n = 0
for _, m in ipairs(other) do if m:get('RTA_DST') then n = n + 1 end end
return kept:get('RTA_DST'), kept.dst_len, kept:get('RTA_OIF'), n, other[7]:get('RTA_DST')`)
	want := []string{"10.4.210.0", "24", "2", "2000", "10.0.6.0"}
	for i, w := range want {
		if got := vals[i].String(); got != w {
			t.Errorf("value %d = %s, want %s", i, got, w)
		}
	}
}

// TestLazyGroupCollected checks that a dump nobody holds is collected with
// its raw messages: the group keeps no table alive and nothing keeps it.
func TestLazyGroupCollected(t *testing.T) {
	e := New(Options{Stdout: io.Discard})
	defer e.Close()
	wp := func() weak.Pointer[lazyGroup] {
		list, err := e.decodeToLua(benchRouteDump(100))
		if err != nil {
			t.Fatal(err)
		}
		mt := list.RawGetInt(1).(*lua.LTable).Metatable.(*lua.LTable)
		g := mt.RawGetString(keyGroup).(*lua.LUserData).Value.(*lazyGroup)
		if len(g.entries) != 100 {
			t.Fatalf("group of %d messages", len(g.entries))
		}
		return weak.Make(g)
	}()
	if _, err := e.Run(context.Background(), "gc", `collectgarbage()`, nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10 && wp.Value() != nil; i++ {
		runtime.GC()
	}
	if wp.Value() != nil {
		t.Error("a dump nobody holds was not collected")
	}
}

// TestLazyMetatableProtected: a script cannot hand a decoded message's
// metatable to a table of its own, which could then take the address of a
// collected message of the same dump and read as it.
func TestLazyMetatableProtected(t *testing.T) {
	e := New(Options{Stdout: io.Discard})
	defer e.Close()
	e.L.SetGlobal("dump", lua.LString(benchRouteDump(3)))
	vals := run(t, e, `
local m = rtnl.decode(dump)[1]
local ok = pcall(setmetatable, {}, getmetatable(m))
local ok2 = pcall(setmetatable, m, {})
return getmetatable(m), ok and type(getmetatable(m)) == 'table', ok2, m:get('RTA_DST')`)
	if got := []string{vals[0].String(), vals[1].String(), vals[2].String(), vals[3].String()}; got[0] != "decoded message" || got[1] != "false" || got[2] != "false" || got[3] != "10.0.0.0" {
		t.Errorf("getmetatable, copy, replace, RTA_DST = %v", got)
	}
}

// TestLazyEntrySize: a listed dump holds one slab entry per message, so
// its size is most of a large list's memory (with the datagram's bytes
// and the list's own slot).
func TestLazyEntrySize(t *testing.T) {
	if entrySize > 120 {
		t.Errorf("a slab entry takes %d bytes, more than 120", entrySize)
	}
}
