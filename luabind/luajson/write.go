package luajson

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
	"nlsh/luabind/show"
)

// JSON for jq: nl.json and nlsh --json write any value nlsh produces as
// JSON; nl.from_json (read.go) reads it back.
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

// maxJSONDepth bounds how many tables deep the writer descends: Lua values
// may nest without end, and Go cannot recover from a stack overflow.
const maxJSONDepth = 200

// jsonFlushSize is how much text the writer gathers before passing it on.
const jsonFlushSize = 64 << 10

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

type writer struct {
	*Codec
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

func (c *Codec) newWriter(out io.Writer, opts Options) *writer {
	w := &writer{Codec: c, out: out, indent: opts.Indent, onPath: map[*lua.LTable]bool{}}
	if out != nil {
		w.buf = make([]byte, 0, jsonFlushSize+jsonFlushSize/4)
	}
	return w
}

// flush passes the text gathered so far on once there is more than min.
func (w *writer) flush(min int) {
	if w.out == nil || len(w.buf) <= min {
		return
	}
	if w.werr == nil {
		_, w.werr = w.out.Write(w.buf)
	}
	w.buf = w.buf[:0]
}

// fail reports a value JSON cannot hold, at the current path.
func (w *writer) fail(format string, args ...any) error {
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

func (w *writer) pushKey(k string) { w.path = append(w.path, jsonStep{key: k}) }
func (w *writer) pushIndex(i int)  { w.path = append(w.path, jsonStep{index: i}) }
func (w *writer) pop()             { w.path = w.path[:len(w.path)-1] }

// Layout. begin and end open and close an array or object; sep goes before
// each element or member: the comma, and with indentation the new line.

func (w *writer) begin(c byte) {
	w.buf = append(w.buf, c)
	w.first = append(w.first, true)
}

func (w *writer) end(c byte) {
	empty := w.first[len(w.first)-1]
	w.first = w.first[:len(w.first)-1]
	if w.indent != "" && w.inline == 0 && !empty {
		w.newline()
	}
	w.buf = append(w.buf, c)
}

func (w *writer) sep() {
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

func (w *writer) newline() {
	w.buf = append(w.buf, '\n')
	for range w.first {
		w.buf = append(w.buf, w.indent...)
	}
}

// key starts an object member.
func (w *writer) key(k string) {
	w.sep()
	w.str(k)
	w.buf = append(w.buf, ':')
	if w.indent != "" {
		w.buf = append(w.buf, ' ')
	}
}

// str writes a JSON string; s must be valid UTF-8.
func (w *writer) str(s string) {
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
func (w *writer) hexBytes(b string) {
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
func (w *writer) text(s string, k engine.Kind, size int) {
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
func (w *writer) number(f float64) error {
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
func (w *writer) uint(n uint64) {
	if n > luaarg.MaxExact {
		w.buf = append(w.buf, '"')
		w.buf = strconv.AppendUint(w.buf, n, 10)
		w.buf = append(w.buf, '"')
		return
	}
	w.buf = strconv.AppendUint(w.buf, n, 10)
}

func (w *writer) int(n int64) {
	if n > luaarg.MaxExact || n < -luaarg.MaxExact {
		w.buf = append(w.buf, '"')
		w.buf = strconv.AppendInt(w.buf, n, 10)
		w.buf = append(w.buf, '"')
		return
	}
	w.buf = strconv.AppendInt(w.buf, n, 10)
}

// intOfKind writes the result of engine.ParseInt for kind k: signed kinds
// come back as two's complement.
func (w *writer) intOfKind(k engine.Kind, n uint64) {
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

func (w *writer) boolean(b bool) {
	if b {
		w.buf = append(w.buf, "true"...)
	} else {
		w.buf = append(w.buf, "false"...)
	}
}

// Lua values.

// value writes any Lua value.
func (w *writer) value(v lua.LValue) error {
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
func (w *writer) enter(t *lua.LTable) error {
	if w.onPath[t] {
		return w.fail("a cycle: this table contains itself")
	}
	if len(w.onPath) >= maxJSONDepth {
		return w.fail("nested more than %d tables deep", maxJSONDepth)
	}
	w.onPath[t] = true
	return nil
}

func (w *writer) leave(t *lua.LTable) { delete(w.onPath, t) }

// table writes a table: an nl.raw value as hex, a message, an error value
// (its fields), any other table as an array when it is a list and as an
// object otherwise. d, when known, describes the attribute the table is
// the value of (a nest, struct, record list or array).
func (w *writer) table(t *lua.LTable, d *attrCtx) error {
	if b, ok := w.h.Raw(t); ok {
		w.hexBytes(b)
		return nil
	}
	if err := w.enter(t); err != nil {
		return err
	}
	defer w.leave(t)
	if w.h.IsMessage(t) {
		return w.message(t)
	}
	if d != nil {
		if done, err := w.described(t, d); done || err != nil {
			return err
		}
	}
	if w.h.IsError(t) {
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
func (w *writer) object(t *lua.LTable, skip, binary map[string]bool) error {
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
