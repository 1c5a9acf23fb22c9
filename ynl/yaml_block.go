package ynl

import "bytes"

// document reads the text's one document: an optional --- line, a
// node, an optional ... line.
func (p *yparser) document() *yamlNode {
	text, err := checkText(p.src)
	if err != nil {
		panic(err)
	}
	p.src = text
	p.lineContent()
	if p.ind == 0 && p.at(0) == '%' {
		p.failf(p.line, "directives (%%) are not supported")
	}
	started := 0 // the line of ---
	if p.ind < 0 && !p.eof() && p.at(0) == '-' {
		started = p.line
		p.pos += 3
		p.skipBlanks()
		if c := p.at(0); !isBreakz(c) && c != '#' {
			p.failf(p.line, "text on the line of --- is not supported")
		}
		p.nextContent()
	}
	var root *yamlNode
	switch {
	case p.ind >= 0:
		root = p.blockNode(-1, false)
		if p.ind >= 0 {
			p.failf(p.line, "this line is indented less than the document's first line")
		}
	case started > 0:
		// An empty document's null sits where the next token starts; the
		// library ends a text that lacks its last line break with one, so
		// at its end that is the line after.
		line := p.line
		if p.eof() && len(p.src) > 0 && p.src[len(p.src)-1] != '\n' {
			line++
		}
		root = &yamlNode{typ: typeNull, line: line}
	}
	if p.eof() {
		return root
	}
	if p.at(0) == '-' {
		p.failf(p.line, "a second document is not supported")
	}
	// "..." ends the document; nothing but comments may follow.
	p.pos += 3
	p.skipBlanks()
	if c := p.at(0); c != '#' && !isBreakz(c) {
		p.failf(p.line, "a second document is not supported")
	}
	if p.nextContent(); !p.eof() {
		p.failf(p.line, "a second document is not supported")
	}
	return root
}

// blockNode reads the node at pos, whose column is more than parent,
// the column of the mapping or list it is in. sameLine says it follows
// a key on the key's line, where a mapping or a list cannot start.
func (p *yparser) blockNode(parent int, sameLine bool) *yamlNode {
	col, line := p.col(), p.line
	switch c := p.at(0); {
	case c == '-' && isBlankz(p.at(1)):
		if sameLine {
			p.failf(line, "a list cannot start on the line of its key")
		}
		return p.blockSequence(col, false)
	case c == '&':
		name := p.anchorName()
		p.skipBlanks()
		p.oneAnchor(line)
		var n *yamlNode
		if c := p.at(0); c == '#' || isBreakz(c) {
			p.nextContent()
			p.oneAnchor(p.line)
			n = p.below(parent, line, sameLine)
			n.line = line // where the library puts it too
		} else {
			n = p.blockNode(parent, true)
		}
		p.anchors[name] = n
		return n
	case c == '*':
		n := p.alias()
		p.skipBlanks()
		if p.at(0) == ':' {
			p.failf(line, "an alias as a key is not supported")
		}
		p.endLine("an alias")
		return n
	case c == '|' || c == '>':
		return p.blockScalar(parent)
	case c == '[' || c == '{':
		n := p.flowNode()
		p.skipBlanks()
		if p.at(0) == ':' {
			p.failf(line, "a [ ] or { } as a key is not supported")
		}
		p.endLine("a closing " + string(p.src[p.pos-1]))
		return n
	case c == '"' || c == '\'':
		n := p.quoted()
		p.skipBlanks()
		if p.at(0) == ':' && isBlankz(p.at(1)) {
			if n.line != p.line {
				p.failf(n.line, "a key must fit on one line")
			}
			if sameLine {
				p.failf(line, "mapping values are not allowed in this context")
			}
			return p.blockMapping(col, n)
		}
		p.endLine("quoted text")
		return n
	}
	p.plainFirst(false)
	n := &yamlNode{line: line, value: p.plainSegment(false)}
	if p.at(0) == ':' {
		if sameLine {
			p.failf(line, "mapping values are not allowed in this context")
		}
		p.notMerge(n)
		n.typ = resolve(n.value)
		return p.blockMapping(col, n)
	}
	n.value = p.plainMore(parent, n.value)
	n.typ = resolve(n.value)
	return n
}

// below reads the node that follows a key, a list's - or an anchor on a
// line of their own: it is on the lines below, indented more than
// parent; a list under a key may also be at the key's own column. If
// there is none, the node is null, on the given line.
func (p *yparser) below(parent, line int, underKey bool) *yamlNode {
	switch {
	case p.ind > parent:
		return p.blockNode(parent, false)
	case underKey && p.ind == parent && p.at(0) == '-' && isBlankz(p.at(1)):
		return p.blockSequence(parent, true)
	}
	return &yamlNode{typ: typeNull, line: line}
}

// after reads the node after a key's ':' or a list's '-', at pos.
func (p *yparser) after(parent int, underKey bool) *yamlNode {
	line := p.line
	p.skipBlanks()
	if c := p.at(0); c == '#' || isBreakz(c) {
		p.nextContent()
		return p.below(parent, line, underKey)
	}
	return p.blockNode(parent, underKey)
}

// blockMapping reads the mapping whose keys are at column col, from its
// first key (pos is at the ':' after it).
func (p *yparser) blockMapping(col int, key *yamlNode) *yamlNode {
	m := &yamlNode{kind: yamlMapping, line: key.line}
	for {
		p.pos++ // the ':'
		m.items = append(m.items, key, p.after(col, true))
		if p.ind < col {
			return m
		}
		if p.ind > col {
			p.failf(p.line, "this line is indented more than the keys before it")
		}
		key = p.blockKey()
	}
}

// blockKey reads a key of a block mapping and the blanks up to its ':'.
func (p *yparser) blockKey() *yamlNode {
	line := p.line
	var k *yamlNode
	switch c := p.at(0); {
	case c == '"' || c == '\'':
		k = p.quoted()
		if k.line != p.line {
			p.failf(line, "a key must fit on one line")
		}
		p.skipBlanks()
	case c == '-' && isBlankz(p.at(1)):
		p.failf(line, "a list item where a key was expected")
	default:
		p.plainFirst(false)
		k = &yamlNode{line: line, value: p.plainSegment(false)}
		p.notMerge(k)
		k.typ = resolve(k.value)
	}
	if p.at(0) != ':' || !isBlankz(p.at(1)) {
		p.failf(line, "could not find expected ':'")
	}
	return k
}

// notMerge refuses a plain key <<, which YAML 1.1 reads as "merge the
// mapping that follows into this one".
func (p *yparser) notMerge(k *yamlNode) {
	if k.value == "<<" {
		p.failf(k.line, "merge keys (<<) are not supported")
	}
}

// blockSequence reads the list whose -s are at column col. An
// indentless list (one under a key at the key's column) ends at the
// first line at that column that is not an item.
func (p *yparser) blockSequence(col int, indentless bool) *yamlNode {
	s := &yamlNode{kind: yamlSequence, line: p.line}
	for {
		p.pos++ // the '-'
		s.items = append(s.items, p.after(col, false))
		if p.ind < col {
			return s
		}
		if p.ind > col {
			p.failf(p.line, "this line is indented more than the list's items")
		}
		if p.at(0) != '-' || !isBlankz(p.at(1)) {
			if indentless {
				return s
			}
			p.failf(p.line, "did not find expected '-' indicator")
		}
	}
}

// oneAnchor refuses a second anchor on the node an anchor was just read
// for, on its line or the next: the library reads "&a &b x" as something
// else than either anchor on x would mean.
func (p *yparser) oneAnchor(line int) {
	if p.at(0) == '&' {
		p.failf(line, "a node can have one anchor only")
	}
}

// anchorName reads the name of an anchor (&name) or alias (*name).
func (p *yparser) anchorName() string {
	p.pos++
	start := p.pos
	for {
		c := p.at(0)
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			break
		}
		p.pos++
	}
	if c := p.at(0); p.pos == start || !isBlankz(c) && !bytes.ContainsRune([]byte(",]}"), rune(c)) {
		p.failf(p.line, "an anchor or alias name is made of letters, digits, - and _")
	}
	return string(p.src[start:p.pos])
}

// alias reads *name: the node its anchor named, shared.
func (p *yparser) alias() *yamlNode {
	line := p.line
	name := p.anchorName()
	n := p.anchors[name]
	if n == nil {
		p.failf(line, "unknown anchor %q (or an alias inside the node it names)", name)
	}
	return n
}
