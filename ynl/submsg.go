package ynl

import "nlsh/engine"

// Sub-messages: an attribute whose payload format is chosen by the value
// of another attribute (its selector). The formats table is made before
// any attribute (so attributes can share it) and filled after every set
// exists (so formats can name any set).

type subDef struct {
	m       mapping
	name    string
	formats map[string]*engine.AttrDesc
}

func (p *parser) subMessages(n node) {
	for _, it := range p.list(n) {
		m := p.mapping(it)
		name := p.reqStr(m, "name")
		if p.err != nil {
			return
		}
		if p.subs[name] != nil {
			nn, _ := m.get("name")
			p.failf(nn, "sub-message %q given twice", name)
			return
		}
		d := &subDef{m: m, name: name, formats: map[string]*engine.AttrDesc{}}
		p.subs[name] = d
		p.subOrder = append(p.subOrder, d)
	}
}

// fillSubMessages describes each format: attributes of a set (a nest),
// a fixed header (a struct), or both (a header then attributes).
// NLA_F_NESTED goes on the attribute carrying a format with attributes,
// in generic netlink only (rtnetlink sends and expects nests without it).
func (p *parser) fillSubMessages() {
	for _, d := range p.subOrder {
		fn, ok := d.m.get("formats")
		if !ok {
			d.m.missing(&p.reader, "formats")
			return
		}
		for _, it := range p.list(fn) {
			m := p.mapping(it)
			vn, ok := m.get("value")
			if !ok {
				m.missing(&p.reader, "value")
				return
			}
			v := p.scalarText(vn)
			if p.err != nil {
				return
			}
			if d.formats[v] != nil {
				p.failf(vn, "format %q given twice", v)
				return
			}
			f := &engine.AttrDesc{Name: v, Kind: engine.Binary}
			var st *engine.StructDesc
			var set *engine.AttrSet
			if sn, ok := m.get("fixed-header"); ok {
				st = p.structRef(sn)
			}
			if an, ok := m.get("attribute-set"); ok {
				set = p.setRef(an)
			}
			if p.err != nil {
				return
			}
			switch {
			case st != nil && set != nil:
				f.Kind, f.Record, f.NestFlag = engine.Embedded, &engine.Class{Name: v, Struct: st, Attrs: set}, p.genl
			case set != nil:
				f.Kind, f.Set, f.NestFlag = engine.Nested, set, p.genl
			case st != nil:
				f.Kind, f.Struct = engine.Struct, st
			}
			d.formats[v] = f
		}
	}
}

// subMessage is the choice of formats of a sub-message attribute. The
// selector is named as the spec names attributes and fields, which is
// how the engine looks it up: among the attribute's siblings, then the
// enclosing sets' attributes, then the fixed header's fields.
func (p *parser) subMessage(src attrSrc, tn node) *engine.SubMessage {
	sn, ok := src.get("sub-message")
	if !ok {
		p.failf(tn, "a sub-message attribute needs sub-message")
		return nil
	}
	name := p.scalarText(sn)
	d := p.subs[name]
	if d == nil {
		if p.err == nil {
			p.failf(sn, "no sub-message named %q", name)
		}
		return nil
	}
	sel, ok := src.get("selector")
	if !ok {
		p.failf(tn, "a sub-message attribute needs selector")
		return nil
	}
	return &engine.SubMessage{Selector: p.scalarText(sel), Formats: d.formats}
}
