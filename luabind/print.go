package luabind

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// The printer renders message tables for people: one field or attribute per
// line, nests indented, enum and flag names beside numbers, binary as hex.
// It reads the Lua table (so it shows what a script changed) and takes names
// and kinds from the descriptions.

type printer struct {
	e *Env
	b strings.Builder
}

func (e *Env) format(t *lua.LTable) string {
	e.materialize(t)
	p := &printer{e: e}
	c := e.classOf(t)
	p.message(t, c)
	return strings.TrimRight(p.b.String(), "\n")
}

func (p *printer) line(indent int, format string, args ...any) {
	p.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&p.b, format, args...)
	p.b.WriteByte('\n')
}

func (p *printer) message(t *lua.LTable, c *engine.Class) {
	title := "message"
	if c != nil {
		title = c.Name
	}
	var mt *engine.MsgType
	if h, ok := t.RawGetString("header").(*lua.LTable); ok {
		if n, ok := h.RawGetString("type").(lua.LNumber); ok {
			mt = p.e.proto.TypeByNumber(uint16(n))
		}
		if mt != nil {
			title = mt.Name + " (" + title + ")"
		}
		p.line(0, "%s", title)
		var parts []string
		for _, k := range headerKeys {
			v := h.RawGetString(k)
			s := p.scalar(v, nil)
			switch k {
			case "type":
				if mt != nil {
					s = fmt.Sprintf("%s (%s)", s, mt.Name)
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
	} else {
		p.line(0, "%s", title)
	}
	if c != nil && c.Struct != nil {
		p.structFields(t, c.Struct, 1)
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
		p.attrs(attrs, set, 2, nil)
	}
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
		p.line(indent, "%s: %s", f.Name, p.scalar(v, f.Enum))
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
			parts = append(parts, f.Name+"="+p.scalar(v, f.Enum))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// attrs prints a list of pairs; parent holds the enclosing lists' selector
// values for sub-messages.
func (p *printer) attrs(attrs *lua.LTable, set *engine.AttrSet, indent int, parent map[string]string) {
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
			p.line(indent, "#%d: %s (not a {name, value} pair)", i, p.e.tostring(attrs.RawGetInt(i)))
			continue
		}
		name := lua.LVAsString(pr.RawGetInt(1))
		d, _ := set.ByName(name)
		if d != nil && d.Kind == engine.SubMsg {
			d = d.Sub.Formats[sel[d.Sub.Selector]]
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
		p.value(indent, name+flags, pr.RawGetInt(2), d, sel)
	}
}

func (p *printer) value(indent int, label string, v lua.LValue, d *engine.AttrDesc, sel map[string]string) {
	t, isTable := v.(*lua.LTable)
	if !isTable || d == nil {
		var en *engine.Enum
		if d != nil {
			en = d.Enum
		}
		if isTable {
			p.line(indent, "%s: %s", label, p.luaTable(t))
			return
		}
		p.line(indent, "%s: %s", label, p.scalar(v, en))
		return
	}
	switch d.Kind {
	case engine.Nested:
		p.line(indent, "%s:", label)
		if a, ok := t.RawGetString("attrs").(*lua.LTable); ok {
			p.attrs(a, d.Set, indent+1, sel)
		} else {
			p.attrs(t, d.Set, indent+1, sel)
		}
	case engine.Struct:
		if len(d.Struct.Fields) <= 6 && d.Struct.Flex == nil {
			p.line(indent, "%s: %s", label, p.inlineStruct(t, d.Struct))
			return
		}
		p.line(indent, "%s:", label)
		p.structFields(t, d.Struct, indent+1)
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
	default:
		p.line(indent, "%s: %s", label, p.luaTable(t))
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
}

// scalar renders a number (with its enum or flag names), a string (quoted, or
// as hex when it is binary) or a boolean.
func (p *printer) scalar(v lua.LValue, en *engine.Enum) string {
	switch x := v.(type) {
	case lua.LNumber:
		s := strconv.FormatFloat(float64(x), 'f', -1, 64)
		if en != nil && x >= 0 {
			if name, ok := en.Format(uint64(x)); ok {
				if en.Flags {
					return fmt.Sprintf("0x%x (%s)", uint64(x), name)
				}
				return fmt.Sprintf("%s (%s)", s, name)
			}
		}
		return s
	case lua.LString:
		return quote(string(x))
	case *lua.LTable:
		if x.Metatable == p.e.rawMeta {
			return p.e.tostring(x)
		}
		return p.luaTable(x)
	}
	return p.e.tostring(v)
}

// quote shows text as a quoted string and binary as hex.
func quote(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return strconv.Quote(s)
	}
	return quoteHex(s)
}

// quoteHex shows bytes as <hex 0a 0b>.
func quoteHex(s string) string {
	var b strings.Builder
	b.WriteString("<hex")
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, " %02x", s[i])
	}
	b.WriteString(">")
	return b.String()
}

// luaTable renders a plain table on one line with sorted keys.
func (p *printer) luaTable(t *lua.LTable) string {
	var parts []string
	n := t.Len()
	for i := 1; i <= n; i++ {
		parts = append(parts, p.scalar(t.RawGetInt(i), nil))
	}
	var keys []string
	t.ForEach(func(k, _ lua.LValue) {
		if ks, ok := k.(lua.LString); ok {
			keys = append(keys, string(ks))
		}
	})
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+p.scalar(t.RawGetString(k), nil))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (e *Env) luaNestToString(L *lua.LState) int {
	t := L.CheckTable(1)
	p := &printer{e: e}
	if a, ok := t.RawGetString("attrs").(*lua.LTable); ok {
		p.line(0, "attrs:")
		p.attrs(a, nil, 1, nil)
	} else {
		p.b.WriteString(p.luaTable(t))
	}
	L.Push(lua.LString(strings.TrimRight(p.b.String(), "\n")))
	return 1
}
