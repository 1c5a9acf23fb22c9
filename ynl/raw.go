package ynl

import (
	"fmt"
	"slices"
	"strings"

	"nlsh/engine"
)

// RawProtocol turns a netlink-raw spec into an engine.Protocol: a
// message type per operation and direction (requests and replies are
// told apart where the spec numbers them apart), classes made of a
// fixed header and an attribute set, the multicast groups with their
// numbers, the enums and consts.
//
// A message type is named after its operation ("newlink"). A reply id
// that some operation sends as its request is named after that one, as
// the kernel's generator names notifications: RTM_NEWLINK (16) is
// "newlink" both ways, though the spec lists it as getlink's reply. A
// reply id no request uses is named after its operation with "-reply"
// ("getstats-reply", RTM_NEWSTATS).
func (s *Spec) RawProtocol() (*engine.Protocol, error) {
	if s.Protocol != "netlink-raw" {
		return nil, fmt.Errorf("ynl: %s is a %s spec, not netlink-raw", s.Name, s.Protocol)
	}
	p := &engine.Protocol{Name: s.Name, Number: s.Protonum, Consts: s.Consts, Enums: s.Enums}
	classes := rawClasses(s)
	r := &rawResolver{req: map[uint16]*engine.MsgType{}, rsp: map[uint16]*engine.MsgType{}}
	reqOp := map[int]*Op{}
	for _, op := range s.Ops {
		if op.Request >= 0 {
			if _, dup := reqOp[op.Request]; !dup {
				reqOp[op.Request] = op
			}
		}
	}
	for _, op := range s.Ops {
		c := classes[classKey{op.Fixed, op.Set}]
		if op.Request >= 0 {
			id := uint16(op.Request)
			if r.req[id] == nil {
				mt := &engine.MsgType{Name: op.Name, Type: id, Class: c, Op: opKind(op.Name), Doc: op.Doc}
				r.req[id] = mt
				p.Types = append(p.Types, mt)
			}
		}
		if op.Reply >= 0 {
			id := uint16(op.Reply)
			if r.rsp[id] != nil {
				continue
			}
			name, doc := op.Name+"-reply", op.Doc
			if q := reqOp[op.Reply]; q != nil {
				name, doc = q.Name, q.Doc
			}
			mt := &engine.MsgType{Name: name, Type: id, Class: c, Op: opKind(name), Doc: doc}
			if rq := r.req[id]; rq != nil && rq.Class == c {
				mt = rq // the same layout both ways: one type
			}
			r.rsp[id] = mt
		}
	}
	// Reply ids no request uses still belong in the static table, for
	// TypeByNumber and TypeByName.
	for _, op := range s.Ops {
		if op.Reply >= 0 && r.req[uint16(op.Reply)] == nil {
			if mt := r.rsp[uint16(op.Reply)]; !slices.Contains(p.Types, mt) {
				p.Types = append(p.Types, mt)
			}
		}
	}
	p.Dynamic = r
	seen := map[*engine.Class]bool{}
	for _, op := range s.Ops {
		if c := classes[classKey{op.Fixed, op.Set}]; c != nil && !seen[c] {
			seen[c] = true
			p.Classes = append(p.Classes, c)
		}
	}
	p.Classes = append(p.Classes, engine.ErrClass, engine.DoneClass)
	for _, g := range s.Groups {
		p.Groups = append(p.Groups, engine.Group{Name: g.Name, Const: g.CName, Number: g.Value})
	}
	return p.Build(), nil
}

type classKey struct {
	fixed *engine.StructDesc
	set   *engine.AttrSet
}

// rawClasses makes one class per pair of fixed header and attribute set
// the operations use. A class is named after its header when no other
// pair has that header (ifinfomsg), else after its set.
func rawClasses(s *Spec) map[classKey]*engine.Class {
	classes := map[classKey]*engine.Class{}
	sets := map[*engine.StructDesc]int{}
	var order []classKey
	for _, op := range s.Ops {
		k := classKey{op.Fixed, op.Set}
		if (k.fixed == nil && k.set == nil) || classes[k] != nil {
			continue
		}
		classes[k] = &engine.Class{Struct: k.fixed, Attrs: k.set}
		order = append(order, k)
		if k.fixed != nil {
			sets[k.fixed]++
		}
	}
	for _, k := range order {
		c := classes[k]
		switch {
		case k.fixed != nil && sets[k.fixed] == 1:
			c.Name = k.fixed.Name
		case k.set != nil:
			c.Name = k.set.Name
		default:
			c.Name = k.fixed.Name
		}
	}
	return classes
}

// opKind tells from an rtnetlink-style operation name what it does,
// which decides how the engine names NLM_F_ bits.
func opKind(name string) engine.Op {
	switch {
	case strings.HasPrefix(name, "new"):
		return engine.OpNew
	case strings.HasPrefix(name, "del"), strings.HasPrefix(name, "destroy"):
		return engine.OpDel
	case strings.HasPrefix(name, "get"):
		return engine.OpGet
	case strings.HasPrefix(name, "set"):
		return engine.OpSet
	}
	return engine.OpOther
}

// rawResolver tells message types apart by direction, for the ids a
// spec numbers differently each way. It only reads maps built before
// use, so it is safe for concurrent use.
type rawResolver struct {
	req, rsp map[uint16]*engine.MsgType
}

func (r *rawResolver) Resolve(h engine.Header, _ []byte, dir engine.Direction) *engine.MsgType {
	if dir == engine.DirRequest {
		if t := r.req[h.Type]; t != nil {
			return t
		}
		return r.rsp[h.Type]
	}
	if t := r.rsp[h.Type]; t != nil {
		return t
	}
	return r.req[h.Type]
}
