package genl

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"nlsh/engine"
)

// Policy is what the kernel says its operations accept (CTRL_CMD_GETPOLICY):
// for each command the policies of its do and dump requests, and each
// policy's attributes with their types and limits.
type Policy struct {
	Ops  map[uint32]OpPolicy
	Sets map[uint32]map[uint16]*AttrPolicy
}

// OpPolicy gives the policy indexes of a command's requests; -1 when the
// command has no such request or takes no attributes.
type OpPolicy struct{ Do, Dump int }

// AttrPolicy is one attribute's policy.
type AttrPolicy struct {
	Type   string // flag, u8 … u64, s8 … s64, binary, string, nul-string, nested, nested-array, bitfield32, sint, uint
	Nested int    // for nested and nested-array: the policy of the inside, else -1
	// Limits are the other policy attributes the kernel sent, by their
	// nlctrl names (min-value-u, max-length, mask, …), in number order.
	Limits []Limit
}

// Limit is one bound of an attribute's policy.
type Limit struct {
	Name  string
	Value any // uint64 or int64
}

// Limit returns the value of the named limit.
func (a *AttrPolicy) Limit(n string) (any, bool) {
	for _, l := range a.Limits {
		if l.Name == n {
			return l.Value, true
		}
	}
	return nil, false
}

// GetPolicy asks the kernel for the policies of the family numbered id
// (of one command when cmd >= 0).
func (t *Table) GetPolicy(ctx context.Context, r Requester, id uint16, cmd int) (*Policy, error) {
	ctrl := t.ByName("nlctrl")
	attrs := []any{engine.Table{List: []any{"family-id", uint64(id)}}}
	if cmd >= 0 {
		attrs = append(attrs, engine.Table{List: []any{"op", uint64(cmd)}})
	}
	req, err := ctrl.Encode(ctrl.Op("getpolicy"), engine.NLM_F_REQUEST|engine.NLM_F_DUMP, nil, engine.Table{List: attrs})
	if err != nil {
		return nil, err
	}
	msgs, err := r.Request(ctx, t.proto, req)
	if err != nil {
		return nil, err
	}
	return ParsePolicy(t.proto, msgs), nil
}

// ParsePolicy reads the replies of a getpolicy dump.
func ParsePolicy(p *engine.Protocol, msgs []engine.Message) *Policy {
	pol := &Policy{Ops: map[uint32]OpPolicy{}, Sets: map[uint32]map[uint16]*AttrPolicy{}}
	for i := range msgs {
		r := msgs[i].Decode(p)
		for _, a := range r.Attrs {
			switch a.Name(CtrlAttrs) {
			case "op-policy":
				n, _ := a.Value.(*engine.NestValue)
				if n == nil {
					continue
				}
				for _, op := range n.Attrs {
					in, _ := op.Value.(*engine.NestValue)
					if in == nil {
						continue
					}
					o := OpPolicy{Do: -1, Dump: -1}
					if v, ok := in.Get("do"); ok {
						o.Do = int(u32(v))
					}
					if v, ok := in.Get("dump"); ok {
						o.Dump = int(u32(v))
					}
					pol.Ops[uint32(op.Type)] = o
				}
			case "policy":
				n, _ := a.Value.(*engine.NestValue)
				if n == nil {
					continue
				}
				for _, set := range n.Attrs {
					in, _ := set.Value.(*engine.NestValue)
					if in == nil {
						continue
					}
					m := pol.Sets[uint32(set.Type)]
					if m == nil {
						m = map[uint16]*AttrPolicy{}
						pol.Sets[uint32(set.Type)] = m
					}
					for _, at := range in.Attrs {
						if pa, ok := at.Value.(*engine.NestValue); ok {
							m[at.Type] = attrPolicy(pa)
						}
					}
				}
			}
		}
	}
	return pol
}

func attrPolicy(n *engine.NestValue) *AttrPolicy {
	ap := &AttrPolicy{Nested: -1}
	for _, a := range n.Attrs {
		name := a.Name(PolicyAttrs)
		switch name {
		case "type":
			v, _ := a.Value.(uint64)
			if s, ok := AttrTypes.NameOf(v); ok {
				ap.Type = s
			} else {
				ap.Type = "type-" + strconv.FormatUint(v, 10)
			}
		case "policy-idx":
			ap.Nested = int(u32(a.Value))
		case "pad":
		default:
			ap.Limits = append(ap.Limits, Limit{Name: name, Value: a.Value})
		}
	}
	return ap
}

// PolicySetDoc is the Doc of the attribute sets PolicyFamily makes, whose
// attributes are known by number and wire type only (their Doc is the
// kernel's policy type).
const PolicySetDoc = "attributes by number and type, from the kernel's policy"

// policyKinds maps the kernel's policy types to value kinds.
var policyKinds = map[string]engine.Kind{
	"flag": engine.Flag, "u8": engine.U8, "u16": engine.U16, "u32": engine.U32, "u64": engine.U64,
	"s8": engine.S8, "s16": engine.S16, "s32": engine.S32, "s64": engine.S64,
	"binary": engine.Binary, "string": engine.Asciiz, "nul-string": engine.Asciiz,
	"sint": engine.Sint, "uint": engine.Uint,
}

// bitfield32 is struct nla_bitfield32.
var bitfield32 = engine.NewStruct("bitfield32",
	engine.Field{Name: "value", Kind: engine.U32}, engine.Field{Name: "selector", Kind: engine.U32})

// PolicyFamily describes a family from the kernel's policies alone: each
// command's attributes by number and wire type ("attr-3"), nests
// included. Replies are decoded with their command's request policy,
// the best guess there is: families mostly share one attribute space.
func PolicyFamily(in Info, pol *Policy) (*Family, error) {
	f := &Family{Name: in.Name, Version: uint8(in.Version), Source: "kernel policy"}
	sets := map[uint32]*engine.AttrSet{}
	idxs := make([]uint32, 0, len(pol.Sets))
	for idx := range pol.Sets {
		idxs = append(idxs, idx)
		sets[idx] = engine.NewAttrSet("policy-"+strconv.Itoa(int(idx)), "attr-")
		sets[idx].Doc = PolicySetDoc
	}
	sort.Slice(idxs, func(i, j int) bool { return idxs[i] < idxs[j] })
	for _, idx := range idxs {
		m := pol.Sets[idx]
		types := make([]int, 0, len(m))
		for t := range m {
			types = append(types, int(t))
		}
		sort.Ints(types)
		for _, t := range types {
			ap := m[uint16(t)]
			d := &engine.AttrDesc{Name: "attr-" + strconv.Itoa(t), Type: uint16(t), Kind: engine.Binary, Doc: ap.Type}
			switch ap.Type {
			case "nested":
				if s := sets[uint32(ap.Nested)]; ap.Nested >= 0 && s != nil {
					d.Kind, d.Set, d.NestFlag = engine.Nested, s, true
				}
			case "nested-array":
				if s := sets[uint32(ap.Nested)]; ap.Nested >= 0 && s != nil {
					d.Kind, d.NestFlag = engine.Nested, true
					d.Set = engine.NewIndexedSet(s.Name+"-array", &engine.AttrDesc{Kind: engine.Nested, Set: s, NestFlag: true})
				}
			case "bitfield32":
				d.Kind, d.Struct = engine.Struct, bitfield32
			default:
				if k, ok := policyKinds[ap.Type]; ok {
					d.Kind = k
				}
			}
			if err := sets[idx].Insert(d); err != nil {
				return nil, err
			}
		}
		f.Sets = append(f.Sets, sets[idx])
	}
	for _, ko := range in.Ops {
		if ko.Cmd > 255 {
			continue
		}
		op := &Op{Name: cmdName(uint8(ko.Cmd)), Req: int(ko.Cmd), Reply: int(ko.Cmd),
			Do: ko.Flags&FlagCapDo != 0, Dump: ko.Flags&FlagCapDump != 0, DoReply: true}
		if o, ok := pol.Ops[ko.Cmd]; ok {
			idx := o.Do
			if idx < 0 {
				idx = o.Dump
			}
			if idx >= 0 {
				op.Set = sets[uint32(idx)]
			}
		}
		f.Ops = append(f.Ops, op)
	}
	for _, g := range in.Groups {
		f.Groups = append(f.Groups, g.Name)
	}
	if err := f.Build(); err != nil {
		return nil, fmt.Errorf("family %s from its policy: %w", in.Name, err)
	}
	return f, nil
}
