package luabind

import (
	"sort"
	"strings"
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
