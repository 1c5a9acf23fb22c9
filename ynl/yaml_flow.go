package ynl

// Flow collections: [ a, b ] and { a: b }, on one line or several.

// flowSpace skips blanks, line breaks and comments inside a flow
// collection opened on line open.
func (p *yparser) flowSpace(open int) {
	for {
		switch c := p.at(0); {
		case isBlank(c):
			p.pos++
		case c == '\n':
			p.newline()
			if p.docMarker() {
				p.failf(open, "did not find expected node content")
			}
		case c == '#':
			if p.pos > p.lineAt && !isBlank(p.src[p.pos-1]) {
				p.failf(p.line, "a comment needs a space before its #")
			}
			p.toLineEnd()
		default:
			return
		}
	}
}

// flowNode reads a node inside [ ] or { }, or one that opens them.
func (p *yparser) flowNode() *yamlNode {
	line := p.line
	switch c := p.at(0); c {
	case '[', '{':
		return p.flowCollection()
	case '"', '\'':
		return p.quoted()
	case '*':
		return p.alias()
	case '&':
		name := p.anchorName()
		p.flowSpace(line)
		p.oneAnchor(line)
		if c := p.at(0); c == ',' || c == ']' || c == '}' || c == ':' {
			p.failf(line, "an anchor needs a node after it")
		}
		n := p.flowNode()
		p.anchors[name] = n
		return n
	case 0:
		p.failf(line, "did not find expected node content")
	}
	p.plainFirst(true)
	n := &yamlNode{line: line, value: p.plainSegment(true)}
	n.typ = resolve(n.value)
	if isBreakz(p.at(0)) {
		// A plain scalar may go on over lines; we keep to one.
		p.flowSpace(line)
		if c := p.at(0); c != ',' && c != ']' && c != '}' && c != ':' && c != 0 {
			p.failf(line, "plain text inside [ ] or { } must fit on one line; quote it")
		}
	}
	return n
}

// flowCollection reads a [ list ] or a { mapping }.
func (p *yparser) flowCollection() *yamlNode {
	open, isMap := p.line, p.at(0) == '{'
	n := &yamlNode{kind: yamlSequence, line: open}
	end := byte(']')
	if isMap {
		n.kind, end = yamlMapping, '}'
	}
	p.pos++
	for {
		p.flowSpace(open)
		switch p.at(0) {
		case 0:
			p.failf(open, "did not find expected node content")
		case end:
			p.pos++
			return n
		case '?':
			if isBlankz(p.at(1)) {
				p.failf(p.line, "complex keys (?) are not supported")
			}
		}
		first := p.at(0)
		item := p.flowNode()
		p.flowSpace(open)
		if isMap {
			switch first {
			case '[', '{', '*', '&':
				p.failf(item.line, "a key must be plain or quoted text")
			case '"', '\'':
			default:
				p.notMerge(item)
			}
			if p.at(0) != ':' {
				p.failf(p.line, "a key inside { } needs a ':' and a value")
			}
			colon := p.line
			p.pos++
			p.flowSpace(open)
			v := &yamlNode{typ: typeNull, line: colon}
			if c := p.at(0); c != ',' && c != '}' {
				v = p.flowNode()
				p.flowSpace(open)
			}
			n.items = append(n.items, item, v)
		} else {
			if p.at(0) == ':' {
				p.failf(p.line, "key: value pairs inside [ ] are not supported")
			}
			n.items = append(n.items, item)
		}
		switch p.at(0) {
		case ',':
			p.pos++
		case end:
		case 0:
			p.failf(open, "did not find expected ',' or '%c'", end)
		default:
			p.failf(p.line, "did not find expected ',' or '%c'", end)
		}
	}
}
