package show

import (
	"math"
	"sort"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Tables for people: messages in full, lists of messages one after another,
// other tables on one line when short, else an entry per line, nested, with
// sorted keys and cycles marked.

// TableKeys returns t's keys in print order: the sequence 1..n first, then
// the other numbers ascending, then strings sorted, then anything else by
// its text. n is the length of the sequence.
func TableKeys(t *lua.LTable) (keys []lua.LValue, n int) {
	for t.RawGetInt(n+1) != lua.LNil {
		n++
		keys = append(keys, lua.LNumber(n))
	}
	var nums []float64
	var strs, others []string
	other := map[string]lua.LValue{}
	t.ForEach(func(k, _ lua.LValue) {
		switch x := k.(type) {
		case lua.LNumber:
			if f := float64(x); f != math.Trunc(f) || f < 1 || f > float64(n) {
				nums = append(nums, f)
			}
		case lua.LString:
			strs = append(strs, string(x))
		default:
			s := x.String()
			others = append(others, s)
			other[s] = x
		}
	})
	sort.Float64s(nums)
	sort.Strings(strs)
	sort.Strings(others)
	for _, f := range nums {
		keys = append(keys, lua.LNumber(f))
	}
	for _, s := range strs {
		keys = append(keys, lua.LString(s))
	}
	for _, s := range others {
		keys = append(keys, other[s])
	}
	return keys, n
}

// keyText renders a table key as a Lua constructor would spell it.
func keyText(k lua.LValue) string {
	if s, ok := k.(lua.LString); ok && IsIdent(string(s)) {
		return string(s)
	}
	if s, ok := k.(lua.LString); ok {
		return "[" + strconv.Quote(string(s)) + "]"
	}
	if n, ok := k.(lua.LNumber); ok {
		return "[" + Number(n) + "]"
	}
	return "[" + k.String() + "]"
}

// IsIdent reports whether s is a Lua name (and not a keyword).
func IsIdent(s string) bool {
	if s == "" || LuaKeywords[s] {
		return false
	}
	for i, r := range s {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9' {
			continue
		}
		return false
	}
	return true
}

// LuaKeywords are Lua 5.1's reserved words: no key prints bare as one.
var LuaKeywords = map[string]bool{
	"and": true, "break": true, "do": true, "else": true, "elseif": true, "end": true,
	"false": true, "for": true, "function": true, "if": true, "in": true, "local": true,
	"nil": true, "not": true, "or": true, "repeat": true, "return": true, "then": true,
	"true": true, "until": true, "while": true,
}

// inline renders t on one line. ok is false when t holds something that
// only prints well on several lines (a message).
func (p *printer) inline(t *lua.LTable) (s string, ok bool) {
	if p.path[t] {
		return "<cycle>", true
	}
	if len(p.path) > maxDepth {
		return "{…}", true
	}
	if p.h.IsMessage(t) {
		return "<" + p.title(t) + ">", false
	}
	if p.L.GetMetaField(t, "__tostring") != lua.LNil {
		s := p.h.ToString(t)
		return s, !strings.Contains(s, "\n")
	}
	return p.entries(t)
}

// entries renders t's entries on one line, whatever its metatable says.
func (p *printer) entries(t *lua.LTable) (s string, ok bool) {
	p.enter(t)
	defer delete(p.path, t)
	keys, n := TableKeys(t)
	parts := make([]string, 0, len(keys))
	ok = true
	total := 2
	for i, k := range keys {
		v := t.RawGet(k)
		var vs string
		if vt, isT := v.(*lua.LTable); isT {
			var vok bool
			vs, vok = p.inline(vt)
			ok = ok && vok
		} else {
			vs = p.scalar(v, nil)
		}
		if i >= n {
			vs = keyText(k) + "=" + vs
		}
		parts = append(parts, vs)
		if total += len(vs) + 2; p.budget > 0 && total-2 > p.budget {
			return "{…}", false
		}
	}
	return "{" + strings.Join(parts, ", ") + "}", ok
}

// title names a message briefly: "RTM_NEWADDR ifaddrmsg".
func (pr *Printer) title(t *lua.LTable) string {
	title := "message"
	_, c, mt := pr.h.Identity(t)
	if c != nil {
		title = c.Name
	}
	if mt != nil {
		return mt.Title() + " " + title
	}
	return title
}

// luaTable renders a table for the REPL: a message in full, a list of
// messages one after another, a short table on one line, a longer one with
// an entry per line.
func (p *printer) luaTable(t *lua.LTable) string {
	if msgs := p.messageList(t); msgs != nil {
		return p.fullMessages(msgs)
	}
	return p.block(t, 0)
}

// messageList returns t's elements when t is a non-empty list of messages
// and nothing else.
func (p *printer) messageList(t *lua.LTable) []*lua.LTable {
	keys, n := TableKeys(t)
	if n == 0 || len(keys) != n {
		return nil
	}
	msgs := make([]*lua.LTable, n)
	for i := 1; i <= n; i++ {
		m, ok := t.RawGetInt(i).(*lua.LTable)
		if !ok || !p.h.IsMessage(m) {
			return nil
		}
		msgs[i-1] = m
	}
	return msgs
}

// block renders v for a line indented by indent steps: on one line when
// it fits, else over several lines whose continuation lines are indented.
func (p *printer) block(v lua.LValue, indent int) string {
	t, ok := v.(*lua.LTable)
	if !ok {
		return p.scalar(v, nil)
	}
	pad := strings.Repeat("  ", indent)
	if p.h.IsMessage(t) {
		if p.path[t] {
			return "<cycle>"
		}
		return strings.ReplaceAll(p.Message(t), "\n", "\n"+pad)
	}
	p.budget = max(inlineWidth-len(pad), 1)
	s, ok := p.inline(t)
	p.budget = 0
	if ok && len(s)+len(pad) <= inlineWidth || p.path[t] || len(p.path) > maxDepth ||
		p.L.GetMetaField(t, "__tostring") != lua.LNil {
		return strings.ReplaceAll(s, "\n", "\n"+pad)
	}
	p.enter(t)
	defer delete(p.path, t)
	keys, n := TableKeys(t)
	var b strings.Builder
	b.WriteString("{\n")
	for i, k := range keys {
		b.WriteString(pad + "  ")
		if i >= n {
			b.WriteString(keyText(k) + " = ")
		}
		b.WriteString(p.block(t.RawGet(k), indent+1))
		b.WriteString(",\n")
	}
	b.WriteString(pad + "}")
	return b.String()
}
