package luabind

import (
	"io"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// luaExplain is nl.explain(msg_or_bytes [, opts]) and msg:explain([opts]):
// print every byte with what it is. opts.mark flags a byte offset (as an
// error value's offset); opts.text returns the explanation instead of
// printing it.
func (e *Env) luaExplain(L *lua.LState) int {
	b := e.messageBytes(L, 1)
	opts := engine.ExplainOptions{Mark: -1}
	asText := false
	if t, ok := L.Get(2).(*lua.LTable); ok {
		if m, ok := t.RawGetString("mark").(lua.LNumber); ok {
			opts.Mark = int(m)
		}
		asText = lua.LVAsBool(t.RawGetString("text"))
	}
	s := engine.FormatExplain(engine.Explain(e.route, b, opts))
	if asText {
		L.Push(lua.LString(s))
		return 1
	}
	io.WriteString(e.opts.Stdout, s)
	return 0
}
