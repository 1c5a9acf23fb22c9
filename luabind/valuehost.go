package luabind

import (
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// valueHost is the Env as the host of the printer (show.Host): what a
// table is, read from the Env's metatables and decoded messages.
type valueHost struct{ e *Env }

func (h *valueHost) IsMessage(t *lua.LTable) bool { return h.e.isMessage(t) }
func (h *valueHost) Materialize(t *lua.LTable)    { h.e.materialize(t) }

func (h *valueHost) Identity(t *lua.LTable) (*engine.Protocol, *engine.Class, *engine.MsgType) {
	return h.e.protoOf(t), h.e.classOf(t), h.e.typeOf(t)
}

func (h *valueHost) Encode(t *lua.LTable) ([]byte, error) { return h.e.encodeTable(t) }

func (h *valueHost) ToString(v lua.LValue) string {
	// A protected call, not recover: a Lua error recovered from L.Call
	// leaves the state's call stack behind, which corrupts later calls.
	L := h.e.L
	fn := L.GetMetaField(v, "__tostring")
	if fn == lua.LNil {
		return v.String()
	}
	top := L.GetTop()
	defer L.SetTop(top)
	L.Push(fn)
	L.Push(v)
	if err := h.e.pcall(L, "tostring", 1, 1, nil); err != nil {
		return v.String()
	}
	return lua.LVAsString(L.Get(-1))
}
