package luabind

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
	"nlsh/luabind/luaarg"
)

// The genl module: generic netlink families as Lua objects. A family
// object names a family in a namespace; what it is bound to (the kernel's
// id for it, its description) lives in that namespace's table and is
// looked up again when the kernel says the id went stale.

// genlFamily is the Go side of a family object.
type genlFamily struct {
	g    *genlNS
	name string
}

func (e *Env) openGenl(L *lua.LState) *lua.LTable {
	e.famMethods = funcTable(L, map[string]lua.LGFunction{
		"ops":       e.famOps,
		"doit":      e.famDoit,
		"dumpit":    e.famDumpit,
		"each":      e.famEach,
		"policy":    e.famPolicy,
		"check":     e.famCheck,
		"subscribe": e.famSubscribe,
		"message":   e.famMessage,
	})
	e.famMeta = L.CreateTable(0, 2)
	e.famMeta.RawSetString("__index", L.NewFunction(e.famIndex))
	e.famMeta.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		f := e.checkFamily(L, 1)
		b := e.famBound(L, f)
		L.Push(lua.LString(fmt.Sprintf("generic netlink family %s (id %d, version %d, %d operations; %s)",
			b.Name, b.ID, b.Kernel.Version, len(b.Family().Ops), b.Family().Source)))
		return 1
	}))
	return funcTable(L, map[string]lua.LGFunction{
		"families": e.genlFamilies,
		"family":   e.genlFamily,
		"decode":   e.genlDecode,
	})
}

// genlNSOpt reads the netns option of a genl call's options table.
func (e *Env) genlNSOpt(L *lua.LState, i int) *genlNS {
	ns := ""
	if t, ok := L.Get(i).(*lua.LTable); ok {
		t.ForEach(func(k, v lua.LValue) {
			switch k.String() {
			case "netns":
				ns = e.netnsOption(L, "genl: option netns", v)
			default:
				L.ArgError(i, fmt.Sprintf("unknown option '%s' (options: netns)", k.String()))
			}
		})
	}
	return e.genlFor(ns)
}

func (e *Env) newFamily(L *lua.LState, g *genlNS, name string) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = &genlFamily{g: g, name: name}
	ud.Metatable = e.famMeta
	return ud
}

// genlFamilies is genl.families([opts]): every family of the namespace,
// sorted by name.
func (e *Env) genlFamilies(L *lua.LState) int {
	g := e.genlNSOpt(L, 1)
	s, err := e.genlConn(g)
	if err != nil {
		e.raise(L, "genl.families", err)
	}
	bs, err := g.tab.List(e.ctx(L), s.conn)
	if err != nil {
		e.raiseWith(L, "genl.families", err, g.tab.Protocol())
	}
	t := L.CreateTable(len(bs), 0)
	for _, b := range bs {
		t.Append(e.newFamily(L, g, b.Name))
	}
	L.Push(t)
	return 1
}

// genlFamily is genl.family(name [, opts]).
func (e *Env) genlFamily(L *lua.LState) int {
	name := L.CheckString(1)
	g := e.genlNSOpt(L, 2)
	f := &genlFamily{g: g, name: name}
	e.lookupFamily(L, f)
	L.Push(e.newFamily(L, g, name))
	return 1
}

// lookupFamily asks the kernel for f's family and binds it.
func (e *Env) lookupFamily(L *lua.LState, f *genlFamily) *genl.Bound {
	s, err := e.genlConn(f.g)
	if err != nil {
		e.raise(L, "genl.family", err)
	}
	b, err := f.g.tab.Lookup(e.ctx(L), s.conn, f.name)
	if errors.Is(err, genl.ErrNoFamily) {
		var names []string
		if bs, lerr := f.g.tab.List(e.ctx(L), s.conn); lerr == nil {
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
		e.raiseWith(L, "genl.family", err, f.g.tab.Protocol())
	}
	return b
}

// famBound returns the family's binding, looking it up when the
// namespace's table has none.
func (e *Env) famBound(L *lua.LState, f *genlFamily) *genl.Bound {
	if b := f.g.tab.ByName(f.name); b != nil {
		return b
	}
	return e.lookupFamily(L, f)
}

func (e *Env) checkFamily(L *lua.LState, i int) *genlFamily {
	ud := L.CheckUserData(i)
	f, ok := ud.Value.(*genlFamily)
	if !ok {
		L.ArgError(i, "generic netlink family expected (from genl.family)")
	}
	return f
}

// famIndex is a family object's __index: its fields, its methods, then a
// message constructor per operation (f.linkinfo_get{…}).
func (e *Env) famIndex(L *lua.LState) int {
	f := e.checkFamily(L, 1)
	key := L.CheckString(2)
	if m := e.famMethods.RawGetString(key); m != lua.LNil {
		L.Push(m)
		return 1
	}
	b := e.famBound(L, f)
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
			L.Push(e.genlMessage(L, f, op.Name, L.Get(1)))
			return 1
		}))
	}
	return 1
}

// famOps is f:ops(): the operations, as the description names them and
// the kernel offers them.
func (e *Env) famOps(L *lua.LState) int {
	f := e.checkFamily(L, 1)
	b := e.famBound(L, f)
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

// famOp resolves argument i to an operation of b, or raises naming the
// operations there are.
func (e *Env) famOp(L *lua.LState, b *genl.Bound, i int) *genl.Op {
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

// genlAttrs reads a call's attrs argument: keyed by name (or a list of
// pairs). Keys naming a field of the family's fixed header go there.
func (e *Env) genlAttrs(L *lua.LState, b *genl.Bound, op *genl.Op, v lua.LValue) (map[string]any, any) {
	if v == lua.LNil {
		return nil, nil
	}
	lt, ok := v.(*lua.LTable)
	if !ok {
		L.RaiseError("%s %s: attributes must be a table keyed by attribute name, got %s", b.Name, op.Name, v.Type().String())
	}
	// Depth 1: at the top a message table's header key is not payload, but
	// here "header" may well be an attribute (ethtool's).
	t, _ := e.fromLuaDepth(lt, 1).(engine.Table)
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

// genlEncode builds the request for op with the given header flags.
func (e *Env) genlEncode(L *lua.LState, b *genl.Bound, op *genl.Op, attrs lua.LValue, flags uint16) []byte {
	fields, pairs := e.genlAttrs(L, b, op, attrs)
	req, err := b.Encode(op, flags, fields, pairs)
	if err != nil {
		L.RaiseError("%s %s: %s", b.Name, op.Name, err.Error())
	}
	return req
}

// genlMessage is f:message(op, attrs): the request message table a call
// would send (for nl.explain, s:request, editing).
func (e *Env) genlMessage(L *lua.LState, f *genlFamily, opName string, attrs lua.LValue) lua.LValue {
	b := e.famBound(L, f)
	op := b.Op(opName)
	req := e.genlEncode(L, b, op, attrs, engine.NLM_F_REQUEST|engine.NLM_F_ACK)
	msgs, err := engine.Split(req)
	if err != nil || len(msgs) != 1 {
		L.RaiseError("%s %s: encoding failed", b.Name, op.Name)
	}
	t := e.newLazyWith(f.g.tab.Protocol(), msgs[0])
	e.materialize(t)
	return t
}

func (e *Env) famMessage(L *lua.LState) int {
	f := e.checkFamily(L, 1)
	b := e.famBound(L, f)
	op := e.famOp(L, b, 2)
	L.Push(e.genlMessage(L, f, op.Name, L.Get(3)))
	return 1
}

// genlCall sends op's request and returns the replies. A request the
// kernel refuses with ENOENT is sent again, once, if the family's id
// turned out to have changed (the family was reloaded); operations also
// answer ENOENT for their own reasons, and then nothing is resent.
func (e *Env) genlCall(L *lua.LState, f *genlFamily, dump bool) (*genl.Bound, []engine.Message) {
	b := e.famBound(L, f)
	op := e.famOp(L, b, 2)
	flags := uint16(engine.NLM_F_REQUEST | engine.NLM_F_ACK)
	if dump {
		flags = engine.NLM_F_REQUEST | engine.NLM_F_DUMP
	}
	e.genlCheckCap(L, b, op, dump)
	o := luaarg.RequestOptions(L, 4, b.Name+" "+op.Name)
	s, err := e.genlConn(f.g)
	if err != nil {
		e.raise(L, b.Name, err)
	}
	p := f.g.tab.Protocol()
	name := op.Name
	b, msgs, err := f.g.tab.Call(e.ctx(L), s.conn, f.name, func(nb *genl.Bound) ([]engine.Message, error) {
		if op = nb.Op(name); op == nil {
			L.RaiseError("%s no longer has operation %s", nb.Name, name)
		}
		return s.conn.RequestWith(e.ctx(L), p, e.genlEncode(L, nb, op, L.Get(3), flags), o)
	})
	if b == nil {
		b = e.famBound(L, f)
	}
	if err != nil {
		e.raiseReplies(L, b.Name+" "+op.Name, err, p, msgs)
	}
	return b, msgs
}

// genlCheckCap refuses a do (dump) of an operation the kernel says has
// none, naming the one it has.
func (e *Env) genlCheckCap(L *lua.LState, b *genl.Bound, op *genl.Op, dump bool) {
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
func (e *Env) famDoit(L *lua.LState) int {
	f := e.checkFamily(L, 1)
	_, msgs := e.genlCall(L, f, false)
	if len(msgs) == 0 {
		return 0
	}
	list := e.newLazyList(f.g.tab.Protocol(), msgs)
	for i := 1; i <= list.Len(); i++ {
		L.Push(list.RawGetInt(i))
	}
	return list.Len()
}

// famDumpit is f:dumpit(op, attrs [, opts]): the list of replies.
func (e *Env) famDumpit(L *lua.LState) int {
	f := e.checkFamily(L, 1)
	_, msgs := e.genlCall(L, f, true)
	L.Push(e.newLazyList(f.g.tab.Protocol(), msgs))
	return 1
}

// famEach is f:each(op, attrs [, opts]): an iterator over a dump's
// replies as they arrive, keeping none behind.
func (e *Env) famEach(L *lua.LState) int {
	f := e.checkFamily(L, 1)
	b := e.famBound(L, f)
	op := e.famOp(L, b, 2)
	e.genlCheckCap(L, b, op, true)
	o := luaarg.RequestOptions(L, 4, b.Name+" "+op.Name)
	s, err := e.genlConn(f.g)
	if err != nil {
		e.raise(L, b.Name, err)
	}
	req := e.genlEncode(L, b, op, L.Get(3), engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	L.Push(e.streamIter(L, s, f.g.tab.Protocol(), req, b.Name+" "+op.Name, o))
	return 1
}

// genlDecode is genl.decode(bytes): the messages in a buffer, read as
// generic netlink of the Env's namespace. Families named by the nlctrl
// replies among them are learned first.
func (e *Env) genlDecode(L *lua.LState) int {
	b := []byte(L.CheckString(1))
	g := e.genlFor("")
	g.tab.Learn(b)
	t, err := e.decodeWith(g.tab.Protocol(), b)
	if err != nil {
		L.RaiseError("decode: %s", err.Error())
	}
	L.Push(t)
	return 1
}

// famPolicy is f:policy(op [, 'do'|'dump']): the kernel's policy for the
// operation's requests, keyed by attribute name: its type, limits, and
// for a nest the policy inside.
func (e *Env) famPolicy(L *lua.LState) int {
	f := e.checkFamily(L, 1)
	b := e.famBound(L, f)
	op := e.famOp(L, b, 2)
	which := L.OptString(3, "")
	s, err := e.genlConn(f.g)
	if err != nil {
		e.raise(L, b.Name, err)
	}
	pol, err := f.g.tab.GetPolicy(e.ctx(L), s.conn, b.ID, op.Req)
	if err != nil {
		e.raiseWith(L, b.Name+" policy", err, f.g.tab.Protocol())
	}
	o, ok := pol.Ops[uint32(op.Req)]
	if !ok {
		L.Push(L.NewTable())
		return 1
	}
	idx := o.Do
	switch which {
	case "":
		if idx < 0 {
			idx = o.Dump
		}
	case "do":
	case "dump":
		idx = o.Dump
	default:
		L.ArgError(3, "'do' or 'dump' expected")
	}
	if idx < 0 {
		L.Push(L.NewTable())
		return 1
	}
	L.Push(e.policyTable(L, pol, uint32(idx), op.Set, map[uint32]bool{}))
	return 1
}

func (e *Env) policyTable(L *lua.LState, pol *genl.Policy, idx uint32, set *engine.AttrSet, seen map[uint32]bool) *lua.LTable {
	t := L.NewTable()
	if seen[idx] {
		return t
	}
	seen[idx] = true
	defer delete(seen, idx)
	nums := make([]int, 0, len(pol.Sets[idx]))
	for n := range pol.Sets[idx] {
		nums = append(nums, int(n))
	}
	sort.Ints(nums)
	for _, n := range nums {
		ap := pol.Sets[idx][uint16(n)]
		name := fmt.Sprintf("attr-%d", n)
		var inner *engine.AttrSet
		if d := set.ByType(uint16(n)); d != nil {
			name, inner = d.Name, d.InnerSet()
			if inner != nil && inner.Indexed != nil {
				inner = inner.Indexed.InnerSet()
			}
		}
		at := L.NewTable()
		at.RawSetString("type", lua.LString(ap.Type))
		at.RawSetString("number", lua.LNumber(n))
		for _, l := range ap.Limits {
			at.RawSetString(strings.ReplaceAll(l.Name, "-", "_"), e.toLua(l.Value))
		}
		if ap.Nested >= 0 {
			at.RawSetString("nested", e.policyTable(L, pol, uint32(ap.Nested), inner, seen))
		}
		t.RawSetString(name, at)
	}
	return t
}

// famCheck is f:check(): where the family's description and the running
// kernel disagree, one sentence each.
func (e *Env) famCheck(L *lua.LState) int {
	f := e.checkFamily(L, 1)
	b := e.famBound(L, f)
	s, err := e.genlConn(f.g)
	if err != nil {
		e.raise(L, b.Name, err)
	}
	pol, err := f.g.tab.GetPolicy(e.ctx(L), s.conn, b.ID, -1)
	if err != nil {
		e.raiseWith(L, b.Name+" policy", err, f.g.tab.Protocol())
	}
	t := L.NewTable()
	for _, d := range genl.Check(b.Family(), b.Kernel, pol) {
		t.Append(lua.LString(d))
	}
	L.Push(t)
	return 1
}
