package genlmod

import (
	"fmt"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
)

// famPolicy is f:policy(op [, 'do'|'dump']): the kernel's policy for the
// operation's requests, keyed by attribute name: its type, limits, and
// for a nest the policy inside.
func (m *Module) famPolicy(L *lua.LState) int {
	f := m.checkFamily(L, 1)
	b := m.famBound(L, f)
	op := famOp(L, b, 2)
	which := L.OptString(3, "")
	p := f.g.tab.Protocol()
	s, err := m.conn(f.g)
	if err != nil {
		m.host.Raise(L, b.Name, err, p)
	}
	pol, err := f.g.tab.GetPolicy(m.host.Context(L), s, b.ID, op.Req)
	if err != nil {
		m.host.Raise(L, b.Name+" policy", err, p)
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
	L.Push(m.policyTable(L, pol, uint32(idx), op.Set, map[uint32]bool{}))
	return 1
}

func (m *Module) policyTable(L *lua.LState, pol *genl.Policy, idx uint32, set *engine.AttrSet, seen map[uint32]bool) *lua.LTable {
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
			at.RawSetString(strings.ReplaceAll(l.Name, "-", "_"), m.host.ToLua(l.Value))
		}
		if ap.Nested >= 0 {
			at.RawSetString("nested", m.policyTable(L, pol, uint32(ap.Nested), inner, seen))
		}
		t.RawSetString(name, at)
	}
	return t
}

// famCheck is f:check(): where the family's description and the running
// kernel disagree, one sentence each.
func (m *Module) famCheck(L *lua.LState) int {
	f := m.checkFamily(L, 1)
	b := m.famBound(L, f)
	p := f.g.tab.Protocol()
	s, err := m.conn(f.g)
	if err != nil {
		m.host.Raise(L, b.Name, err, p)
	}
	pol, err := f.g.tab.GetPolicy(m.host.Context(L), s, b.ID, -1)
	if err != nil {
		m.host.Raise(L, b.Name+" policy", err, p)
	}
	t := L.NewTable()
	for _, d := range genl.Check(b.Family(), b.Kernel, pol) {
		t.Append(lua.LString(d))
	}
	L.Push(t)
	return 1
}
