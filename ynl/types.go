package ynl

import (
	"math"

	"nlsh/engine"
)

// From YNL's types to the engine's kinds.

// scalarKind is the kind of a fixed-width or variable-width integer;
// a big-endian signed one (nftables' hook priority) keeps its sign.
func scalarKind(t string, big bool) engine.Kind {
	switch t {
	case "u8":
		return engine.U8
	case "s8":
		return engine.S8
	case "u16", "s16":
		if big {
			if t == "s16" {
				return engine.SBE16
			}
			return engine.BE16
		}
		if t == "u16" {
			return engine.U16
		}
		return engine.S16
	case "u32", "s32":
		if big {
			if t == "s32" {
				return engine.SBE32
			}
			return engine.BE32
		}
		if t == "u32" {
			return engine.U32
		}
		return engine.S32
	case "u64", "s64":
		if big {
			if t == "s64" {
				return engine.SBE64
			}
			return engine.BE64
		}
		if t == "u64" {
			return engine.U64
		}
		return engine.S64
	case "uint":
		return engine.Uint
	case "sint":
		return engine.Sint
	}
	return engine.Invalid
}

// intHint applies a display-hint to an integer kind: a big-endian u32
// shown as ipv4 is an IPv4 address; other hints (hex) stay hints.
func intHint(k engine.Kind, hint string) (engine.Kind, string) {
	if hint == "ipv4" && k == engine.BE32 {
		return engine.IPv4, ""
	}
	return k, hint
}

// binaryHint is the kind of a binary value of the given size (0: not
// known) and display-hint: addresses become address kinds, and hex or
// uuid stay hints on Binary. A binary shown as ipv4 whose size is not
// known to be 4 is an address of either family (IP): the specs mark
// rtnetlink's addresses so (rt-addr's address, rt-route's dst), whose
// IPv6 form is 16 bytes; the kernel's tooling shows them with Python's
// ip_address(), which takes either.
func binaryHint(hint string, size int) (engine.Kind, string) {
	switch hint {
	case "mac", "fddi":
		return engine.LLAddr, ""
	case "ipv4":
		switch size {
		case 4:
			return engine.IPv4, ""
		case 0:
			return engine.IP, ""
		}
	case "ipv6":
		if size == 0 || size == 16 {
			return engine.IPv6, ""
		}
	case "ipv4-or-v6":
		if size == 0 {
			return engine.IP, ""
		}
	case "":
		return engine.Binary, ""
	}
	return engine.Binary, hint
}

// attrSrc is where an attribute's keys are read: its own mapping, and
// for an attribute of a subset then the parent set's (and so on up),
// so that a subset entry may restate or override any key.
type attrSrc []mapping

// pick returns the first mapping giving key k, else the attribute's own.
func (s attrSrc) pick(k string) mapping {
	for _, m := range s {
		if m.has(k) {
			return m
		}
	}
	return s[0]
}

func (s attrSrc) get(k string) (node, bool) { return s.pick(k).get(k) }

// attrDesc describes one attribute of a set.
func (p *parser) attrDesc(set *setDef, a *attrDef) *engine.AttrDesc {
	src := a.src
	d := &engine.AttrDesc{Name: a.name, Type: a.value}
	d.Doc = p.str(src.pick("doc"), "doc")
	pfx := set.prefix
	if np, ok := p.optStr(src.pick("name-prefix"), "name-prefix"); ok {
		pfx = cUpper(np) // genetlink-c: an attribute's own prefix
	}
	d.CName = pfx + cUpper(a.name)
	tn, ok := src.get("type")
	if !ok {
		src[0].missing(&p.reader, "type")
		return nil
	}
	typ := p.scalarText(tn)
	big := p.byteOrder(src.pick("byte-order"))
	hint := p.str(src.pick("display-hint"), "display-hint")
	d.Multi = p.boolean(src.pick("multi-attr"), "multi-attr")
	enum := func() *engine.Enum {
		if en, ok := src.get("enum"); ok {
			return p.enumRef(en, p.boolean(src.pick("enum-as-flags"), "enum-as-flags"))
		}
		return nil
	}
	nested := func() *engine.AttrSet {
		n, ok := src.get("nested-attributes")
		if !ok {
			p.failf(tn, "a %s attribute needs nested-attributes", typ)
			return nil
		}
		return p.setRef(n)
	}
	switch typ {
	case "unused":
		d.Kind = engine.Binary
	case "pad":
		d.Kind = engine.Pad
	case "flag":
		d.Kind = engine.Flag
	case "string":
		// Asciiz even for checks: unterminated-ok, which lets the kernel
		// accept a string without its NUL but is not how it sends one.
		d.Kind = engine.Asciiz
	case "binary":
		if sn, ok := src.get("struct"); ok {
			d.Kind, d.Struct = engine.Struct, p.structRef(sn)
			break
		}
		if st, ok := src.get("sub-type"); ok {
			d.Kind, d.Elem = engine.Array, p.arrayElem(st, big, hint)
			d.Enum = enum()
			break
		}
		d.Kind, d.Hint = binaryHint(hint, p.exactLen(src))
	case "bitfield32":
		d.Kind, d.Struct = engine.Struct, p.bitfield32(enum())
	case "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "uint", "sint":
		d.Kind, d.Hint = intHint(scalarKind(typ, big), hint)
		d.Enum = enum()
	case "nest":
		// NLA_F_NESTED in generic netlink only. The kernel's ynl.py sets
		// it on every nest, rtnetlink's too; rtnetlink does not ask for
		// it and iproute2 does not send it, so netlink-raw nests go
		// without, as rtnl's do.
		d.Kind, d.Set, d.NestFlag = engine.Nested, nested(), p.genl
	case "indexed-array":
		// Each element's number is its index. The docs leave the first
		// index open: ynl.py counts from 0 when it encodes, the kernel's
		// own arrays (nlctrl's ops) from 1; scripts give the numbers.
		d.Kind, d.NestFlag = engine.Nested, p.genl
		d.Set = engine.NewIndexedSet(a.name, p.indexedElem(src, tn, big, hint, enum, nested))
	case "nest-type-value":
		d.Kind, d.NestFlag = engine.Nested, p.genl
		d.Set = p.typeValue(src, tn, nested())
	case "sub-message":
		d.Kind = engine.SubMsg
		d.Sub = p.subMessage(src, tn)
	default:
		p.failf(tn, "unknown type %q", typ)
	}
	if p.err != nil {
		return nil
	}
	return d
}

// arrayElem is the element kind of a binary attribute with a sub-type: a
// C array of fixed-size scalars.
func (p *parser) arrayElem(st node, big bool, hint string) engine.Kind {
	t := p.scalarText(st)
	k := scalarKind(t, big)
	if k.Size() == 0 {
		p.failf(st, "sub-type %q is not a fixed-size integer", t)
		return engine.Invalid
	}
	k, _ = intHint(k, hint)
	return k
}

// indexedElem is the layout of every element of an indexed-array: a nest
// of the sub-type's set (each entry's number is its index), or one value
// of the scalar sub-type.
func (p *parser) indexedElem(src attrSrc, tn node, big bool, hint string, enum func() *engine.Enum, nested func() *engine.AttrSet) *engine.AttrDesc {
	st, ok := src.get("sub-type")
	if !ok {
		p.failf(tn, "an indexed-array needs a sub-type")
		return nil
	}
	t := p.scalarText(st)
	e := &engine.AttrDesc{}
	switch t {
	case "nest":
		e.Kind, e.Set, e.NestFlag = engine.Nested, nested(), p.genl
	case "binary":
		e.Kind, e.Hint = binaryHint(hint, 0)
		if sn, ok := src.get("struct"); ok {
			e.Kind, e.Struct = engine.Struct, p.structRef(sn)
		}
	case "string":
		e.Kind = engine.Asciiz
	case "flag":
		e.Kind = engine.Flag
	default:
		k := scalarKind(t, big)
		if k == engine.Invalid {
			p.failf(st, "unknown sub-type %q", t)
			return nil
		}
		e.Kind, e.Hint = intHint(k, hint)
		e.Enum = enum()
	}
	return e
}

// typeValue is the set inside a nest-type-value attribute: one level of
// array per name in type-value (each nest's number carries that value),
// the innermost holding the nested set's attributes. nlctrl's policy
// dump: [policy index [attribute index [policy attributes]]].
func (p *parser) typeValue(src attrSrc, tn node, inner *engine.AttrSet) *engine.AttrSet {
	names, ok := src.get("type-value")
	if !ok {
		p.failf(tn, "a nest-type-value attribute needs type-value")
		return nil
	}
	levels := p.list(names)
	if len(levels) == 0 && p.err == nil {
		p.failf(names, "type-value names no level")
	}
	set := inner
	for i := len(levels) - 1; i >= 0; i-- {
		set = engine.NewIndexedSet(p.scalarText(levels[i]), &engine.AttrDesc{Kind: engine.Nested, Set: set, NestFlag: p.genl})
	}
	return set
}

// exactLen is a binary attribute's size when its checks fix it
// (exact-len), else 0.
func (p *parser) exactLen(src attrSrc) int {
	cn, ok := src.get("checks")
	if !ok {
		return 0
	}
	n, ok := p.mapping(cn).get("exact-len")
	if !ok {
		return 0
	}
	return int(p.number(n, 0, math.MaxUint16))
}
