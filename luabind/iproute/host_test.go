package iproute

import (
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// testHost is a host for tests that build messages without a shell or a
// kernel: it converts plain values as luabind does and calls Lua plainly;
// anything else (a socket, a message table) is no test's business here,
// and panics on the nil Host.
type testHost struct{ Host }

// newTestModule makes an ip module on a Lua state of its own, closed when
// the test ends.
func newTestModule(tb testing.TB) (*Module, *lua.LState) {
	L := lua.NewState()
	tb.Cleanup(L.Close)
	return New(testHost{}, L, ""), L
}

// FromLua converts numbers, strings, booleans and plain tables as
// luabind's conversion does.
func (h testHost) FromLua(v lua.LValue) any {
	switch x := v.(type) {
	case lua.LNumber:
		return luaarg.Number(float64(x))
	case lua.LString:
		return string(x)
	case lua.LBool:
		return bool(x)
	case *lua.LNilType:
		return nil
	case *lua.LTable:
		t := engine.Table{}
		if n := x.Len(); n > 0 {
			for i := 1; i <= n; i++ {
				t.List = append(t.List, h.FromLua(x.RawGetInt(i)))
			}
			return t
		}
		x.ForEach(func(k, val lua.LValue) {
			if ks, ok := k.(lua.LString); ok {
				if t.Map == nil {
					t.Map = map[string]any{}
				}
				t.Map[string(ks)] = h.FromLua(val)
			}
		})
		return t
	}
	return engine.Opaque{Type: "a " + v.Type().String(), Value: v}
}

func (testHost) Call(L *lua.LState, what string, nargs, nret int) { L.Call(nargs, nret) }

func (testHost) ErrorValue(ne *engine.Error) *lua.LTable {
	t := &lua.LTable{}
	t.RawSetString("line", lua.LString(ne.Error()))
	return t
}
