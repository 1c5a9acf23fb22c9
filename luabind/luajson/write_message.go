package luajson

import (
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
	"nlsh/luabind/show"
)

// Messages: from their bytes while nobody has read their attributes, else
// from their tables.

// message writes a message table. A decoded message nobody touched is
// written from its bytes; one whose fields were read takes them from the
// table (a script may have changed them) and its attributes, if still
// untouched, from the bytes.
func (w *writer) message(t *lua.LTable) error {
	if m, p, fieldsRead, ok := w.h.Undecoded(t); ok {
		r := m.Decode(p)
		if !fieldsRead {
			return w.record(m, p, r)
		}
		return w.luaMessage(t, r)
	}
	return w.luaMessage(t, nil)
}

// jsonMessageKeys are the keys of a message table written before its other
// keys, or never (event: it follows from the header).
var jsonMessageKeys = map[string]bool{"header": true, "event": true, "attrs": true, "payload": true}

// luaMessage writes a message table; r, when not nil, holds its attributes
// (and trailing bytes), still undecoded in the table.
func (w *writer) luaMessage(t *lua.LTable, r *engine.Record) error {
	p, c, mt := w.h.Identity(t)
	w.begin('{')
	if ht, ok := t.RawGetString("header").(*lua.LTable); ok {
		w.key("header")
		w.pushKey("header")
		if h, err := w.h.Header(ht); err == nil {
			w.header(h)
			// The type may be a name ('RTM_NEWLINK'), which typeOf
			// does not read.
			var body []byte
			if n, ok := t.RawGetString("cmd").(lua.LNumber); ok && n >= 0 && n <= 0xff {
				body = []byte{byte(n), 0, 0, 0}
			}
			mt = p.Resolve(h, body, engine.DirAuto)
		} else if err := w.value(ht); err != nil {
			return err
		}
		w.pop()
	}
	w.messageIdentity(p, mt, c)
	skip := map[string]bool{}
	for k := range jsonMessageKeys {
		skip[k] = true
	}
	var sel *selScope
	if c != nil && c.Struct != nil {
		sel = &selScope{fields: show.FieldSelectors(t, c)}
		if err := w.luaFields(t, c.Struct, skip); err != nil {
			return err
		}
	}
	if pl, ok := t.RawGetString("payload").(lua.LString); ok {
		w.key("payload")
		w.hexBytes(string(pl))
	} else if v := t.RawGetString("payload"); v != lua.LNil {
		w.key("payload")
		w.pushKey("payload")
		if err := w.value(v); err != nil {
			return err
		}
		w.pop()
	}
	var set *engine.AttrSet
	if c != nil {
		set = c.Attrs
	}
	w.key("attrs")
	w.pushKey("attrs")
	if r != nil {
		w.attrs(set, r.Attrs)
	} else if err := w.attrsOrValue(t.RawGetString("attrs"), set, sel); err != nil {
		return err
	}
	w.pop()
	if r != nil && r.Tail != nil && c != nil {
		skip["_tail"] = true
		w.key("_tail")
		w.hexBytes(string(r.Tail))
	}
	if err := w.rest(t, skip); err != nil {
		return err
	}
	w.end('}')
	w.flush(jsonFlushSize)
	return nil
}

// rest writes the entries of t that skip does not list, sorted: a script's
// own keys, decoded trailing bytes (_tail).
func (w *writer) rest(t *lua.LTable, skip map[string]bool) error {
	keys, _ := show.TableKeys(t)
	for _, k := range keys {
		ks, ok := k.(lua.LString)
		if !ok {
			if n, isNum := k.(lua.LNumber); isNum {
				ks = lua.LString(show.Number(n))
			} else {
				return w.fail("a table key that is %s cannot be a JSON object key", luaarg.TypeName(k))
			}
		}
		if skip[string(ks)] {
			continue
		}
		w.key(string(ks))
		w.pushKey(string(ks))
		v := t.RawGet(k)
		if s, isStr := v.(lua.LString); isStr && ks == "_tail" {
			w.hexBytes(string(s))
		} else if err := w.value(v); err != nil {
			return err
		}
		w.pop()
	}
	return nil
}

// header writes a netlink header.
func (w *writer) header(h engine.Header) {
	w.begin('{')
	w.key("length")
	w.uint(uint64(h.Length))
	w.key("type")
	w.uint(uint64(h.Type))
	w.key("flags")
	w.uint(uint64(h.Flags))
	w.key("sequence_number")
	w.uint(uint64(h.Seq))
	w.key("pid")
	w.uint(uint64(h.PID))
	w.end('}')
}

// messageIdentity writes what a message is beside its header: its protocol
// when it is not rtnetlink, its generic netlink family (genl_family: the
// fixed headers of rtnetlink have fields named family), its event (the
// message type's name), and its class when the header does not tell it (a
// message built before its type was set).
func (w *writer) messageIdentity(p *engine.Protocol, mt *engine.MsgType, c *engine.Class) {
	if p != nil && p != w.h.Route() {
		w.key("protocol")
		w.str(p.Name)
	}
	if mt != nil && mt.Family != "" {
		w.key("genl_family")
		w.str(mt.Family)
	}
	if mt != nil {
		w.key("event")
		w.str(mt.Name)
	}
	if c != nil && (mt == nil || mt.Class != c) {
		w.key("class")
		w.str(c.Name)
	}
}

// record writes a decoded message from its bytes.
func (w *writer) record(msg engine.Message, proto *engine.Protocol, r *engine.Record) error {
	w.begin('{')
	w.key("header")
	w.header(msg.Header)
	mt := msg.Type(proto)
	var class *engine.Class
	if mt != nil {
		class = mt.Class
	}
	w.messageIdentity(proto, mt, class)
	if r.Fields != nil {
		w.structFields(r.Fields)
	}
	if r.Payload != nil {
		w.key("payload")
		w.hexBytes(string(r.Payload))
	}
	if r.Tail != nil && class == nil {
		w.key("payload")
		w.hexBytes(string(r.Tail))
	}
	var set *engine.AttrSet
	if class != nil {
		set = class.Attrs
	}
	w.key("attrs")
	w.attrs(set, r.Attrs)
	if r.Tail != nil && class != nil {
		w.key("_tail")
		w.hexBytes(string(r.Tail))
	}
	w.end('}')
	w.flush(jsonFlushSize)
	return nil
}
