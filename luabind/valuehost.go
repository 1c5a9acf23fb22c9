package luabind

import (
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
)

// valueHost is the Env as the host of the printer (show.Host) and of JSON
// (luajson.Host): what a table is, read from the Env's metatables and
// decoded messages, and the values only the Env makes. Holding only the
// Env's pointer, it becomes a Host without an allocation.
type valueHost struct{ e *Env }

func (h valueHost) IsMessage(t *lua.LTable) bool { return h.e.isMessage(t) }
func (h valueHost) Materialize(t *lua.LTable)    { h.e.materialize(t) }

func (h valueHost) Identity(t *lua.LTable) (*engine.Protocol, *engine.Class, *engine.MsgType) {
	return h.e.protoOf(t), h.e.classOf(t), h.e.typeOf(t)
}

func (h valueHost) Encode(t *lua.LTable) ([]byte, error) { return h.e.encodeTable(t) }

func (h valueHost) ToString(v lua.LValue) string {
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

func (h valueHost) Undecoded(t *lua.LTable) (engine.Message, *engine.Protocol, bool, bool) {
	lm := h.e.lazyOf(t)
	if lm == nil || lm.attrs {
		return engine.Message{}, nil, false, false
	}
	return lm.message(), lm.protocol(), lm.fields, true
}

func (h valueHost) Raw(t *lua.LTable) (string, bool) {
	if t.Metatable != h.e.rawMeta {
		return "", false
	}
	return lua.LVAsString(t.RawGetString("bytes")), true
}

func (h valueHost) IsError(t *lua.LTable) bool { return t.Metatable == h.e.errMeta }
func (h valueHost) Route() *engine.Protocol    { return h.e.route }
func (h valueHost) Families() *genl.Table      { return h.e.genl.Families("") }
func (h valueHost) Nest(t *lua.LTable)         { t.Metatable = h.e.nestMeta }
func (h valueHost) RawValue(b []byte) *lua.LTable {
	return h.e.rawValue(b)
}

func (h valueHost) Header(ht *lua.LTable) (engine.Header, error) { return h.e.headerFrom(ht, nil) }

func (h valueHost) ProtocolNamed(name string) (*engine.Protocol, bool) {
	return h.e.protocolNamed(name, "")
}

func (h valueHost) Messages(p *engine.Protocol, msgs []engine.Message) []*lua.LTable {
	return h.e.newLazyGroup(p, msgs, nil)
}

func (h valueHost) MakeMessage(t *lua.LTable, p *engine.Protocol, c *engine.Class) {
	t.Metatable = h.messageMeta(p, c)
}

// messageMeta is the metatable of message tables of class c of protocol
// p; c may be nil, for a message whose payload is undescribed.
func (h valueHost) messageMeta(p *engine.Protocol, c *engine.Class) *lua.LTable {
	e := h.e
	if c != nil {
		return e.classMeta(p, c)
	}
	k := msgKind{p, nil}
	if mt, ok := e.classMetas[k]; ok {
		return mt
	}
	mt := e.L.CreateTable(0, 2)
	mt.RawSetString("__index", e.methods)
	mt.RawSetString("__tostring", e.msgToString)
	e.classMetas[k] = mt
	e.metaClass[mt] = k
	return mt
}
