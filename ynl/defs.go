package ynl

import (
	"math"
	"strconv"
	"strings"

	"nlsh/engine"
)

// Definitions: consts, enums and flags, structs.

type enumDef struct {
	enum  *engine.Enum
	flags *engine.Enum // the values read as bit numbers (enum-as-flags), made when first asked for
}

type structDef struct {
	m     mapping
	name  string
	desc  *engine.StructDesc
	state int // 0 not built, 1 being built, 2 built
}

func (p *parser) definitions(n node) {
	var structs []*structDef
	var enums []mapping
	taken := map[string]bool{}
	// Consts first: a struct member's len and an enum's value-start may
	// name one defined further down.
	for _, it := range p.list(n) {
		m := p.mapping(it)
		name := p.reqStr(m, "name")
		typ := p.reqStr(m, "type")
		if p.err != nil {
			return
		}
		if taken[name] {
			nn, _ := m.get("name")
			p.failf(nn, "definition %q given twice", name)
			return
		}
		taken[name] = true
		switch typ {
		case "const":
			p.constDef(m, name)
		case "enum", "flags":
			enums = append(enums, m)
		case "struct":
			d := &structDef{m: m, name: name}
			p.structs[name] = d
			structs = append(structs, d)
		default:
			p.oneOf(m, "type", typ, "const", "enum", "flags", "struct")
		}
	}
	if p.err != nil {
		return
	}
	for _, m := range enums {
		p.enumDef(m)
	}
	for _, d := range structs {
		if s := p.buildStruct(d); s != nil {
			p.spec.Structs = append(p.spec.Structs, s)
			p.spec.structs[d.name] = s
		}
	}
}

func (p *parser) constDef(m mapping, name string) {
	v, ok := m.get("value")
	if !ok {
		m.missing(&p.reader, "value")
		return
	}
	cname := constCName(p.family, name, p.str(m, "header") != "")
	if v.y.isScalar(typeInt) {
		x := p.integer(v, math.MinInt64, math.MaxInt64)
		p.consts[name] = x
		p.spec.Consts = append(p.spec.Consts, engine.Const{Name: cname, Value: x})
		return
	}
	p.spec.TextConsts = append(p.spec.TextConsts, TextConst{Name: cname, Value: p.scalarText(v)})
}

// number reads an integer given as a number, as digits in text, or as
// the name of a const (with " - 1" after it, as len-or-define allows).
func (p *parser) number(n node, lo, hi int64) int64 {
	if n.y == nil || n.y.isScalar(typeInt) {
		return p.integer(n, lo, hi)
	}
	s := p.scalarText(n)
	minus := int64(0)
	if t, ok := strings.CutSuffix(s, " - 1"); ok {
		s, minus = t, 1
	}
	v, ok := p.consts[s]
	if !ok {
		x, err := strconv.ParseInt(s, 0, 64)
		if err != nil {
			p.failf(n, "%q is neither a number nor a const of this spec", s)
			return 0
		}
		v = x
	}
	v -= minus
	if v < lo || v > hi {
		p.failf(n, "%d is out of range (%d..%d)", v, lo, hi)
		return 0
	}
	return v
}

func (p *parser) enumDef(m mapping) {
	name := p.str(m, "name")
	flags := p.str(m, "type") == "flags"
	start := int64(0)
	if n, ok := m.get("value-start"); ok {
		start = p.number(n, math.MinInt32, math.MaxUint32)
	}
	pfx := enumPrefix(p.family, name)
	if np, ok := p.optStr(m, "name-prefix"); ok {
		pfx = cUpper(np)
	}
	var values []engine.EnumValue
	var cnames []string
	seen := map[string]bool{}
	next := start
	for _, it := range p.listAt(m, "entries") {
		var en string
		v := next
		if it.y != nil && !it.y.isMap() && !isNull(it.y) {
			en = p.scalarText(it)
		} else {
			em := p.mapping(it)
			en = p.reqStr(em, "name")
			if n, ok := em.get("value"); ok {
				v = p.integer(n, math.MinInt64, math.MaxInt64)
			}
		}
		if p.err != nil {
			return
		}
		if seen[en] {
			p.failf(it, "entry %q given twice", en)
			return
		}
		seen[en] = true
		next = v + 1
		uv := uint64(v)
		if flags {
			if v < 0 || v > 63 {
				p.failf(it, "flag %q is bit %d, outside 0..63", en, v)
				return
			}
			uv = 1 << v
		}
		values = append(values, engine.EnumValue{Name: en, Value: uv})
		cnames = append(cnames, pfx+cUpper(en))
	}
	var e *engine.Enum
	if flags {
		e = engine.NewFlags(name, values...)
	} else {
		e = engine.NewEnum(name, values...)
	}
	p.enums[name] = &enumDef{enum: e}
	p.spec.Enums = append(p.spec.Enums, e)
	p.spec.enums[name] = e
	p.spec.enumC[e] = cnames
}

// enumRef returns the enum named by the text at n; asFlags asks for its
// values as bits (enum-as-flags) when it is a plain enum.
func (p *parser) enumRef(n node, asFlags bool) *engine.Enum {
	name := p.scalarText(n)
	d := p.enums[name]
	if d == nil {
		if p.err == nil {
			p.failf(n, "no enum or flags definition named %q", name)
		}
		return nil
	}
	if !asFlags || d.enum.Flags {
		return d.enum
	}
	if d.flags == nil {
		vs := make([]engine.EnumValue, 0, len(d.enum.Values))
		for _, v := range d.enum.Values {
			if v.Value < 64 {
				vs = append(vs, engine.EnumValue{Name: v.Name, Value: 1 << v.Value})
			}
		}
		d.flags = engine.NewFlags(d.enum.Name, vs...)
	}
	return d.flags
}

// structRef returns the struct named by the text at n.
func (p *parser) structRef(n node) *engine.StructDesc {
	name := p.scalarText(n)
	d := p.structs[name]
	if d == nil {
		if p.err == nil {
			p.failf(n, "no struct definition named %q", name)
		}
		return nil
	}
	return p.buildStruct(d)
}

// buildStruct builds a struct definition, and first the structs it holds.
func (p *parser) buildStruct(d *structDef) *engine.StructDesc {
	switch d.state {
	case 2:
		return d.desc
	case 1:
		p.failf(d.m.node, "struct %q contains itself", d.name)
		return nil
	}
	d.state = 1
	var fields []engine.Field
	for _, it := range p.listAt(d.m, "members") {
		f := p.member(p.mapping(it))
		if p.err != nil {
			return nil
		}
		fields = append(fields, f)
	}
	s, err := engine.MakeStruct(d.name, fields...)
	if err != nil {
		p.errAt(d.m.node, err)
		return nil
	}
	s.Doc = p.str(d.m, "doc")
	d.desc, d.state = s, 2
	return s
}

// member turns one struct member into a field. Members are packed: the
// spec lists any padding as members of type pad.
func (p *parser) member(m mapping) engine.Field {
	f := engine.Field{Name: p.reqStr(m, "name"), Doc: p.str(m, "doc")}
	typ := p.reqStr(m, "type")
	big := p.byteOrder(m)
	hint := p.str(m, "display-hint")
	size := func() int {
		n, ok := m.get("len")
		if !ok {
			tn, _ := m.get("type")
			p.failf(tn, "a %s member needs len", typ)
			return 0
		}
		return int(p.number(n, 1, math.MaxUint16))
	}
	switch typ {
	case "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64":
		f.Kind = scalarKind(typ, big)
		if en, ok := m.get("enum"); ok {
			f.Enum = p.enumRef(en, p.boolean(m, "enum-as-flags"))
		}
		f.Kind, f.Hint = intHint(f.Kind, hint)
	case "string":
		f.Kind, f.Size = engine.Asciiz, size()
	case "binary":
		if sn, ok := m.get("struct"); ok {
			f.Kind, f.Struct = engine.Struct, p.structRef(sn)
			break
		}
		f.Size = size()
		f.Kind, f.Hint = binaryHint(hint, f.Size)
	case "pad":
		f.Kind, f.Size = engine.Pad, size()
	case "bitfield32":
		var e *engine.Enum
		if en, ok := m.get("enum"); ok {
			e = p.enumRef(en, p.boolean(m, "enum-as-flags"))
		}
		f.Kind, f.Struct = engine.Struct, p.bitfield32(e)
	default:
		tn, _ := m.get("type")
		p.failf(tn, "unknown member type %q", typ)
	}
	return f
}

// byteOrder reads byte-order: true for big-endian.
func (p *parser) byteOrder(m mapping) bool {
	bo, ok := p.optStr(m, "byte-order")
	if !ok {
		return false
	}
	p.oneOf(m, "byte-order", bo, "little-endian", "big-endian")
	return bo == "big-endian"
}

// bitfield32 is the layout of a bitfield32 payload, {value, selector}
// (struct nla_bitfield32), both named by e when given.
func (p *parser) bitfield32(e *engine.Enum) *engine.StructDesc {
	if e == nil {
		if p.plain == nil {
			p.plain = engine.NewStruct("bitfield32",
				engine.Field{Name: "value", Kind: engine.U32},
				engine.Field{Name: "selector", Kind: engine.U32})
		}
		return p.plain
	}
	s := p.bitfields[e]
	if s == nil {
		s = engine.NewStruct("bitfield32",
			engine.Field{Name: "value", Kind: engine.U32, Enum: e},
			engine.Field{Name: "selector", Kind: engine.U32, Enum: e})
		p.bitfields[e] = s
	}
	return s
}
