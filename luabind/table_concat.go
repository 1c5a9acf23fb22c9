package luabind

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// installTableConcat replaces gopher-lua's table.concat, which pushes
// every element and separator onto the Lua value stack before joining
// them: a list of a few thousand strings, the usual way a script builds
// its output, failed with "registry overflow". This one joins as it goes,
// with Lua 5.1's arguments and errors.
func installTableConcat(L *lua.LState) {
	if t, ok := L.GetGlobal("table").(*lua.LTable); ok {
		t.RawSetString("concat", L.NewFunction(tableConcat))
	}
}

// tableConcat is table.concat(t [, sep [, i [, j]]]).
func tableConcat(L *lua.LState) int {
	t := L.CheckTable(1)
	sep := L.OptString(2, "")
	i := L.OptInt(3, 1)
	j := L.OptInt(4, t.Len())
	var b strings.Builder
	for k := i; k <= j; k++ {
		v := t.RawGetInt(k)
		if !lua.LVCanConvToString(v) {
			L.RaiseError("invalid value (at index %d) in table for 'concat'", k)
		}
		if k > i {
			b.WriteString(sep)
		}
		b.WriteString(lua.LVAsString(v))
	}
	L.Push(lua.LString(b.String()))
	return 1
}
