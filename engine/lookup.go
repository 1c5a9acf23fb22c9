package engine

import "encoding/binary"

// Lookup returns the values of the attributes reached by a path of names
// ("IFLA_LINKINFO", "IFLA_INFO_KIND") without decoding the rest of the
// message: only the attributes on the path are decoded. With first set it
// stops at the first match.
func (m *Message) Lookup(p *Protocol, path []string, first bool) []any {
	t := p.TypeByNumber(m.Header.Type)
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
	var out []any
	for len(b) >= 4 {
		l := int(binary.LittleEndian.Uint16(b))
		if l < 4 || l > len(b) {
			break
		}
		typ := binary.LittleEndian.Uint16(b[2:]) & NLA_TYPE_MASK
		d := c.Attrs.ByType(typ)
		name := c.Attrs.UnknownName(typ)
		if d != nil {
			name = d.Name
		}
		if name == path[0] {
			if d != nil && d.Kind == SubMsg {
				// The selector is a sibling: decode the whole list once.
				return lookupIn(DecodeRecord(c, m.Body).Attrs, c.Attrs, path, first)
			}
			v := decodeValue(d, b[4:l], nil)
			if len(path) == 1 {
				out = append(out, v)
			} else {
				out = append(out, descend(v, path[1:], first)...)
			}
			if first && len(out) > 0 {
				return out[:1]
			}
		}
		if align4(l) >= len(b) {
			break
		}
		b = b[align4(l):]
	}
	return out
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
	for i := range attrs {
		if attrs[i].Name(set) != path[0] {
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
