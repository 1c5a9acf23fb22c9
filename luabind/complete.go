package luabind

import (
	"regexp"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Tab completion. Complete reads the text before the cursor as Lua, without
// running any of it: it finds whether the cursor is in a name, after a '.'
// or ':', or inside a string, and what that string is for (an attribute name
// in a {name, value} pair, an interface name, a help topic), and proposes the
// names that fit. Values are looked up with raw reads of global tables, so
// completing never calls a script's functions; the one thing it may run is
// the loading of nlsh's own lazily loaded ip module, to list its verbs.

// maxCandidates is how many completions are offered before they are
// shortened to their next '_'-separated part (IFA_, IFLA_, ...), so that a
// Tab on a short prefix lists families of names instead of a thousand lines.
const maxCandidates = 100

// completer holds tab completion apart from the Env it reads (globals,
// session locals, descriptions, the default namespace through NetNS). It
// keeps nothing between calls, so each Complete makes one.
type completer struct {
	e *Env
}

// Complete proposes completions for the text before byte offset pos of
// line (which may hold several lines: the chunk typed so far). Every
// candidate replaces the last replaceLen bytes before pos and starts with
// them, so a line editor that can only insert may append the rest.
func (e *Env) Complete(line string, pos int) (candidates []string, replaceLen int) {
	return (&completer{e: e}).complete(line, pos)
}

// complete is Complete.
func (c *completer) complete(line string, pos int) ([]string, int) {
	if pos < 0 || pos > len(line) {
		pos = len(line)
	}
	before, after := line[:pos], line[pos:]
	sc := scanLua(before)
	switch {
	case sc.comment:
		return nil, 0
	case sc.inString:
		return c.completeString(sc, before, after)
	}
	return c.completeName(sc, before)
}

// completeString completes the word typed inside a string literal.
func (c *completer) completeString(sc *scan, before, after string) ([]string, int) {
	typed := before[sc.strStart:]
	ctx := c.stringContext(sc, before[:sc.strStart-1])
	word := typed
	closing := string(sc.quote)
	if ctx.kind == ctxFlags || ctx.kind == ctxNames && strings.Contains(typed, "|") {
		// 'NLM_F_REQUEST|NLM_F_A': complete the last flag, leave it open.
		word = typed[strings.LastIndexByte(typed, '|')+1:]
		closing = ""
		ctx.kind = ctxFlags
	}
	if strings.HasPrefix(after, string(sc.quote)) {
		closing = ""
	}
	var names []string
	switch ctx.kind {
	case ctxAttr:
		if ctx.set != nil {
			for _, d := range ctx.set.Attrs {
				names = append(names, d.Name)
			}
		} else {
			names = c.e.catalog().attrNames()
		}
	case ctxIfname:
		names = c.linkNames()
	case ctxHelp:
		names = c.e.topicNames(c.e.catalog())
	case ctxProtocol:
		names = c.e.protocolNames()
	case ctxFlags:
		names = c.constNames()
	case ctxList:
		names = ctx.names
	case ctxNames:
		if word == "" || !isConstLike(word) {
			return nil, 0
		}
		names = append(c.constNames(), c.e.catalog().attrNames()...)
	}
	cands := filterPrefix(names, word)
	if len(cands) == 0 && ctx.kind == ctxAttr && ctx.set != nil {
		// The guess of the class was wrong, or the user knows better.
		cands = filterPrefix(c.e.catalog().attrNames(), word)
	}
	cands, short := collapse(cands, word)
	if closing != "" && !short {
		for i, cand := range cands {
			cands[i] = cand + closing
		}
	}
	return cands, len(word)
}

// isConstLike reports whether s could start a constant or attribute name.
func isConstLike(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// constNames lists the global constants' names.
func (c *completer) constNames() []string {
	consts := c.e.Consts()
	names := make([]string, len(consts))
	for i, k := range consts {
		names[i] = k.Name
	}
	return names
}

// filterPrefix returns the sorted, distinct names that start with prefix.
func filterPrefix(names []string, prefix string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// collapse shortens too many candidates to their distinct prefixes up to
// and including the next '_' after the typed word; short says it did.
func collapse(cands []string, word string) (out []string, short bool) {
	if len(cands) <= maxCandidates {
		return cands, false
	}
	seen := map[string]bool{}
	for _, c := range cands {
		p := c
		if i := strings.IndexByte(c[len(word):], '_'); i >= 0 {
			p = c[:len(word)+i+1]
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out, true
}

// What a string being typed is for.
const (
	ctxNames    = iota // unknown: constant or attribute names when it looks like one
	ctxAttr            // the name of an attribute pair (set, if known, says which)
	ctxIfname          // an interface name
	ctxHelp            // a help topic
	ctxProtocol        // nl.socket's protocol
	ctxFlags           // flag names joined by '|'
	ctxList            // the names strContext.names lists
)

type strContext struct {
	kind  int
	set   *engine.AttrSet
	names []string
}

var (
	reIfnameKey = lazyRE(`\b(ifname|dev|link|master|peer)\s*=\s*$`)
	reFlagsKey  = lazyRE(`\b(flags|change)\s*=\s*$`)
)

// stringContext decides what the string starting after ctx is for.
func (c *completer) stringContext(sc *scan, ctx string) strContext {
	ctx = strings.TrimRight(ctx, " \t\n")
	top := sc.top()
	if reIfnameKey().MatchString(ctx) {
		return strContext{kind: ctxIfname}
	}
	if reFlagsKey().MatchString(ctx) {
		return strContext{kind: ctxFlags}
	}
	if top == nil {
		return strContext{kind: ctxNames}
	}
	if names, ok := c.genlStringNames(sc, top); ok {
		return strContext{kind: ctxList, names: names}
	}
	if names, ok := c.ipStringNames(top); ok {
		return strContext{kind: ctxList, names: names}
	}
	if names, ok := c.ipValueNames(sc, ctx); ok {
		return strContext{kind: ctxList, names: names}
	}
	if top.open == '(' {
		callee := top.callee
		switch {
		case callee == "help":
			return strContext{kind: ctxHelp}
		case callee == "nl.socket" && top.elem == 0:
			return strContext{kind: ctxProtocol}
		case strings.HasSuffix(callee, "link_lookup"):
			return strContext{kind: ctxIfname}
		case strings.HasSuffix(callee, ":get") || strings.HasSuffix(callee, ":get_all"):
			recv := callee[:strings.LastIndexByte(callee, ':')]
			set := c.receiverSet(sc, recv)
			for _, name := range top.strs[:top.elem] {
				set = innerSet(set, name)
			}
			return strContext{kind: ctxAttr, set: set}
		}
		return strContext{kind: ctxNames}
	}
	if top.open != '{' || top.tokens > 0 {
		return strContext{kind: ctxNames}
	}
	if top.elem == 0 && reAttrsElement().MatchString(top.assign) {
		// m.attrs[#m.attrs + 1] = {'IFLA_…
		return strContext{kind: ctxAttr, set: c.attrsOwnerSet(sc, top.assign)}
	}
	n := len(sc.frames) - 1
	if top.elem == 1 && top.strs[0] == "IFLA_IFNAME" {
		return strContext{kind: ctxIfname}
	}
	if top.elem == 0 {
		if top.key == "attrs" {
			// m.attrs = {'IFA_ (a pair's braces not typed yet)
			return strContext{kind: ctxAttr, set: c.listSet(sc, n)}
		}
		return strContext{kind: ctxAttr, set: c.listSet(sc, n-1)}
	}
	return strContext{kind: ctxNames}
}

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
