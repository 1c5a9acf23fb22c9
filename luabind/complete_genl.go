package luabind

import (
	"regexp"
	"strings"

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
func (c *completer) completionFamilies() []string { return c.e.genl.Names(linkTimeout) }

// familyCall is a receiver that is a call of genl.family, as the scan
// writes it: genl.family("ethtool").
var familyCall = lazyRE(`^genl\.family\("([^"]+)"\)$`)

// familyAt is the family a receiver path names: a family object among the
// globals, a name the text assigns genl.family('NAME'), or that call
// itself.
func (c *completer) familyAt(sc *scan, recv string) *genl.Bound {
	if m := familyCall().FindStringSubmatch(recv); m != nil {
		return c.e.genl.Bound(m[1], linkTimeout)
	}
	if v := c.lookupPath(splitPath(recv)); v != nil {
		if b, ok := c.e.genl.FamilyBound(v, linkTimeout); ok {
			return b
		}
	}
	re, err := regexp.Compile(`\b` + regexp.QuoteMeta(recv) + `\s*=\s*genl\.family\s*\(?\s*['"]([^'"]+)['"]`)
	if err != nil {
		return nil
	}
	if ms := re.FindAllStringSubmatch(sc.text, -1); len(ms) > 0 {
		return c.e.genl.Bound(ms[len(ms)-1][1], linkTimeout)
	}
	return nil
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
