package luabind

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// maxExact is the largest integer a Lua number holds exactly.
const maxExact = luaarg.MaxExact

// toLua converts a decoded engine value to a Lua value.
func (e *Env) toLua(v any) lua.LValue {
	switch x := v.(type) {
	case nil:
		return lua.LNil
	case uint64:
		if x > maxExact {
			return lua.LString(strconv.FormatUint(x, 10))
		}
		return lua.LNumber(float64(x))
	case int64:
		if x > maxExact || x < -maxExact {
			return lua.LString(strconv.FormatInt(x, 10))
		}
		return lua.LNumber(float64(x))
	case string:
		return lua.LString(x)
	case []byte:
		return lua.LString(x)
	case bool:
		return lua.LBool(x)
	case netip.Addr:
		return lua.LString(x.String())
	case engine.HWAddr:
		return lua.LString(x.String())
	case *engine.NestValue:
		t := e.L.NewTable()
		t.RawSetString("attrs", e.attrsToLua(x.Set, x.Attrs))
		t.Metatable = e.nestMeta
		return t
	case *engine.StructValue:
		return e.structToLua(x)
	case []any:
		t := e.L.CreateTable(len(x), 0)
		for _, el := range x {
			t.Append(e.toLua(el))
		}
		return t
	case []*engine.Record:
		t := e.L.CreateTable(len(x), 0)
		for _, r := range x {
			t.Append(e.recordToLua(r))
		}
		return t
	case *engine.Record:
		return e.recordToLua(x)
	}
	return lua.LString("?")
}

func (e *Env) structToLua(s *engine.StructValue) *lua.LTable {
	t := e.L.CreateTable(0, len(s.Values))
	e.fillStruct(t, s)
	return t
}

func (e *Env) fillStruct(t *lua.LTable, s *engine.StructValue) {
	for i, f := range s.Desc.Fields {
		if f.Kind == engine.Pad {
			continue
		}
		if b, ok := s.Values[i].([]byte); ok && f.Kind != engine.Binary {
			t.RawSetString(f.Name, e.rawValue(b))
			continue
		}
		t.RawSetString(f.Name, e.toLua(s.Values[i]))
	}
	if s.Desc.Flex != nil {
		l := e.L.CreateTable(len(s.Flex), 0)
		for _, fl := range s.Flex {
			l.Append(e.structToLua(fl))
		}
		t.RawSetString(s.Desc.FlexName, l)
	}
	if s.Tail != nil {
		t.RawSetString("_tail", lua.LString(s.Tail))
	}
}

// recordToLua builds a record table (an rtnexthop, a VETH_INFO_PEER): struct
// fields by name plus attrs.
func (e *Env) recordToLua(r *engine.Record) *lua.LTable {
	t := e.L.NewTable()
	if r.Fields != nil {
		e.fillStruct(t, r.Fields)
	}
	var set *engine.AttrSet
	if r.Class != nil {
		set = r.Class.Attrs
	}
	t.RawSetString("attrs", e.attrsToLua(set, r.Attrs))
	if r.Tail != nil {
		t.RawSetString("_tail", lua.LString(r.Tail))
	}
	t.Metatable = e.nestMeta
	return t
}

func (e *Env) attrsToLua(set *engine.AttrSet, attrs []engine.Attr) *lua.LTable {
	t := e.L.CreateTable(len(attrs), 0)
	for i := range attrs {
		t.Append(e.pairToLua(set, &attrs[i]))
	}
	return t
}

func (e *Env) pairToLua(set *engine.AttrSet, a *engine.Attr) *lua.LTable {
	p := e.L.CreateTable(2, 0)
	p.Append(lua.LString(a.Name(set)))
	if b, ok := a.Value.([]byte); ok && a.Desc != nil && a.Desc.Kind != engine.Binary {
		// The payload did not match its description: keep it as raw bytes
		// that re-encode verbatim.
		p.Append(e.rawValue(b))
	} else {
		p.Append(e.toLua(a.Value))
	}
	if a.Flags != 0 || a.Desc.AddsNestFlag() {
		// nla_flags 0 where the encoder would set NLA_F_NESTED itself
		// (generic netlink's nests): the kernel left it off, and so will
		// the message, encoded again.
		p.RawSetString("nla_flags", lua.LNumber(a.Flags))
	}
	return p
}

// fromLua converts a Lua value to the loose form the engine's encoder reads.
// Lazily decoded messages that were never touched convert to their decoded
// record, which encodes to their original bytes. Values with no meaning on
// the wire (functions, coroutines, userdata) become engine.Opaque, which the
// encoder refuses with the path of the field they were given for: never a
// text such as "function: 0x…" that would be sent as it is.
func (e *Env) fromLua(v lua.LValue) any {
	return e.fromLuaDepth(v, 0)
}

// fromLuaDepth is fromLua for a value depth levels inside a message.
func (e *Env) fromLuaDepth(v lua.LValue, depth int) any {
	c := looseConv{e: e}
	out := c.value(v, depth)
	if c.n > maxLooseValues {
		return engine.Opaque{Type: fmt.Sprintf("a table of more than %d values (a table it holds in several places counted each time)", maxLooseValues), Value: v}
	}
	return out
}

// maxLooseValues bounds the values one conversion visits: a table that
// holds the same subtable many times over (t = {t, t} twenty times) is
// small in memory but would be walked for ever.
const maxLooseValues = 1 << 20

// looseConv is one fromLua conversion: the tables it is inside (at most 64,
// so a list), so that a table holding itself is an error rather than
// endless work, and how many values it has visited.
type looseConv struct {
	e      *Env
	inside []*lua.LTable
	n      int
}

func (c *looseConv) value(v lua.LValue, depth int) any {
	e := c.e
	if depth > 64 {
		return engine.Opaque{Type: "a table nested more than 64 deep", Value: v}
	}
	if c.n++; c.n > maxLooseValues {
		return nil // fromLuaDepth refuses the whole value
	}
	switch x := v.(type) {
	case lua.LNumber:
		return luaarg.Number(float64(x))
	case lua.LString:
		return string(x)
	case lua.LBool:
		return bool(x)
	case *lua.LTable:
		if lm := e.lazyOf(x); lm != nil && !lm.fields && !lm.attrs {
			return lm.record(e)
		}
		if x.Metatable == e.rawMeta {
			return []byte(lua.LVAsString(x.RawGetString("bytes")))
		}
		if slices.Contains(c.inside, x) {
			return engine.Opaque{Type: "a table that contains itself", Value: v}
		}
		c.inside = append(c.inside, x)
		defer func() { c.inside = c.inside[:len(c.inside)-1] }()
		t := engine.Table{}
		n := x.Len()
		if n > 0 {
			t.List = make([]any, 0, min(n, maxLooseValues))
			for i := 1; i <= n && c.n <= maxLooseValues; i++ {
				t.List = append(t.List, c.value(x.RawGetInt(i), depth+1))
			}
			// A list (attribute pairs, nests, arrays) carries at most
			// nla_flags by name. Keys past the list are carried too, so
			// that the encoder refuses what it would otherwise drop;
			// asking for the key after the last item is cheap when there
			// is none.
			for k, val := x.Next(lua.LNumber(n)); k != lua.LNil; k, val = x.Next(k) {
				if ks, ok := k.(lua.LString); ok {
					if t.Map == nil {
						t.Map = make(map[string]any, 1)
					}
					t.Map[string(ks)] = c.value(val, depth+1)
				}
			}
			return t
		}
		x.ForEach(func(k, val lua.LValue) {
			ks, ok := k.(lua.LString)
			if !ok {
				return
			}
			// A message's header is read on its own (headerFrom) and its
			// event is a name for people: neither is payload.
			if depth == 0 && (ks == "header" || ks == "event") {
				return
			}
			if t.Map == nil {
				t.Map = make(map[string]any, 8)
			}
			t.Map[string(ks)] = c.value(val, depth+1)
		})
		return t
	case *lua.LNilType:
		return nil
	}
	return engine.Opaque{Type: luaarg.TypeName(v), Value: v}
}

// rawValue wraps bytes that must be sent verbatim whatever the attribute's
// description says: nl.raw(s) in scripts, and payloads that did not decode.
func (e *Env) rawValue(b []byte) *lua.LTable {
	t := e.L.CreateTable(0, 1)
	t.RawSetString("bytes", lua.LString(b))
	t.Metatable = e.rawMeta
	return t
}

func (e *Env) luaRaw(L *lua.LState) int {
	L.Push(e.rawValue([]byte(L.CheckString(1))))
	return 1
}

// looseToLua turns a script value after fromLua back into the Lua value it
// came from: numbers, strings, booleans, tables of them, nl.raw bytes.
func (e *Env) looseToLua(v any) lua.LValue {
	switch x := v.(type) {
	case nil:
		return lua.LNil
	case string:
		return lua.LString(x)
	case uint64:
		return lua.LNumber(x)
	case int64:
		return lua.LNumber(x)
	case float64:
		return lua.LNumber(x)
	case bool:
		return lua.LBool(x)
	case []byte:
		return e.rawValue(x)
	case engine.Opaque:
		if lv, ok := x.Value.(lua.LValue); ok {
			return lv
		}
	case engine.Table:
		t := e.L.CreateTable(len(x.List), len(x.Map))
		for _, it := range x.List {
			t.Append(e.looseToLua(it))
		}
		for k, it := range x.Map {
			t.RawSetString(k, e.looseToLua(it))
		}
		return t
	}
	return e.toLua(v)
}
