package genlmod

import (
	"context"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/genl"
)

// What help and completion ask of the module: which families there are
// and what a family object or a name is bound to, asking the kernel no
// longer than wait, and the names that follow a family object.

// Names lists the families of the host's default namespace: those bound
// already, else what the kernel says within wait.
func (m *Module) Names(wait time.Duration) []string {
	g := m.namespaceOf("")
	if bs := g.tab.Bound(); len(bs) > 1 {
		return boundNames(bs)
	}
	s, err := m.conn(g)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	bs, err := g.tab.List(ctx, s)
	if err != nil {
		return nil
	}
	return boundNames(bs)
}

func boundNames(bs []*genl.Bound) []string {
	names := make([]string, len(bs))
	for i, b := range bs {
		names[i] = b.Name
	}
	return names
}

// Bound returns the family bound as name in the host's default namespace,
// asking the kernel (within wait) when it is not bound yet; nil when
// there is none.
func (m *Module) Bound(name string, wait time.Duration) *genl.Bound {
	return m.bound(m.namespaceOf(""), name, wait)
}

// FamilyBound is Bound for the family object v, in its own namespace; ok
// is false when v is no family object.
func (m *Module) FamilyBound(v lua.LValue, wait time.Duration) (b *genl.Bound, ok bool) {
	f := familyOf(v)
	if f == nil {
		return nil, false
	}
	return m.bound(f.g, f.name, wait), true
}

func (m *Module) bound(g *namespace, name string, wait time.Duration) *genl.Bound {
	if b := g.tab.ByName(name); b != nil {
		return b
	}
	s, err := m.conn(g)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	b, err := g.tab.Lookup(ctx, s, name)
	if err != nil {
		return nil
	}
	return b
}

func familyOf(v lua.LValue) *family {
	if ud, ok := v.(*lua.LUserData); ok {
		if f, ok := ud.Value.(*family); ok {
			return f
		}
	}
	return nil
}

// Keys lists what follows the family object v and '.' (fields and
// operation constructors) or ':' (methods); ok is false when v is no
// family object. It asks the kernel nothing.
func (m *Module) Keys(v lua.LValue, methods bool) (names []string, ok bool) {
	f := familyOf(v)
	if f == nil {
		return nil, false
	}
	m.methods.ForEach(func(k, _ lua.LValue) { names = append(names, k.String()) })
	if methods {
		return names, true
	}
	names = append(names, "name", "id", "version", "groups", "source", "doc")
	if b := f.g.tab.ByName(f.name); b != nil {
		for _, op := range b.Family().Ops {
			if op.Req >= 0 {
				names = append(names, strings.ReplaceAll(op.Name, "-", "_"))
			}
		}
	}
	return names, true
}
