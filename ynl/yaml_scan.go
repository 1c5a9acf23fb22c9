package ynl

import (
	"bytes"
	"unicode/utf8"
)

// yparser reads YAML text with a cursor. The block parsers leave it at
// the first non-blank character of the next line that holds something
// (ind is that line's indentation), or at the end (ind is -1).
type yparser struct {
	src     []byte
	pos     int
	line    int // of pos, 1-based
	lineAt  int // where pos's line starts
	ind     int // indentation of the line at pos; -1 at the end of the document
	anchors map[string]*yamlNode
}

func (p *yparser) col() int { return p.pos - p.lineAt }

// at returns the byte i places ahead, 0 past the end.
func (p *yparser) at(i int) byte {
	if p.pos+i < len(p.src) {
		return p.src[p.pos+i]
	}
	return 0
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// isBreakz reports whether c ends a line (0 stands for the end).
func isBreakz(c byte) bool { return c == '\n' || c == 0 }

func isBlankz(c byte) bool { return isBlank(c) || isBreakz(c) }

func (p *yparser) eof() bool { return p.pos >= len(p.src) }

// skipBlanks skips spaces and tabs.
func (p *yparser) skipBlanks() {
	for isBlank(p.at(0)) {
		p.pos++
	}
}

// newline steps over the line break at pos.
func (p *yparser) newline() {
	p.pos++
	p.line++
	p.lineAt = p.pos
}

// toLineEnd moves to the line break (or the end) of the current line.
func (p *yparser) toLineEnd() {
	if i := bytes.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
		p.pos += i
	} else {
		p.pos = len(p.src)
	}
}

// endLine ends a line whose content has been read: only blanks and a
// comment may follow. It then moves to the next line with content.
func (p *yparser) endLine(what string) {
	start := p.pos
	p.skipBlanks()
	switch c := p.at(0); {
	case c == '#' && p.pos > start:
		p.toLineEnd()
	case c == '#':
		p.failf(p.line, "a comment needs a space before its #")
	case !isBreakz(c):
		p.failf(p.line, "unexpected %s after %s", quoteChar(c), what)
	}
	p.nextContent()
}

// quoteChar names c in a message.
func quoteChar(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return "text"
}

// nextContent moves from within a line whose content has been read to
// the first character of the next line that has some, skipping blank
// and comment lines, and sets ind. It returns how many lines were blank
// and whether a comment was seen: a plain scalar's lines fold over
// blank lines but end at a comment.
func (p *yparser) nextContent() (blank int, comment bool) {
	p.toLineEnd()
	if p.eof() {
		p.ind = -1
		return 0, false
	}
	p.newline()
	return p.lineContent()
}

// lineContent is nextContent from the start of a line.
func (p *yparser) lineContent() (blank int, comment bool) {
	for {
		for p.at(0) == ' ' {
			p.pos++
		}
		tabbed := p.at(0) == '\t'
		p.skipBlanks()
		switch c := p.at(0); {
		case c == '#':
			comment = true
			p.toLineEnd()
		case c == '\n':
			blank++
		case c == 0:
			p.ind = -1
			return blank, comment
		case tabbed:
			p.failf(p.line, "tabs are not allowed in indentation")
		default:
			p.ind = p.col()
			if p.docMarker() {
				p.ind = -1
			}
			return blank, comment
		}
		if p.eof() {
			p.ind = -1
			return blank, comment
		}
		p.newline()
	}
}

// docMarker reports whether pos is at a --- or ... line.
func (p *yparser) docMarker() bool {
	if p.pos != p.lineAt || !isBlankz(p.at(3)) {
		return false
	}
	s := p.src[p.pos:]
	return bytes.HasPrefix(s, []byte("---")) || bytes.HasPrefix(s, []byte("..."))
}

// checkText makes sure text is one we can read: UTF-8 of printable
// characters with \n line breaks. CR LF pairs become \n (a copy is made
// only then); a lone CR, and Unicode's other line breaks, are refused.
func checkText(text []byte) ([]byte, *yamlSyntaxError) {
	if bytes.IndexByte(text, '\r') >= 0 {
		text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
	}
	line := 1
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				line++
			case c == '\r':
				return nil, &yamlSyntaxError{line, "a carriage return without a line feed is not supported"}
			case c != '\t' && (c < 0x20 || c == 0x7f):
				return nil, &yamlSyntaxError{line, "control characters are not allowed"}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return nil, &yamlSyntaxError{line, "the text is not valid UTF-8"}
		case r == 0x85 || r == 0x2028 || r == 0x2029:
			return nil, &yamlSyntaxError{line, "Unicode line separators are not supported"}
		case r == 0xfeff && i > 0:
			return nil, &yamlSyntaxError{line, "a byte order mark is allowed only at the start"}
		case r < 0xa0 || r > 0xfffd && r < 0x10000:
			return nil, &yamlSyntaxError{line, "control characters are not allowed"}
		}
		i += n
	}
	return bytes.TrimPrefix(text, []byte("\ufeff")), nil
}
