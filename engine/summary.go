package engine

import (
	"fmt"
	"strings"
)

// Summary renders a message on one line, as a trace shows it: its type, its
// flags by name, seq and pid, the fixed header's fields and every attribute
// (nests in braces). Errors show the errno name and the extended-ACK text.
func Summary(p *Protocol, m *Message) string { return SummaryOf(p, m, nil) }

// SummaryOf is Summary for a reply to request req (nil if unknown): an error
// then also names the attribute of the request the kernel pointed at, or the
// one it found missing.
func SummaryOf(p *Protocol, m *Message, req []byte) string {
	var b strings.Builder
	mt := m.Type(p)
	if mt != nil {
		b.WriteString(mt.Title())
	} else {
		fmt.Fprintf(&b, "type=%d", m.Header.Type)
	}
	if names, ok := FlagsFor(mt).Format(uint64(m.Header.Flags)); ok {
		b.WriteString(" " + shortFlags(names))
	} else if m.Header.Flags != 0 {
		fmt.Fprintf(&b, " flags=0x%x", m.Header.Flags)
	}
	fmt.Fprintf(&b, " seq=%d pid=%d", m.Header.Seq, m.Header.PID)
	if mt == nil || mt.Class == nil {
		if len(m.Body) > 0 {
			fmt.Fprintf(&b, " <%d bytes>", len(m.Body))
		}
		return b.String()
	}
	r := m.Decode(p)
	if mt.Class == ErrClass || mt.Class == DoneClass {
		if v, ok := r.Field("error"); ok {
			if n, _ := v.(int64); n != 0 {
				e := ReplyError(p, m, req).(*Error)
				fmt.Fprintf(&b, " error=%s", ErrnoName(e.Errno))
				if e.Msg != "" {
					fmt.Fprintf(&b, " %q", e.Msg)
				}
				b.WriteString(e.where())
				return b.String()
			} else if mt.Class == ErrClass {
				b.WriteString(" ack")
			} else {
				// NLMSG_DONE carries an error of its own, 0 when all went well.
				b.WriteString(" error=0")
			}
			// A success may carry a warning in its extended ACK.
			if msg, ok := r.Get("NLMSGERR_ATTR_MSG"); ok {
				fmt.Fprintf(&b, " %q", msg)
			}
		}
		return b.String()
	}
	if r.Fields != nil {
		b.WriteString(" " + structSummary(r.Fields, true))
	}
	if len(r.Attrs) > 0 {
		b.WriteString(" " + attrsSummary(mt.Class.Attrs, r.Attrs))
	}
	if r.Tail != nil {
		fmt.Fprintf(&b, " +%d bytes", len(r.Tail))
	}
	return b.String()
}

// shortFlags drops the NLM_F_ prefixes: "REQUEST|ACK".
func shortFlags(s string) string { return strings.ReplaceAll(s, "NLM_F_", "") }

func structSummary(s *StructValue, skipZero bool) string {
	var parts []string
	for i, f := range s.Desc.Fields {
		if f.Kind == Pad {
			continue
		}
		v := s.Values[i]
		if skipZero && isZero(v) {
			continue
		}
		parts = append(parts, f.Name+"="+shortValue(v, f.Enum))
	}
	for _, fl := range s.Flex {
		parts = append(parts, structSummary(fl, false))
	}
	return s.Desc.Name + "{" + strings.Join(parts, " ") + "}"
}

func isZero(v any) bool {
	switch x := v.(type) {
	case uint64:
		return x == 0
	case int64:
		return x == 0
	case string:
		return x == ""
	}
	return false
}

func attrsSummary(set *AttrSet, attrs []Attr) string {
	parts := make([]string, 0, len(attrs))
	for i := range attrs {
		a := &attrs[i]
		var en *Enum
		if a.Desc != nil {
			en = a.Desc.Enum
		}
		parts = append(parts, a.Name(set)+"="+shortValue(a.Value, en))
	}
	return strings.Join(parts, " ")
}

func shortValue(v any, en *Enum) string {
	switch x := v.(type) {
	case *NestValue:
		return "{" + attrsSummary(x.Set, x.Attrs) + "}"
	case *StructValue:
		return structSummary(x, false)
	case *Record:
		s := ""
		if x.Fields != nil {
			s = structSummary(x.Fields, true)
		}
		if len(x.Attrs) > 0 && x.Class != nil {
			s += " " + attrsSummary(x.Class.Attrs, x.Attrs)
		}
		return "{" + strings.TrimSpace(s) + "}"
	case []*Record:
		parts := make([]string, len(x))
		for i, r := range x {
			parts[i] = shortValue(r, nil)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case []any:
		parts := make([]string, len(x))
		for i, el := range x {
			parts[i] = shortValue(el, nil)
		}
		if len(parts) > 8 {
			parts = append(parts[:8], fmt.Sprintf("…%d more", len(x)-8))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case uint64:
		if en != nil {
			if n, ok := en.Format(x); ok {
				return n
			}
		}
		return fmt.Sprint(x)
	}
	return formatValue(v, en, "")
}
