package ynl

import "math"

// Operations and multicast groups.

type opDef struct {
	m     mapping
	op    *Op
	set   node // attribute-set, if given
	async bool // a notification or an event
	call  bool // has do or dump
	// The ids of the mode that numbers a directional operation (do, else
	// dump), when given.
	reqVal, rspVal    int64
	hasReqVal, hasRsp bool
	hasRspVal, hasVal bool
	val               int64 // the operation's own value
}

func (p *parser) mcastGroups(n node) {
	if n.y == nil {
		return
	}
	m := p.mapping(n)
	for _, it := range p.listAt(m, "list") {
		gm := p.mapping(it)
		name := p.reqStr(gm, "name")
		if p.err != nil {
			return
		}
		if p.groups[name] {
			nn, _ := gm.get("name")
			p.failf(nn, "multicast group %q given twice", name)
			return
		}
		p.groups[name] = true
		g := Group{Name: name, CName: groupCName(p.family, name)}
		if c, ok := p.optStr(gm, "c-define-name"); ok {
			g.CName = cUpper(c)
		}
		if !p.genl {
			v, _ := p.optInt(gm, "value", 0, math.MaxUint32)
			g.Value = uint32(v)
		}
		p.spec.Groups = append(p.spec.Groups, g)
	}
}

func (p *parser) operations(n node) {
	s := p.spec
	m := p.mapping(n)
	s.MsgIDModel = "unified"
	if m.has("enum-model") {
		s.MsgIDModel = p.str(m, "enum-model")
		p.oneOf(m, "enum-model", s.MsgIDModel, "unified", "directional")
	}
	prefix := opPrefix(p.family)
	if np, ok := p.optStr(m, "name-prefix"); ok {
		prefix = cUpper(np)
	}
	async := prefix
	if ap, ok := p.optStr(m, "async-prefix"); ok {
		async = cUpper(ap)
	}
	if fh, ok := m.get("fixed-header"); ok {
		s.Fixed = p.structRef(fh)
	}
	ln, ok := m.get("list")
	if !ok {
		m.missing(&p.reader, "list")
		return
	}
	maxID := int64(math.MaxUint8) // a genlmsghdr's cmd
	if !p.genl {
		maxID = math.MaxUint16 // an nlmsghdr's type
	}
	var defs []*opDef
	for _, it := range p.list(ln) {
		d := p.operation(p.mapping(it), maxID)
		if p.err != nil {
			return
		}
		if s.ops[d.op.Name] != nil {
			nn, _ := d.m.get("name")
			p.failf(nn, "operation %q given twice", d.op.Name)
			return
		}
		if d.async {
			d.op.CName = async + cUpper(d.op.Name)
		} else {
			d.op.CName = prefix + cUpper(d.op.Name)
		}
		s.ops[d.op.Name] = d.op
		s.Ops = append(s.Ops, d.op)
		defs = append(defs, d)
	}
	// Sets named outright first: a notification may come before the
	// operation it shares a set with.
	for _, d := range defs {
		if d.set.y != nil {
			p.opSet(d)
		}
	}
	for _, d := range defs {
		if d.set.y == nil {
			p.opSet(d)
		}
	}
	if p.err != nil {
		return
	}
	if s.MsgIDModel == "directional" {
		p.numberDirectional(defs, maxID)
	} else {
		p.numberUnified(defs, maxID)
	}
}

func (p *parser) operation(m mapping, maxID int64) *opDef {
	op := &Op{Name: p.reqStr(m, "name"), Doc: p.str(m, "doc"), Request: -1, Reply: -1}
	d := &opDef{m: m, op: op}
	d.set, _ = m.get("attribute-set")
	op.Flags, _ = p.strs(m, "flags")
	if fh, ok := m.get("fixed-header"); ok {
		op.Fixed = p.structRef(fh)
	} else {
		op.Fixed = p.spec.Fixed
	}
	if n, ok := m.get("do"); ok {
		op.Do = p.mode(n, d, maxID, true)
	}
	if n, ok := m.get("dump"); ok {
		op.Dump = p.mode(n, d, maxID, op.Do == nil)
	}
	if n, ok := m.get("event"); ok {
		em := p.mapping(n)
		attrs, _ := p.strs(em, "attributes")
		op.Event = &Mode{Reply: nonNil(attrs), HasReply: true}
	}
	op.Notify = p.str(m, "notify")
	if op.Notify != "" && op.Event != nil {
		nn, _ := m.get("event")
		p.failf(nn, "an operation cannot be both a notification (notify) and an event")
	}
	if g, ok := p.optStr(m, "mcgrp"); ok {
		op.MCGroup = g
		if !p.groups[g] && p.err == nil {
			gn, _ := m.get("mcgrp")
			p.failf(gn, "no multicast group named %q", g)
		}
	}
	d.val, d.hasVal = p.optInt(m, "value", 0, maxID)
	d.async = m.has("notify") || m.has("event")
	d.call = op.Do != nil || op.Dump != nil
	return d
}

// mode reads a do or dump. numbering says this mode's ids number a
// directional operation (the do, or a dump with no do beside it).
func (p *parser) mode(n node, d *opDef, maxID int64, numbering bool) *Mode {
	m := p.mapping(n)
	md := &Mode{}
	if rn, ok := m.get("request"); ok {
		rm := p.mapping(rn)
		attrs, _ := p.strs(rm, "attributes")
		md.Request, md.HasRequest = nonNil(attrs), true
		if v, ok := p.optInt(rm, "value", 0, maxID); ok && numbering {
			d.reqVal, d.hasReqVal = v, true
		}
	}
	if rn, ok := m.get("reply"); ok {
		rm := p.mapping(rn)
		attrs, _ := p.strs(rm, "attributes")
		md.Reply, md.HasReply = nonNil(attrs), true
		if numbering {
			d.hasRsp = true
		}
		if v, ok := p.optInt(rm, "value", 0, maxID); ok && numbering {
			d.rspVal, d.hasRspVal = v, true
		}
	}
	return md
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// opSet finds an operation's attribute set: its own, else (for a
// notification) that of the operation it notifies for. Only a reserved
// id (an operation with nothing in it) may have none.
func (p *parser) opSet(d *opDef) {
	op := d.op
	if d.set.y != nil {
		op.Set = p.setRef(d.set)
		return
	}
	if op.Notify != "" {
		target := p.spec.ops[op.Notify]
		if target == nil {
			nn, _ := d.m.get("notify")
			p.failf(nn, "no operation named %q", op.Notify)
			return
		}
		op.Set = target.Set
		if target.Set == nil {
			nn, _ := d.m.get("notify")
			p.failf(nn, "operation %q has no attribute-set to share", op.Notify)
		}
		return
	}
	if d.call || op.Event != nil {
		d.m.missing(&p.reader, "attribute-set")
	}
}

// numberUnified gives each operation one id for both directions: its
// value, else one more than the operation before (the first is 1).
// Notifications take an id from the same count but only receive. With
// async-prefix the kernel's header generator puts notifications in an
// enum of their own, counted from 0 where they give no value; nlspec.py
// counts them with the rest, as this does, so such a spec had better
// give its notifications values.
func (p *parser) numberUnified(defs []*opDef, maxID int64) {
	next := int64(1)
	for _, d := range defs {
		id := next
		if d.hasVal {
			id = d.val
		}
		if id > maxID {
			p.idTooLarge(d, id, maxID)
			return
		}
		next = id + 1
		switch {
		case d.async:
			d.op.Reply = int(id)
		case d.call:
			d.op.Request, d.op.Reply = int(id), int(id)
		}
		p.replyCName(d, "")
	}
}

// numberDirectional counts requests and replies apart
// (genetlink-legacy.rst): a do or dump takes a request id and, when it
// has a reply, a reply id, each one more than the last of its direction
// unless the do's (else the dump's) request or reply gives a value; a
// notification or event takes only a reply id, its own value when
// given. The kernel's tooling (nlspec.py) counts the same way, and also
// gives a request id to a do or dump without a request section; it
// treats a value of 0 as absent, where this reads it as given.
func (p *parser) numberDirectional(defs []*opDef, maxID int64) {
	req, rsp := int64(1), int64(1)
	for _, d := range defs {
		switch {
		case d.async:
			if d.hasVal {
				rsp = d.val
			}
			d.op.Reply = int(rsp)
			rsp++
		case d.call:
			if d.hasReqVal {
				req = d.reqVal
			}
			if d.hasRspVal {
				rsp = d.rspVal
			}
			d.op.Request = int(req)
			req++
			if d.hasRsp {
				d.op.Reply = int(rsp)
				rsp++
			}
		default:
			p.failf(d.m.node, "a directional operation needs do, dump, notify or event")
			return
		}
		if id := max(d.op.Request, d.op.Reply); int64(id) > maxID {
			p.idTooLarge(d, int64(id), maxID)
			return
		}
		p.replyCName(d, "_REPLY")
	}
}

func (p *parser) idTooLarge(d *opDef, id, maxID int64) {
	nn, _ := d.m.get("name")
	p.failf(nn, "operation %q would be id %d, more than %d", d.op.Name, id, maxID)
}

// replyCName names the reply id: a call's reply in a directional family
// is the request's name with _REPLY after it (how the kernel's generator
// writes uAPI headers); everything else shares its name.
func (p *parser) replyCName(d *opDef, suffix string) {
	if d.op.Reply < 0 {
		return
	}
	d.op.ReplyCName = d.op.CName
	if !d.async {
		d.op.ReplyCName += suffix
	}
}
