package luabind

import (
	"strings"

	"nlsh/engine"
)

// Completion inside a string literal: what the text before the string
// says it is for (an attribute, an interface, a help topic, flags, a name
// the ip or genl modules take) chooses the names offered.

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
