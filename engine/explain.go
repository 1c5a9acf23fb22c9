package engine

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Line is one row of an explanation: the bytes at Offset and what they are.
// Depth is the nesting level (attributes inside nests are deeper).
type Line struct {
	Offset int
	Bytes  []byte
	Depth  int
	Text   string
	Mark   bool // the byte offset the caller asked to mark lies in this row
	Error  bool // the input breaks here
}

// ExplainOptions tune Explain.
type ExplainOptions struct {
	// Mark, when >= 0, is a byte offset to flag (the kernel's extended-ACK
	// offset into a request): the innermost row holding it is marked.
	Mark int
	// Dir says whether the bytes are requests or replies; DirAuto reads
	// it from each header.
	Dir Direction
}

// Explain accounts for every byte of buf, read as netlink messages of
// protocol p: header fields, the fixed struct, each attribute's length, type
// and payload, and padding. Input that breaks is explained up to the break,
// which is named.
func Explain(p *Protocol, buf []byte, opts ExplainOptions) []Line {
	x := &explainer{p: p, mark: opts.Mark, dir: opts.Dir}
	off := 0
	for off < len(buf) {
		rest := buf[off:]
		if len(rest) < HeaderLen {
			x.fail(off, rest, 0, fmt.Sprintf("%d bytes left at offset %d: too short for a 16-byte nlmsghdr", len(rest), off))
			break
		}
		h := ParseHeader(rest)
		n := int(h.Length)
		bad := ""
		switch {
		case n < HeaderLen:
			bad = fmt.Sprintf("nlmsg_len %d is shorter than the 16-byte header", n)
		case n > len(rest):
			bad = fmt.Sprintf("nlmsg_len %d runs past the end of the buffer at offset %d (%d bytes left)", n, off, len(rest))
		}
		x.mt = p.Resolve(h, rest[HeaderLen:min(max(n, HeaderLen), len(rest))], opts.Dir)
		x.req = opts.Dir.Of(h) == DirRequest
		x.header(off, rest, h)
		if bad != "" {
			if n > len(rest) {
				// Explain what is there; the attribute that crosses the
				// end names the break itself.
				x.body(off+HeaderLen, rest[HeaderLen:], h)
			}
			x.fail(off+len(rest), nil, 0, bad)
			break
		}
		x.body(off+HeaderLen, rest[HeaderLen:n], h)
		next := align4(n)
		if next > len(rest) {
			next = len(rest)
		}
		if next > n {
			x.pad(off+n, rest[n:next], 0)
		}
		off += next
	}
	return x.lines
}

type explainer struct {
	p     *Protocol
	mark  int
	dir   Direction
	mt    *MsgType // the type of the message being explained
	req   bool     // the message is a request (Field.Unset applies)
	lines []Line
}

func (x *explainer) add(off int, b []byte, depth int, format string, args ...any) {
	l := Line{Offset: off, Bytes: b, Depth: depth, Text: fmt.Sprintf(format, args...)}
	if x.mark >= off && x.mark < off+max(len(b), 1) && x.mark >= 0 {
		for i := range x.lines {
			x.lines[i].Mark = false
		}
		l.Mark = true
	}
	x.lines = append(x.lines, l)
}

func (x *explainer) fail(off int, b []byte, depth int, msg string) {
	x.lines = append(x.lines, Line{Offset: off, Bytes: b, Depth: depth, Text: msg, Error: true})
}

func (x *explainer) pad(off int, b []byte, depth int) {
	if len(b) == 0 {
		return
	}
	if allZero(b) {
		x.add(off, b, depth, "padding")
	} else {
		x.add(off, b, depth, "padding (not zero)")
	}
}

func (x *explainer) header(off int, b []byte, h Header) {
	mt := x.mt
	tname := ""
	if mt != nil {
		tname = " " + mt.Name
		if mt.Family != "" {
			tname = " " + mt.Family
		}
	}
	x.add(off, b[0:4], 0, "nlmsg_len = %d", h.Length)
	x.add(off+4, b[4:6], 0, "nlmsg_type = %d%s", h.Type, tname)
	flags := fmt.Sprintf("nlmsg_flags = 0x%x", h.Flags)
	if names, ok := FlagsFor(mt).Format(uint64(h.Flags)); ok {
		flags += " " + names
	}
	x.add(off+6, b[6:8], 0, "%s", flags)
	x.add(off+8, b[8:12], 0, "nlmsg_seq = %d", h.Seq)
	x.add(off+12, b[12:16], 0, "nlmsg_pid = %d", h.PID)
}

func (x *explainer) body(off int, b []byte, h Header) {
	mt := x.mt
	if mt == nil || mt.Class == nil {
		if len(b) > 0 {
			x.add(off, b, 0, "payload (no description for message type %d)", h.Type)
		}
		return
	}
	c := mt.Class
	if c == ErrClass {
		x.errBody(off, b, h)
		return
	}
	first := len(x.lines)
	x.recordAs(off, b, c, c.Layout(mt), 0, nil)
	if c == DoneClass {
		x.nameErrno(first)
	}
}

func (x *explainer) errBody(off int, b []byte, h Header) {
	s := ErrClass.Struct
	if len(b) < s.Size {
		x.fail(off, b, 0, fmt.Sprintf("nlmsgerr needs %d bytes, the message has %d", s.Size, len(b)))
		return
	}
	first := len(x.lines)
	x.structure(off, b[:s.Size], s, 0, "nlmsgerr.")
	x.nameErrno(first)
	// Name the type of the request the error answers.
	rest := b[s.Size:]
	// The echoed request: its header, and its payload unless capped.
	echo := b[4:s.Size]
	if h.Flags&NLM_F_CAPPED == 0 {
		echo = b[4:]
	}
	if t := RequestType(x.p, echo); t != nil {
		ti, _ := s.FieldIndex("type")
		typeLine := "nlmsgerr." + s.Fields[ti].Label() + " = "
		for i := first; i < len(x.lines); i++ {
			if strings.HasPrefix(x.lines[i].Text, typeLine) {
				x.lines[i].Text += " " + t.Title()
			}
		}
	}
	roff := off + s.Size
	if h.Flags&NLM_F_CAPPED == 0 {
		n := int(binary.LittleEndian.Uint32(b[4:])) - HeaderLen
		if n > 0 && n <= len(rest) {
			x.add(roff, rest[:n], 0, "the request's payload, echoed")
			pn := min(align4(n), len(rest))
			x.pad(roff+n, rest[n:pn], 0)
			rest, roff = rest[pn:], roff+pn
		}
	}
	if len(rest) > 0 {
		x.attrs(roff, rest, ErrAttrs, 0, nil)
	}
}

// nameErrno adds the errno's name to the error code among the lines from
// first on (NLMSG_ERROR's and NLMSG_DONE's "error = -22" gets EINVAL).
func (x *explainer) nameErrno(first int) {
	for i := first; i < len(x.lines); i++ {
		l := &x.lines[i]
		if !strings.HasSuffix(strings.SplitN(l.Text, " = ", 2)[0], ".error") || len(l.Bytes) != 4 {
			continue
		}
		if n := int32(binary.LittleEndian.Uint32(l.Bytes)); n < 0 {
			l.Text += " " + ErrnoName(unix.Errno(-n))
		}
		return
	}
}

// record explains a fixed struct followed by attributes.
func (x *explainer) record(off int, b []byte, c *Class, depth int, parent *scope) {
	x.recordAs(off, b, c, c.Struct, depth, parent)
}

// recordAs is record with the fixed struct s, c's as a message type reads
// it (Class.Layout).
func (x *explainer) recordAs(off int, b []byte, c *Class, s *StructDesc, depth int, parent *scope) {
	if s != nil {
		n := s.Size
		if len(b) < n {
			x.fail(off, b, depth, fmt.Sprintf("%s needs %d bytes, only %d left", s.Name, n, len(b)))
			return
		}
		x.structure(off, b[:n], s, depth, s.Name+".")
		parent = &scope{fields: decodeStruct(s, b[:n]), parent: parent}
		pn := min(align4(n), len(b))
		x.pad(off+n, b[n:pn], depth)
		off, b = off+pn, b[pn:]
	}
	x.attrs(off, b, c.Attrs, depth, parent)
}

func (x *explainer) structure(off int, b []byte, s *StructDesc, depth int, prefix string) {
	for _, f := range s.Fields {
		raw := b[f.Offset : f.Offset+f.Size]
		if f.Kind == Pad {
			x.pad(off+f.Offset, raw, depth)
			continue
		}
		if f.Kind == Struct {
			x.structure(off+f.Offset, raw, f.Struct, depth, prefix+f.Name+".")
			continue
		}
		v, ok := decodeScalar(f.Kind, f.Size, raw)
		text := "?"
		if ok {
			text = formatValue(v, f.Enum, f.Hint)
			if x.req && f.Unset != "" && allZero(raw) {
				text = "0 (" + f.Unset + ")"
			}
		}
		x.add(off+f.Offset, raw, depth, "%s%s = %s", prefix, f.Label(), text)
	}
	rest := b[s.Size:]
	roff := off + s.Size
	if s.Flex != nil {
		for i := 0; len(rest) >= s.Flex.Size; i++ {
			x.structure(roff, rest[:s.Flex.Size], s.Flex, depth+1, fmt.Sprintf("%s[%d].", s.FlexName, i))
			rest, roff = rest[s.Flex.Size:], roff+s.Flex.Size
		}
	}
	if len(rest) > 0 {
		x.add(roff, rest, depth, "%d bytes beyond %s (fields a newer kernel added)", len(rest), s.Name)
	}
}

func (x *explainer) attrs(off int, b []byte, set *AttrSet, depth int, parent *scope) {
	// Index the list first so sub-messages can find their selector.
	sc := siblings(set, b)
	sc.parent = parent
	for len(b) > 0 {
		if len(b) < 4 {
			x.fail(off, b, depth, fmt.Sprintf("%d stray bytes at offset %d: too short for a 4-byte attribute header", len(b), off))
			return
		}
		l := int(binary.LittleEndian.Uint16(b))
		t := binary.LittleEndian.Uint16(b[2:])
		typ := t & NLA_TYPE_MASK
		d := set.ByType(typ)
		name := set.UnknownName(typ)
		if d != nil {
			name = d.Name
		}
		x.add(off, b[0:2], depth, "nla_len = %d", l)
		tt := fmt.Sprintf("nla_type = %d %s", typ, name)
		if d == nil {
			tt += " (unknown to nlsh)"
		}
		if t&NLA_F_NESTED != 0 {
			tt += " |NLA_F_NESTED"
		}
		if t&NLA_F_NET_BYTEORDER != 0 {
			tt += " |NLA_F_NET_BYTEORDER"
		}
		x.add(off+2, b[2:4], depth, "%s", tt)
		switch {
		case l < 4:
			x.fail(off+4, b[4:], depth, fmt.Sprintf("nla_len %d at offset %d is shorter than the 4-byte attribute header", l, off))
			return
		case l > len(b):
			x.fail(off+4, b[4:], depth, fmt.Sprintf("nla_len %d runs past the end of the message at offset %d", l, off+len(b)))
			return
		}
		x.payload(off+4, b[4:l], d, name, depth, sc)
		pn := min(align4(l), len(b))
		x.pad(off+l, b[l:pn], depth)
		off, b = off+pn, b[pn:]
	}
}

func (x *explainer) payload(off int, p []byte, d *AttrDesc, name string, depth int, sc *scope) {
	if len(p) == 0 {
		if d != nil && d.Kind == Flag {
			x.add(off, nil, depth+1, "%s (flag: present, no payload)", name)
		} else if d != nil && (d.Kind == Nested || d.Kind == SubMsg) {
			x.add(off, nil, depth+1, "%s (empty nest)", name)
		} else {
			x.add(off, nil, depth+1, "%s (empty)", name)
		}
		return
	}
	if d == nil {
		x.add(off, p, depth+1, "%s = %s", name, hexBytes(p))
		return
	}
	kind := d
	if d.Kind == SubMsg {
		sel, ok := sc.lookup(d.Sub.Selector)
		f := d.Sub.Format(sel, ok)
		if f == nil {
			x.add(off, p, depth+1, "%s = %s (format unknown for %s %q)", name, hexBytes(p), d.Sub.Selector, sel)
			return
		}
		kind = f
	}
	switch kind.Kind {
	case Nested:
		x.attrs(off, p, kind.Set, depth+1, sc)
		return
	case Struct:
		if len(p) < kind.Struct.Size {
			x.add(off, p, depth+1, "%s = %s (%d bytes, struct %s needs %d)", name, hexBytes(p), len(p), kind.Struct.Name, kind.Struct.Size)
			return
		}
		x.structure(off, p, kind.Struct, depth+1, "")
		return
	case Embedded:
		x.record(off, p, kind.Record, depth+1, sc)
		return
	case Records:
		c := kind.Record
		li, _ := c.Struct.FieldIndex(c.LenField)
		lf := c.Struct.Fields[li]
		for i := 1; len(p) > 0; i++ {
			if len(p) < c.Struct.Size {
				x.fail(off, p, depth+1, fmt.Sprintf("%d bytes left, too short for a %s", len(p), c.Struct.Name))
				return
			}
			rl64, _ := decodeInt(lf.Kind, p[lf.Offset:lf.Offset+lf.Size])
			rl := int(rl64)
			if rl < c.Struct.Size || rl > len(p) {
				x.fail(off, p, depth+1, fmt.Sprintf("%s #%d: length %d does not fit the %d bytes left", c.Struct.Name, i, rl, len(p)))
				return
			}
			x.add(off, nil, depth+1, "%s #%d", c.Struct.Name, i)
			x.record(off, p[:rl], c, depth+2, sc)
			pn := min(align4(rl), len(p))
			x.pad(off+rl, p[rl:pn], depth+1)
			off, p = off+pn, p[pn:]
		}
		return
	case Array:
		n := kind.Elem.Size()
		if n == 0 || len(p)%n != 0 {
			x.add(off, p, depth+1, "%s = %s (not a whole number of %s)", name, hexBytes(p), kind.Elem)
			return
		}
		var vals []string
		for i := 0; i < len(p); i += n {
			v, _ := decodeScalar(kind.Elem, 0, p[i:i+n])
			vals = append(vals, formatValue(v, nil, ""))
		}
		x.add(off, p, depth+1, "%s = [%s]", name, strings.Join(vals, ", "))
		return
	}
	v, ok := decodeScalar(kind.Kind, 0, p)
	if !ok && kind.Kind == Asciiz && bytes.IndexByte(p, 0) < 0 {
		// iproute2 sends some strings (IFLA_INFO_KIND) without the NUL;
		// the kernel takes them as NLA_STRING.
		x.add(off, p, depth+1, "%s = %q (no NUL terminator)", name, string(p))
		return
	}
	if !ok {
		x.add(off, p, depth+1, "%s = %s (%d bytes do not fit %s)", name, hexBytes(p), len(p), kind.Kind)
		return
	}
	x.add(off, p, depth+1, "%s = %s", name, formatValue(v, kind.Enum, kind.Hint))
}

// formatValue renders a decoded scalar for people.
func formatValue(v any, en *Enum, hint string) string {
	switch x := v.(type) {
	case uint64:
		s := strconv.FormatUint(x, 10)
		if en != nil {
			if n, ok := en.Format(x); ok {
				if en.Flags {
					return fmt.Sprintf("0x%x %s", x, n)
				}
				return s + " " + n
			}
		}
		if hint == HintHex {
			return fmt.Sprintf("0x%x", x)
		}
		return s
	case int64:
		s := strconv.FormatInt(x, 10)
		if en != nil && x >= 0 {
			if n, ok := en.Format(uint64(x)); ok {
				return s + " " + n
			}
		}
		return s
	case string:
		return strconv.Quote(x)
	case []byte:
		return hexBytes(x)
	case netip.Addr:
		return x.String()
	case HWAddr:
		return x.String()
	case bool:
		return "true"
	}
	return fmt.Sprint(v)
}

func hexBytes(b []byte) string {
	if len(b) > 16 {
		return fmt.Sprintf("<%d bytes>", len(b))
	}
	var s strings.Builder
	s.WriteString("<")
	for i, c := range b {
		if i > 0 {
			s.WriteByte(' ')
		}
		fmt.Fprintf(&s, "%02x", c)
	}
	s.WriteString(">")
	return s.String()
}

// FormatExplain renders lines as a table: offset, up to 8 bytes of hex per
// row (longer runs continue on following rows), and the meaning indented by
// depth. Marked rows carry an arrow; broken input says so.
func FormatExplain(lines []Line) string {
	var b strings.Builder
	for _, l := range lines {
		hex := make([]string, 0, len(l.Bytes))
		for _, c := range l.Bytes {
			hex = append(hex, fmt.Sprintf("%02x", c))
		}
		first := hex
		if len(first) > 8 {
			first = first[:8]
		}
		text := strings.Repeat("  ", l.Depth) + l.Text
		if l.Error {
			text = strings.Repeat("  ", l.Depth) + "!! " + l.Text
		}
		if l.Mark {
			text += "   <-- here"
		}
		fmt.Fprintf(&b, "%04x  %-23s  %s\n", l.Offset, strings.Join(first, " "), text)
		for i := 8; i < len(hex); i += 8 {
			fmt.Fprintf(&b, "%04x  %-23s\n", l.Offset+i, strings.Join(hex[i:min(i+8, len(hex))], " "))
		}
	}
	return b.String()
}
