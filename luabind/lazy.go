package luabind

import (
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Decoded messages come in groups: the messages of one dump (or a single
// received message) share a Go slab of raw messages and, per class, one
// metatable that points at the group. A message table carries nothing of its
// own until it is read; its raw message is found through its metatable's
// group, by the table's address. That keeps a 100,000-message dump to one
// small table per message and one map entry: a per-message metatable, a
// hidden key in the table or a runtime cleanup per table each cost more
// than the decoding they would save.
//
// The group lives as long as any of its tables (through their shared
// metatable) and holds addresses, not pointers, so it keeps no table alive.
// A table's address is stable while it lives (Go's collector does not move
// objects); once a table is garbage another may take its address, but only
// a table with this group's metatable is ever looked up there, and the
// metatable is protected (__metatable), so no script can give one to a
// table of its own.
type lazyGroup struct {
	msgs  []lazyMsg
	index map[uintptr]int32 // table address -> msgs index
	metas map[*engine.Class]*lua.LTable
}

// keyGroup is the metatable key holding the group (a userdata).
const keyGroup = "__lazy"

// lazyCache remembers the last table looked up: scripts call m:get several
// times on the same message. Only the Lua goroutine uses it.
type lazyCache struct {
	t  *lua.LTable
	lm *lazyMsg
}

// forgetLast drops the one-entry lookup cache, so it keeps no message (and
// its dump) alive past the chunk that used it.
func (c *lazyCache) forgetLast() { c.t, c.lm = nil, nil }

// newLazyGroup wraps messages of protocol p in lazy tables, appended to list
// when it is not nil, and returns the tables.
func (e *Env) newLazyGroup(p *engine.Protocol, msgs []engine.Message, list *lua.LTable) []*lua.LTable {
	g := &lazyGroup{msgs: make([]lazyMsg, len(msgs)), index: make(map[uintptr]int32, len(msgs))}
	ud := e.L.NewUserData()
	ud.Value = g
	tables := make([]*lua.LTable, len(msgs))
	for i := range msgs {
		lm := &g.msgs[i]
		*lm = lazyMsg{msg: msgs[i], proto: p}
		if mt := lm.msg.Type(p); mt != nil {
			lm.class = mt.Class
		}
		// An empty table: gopher-lua's NewTable preallocates room for 32
		// entries, which for a large dump would be most of the memory.
		t := e.L.CreateTable(0, 0)
		t.Metatable = e.groupMeta(g, ud, lm)
		g.index[uintptr(unsafe.Pointer(t))] = int32(i)
		tables[i] = t
		if list != nil {
			list.Append(t)
		}
	}
	return tables
}

// groupMeta returns the group's metatable for lm's class.
func (e *Env) groupMeta(g *lazyGroup, ud *lua.LUserData, lm *lazyMsg) *lua.LTable {
	if mt, ok := g.metas[lm.class]; ok {
		return mt
	}
	mt := e.L.CreateTable(0, 5)
	mt.RawSetString("__index", e.lazyIndex)
	mt.RawSetString("__newindex", e.lazyNewIndex)
	mt.RawSetString("__tostring", e.msgToString)
	mt.RawSetString(keyGroup, ud)
	mt.RawSetString("__metatable", lua.LString("decoded message"))
	if lm.class != nil {
		mt.RawSetString(keyClass, lua.LString(lm.class.Name))
	}
	if g.metas == nil {
		g.metas = map[*engine.Class]*lua.LTable{}
	}
	g.metas[lm.class] = mt
	return mt
}

// lazyGet returns the raw message behind a table whose metatable is mt, a
// decoded message's; nil if the table is not one of its group.
func (e *Env) lazyGet(t, mt *lua.LTable) *lazyMsg {
	if t == e.lazyLast.t {
		return e.lazyLast.lm
	}
	ud, ok := mt.RawGetString(keyGroup).(*lua.LUserData)
	if !ok {
		return nil
	}
	g, ok := ud.Value.(*lazyGroup)
	if !ok {
		return nil
	}
	i, ok := g.index[uintptr(unsafe.Pointer(t))]
	if !ok {
		return nil
	}
	lm := &g.msgs[i]
	e.lazyLast = lazyCache{t, lm}
	return lm
}
