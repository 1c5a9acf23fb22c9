package genlmod

import (
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
)

// A family object names a family in a namespace; what it is bound to (the
// kernel's id for it, its description) lives in that namespace's table and
// is looked up again when the kernel says the id went stale.

// family is the Go side of a family object.
type family struct {
	g    *namespace
	name string
}

func (m *Module) newFamily(L *lua.LState, g *namespace, name string) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = &family{g: g, name: name}
	ud.Metatable = m.meta
	return ud
}

// lookupFamily asks the kernel for f's family and binds it.
func (m *Module) lookupFamily(L *lua.LState, f *family) *genl.Bound {
	p := f.g.tab.Protocol()
	s, err := m.conn(f.g)
	if err != nil {
		m.host.Raise(L, "genl.family", err, p)
	}
	ctx := m.host.Context(L)
	b, err := f.g.tab.Lookup(ctx, s, f.name)
	if errors.Is(err, genl.ErrNoFamily) {
		var names []string
		if bs, lerr := f.g.tab.List(ctx, s); lerr == nil {
			for _, b := range bs {
				names = append(names, b.Name)
			}
		}
		hint := ""
		if c := engine.Closest(f.name, names, 1); len(c) > 0 {
			hint = fmt.Sprintf(" (did you mean '%s'?)", c[0])
		}
		L.RaiseError("genl.family: no generic netlink family '%s' in this namespace%s; families: %s", f.name, hint, strings.Join(names, ", "))
	}
	if err != nil {
		m.host.Raise(L, "genl.family", err, p)
	}
	return b
}

// famBound returns the family's binding, looking it up when the
// namespace's table has none.
func (m *Module) famBound(L *lua.LState, f *family) *genl.Bound {
	if b := f.g.tab.ByName(f.name); b != nil {
		return b
	}
	return m.lookupFamily(L, f)
}

func (m *Module) checkFamily(L *lua.LState, i int) *family {
	ud := L.CheckUserData(i)
	f, ok := ud.Value.(*family)
	if !ok {
		L.ArgError(i, "generic netlink family expected (from genl.family)")
	}
	return f
}

// famIndex is a family object's __index: its fields, its methods, then a
// message constructor per operation (f.linkinfo_get{…}).
func (m *Module) famIndex(L *lua.LState) int {
	f := m.checkFamily(L, 1)
	key := L.CheckString(2)
	if fn := m.methods.RawGetString(key); fn != lua.LNil {
		L.Push(fn)
		return 1
	}
	b := m.famBound(L, f)
	switch key {
	case "name":
		L.Push(lua.LString(b.Name))
	case "id":
		L.Push(lua.LNumber(b.ID))
	case "version":
		L.Push(lua.LNumber(b.Kernel.Version))
	case "source":
		L.Push(lua.LString(b.Family().Source))
	case "doc":
		L.Push(lua.LString(b.Family().Doc))
	case "groups":
		t := L.CreateTable(len(b.Kernel.Groups), 0)
		for _, gr := range b.Kernel.Groups {
			gt := L.CreateTable(0, 2)
			gt.RawSetString("name", lua.LString(gr.Name))
			gt.RawSetString("id", lua.LNumber(gr.ID))
			t.Append(gt)
		}
		L.Push(t)
	default:
		op := b.Op(key)
		if op == nil || op.Req < 0 {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(L.NewFunction(func(L *lua.LState) int {
			L.Push(m.genlMessage(L, f, op.Name, L.Get(1)))
			return 1
		}))
	}
	return 1
}

// famOps is f:ops(): the operations, as the description names them and
// the kernel offers them.
func (m *Module) famOps(L *lua.LState) int {
	f := m.checkFamily(L, 1)
	b := m.famBound(L, f)
	t := L.NewTable()
	seen := map[int]bool{}
	add := func(name, doc string, id int, flags uint32, known, doit, dumpit bool) {
		o := L.CreateTable(0, 6)
		o.RawSetString("name", lua.LString(name))
		o.RawSetString("id", lua.LNumber(id))
		fl := L.NewTable()
		for _, v := range genl.OpFlags.Values {
			if flags&uint32(v.Value) != 0 {
				fl.Append(lua.LString(v.Name))
			}
		}
		o.RawSetString("flags", fl)
		o.RawSetString("doit", lua.LBool(doit))
		o.RawSetString("dumpit", lua.LBool(dumpit))
		if !known {
			o.RawSetString("in_kernel", lua.LFalse)
		}
		if doc != "" {
			o.RawSetString("doc", lua.LString(doc))
		}
		t.Append(o)
	}
	for _, op := range b.Family().Ops {
		if op.Req < 0 {
			continue
		}
		seen[op.Req] = true
		flags, known := b.KernelOp(op.Req)
		doit, dumpit := op.Do, op.Dump
		if known {
			doit, dumpit = flags&genl.FlagCapDo != 0, flags&genl.FlagCapDump != 0
		}
		add(op.Name, op.Doc, op.Req, flags, known, doit, dumpit)
	}
	for _, ko := range b.Kernel.Ops {
		if !seen[int(ko.Cmd)] {
			add(fmt.Sprintf("cmd-%d", ko.Cmd), "", int(ko.Cmd), ko.Flags, true, ko.Flags&genl.FlagCapDo != 0, ko.Flags&genl.FlagCapDump != 0)
		}
	}
	L.Push(t)
	return 1
}
