package luabind

import (
	"strconv"
	"strings"

	"nlsh/luabind/show"
)

// scanLua reads Lua source up to the cursor well enough for completion: it
// skips comments and strings, and tracks the open brackets with what each
// belongs to (the call or constructor before it, the key it is assigned to)
// and, for tables, which element the cursor is in and which elements were
// single string literals (the name of an attribute pair, a selector's
// value). It never fails: broken text just yields less context.
func scanLua(text string) *scan {
	s := &scan{text: text}
	n := len(text)
	for i := 0; i < n; {
		c := text[i]
		switch {
		case c == '-' && i+1 < n && text[i+1] == '-':
			if level, ok := longBracket(text, i+2); ok {
				end := strings.Index(text[i+2:], "]"+strings.Repeat("=", level)+"]")
				if end < 0 {
					s.comment = true
					return s
				}
				i += 2 + end + level + 2
				continue
			}
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				s.comment = true
				return s
			}
			i += j
		case c == '[':
			if level, ok := longBracket(text, i); ok {
				end := strings.Index(text[i:], "]"+strings.Repeat("=", level)+"]")
				if end < 0 {
					s.comment = true // inside a long string: nothing to complete
					return s
				}
				s.token(tokString, "")
				i += end + level + 2
				continue
			}
			s.open('[', i+1)
			i++
		case c == '\'' || c == '"':
			j := i + 1
			for j < n && text[j] != c && text[j] != '\n' {
				if text[j] == '\\' {
					j++
				}
				j++
			}
			if j >= n {
				s.inString, s.quote, s.strStart = true, c, i+1
				return s
			}
			s.token(tokString, text[i+1:j])
			i = j + 1
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i + 1
			for j < n && (text[j] == '_' || text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z' || text[j] >= '0' && text[j] <= '9') {
				j++
			}
			word := text[i:j]
			if show.LuaKeywords[word] {
				s.token(tokOther, word)
			} else {
				s.token(tokIdent, word)
			}
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < n && (text[j] == '.' || text[j] == '_' || text[j] >= '0' && text[j] <= '9' || text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z') {
				j++
			}
			s.token(tokOther, text[i:j])
			i = j
		case c == '{' || c == '(':
			s.open(c, i+1)
			i++
		case c == '}' || c == ')' || c == ']':
			s.close(c, i)
			i++
		case c == ',' || c == ';':
			if f := s.top(); f != nil {
				f.args = append(f.args, pathAtEnd(s.hist))
				f.elem++
				f.tokens = 0
				f.strs = append(f.strs, "")
			}
			s.hist = s.hist[:0]
			i++
		case c == '=' || c == '~' || c == '<' || c == '>':
			if i+1 < n && text[i+1] == '=' {
				s.token(tokOther, text[i:i+2])
				i += 2
				continue
			}
			s.token(tokPunct, string(c))
			i++
		case c == '.' && i+1 < n && text[i+1] == '.':
			s.token(tokOther, "..")
			i += 2
		case c == '.' || c == ':':
			s.token(tokPunct, string(c))
			i++
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		default:
			s.token(tokOther, string(c))
			i++
		}
	}
	return s
}

// scan is what scanLua learned about the text before the cursor.
type scan struct {
	text     string
	comment  bool // the cursor is in a comment or long string
	inString bool // the cursor is in a short string literal
	quote    byte // its quote character
	strStart int  // offset of its first character, after the quote
	frames   []*frame
	hist     []token // tokens since the last ',' or bracket, for callee paths
}

// frame is one open bracket.
type frame struct {
	open   byte   // '{', '(' or '['
	callee string // the name path before it: "rtnl.ifaddrmsg", "m:get", "help"
	key    string // for name = {: the last name ("attrs")
	assign string // for name = {: the whole path ("m.attrs")
	elem   int    // index of the element the scan is in
	tokens int    // tokens seen in that element
	strs   []string
	// pairs holds the {'NAME', 'value'} tables completed inside this one,
	// so a sub-message attribute can find its selector's value.
	pairs map[string]string
	start int      // offset of the text inside the bracket
	args  []string // the name path each finished element was, if one
}

type tokKind uint8

const (
	tokIdent tokKind = iota
	tokPunct
	tokString
	tokOther
	tokPath // a name path that calls or indexes: "l[1]", "ip.links()"
)

type token struct {
	kind tokKind
	text string
}

func (s *scan) top() *frame {
	if len(s.frames) == 0 {
		return nil
	}
	return s.frames[len(s.frames)-1]
}

// token records a token in the current element.
func (s *scan) token(k tokKind, text string) {
	if f := s.top(); f != nil {
		if f.tokens == 0 && k == tokString {
			f.strs[f.elem] = text
		} else {
			f.strs[f.elem] = ""
		}
		f.tokens++
	}
	s.hist = append(s.hist, token{k, text})
}

// open starts a bracket at start, noting the call or assignment it
// belongs to.
func (s *scan) open(c byte, start int) {
	f := &frame{open: c, strs: []string{""}, pairs: map[string]string{}, start: start}
	if p := pathAtEnd(s.hist); p != "" {
		f.callee = p
	} else if len(s.hist) > 0 && s.hist[len(s.hist)-1] == (token{tokPunct, "="}) {
		if p := pathAtEnd(s.hist[:len(s.hist)-1]); p != "" {
			f.assign = p
			f.key = p[strings.LastIndexAny(p, ".:")+1:]
		}
	}
	s.token(tokOther, string(c))
	s.frames = append(s.frames, f)
	s.hist = s.hist[:0]
}

// close ends the innermost bracket (at offset end) if it matches. A call
// or an index that follows a name path continues it: "ip.links()" and
// "l[1]" are paths a method call may follow.
func (s *scan) close(c byte, end int) {
	f := s.top()
	want := map[byte]byte{'}': '{', ')': '(', ']': '['}[c]
	if f == nil || f.open != want {
		s.token(tokOther, string(c))
		return
	}
	s.frames = s.frames[:len(s.frames)-1]
	if p := s.top(); p != nil && c == '}' && len(f.strs) >= 2 && f.strs[0] != "" && f.strs[1] != "" {
		p.pairs[f.strs[0]] = f.strs[1]
	}
	s.hist = s.hist[:0]
	switch {
	case c == ')' && f.callee != "" && len(f.strs) == 1 && f.strs[0] != "" && f.tokens == 1:
		// A call whose one argument is a string keeps it: the receiver
		// genl.family('ethtool') names its family.
		s.token(tokPath, f.callee+"("+strconv.Quote(f.strs[0])+")")
	case c == ')' && f.callee != "":
		s.token(tokPath, f.callee+"()")
	case c == ']' && f.callee != "":
		s.token(tokPath, f.callee+"["+strings.TrimSpace(s.text[f.start:end])+"]")
	default:
		s.token(tokOther, string(c))
	}
}

// pathAtEnd returns the name path (a.b:c, l[1]:get, ip.links()) the
// tokens end with, or "".
func pathAtEnd(toks []token) string {
	i := len(toks) - 1
	if i < 0 || toks[i].kind != tokIdent && toks[i].kind != tokPath {
		return ""
	}
	parts := []string{toks[i].text}
	for toks[i].kind == tokIdent && i >= 2 && toks[i-1].kind == tokPunct && (toks[i-1].text == "." || toks[i-1].text == ":") &&
		(toks[i-2].kind == tokIdent || toks[i-2].kind == tokPath) {
		parts = append([]string{toks[i-2].text, toks[i-1].text}, parts...)
		i -= 2
	}
	return strings.Join(parts, "")
}

// longBracket reports whether a long bracket ([[, [=[, ...) opens at i,
// and its level.
func longBracket(text string, i int) (int, bool) {
	if i >= len(text) || text[i] != '[' {
		return 0, false
	}
	j := i + 1
	for j < len(text) && text[j] == '=' {
		j++
	}
	if j < len(text) && text[j] == '[' {
		return j - i - 1, true
	}
	return 0, false
}
