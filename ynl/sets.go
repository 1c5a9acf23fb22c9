package ynl

import "nlsh/engine"

// Attribute sets. Each is made in two steps: first an empty engine set
// with every attribute's name and number (so that any attribute may
// point at any set, itself included), then the attributes.

// maxAttr is the largest attribute number: the top two bits of nla_type
// are NLA_F_NESTED and NLA_F_NET_BYTEORDER.
const maxAttr = int64(engine.NLA_TYPE_MASK)

type setDef struct {
	m      mapping
	name   string
	set    *engine.AttrSet
	parent *setDef // subset-of
	prefix string  // the C prefix of its attributes' names
	attrs  []*attrDef
	byName map[string]*attrDef
	state  int // 0 not resolved, 1 being resolved, 2 resolved
}

type attrDef struct {
	src   attrSrc
	name  string
	value uint16
}

func (p *parser) attributeSets(n node) {
	items := p.list(n)
	var defs []*setDef
	for _, it := range items {
		m := p.mapping(it)
		name := p.reqStr(m, "name")
		if p.err != nil {
			return
		}
		if p.sets[name] != nil {
			nn, _ := m.get("name")
			p.failf(nn, "attribute set %q given twice", name)
			return
		}
		d := &setDef{m: m, name: name, set: engine.NewAttrSet(name, ""), byName: map[string]*attrDef{}}
		d.set.Doc = p.str(m, "doc")
		p.sets[name] = d
		defs = append(defs, d)
	}
	for _, d := range defs {
		p.resolveSet(d)
		if p.err != nil {
			return
		}
		p.spec.Sets = append(p.spec.Sets, d.set)
		p.spec.sets[d.name] = d.set
	}
}

// resolveSet numbers a set's attributes. A subset's take their numbers
// (and any key they do not restate) from the parent set's attribute of
// the same name.
func (p *parser) resolveSet(d *setDef) {
	switch d.state {
	case 2:
		return
	case 1:
		p.failf(d.m.node, "attribute set %q is a subset of itself", d.name)
		return
	}
	d.state = 1
	defer func() { d.state = 2 }()
	if pn, ok := d.m.get("subset-of"); ok {
		pname := p.scalarText(pn)
		d.parent = p.sets[pname]
		if d.parent == nil {
			if p.err == nil {
				p.failf(pn, "no attribute set named %q", pname)
			}
			return
		}
		p.resolveSet(d.parent)
		if p.err != nil {
			return
		}
		d.prefix = d.parent.prefix
	} else {
		d.prefix = setPrefix(p.family, d.name)
		if np, ok := p.optStr(d.m, "name-prefix"); ok {
			d.prefix = cUpper(np)
		}
	}
	d.set.Prefix = d.prefix
	an, ok := d.m.get("attributes")
	if !ok {
		d.m.missing(&p.reader, "attributes")
		return
	}
	byNum := map[uint16]string{}
	next := int64(1)
	for _, it := range p.list(an) {
		m := p.mapping(it)
		name := p.reqStr(m, "name")
		if p.err != nil {
			return
		}
		if d.byName[name] != nil {
			if d.parent != nil {
				// A subset naming an attribute twice says nothing new
				// (devlink's dl-dpipe-table does); the first stands.
				continue
			}
			nn, _ := m.get("name")
			p.failf(nn, "attribute %q given twice", name)
			return
		}
		a := &attrDef{src: attrSrc{m}, name: name}
		if d.parent != nil {
			pa := d.parent.byName[name]
			if pa == nil {
				nn, _ := m.get("name")
				p.failf(nn, "attribute %q is not in set %q", name, d.parent.name)
				return
			}
			a.value = pa.value
			a.src = append(a.src, pa.src...)
		} else {
			v := next
			if vn, ok := m.get("value"); ok {
				v = p.integer(vn, 0, maxAttr)
			} else if v > maxAttr {
				nn, _ := m.get("name")
				p.failf(nn, "attribute %q would be number %d, more than %d", name, v, maxAttr)
			}
			if p.err != nil {
				return
			}
			next = v + 1
			a.value = uint16(v)
			if old, dup := byNum[a.value]; dup {
				where, ok := m.get("value")
				if !ok {
					where, _ = m.get("name")
				}
				p.failf(where, "attribute %q is number %d, as %q is", name, v, old)
				return
			}
			byNum[a.value] = name
		}
		d.attrs = append(d.attrs, a)
		d.byName[name] = a
	}
}

// fillSets describes every attribute of every set.
func (p *parser) fillSets() {
	for _, set := range p.spec.Sets {
		d := p.sets[set.Name]
		for _, a := range d.attrs {
			desc := p.attrDesc(d, a)
			if p.err != nil {
				return
			}
			if err := d.set.Insert(desc); err != nil {
				p.errAt(a.src[0].node, err)
				return
			}
		}
	}
}

// setRef returns the set named by the text at n.
func (p *parser) setRef(n node) *engine.AttrSet {
	name := p.scalarText(n)
	d := p.sets[name]
	if d == nil {
		if p.err == nil {
			p.failf(n, "no attribute set named %q", name)
		}
		return nil
	}
	return d.set
}
