package show

import (
	"fmt"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Brief renders values as Values does, cut to about maxLines lines with a
// note saying what was left out and how to see it. A list of messages stops
// being rendered once the lines are spent, so printing a dump of 100,000
// routes does not decode them all to show the first few.
func (pr *Printer) Brief(vals []lua.LValue, maxLines int) string {
	if len(vals) == 1 {
		if t, ok := vals[0].(*lua.LTable); ok && pr.L.GetMetaField(t, "__tostring") == lua.LNil {
			if msgs := pr.printer().messageList(t); msgs != nil {
				return pr.briefMessages(msgs, maxLines)
			}
		}
	}
	return truncateLines(pr.Values(vals), maxLines)
}

// briefMessages renders a list of messages one line each, as `ip -br`
// does: the columns its class names (engine.Brief), aligned, else the
// trace's one-line summary; a single message is shown whole. Past
// maxLines the rest is counted, not rendered, so printing a dump of
// 100,000 routes decodes the few it shows.
func (pr *Printer) briefMessages(msgs []*lua.LTable, maxLines int) string {
	if len(msgs) == 1 {
		return truncateLines(pr.Message(msgs[0]), maxLines)
	}
	n := min(len(msgs), maxLines)
	rows := make([][]string, n)
	for i := range n {
		rows[i] = pr.briefRow(msgs[i], i+1)
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
func (pr *Printer) fullMessages(msgs []*lua.LTable) string {
	var b strings.Builder
	for i, m := range msgs {
		fmt.Fprintf(&b, "#%d %s\n", i+1, pr.Message(m))
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
func (pr *Printer) briefRow(t *lua.LTable, i int) []string {
	num := fmt.Sprintf("#%d", i)
	var msg engine.Message
	p, _, _ := pr.h.Identity(t)
	// A decoded message nobody changed encodes to the bytes it came in.
	if b, err := pr.h.Encode(t); err == nil {
		ms, _ := engine.Split(b)
		if len(ms) != 1 {
			return []string{num, pr.title(t)}
		}
		msg = ms[0]
	} else {
		return []string{num, pr.title(t), "(does not encode: " + err.Error() + ")"}
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
