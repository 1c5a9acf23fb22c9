package show

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
)

// The printer renders values for people. A message shows one field or
// attribute per line, nests indented, enum and flag names beside numbers,
// binary as hex; it reads the Lua table (so it shows what a script changed)
// and takes names and kinds from the descriptions. A list of messages shows
// each message in turn. Any other table shows its entries with sorted keys,
// on one line when that is short and otherwise one entry per line, nested.
//
// Values are user data: tables may refer to themselves and nest without end,
// so every walk keeps the tables on its path (a cycle prints as <cycle>) and
// stops at maxDepth, because Go cannot recover from a stack overflow.

// maxDepth bounds how deep the printer descends into nested tables.
const maxDepth = 32

// inlineWidth is the longest table rendered on one line.
const inlineWidth = 100

// printer is one rendering: the text so far and the tables on its path.
type printer struct {
	*Printer
	b     strings.Builder
	path  map[*lua.LTable]bool // tables being rendered, outermost first
	depth int                  // nesting of attrs and values in a message
	// budget, when not 0, is the longest inline rendering wanted: past it
	// entries gives up, so a huge table is not rendered on one line only to
	// learn that it does not fit.
	budget int
	// req is set while a request (NLM_F_REQUEST) is rendered, where a
	// field's 0 may mean "unspecified" rather than its enum's name.
	req bool
}

func (pr *Printer) printer() *printer {
	return &printer{Printer: pr, path: map[*lua.LTable]bool{}}
}

// enter puts t on the path of tables being rendered.
func (p *printer) enter(t *lua.LTable) {
	if p.path == nil {
		p.path = map[*lua.LTable]bool{}
	}
	p.path[t] = true
}

// Values renders values as the REPL and -e print them: tab-separated,
// message tables in full, other tables on one line.
func (pr *Printer) Values(vals []lua.LValue) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		if t, ok := v.(*lua.LTable); ok && pr.L.GetMetaField(t, "__tostring") == lua.LNil {
			p := &printer{Printer: pr}
			parts[i] = p.luaTable(t)
			continue
		}
		parts[i] = pr.h.ToString(v)
	}
	return strings.Join(parts, "\t")
}

// Message renders one message table (its tostring).
func (pr *Printer) Message(t *lua.LTable) string {
	pr.h.Materialize(t)
	p := pr.printer()
	_, c, mt := pr.h.Identity(t)
	p.message(t, c, mt)
	return strings.TrimRight(p.b.String(), "\n")
}

func (p *printer) line(indent int, format string, args ...any) {
	p.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&p.b, format, args...)
	p.b.WriteByte('\n')
}

func (p *printer) message(t *lua.LTable, c *engine.Class, mt *engine.MsgType) {
	if p.path[t] {
		p.line(0, "<cycle>")
		return
	}
	p.enter(t)
	defer delete(p.path, t)
	title := "message"
	if c != nil {
		title = c.Name
	}
	if h, ok := t.RawGetString("header").(*lua.LTable); ok {
		if mt != nil && mt.Name != title {
			title = mt.Title() + " (" + title + ")"
		} else if mt != nil {
			title = mt.Title()
		}
		p.line(0, "%s", title)
		var parts []string
		for _, k := range HeaderKeys {
			v := h.RawGetString(k)
			s := p.scalar(v, nil)
			switch k {
			case "type":
				if mt != nil {
					s = fmt.Sprintf("%s (%s)", s, typeLabel(mt))
				}
			case "flags":
				if n, ok := v.(lua.LNumber); ok {
					if names, ok := engine.FlagsFor(mt).Format(uint64(n)); ok {
						s = fmt.Sprintf("0x%x (%s)", uint64(n), names)
					}
				}
			}
			parts = append(parts, k+"="+s)
		}
		p.line(1, "header: %s", strings.Join(parts, " "))
		if f, ok := h.RawGetString("flags").(lua.LNumber); ok {
			defer func(was bool) { p.req = was }(p.req)
			p.req = uint64(f)&engine.NLM_F_REQUEST != 0
		}
	} else {
		p.line(0, "%s", title)
	}
	if s := c.Layout(mt); c != nil && s != nil {
		p.structFields(t, s, 1)
	}
	if pl, ok := t.RawGetString("payload").(lua.LString); ok {
		p.line(1, "payload: %s", p.scalar(pl, nil))
	}
	var set *engine.AttrSet
	if c != nil {
		set = c.Attrs
	}
	if attrs, ok := t.RawGetString("attrs").(*lua.LTable); ok && attrs.Len() > 0 {
		p.line(1, "attrs:")
		p.attrs(attrs, set, 2, FieldSelectors(t, c))
	}
	p.tail(t, 1)
}

// HeaderKeys are the fields of a message table's header, in the order
// they are shown.
var HeaderKeys = []string{"length", "type", "flags", "sequence_number", "pid"}

// tail shows a table's _tail: bytes that did not parse where attributes
// (or a struct's fields) were expected, which encode sends back as they
// are.
func (p *printer) tail(t *lua.LTable, indent int) {
	if b, ok := t.RawGetString("_tail").(lua.LString); ok && len(b) > 0 {
		p.line(indent, "_tail: %s", tailText(string(b)))
	}
}

// tailText describes trailing bytes: how many, in hex.
func tailText(b string) string {
	return fmt.Sprintf("%d bytes that do not parse: % x", len(b), b)
}

// FieldSelectors gives the header fields of a message by value name, for the
// sub-messages that a field chooses (ifinfomsg's family for IFLA_AF_SPEC).
func FieldSelectors(t *lua.LTable, c *engine.Class) map[string]string {
	if c == nil || c.Struct == nil {
		return nil
	}
	sel := map[string]string{}
	for _, f := range c.Struct.Fields {
		n, ok := t.RawGetString(f.Name).(lua.LNumber)
		if !ok || !f.Kind.IsInt() {
			continue
		}
		sel[f.Name] = strconv.FormatFloat(float64(n), 'f', -1, 64)
		if f.Enum != nil {
			if name, ok := f.Enum.NameOf(uint64(n)); ok {
				sel[f.Name] = name
			}
		}
	}
	return sel
}

func (p *printer) structFields(t *lua.LTable, s *engine.StructDesc, indent int) {
	for _, f := range s.Fields {
		if f.Kind == engine.Pad {
			continue
		}
		v := t.RawGetString(f.Name)
		if v == lua.LNil {
			continue
		}
		if n, ok := v.(lua.LNumber); ok && n == 0 && p.req && f.Unset != "" {
			p.line(indent, "%s: 0 (%s)", f.Label(), f.Unset)
			continue
		}
		p.line(indent, "%s: %s", f.Label(), p.scalarAs(v, f.Enum, f.Hint))
	}
	if s.Flex != nil {
		if l, ok := t.RawGetString(s.FlexName).(*lua.LTable); ok {
			p.line(indent, "%s:", s.FlexName)
			for i := 1; i <= l.Len(); i++ {
				if el, ok := l.RawGetInt(i).(*lua.LTable); ok {
					p.line(indent+1, "#%d %s", i, p.inlineStruct(el, s.Flex))
				}
			}
		}
	}
}

func (p *printer) inlineStruct(t *lua.LTable, s *engine.StructDesc) string {
	var parts []string
	for _, f := range s.Fields {
		if f.Kind == engine.Pad {
			continue
		}
		if v := t.RawGetString(f.Name); v != lua.LNil {
			parts = append(parts, f.Name+"="+p.scalarAs(v, f.Enum, f.Hint))
		}
	}
	if b, ok := t.RawGetString("_tail").(lua.LString); ok && len(b) > 0 {
		parts = append(parts, "_tail="+tailText(string(b)))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// attrs prints a list of pairs; parent holds the enclosing lists' selector
// values for sub-messages.
func (p *printer) attrs(attrs *lua.LTable, set *engine.AttrSet, indent int, parent map[string]string) {
	switch {
	case p.path[attrs]:
		p.line(indent, "<cycle>")
		return
	case p.depth > maxDepth:
		p.line(indent, "<nested too deeply>")
		return
	}
	p.enter(attrs)
	p.depth++
	defer func() { delete(p.path, attrs); p.depth-- }()
	sel := map[string]string{}
	for k, v := range parent {
		sel[k] = v
	}
	for i := 1; i <= attrs.Len(); i++ {
		if pr, ok := attrs.RawGetInt(i).(*lua.LTable); ok {
			if s, ok := pr.RawGetInt(2).(lua.LString); ok {
				sel[lua.LVAsString(pr.RawGetInt(1))] = string(s)
			} else if n, ok := pr.RawGetInt(2).(lua.LNumber); ok {
				name := lua.LVAsString(pr.RawGetInt(1))
				sel[name] = strconv.FormatFloat(float64(n), 'f', -1, 64)
				if d, ok := set.ByName(name); ok && d.Enum != nil {
					if en, ok := d.Enum.NameOf(uint64(n)); ok {
						sel[name] = en
					}
				}
			}
		}
	}
	for i := 1; i <= attrs.Len(); i++ {
		pr, ok := attrs.RawGetInt(i).(*lua.LTable)
		if !ok {
			p.line(indent, "#%d: %s (not a {name, value} pair)", i, p.scalar(attrs.RawGetInt(i), nil))
			continue
		}
		name := lua.LVAsString(pr.RawGetInt(1))
		d, _ := set.ByName(name)
		if d != nil && d.Kind == engine.SubMsg {
			v, ok := sel[d.Sub.Selector]
			d = d.Sub.Format(v, ok)
		}
		flags := ""
		if f, ok := pr.RawGetString("nla_flags").(lua.LNumber); ok && f != 0 {
			var fs []string
			if uint16(f)&engine.NLA_F_NESTED != 0 {
				fs = append(fs, "NLA_F_NESTED")
			}
			if uint16(f)&engine.NLA_F_NET_BYTEORDER != 0 {
				fs = append(fs, "NLA_F_NET_BYTEORDER")
			}
			flags = " [" + strings.Join(fs, "|") + "]"
		}
		if set != nil && set.Doc == genl.PolicySetDoc && d != nil && d.Doc != "" {
			// Known by number only: say what the kernel's policy types it.
			name += " (" + d.Doc + ")"
		}
		p.value(indent, name+flags, pr.RawGetInt(2), d, sel)
	}
}

func (p *printer) value(indent int, label string, v lua.LValue, d *engine.AttrDesc, sel map[string]string) {
	t, isTable := v.(*lua.LTable)
	if !isTable || d == nil {
		var en *engine.Enum
		hint := ""
		if d != nil {
			en, hint = d.Enum, d.Hint
		}
		p.line(indent, "%s: %s", label, p.scalarAs(v, en, hint))
		return
	}
	switch {
	case p.path[t]:
		p.line(indent, "%s: <cycle>", label)
		return
	case p.depth > maxDepth:
		p.line(indent, "%s: <nested too deeply>", label)
		return
	}
	if d.Kind == engine.Nested {
		// attrs marks the list it walks, which may be t itself.
		p.line(indent, "%s:", label)
		if a, ok := t.RawGetString("attrs").(*lua.LTable); ok {
			p.attrs(a, d.Set, indent+1, sel)
		} else {
			p.attrs(t, d.Set, indent+1, sel)
		}
		return
	}
	if d.Kind != engine.Struct && d.Kind != engine.Embedded && d.Kind != engine.Records && d.Kind != engine.Array {
		// A table where a scalar belongs (a raw value, a script's
		// mistake): shown whole by scalar, which guards cycles itself.
		p.line(indent, "%s: %s", label, p.scalar(t, nil))
		return
	}
	p.enter(t)
	p.depth++
	defer func() { delete(p.path, t); p.depth-- }()
	switch d.Kind {
	case engine.Struct:
		if len(d.Struct.Fields) <= 6 && d.Struct.Flex == nil {
			p.line(indent, "%s: %s", label, p.inlineStruct(t, d.Struct))
			return
		}
		p.line(indent, "%s:", label)
		p.structFields(t, d.Struct, indent+1)
		p.tail(t, indent+1)
	case engine.Embedded:
		p.line(indent, "%s:", label)
		p.record(t, d.Record, indent+1, sel)
	case engine.Records:
		p.line(indent, "%s:", label)
		for i := 1; i <= t.Len(); i++ {
			if r, ok := t.RawGetInt(i).(*lua.LTable); ok {
				p.line(indent+1, "#%d", i)
				p.record(r, d.Record, indent+2, sel)
			}
		}
	case engine.Array:
		var parts []string
		for i := 1; i <= t.Len(); i++ {
			parts = append(parts, p.scalar(t.RawGetInt(i), nil))
		}
		p.line(indent, "%s: [%s]", label, strings.Join(parts, ", "))
	}
}

func (p *printer) record(t *lua.LTable, c *engine.Class, indent int, sel map[string]string) {
	if c.Struct != nil {
		p.structFields(t, c.Struct, indent)
	}
	if a, ok := t.RawGetString("attrs").(*lua.LTable); ok && a.Len() > 0 {
		p.line(indent, "attrs:")
		p.attrs(a, c.Attrs, indent+1, sel)
	}
	p.tail(t, indent)
}

// scalar renders a value on one line: a number with its enum or flag names,
// a string quoted (or as hex when it is binary), a table inline.
func (p *printer) scalar(v lua.LValue, en *engine.Enum) string {
	return p.scalarAs(v, en, "")
}

// scalarAs is scalar for a value its description gives a display hint:
// an integer hinted hex (a mask, a mark) shows as hex unless named.
func (p *printer) scalarAs(v lua.LValue, en *engine.Enum, hint string) string {
	switch x := v.(type) {
	case lua.LNumber:
		s := Number(x)
		whole := x >= 0 && float64(x) == math.Trunc(float64(x))
		if en != nil && whole {
			if name, ok := en.Format(uint64(x)); ok {
				if en.Flags {
					return fmt.Sprintf("0x%x (%s)", uint64(x), name)
				}
				return fmt.Sprintf("%s (%s)", s, name)
			}
		}
		if hint == engine.HintHex && whole && float64(x) <= math.MaxUint64 {
			return fmt.Sprintf("0x%x", uint64(x))
		}
		return s
	case lua.LString:
		return quote(string(x))
	case *lua.LTable:
		s, _ := p.inline(x)
		return s
	}
	return p.h.ToString(v)
}

// Number renders integers in full and other numbers as Lua does.
func Number(x lua.LNumber) string {
	f := float64(x)
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return x.String()
}

// quote shows text as a quoted string and binary as hex.
func quote(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return strconv.Quote(s)
	}
	return QuoteHex(s)
}

// QuoteHex shows bytes as <hex 0a 0b>.
func QuoteHex(s string) string {
	var b strings.Builder
	b.WriteString("<hex")
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, " %02x", s[i])
	}
	b.WriteString(">")
	return b.String()
}

// Nest renders a nested value or a record (its tostring).
func (pr *Printer) Nest(t *lua.LTable) string {
	p := pr.printer()
	a, ok := t.RawGetString("attrs").(*lua.LTable)
	if !ok {
		s, _ := p.entries(t)
		return s
	}
	// A record (an rtnexthop, a VETH_INFO_PEER) has fields beside attrs.
	keys, _ := TableKeys(t)
	for _, k := range keys {
		if ks, ok := k.(lua.LString); ok && ks == "attrs" {
			continue
		}
		p.line(0, "%s: %s", keyText(k), p.scalar(t.RawGet(k), nil))
	}
	p.line(0, "attrs:")
	p.attrs(a, nil, 1, nil)
	return strings.TrimRight(p.b.String(), "\n")
}

// typeLabel names what a header's type number stands for: the message
// type, or in generic netlink the family (the command names the operation).
func typeLabel(mt *engine.MsgType) string {
	if mt.Family != "" {
		return mt.Family
	}
	return mt.Name
}
