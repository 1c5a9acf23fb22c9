package engine

import (
	"fmt"
	"strings"
)

// Brief renders a message as one row of short columns, as `ip -br` does:
// the columns its class's Brief names, each a struct field, an attribute,
// a path into nests ("IFLA_LINKINFO>IFLA_INFO_KIND"), the first present of
// several ("IFA_LOCAL|IFA_ADDRESS"), or an attribute and
// a field joined by '/' (an address and its prefix length), which may end
// in "=WORD", what it shows when the attribute is absent and the length 0
// ("RTA_DST/dst_len=default"). A value nothing gives is "-".
// ok is false when the class names no columns.
func Brief(p *Protocol, m *Message) (cols []string, ok bool) {
	mt := m.Type(p)
	if mt == nil || mt.Class == nil || len(mt.Class.Brief) == 0 {
		return nil, false
	}
	c := mt.Class
	fields, _ := m.Fields(p)
	for _, col := range c.Brief {
		col, whole, _ := strings.Cut(col, "=")
		attr, field, _ := strings.Cut(col, "/")
		if field == "" && c.Struct != nil {
			if _, isField := c.Struct.FieldIndex(attr); isField {
				attr, field = "", attr
			}
		}
		var val string
		for _, alt := range strings.Split(attr, "|") {
			if alt == "" {
				continue
			}
			path := strings.Split(alt, ">")
			if vs := m.Lookup(p, path, true); len(vs) > 0 {
				val = shortBrief(vs[0], attrEnum(c.Attrs, path))
				break
			}
		}
		if field != "" && fields != nil {
			i, _ := fields.Desc.FieldIndex(field)
			f := fields.Desc.Fields[i]
			fv := shortBrief(fields.Values[i], f.Enum)
			switch {
			case attr == "":
				val = fv
			case val != "":
				val += "/" + fv
			case fv == "0" && whole != "":
				val = whole
			}
		}
		if val == "" {
			val = "-"
		}
		cols = append(cols, val)
	}
	return cols, true
}

// attrEnum is the enum of the attribute a path of names ends at.
func attrEnum(set *AttrSet, path []string) *Enum {
	var d *AttrDesc
	for i, n := range path {
		var ok bool
		if d, ok = set.ByName(n); !ok {
			return nil
		}
		if i < len(path)-1 {
			set = d.InnerSet()
		}
	}
	if d == nil {
		return nil
	}
	return d.Enum
}

// shortBrief renders a value for a brief column: enum names without their
// common prefix (UP for IF_OPER_UP, unicast for RTN_UNICAST), text without
// quotes.
func shortBrief(v any, en *Enum) string {
	switch x := v.(type) {
	case string:
		return x
	case uint64:
		if en != nil {
			if n, ok := en.Format(x); ok {
				return trimEnumPrefix(en, n)
			}
		}
		return fmt.Sprint(x)
	case int64:
		if en != nil && x >= 0 {
			if n, ok := en.Format(uint64(x)); ok {
				return trimEnumPrefix(en, n)
			}
		}
		return fmt.Sprint(x)
	}
	return shortValue(v, en)
}

// trimEnumPrefix drops the prefix all of an enum's names share: UNICAST
// for RTN_UNICAST, UP for IF_OPER_UP.
func trimEnumPrefix(en *Enum, s string) string {
	prefix := ""
	for i, v := range en.Values {
		if i == 0 {
			prefix = v.Name
			continue
		}
		for !strings.HasPrefix(v.Name, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if j := strings.LastIndexByte(prefix, '_'); j >= 0 {
		prefix = prefix[:j+1]
	} else {
		prefix = ""
	}
	parts := strings.Split(s, "|")
	for i, p := range parts {
		parts[i] = strings.TrimPrefix(p, prefix)
	}
	return strings.Join(parts, "|")
}

// BriefSummary is the one-line form of a message whose class names no
// Brief columns: its type, then its attributes as a trace shows them
// (without the header, the same for every message of a dump).
func BriefSummary(p *Protocol, m *Message) string {
	mt := m.Type(p)
	if mt == nil || mt.Class == nil || mt.Class == ErrClass || mt.Class == DoneClass {
		return Summary(p, m)
	}
	r := m.Decode(p)
	s := mt.Title()
	if len(r.Attrs) > 0 {
		s += " " + attrsSummary(mt.Class.Attrs, r.Attrs)
	}
	return s
}
