package genlmod

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
	"nlsh/luabind/luaarg"
)

// famOp resolves argument i to an operation of b, or raises naming the
// operations there are.
func famOp(L *lua.LState, b *genl.Bound, i int) *genl.Op {
	name := L.CheckString(i)
	op := b.Op(name)
	if op == nil {
		names := b.Family().OpNames()
		L.ArgError(i, fmt.Sprintf("%s has no operation '%s'%s; operations: %s", b.Name, name,
			luaarg.Suggestion(name, names), strings.Join(names, ", ")))
	}
	if op.Req < 0 {
		L.ArgError(i, fmt.Sprintf("%s %s is a notification: subscribe to its group instead", b.Name, op.Name))
	}
	return op
}

// attrs reads a call's attrs argument: keyed by name (or a list of
// pairs). Keys naming a field of the family's fixed header go there.
func (m *Module) attrs(L *lua.LState, b *genl.Bound, op *genl.Op, v lua.LValue) (map[string]any, any) {
	if v == lua.LNil {
		return nil, nil
	}
	lt, ok := v.(*lua.LTable)
	if !ok {
		L.RaiseError("%s %s: attributes must be a table keyed by attribute name, got %s", b.Name, op.Name, v.Type().String())
	}
	// Depth 1: at the top a message table's header key is not payload, but
	// here "header" may well be an attribute (ethtool's).
	t, _ := m.host.FromLua(lt, 1).(engine.Table)
	var fields map[string]any
	if fixed := op.Class.Struct; fixed != nil && len(t.Map) > 0 {
		for k, val := range t.Map {
			name := k
			if _, ok := fixed.FieldIndex(name); !ok {
				name = strings.ReplaceAll(k, "_", "-")
			}
			if _, ok := fixed.FieldIndex(name); ok && name != "cmd" && name != "version" && name != "reserved" {
				if _, isAttr := op.Set.ByName(k); !isAttr {
					if fields == nil {
						fields = map[string]any{}
					}
					fields[name] = val
					delete(t.Map, k)
				}
			}
		}
	}
	pairs, err := engine.Keyed(op.Set, t)
	if err != nil {
		L.RaiseError("%s %s: %s", b.Name, op.Name, err.Error())
	}
	return fields, pairs
}

// encode builds the request for op with the given header flags.
func (m *Module) encode(L *lua.LState, b *genl.Bound, op *genl.Op, attrs lua.LValue, flags uint16) []byte {
	fields, pairs := m.attrs(L, b, op, attrs)
	req, err := b.Encode(op, flags, fields, pairs)
	if err != nil {
		L.RaiseError("%s %s: %s", b.Name, op.Name, err.Error())
	}
	return req
}

// genlMessage is f:message(op, attrs): the request message table a call
// would send (for nl.explain, s:request, editing).
func (m *Module) genlMessage(L *lua.LState, f *family, opName string, attrs lua.LValue) lua.LValue {
	b := m.famBound(L, f)
	op := b.Op(opName)
	req := m.encode(L, b, op, attrs, engine.NLM_F_REQUEST|engine.NLM_F_ACK)
	msgs, err := engine.Split(req)
	if err != nil || len(msgs) != 1 {
		L.RaiseError("%s %s: encoding failed", b.Name, op.Name)
	}
	return m.host.RequestTable(f.g.tab.Protocol(), msgs[0])
}

func (m *Module) famMessage(L *lua.LState) int {
	f := m.checkFamily(L, 1)
	b := m.famBound(L, f)
	op := famOp(L, b, 2)
	L.Push(m.genlMessage(L, f, op.Name, L.Get(3)))
	return 1
}

// call sends op's request and returns the replies. A request the kernel
// refuses with ENOENT is sent again, once, if the family's id turned out
// to have changed (the family was reloaded); operations also answer
// ENOENT for their own reasons, and then nothing is resent.
func (m *Module) call(L *lua.LState, f *family, dump bool) (*genl.Bound, []engine.Message) {
	b := m.famBound(L, f)
	op := famOp(L, b, 2)
	flags := uint16(engine.NLM_F_REQUEST | engine.NLM_F_ACK)
	if dump {
		flags = engine.NLM_F_REQUEST | engine.NLM_F_DUMP
	}
	checkCap(L, b, op, dump)
	o := luaarg.RequestOptions(L, 4, b.Name+" "+op.Name)
	p := f.g.tab.Protocol()
	s, err := m.conn(f.g)
	if err != nil {
		m.host.Raise(L, b.Name, err, p)
	}
	ctx := m.host.Context(L)
	name := op.Name
	b, msgs, err := f.g.tab.Call(ctx, s, f.name, func(nb *genl.Bound) ([]engine.Message, error) {
		if op = nb.Op(name); op == nil {
			L.RaiseError("%s no longer has operation %s", nb.Name, name)
		}
		return s.RequestWith(ctx, p, m.encode(L, nb, op, L.Get(3), flags), o)
	})
	if b == nil {
		b = m.famBound(L, f)
	}
	if err != nil {
		m.host.RaiseReplies(L, b.Name+" "+op.Name, err, p, msgs)
	}
	return b, msgs
}

// checkCap refuses a do (dump) of an operation the kernel says has none,
// naming the one it has.
func checkCap(L *lua.LState, b *genl.Bound, op *genl.Op, dump bool) {
	fl, known := b.KernelOp(op.Req)
	if !known {
		return
	}
	switch {
	case dump && fl&genl.FlagCapDump == 0 && fl&genl.FlagCapDo != 0:
		L.RaiseError("%s %s has no dump in this kernel: use f:doit", b.Name, op.Name)
	case !dump && fl&genl.FlagCapDo == 0 && fl&genl.FlagCapDump != 0:
		L.RaiseError("%s %s has no do in this kernel: use f:dumpit (or f:each)", b.Name, op.Name)
	}
}

// famDoit is f:doit(op, attrs [, opts]): the reply, or nothing for an
// operation that only acknowledges. opts: timeout.
func (m *Module) famDoit(L *lua.LState) int {
	f := m.checkFamily(L, 1)
	_, msgs := m.call(L, f, false)
	if len(msgs) == 0 {
		return 0
	}
	list := m.host.Messages(f.g.tab.Protocol(), msgs)
	for i := 1; i <= list.Len(); i++ {
		L.Push(list.RawGetInt(i))
	}
	return list.Len()
}

// famDumpit is f:dumpit(op, attrs [, opts]): the list of replies.
func (m *Module) famDumpit(L *lua.LState) int {
	f := m.checkFamily(L, 1)
	_, msgs := m.call(L, f, true)
	L.Push(m.host.Messages(f.g.tab.Protocol(), msgs))
	return 1
}

// famEach is f:each(op, attrs [, opts]): an iterator over a dump's
// replies as they arrive, keeping none behind.
func (m *Module) famEach(L *lua.LState) int {
	f := m.checkFamily(L, 1)
	b := m.famBound(L, f)
	op := famOp(L, b, 2)
	checkCap(L, b, op, true)
	o := luaarg.RequestOptions(L, 4, b.Name+" "+op.Name)
	s, err := m.conn(f.g)
	if err != nil {
		m.host.Raise(L, b.Name, err, f.g.tab.Protocol())
	}
	req := m.encode(L, b, op, L.Get(3), engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	L.Push(s.Each(L, req, b.Name+" "+op.Name, o))
	return 1
}
