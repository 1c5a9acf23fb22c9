package luajson

import (
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/show"
)

// Message tables, read by their descriptions.

// attrCtx is what is known of the attribute a value belongs to: its
// description and where its sub-messages find their selectors.
type attrCtx struct {
	desc *engine.AttrDesc
	sel  *selScope
}

// selScope finds the value of a sub-message's selector, as the decoder
// does: among the attributes of the list being written, then of the lists
// around it, then among the message's fields.
type selScope struct {
	list   *lua.LTable
	set    *engine.AttrSet
	fields map[string]string // the message's fields, at the outermost scope
	parent *selScope
}

func (s *selScope) lookup(name string) (string, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		if sc.list == nil {
			continue
		}
		for i := 1; i <= sc.list.Len(); i++ {
			pr, ok := sc.list.RawGetInt(i).(*lua.LTable)
			if !ok || lua.LVAsString(pr.RawGetInt(1)) != name {
				continue
			}
			switch v := pr.RawGetInt(2).(type) {
			case lua.LString:
				return string(v), true
			case lua.LNumber:
				if d, ok := sc.set.ByName(name); ok && d.Enum != nil {
					if en, ok := d.Enum.NameOf(uint64(v)); ok {
						return en, true
					}
				}
				return show.Number(v), true
			}
		}
	}
	for sc := s; sc != nil; sc = sc.parent {
		if v, ok := sc.fields[name]; ok {
			return v, true
		}
	}
	return "", false
}

// luaFields writes a struct's fields from table t, in the description's
// order, and adds their names to written.
func (w *writer) luaFields(t *lua.LTable, s *engine.StructDesc, written map[string]bool) error {
	for _, f := range s.Fields {
		if f.Kind == engine.Pad {
			continue
		}
		written[f.Name] = true
		v := t.RawGetString(f.Name)
		if v == lua.LNil {
			continue
		}
		w.key(f.Name)
		w.pushKey(f.Name)
		var err error
		if ft, ok := v.(*lua.LTable); ok && f.Kind == engine.Struct && !w.isRaw(ft) {
			err = w.luaStruct(ft, f.Struct)
		} else {
			err = w.scalar(v, f.Kind, f.Enum, f.Size)
		}
		if err != nil {
			return err
		}
		w.pop()
	}
	if s.Flex != nil {
		written[s.FlexName] = true
		if l, ok := t.RawGetString(s.FlexName).(*lua.LTable); ok {
			w.key(s.FlexName)
			w.pushKey(s.FlexName)
			if err := w.enter(l); err != nil {
				return err
			}
			w.begin('[')
			for i := 1; i <= l.Len(); i++ {
				w.sep()
				w.pushIndex(i)
				var err error
				if el, ok := l.RawGetInt(i).(*lua.LTable); ok {
					err = w.luaStruct(el, s.Flex)
				} else {
					err = w.value(l.RawGetInt(i))
				}
				if err != nil {
					return err
				}
				w.pop()
			}
			w.end(']')
			w.leave(l)
			w.pop()
		}
	}
	return nil
}

// luaStruct writes a struct table: its fields, then any other keys.
func (w *writer) luaStruct(t *lua.LTable, s *engine.StructDesc) error {
	if err := w.enter(t); err != nil {
		return err
	}
	defer w.leave(t)
	w.begin('{')
	written := map[string]bool{}
	if err := w.luaFields(t, s, written); err != nil {
		return err
	}
	if err := w.rest(t, written); err != nil {
		return err
	}
	w.end('}')
	return nil
}

// scalar writes a field's or attribute's value of kind k: names and
// numeric strings of integers as the numbers they stand for, strings by
// what the kind says they are.
func (w *writer) scalar(v lua.LValue, k engine.Kind, en *engine.Enum, size int) error {
	switch x := v.(type) {
	case lua.LString:
		if k.IsInt() {
			if n, err := engine.ParseInt(k, en, string(x)); err == nil {
				w.intOfKind(k, n)
				return nil
			}
		}
		w.text(string(x), k, size)
		return nil
	case *lua.LTable:
		return w.table(x, nil)
	}
	return w.value(v)
}

// attrsOrValue writes a list of attribute pairs of set, or v as it is when
// it is not a list.
func (w *writer) attrsOrValue(v lua.LValue, set *engine.AttrSet, parent *selScope) error {
	list, ok := v.(*lua.LTable)
	if !ok || w.isRaw(list) || w.h.IsMessage(list) {
		return w.value(v)
	}
	if _, isList := listLen(list); !isList {
		return w.value(v)
	}
	if err := w.enter(list); err != nil {
		return err
	}
	defer w.leave(list)
	return w.attrList(list, set, parent)
}

// attrList writes a list of attribute pairs of set; the caller has put
// the list on the path.
func (w *writer) attrList(list *lua.LTable, set *engine.AttrSet, parent *selScope) error {
	sc := &selScope{list: list, set: set, parent: parent}
	w.begin('[')
	for i := 1; i <= list.Len(); i++ {
		w.sep()
		w.pushIndex(i)
		if err := w.pair(list.RawGetInt(i), set, sc); err != nil {
			return err
		}
		w.pop()
	}
	w.end(']')
	return nil
}

// pair writes one attribute pair: [name, value] and, when the pair carries
// nla_flags (or other keys), a third element holding them. Anything that
// is not a pair is written as it is.
func (w *writer) pair(v lua.LValue, set *engine.AttrSet, sc *selScope) error {
	pr, ok := v.(*lua.LTable)
	if !ok || !plainTable(pr) {
		return w.value(v)
	}
	n := pr.Len()
	if n < 1 || n > 2 {
		return w.value(v)
	}
	name := pr.RawGetInt(1)
	var d *engine.AttrDesc
	switch x := name.(type) {
	case lua.LString:
		d, _ = set.ByName(string(x))
	case lua.LNumber:
		d, _ = set.ByName(show.Number(x))
	default:
		return w.value(v)
	}
	if err := w.enter(pr); err != nil {
		return err
	}
	defer w.leave(pr)
	if val, ok := pr.RawGetInt(2).(*lua.LTable); !ok || w.isRaw(val) {
		w.inline++
		defer func() { w.inline-- }()
	}
	w.begin('[')
	w.sep()
	if err := w.value(name); err != nil {
		return err
	}
	w.sep()
	w.pushIndex(2)
	if set == nil {
		// Pairs out of their message (m.attrs on its own): nothing says
		// what the values are.
		if err := w.value(pr.RawGetInt(2)); err != nil {
			return err
		}
	} else if err := w.attrValue(pr.RawGetInt(2), &attrCtx{desc: d, sel: sc}); err != nil {
		return err
	}
	w.pop()
	if k, _ := pr.Next(lua.LNumber(n)); k != lua.LNil {
		w.sep()
		if err := w.object(pr, map[string]bool{"1": true, "2": true}, nil); err != nil {
			return err
		}
	}
	w.end(']')
	return nil
}

// attrValue writes an attribute's value as its description reads it.
func (w *writer) attrValue(v lua.LValue, ac *attrCtx) error {
	d := ac.desc
	if d != nil && d.Kind == engine.SubMsg {
		d = d.Sub.Format(ac.sel.lookup(d.Sub.Selector))
		ac = &attrCtx{desc: d, sel: ac.sel}
	}
	if d == nil {
		// An unknown attribute (or an unknown sub-message format): its
		// value is bytes.
		if s, ok := v.(lua.LString); ok {
			w.hexBytes(string(s))
			return nil
		}
		return w.value(v)
	}
	if t, ok := v.(*lua.LTable); ok {
		return w.table(t, ac)
	}
	return w.scalar(v, d.Kind, d.Enum, 0)
}

// described writes a table holding the value of attribute d: a nest, a
// struct, records or an array. done is false when d says the value is
// something else, for the caller to write as it is.
func (w *writer) described(t *lua.LTable, ac *attrCtx) (done bool, err error) {
	d := ac.desc
	switch d.Kind {
	case engine.Nested:
		w.begin('{')
		w.key("attrs")
		w.pushKey("attrs")
		if a := t.RawGetString("attrs"); a != lua.LNil {
			err = w.attrsOrValue(a, d.Set, ac.sel)
		} else if _, isList := listLen(t); isList {
			err = w.attrList(t, d.Set, ac.sel) // a script's nest: the list of pairs itself
		} else {
			err = w.object(t, nil, nil)
		}
		if err != nil {
			return true, err
		}
		w.pop()
		w.end('}')
		return true, nil
	case engine.Struct:
		w.begin('{')
		written := map[string]bool{}
		if err := w.luaFields(t, d.Struct, written); err != nil {
			return true, err
		}
		if err := w.rest(t, written); err != nil {
			return true, err
		}
		w.end('}')
		return true, nil
	case engine.Embedded:
		return true, w.luaRecord(t, d.Record, ac.sel)
	case engine.Records:
		n, ok := listLen(t)
		if !ok {
			return false, nil
		}
		w.begin('[')
		for i := 1; i <= n; i++ {
			w.sep()
			w.pushIndex(i)
			var err error
			if r, ok := t.RawGetInt(i).(*lua.LTable); ok && !w.isRaw(r) {
				if err = w.enter(r); err == nil {
					err = w.luaRecord(r, d.Record, ac.sel)
					w.leave(r)
				}
			} else {
				err = w.value(t.RawGetInt(i))
			}
			if err != nil {
				return true, err
			}
			w.pop()
		}
		w.end(']')
		return true, nil
	case engine.Array:
		n, ok := listLen(t)
		if !ok {
			return false, nil
		}
		w.begin('[')
		for i := 1; i <= n; i++ {
			w.sep()
			w.pushIndex(i)
			if err := w.scalar(t.RawGetInt(i), d.Elem, nil, 0); err != nil {
				return true, err
			}
			w.pop()
		}
		w.end(']')
		return true, nil
	}
	return false, nil
}

// luaRecord writes a record table of class c: its struct's fields, its
// attributes, then any other keys.
func (w *writer) luaRecord(t *lua.LTable, c *engine.Class, parent *selScope) error {
	w.begin('{')
	written := map[string]bool{"attrs": true}
	if c.Struct != nil {
		if err := w.luaFields(t, c.Struct, written); err != nil {
			return err
		}
	}
	if a := t.RawGetString("attrs"); a != lua.LNil {
		w.key("attrs")
		w.pushKey("attrs")
		if err := w.attrsOrValue(a, c.Attrs, parent); err != nil {
			return err
		}
		w.pop()
	}
	if err := w.rest(t, written); err != nil {
		return err
	}
	w.end('}')
	return nil
}
