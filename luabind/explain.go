package luabind

import (
	"fmt"
	"io"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
)

// luaExplain is nl.explain(msg_or_bytes [, proto] [, opts]) and
// msg:explain([opts]): print every byte with what it is. A message table
// is read as its own protocol; bytes as proto ('route', the default, or
// 'generic'), which opts.proto may also give. opts.mark flags a byte
// offset (as an error value's offset); opts.text returns the explanation
// instead of printing it; opts.boxes draws it as boxes, the way the
// kernel's netlink documentation draws messages.
func (e *Env) luaExplain(L *lua.LState) int {
	b := e.messageBytes(L, 1)
	p := e.route
	if t, ok := L.Get(1).(*lua.LTable); ok {
		p = e.protoOf(t)
	}
	opts := engine.ExplainOptions{Mark: -1}
	asText, boxes := false, false
	arg := 2
	if name, ok := L.Get(2).(lua.LString); ok {
		p = e.protoNamed(L, 2, string(name))
		arg = 3
	}
	if t, ok := L.Get(arg).(*lua.LTable); ok {
		if m, ok := t.RawGetString("mark").(lua.LNumber); ok {
			opts.Mark = int(m)
		}
		if name, ok := t.RawGetString("proto").(lua.LString); ok {
			p = e.protoNamed(L, arg, string(name))
		}
		asText = lua.LVAsBool(t.RawGetString("text"))
		boxes = lua.LVAsBool(t.RawGetString("boxes"))
	} else if L.Get(arg) != lua.LNil {
		L.ArgError(arg, "options table expected ({mark = …, text = true, boxes = true, proto = 'generic'})")
	}
	if tab, ok := p.Dynamic.(*genl.Table); ok {
		tab.Learn(b)
	}
	format := engine.FormatExplain
	if boxes {
		format = engine.FormatBoxes
	}
	s := format(engine.Explain(p, b, opts))
	if asText {
		L.Push(lua.LString(s))
		return 1
	}
	io.WriteString(e.opts.Stdout, s)
	return 0
}

// protoNamed returns the protocol scripts call name ('route', 'generic').
func (e *Env) protoNamed(L *lua.LState, arg int, name string) *engine.Protocol {
	p, ok := e.protocolNamed(name, "")
	if !ok {
		L.ArgError(arg, fmt.Sprintf("unknown protocol '%s' (%s)", name, strings.Join(e.protocolNames(), ", ")))
	}
	return p
}
