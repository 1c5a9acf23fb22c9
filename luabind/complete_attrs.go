package luabind

import (
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Which attribute set a pair being typed belongs to: read from the
// brackets around it, the constructor or message they belong to, or the
// class the text names last.

// innerSet is the set of the attributes inside the attribute named name.
func innerSet(set *engine.AttrSet, name string) *engine.AttrSet {
	d, ok := set.ByName(name)
	if !ok {
		return nil
	}
	return d.InnerSet()
}

// listSet is the attribute set of the list of pairs at frame i, inferred
// from what encloses it; nil when it cannot be told.
func (c *completer) listSet(sc *scan, i int) *engine.AttrSet {
	if i < 0 {
		return c.lineSet(sc, "")
	}
	f := sc.frames[i]
	if f.open == '(' && f.callee == "table.insert" && f.elem == 1 && len(f.args) > 0 {
		// table.insert(m.attrs, {…}): the pairs of m's attributes.
		return c.attrsOwnerSet(sc, f.args[0])
	}
	if f.key == "attrs" {
		if i == 0 || sc.frames[i-1].open != '{' {
			return c.lineSet(sc, strings.TrimSuffix(f.assign, ".attrs"))
		}
		if cl := c.recordClass(sc, i-1); cl != nil {
			return cl.Attrs
		}
		return nil
	}
	if i > 0 {
		p := sc.frames[i-1]
		if p.open == '{' && p.elem == 1 && p.strs[0] != "" {
			d := c.pairAttr(sc, i-1)
			if d == nil {
				return nil
			}
			if d.Kind == engine.Nested {
				return d.Set
			}
			return nil // records are not lists of pairs
		}
	}
	if i == 0 {
		return c.lineSet(sc, "")
	}
	return nil
}

// pairAttr describes the attribute whose pair is the table at frame j, its
// sub-message format chosen by a selector pair typed beside it.
func (c *completer) pairAttr(sc *scan, j int) *engine.AttrDesc {
	f := sc.frames[j]
	set := c.listSet(sc, j-1)
	if reAttrsElement().MatchString(f.assign) {
		set = c.attrsOwnerSet(sc, f.assign) // m.attrs[k] = {'NAME', …
	}
	d, ok := set.ByName(f.strs[0])
	if !ok {
		return nil
	}
	if d.Kind == engine.SubMsg {
		for k := j - 1; k >= 0; k-- {
			if v, ok := sc.frames[k].pairs[d.Sub.Selector]; ok {
				return d.Sub.Format(v, true)
			}
		}
		return d.Sub.Default
	}
	return d
}

// recordClass is the class of the record or message table at frame j.
func (c *completer) recordClass(sc *scan, j int) *engine.Class {
	f := sc.frames[j]
	if cl := classFromPath(c.e, f.callee); cl != nil {
		return cl
	}
	if j > 0 {
		p := sc.frames[j-1]
		if p.open == '(' {
			if cl := classFromPath(c.e, p.callee); cl != nil {
				return cl
			}
		}
		// A record inside a Records list: {'RTA_MULTIPATH', {{hops = 0, attrs = ...
		if p.open == '{' && j > 1 {
			pp := sc.frames[j-2]
			if pp.open == '{' && pp.elem == 1 && pp.strs[0] != "" {
				if d := c.pairAttr(sc, j-2); d != nil && d.Kind == engine.Records {
					return d.Record
				}
			}
		}
		// An embedded record: {'VETH_INFO_PEER', {index = 0, attrs = ...
		if p.open == '{' && p.elem == 1 && p.strs[0] != "" {
			if d := c.pairAttr(sc, j-1); d != nil && d.Kind == engine.Embedded {
				return d.Record
			}
		}
	}
	return nil
}

// classFromPath returns the class a constructor path names ("rtnl.ifaddrmsg").
func classFromPath(e *Env, path string) *engine.Class {
	if name, ok := strings.CutPrefix(path, "rtnl."); ok {
		return e.route.Class(name)
	}
	return nil
}

var reRtnlClass = lazyRE(`rtnl\.([A-Za-z_][A-Za-z0-9_]*)`)

// lineSet guesses the attribute set from the text: the class of the
// message named recv (a global message table, or a name assigned
// rtnl.CLASS(...) earlier), else the last class the text mentions. nil
// means any attribute.
func (c *completer) lineSet(sc *scan, recv string) *engine.AttrSet {
	if recv != "" {
		if s := c.receiverSet(sc, recv); s != nil {
			return s
		}
	}
	ms := reRtnlClass().FindAllStringSubmatch(sc.text, -1)
	for i := len(ms) - 1; i >= 0; i-- {
		if cl := c.e.route.Class(ms[i][1]); cl != nil {
			return cl.Attrs
		}
	}
	return nil
}

// receiverSet is the attribute set of the message a name path refers to.
func (c *completer) receiverSet(sc *scan, recv string) *engine.AttrSet {
	if cl := c.receiverClass(sc, recv); cl != nil {
		return cl.Attrs
	}
	return nil
}

// receiverClass is the class of the message a name path refers to: a
// message reachable from the globals, or a name the text assigns a
// constructor call.
func (c *completer) receiverClass(sc *scan, recv string) *engine.Class {
	if v := c.lookupIndexed(recv); v != nil {
		if t, ok := v.(*lua.LTable); ok {
			if cl := c.e.classOf(t); cl != nil {
				return cl
			}
		}
	}
	re, err := regexp.Compile(`\b` + regexp.QuoteMeta(recv) + `\s*=\s*rtnl\.([A-Za-z_][A-Za-z0-9_]*)`)
	if err != nil {
		return nil
	}
	ms := re.FindAllStringSubmatch(sc.text, -1)
	if len(ms) > 0 {
		return c.e.route.Class(ms[len(ms)-1][1])
	}
	return c.inferredClass(sc, recv, 0) // l[1], ip.links()[1], a loop's variable
}
