package luabind

import (
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/show"
)

// Message tables. A constructed message is a plain table whose metatable
// names its class. A decoded message is lazy: its metatable carries the raw
// message, and the first access to a field (or to attrs) materialises the
// fields (or the attributes) into the table itself, so afterwards it is an
// ordinary table that scripts read, mutate and re-encode. m:get() on a message
// whose attrs were never touched reads the raw bytes directly.

// lazyMsg is a decoded message: its Lua table, the message's header and
// where its body lies (in the datagram it came in, which it keeps alive).
// It is a slab entry, kept small because a listed dump holds one per
// message; its protocol is its group's, found through the table's
// metatable.
type lazyMsg struct {
	t      lua.LTable
	hdr    engine.Header
	body   *byte  // the body's first byte; nil for a nil body
	n      uint32 // the body's length
	fields bool   // header, fields and event are in the table
	attrs  bool   // attrs is in the table
}

// message is the raw message, its body aliasing the datagram.
func (lm *lazyMsg) message() engine.Message {
	var b []byte
	if lm.body != nil {
		b = unsafe.Slice(lm.body, lm.n)
	}
	return engine.Message{Header: lm.hdr, Body: b}
}

// protocol is the protocol the message was decoded by.
func (lm *lazyMsg) protocol() *engine.Protocol {
	if mt, ok := lm.t.Metatable.(*lua.LTable); ok {
		if g := groupOf(mt); g != nil {
			return g.proto
		}
	}
	return nil
}

// class is the message's class, nil when its type has none.
func (lm *lazyMsg) class() *engine.Class {
	m := lm.message()
	return lm.classOf(&m)
}

func (lm *lazyMsg) classOf(m *engine.Message) *engine.Class {
	if t := m.Type(lm.protocol()); t != nil {
		return t.Class
	}
	return nil
}

// record decodes the whole message. Nothing is cached: a kept message must
// not keep a decoded copy (nor, through the shared slab of its datagram,
// the copies of every message a filter decoded).
func (lm *lazyMsg) record(e *Env) *engine.Record {
	m := lm.message()
	return m.Decode(lm.protocol())
}

const (
	keyClass = "__class" // metatable key: the class name (string)
)

// msgKind is what a constructed message table is: a class of a protocol.
type msgKind struct {
	p *engine.Protocol
	c *engine.Class
}

// classMeta returns the shared metatable of constructed messages of class
// c of protocol p.
func (e *Env) classMeta(p *engine.Protocol, c *engine.Class) *lua.LTable {
	k := msgKind{p, c}
	if mt, ok := e.classMetas[k]; ok {
		return mt
	}
	mt := e.L.NewTable()
	mt.RawSetString("__index", e.methods)
	mt.RawSetString("__tostring", e.L.NewFunction(e.luaMsgToString))
	mt.RawSetString(keyClass, lua.LString(c.Name))
	e.classMetas[k] = mt
	e.metaClass[mt] = k
	return mt
}

// classOf returns the class of a message table: from its metatable, else
// from its header's type (and, in generic netlink, its cmd).
func (e *Env) classOf(t *lua.LTable) *engine.Class {
	if mt, ok := t.Metatable.(*lua.LTable); ok {
		if k, ok := e.metaClass[mt]; ok {
			return k.c
		}
	}
	if lm := e.lazyOf(t); lm != nil {
		return lm.class()
	}
	if mt := e.typeOf(t); mt != nil {
		return mt.Class
	}
	return nil
}

// isMessage reports whether t is a message table (constructed or decoded),
// which prints as a message rather than as a table.
func (e *Env) isMessage(t *lua.LTable) bool {
	if e.lazyOf(t) != nil {
		return true
	}
	mt, ok := t.Metatable.(*lua.LTable)
	_, known := e.metaClass[mt]
	return ok && known
}

// protoOf returns the protocol of a message table: the one it was decoded
// from or built for, else NETLINK_ROUTE.
func (e *Env) protoOf(t *lua.LTable) *engine.Protocol {
	if mt, ok := t.Metatable.(*lua.LTable); ok {
		if k, ok := e.metaClass[mt]; ok {
			return k.p
		}
	}
	if lm := e.lazyOf(t); lm != nil {
		return lm.protocol()
	}
	return e.route
}

// typeOf resolves the message type of a message table from what the table
// says: its header's type and flags, and the command byte a generic
// netlink message starts with (its cmd field).
func (e *Env) typeOf(t *lua.LTable) *engine.MsgType {
	if lm := e.lazyOf(t); lm != nil && !lm.fields {
		m := lm.message()
		return m.Type(lm.protocol())
	}
	ht, ok := t.RawGetString("header").(*lua.LTable)
	if !ok {
		return nil
	}
	// The type and flags as encoding reads them: numbers or names.
	var h engine.Header
	v := ht.RawGetString("type")
	if v == lua.LNil {
		return nil
	}
	n, err := engine.ParseInt(engine.U16, e.typeEnum(), e.fromLua(v))
	if err != nil {
		return nil
	}
	h.Type = uint16(n)
	if v := ht.RawGetString("flags"); v != lua.LNil {
		if n, err := engine.ParseInt(engine.U16, engine.AllFlags, e.fromLua(v)); err == nil {
			h.Flags = uint16(n)
		}
	}
	var body []byte
	if n, ok := t.RawGetString("cmd").(lua.LNumber); ok && n >= 0 && n <= 0xff {
		body = []byte{byte(n), 0, 0, 0}
	}
	return e.protoOf(t).Resolve(h, body, engine.DirAuto)
}

// newMessage builds an empty message table of class c with every field zero.
func (e *Env) newMessage(p *engine.Protocol, c *engine.Class, init *lua.LTable) *lua.LTable {
	// Sized tables: NewTable's default room for 32 entries costs more than
	// the message (scripts build thousands of these in a loop).
	n := 3
	if c.Struct != nil {
		n += len(c.Struct.Fields)
	}
	t := e.L.CreateTable(0, n)
	h := e.L.CreateTable(0, len(show.HeaderKeys))
	for _, k := range show.HeaderKeys {
		h.RawSetString(k, lua.LNumber(0))
	}
	t.RawSetString("header", h)
	if c.Struct != nil {
		for _, f := range c.Struct.Fields {
			if f.Kind == engine.Pad {
				continue
			}
			switch {
			case f.Kind.IsInt():
				t.RawSetString(f.Name, lua.LNumber(0))
			case f.Kind == engine.IPv4:
				t.RawSetString(f.Name, lua.LString("0.0.0.0"))
			case f.Kind == engine.IPv6:
				t.RawSetString(f.Name, lua.LString("::"))
			default:
				t.RawSetString(f.Name, lua.LString(""))
			}
		}
	}
	t.RawSetString("attrs", e.L.CreateTable(4, 0))
	t.Metatable = e.classMeta(p, c)
	if init != nil {
		init.ForEach(func(k, v lua.LValue) {
			if k.String() == "header" {
				if ht, ok := v.(*lua.LTable); ok {
					ht.ForEach(func(hk, hv lua.LValue) { h.RawSet(hk, hv) })
					return
				}
			}
			t.RawSet(k, v)
		})
	}
	return t
}

// newLazy wraps a received rtnetlink message in a lazy table.
func (e *Env) newLazy(m engine.Message) *lua.LTable { return e.newLazyWith(e.route, m) }

// newLazyWith wraps a message of protocol p in a lazy table.
func (e *Env) newLazyWith(p *engine.Protocol, m engine.Message) *lua.LTable {
	return e.newLazyGroup(p, []engine.Message{m}, nil)[0]
}

// newLazyList wraps many messages in a list of lazy tables, as one group.
func (e *Env) newLazyList(p *engine.Protocol, msgs []engine.Message) *lua.LTable {
	list := e.L.CreateTable(len(msgs), 0)
	e.appendLazy(list, e.newLazyEntries(p, msgs))
	return list
}

// appendLazy appends a group's tables to list.
func (e *Env) appendLazy(list *lua.LTable, g *lazyGroup) {
	for i := range g.entries {
		list.Append(&g.entries[i].t)
	}
}

// luaLazyIndex is __index of lazy messages: methods first, then materialise.
func (e *Env) luaLazyIndex(L *lua.LState) int {
	t := L.CheckTable(1)
	k := L.Get(2)
	if ks, ok := k.(lua.LString); ok {
		if m := e.methods.RawGetString(string(ks)); m != lua.LNil {
			L.Push(m)
			return 1
		}
	}
	lm := e.lazyOf(t)
	if lm == nil {
		return 0
	}
	if !lm.fields {
		e.materializeFields(t, lm)
	}
	if k.String() == "attrs" && !lm.attrs {
		e.materializeAttrs(t, lm)
	}
	L.Push(t.RawGet(k))
	return 1
}

// luaLazyNewIndex is __newindex of lazy messages: a script writing to a
// message it has not read yet. The decoded fields go into the table first, so
// the write is not overwritten later and the message re-encodes with it.
func (e *Env) luaLazyNewIndex(L *lua.LState) int {
	t := L.CheckTable(1)
	k, v := L.Get(2), L.Get(3)
	if lm := e.lazyOf(t); lm != nil {
		if !lm.fields {
			e.materializeFields(t, lm)
		}
		if k.String() == "attrs" {
			lm.attrs = true
		}
	}
	t.RawSet(k, v)
	return 0
}

func (e *Env) materializeFields(t *lua.LTable, lm *lazyMsg) {
	lm.fields = true
	m := lm.message()
	h := e.L.CreateTable(0, 5)
	hd := m.Header
	h.RawSetString("length", lua.LNumber(hd.Length))
	h.RawSetString("type", lua.LNumber(hd.Type))
	h.RawSetString("flags", lua.LNumber(hd.Flags))
	h.RawSetString("sequence_number", lua.LNumber(hd.Seq))
	h.RawSetString("pid", lua.LNumber(hd.PID))
	t.RawSetString("header", h)
	if mt := m.Type(lm.protocol()); mt != nil {
		t.RawSetString("event", lua.LString(mt.Name))
	}
	// The fixed header alone is decoded when that is all there is to
	// show: a filter reading m.dst_len on every route of a dump must not
	// decode every attribute too.
	if f, ok := m.Fields(lm.protocol()); ok {
		e.fillStruct(t, f)
		return
	}
	r := lm.record(e)
	if r.Fields != nil {
		e.fillStruct(t, r.Fields)
	}
	if r.Payload != nil {
		t.RawSetString("payload", lua.LString(r.Payload))
	}
	if r.Tail != nil && lm.classOf(&m) == nil {
		t.RawSetString("payload", lua.LString(r.Tail))
	}
}

func (e *Env) materializeAttrs(t *lua.LTable, lm *lazyMsg) {
	lm.attrs = true
	var set *engine.AttrSet
	c := lm.class()
	if c != nil {
		set = c.Attrs
	}
	r := lm.record(e)
	t.RawSetString("attrs", e.attrsToLua(set, r.Attrs))
	if r.Tail != nil && c != nil {
		t.RawSetString("_tail", lua.LString(r.Tail))
	}
}

// materialize makes a lazy table whole (for printing, iteration, encoding).
func (e *Env) materialize(t *lua.LTable) {
	if lm := e.lazyOf(t); lm != nil {
		if !lm.fields {
			e.materializeFields(t, lm)
		}
		if !lm.attrs {
			e.materializeAttrs(t, lm)
		}
	}
}

// encodeTable encodes a message table to wire bytes.
func (e *Env) encodeTable(t *lua.LTable) ([]byte, error) {
	if lm := e.lazyOf(t); lm != nil && !lm.fields && !lm.attrs {
		m := lm.message()
		return m.Bytes(), nil
	}
	e.materialize(t)
	c := e.classOf(t)
	var h engine.Header
	if ht, ok := t.RawGetString("header").(*lua.LTable); ok {
		var err error
		if h, err = e.headerFrom(ht, c); err != nil {
			return nil, err
		}
		// A decoded message keeps the length it arrived with; recompute it
		// so that added or removed attributes give a consistent message.
		if lm := e.lazyOf(t); lm != nil && h.Length == lm.hdr.Length {
			h.Length = 0
		}
	}
	if c == nil {
		if p, ok := t.RawGetString("payload").(lua.LString); ok {
			return engine.EncodeMessage(h, nil, []byte(p))
		}
	}
	return engine.EncodeMessage(h, c, e.fromLua(t))
}

func (e *Env) headerFrom(ht *lua.LTable, c *engine.Class) (engine.Header, error) {
	var h engine.Header
	get := func(key string, k engine.Kind, en *engine.Enum) (uint64, error) {
		v := ht.RawGetString(key)
		if v == lua.LNil {
			return 0, nil
		}
		n, err := engine.ParseInt(k, en, e.fromLua(v))
		if err != nil {
			return 0, &engine.EncodeError{Path: []string{"header." + key}, Msg: err.Error()}
		}
		return n, nil
	}
	var err error
	var n uint64
	if n, err = get("length", engine.U32, nil); err != nil {
		return h, err
	}
	h.Length = uint32(n)
	if n, err = get("type", engine.U16, e.typeEnum()); err != nil {
		return h, err
	}
	h.Type = uint16(n)
	if n, err = get("flags", engine.U16, engine.AllFlags); err != nil {
		return h, err
	}
	h.Flags = uint16(n)
	if n, err = get("sequence_number", engine.U32, nil); err != nil {
		return h, err
	}
	h.Seq = uint32(n)
	if n, err = get("pid", engine.U32, nil); err != nil {
		return h, err
	}
	h.PID = uint32(n)
	return h, nil
}

// decodeToLua splits a buffer into lazy rtnetlink message tables.
func (e *Env) decodeToLua(b []byte) (*lua.LTable, error) { return e.decodeWith(e.route, b) }

// decodeWith splits a buffer into lazy message tables of protocol p.
func (e *Env) decodeWith(p *engine.Protocol, b []byte) (*lua.LTable, error) {
	msgs, err := engine.Split(b)
	return e.newLazyList(p, msgs), err
}

// Methods shared by message and nested tables.

func (e *Env) luaGet(L *lua.LState) int {
	// The common case, m:get('RTA_DST') on a message whose attributes were
	// never touched, reads the one attribute from the bytes.
	if L.GetTop() == 2 {
		if t, ok := L.Get(1).(*lua.LTable); ok {
			if name, ok := L.Get(2).(lua.LString); ok {
				if lm := e.lazyOf(t); lm != nil && !lm.attrs {
					L.Push(e.lazyGetOne(lm, string(name)))
					return 1
				}
			}
		}
	}
	vals := e.getValues(L, true)
	if len(vals) == 0 {
		L.Push(lua.LNil)
	} else {
		L.Push(vals[0])
	}
	return 1
}

func (e *Env) luaGetAll(L *lua.LState) int {
	vals := e.getValues(L, false)
	t := L.CreateTable(len(vals), 0)
	for _, v := range vals {
		t.Append(v)
	}
	L.Push(t)
	return 1
}

// getValues walks the path of attribute names given as arguments 2.. and
// returns the values of the last one (only the first when first is set).
func (e *Env) getValues(L *lua.LState, first bool) []lua.LValue {
	t := L.CheckTable(1)
	n := L.GetTop()
	if n < 2 {
		L.ArgError(2, "attribute name expected")
	}

	path := make([]string, 0, n-1)
	for i := 2; i <= n; i++ {
		path = append(path, L.CheckString(i))
	}
	if lm := e.lazyOf(t); lm != nil && !lm.attrs {
		m := lm.message()
		vals := m.Lookup(lm.protocol(), path, first)
		out := make([]lua.LValue, len(vals))
		for i, v := range vals {
			out[i] = e.toLua(v)
		}
		return out
	}
	cur := []*lua.LTable{t}
	var set *engine.AttrSet
	if c := e.classOf(t); c != nil {
		set = c.Attrs
	}
	for i, name := range path {
		var next []*lua.LTable
		var vals []lua.LValue
		want, known := attrNumber(set, name)
		var nextSet *engine.AttrSet
		for _, c := range cur {
			attrs, ok := c.RawGetString("attrs").(*lua.LTable)
			if !ok && c.Metatable != nil {
				attrs, _ = L.GetField(c, "attrs").(*lua.LTable)
			}
			if attrs == nil {
				// A nested value written by a script is the list of
				// pairs itself.
				if _, isPair := c.RawGetInt(1).(*lua.LTable); !isPair {
					continue
				}
				attrs = c
			}
			for j := 1; j <= attrs.Len(); j++ {
				p, ok := attrs.RawGetInt(j).(*lua.LTable)
				if !ok {
					continue
				}
				// Compare by number where the set is known, so 'RTA_DST', 1
				// and 'RTA_1' name the same attribute, as in the lazy path.
				pn := lua.LVAsString(p.RawGetInt(1))
				if got, ok := attrNumber(set, pn); known && ok {
					if got != want {
						continue
					}
				} else if pn != name {
					continue
				}
				if d := set.ByType(want); d != nil {
					nextSet = d.InnerSet()
				}
				v := p.RawGetInt(2)
				if i == len(path)-1 {
					vals = append(vals, v)
					if first {
						return vals
					}
				} else if vt, ok := v.(*lua.LTable); ok {
					next = append(next, vt)
				}
			}
		}
		if i == len(path)-1 {
			return vals
		}
		cur, set = next, nextSet
	}
	return nil
}

func (e *Env) luaEncode(L *lua.LState) int {
	t := L.CheckTable(1)
	b, err := e.encodeTable(t)
	if err != nil {
		L.RaiseError("encode: %s", err.Error())
	}
	L.Push(lua.LString(b))
	return 1
}

func (e *Env) luaMsgToString(L *lua.LState) int {
	t := L.CheckTable(1)
	L.Push(lua.LString(e.printer.Message(t)))
	return 1
}

// attrNumber resolves an attribute name (or number, or 'PREFIX_n') in set.
func attrNumber(set *engine.AttrSet, name string) (uint16, bool) {
	if set == nil {
		return 0, false
	}
	d, ok := set.ByName(name)
	if !ok {
		return 0, false
	}
	return d.Type, true
}

// recordMessage is the message table a script would build for a request
// made in Go: header type and flags, the fields and the attribute pairs
// with their values as given (not decoded), length left to the encoder.
func (e *Env) recordMessage(h engine.Header, c *engine.Class, r *engine.Record) *lua.LTable {
	t := e.newMessage(e.route, c, nil)
	ht := t.RawGetString("header").(*lua.LTable)
	ht.RawSetString("type", lua.LNumber(h.Type))
	ht.RawSetString("flags", lua.LNumber(h.Flags))
	if r.Fields != nil {
		for i, f := range c.Struct.Fields {
			if i < len(r.Fields.Values) && r.Fields.Values[i] != nil {
				t.RawSetString(f.Name, e.looseToLua(r.Fields.Values[i]))
			}
		}
	}
	attrs := t.RawGetString("attrs").(*lua.LTable)
	for _, a := range r.Attrs {
		p := e.L.CreateTable(2, 0)
		p.Append(lua.LString(a.Name(c.Attrs)))
		p.Append(e.looseToLua(a.Value))
		attrs.Append(p)
	}
	return t
}
