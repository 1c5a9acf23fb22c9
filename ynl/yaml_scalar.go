package ynl

import (
	"strings"
	"unicode/utf8"
)

// isFlowIndicator reports whether c opens, closes or separates flow
// collection items.
func isFlowIndicator(c byte) bool {
	return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'
}

// plainFirst checks that pos can start a plain scalar: not on an
// indicator, except - ? : followed by text ("-1", ":x").
func (p *yparser) plainFirst(flow bool) {
	c := p.at(0)
	switch c {
	case '-', '?', ':':
		if n := p.at(1); !isBlankz(n) && !(flow && isFlowIndicator(n)) {
			return
		}
		if c == '?' {
			p.failf(p.line, "complex keys (?) are not supported")
		}
		if c == ':' {
			p.failf(p.line, "a key is missing before ':'")
		}
		p.failf(p.line, "a list cannot start here")
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		switch c {
		case '!':
			p.failf(p.line, "tags (!) are not supported")
		case '%', '@', '`':
			p.failf(p.line, "%c is reserved and cannot start a plain scalar", c)
		}
		p.failf(p.line, "did not find expected node content (found '%c')", c)
	}
}

// plainSegment reads a plain scalar's text up to the end of its line, a
// ": " or a " #" (and inside [ ] or { }, a flow indicator), leaving out
// the blanks at its end.
func (p *yparser) plainSegment(flow bool) string {
	start, end := p.pos, p.pos
	for {
		c := p.at(0)
		if isBreakz(c) || c == '#' && p.pos > start && isBlank(p.src[p.pos-1]) {
			break
		}
		if c == ':' {
			n := p.at(1)
			if isBlankz(n) || flow && isFlowIndicator(n) {
				break
			}
			if flow {
				// YAML libraries disagree on "a:b" in flow context.
				p.failf(p.line, "':' inside plain text in [ ] or { } is not supported; quote the text")
			}
		}
		if flow && isFlowIndicator(c) {
			break
		}
		p.pos++
		if !isBlank(c) {
			end = p.pos
		}
	}
	return string(p.src[start:end])
}

// plainMore reads the lines that continue a plain scalar in block
// context, those indented more than parent, folding them into text:
// one line break is a space, n blank lines are n line breaks. A comment
// ends the scalar. pos ends at the next line with content.
func (p *yparser) plainMore(parent int, text string) string {
	if p.at(0) == '#' {
		p.nextContent()
		return text
	}
	for {
		blank, comment := p.nextContent()
		if comment || p.ind <= parent {
			return text
		}
		if blank == 0 {
			text += " "
		} else {
			text += strings.Repeat("\n", blank)
		}
		text += p.plainSegment(false)
		switch p.at(0) {
		case ':':
			p.failf(p.line, "mapping values are not allowed in this context")
		case '#':
			p.nextContent()
			return text
		}
	}
}

// quoted reads a single- or double-quoted scalar. Its line breaks fold
// as a plain scalar's do; blanks around them go.
func (p *yparser) quoted() *yamlNode {
	q, line := p.at(0), p.line
	p.pos++
	var b []byte
	keep := 0 // b[:keep] stays when blanks before a line break go
	for {
		c := p.at(0)
		switch {
		case p.eof():
			p.failf(line, "found unexpected end of stream in quoted text")
		case c == '\'' && q == '\'' && p.at(1) == '\'':
			b = append(b, '\'')
			p.pos += 2
			keep = len(b)
		case c == q:
			p.pos++
			return &yamlNode{typ: typeStr, value: string(b), line: line}
		case c == '\\' && q == '"' && p.at(1) == '\n':
			// An escaped line break joins the lines with nothing
			// between them.
			p.pos++
			p.newline()
			p.skipBlanks()
			keep = len(b)
		case c == '\\' && q == '"':
			b = p.escape(b)
			keep = len(b)
		case c == '\n':
			for len(b) > keep && isBlank(b[len(b)-1]) {
				b = b[:len(b)-1]
			}
			breaks := 0
			for p.at(0) == '\n' {
				p.newline()
				if p.docMarker() {
					p.failf(p.line, "found unexpected document indicator in quoted text")
				}
				p.skipBlanks()
				breaks++
			}
			if breaks == 1 {
				b = append(b, ' ')
			} else {
				b = append(b, strings.Repeat("\n", breaks-1)...)
			}
			keep = len(b)
		default:
			b = append(b, c)
			p.pos++
			if !isBlank(c) {
				keep = len(b)
			}
		}
	}
}

// escape reads the escape at pos (a \ and what follows) onto b.
func (p *yparser) escape(b []byte) []byte {
	c := p.at(1)
	p.pos += 2
	digits := 0
	switch c {
	case '0':
		return append(b, 0)
	case 'a':
		return append(b, '\a')
	case 'b':
		return append(b, '\b')
	case 't', '\t':
		return append(b, '\t')
	case 'n':
		return append(b, '\n')
	case 'v':
		return append(b, '\v')
	case 'f':
		return append(b, '\f')
	case 'r':
		return append(b, '\r')
	case 'e':
		return append(b, 0x1b)
	case ' ', '"', '/', '\\':
		return append(b, c)
	case 'N':
		return utf8.AppendRune(b, 0x85)
	case '_':
		return utf8.AppendRune(b, 0xa0)
	case 'L':
		return utf8.AppendRune(b, 0x2028)
	case 'P':
		return utf8.AppendRune(b, 0x2029)
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	default:
		p.failf(p.line, "unknown escape \\%s in double-quoted text", string(rune(c)))
	}
	v := rune(0)
	for i := 0; i < digits; i++ {
		d := p.at(0)
		switch {
		case '0' <= d && d <= '9':
			d -= '0'
		case 'a' <= d && d <= 'f':
			d -= 'a' - 10
		case 'A' <= d && d <= 'F':
			d -= 'A' - 10
		default:
			p.failf(p.line, "\\%c needs %d hexadecimal digits", c, digits)
		}
		v = v<<4 | rune(d)
		p.pos++
	}
	if v >= 0xd800 && v <= 0xdfff || v > 0x10ffff {
		p.failf(p.line, "\\%c%s is not a Unicode character", c, p.src[p.pos-digits:p.pos])
	}
	return utf8.AppendRune(b, v)
}

// bline is one line of a block scalar's text.
type bline struct {
	text  string
	blank int  // empty lines before it
	more  bool // more indented than the text: not folded
}

// blockScalar reads a literal (|) or folded (>) scalar: its header (the
// indicator, then chomping + or - and an indentation digit, in either
// order) and the lines indented more than parent.
func (p *yparser) blockScalar(parent int) *yamlNode {
	line, literal := p.line, p.at(0) == '|'
	p.pos++
	chomp, indent := byte(0), 0
	for i := 0; i < 2; i++ {
		switch c := p.at(0); {
		case (c == '+' || c == '-') && chomp == 0:
			chomp = c
			p.pos++
		case '1' <= c && c <= '9' && indent == 0:
			indent = int(c - '0')
			if parent >= 0 {
				indent += parent
			}
			p.pos++
		case c == '0' && indent == 0:
			p.failf(line, "a block scalar's indentation indicator cannot be 0")
		}
	}
	start := p.pos
	p.skipBlanks()
	if c := p.at(0); c == '#' && p.pos > start {
		p.toLineEnd()
	} else if !isBreakz(c) {
		p.failf(line, "unexpected %s after a block scalar's indicator", quoteChar(c))
	}
	var lines []bline
	blank, lead := 0, 0 // lead: the most spaces on an empty line before the text
	broken := false     // the last text line ends with a line break
	for !p.eof() {
		p.newline()
		if len(lines) > 0 {
			broken = true
		}
		n := 0
		for p.at(0) == ' ' && (indent == 0 || n < indent) {
			p.pos++
			n++
		}
		c := p.at(0)
		if c == '\t' && n < indent {
			p.failf(p.line, "tabs are not allowed in indentation")
		}
		if p.eof() {
			// What follows the text's last line break, if only spaces, is
			// no line, not even an empty one ("|+\n" and "|+\n " are "",
			// "|+\n  x\n" is "x\n").
			break
		}
		if isBreakz(c) {
			blank++
			lead = max(lead, n)
			continue
		}
		if indent == 0 {
			indent = max(n, parent+1, 1)
			if lead > n && n > parent {
				p.failf(p.line, "a block scalar's first line is indented less than an empty line before it")
			}
		}
		if n < indent {
			p.pos = p.lineAt
			p.lineContent()
			return &yamlNode{typ: typeStr, line: line, value: blockText(lines, blank, broken, literal, chomp)}
		}
		start := p.pos
		p.toLineEnd()
		text := string(p.src[start:p.pos])
		lines = append(lines, bline{text: text, blank: blank, more: isBlank(text[0])})
		blank, broken = 0, false
	}
	p.ind = -1
	return &yamlNode{typ: typeStr, line: line, value: blockText(lines, blank, broken, literal, chomp)}
}

// blockText joins a block scalar's lines. Folded, a line break between
// two lines of text (not more indented) is a space, or goes if blank
// lines follow it; chomping says what becomes of the final line break
// (clip: one stays, -: none does, +: it and the blank lines after it
// stay).
func blockText(lines []bline, trailing int, broken, literal bool, chomp byte) string {
	var b strings.Builder
	for i, l := range lines {
		switch {
		case i == 0:
			b.WriteString(strings.Repeat("\n", l.blank))
		case !literal && !lines[i-1].more && !l.more:
			if l.blank == 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strings.Repeat("\n", l.blank))
		default:
			b.WriteString(strings.Repeat("\n", l.blank+1))
		}
		b.WriteString(l.text)
	}
	if broken && chomp != '-' {
		b.WriteByte('\n')
	}
	if chomp == '+' {
		b.WriteString(strings.Repeat("\n", trailing))
	}
	return b.String()
}
