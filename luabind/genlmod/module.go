package genlmod

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
	"nlsh/luabind/luaarg"
	"nlsh/ynl"
)

// Module is the genl module of one Lua state.
type Module struct {
	host  Host
	table *lua.LTable // the global genl
	// meta is the metatable of family objects, and methods their methods.
	meta    *lua.LTable
	methods *lua.LTable
	// nss is generic netlink's state per namespace.
	nss map[string]*namespace
	// specs describes families from their YNL specs, looked for first in
	// the directories ynlPath lists.
	specs *genl.Specs
}

// New makes the genl module of L; families are described from the YNL
// specs found first in ynlPath's directories, then the system's.
func New(h Host, L *lua.LState, ynlPath []string) *Module {
	m := &Module{
		host:  h,
		nss:   map[string]*namespace{},
		specs: &genl.Specs{Finder: &ynl.Finder{Dirs: ynlPath}},
	}
	m.methods = funcTable(L, map[string]lua.LGFunction{
		"ops":       m.famOps,
		"doit":      m.famDoit,
		"dumpit":    m.famDumpit,
		"each":      m.famEach,
		"policy":    m.famPolicy,
		"check":     m.famCheck,
		"subscribe": m.famSubscribe,
		"message":   m.famMessage,
	})
	m.meta = L.CreateTable(0, 2)
	m.meta.RawSetString("__index", L.NewFunction(m.famIndex))
	m.meta.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		f := m.checkFamily(L, 1)
		b := m.famBound(L, f)
		L.Push(lua.LString(fmt.Sprintf("generic netlink family %s (id %d, version %d, %d operations; %s)",
			b.Name, b.ID, b.Kernel.Version, len(b.Family().Ops), b.Family().Source)))
		return 1
	}))
	m.table = funcTable(L, map[string]lua.LGFunction{
		"families": m.genlFamilies,
		"family":   m.genlFamily,
		"decode":   m.genlDecode,
	})
	return m
}

// Table is the module's table: the global genl.
func (m *Module) Table() *lua.LTable { return m.table }

// Methods are a family object's methods (f:doit, …), and Meta its
// metatable.
func (m *Module) Methods() *lua.LTable { return m.methods }
func (m *Module) Meta() *lua.LTable    { return m.meta }

// funcTable is a table of the Go functions fns, sized for them.
func funcTable(L *lua.LState, fns map[string]lua.LGFunction) *lua.LTable {
	return L.SetFuncs(L.CreateTable(0, len(fns)), fns)
}

// namespaceOpt reads the netns option of a genl call's options table.
func (m *Module) namespaceOpt(L *lua.LState, i int) *namespace {
	ns := ""
	if t, ok := L.Get(i).(*lua.LTable); ok {
		t.ForEach(func(k, v lua.LValue) {
			switch k.String() {
			case "netns":
				var err error
				if ns, err = luaarg.Netns(v); err != nil {
					L.RaiseError("%s", luaarg.NetnsError("genl: option netns", err))
				}
			default:
				L.ArgError(i, fmt.Sprintf("unknown option '%s' (options: netns)", k.String()))
			}
		})
	}
	return m.namespaceOf(ns)
}

// genlFamilies is genl.families([opts]): every family of the namespace,
// sorted by name.
func (m *Module) genlFamilies(L *lua.LState) int {
	g := m.namespaceOpt(L, 1)
	s, err := m.conn(g)
	if err != nil {
		m.host.Raise(L, "genl.families", err, g.tab.Protocol())
	}
	bs, err := g.tab.List(m.host.Context(L), s)
	if err != nil {
		m.host.Raise(L, "genl.families", err, g.tab.Protocol())
	}
	t := L.CreateTable(len(bs), 0)
	for _, b := range bs {
		t.Append(m.newFamily(L, g, b.Name))
	}
	L.Push(t)
	return 1
}

// genlFamily is genl.family(name [, opts]).
func (m *Module) genlFamily(L *lua.LState) int {
	name := L.CheckString(1)
	g := m.namespaceOpt(L, 2)
	f := &family{g: g, name: name}
	m.lookupFamily(L, f)
	L.Push(m.newFamily(L, g, name))
	return 1
}

// genlDecode is genl.decode(bytes): the messages in a buffer, read as
// generic netlink of the host's default namespace. Families named by the
// nlctrl replies among them are learned first.
func (m *Module) genlDecode(L *lua.LState) int {
	b := []byte(L.CheckString(1))
	g := m.namespaceOf("")
	g.tab.Learn(b)
	msgs, err := engine.Split(b)
	t := m.host.Messages(g.tab.Protocol(), msgs)
	if err != nil {
		L.RaiseError("decode: %s", err.Error())
	}
	L.Push(t)
	return 1
}
