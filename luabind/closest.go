package luabind

import (
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// luaClosest is nl.closest(name, candidates): the nearest candidate, or nil.
func (e *Env) luaClosest(L *lua.LState) int {
	n := L.CheckString(1)
	t := L.CheckTable(2)
	var cands []string
	for i := 1; i <= t.Len(); i++ {
		cands = append(cands, lua.LVAsString(t.RawGetInt(i)))
	}
	if c := engine.Closest(n, cands, 1); len(c) > 0 {
		L.Push(lua.LString(c[0]))
		return 1
	}
	return 0
}
