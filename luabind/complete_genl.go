package luabind

import (
	"context"
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
)

// Completion for generic netlink: family names in genl.family('…'),
// operation names in f:doit('…') and its kin, group names in
// f:subscribe('…'), the keys of an operation's attributes table (dev_name
// inside {header = {…}}), and a family object's fields, methods and
// constructors after f. and f:.

// opMethods are the family methods whose first argument is an operation
// and whose second is its attributes.
var opMethods = map[string]bool{"doit": true, "dumpit": true, "each": true, "policy": true, "message": true}

// completionFamilies lists the families of the Env's namespace: those
// bound already, else what the kernel says, within linkTimeout.
func (c *completer) completionFamilies() []string {
	g := c.e.genlFor("")
	if bs := g.tab.Bound(); len(bs) > 1 {
		return boundNames(bs)
	}
	s, err := c.e.genlConn(g)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), linkTimeout)
	defer cancel()
	bs, err := g.tab.List(ctx, s.conn)
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

// familyCall is a receiver that is a call of genl.family, as the scan
// writes it: genl.family("ethtool").
var familyCall = lazyRE(`^genl\.family\("([^"]+)"\)$`)

// familyAt is the family a receiver path names: a family object among the
// globals, a name the text assigns genl.family('NAME'), or that call
// itself.
func (c *completer) familyAt(sc *scan, recv string) *genl.Bound {
	if m := familyCall().FindStringSubmatch(recv); m != nil {
		return c.e.boundForCompletion(c.e.genlFor(""), m[1])
	}
	if v := c.lookupPath(splitPath(recv)); v != nil {
		if ud, ok := v.(*lua.LUserData); ok {
			if f, ok := ud.Value.(*genlFamily); ok {
				return c.e.boundForCompletion(f.g, f.name)
			}
		}
	}
	re, err := regexp.Compile(`\b` + regexp.QuoteMeta(recv) + `\s*=\s*genl\.family\s*\(?\s*['"]([^'"]+)['"]`)
	if err != nil {
		return nil
	}
	if ms := re.FindAllStringSubmatch(sc.text, -1); len(ms) > 0 {
		return c.e.boundForCompletion(c.e.genlFor(""), ms[len(ms)-1][1])
	}
	return nil
}

// boundForCompletion returns the family bound as name, asking the kernel
// (briefly) when it is not bound yet. It stays on Env: help's family pages
// ask it too.
func (e *Env) boundForCompletion(g *genlNS, name string) *genl.Bound {
	if b := g.tab.ByName(name); b != nil {
		return b
	}
	s, err := e.genlConn(g)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), linkTimeout)
	defer cancel()
	b, err := g.tab.Lookup(ctx, s.conn, name)
	if err != nil {
		return nil
	}
	return b
}

// genlStringNames proposes what a string being typed as the first argument
// of a generic netlink call names; ok is false when it is no such call.
func (c *completer) genlStringNames(sc *scan, top *frame) ([]string, bool) {
	if top == nil || top.open != '(' || top.elem != 0 {
		return nil, false
	}
	if top.callee == "genl.family" {
		return c.completionFamilies(), true
	}
	i := strings.LastIndexByte(top.callee, ':')
	if i < 0 {
		return nil, false
	}
	method := top.callee[i+1:]
	if !opMethods[method] && method != "subscribe" {
		return nil, false
	}
	b := c.familyAt(sc, top.callee[:i])
	if b == nil {
		return nil, false
	}
	if method == "subscribe" {
		var names []string
		for _, g := range b.Kernel.Groups {
			names = append(names, g.Name)
		}
		return names, true
	}
	var names []string
	for _, op := range b.Family().Ops {
		if op.Req >= 0 {
			names = append(names, op.Name)
		}
	}
	return names, true
}

// genlKeySet is the attribute set whose keys the table at frame i takes:
// the attributes argument of a family call, or a nest inside one.
func (c *completer) genlKeySet(sc *scan, i int) *engine.AttrSet {
	if i < 0 || sc.frames[i].open != '{' {
		return nil
	}
	f := sc.frames[i]
	if op := c.constructorOp(sc, f.callee); op != nil {
		// f.linkinfo_get{…}: the table opens right after the callee.
		return op.Set
	}
	if i == 0 {
		return nil
	}
	p := sc.frames[i-1]
	switch {
	case p.open == '(' && p.elem == 1:
		j := strings.LastIndexByte(p.callee, ':')
		if j < 0 || !opMethods[p.callee[j+1:]] || p.strs[0] == "" {
			return nil
		}
		if b := c.familyAt(sc, p.callee[:j]); b != nil {
			if op := b.Op(p.strs[0]); op != nil {
				return op.Set
			}
		}
	case p.open == '(' && p.elem == 0:
		// f.linkinfo_get({…})
		if op := c.constructorOp(sc, p.callee); op != nil {
			return op.Set
		}
	case p.open == '{' && f.key != "":
		if set := c.genlKeySet(sc, i-1); set != nil {
			return innerSet(set, f.key)
		}
	}
	return nil
}

// constructorOp is the operation a family constructor path names
// (f.linkinfo_get), or nil.
func (c *completer) constructorOp(sc *scan, callee string) *genl.Op {
	j := strings.LastIndexByte(callee, '.')
	if j <= 0 {
		return nil
	}
	b := c.familyAt(sc, callee[:j])
	if b == nil {
		return nil
	}
	if op := b.Op(callee[j+1:]); op != nil && op.Req >= 0 {
		return op
	}
	return nil
}

// luaKeys names a set's attributes as Lua table keys: dev_name for
// dev-name.
func luaKeys(set *engine.AttrSet) []string {
	var names []string
	for _, d := range set.Attrs {
		names = append(names, strings.ReplaceAll(d.Name, "-", "_"))
	}
	return names
}

// familyKeys lists what follows a family object and '.' (fields and
// operation constructors) or ':' (methods).
func (c *completer) familyKeys(f *genlFamily, methods bool) []string {
	var names []string
	c.e.famMethods.ForEach(func(k, _ lua.LValue) { names = append(names, k.String()) })
	if methods {
		return names
	}
	names = append(names, "name", "id", "version", "groups", "source", "doc")
	if b := f.g.tab.ByName(f.name); b != nil {
		for _, op := range b.Family().Ops {
			if op.Req >= 0 {
				names = append(names, strings.ReplaceAll(op.Name, "-", "_"))
			}
		}
	}
	return names
}
