package luabind

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Tables for people: messages in full, lists of messages one after another,
// other tables on one line when short, else an entry per line, nested, with
// sorted keys and cycles marked.

// isMessage reports whether t is a message table (constructed or decoded),
// which prints as a message rather than as a table.
func (e *Env) isMessage(t *lua.LTable) bool {
	if e.lazyOf(t) != nil {
		return true
	}
	mt, ok := t.Metatable.(*lua.LTable)
	_, known := e.metaClass[mt]
	return ok && known
}

// tableKeys returns t's keys in print order: the sequence 1..n first, then
// the other numbers ascending, then strings sorted, then anything else by
// its text. n is the length of the sequence.
func tableKeys(t *lua.LTable) (keys []lua.LValue, n int) {
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
	if s, ok := k.(lua.LString); ok && isIdent(string(s)) {
		return string(s)
	}
	if s, ok := k.(lua.LString); ok {
		return "[" + strconv.Quote(string(s)) + "]"
	}
	if n, ok := k.(lua.LNumber); ok {
		return "[" + number(n) + "]"
	}
	return "[" + k.String() + "]"
}

// isIdent reports whether s is a Lua name (and not a keyword).
func isIdent(s string) bool {
	if s == "" || luaKeywords[s] {
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

// luaKeywords are Lua 5.1's reserved words.
var luaKeywords = map[string]bool{
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
	if p.e.isMessage(t) {
		return "<" + p.e.messageTitle(t) + ">", false
	}
	if p.e.L.GetMetaField(t, "__tostring") != lua.LNil {
		s := p.e.safeToString(t)
		return s, !strings.Contains(s, "\n")
	}
	return p.entries(t)
}

// entries renders t's entries on one line, whatever its metatable says.
func (p *printer) entries(t *lua.LTable) (s string, ok bool) {
	p.enter(t)
	defer delete(p.path, t)
	keys, n := tableKeys(t)
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

// messageTitle names a message briefly: "RTM_NEWADDR ifaddrmsg".
func (e *Env) messageTitle(t *lua.LTable) string {
	title := "message"
	if c := e.classOf(t); c != nil {
		title = c.Name
	}
	if mt := e.typeOf(t); mt != nil {
		return mt.Title() + " " + title
	}
	return title
}

// luaTable renders a table for the REPL: a message in full, a list of
// messages one after another, a short table on one line, a longer one with
// an entry per line.
func (p *printer) luaTable(t *lua.LTable) string {
	if msgs := p.messageList(t); msgs != nil {
		return p.e.fullMessages(msgs)
	}
	return p.block(t, 0)
}

// messageList returns t's elements when t is a non-empty list of messages
// and nothing else.
func (p *printer) messageList(t *lua.LTable) []*lua.LTable {
	keys, n := tableKeys(t)
	if n == 0 || len(keys) != n {
		return nil
	}
	msgs := make([]*lua.LTable, n)
	for i := 1; i <= n; i++ {
		m, ok := t.RawGetInt(i).(*lua.LTable)
		if !ok || !p.e.isMessage(m) {
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
	if p.e.isMessage(t) {
		if p.path[t] {
			return "<cycle>"
		}
		return strings.ReplaceAll(p.e.format(t), "\n", "\n"+pad)
	}
	p.budget = max(inlineWidth-len(pad), 1)
	s, ok := p.inline(t)
	p.budget = 0
	if ok && len(s)+len(pad) <= inlineWidth || p.path[t] || len(p.path) > maxDepth ||
		p.e.L.GetMetaField(t, "__tostring") != lua.LNil {
		return strings.ReplaceAll(s, "\n", "\n"+pad)
	}
	p.enter(t)
	defer delete(p.path, t)
	keys, n := tableKeys(t)
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

// ShowBrief renders values as Show does, cut to about maxLines lines with a
// note saying what was left out and how to see it. A list of messages stops
// being rendered once the lines are spent, so printing a dump of 100,000
// routes does not decode them all to show the first few.
func (e *Env) ShowBrief(vals []lua.LValue, maxLines int) string {
	if len(vals) == 1 {
		if t, ok := vals[0].(*lua.LTable); ok && e.L.GetMetaField(t, "__tostring") == lua.LNil {
			if msgs := e.newPrinter().messageList(t); msgs != nil {
				return e.briefMessages(msgs, maxLines)
			}
		}
	}
	return truncateLines(e.Show(vals), maxLines)
}

// briefMessages renders a list of messages one line each, as `ip -br`
// does: the columns its class names (engine.Brief), aligned, else the
// trace's one-line summary; a single message is shown whole. Past
// maxLines the rest is counted, not rendered, so printing a dump of
// 100,000 routes decodes the few it shows.
func (e *Env) briefMessages(msgs []*lua.LTable, maxLines int) string {
	if len(msgs) == 1 {
		return truncateLines(e.format(msgs[0]), maxLines)
	}
	n := min(len(msgs), maxLines)
	rows := make([][]string, n)
	for i := range n {
		rows[i] = e.briefRow(msgs[i], i+1)
	}
	var b strings.Builder
	b.WriteString(alignRows(rows))
	if n < len(msgs) {
		fmt.Fprintf(&b, "… %d more of %d messages; show(_) prints them all in full", len(msgs)-n, len(msgs))
	} else {
		fmt.Fprintf(&b, "(%d messages; show(_) prints them in full)", len(msgs))
	}
	return b.String()
}

// fullMessages renders every message of a list in full, one after another
// (show(list)).
func (e *Env) fullMessages(msgs []*lua.LTable) string {
	var b strings.Builder
	for i, m := range msgs {
		fmt.Fprintf(&b, "#%d %s\n", i+1, e.format(m))
	}
	noun := "messages"
	if len(msgs) == 1 {
		noun = "message"
	}
	fmt.Fprintf(&b, "(%d %s)", len(msgs), noun)
	return b.String()
}

// briefSummaryMax bounds a one-line summary where a class names no columns.
const briefSummaryMax = 160

// briefRow is one message's line: its number, its type, then its columns.
func (e *Env) briefRow(t *lua.LTable, i int) []string {
	num := fmt.Sprintf("#%d", i)
	var msg engine.Message
	p := e.protoOf(t)
	if lm := e.lazyOf(t); lm != nil && !lm.fields && !lm.attrs {
		msg = lm.message()
	} else if b, err := e.encodeTable(t); err == nil {
		ms, _ := engine.Split(b)
		if len(ms) != 1 {
			return []string{num, e.messageTitle(t)}
		}
		msg = ms[0]
	} else {
		return []string{num, e.messageTitle(t), "(does not encode: " + err.Error() + ")"}
	}
	if cols, ok := engine.Brief(p, &msg); ok {
		name := "message"
		if mt := msg.Type(p); mt != nil {
			name = mt.Title()
		}
		return append([]string{num, name}, cols...)
	}
	s := engine.BriefSummary(p, &msg)
	if utf8.RuneCountInString(s) > briefSummaryMax {
		s = string([]rune(s)[:briefSummaryMax-1]) + "…"
	}
	return []string{num, s}
}

// alignRows lays out rows of columns, each column as wide as its widest
// cell (rows of other shapes are laid out alone), one row a line.
func alignRows(rows [][]string) string {
	var b strings.Builder
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && len(rows[j]) == len(rows[i]) && len(rows[i]) > 2 && rows[j][1] == rows[i][1] {
			j++
		}
		width := make([]int, len(rows[i]))
		for _, r := range rows[i:j] {
			for k, c := range r {
				width[k] = max(width[k], utf8.RuneCountInString(c))
			}
		}
		for _, r := range rows[i:j] {
			for k, c := range r {
				if k == len(r)-1 {
					b.WriteString(c)
					break
				}
				b.WriteString(c + strings.Repeat(" ", width[k]-utf8.RuneCountInString(c)+2))
			}
			b.WriteByte('\n')
		}
		i = j
	}
	return b.String()
}

// truncateLines cuts text longer than max lines, saying how to see the rest.
func truncateLines(s string, max int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) <= max {
		return s
	}
	return strings.Join(lines[:max], "") + fmt.Sprintf("… %d more lines; show(_) prints them all", len(lines)-max)
}
