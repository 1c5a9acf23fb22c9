package engine

import "encoding/binary"

// Lookup returns the values of the attributes reached by a path of names
// ("IFLA_LINKINFO", "IFLA_INFO_KIND") without decoding the rest of the
// message: only the attributes on the path are decoded. With first set it
// stops at the first match.
func (m *Message) Lookup(p *Protocol, path []string, first bool) []any {
	t := m.Type(p)
	if t == nil || t.Class == nil || len(path) == 0 {
		return nil
	}
	c := t.Class
	if c == ErrClass || c == DoneClass {
		return lookupIn(m.Decode(p).Attrs, c.Attrs, path, first)
	}
	b := m.Body
	if c.Struct != nil {
		if len(b) < align4(c.Struct.Size) {
			return nil
		}
		b = b[align4(c.Struct.Size):]
	}
	// Resolve the name once and compare numbers while scanning.
	d, ok := c.Attrs.ByName(path[0])
	if !ok {
		return nil
	}
	want := d.Type
	if c.Attrs.ByType(want) == nil {
		d = nil // an unknown attribute named by number: raw bytes
	}
	var out []any
	var sc *scope
	for rest := b; len(rest) >= 4; {
		l := int(binary.LittleEndian.Uint16(rest))
		if l < 4 || l > len(rest) {
			break
		}
		if binary.LittleEndian.Uint16(rest[2:])&NLA_TYPE_MASK == want {
			if d != nil && sc == nil && needsScope(d) {
				sc = recordScope(c, m.Body, b)
			}
			v := decodeValue(d, rest[4:l], sc)
			if len(path) == 1 {
				out = append(out, v)
			} else {
				out = append(out, descend(v, path[1:], first)...)
			}
			if first && len(out) > 0 {
				return out[:1]
			}
		}
		if align4(l) >= len(rest) {
			break
		}
		rest = rest[align4(l):]
	}
	return out
}

// Get returns the value of the message's first top-level attribute named
// name, decoding nothing else: the fast path of Lookup for one name.
func (m *Message) Get(p *Protocol, name string) (any, bool) {
	t := m.Type(p)
	if t == nil || t.Class == nil || t.Class == ErrClass || t.Class == DoneClass {
		if v := m.Lookup(p, []string{name}, true); len(v) > 0 {
			return v[0], true
		}
		return nil, false
	}
	c := t.Class
	d, ok := c.Attrs.ByName(name)
	if !ok {
		return nil, false
	}
	pl, ok := m.Find(c, d.Type)
	if !ok {
		return nil, false
	}
	if c.Attrs.ByType(d.Type) == nil {
		return pl, true // an unknown attribute named by number: raw bytes
	}
	return m.AttrValue(c, d, pl), true
}

// Find returns the payload of the message's first top-level attribute
// numbered typ, decoding nothing. c is the message's class, a protocol's
// (the control messages' attributes follow more than a struct: use Get or
// Lookup for those). The payload aliases the message.
func (m *Message) Find(c *Class, typ uint16) ([]byte, bool) {
	b := m.Body
	if c.Struct != nil {
		if len(b) < align4(c.Struct.Size) {
			return nil, false
		}
		b = b[align4(c.Struct.Size):]
	}
	for len(b) >= 4 {
		l := int(binary.LittleEndian.Uint16(b))
		if l < 4 || l > len(b) {
			break
		}
		if binary.LittleEndian.Uint16(b[2:])&NLA_TYPE_MASK == typ {
			return b[4:l], true
		}
		if align4(l) >= len(b) {
			break
		}
		b = b[align4(l):]
	}
	return nil, false
}

// AttrValue decodes pl, the payload Find returned for attribute d of the
// message (of class c), as Get decodes it: a nest or sub-message finds its
// selector among the message's other attributes and fields.
func (m *Message) AttrValue(c *Class, d *AttrDesc, pl []byte) any {
	var sc *scope
	if d != nil && needsScope(d) {
		b := m.Body
		if c.Struct != nil {
			b = b[min(len(b), align4(c.Struct.Size)):]
		}
		sc = recordScope(c, m.Body, b)
	}
	return decodeValue(d, pl, sc)
}

// needsScope reports whether decoding d may need its siblings: a
// sub-message chooses its format by one, and attributes nested inside (such as
// TCA_STATS2's TCA_STATS_APP, chosen by the top-level TCA_KIND) may too, even
// when the path stops at the nest.
func needsScope(d *AttrDesc) bool {
	switch d.Kind {
	case SubMsg, Nested, Embedded, Records:
		return true
	}
	return false
}

// recordScope is the scope of a record's top-level attributes (attrs, the
// part of body after the fixed struct): the attributes and the struct's fields.
func recordScope(c *Class, body, attrs []byte) *scope {
	sc := siblings(c.Attrs, attrs)
	if c.Struct != nil && len(body) >= c.Struct.Size {
		sc.parent = &scope{fields: decodeStruct(c.Struct, body[:c.Struct.Size])}
	}
	return sc
}

// siblings indexes an attribute list without decoding it, as the scope a
// sub-message looks its selector up in.
func siblings(set *AttrSet, b []byte) *scope {
	sc := &scope{set: set}
	for len(b) >= 4 {
		l := int(binary.LittleEndian.Uint16(b))
		if l < 4 || l > len(b) {
			break
		}
		typ := binary.LittleEndian.Uint16(b[2:]) & NLA_TYPE_MASK
		sc.attrs = append(sc.attrs, Attr{Type: typ, Desc: set.ByType(typ)})
		sc.raw = append(sc.raw, b[4:l])
		if align4(l) >= len(b) {
			break
		}
		b = b[align4(l):]
	}
	return sc
}

func descend(v any, path []string, first bool) []any {
	switch x := v.(type) {
	case *NestValue:
		return lookupIn(x.Attrs, x.Set, path, first)
	case *Record:
		if x.Class != nil {
			return lookupIn(x.Attrs, x.Class.Attrs, path, first)
		}
	}
	return nil
}

func lookupIn(attrs []Attr, set *AttrSet, path []string, first bool) []any {
	var out []any
	// Names, numbers and 'PREFIX_n' all resolve to the attribute's number.
	d, ok := set.ByName(path[0])
	for i := range attrs {
		if ok && attrs[i].Type != d.Type || !ok && attrs[i].Name(set) != path[0] {
			continue
		}
		if len(path) == 1 {
			out = append(out, attrs[i].Value)
		} else {
			out = append(out, descend(attrs[i].Value, path[1:], first)...)
		}
		if first && len(out) > 0 {
			return out[:1]
		}
	}
	return out
}
