package luabind

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Decoded messages come in groups: the messages of one datagram (or of one
// buffer given to rtnl.decode) share a Go slab holding, side by side, each
// message's Lua table and its raw message, and, per class, one metatable
// that points at the group. A message table carries nothing of its own
// until it is read; its raw message is the slab entry its address falls in.
// That keeps a dump to one slab entry per message, with no map and no
// allocation of its own: a per-message metatable, a hidden key in the table
// or a runtime cleanup per table each cost more than the decoding they
// would save.
//
// The tables live inside the slab, so any table of a group keeps the group
// (its slab, its metatables and its datagram) alive, and nothing else does:
// a script that keeps one route of a large dump keeps its datagram's
// worth, not the dump. A table is found to be a decoded message by its
// metatable, whose array part holds the group, and by its address, which
// must be one of the group's slab entries: a script that hands the
// metatable to a table of its own (debug.setmetatable) gets a table that
// is no message, never another's memory.
type lazyGroup struct {
	entries []lazyMsg
	proto   *engine.Protocol
	metas   []groupMeta
	ud      *lua.LUserData // the metatables' link to the group
}

// groupMeta is a group's metatable for messages of one class.
type groupMeta struct {
	c  *engine.Class
	mt *lua.LTable
}

// entrySize is the distance between two tables of a slab.
const entrySize = unsafe.Sizeof(lazyMsg{})

// keyGroup is the metatable key holding the group (a userdata), for
// people reading a metatable with the debug library; lookups use the
// metatable's first array slot, which holds the same userdata.
const keyGroup = "__lazy"

// newLazyEntries wraps messages of protocol p in lazy tables, one group.
func (e *Env) newLazyEntries(p *engine.Protocol, msgs []engine.Message) *lazyGroup {
	g := &lazyGroup{entries: make([]lazyMsg, len(msgs)), proto: p}
	g.ud = e.L.NewUserData()
	g.ud.Value = g
	var last *groupMeta
	for i := range msgs {
		en := &g.entries[i]
		m := &msgs[i]
		en.hdr, en.body, en.n = m.Header, unsafe.SliceData(m.Body), uint32(len(m.Body))
		var c *engine.Class
		if mt := m.Type(p); mt != nil {
			c = mt.Class
		}
		// Messages of a datagram are mostly of one class.
		if last == nil || last.c != c {
			last = e.groupMeta(g, c)
		}
		en.t.Metatable = last.mt
	}
	return g
}

// newLazyGroup wraps messages of protocol p in lazy tables, appended to list
// when it is not nil, and returns the tables.
func (e *Env) newLazyGroup(p *engine.Protocol, msgs []engine.Message, list *lua.LTable) []*lua.LTable {
	g := e.newLazyEntries(p, msgs)
	tables := make([]*lua.LTable, len(g.entries))
	for i := range g.entries {
		tables[i] = &g.entries[i].t
		if list != nil {
			list.Append(tables[i])
		}
	}
	return tables
}

// groupMeta returns the group's metatable for messages of class c.
func (e *Env) groupMeta(g *lazyGroup, c *engine.Class) *groupMeta {
	for i := range g.metas {
		if g.metas[i].c == c {
			return &g.metas[i]
		}
	}
	mt := e.L.CreateTable(1, 6)
	mt.RawSetInt(1, g.ud)
	mt.RawSetString("__index", e.lazyIndex)
	mt.RawSetString("__newindex", e.lazyNewIndex)
	mt.RawSetString("__tostring", e.msgToString)
	mt.RawSetString(keyGroup, g.ud)
	mt.RawSetString("__metatable", lua.LString("decoded message"))
	if c != nil {
		mt.RawSetString(keyClass, lua.LString(c.Name))
	}
	g.metas = append(g.metas, groupMeta{c, mt})
	return &g.metas[len(g.metas)-1]
}

// groupOf returns the group a decoded message's metatable points at, or
// nil for any other metatable.
func groupOf(mt *lua.LTable) *lazyGroup {
	ud, ok := mt.RawGetInt(1).(*lua.LUserData)
	if !ok {
		return nil
	}
	g, _ := ud.Value.(*lazyGroup)
	return g
}

// entry returns the group's entry whose table is t, or nil.
func (g *lazyGroup) entry(t *lua.LTable) *lazyMsg {
	if len(g.entries) == 0 {
		return nil
	}
	// Addresses only: a table below the slab wraps round to a large index.
	i := (uintptr(unsafe.Pointer(t)) - uintptr(unsafe.Pointer(&g.entries[0].t))) / entrySize
	if i >= uintptr(len(g.entries)) || &g.entries[i].t != t {
		return nil
	}
	return &g.entries[i]
}

// lazyOf returns the raw message behind a decoded message table, or nil for
// any other table.
func (e *Env) lazyOf(t *lua.LTable) *lazyMsg {
	mt, ok := t.Metatable.(*lua.LTable)
	if !ok {
		return nil
	}
	g := groupOf(mt)
	if g == nil {
		return nil
	}
	return g.entry(t)
}

// lazyCaches make m:get cheap in the common case: they remember what a
// name resolves to in a class, and the Lua values of small numbers and of
// IPv4 addresses, which repeat across a dump (tables, interfaces,
// gateways). Lua strings and numbers are values, so handing out the same
// one twice is invisible to scripts. Only the Lua goroutine uses them.
type lazyCaches struct {
	names    [4]nameCache
	nextName int
	nums     [256]lua.LValue
	addrs    [256]addrCache
}

type nameCache struct {
	c     *engine.Class
	name  string
	d     *engine.AttrDesc // nil: the class has no such attribute
	known bool             // d is described (not a number the set lacks)
}

type addrCache struct {
	key uint32
	v   lua.LValue
}

// attrNamed resolves name in class c as Message.Get does.
func (e *Env) attrNamed(c *engine.Class, name string) (*engine.AttrDesc, bool) {
	cs := &e.lazy
	for i := range cs.names {
		if n := &cs.names[i]; n.c == c && n.name == name {
			return n.d, n.known
		}
	}
	d, ok := c.Attrs.ByName(name)
	if !ok {
		d = nil
	}
	known := ok && c.Attrs.ByType(d.Type) != nil
	cs.names[cs.nextName] = nameCache{c, name, d, known}
	cs.nextName = (cs.nextName + 1) % len(cs.names)
	return d, known
}

// lazyGetOne is m:get(name) on a decoded message whose attributes are not
// in its table: it reads the one attribute from the bytes.
func (e *Env) lazyGetOne(lm *lazyMsg, name string) lua.LValue {
	m := lm.message()
	c := lm.classOf(&m)
	if c == nil || c == engine.ErrClass || c == engine.DoneClass {
		if v, ok := m.Get(lm.protocol(), name); ok {
			return e.toLua(v)
		}
		return lua.LNil
	}
	d, known := e.attrNamed(c, name)
	if d == nil {
		return lua.LNil
	}
	p, ok := m.Find(c, d.Type)
	if !ok {
		return lua.LNil
	}
	if !known {
		return lua.LString(p) // an attribute named by a number the set lacks
	}
	if v, ok := e.scalarToLua(d, p); ok {
		return v
	}
	return e.toLua(m.AttrValue(c, d, p))
}

// scalarToLua converts the payload of an attribute of a common scalar kind
// straight to what toLua makes of its decoded value; ok is false for other
// kinds, and for payloads that do not fit their kind (the engine keeps
// those as bytes).
func (e *Env) scalarToLua(d *engine.AttrDesc, p []byte) (lua.LValue, bool) {
	switch d.Kind {
	case engine.IPv4, engine.IP:
		if len(p) == 4 {
			return e.ipv4(p), true
		}
	case engine.U8:
		if len(p) == 1 {
			return e.number(uint64(p[0])), true
		}
	case engine.U16:
		if len(p) == 2 {
			return e.number(uint64(binary.LittleEndian.Uint16(p))), true
		}
	case engine.U32:
		if len(p) == 4 {
			return e.number(uint64(binary.LittleEndian.Uint32(p))), true
		}
	case engine.String:
		return lua.LString(p), true
	case engine.Asciiz:
		if len(p) > 0 && bytes.IndexByte(p, 0) == len(p)-1 {
			return lua.LString(p[:len(p)-1]), true
		}
	}
	return nil, false
}

// number is the Lua number n, shared when small.
func (e *Env) number(n uint64) lua.LValue {
	if n >= uint64(len(e.lazy.nums)) {
		return lua.LNumber(n)
	}
	v := e.lazy.nums[n]
	if v == nil {
		v = lua.LNumber(n)
		e.lazy.nums[n] = v
	}
	return v
}

// ipv4 is the dotted-quad string of a 4-byte address, shared with the
// last use of the same address that hashed to the same slot.
func (e *Env) ipv4(p []byte) lua.LValue {
	key := binary.BigEndian.Uint32(p)
	slot := &e.lazy.addrs[(key*2654435761)>>24]
	if slot.v != nil && slot.key == key {
		return slot.v
	}
	var buf [15]byte
	b := strconv.AppendUint(buf[:0], uint64(p[0]), 10)
	for _, x := range p[1:] {
		b = append(b, '.')
		b = strconv.AppendUint(b, uint64(x), 10)
	}
	v := lua.LValue(lua.LString(b))
	*slot = addrCache{key, v}
	return v
}
