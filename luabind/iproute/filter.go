package iproute

import (
	"encoding/binary"
	"errors"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
	"nlsh/rtnl"
)

// Filters. A getter's filter is a table of the verb's keys, read through
// the same table as its changes: each key compares the message's field or
// attribute with the value given, read as the key reads it ('static' for
// a proto, an interface by name), or, when the value is a function, calls
// it with the message's value and keeps the message when it returns true
// (priority = function(p) return p > 100 end), as pyroute2's filters do.
// A filter may also be a function of the whole message, or hold one as
// match. What the kernel can filter goes into the dump request instead
// (each verb says which keys); the rest is tested here, on the raw
// messages, before any becomes a Lua table.

// msgTest tests one raw message.
type msgTest func(m *engine.Message) bool

// ipFilter is a compiled filter.
type ipFilter struct {
	c     *ipCall
	tests []msgTest
	fns   []lua.LValue // functions of the whole message
}

// keyFilter lets a verb take a filter key itself: put it into the dump
// request, or test it its own way. It returns false to leave the key to
// the generic test.
type keyFilter func(f *ipFilter, k *ipKey, want lua.LValue, req *ipMsg) bool

// compileFilter reads the call's filter keys, in the verb's order, into
// tests; own takes the keys the verb handles itself.
func (c *ipCall) compileFilter(req *ipMsg, own keyFilter) *ipFilter {
	f := &ipFilter{c: c}
	for _, idx := range sortedInts(c.set) {
		k := c.verb.keys[idx]
		want := c.vals[idx]
		if own != nil && own(f, k, want, req) {
			continue
		}
		f.key(k, want)
	}
	for _, r := range c.sortedRaw() {
		d, want := r.d, r.v
		get := func(m *engine.Message) lua.LValue { return c.attrValue(m, d) }
		f.compare(get, want, func(got, want lua.LValue) bool { return got == want })
	}
	switch m := c.match.(type) {
	case nil:
	case *lua.LFunction:
		f.fns = append(f.fns, m)
	case *lua.LTable:
		// match = {…}: more keys, as pyroute2's match takes a dict.
		sub := c.inst.call(c.L, c.verb, c.cmd, useFilter)
		sub.read(m)
		more := sub.compileFilter(req, own)
		f.tests = append(f.tests, more.tests...)
		f.fns = append(f.fns, more.fns...)
		sub.done()
	default:
		c.fail("match: expected a function or a table of keys, got %s", luaarg.TypeName(m))
	}
	return f
}

// key compiles the generic test of key k: the message's field or
// attribute against want.
func (f *ipFilter) key(k *ipKey, want lua.LValue) {
	c := f.c
	var get func(m *engine.Message) lua.LValue
	switch {
	case k.field >= 0:
		i := k.field
		get = func(m *engine.Message) lua.LValue { return c.fieldValue(m, i) }
	case k.attr != nil:
		d := k.attr
		get = func(m *engine.Message) lua.LValue { return c.attrValue(m, d) }
	default:
		c.fail("%s: not a filter key", k.name)
	}
	if _, isFn := want.(*lua.LFunction); isFn {
		f.compare(get, want, nil)
		return
	}
	switch k.kind {
	case vFlag:
		f.compare(get, lua.LBool(truthy(want)), func(got, want lua.LValue) bool { return (got != lua.LNil) == (want == lua.LTrue) })
	case vFlags:
		// Flags match when every one asked for is set.
		bits, _ := c.flagsValue(k, want)
		w := uint64(bits.(lua.LNumber))
		f.compare(get, bits, func(got, _ lua.LValue) bool {
			n, ok := got.(lua.LNumber)
			return ok && uint64(n)&w == w
		})
	case vAddr:
		f.compare(get, lua.LString(c.canonAddr(k.name, want)), equal)
	case vMAC:
		f.compare(get, lua.LString(strings.ToLower(lua.LVAsString(want))), func(got, want lua.LValue) bool {
			return strings.ToLower(lua.LVAsString(got)) == string(want.(lua.LString))
		})
	default:
		f.compare(get, c.value(k, want), equal)
	}
}

// equal is Lua's ==, for values that are not tables.
func equal(got, want lua.LValue) bool { return got == want }

// compare adds a test of get's value against want: a function is called
// with the value, anything else compared by same.
func (f *ipFilter) compare(get func(*engine.Message) lua.LValue, want lua.LValue, same func(got, want lua.LValue) bool) {
	if fn, ok := want.(*lua.LFunction); ok {
		c := f.c
		f.tests = append(f.tests, func(m *engine.Message) bool { return c.calls(fn, get(m)) })
		return
	}
	f.tests = append(f.tests, func(m *engine.Message) bool { return same(get(m), want) })
}

// test adds a test of the verb's own.
func (f *ipFilter) test(t msgTest) { f.tests = append(f.tests, t) }

// calls calls a filter's function with v and reports whether it returned
// true (anything but nil and false).
func (c *ipCall) calls(fn lua.LValue, v lua.LValue) bool {
	L := c.L
	L.Push(fn)
	L.Push(v)
	c.m.host.Call(L, c.what(), 1, 1)
	r := L.Get(-1)
	L.Pop(1)
	return truthy(r)
}

// keep returns the messages that pass every test, as a Lua list; the
// functions of the whole message see them as tables.
func (f *ipFilter) keep(msgs []engine.Message) *lua.LTable {
	list, _ := f.keepBoth(msgs)
	return list
}

// passed returns the messages that pass every test, as they are.
func (f *ipFilter) passed(msgs []engine.Message) []engine.Message {
	_, kept := f.keepBoth(msgs)
	return kept
}

// keepBoth returns the messages that pass every test as a Lua list and as
// they are.
func (f *ipFilter) keepBoth(msgs []engine.Message) (*lua.LTable, []engine.Message) {
	h := f.c.m.host
	kept := msgs[:0:0]
	if len(f.tests) == 0 {
		kept = msgs
	} else {
	next:
		for i := range msgs {
			m := &msgs[i]
			if m.Header.Type == engine.NLMSG_DONE || m.Header.Type == engine.NLMSG_ERROR {
				continue
			}
			for _, t := range f.tests {
				if !t(m) {
					continue next
				}
			}
			kept = append(kept, *m)
		}
	}
	list := h.Messages(kept)
	if len(f.fns) == 0 {
		return list, kept
	}
	out := f.c.L.CreateTable(list.Len(), 0)
	var raw []engine.Message
	for i := 1; i <= list.Len(); i++ {
		t := list.RawGetInt(i)
		ok := true
		for _, fn := range f.fns {
			if ok = f.c.calls(fn, t); !ok {
				break
			}
		}
		if ok {
			out.Append(t)
			raw = append(raw, kept[i-1])
		}
	}
	return out, raw
}

// fieldValue reads header field i of a raw message as a Lua number.
func (c *ipCall) fieldValue(m *engine.Message, i int) lua.LValue {
	f := c.verb.class.Struct.Fields[i]
	n, ok := fieldNumber(m.Body, f)
	if !ok {
		return lua.LNil
	}
	return n
}

// fieldNumber reads an integer field of a struct at the start of b.
func fieldNumber(b []byte, f engine.Field) (lua.LNumber, bool) {
	if len(b) < f.Offset+f.Size {
		return 0, false
	}
	p := b[f.Offset : f.Offset+f.Size]
	switch f.Kind {
	case engine.U8:
		return lua.LNumber(p[0]), true
	case engine.S8:
		return lua.LNumber(int8(p[0])), true
	case engine.U16:
		return lua.LNumber(binary.LittleEndian.Uint16(p)), true
	case engine.S16:
		return lua.LNumber(int16(binary.LittleEndian.Uint16(p))), true
	case engine.U32:
		return lua.LNumber(binary.LittleEndian.Uint32(p)), true
	case engine.S32:
		return lua.LNumber(int32(binary.LittleEndian.Uint32(p))), true
	case engine.U64:
		return lua.LNumber(binary.LittleEndian.Uint64(p)), true
	case engine.BE16:
		return lua.LNumber(binary.BigEndian.Uint16(p)), true
	case engine.BE32:
		return lua.LNumber(binary.BigEndian.Uint32(p)), true
	}
	return 0, false
}

// attrValue reads a top-level attribute of a raw message as a Lua value
// (nil when absent), decoding nothing else.
func (c *ipCall) attrValue(m *engine.Message, d *engine.AttrDesc) lua.LValue {
	h := c.m.host
	v, ok := m.Get(rtnl.Route, d.Name)
	if !ok {
		return lua.LNil
	}
	return h.ToLua(v)
}

// sortedInts returns a sorted copy of s.
func sortedInts(s []int) []int {
	out := append([]int(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// list runs a getter: the dump request req (built with the kernel's
// share of the filter) unless dry, which returns it; then the filter.
// c.quiet, if set, says which errors mean "nothing" (a table a family
// lacks).
func (c *ipCall) list(req *ipMsg, f *ipFilter) int {
	quiet := c.quiet
	L := c.L
	if c.dry {
		L.Push(c.msgTable(req))
		return 1
	}
	if c.each {
		return c.eachIter([][]byte{c.encode(req)}, f)
	}
	msgs, err := c.inst.dump(L, c.encode(req), c.opts)
	if err != nil {
		if quiet != nil && quiet(err) {
			L.Push(L.NewTable())
			return 1
		}
		c.inst.raiseDump(L, err, msgs)
	}
	if f == nil {
		L.Push(c.m.host.Messages(msgs))
		return 1
	}
	L.Push(f.keep(msgs))
	return 1
}

// getter starts a getter's call: name is the getter ("ip.routes"), filter
// a table of keys or a function of the message.
func (i *ipInst) getter(L *lua.LState, verb *ipVerb, name string, filter lua.LValue) *ipCall {
	c := i.call(L, verb, "dump", useFilter)
	c.name = name
	if i.each {
		c.each, i.each = true, false
		c.name = "ip.each." + strings.TrimPrefix(name, "ip.")
	}
	switch filter.(type) {
	case *lua.LFunction:
		c.match = filter
	case *lua.LTable, *lua.LNilType:
		c.read(filter)
	default:
		c.fail("expected a filter table or function, got %s", filter.Type().String())
	}
	return c
}

// flush deletes the objects found (a list of decoded messages), each with
// a message of type typ that del fills from it; an object already gone
// (gone is its errno) is passed over, or with goneDeleted counted as
// deleted (it went with another). It pushes how many it deleted, or
// without count the objects deleted; with dry, the messages it would send.
func (c *ipCall) flush(found *lua.LTable, dry bool, typ uint16, gone error, goneDeleted bool, del func(r engine.Message, m *ipMsg), count bool) int {
	L := c.L
	h := c.m.host
	out := L.CreateTable(found.Len(), 0)
	n := 0
	for j := 1; j <= found.Len(); j++ {
		t := found.RawGetInt(j).(*lua.LTable)
		r, ok := h.MessageOf(t)
		if !ok {
			continue
		}
		m := newMsg(c.verb.class, typ, reqAck)
		del(r, m)
		if dry {
			out.Append(c.msgTable(m))
			continue
		}
		if _, err := c.inst.socket(L).Request(h.Context(L), c.encode(m), c.opts); err != nil {
			if !errors.Is(err, gone) {
				h.Raise(L, "request", err)
			}
			if !goneDeleted {
				continue
			}
		}
		n++
		out.Append(t)
	}
	if count && !dry {
		L.Push(lua.LNumber(n))
		return 1
	}
	L.Push(out)
	return 1
}
