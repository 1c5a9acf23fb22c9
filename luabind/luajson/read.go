package luajson

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// nl.from_json reads JSON back into Lua values: objects become tables,
// arrays lists, {"hex": "…"} nl.raw values, integers beyond 2^53 decimal
// strings (as nlsh's Lua values hold them). An object with "header" and
// "attrs" is a message: its protocol, family and class are told from what
// nl.json wrote, and it is encoded at once and kept as a decoded message
// of those bytes, exactly as if it had been received — a large dump read
// back costs its bytes, not tables. A message that cannot be encoded, or
// whose class its header does not tell, stays a message table as a
// script builds one, whose encode says what is wrong.
//
// The parser is nlsh's own rather than encoding/json's: it builds Lua
// values as it goes, keeps strings' bytes as they are (Lua strings are
// bytes), and turns each message into bytes as soon as its object closes.

// maxJSONNesting bounds how deep arrays and objects may nest in the text.
const maxJSONNesting = 1000

// Read reads every JSON document in text (one, or several separated by
// white space, as nlsh --json prints them) and returns one Lua value each.
func (c *Codec) Read(text string) ([]lua.LValue, error) {
	r := &reader{Codec: c, s: text}
	var out []lua.LValue
	for {
		r.space()
		if r.i >= len(r.s) {
			break
		}
		v, pm, err := r.value()
		if err != nil {
			return nil, err
		}
		if pm != nil {
			v = c.h.Messages(pm.p, []engine.Message{pm.m})[0]
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no JSON value in the text")
	}
	return out, nil
}

// pendingMsg is a message read and encoded, waiting for the array or
// object around it, which wraps all of its messages in one group.
type pendingMsg struct {
	p *engine.Protocol
	m engine.Message
}

type jsonMember struct {
	key string
	val lua.LValue
	pm  *pendingMsg
}

type reader struct {
	*Codec
	s     string
	i     int
	depth int
	// Scratch stacks shared by the arrays and objects being read.
	members []jsonMember
	elems   []jsonMember
	str     []byte
}

// syntax reports malformed text at the reader's position.
func (r *reader) syntax(format string, args ...any) error {
	line, col := 1, 1
	for i := 0; i < r.i && i < len(r.s); i++ {
		if r.s[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: %s", line, col, fmt.Sprintf(format, args...))
}

// near names what is at the reader's position, for errors.
func (r *reader) near() string {
	if r.i >= len(r.s) {
		return "the end of the text"
	}
	c, _ := utf8.DecodeRuneInString(r.s[r.i:])
	return strconv.QuoteRune(c)
}

func (r *reader) space() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// value reads one value. A message comes back as pm, not yet a table.
func (r *reader) value() (v lua.LValue, pm *pendingMsg, err error) {
	r.space()
	if r.i >= len(r.s) {
		return nil, nil, r.syntax("the text ends where a value should be")
	}
	switch c := r.s[r.i]; {
	case c == '{':
		return r.object()
	case c == '[':
		v, err := r.array()
		return v, nil, err
	case c == '"':
		s, err := r.string()
		return lua.LString(s), nil, err
	case c == '-' || c >= '0' && c <= '9':
		v, err := r.number()
		return v, nil, err
	case strings.HasPrefix(r.s[r.i:], "true"):
		r.i += 4
		return lua.LTrue, nil, nil
	case strings.HasPrefix(r.s[r.i:], "false"):
		r.i += 5
		return lua.LFalse, nil, nil
	case strings.HasPrefix(r.s[r.i:], "null"):
		r.i += 4
		return lua.LNil, nil, nil
	}
	return nil, nil, r.syntax("%s where a value should be", r.near())
}

func (r *reader) nest() error {
	r.depth++
	if r.depth > maxJSONNesting {
		return r.syntax("arrays and objects nested more than %d deep", maxJSONNesting)
	}
	return nil
}

func (r *reader) array() (lua.LValue, error) {
	if err := r.nest(); err != nil {
		return nil, err
	}
	defer func() { r.depth-- }()
	r.i++ // [
	start := len(r.elems)
	defer func() { r.elems = r.elems[:start] }()
	r.space()
	if r.i < len(r.s) && r.s[r.i] == ']' {
		r.i++
		return r.L.CreateTable(0, 0), nil
	}
	for {
		v, pm, err := r.value()
		if err != nil {
			return nil, err
		}
		r.elems = append(r.elems, jsonMember{val: v, pm: pm})
		r.space()
		if r.i >= len(r.s) {
			return nil, r.syntax("the text ends inside an array")
		}
		if r.s[r.i] == ',' {
			r.i++
			continue
		}
		if r.s[r.i] == ']' {
			r.i++
			break
		}
		return nil, r.syntax("%s after an array element (expected ',' or ']')", r.near())
	}
	elems := r.elems[start:]
	r.groupPending(elems)
	t := r.L.CreateTable(len(elems), 0)
	for i, el := range elems {
		if el.val != lua.LNil {
			t.RawSetInt(i+1, el.val)
		}
	}
	return t, nil
}

// groupPending turns the messages among members into decoded message
// tables, one group per protocol.
func (c *Codec) groupPending(members []jsonMember) {
	var byProto map[*engine.Protocol][]int
	for i, m := range members {
		if m.pm == nil {
			continue
		}
		if byProto == nil {
			byProto = map[*engine.Protocol][]int{}
		}
		byProto[m.pm.p] = append(byProto[m.pm.p], i)
	}
	for p, idx := range byProto {
		msgs := make([]engine.Message, len(idx))
		for j, i := range idx {
			msgs[j] = members[i].pm.m
		}
		for j, t := range c.h.Messages(p, msgs) {
			members[idx[j]].val, members[idx[j]].pm = t, nil
		}
	}
}

func (r *reader) object() (lua.LValue, *pendingMsg, error) {
	if err := r.nest(); err != nil {
		return nil, nil, err
	}
	defer func() { r.depth-- }()
	r.i++ // {
	start := len(r.members)
	defer func() { r.members = r.members[:start] }()
	r.space()
	if r.i < len(r.s) && r.s[r.i] == '}' {
		r.i++
		return r.L.CreateTable(0, 0), nil, nil
	}
	for {
		r.space()
		if r.i >= len(r.s) || r.s[r.i] != '"' {
			return nil, nil, r.syntax("%s where an object key should be (a string)", r.near())
		}
		k, err := r.string()
		if err != nil {
			return nil, nil, err
		}
		r.space()
		if r.i >= len(r.s) || r.s[r.i] != ':' {
			return nil, nil, r.syntax("%s after an object key (expected ':')", r.near())
		}
		r.i++
		v, pm, err := r.value()
		if err != nil {
			return nil, nil, err
		}
		r.members = append(r.members, jsonMember{key: k, val: v, pm: pm})
		r.space()
		if r.i >= len(r.s) {
			return nil, nil, r.syntax("the text ends inside an object")
		}
		if r.s[r.i] == ',' {
			r.i++
			continue
		}
		if r.s[r.i] == '}' {
			r.i++
			break
		}
		return nil, nil, r.syntax("%s after an object member (expected ',' or '}')", r.near())
	}
	return r.finishObject(r.members[start:])
}

// finishObject makes the table of an object: bytes for {"hex": …}, a
// message for an object with header and attrs, a nest (with the message
// methods) for another object with attrs.
func (r *reader) finishObject(members []jsonMember) (lua.LValue, *pendingMsg, error) {
	if len(members) == 1 && members[0].key == "hex" {
		if s, ok := members[0].val.(lua.LString); ok {
			if b, err := hex.DecodeString(string(s)); err == nil {
				return r.h.RawValue(b), nil, nil
			}
		}
	}
	r.groupPending(members)
	t := r.L.CreateTable(0, len(members))
	for _, m := range members {
		v := m.val
		if (m.key == "_tail" || m.key == "payload") && r.isRaw(v) {
			// Decoded messages hold these as strings.
			v = v.(*lua.LTable).RawGetString("bytes")
		}
		t.RawSetString(m.key, v)
	}
	attrs, ok := t.RawGetString("attrs").(*lua.LTable)
	if !ok || !plainTable(attrs) {
		return t, nil, nil
	}
	fixPairs(attrs)
	if ht, ok := t.RawGetString("header").(*lua.LTable); ok && plainTable(ht) {
		return r.message(t, ht)
	}
	r.h.Nest(t)
	return t, nil, nil
}

// fixPairs moves the third element of each attribute pair, {"nla_flags":
// n}, into the pair as nla_flags (as decoded pairs hold it).
func fixPairs(attrs *lua.LTable) {
	for i := 1; i <= attrs.Len(); i++ {
		pr, ok := attrs.RawGetInt(i).(*lua.LTable)
		if !ok || !plainTable(pr) || pr.Len() != 3 {
			continue
		}
		extra, ok := pr.RawGetInt(3).(*lua.LTable)
		if !ok || !plainTable(extra) || extra.Len() != 0 {
			continue
		}
		pr.RawSetInt(3, lua.LNil)
		extra.ForEach(func(k, v lua.LValue) { pr.RawSet(k, v) })
	}
}

// identityKeys are what nl.json writes beside a message's header to say
// what it is; none of them is payload.
var identityKeys = []string{"protocol", "genl_family", "class", "event"}

// message makes a message of table t (with header ht): a decoded message
// of its bytes when its header tells its class and it encodes, else a
// message table as a script builds one.
func (r *reader) message(t, ht *lua.LTable) (lua.LValue, *pendingMsg, error) {
	p := r.h.Route()
	if name, ok := t.RawGetString("protocol").(lua.LString); ok {
		p = r.protocol(string(name))
	}
	family, _ := t.RawGetString("genl_family").(lua.LString)
	class, _ := t.RawGetString("class").(lua.LString)
	for _, k := range identityKeys {
		// Only as nl.json writes them: a field of the same name would
		// hold a number.
		if _, ok := t.RawGetString(k).(lua.LString); ok {
			t.RawSetString(k, lua.LNil)
		}
	}
	var c *engine.Class
	told := false
	if h, err := r.h.Header(ht); err == nil {
		if tab := r.h.Families(); p == tab.Protocol() && family != "" {
			// Family ids are given out per boot and namespace: the name
			// says which family, and this namespace's id is the one to use.
			if b := tab.ByID(h.Type); b == nil || b.Name != string(family) {
				b = tab.ByName(string(family))
				if b == nil {
					return nil, nil, fmt.Errorf("generic netlink family '%s' is not known here yet: genl.family('%s') looks it up", family, family)
				}
				h.Type = b.ID
				ht.RawSetString("type", lua.LNumber(b.ID))
			}
		}
		var body []byte
		if n, ok := t.RawGetString("cmd").(lua.LNumber); ok && n >= 0 && n <= 0xff {
			body = []byte{byte(n), 0, 0, 0}
		}
		if mt := p.Resolve(h, body, engine.DirAuto); mt != nil {
			c = mt.Class
		}
		told = true
	}
	if class != "" {
		if cc := p.Class(string(class)); cc != nil && cc != c {
			c, told = cc, false
		}
	}
	r.h.MakeMessage(t, p, c)
	if !told {
		return t, nil, nil
	}
	b, err := r.h.Encode(t)
	if err != nil || len(b) < engine.HeaderLen {
		return t, nil, nil
	}
	h := engine.ParseHeader(b)
	if int(h.Length) != len(b) {
		// A length that is not the message's own: keep the table, which
		// says what it was given.
		return t, nil, nil
	}
	return nil, &pendingMsg{p: p, m: engine.Message{Header: h, Body: b[engine.HeaderLen:]}}, nil
}

// protocol returns the protocol nl.json named: rtnetlink, this
// namespace's generic netlink, or another protocol by name, whose messages
// (other than NLMSG_ERROR and NLMSG_DONE) are header and payload.
func (c *Codec) protocol(name string) *engine.Protocol {
	if name == "" {
		return c.h.Route()
	}
	if p, ok := c.h.ProtocolNamed(name); ok {
		return p
	}
	if p := c.protos[name]; p != nil {
		return p
	}
	if c.protos == nil {
		c.protos = map[string]*engine.Protocol{}
	}
	p := (&engine.Protocol{Name: name}).Build()
	c.protos[name] = p
	return p
}

// string reads a JSON string. Bytes that are not UTF-8 are kept as they
// are: Lua strings are bytes.
func (r *reader) string() (string, error) {
	r.i++ // "
	start := r.i
	for r.i < len(r.s) {
		c := r.s[r.i]
		if c == '"' {
			s := r.s[start:r.i]
			r.i++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		r.i++
	}
	b := append(r.str[:0], r.s[start:r.i]...)
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			r.i++
			r.str = b
			return string(b), nil
		case c < 0x20:
			return "", r.syntax("a control character (0x%02x) inside a string: write it as an escape", c)
		case c != '\\':
			b = append(b, c)
			r.i++
			continue
		}
		if r.i+1 >= len(r.s) {
			break
		}
		esc := r.s[r.i+1]
		r.i += 2
		switch esc {
		case '"', '\\', '/':
			b = append(b, esc)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			c1, ok := r.hex4()
			if !ok {
				return "", r.syntax("\\u takes four hex digits")
			}
			ru := rune(c1)
			if utf16.IsSurrogate(ru) {
				// Half of a pair: with its other half one character,
				// alone U+FFFD, as encoding/json reads it.
				ru = utf8.RuneError
				if save := r.i; strings.HasPrefix(r.s[r.i:], "\\u") {
					r.i += 2
					if c2, ok := r.hex4(); ok && utf16.DecodeRune(rune(c1), rune(c2)) != utf8.RuneError {
						ru = utf16.DecodeRune(rune(c1), rune(c2))
					} else {
						r.i = save
					}
				}
			}
			b = utf8.AppendRune(b, ru)
		default:
			r.i -= 2
			return "", r.syntax("unknown escape \\%c in a string", esc)
		}
	}
	return "", r.syntax("the text ends inside a string")
}

func (r *reader) hex4() (uint16, bool) {
	if r.i+4 > len(r.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(r.s[r.i:r.i+4], 16, 16)
	if err != nil {
		return 0, false
	}
	r.i += 4
	return uint16(n), true
}

// number reads a JSON number: a Lua number, or for an integer beyond 2^53
// that fits 64 bits its decimal string, which nlsh's encoder reads exactly.
func (r *reader) number() (lua.LValue, error) {
	start := r.i
	if r.s[r.i] == '-' {
		r.i++
	}
	digits := func() int {
		n := 0
		for r.i < len(r.s) && r.s[r.i] >= '0' && r.s[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	intStart := r.i
	if n := digits(); n == 0 {
		return nil, r.syntax("%s where a number's digits should be", r.near())
	} else if n > 1 && r.s[intStart] == '0' {
		r.i = intStart
		return nil, r.syntax("a number with a leading zero")
	}
	integer := true
	if r.i < len(r.s) && r.s[r.i] == '.' {
		r.i++
		integer = false
		if digits() == 0 {
			return nil, r.syntax("%s where a fraction's digits should be", r.near())
		}
	}
	if r.i < len(r.s) && (r.s[r.i] == 'e' || r.s[r.i] == 'E') {
		r.i++
		integer = false
		if r.i < len(r.s) && (r.s[r.i] == '+' || r.s[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			return nil, r.syntax("%s where an exponent's digits should be", r.near())
		}
	}
	lit := r.s[start:r.i]
	if integer {
		if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
			if n > luaarg.MaxExact || n < -luaarg.MaxExact {
				return lua.LString(strconv.FormatInt(n, 10)), nil
			}
			return lua.LNumber(n), nil
		}
		if n, err := strconv.ParseUint(lit, 10, 64); err == nil {
			return lua.LString(strconv.FormatUint(n, 10)), nil
		}
	}
	// The grammar was checked: the only error left is a range error, for
	// which ParseFloat gives 0 or ±Inf, as Lua would read the number.
	f, _ := strconv.ParseFloat(lit, 64)
	return lua.LNumber(f), nil
}

// plainTable reports whether t has no metatable.
func plainTable(t *lua.LTable) bool { return t.Metatable == nil || t.Metatable == lua.LNil }
