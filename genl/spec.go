package genl

import (
	"errors"
	"fmt"
	"sync"

	"nlsh/ynl"
)

// FromSpec describes a generic netlink family from its YNL spec.
func FromSpec(s *ynl.Spec) (*Family, error) {
	if !s.IsGenetlink() {
		return nil, fmt.Errorf("%s: a %s spec does not describe a generic netlink family", s.File, s.Protocol)
	}
	f := &Family{
		Name: s.Name, Version: uint8(s.Version), Source: "spec " + s.File, Doc: s.Doc,
		Fixed: s.Fixed, Sets: s.Sets, Enums: s.Enums,
	}
	for _, g := range s.Groups {
		f.Groups = append(f.Groups, g.Name)
	}
	for _, o := range s.Ops {
		op := &Op{Name: o.Name, CName: o.CName, Doc: o.Doc, Req: o.Request, Reply: o.Reply,
			Set: o.Set, Fixed: o.Fixed, Flags: o.Flags,
			Do: o.Do != nil, Dump: o.Dump != nil, DoReply: o.Do != nil && o.Do.HasReply,
			Event: o.Request < 0}
		for _, m := range []*ynl.Mode{o.Do, o.Dump, o.Event} {
			if m == nil {
				continue
			}
			op.ReqAttrs = union(op.ReqAttrs, m.Request)
			op.ReplyAttrs = union(op.ReplyAttrs, m.Reply)
		}
		f.Ops = append(f.Ops, op)
	}
	if err := f.Build(); err != nil {
		return nil, fmt.Errorf("%s: %w", s.File, err)
	}
	return f, nil
}

func union(a, b []string) []string {
	for _, x := range b {
		found := false
		for _, y := range a {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			a = append(a, x)
		}
	}
	return a
}

// Specs describes families from the YNL specs its finder finds, reading
// each spec once. It is a Describer (Describe) safe for concurrent use.
type Specs struct {
	Finder *ynl.Finder

	mu    sync.Mutex
	cache map[string]specEntry
}

type specEntry struct {
	f   *Family
	err error
}

// Describe returns the family named in.Name as its spec describes it; nil
// and no error when no spec is installed for it. nlctrl always has nlsh's
// own description.
func (s *Specs) Describe(in Info) (*Family, error) {
	if in.Name == "nlctrl" || s == nil || s.Finder == nil {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.cache[in.Name]; ok {
		return e.f, e.err
	}
	if s.cache == nil {
		s.cache = map[string]specEntry{}
	}
	var e specEntry
	path, err := s.Finder.Find(in.Name)
	switch {
	case errors.Is(err, ynl.ErrNotFound):
	case err != nil:
		e.err = err
	default:
		spec, err := ynl.Load(path)
		if err != nil {
			e.err = err
			break
		}
		e.f, e.err = FromSpec(spec)
	}
	s.cache[in.Name] = e
	return e.f, e.err
}
