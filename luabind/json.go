package luabind

import (
	"fmt"
	"io"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
	"nlsh/luabind/show"
)

// JSON for jq: nl.json and nlsh --json write any value nlsh produces as
// JSON; nl.from_json (json_read.go) reads it back.
//
// A message becomes pyroute2's shape: "header", "event", the fixed-header
// fields by name and "attrs", a list of [name, value] pairs in wire order
// (a third element {"nla_flags": n} when the attribute carries NLA_F_*
// bits). Nests are {"attrs": [...]}, structs and records objects, binary
// and anything JSON text cannot hold {"hex": "0a0b"}, a u64 beyond 2^53 a
// decimal string, as in Lua. Descriptions say which strings are binary, so
// the walker reads them as the printer does; a decoded message nobody has
// touched is written from its bytes, never materialised into Lua tables, so
// a dump of 100,000 routes costs no more than its text.

// JSONOptions say how JSON text is laid out.
type JSONOptions struct {
	// Indent, when not empty, puts each array element and object member
	// on a line of its own, indented by Indent per level.
	Indent string
}

// maxJSONDepth bounds how many tables deep the writer descends: Lua values
// may nest without end, and Go cannot recover from a stack overflow.
const maxJSONDepth = 200

// jsonFlushSize is how much text the writer gathers before passing it on.
const jsonFlushSize = 64 << 10

// JSON returns v as one JSON document.
func (e *Env) JSON(v lua.LValue, opts JSONOptions) ([]byte, error) {
	w := e.newJSONWriter(nil, opts)
	if err := w.value(v); err != nil {
		return nil, err
	}
	return w.buf, nil
}

// WriteJSON writes v to out as one JSON document, in pieces as it goes, so
// that a large dump is never held whole as text.
func (e *Env) WriteJSON(out io.Writer, v lua.LValue, opts JSONOptions) error {
	w := e.newJSONWriter(out, opts)
	if err := w.value(v); err != nil {
		return err
	}
	w.flush(0)
	return w.werr
}

// jsonError is a value JSON cannot hold, with the path that leads to it
// from the value given ("value[2].attrs[1][2]").
type jsonError struct {
	path string
	msg  string
}

func (e *jsonError) Error() string { return e.path + ": " + e.msg }

// jsonStep is one step of the path from the value given to the one being
// written: a table key or a list index.
type jsonStep struct {
	key   string
	index int
}

type jsonWriter struct {
	e      *Env
	buf    []byte
	out    io.Writer // nil: buf gathers the whole document
	werr   error     // the first error writing to out
	indent string
	first  []bool // per open array or object: nothing in it yet
	// inline, when not 0, keeps what is being written on one line even
	// with indentation: an attribute pair whose value is a scalar.
	inline int
	path   []jsonStep
	onPath map[*lua.LTable]bool // tables being written, to find cycles
}

func (e *Env) newJSONWriter(out io.Writer, opts JSONOptions) *jsonWriter {
	w := &jsonWriter{e: e, out: out, indent: opts.Indent, onPath: map[*lua.LTable]bool{}}
	if out != nil {
		w.buf = make([]byte, 0, jsonFlushSize+jsonFlushSize/4)
	}
	return w
}

// flush passes the text gathered so far on once there is more than min.
func (w *jsonWriter) flush(min int) {
	if w.out == nil || len(w.buf) <= min {
		return
	}
	if w.werr == nil {
		_, w.werr = w.out.Write(w.buf)
	}
	w.buf = w.buf[:0]
}

// fail reports a value JSON cannot hold, at the current path.
func (w *jsonWriter) fail(format string, args ...any) error {
	var b strings.Builder
	b.WriteString("value")
	for _, s := range w.path {
		switch {
		case s.key == "":
			fmt.Fprintf(&b, "[%d]", s.index)
		case show.IsIdent(s.key):
			b.WriteByte('.')
			b.WriteString(s.key)
		default:
			fmt.Fprintf(&b, "[%q]", s.key)
		}
	}
	return &jsonError{path: b.String(), msg: fmt.Sprintf(format, args...)}
}

func (w *jsonWriter) pushKey(k string) { w.path = append(w.path, jsonStep{key: k}) }
func (w *jsonWriter) pushIndex(i int)  { w.path = append(w.path, jsonStep{index: i}) }
func (w *jsonWriter) pop()             { w.path = w.path[:len(w.path)-1] }

// Layout. begin and end open and close an array or object; sep goes before
// each element or member: the comma, and with indentation the new line.

func (w *jsonWriter) begin(c byte) {
	w.buf = append(w.buf, c)
	w.first = append(w.first, true)
}

func (w *jsonWriter) end(c byte) {
	empty := w.first[len(w.first)-1]
	w.first = w.first[:len(w.first)-1]
	if w.indent != "" && w.inline == 0 && !empty {
		w.newline()
	}
	w.buf = append(w.buf, c)
}

func (w *jsonWriter) sep() {
	top := &w.first[len(w.first)-1]
	first := *top
	*top = false
	if !first {
		w.buf = append(w.buf, ',')
	}
	switch {
	case w.indent == "":
	case w.inline > 0:
		if !first {
			w.buf = append(w.buf, ' ')
		}
	default:
		w.newline()
	}
}

func (w *jsonWriter) newline() {
	w.buf = append(w.buf, '\n')
	for range w.first {
		w.buf = append(w.buf, w.indent...)
	}
}

// key starts an object member.
func (w *jsonWriter) key(k string) {
	w.sep()
	w.str(k)
	w.buf = append(w.buf, ':')
	if w.indent != "" {
		w.buf = append(w.buf, ' ')
	}
}

// str writes a JSON string; s must be valid UTF-8.
func (w *jsonWriter) str(s string) {
	w.buf = append(w.buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		w.buf = append(w.buf, s[start:i]...)
		switch c {
		case '"', '\\':
			w.buf = append(w.buf, '\\', c)
		case '\n':
			w.buf = append(w.buf, '\\', 'n')
		case '\r':
			w.buf = append(w.buf, '\\', 'r')
		case '\t':
			w.buf = append(w.buf, '\\', 't')
		default:
			w.buf = append(w.buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	w.buf = append(w.buf, s[start:]...)
	w.buf = append(w.buf, '"')
}

const hexDigits = "0123456789abcdef"

// hexBytes writes bytes as {"hex": "0a0b"}.
func (w *jsonWriter) hexBytes(b string) {
	w.begin('{')
	w.key("hex")
	w.buf = append(w.buf, '"')
	for i := 0; i < len(b); i++ {
		w.buf = append(w.buf, hexDigits[b[i]>>4], hexDigits[b[i]&0xf])
	}
	w.buf = append(w.buf, '"')
	w.end('}')
}

// text writes a string: as a JSON string when it is UTF-8, else as the
// bytes it stands for on the wire (a NUL-terminated string with its NUL,
// a fixed-size one padded to its size), which read back as an nl.raw value
// encode to the same payload.
func (w *jsonWriter) text(s string, k engine.Kind, size int) {
	switch {
	case k == engine.Binary || k == engine.Pad:
		w.hexBytes(s)
	case utf8.ValidString(s):
		w.str(s)
	case k == engine.Asciiz && size == 0:
		w.hexBytes(s + "\x00")
	case k == engine.Asciiz && size > len(s):
		w.hexBytes(s + strings.Repeat("\x00", size-len(s)))
	default:
		w.hexBytes(s)
	}
}

// number writes a Lua number: integers in full, NaN and infinities refused
// (JSON has no form for them, and null would lose that there was a value).
func (w *jsonWriter) number(f float64) error {
	switch {
	case math.IsNaN(f):
		return w.fail("NaN has no JSON form")
	case math.IsInf(f, 1):
		return w.fail("inf has no JSON form")
	case math.IsInf(f, -1):
		return w.fail("-inf has no JSON form")
	}
	if a := math.Abs(f); a == math.Trunc(a) && a < 1e21 {
		w.buf = strconv.AppendFloat(w.buf, f, 'f', 0, 64) // every digit of an integer
	} else if a >= 1e-6 && a < 1e21 {
		w.buf = strconv.AppendFloat(w.buf, f, 'f', -1, 64)
	} else {
		w.buf = strconv.AppendFloat(w.buf, f, 'e', -1, 64)
	}
	return nil
}

// uint writes an unsigned integer as Lua holds it: a number up to 2^53, a
// decimal string beyond.
func (w *jsonWriter) uint(n uint64) {
	if n > maxExact {
		w.buf = append(w.buf, '"')
		w.buf = strconv.AppendUint(w.buf, n, 10)
		w.buf = append(w.buf, '"')
		return
	}
	w.buf = strconv.AppendUint(w.buf, n, 10)
}

func (w *jsonWriter) int(n int64) {
	if n > maxExact || n < -maxExact {
		w.buf = append(w.buf, '"')
		w.buf = strconv.AppendInt(w.buf, n, 10)
		w.buf = append(w.buf, '"')
		return
	}
	w.buf = strconv.AppendInt(w.buf, n, 10)
}

// intOfKind writes the result of engine.ParseInt for kind k: signed kinds
// come back as two's complement.
func (w *jsonWriter) intOfKind(k engine.Kind, n uint64) {
	if !k.IsSigned() {
		w.uint(n)
		return
	}
	switch k.Size() {
	case 1:
		w.int(int64(int8(n)))
	case 2:
		w.int(int64(int16(n)))
	case 4:
		w.int(int64(int32(n)))
	default:
		w.int(int64(n))
	}
}

func (w *jsonWriter) boolean(b bool) {
	if b {
		w.buf = append(w.buf, "true"...)
	} else {
		w.buf = append(w.buf, "false"...)
	}
}

// Lua values.

// value writes any Lua value.
func (w *jsonWriter) value(v lua.LValue) error {
	switch x := v.(type) {
	case *lua.LNilType:
		w.buf = append(w.buf, "null"...)
	case lua.LBool:
		w.boolean(bool(x))
	case lua.LNumber:
		return w.number(float64(x))
	case lua.LString:
		w.text(string(x), engine.String, 0)
	case *lua.LTable:
		return w.table(x, nil)
	default:
		return w.fail("%s has no JSON form", luaarg.TypeName(v))
	}
	return nil
}

// enter puts t on the path of tables being written, refusing cycles and
// values nested too deeply; leave takes it off.
func (w *jsonWriter) enter(t *lua.LTable) error {
	if w.onPath[t] {
		return w.fail("a cycle: this table contains itself")
	}
	if len(w.onPath) >= maxJSONDepth {
		return w.fail("nested more than %d tables deep", maxJSONDepth)
	}
	w.onPath[t] = true
	return nil
}

func (w *jsonWriter) leave(t *lua.LTable) { delete(w.onPath, t) }

// table writes a table: an nl.raw value as hex, a message, an error value
// (its fields), any other table as an array when it is a list and as an
// object otherwise. d, when known, describes the attribute the table is
// the value of (a nest, struct, record list or array).
func (w *jsonWriter) table(t *lua.LTable, d *attrCtx) error {
	if t.Metatable == w.e.rawMeta {
		w.hexBytes(lua.LVAsString(t.RawGetString("bytes")))
		return nil
	}
	if err := w.enter(t); err != nil {
		return err
	}
	defer w.leave(t)
	if w.e.isMessage(t) {
		return w.message(t)
	}
	if d != nil {
		if done, err := w.described(t, d); done || err != nil {
			return err
		}
	}
	if t.Metatable == w.e.errMeta {
		return w.object(t, nil, errorBinaryKeys)
	}
	if n, ok := listLen(t); ok {
		w.begin('[')
		for i := 1; i <= n; i++ {
			w.sep()
			w.pushIndex(i)
			if err := w.value(t.RawGetInt(i)); err != nil {
				return err
			}
			w.pop()
		}
		w.end(']')
		w.flush(jsonFlushSize)
		return nil
	}
	return w.object(t, nil, nil)
}

// errorBinaryKeys are the keys of an error value that hold bytes.
var errorBinaryKeys = map[string]bool{"request_bytes": true}

// listLen reports whether t is a list, keys 1..n and nothing else, and n.
// A table with holes is not: gopher-lua keeps t[1000] = x in its array
// part, which as a list would be 999 nulls. The empty table is the empty
// list: results are lists far more often than objects.
func listLen(t *lua.LTable) (int, bool) {
	n := t.Len()
	var after lua.LValue = lua.LNil
	if n > 0 {
		after = lua.LNumber(n)
	}
	if k, _ := t.Next(after); k != lua.LNil {
		return n, false
	}
	for i := 1; i < n; i++ {
		if t.RawGetInt(i) == lua.LNil {
			return n, false
		}
	}
	return n, true
}

// object writes t's entries as an object with sorted keys: numbers first
// (as their text), then strings. skip lists keys written already; binary
// lists keys whose string values are bytes.
func (w *jsonWriter) object(t *lua.LTable, skip, binary map[string]bool) error {
	keys, _ := show.TableKeys(t)
	w.begin('{')
	for _, k := range keys {
		var ks string
		switch x := k.(type) {
		case lua.LString:
			ks = string(x)
		case lua.LNumber:
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return w.fail("a table key %s has no JSON form", x.String())
			}
			ks = show.Number(x)
		default:
			return w.fail("a table key that is %s cannot be a JSON object key", luaarg.TypeName(k))
		}
		if skip[ks] {
			continue
		}
		v := t.RawGet(k)
		w.key(ks)
		w.pushKey(ks)
		var err error
		switch s, isStr := v.(lua.LString); {
		case isStr && (binary[ks] || ks == "_tail"):
			w.hexBytes(string(s))
		case ks == "attrs":
			err = w.attrsOrValue(v, nil, nil)
		default:
			err = w.value(v)
		}
		if err != nil {
			return err
		}
		w.pop()
	}
	w.end('}')
	return nil
}

// Messages.

// message writes a message table. A decoded message nobody touched is
// written from its bytes; one whose fields were read takes them from the
// table (a script may have changed them) and its attributes, if still
// untouched, from the bytes.
func (w *jsonWriter) message(t *lua.LTable) error {
	if lm := w.e.lazyOf(t); lm != nil && !lm.attrs {
		r := lm.record(w.e)
		if !lm.fields {
			return w.record(lm, r)
		}
		return w.luaMessage(t, r)
	}
	return w.luaMessage(t, nil)
}

// jsonMessageKeys are the keys of a message table written before its other
// keys, or never (event: it follows from the header).
var jsonMessageKeys = map[string]bool{"header": true, "event": true, "attrs": true, "payload": true}

// luaMessage writes a message table; r, when not nil, holds its attributes
// (and trailing bytes), still undecoded in the table.
func (w *jsonWriter) luaMessage(t *lua.LTable, r *engine.Record) error {
	e := w.e
	c, p, mt := e.classOf(t), e.protoOf(t), e.typeOf(t)
	w.begin('{')
	if ht, ok := t.RawGetString("header").(*lua.LTable); ok {
		w.key("header")
		w.pushKey("header")
		if h, err := e.headerFrom(ht, c); err == nil {
			w.header(h)
			// The type may be a name ('RTM_NEWLINK'), which typeOf
			// does not read.
			var body []byte
			if n, ok := t.RawGetString("cmd").(lua.LNumber); ok && n >= 0 && n <= 0xff {
				body = []byte{byte(n), 0, 0, 0}
			}
			mt = p.Resolve(h, body, engine.DirAuto)
		} else if err := w.value(ht); err != nil {
			return err
		}
		w.pop()
	}
	w.messageIdentity(p, mt, c)
	skip := map[string]bool{}
	for k := range jsonMessageKeys {
		skip[k] = true
	}
	var sel *selScope
	if c != nil && c.Struct != nil {
		sel = &selScope{fields: show.FieldSelectors(t, c)}
		if err := w.luaFields(t, c.Struct, skip); err != nil {
			return err
		}
	}
	if pl, ok := t.RawGetString("payload").(lua.LString); ok {
		w.key("payload")
		w.hexBytes(string(pl))
	} else if v := t.RawGetString("payload"); v != lua.LNil {
		w.key("payload")
		w.pushKey("payload")
		if err := w.value(v); err != nil {
			return err
		}
		w.pop()
	}
	var set *engine.AttrSet
	if c != nil {
		set = c.Attrs
	}
	w.key("attrs")
	w.pushKey("attrs")
	if r != nil {
		w.attrs(set, r.Attrs)
	} else if err := w.attrsOrValue(t.RawGetString("attrs"), set, sel); err != nil {
		return err
	}
	w.pop()
	if r != nil && r.Tail != nil && c != nil {
		skip["_tail"] = true
		w.key("_tail")
		w.hexBytes(string(r.Tail))
	}
	if err := w.rest(t, skip); err != nil {
		return err
	}
	w.end('}')
	w.flush(jsonFlushSize)
	return nil
}

// rest writes the entries of t that skip does not list, sorted: a script's
// own keys, decoded trailing bytes (_tail).
func (w *jsonWriter) rest(t *lua.LTable, skip map[string]bool) error {
	keys, _ := show.TableKeys(t)
	for _, k := range keys {
		ks, ok := k.(lua.LString)
		if !ok {
			if n, isNum := k.(lua.LNumber); isNum {
				ks = lua.LString(show.Number(n))
			} else {
				return w.fail("a table key that is %s cannot be a JSON object key", luaarg.TypeName(k))
			}
		}
		if skip[string(ks)] {
			continue
		}
		w.key(string(ks))
		w.pushKey(string(ks))
		v := t.RawGet(k)
		if s, isStr := v.(lua.LString); isStr && ks == "_tail" {
			w.hexBytes(string(s))
		} else if err := w.value(v); err != nil {
			return err
		}
		w.pop()
	}
	return nil
}

// header writes a netlink header.
func (w *jsonWriter) header(h engine.Header) {
	w.begin('{')
	w.key("length")
	w.uint(uint64(h.Length))
	w.key("type")
	w.uint(uint64(h.Type))
	w.key("flags")
	w.uint(uint64(h.Flags))
	w.key("sequence_number")
	w.uint(uint64(h.Seq))
	w.key("pid")
	w.uint(uint64(h.PID))
	w.end('}')
}

// messageIdentity writes what a message is beside its header: its protocol
// when it is not rtnetlink, its generic netlink family (genl_family: the
// fixed headers of rtnetlink have fields named family), its event (the
// message type's name), and its class when the header does not tell it (a
// message built before its type was set).
func (w *jsonWriter) messageIdentity(p *engine.Protocol, mt *engine.MsgType, c *engine.Class) {
	if p != nil && p != w.e.route {
		w.key("protocol")
		w.str(p.Name)
	}
	if mt != nil && mt.Family != "" {
		w.key("genl_family")
		w.str(mt.Family)
	}
	if mt != nil {
		w.key("event")
		w.str(mt.Name)
	}
	if c != nil && (mt == nil || mt.Class != c) {
		w.key("class")
		w.str(c.Name)
	}
}

// record writes a decoded message from its bytes.
func (w *jsonWriter) record(lm *lazyMsg, r *engine.Record) error {
	w.begin('{')
	msg, proto, class := lm.message(), lm.protocol(), lm.class()
	w.key("header")
	w.header(msg.Header)
	mt := msg.Type(proto)
	w.messageIdentity(proto, mt, class)
	if r.Fields != nil {
		w.structFields(r.Fields)
	}
	if r.Payload != nil {
		w.key("payload")
		w.hexBytes(string(r.Payload))
	}
	if r.Tail != nil && class == nil {
		w.key("payload")
		w.hexBytes(string(r.Tail))
	}
	var set *engine.AttrSet
	if class != nil {
		set = class.Attrs
	}
	w.key("attrs")
	w.attrs(set, r.Attrs)
	if r.Tail != nil && class != nil {
		w.key("_tail")
		w.hexBytes(string(r.Tail))
	}
	w.end('}')
	w.flush(jsonFlushSize)
	return nil
}

// Decoded values, straight from the engine.

// attrs writes decoded attributes as [name, value] pairs.
func (w *jsonWriter) attrs(set *engine.AttrSet, attrs []engine.Attr) {
	w.begin('[')
	for i := range attrs {
		a := &attrs[i]
		w.sep()
		short := isShortDecoded(a.Value)
		if short {
			w.inline++
		}
		w.begin('[')
		w.sep()
		if a.Desc != nil {
			w.str(a.Desc.Name)
		} else {
			w.str(set.UnknownName(a.Type))
		}
		w.sep()
		w.decoded(a.Value, a.Desc)
		if a.Flags != 0 || a.Desc.AddsNestFlag() {
			w.nlaFlags(uint64(a.Flags))
		}
		w.end(']')
		if short {
			w.inline--
		}
	}
	w.end(']')
}

// isShortDecoded reports whether a decoded value is written on one line.
func isShortDecoded(v any) bool {
	switch v.(type) {
	case *engine.NestValue, *engine.StructValue, []any, []*engine.Record, *engine.Record:
		return false
	}
	return true
}

// nlaFlags writes the third element of a pair: {"nla_flags": n}.
func (w *jsonWriter) nlaFlags(n uint64) {
	w.sep()
	w.begin('{')
	w.key("nla_flags")
	w.uint(n)
	w.end('}')
}

// decoded writes a value the engine decoded for an attribute described by
// d (nil when unknown).
func (w *jsonWriter) decoded(v any, d *engine.AttrDesc) {
	switch x := v.(type) {
	case nil:
		w.buf = append(w.buf, "null"...)
	case uint64:
		w.uint(x)
	case int64:
		w.int(x)
	case bool:
		w.boolean(x)
	case string:
		w.text(x, textKind(d), 0)
	case []byte:
		// Binary, or a payload that did not match its description: either
		// way bytes, which read back as nl.raw re-encode verbatim.
		w.hexBytes(string(x))
	case netip.Addr:
		w.buf = append(w.buf, '"')
		w.buf = x.AppendTo(w.buf)
		w.buf = append(w.buf, '"')
	case engine.HWAddr:
		w.hwaddr(x)
	case *engine.NestValue:
		w.begin('{')
		w.key("attrs")
		w.attrs(x.Set, x.Attrs)
		w.end('}')
	case *engine.StructValue:
		w.begin('{')
		w.structFields(x)
		w.end('}')
	case []any:
		w.begin('[')
		for _, el := range x {
			w.sep()
			w.decoded(el, nil)
		}
		w.end(']')
	case []*engine.Record:
		w.begin('[')
		for _, r := range x {
			w.sep()
			w.decodedRecord(r)
		}
		w.end(']')
	case *engine.Record:
		w.decodedRecord(x)
	default:
		// Every type the decoder makes is above; should another appear,
		// its text is better than nothing.
		w.str(fmt.Sprint(x))
	}
}

func (w *jsonWriter) hwaddr(h engine.HWAddr) {
	w.buf = append(w.buf, '"')
	for i, c := range h {
		if i > 0 {
			w.buf = append(w.buf, ':')
		}
		w.buf = append(w.buf, hexDigits[c>>4], hexDigits[c&0xf])
	}
	w.buf = append(w.buf, '"')
}

// textKind is the text kind an attribute's string value was decoded as:
// String or Asciiz (for a sub-message, Asciiz if any of its formats is).
func textKind(d *engine.AttrDesc) engine.Kind {
	if d == nil {
		return engine.String
	}
	if d.Kind == engine.SubMsg {
		for _, f := range d.Sub.Formats {
			if f.Kind == engine.Asciiz {
				return engine.Asciiz
			}
		}
		if d.Sub.Default != nil && d.Sub.Default.Kind == engine.Asciiz {
			return engine.Asciiz
		}
		return engine.String
	}
	return d.Kind
}

// structFields writes a decoded struct's fields as members of the object
// being written.
func (w *jsonWriter) structFields(s *engine.StructValue) {
	for i, f := range s.Desc.Fields {
		if f.Kind == engine.Pad || i >= len(s.Values) {
			continue
		}
		w.key(f.Name)
		switch x := s.Values[i].(type) {
		case string:
			w.text(x, f.Kind, f.Size)
		case []byte:
			w.hexBytes(string(x))
		default:
			w.decoded(x, nil)
		}
	}
	if s.Desc.Flex != nil {
		w.key(s.Desc.FlexName)
		w.begin('[')
		for _, fl := range s.Flex {
			w.sep()
			w.begin('{')
			w.structFields(fl)
			w.end('}')
		}
		w.end(']')
	}
	if s.Tail != nil {
		w.key("_tail")
		w.hexBytes(string(s.Tail))
	}
}

// decodedRecord writes a record (an rtnexthop, a VETH_INFO_PEER): its
// struct's fields and its attributes.
func (w *jsonWriter) decodedRecord(r *engine.Record) {
	w.begin('{')
	if r.Fields != nil {
		w.structFields(r.Fields)
	}
	var set *engine.AttrSet
	if r.Class != nil {
		set = r.Class.Attrs
	}
	w.key("attrs")
	w.attrs(set, r.Attrs)
	if r.Tail != nil {
		w.key("_tail")
		w.hexBytes(string(r.Tail))
	}
	w.end('}')
}

// Message tables, read by their descriptions.

// attrCtx is what is known of the attribute a value belongs to: its
// description and where its sub-messages find their selectors.
type attrCtx struct {
	desc *engine.AttrDesc
	sel  *selScope
}

// selScope finds the value of a sub-message's selector, as the decoder
// does: among the attributes of the list being written, then of the lists
// around it, then among the message's fields.
type selScope struct {
	list   *lua.LTable
	set    *engine.AttrSet
	fields map[string]string // the message's fields, at the outermost scope
	parent *selScope
}

func (s *selScope) lookup(name string) (string, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		if sc.list == nil {
			continue
		}
		for i := 1; i <= sc.list.Len(); i++ {
			pr, ok := sc.list.RawGetInt(i).(*lua.LTable)
			if !ok || lua.LVAsString(pr.RawGetInt(1)) != name {
				continue
			}
			switch v := pr.RawGetInt(2).(type) {
			case lua.LString:
				return string(v), true
			case lua.LNumber:
				if d, ok := sc.set.ByName(name); ok && d.Enum != nil {
					if en, ok := d.Enum.NameOf(uint64(v)); ok {
						return en, true
					}
				}
				return show.Number(v), true
			}
		}
	}
	for sc := s; sc != nil; sc = sc.parent {
		if v, ok := sc.fields[name]; ok {
			return v, true
		}
	}
	return "", false
}

// luaFields writes a struct's fields from table t, in the description's
// order, and adds their names to written.
func (w *jsonWriter) luaFields(t *lua.LTable, s *engine.StructDesc, written map[string]bool) error {
	for _, f := range s.Fields {
		if f.Kind == engine.Pad {
			continue
		}
		written[f.Name] = true
		v := t.RawGetString(f.Name)
		if v == lua.LNil {
			continue
		}
		w.key(f.Name)
		w.pushKey(f.Name)
		var err error
		if ft, ok := v.(*lua.LTable); ok && f.Kind == engine.Struct && ft.Metatable != w.e.rawMeta {
			err = w.luaStruct(ft, f.Struct)
		} else {
			err = w.scalar(v, f.Kind, f.Enum, f.Size)
		}
		if err != nil {
			return err
		}
		w.pop()
	}
	if s.Flex != nil {
		written[s.FlexName] = true
		if l, ok := t.RawGetString(s.FlexName).(*lua.LTable); ok {
			w.key(s.FlexName)
			w.pushKey(s.FlexName)
			if err := w.enter(l); err != nil {
				return err
			}
			w.begin('[')
			for i := 1; i <= l.Len(); i++ {
				w.sep()
				w.pushIndex(i)
				var err error
				if el, ok := l.RawGetInt(i).(*lua.LTable); ok {
					err = w.luaStruct(el, s.Flex)
				} else {
					err = w.value(l.RawGetInt(i))
				}
				if err != nil {
					return err
				}
				w.pop()
			}
			w.end(']')
			w.leave(l)
			w.pop()
		}
	}
	return nil
}

// luaStruct writes a struct table: its fields, then any other keys.
func (w *jsonWriter) luaStruct(t *lua.LTable, s *engine.StructDesc) error {
	if err := w.enter(t); err != nil {
		return err
	}
	defer w.leave(t)
	w.begin('{')
	written := map[string]bool{}
	if err := w.luaFields(t, s, written); err != nil {
		return err
	}
	if err := w.rest(t, written); err != nil {
		return err
	}
	w.end('}')
	return nil
}

// scalar writes a field's or attribute's value of kind k: names and
// numeric strings of integers as the numbers they stand for, strings by
// what the kind says they are.
func (w *jsonWriter) scalar(v lua.LValue, k engine.Kind, en *engine.Enum, size int) error {
	switch x := v.(type) {
	case lua.LString:
		if k.IsInt() {
			if n, err := engine.ParseInt(k, en, string(x)); err == nil {
				w.intOfKind(k, n)
				return nil
			}
		}
		w.text(string(x), k, size)
		return nil
	case *lua.LTable:
		return w.table(x, nil)
	}
	return w.value(v)
}

// attrsOrValue writes a list of attribute pairs of set, or v as it is when
// it is not a list.
func (w *jsonWriter) attrsOrValue(v lua.LValue, set *engine.AttrSet, parent *selScope) error {
	list, ok := v.(*lua.LTable)
	if !ok || list.Metatable == w.e.rawMeta || w.e.isMessage(list) {
		return w.value(v)
	}
	if _, isList := listLen(list); !isList {
		return w.value(v)
	}
	if err := w.enter(list); err != nil {
		return err
	}
	defer w.leave(list)
	return w.attrList(list, set, parent)
}

// attrList writes a list of attribute pairs of set; the caller has put
// the list on the path.
func (w *jsonWriter) attrList(list *lua.LTable, set *engine.AttrSet, parent *selScope) error {
	sc := &selScope{list: list, set: set, parent: parent}
	w.begin('[')
	for i := 1; i <= list.Len(); i++ {
		w.sep()
		w.pushIndex(i)
		if err := w.pair(list.RawGetInt(i), set, sc); err != nil {
			return err
		}
		w.pop()
	}
	w.end(']')
	return nil
}

// pair writes one attribute pair: [name, value] and, when the pair carries
// nla_flags (or other keys), a third element holding them. Anything that
// is not a pair is written as it is.
func (w *jsonWriter) pair(v lua.LValue, set *engine.AttrSet, sc *selScope) error {
	pr, ok := v.(*lua.LTable)
	if !ok || !plainTable(pr) {
		return w.value(v)
	}
	n := pr.Len()
	if n < 1 || n > 2 {
		return w.value(v)
	}
	name := pr.RawGetInt(1)
	var d *engine.AttrDesc
	switch x := name.(type) {
	case lua.LString:
		d, _ = set.ByName(string(x))
	case lua.LNumber:
		d, _ = set.ByName(show.Number(x))
	default:
		return w.value(v)
	}
	if err := w.enter(pr); err != nil {
		return err
	}
	defer w.leave(pr)
	if val, ok := pr.RawGetInt(2).(*lua.LTable); !ok || val.Metatable == w.e.rawMeta {
		w.inline++
		defer func() { w.inline-- }()
	}
	w.begin('[')
	w.sep()
	if err := w.value(name); err != nil {
		return err
	}
	w.sep()
	w.pushIndex(2)
	if set == nil {
		// Pairs out of their message (m.attrs on its own): nothing says
		// what the values are.
		if err := w.value(pr.RawGetInt(2)); err != nil {
			return err
		}
	} else if err := w.attrValue(pr.RawGetInt(2), &attrCtx{desc: d, sel: sc}); err != nil {
		return err
	}
	w.pop()
	if k, _ := pr.Next(lua.LNumber(n)); k != lua.LNil {
		w.sep()
		if err := w.object(pr, map[string]bool{"1": true, "2": true}, nil); err != nil {
			return err
		}
	}
	w.end(']')
	return nil
}

// attrValue writes an attribute's value as its description reads it.
func (w *jsonWriter) attrValue(v lua.LValue, ac *attrCtx) error {
	d := ac.desc
	if d != nil && d.Kind == engine.SubMsg {
		d = d.Sub.Format(ac.sel.lookup(d.Sub.Selector))
		ac = &attrCtx{desc: d, sel: ac.sel}
	}
	if d == nil {
		// An unknown attribute (or an unknown sub-message format): its
		// value is bytes.
		if s, ok := v.(lua.LString); ok {
			w.hexBytes(string(s))
			return nil
		}
		return w.value(v)
	}
	if t, ok := v.(*lua.LTable); ok {
		return w.table(t, ac)
	}
	return w.scalar(v, d.Kind, d.Enum, 0)
}

// described writes a table holding the value of attribute d: a nest, a
// struct, records or an array. done is false when d says the value is
// something else, for the caller to write as it is.
func (w *jsonWriter) described(t *lua.LTable, ac *attrCtx) (done bool, err error) {
	d := ac.desc
	switch d.Kind {
	case engine.Nested:
		w.begin('{')
		w.key("attrs")
		w.pushKey("attrs")
		if a := t.RawGetString("attrs"); a != lua.LNil {
			err = w.attrsOrValue(a, d.Set, ac.sel)
		} else if _, isList := listLen(t); isList {
			err = w.attrList(t, d.Set, ac.sel) // a script's nest: the list of pairs itself
		} else {
			err = w.object(t, nil, nil)
		}
		if err != nil {
			return true, err
		}
		w.pop()
		w.end('}')
		return true, nil
	case engine.Struct:
		w.begin('{')
		written := map[string]bool{}
		if err := w.luaFields(t, d.Struct, written); err != nil {
			return true, err
		}
		if err := w.rest(t, written); err != nil {
			return true, err
		}
		w.end('}')
		return true, nil
	case engine.Embedded:
		return true, w.luaRecord(t, d.Record, ac.sel)
	case engine.Records:
		n, ok := listLen(t)
		if !ok {
			return false, nil
		}
		w.begin('[')
		for i := 1; i <= n; i++ {
			w.sep()
			w.pushIndex(i)
			var err error
			if r, ok := t.RawGetInt(i).(*lua.LTable); ok && r.Metatable != w.e.rawMeta {
				if err = w.enter(r); err == nil {
					err = w.luaRecord(r, d.Record, ac.sel)
					w.leave(r)
				}
			} else {
				err = w.value(t.RawGetInt(i))
			}
			if err != nil {
				return true, err
			}
			w.pop()
		}
		w.end(']')
		return true, nil
	case engine.Array:
		n, ok := listLen(t)
		if !ok {
			return false, nil
		}
		w.begin('[')
		for i := 1; i <= n; i++ {
			w.sep()
			w.pushIndex(i)
			if err := w.scalar(t.RawGetInt(i), d.Elem, nil, 0); err != nil {
				return true, err
			}
			w.pop()
		}
		w.end(']')
		return true, nil
	}
	return false, nil
}

// luaRecord writes a record table of class c: its struct's fields, its
// attributes, then any other keys.
func (w *jsonWriter) luaRecord(t *lua.LTable, c *engine.Class, parent *selScope) error {
	w.begin('{')
	written := map[string]bool{"attrs": true}
	if c.Struct != nil {
		if err := w.luaFields(t, c.Struct, written); err != nil {
			return err
		}
	}
	if a := t.RawGetString("attrs"); a != lua.LNil {
		w.key("attrs")
		w.pushKey("attrs")
		if err := w.attrsOrValue(a, c.Attrs, parent); err != nil {
			return err
		}
		w.pop()
	}
	if err := w.rest(t, written); err != nil {
		return err
	}
	w.end('}')
	return nil
}

// luaJSON is nl.json(value [, options]).
func (e *Env) luaJSON(L *lua.LState) int {
	opts := JSONOptions{}
	if o, ok := L.Get(2).(*lua.LTable); ok {
		o.ForEach(func(k, v lua.LValue) {
			if k.String() != "indent" {
				L.ArgError(2, fmt.Sprintf("unknown option '%s' (options: indent)", k.String()))
			}
			switch x := v.(type) {
			case lua.LBool:
				if x {
					opts.Indent = "  "
				}
			case lua.LNumber:
				if x < 0 || x > 16 || x != lua.LNumber(int(x)) {
					L.ArgError(2, "indent takes true, a number of spaces (0 to 16) or a string of spaces and tabs")
				}
				opts.Indent = strings.Repeat(" ", int(x))
			case lua.LString:
				if strings.Trim(string(x), " \t") != "" {
					L.ArgError(2, "indent takes true, a number of spaces (0 to 16) or a string of spaces and tabs")
				}
				opts.Indent = string(x)
			case *lua.LNilType:
			default:
				L.ArgError(2, "indent takes true, a number of spaces (0 to 16) or a string of spaces and tabs")
			}
		})
	} else if L.Get(2) != lua.LNil {
		L.ArgError(2, "options table expected")
	}
	b, err := e.JSON(L.Get(1), opts)
	if err != nil {
		L.RaiseError("nl.json: %s", err.Error())
	}
	L.Push(lua.LString(b))
	return 1
}

// luaFromJSON is nl.from_json(text): one value per JSON document.
func (e *Env) luaFromJSON(L *lua.LState) int {
	vals, err := e.FromJSON(L.CheckString(1))
	if err != nil {
		L.RaiseError("nl.from_json: %s", err.Error())
	}
	for _, v := range vals {
		L.Push(v)
	}
	return len(vals)
}
