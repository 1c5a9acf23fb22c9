package engine

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Boxes: an explanation drawn the way the kernel's netlink documentation
// (Documentation/userspace-api/netlink/intro.rst) draws messages, each
// part a box stacked under the one before: struct nlmsghdr, the family's
// fixed header, then every attribute as a struct nlattr of its own, a
// nest's attributes as boxes inside its box, and the padding that aligns
// the next part as a thin box between them. The byte offset of every row
// and box is in the left margin.
//
//	0000  ------------------------------------------------
//	      | struct nlmsghdr: RTM_NEWADDR        16 bytes |
//	0000  |   nlmsg_len = 40                             |
//	...
//	0018  ------------------------------------------------
//	      | struct nlattr: IFA_LOCAL             8 bytes |
//	0018  |   nla_len = 8                                |

// box is one part of a message: a struct, an attribute, a record,
// padding.
type box struct {
	title string
	kind  boxKind
	depth int // the explanation depth of the rows that make it
	items []boxItem
	off   int // first byte
	end   int // one past the last byte
}

type boxKind int

const (
	boxStruct boxKind = iota // fixed fields; rows at its depth
	boxAttr                  // nla_len and nla_type at its depth, the payload one deeper
	boxRecord                // a record of a list (rtnexthop #1): everything one deeper
	boxPad                   // padding: no rows
)

// boxItem is a row of a box or a box inside it.
type boxItem struct {
	line *Line
	text string
	box  *box
}

func (b *box) cover(l *Line) {
	if l.Offset < b.off {
		b.off = l.Offset
	}
	if e := l.Offset + len(l.Bytes); e > b.end {
		b.end = e
	}
}

func (b *box) addRow(l *Line, text string) {
	b.cover(l)
	b.items = append(b.items, boxItem{line: l, text: text})
}

// holdsRow says whether a row at explanation depth d is b's.
func (b *box) holdsRow(d int) bool {
	switch b.kind {
	case boxAttr:
		return d == b.depth || d == b.depth+1
	case boxRecord:
		return d == b.depth+1
	case boxPad:
		return false
	}
	return d == b.depth
}

// holdsBox says whether a part at explanation depth d goes inside b.
func (b *box) holdsBox(d int) bool {
	return (b.kind == boxAttr || b.kind == boxRecord) && d == b.depth+1
}

// extent widens each box to cover the boxes inside it.
func (b *box) extent() (int, int) {
	for _, it := range b.items {
		if it.box != nil {
			off, end := it.box.extent()
			if b.end == b.off || off < b.off {
				b.off = min(b.off, off)
			}
			b.end = max(b.end, end)
		}
	}
	return b.off, b.end
}

var (
	reNLAType   = lazyRE(`^nla_type = \d+ (\S+)`)
	reStructRow = lazyRE(`^([A-Za-z_][A-Za-z0-9_]*)\.([^=]*?) = `)
	reRecord    = lazyRE(`^\S+ #\d+$`)
)

// echoTitle names the box of the request header an error echoes.
const echoTitle = "struct nlmsghdr: the request's"

// boxer turns explanation rows into boxes.
type boxer struct {
	msgs  [][]*box // top-level boxes, per message
	stack []*box   // the open boxes, outermost first
}

// FormatBoxes renders lines (from Explain) as boxes, as intro.rst draws
// messages.
func FormatBoxes(lines []Line) string {
	bx := &boxer{}
	for i := range lines {
		bx.line(&lines[i])
	}
	var out strings.Builder
	for i, msg := range bx.msgs {
		if i > 0 {
			out.WriteString("\n")
		}
		width := 60
		for _, b := range msg {
			b.extent()
			width = max(width, b.width(0))
		}
		for j, b := range msg {
			b.render(&out, 0, width, j == len(msg)-1)
		}
	}
	return out.String()
}

func (bx *boxer) top() *box {
	if len(bx.stack) == 0 {
		return nil
	}
	return bx.stack[len(bx.stack)-1]
}

// place opens box b, made of rows at depth b.depth, inside the innermost
// open box that holds parts of that depth (or at the top).
func (bx *boxer) place(b *box) {
	for len(bx.stack) > 0 && !bx.top().holdsBox(b.depth) {
		bx.stack = bx.stack[:len(bx.stack)-1]
	}
	if t := bx.top(); t != nil {
		t.items = append(t.items, boxItem{box: b})
	} else {
		if len(bx.msgs) == 0 {
			bx.msgs = append(bx.msgs, nil)
		}
		bx.msgs[len(bx.msgs)-1] = append(bx.msgs[len(bx.msgs)-1], b)
	}
	bx.stack = append(bx.stack, b)
}

// row adds a row at depth d to the innermost open box it belongs to.
func (bx *boxer) row(l *Line, text string) {
	for len(bx.stack) > 0 && !bx.top().holdsRow(l.Depth) {
		bx.stack = bx.stack[:len(bx.stack)-1]
	}
	if len(bx.stack) == 0 {
		bx.place(bx.newBox(l, "payload", boxStruct))
	}
	bx.top().addRow(l, text)
}

func (bx *boxer) newBox(l *Line, title string, kind boxKind) *box {
	return &box{title: title, kind: kind, depth: l.Depth, off: l.Offset, end: l.Offset}
}

// line places one row of the explanation.
func (bx *boxer) line(l *Line) {
	text := l.Text
	if l.Error {
		bx.row(l, "!! "+text)
		return
	}
	switch {
	case l.Depth == 0 && strings.HasPrefix(text, "nlmsg_len = "):
		bx.stack = nil
		bx.msgs = append(bx.msgs, nil)
		bx.place(bx.newBox(l, "struct nlmsghdr", boxStruct))
		bx.top().addRow(l, text)
	case l.Depth == 0 && strings.HasPrefix(text, "nlmsg_"):
		if t := bx.top(); t != nil && strings.HasPrefix(text, "nlmsg_type = ") {
			if f := strings.Fields(text); len(f) > 3 {
				t.title += ": " + strings.Join(f[3:], " ")
			}
		}
		bx.row(l, text)
	case strings.HasPrefix(text, "nla_len = "):
		bx.place(bx.newBox(l, "struct nlattr", boxAttr))
		bx.top().addRow(l, text)
	case strings.HasPrefix(text, "nla_type = "):
		if t := bx.top(); t != nil && t.kind == boxAttr && t.depth == l.Depth {
			if m := reNLAType().FindStringSubmatch(text); m != nil {
				t.title += ": " + m[1]
			}
		}
		bx.row(l, text)
	case text == "padding" || text == "padding (not zero)":
		// Inside a struct, padding is one of its rows; after an attribute
		// or a message it is a part of its own.
		if t := bx.top(); t != nil && t.kind == boxStruct && t.depth == l.Depth {
			t.addRow(l, text)
			return
		}
		p := bx.newBox(l, text, boxPad)
		p.cover(l)
		bx.place(p)
	case len(l.Bytes) == 0 && reRecord().MatchString(text):
		bx.place(bx.newBox(l, text, boxRecord))
	case text == "the request's payload, echoed":
		b := bx.newBox(l, text, boxPad)
		b.cover(l)
		bx.place(b)
	default:
		if m := reStructRow().FindStringSubmatch(text); m != nil {
			bx.structRow(l, m[1], text[len(m[1])+1:])
			return
		}
		bx.row(l, text)
	}
}

// structRow adds a field of struct name: to the struct's box, a record's
// box, or (the request header an error echoes) a box inside the error's.
func (bx *boxer) structRow(l *Line, name, field string) {
	t := bx.top()
	if t != nil && t.kind == boxRecord && strings.HasPrefix(t.title, name+" #") && l.Depth == t.depth+1 {
		t.addRow(l, field) // a record's own fields
		return
	}
	if name == "nlmsgerr" && !strings.HasPrefix(field, "error ") {
		if t == nil || t.title != echoTitle {
			for t != nil && t.title != "struct nlmsgerr" {
				bx.stack = bx.stack[:len(bx.stack)-1]
				t = bx.top()
			}
			inner := bx.newBox(l, echoTitle, boxStruct)
			if t != nil {
				t.items = append(t.items, boxItem{box: inner})
			}
			bx.stack = append(bx.stack, inner)
		}
		bx.top().addRow(l, strings.Replace(field, "(msg.", "(", 1))
		return
	}
	title := "struct " + name
	if name == "nlmsgdone" {
		title = "int error"
	}
	if t == nil || t.title != title || t.depth != l.Depth {
		bx.place(bx.newBox(l, title, boxStruct))
	}
	bx.top().addRow(l, field)
}

// width is the width a box needs at nesting level lvl: its widest row or
// title, plus its borders and those of the boxes around it.
func (b *box) width(lvl int) int {
	w := utf8.RuneCountInString(b.title) + 2 + len(b.sizeText()) + 8*lvl
	for _, it := range b.items {
		if it.box != nil {
			w = max(w, it.box.width(lvl+1))
			continue
		}
		w = max(w, utf8.RuneCountInString(it.rowText())+8*lvl)
	}
	return w
}

func (it boxItem) rowText() string {
	s := "  " + it.text
	if it.line != nil && it.line.Mark {
		s += "   <-- here"
	}
	return s
}

// sizeText is the right side of a box's title: how many bytes it covers.
func (b *box) sizeText() string {
	n := b.end - b.off
	if n == 1 {
		return "1 byte"
	}
	return strconv.Itoa(n) + " bytes"
}

// render writes box b at nesting level lvl in a frame width columns wide;
// last says no box follows it at its level, so it closes its frame.
func (b *box) render(w *strings.Builder, lvl, width int, last bool) {
	left, right := strings.Repeat("|   ", lvl), strings.Repeat("   |", lvl)
	inner := width - 8*lvl
	border := func(off int, gutter bool) {
		g := "      "
		if gutter {
			g = fmt.Sprintf("%04x  ", off)
		}
		fmt.Fprintf(w, "%s%s%s%s\n", g, left, strings.Repeat("-", inner+4), right)
	}
	row := func(gutter string, text string) {
		pad := inner - utf8.RuneCountInString(text)
		fmt.Fprintf(w, "%s%s| %s%s |%s\n", gutter, left, text, strings.Repeat(" ", max(pad, 0)), right)
	}
	border(b.off, true)
	size := b.sizeText()
	gap := inner - utf8.RuneCountInString(b.title) - len(size)
	row("      ", b.title+strings.Repeat(" ", max(gap, 1))+size)
	for i, it := range b.items {
		if it.box != nil {
			next := i+1 >= len(b.items) || b.items[i+1].box == nil
			it.box.render(w, lvl+1, width, next)
			continue
		}
		row(fmt.Sprintf("%04x  ", it.line.Offset), it.rowText())
	}
	if last {
		border(b.end, true)
	}
}
