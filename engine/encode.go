package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// EncodeError reports a value that does not fit its description, with the
// path of fields and attributes leading to it.
type EncodeError struct {
	Path []string
	Msg  string
}

func (e *EncodeError) Error() string {
	if len(e.Path) == 0 {
		return e.Msg
	}
	return strings.Join(e.Path, " > ") + ": " + e.Msg
}

// EncodeMessage encodes a whole message: the header, then v as a record of
// class c (c may be nil for a message with no payload description, when v
// must be nil or raw bytes). h.Length is computed when zero.
//
// v is a *Record (as Decode returns) or a Table from a script: its Map holds
// the struct's fields by name and "attrs" a list of attribute pairs; each pair
// is a Table whose List is {name or number, value} and whose Map may hold
// "nla_flags". Scalars may be given as Go integers, float64, strings (numbers,
// enum and flag names), bools, netip.Addr, HWAddr or []byte.
func EncodeMessage(h Header, c *Class, v any) ([]byte, error) {
	return AppendMessage(make([]byte, 0, 256), h, c, v)
}

// AppendMessage is EncodeMessage appending the message to dst, which a
// loop encoding many messages may reuse. On error it returns dst as it
// was given.
func AppendMessage(dst []byte, h Header, c *Class, v any) ([]byte, error) {
	start := len(dst)
	e := newEncoder(append(dst, make([]byte, HeaderLen)...))
	defer e.free()
	if err := e.body(c, v); err != nil {
		return dst, err
	}
	if h.Length == 0 {
		h.Length = uint32(len(e.buf) - start)
	}
	h.Put(e.buf[start:])
	return e.buf, nil
}

// EncodeRecord encodes v as a record of class c: a message body without the
// header.
func EncodeRecord(c *Class, v any) ([]byte, error) {
	e := newEncoder(nil)
	defer e.free()
	if err := e.body(c, v); err != nil {
		return nil, err
	}
	return e.buf, nil
}

type encoder struct {
	buf     []byte
	path    []pathElem
	scratch []byte // a struct field's bytes, before they are copied in place
	pathBuf [8]pathElem

	// The attribute lists and scopes being encoded, innermost last: taken
	// from these arrays while they have room, so that encoding a message
	// allocates only its bytes.
	pairs    []pair
	scopes   []encScope
	pairBuf  [24]pair
	scopeBuf [8]encScope
}

// Encoders are reused: a loop adding routes encodes one per route.
var encoders = sync.Pool{New: func() any { return new(encoder) }}

func newEncoder(buf []byte) *encoder {
	e := encoders.Get().(*encoder)
	e.buf = buf
	e.path = e.pathBuf[:0]
	e.pairs, e.scopes = e.pairBuf[:0], e.scopeBuf[:0]
	return e
}

// scope returns a scope for s, on the encoder's stack while it has room;
// popScopes(n) gives back what was taken since there were n.
func (e *encoder) scope(s encScope) *encScope {
	if len(e.scopes) < cap(e.scopes) {
		e.scopes = append(e.scopes, s)
		return &e.scopes[len(e.scopes)-1]
	}
	p := new(encScope)
	*p = s
	return p
}

func (e *encoder) popScopes(n int) {
	clear(e.scopes[n:])
	e.scopes = e.scopes[:n]
}

// pairList returns room for n pairs, on the encoder's stack while it has
// room; popPairs(mark) gives back what was taken since len(e.pairs) was
// mark.
func (e *encoder) pairList(n int) []pair {
	if l := len(e.pairs); l+n <= cap(e.pairs) {
		e.pairs = e.pairs[:l+n]
		return e.pairs[l : l : l+n]
	}
	return make([]pair, 0, n)
}

func (e *encoder) popPairs(mark int) {
	clear(e.pairs[mark:])
	e.pairs = e.pairs[:mark]
}

// free returns e to the pool; the bytes it encoded belong to the caller.
func (e *encoder) free() {
	e.buf = nil
	clear(e.pathBuf[:])
	encoders.Put(e)
}

// pathElem is one step of the path an error names. Its text is built only
// when an error is reported: encoding a message must not allocate for it.
type pathElem struct {
	name  string // an attribute's name, or a struct's
	field string // a struct field, when name is a struct
	set   *AttrSet
	typ   uint16 // an unknown attribute's number, when name is ""
}

func (p pathElem) String() string {
	switch {
	case p.field != "":
		return p.name + "." + p.field
	case p.name == "":
		return p.set.UnknownName(p.typ)
	}
	return p.name
}

func (e *encoder) errf(format string, args ...any) error {
	path := make([]string, len(e.path))
	for i, p := range e.path {
		path[i] = p.String()
	}
	return &EncodeError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

func (e *encoder) push(n string)       { e.path = append(e.path, pathElem{name: n}) }
func (e *encoder) pushElem(p pathElem) { e.path = append(e.path, p) }
func (e *encoder) pop()                { e.path = e.path[:len(e.path)-1] }

func (e *encoder) pad() {
	for len(e.buf)%4 != 0 {
		e.buf = append(e.buf, 0)
	}
}

func (e *encoder) body(c *Class, v any) error {
	switch x := v.(type) {
	case nil:
		if c != nil {
			return e.record(c, nil, nil)
		}
		return nil
	case []byte:
		e.buf = append(e.buf, x...)
		return nil
	case string:
		e.buf = append(e.buf, x...)
		return nil
	}
	if c == nil {
		return e.errf("no description for this message type: give its payload as raw bytes")
	}
	return e.record(c, v, nil)
}

// reserved are message-table keys that are not struct fields.
var (
	reserved     = map[string]bool{"attrs": true, "header": true, "event": true, "payload": true}
	reservedKeys = []string{"attrs", "header", "event", "payload"}
)

func (e *encoder) record(c *Class, v any, sc *encScope) error {
	var fields any
	var attrs any
	var recAttrs []Attr // a Record's, kept typed: boxing them would allocate
	var tail []byte
	switch x := v.(type) {
	case nil:
	case *Record:
		if x.Fields != nil {
			fields = x.Fields
		} else if x.Tail != nil && c.Struct != nil {
			e.buf = append(e.buf, x.Tail...)
			return nil
		}
		recAttrs = x.Attrs
		tail = x.Tail
		if x.Payload != nil {
			if err := e.structureTail(c.Struct, fields, false); err != nil {
				return err
			}
			e.buf = append(e.buf, x.Payload...)
			e.pad()
			fields, c = nil, &Class{Name: c.Name, Attrs: c.Attrs}
		}
	case Table:
		if len(x.List) > 0 {
			return e.errf("%s: expected a table of fields and attrs, got a list", c.Name)
		}
		fields = x
		if a, ok := x.Map["attrs"]; ok {
			attrs = a
		}
		var err error
		if tail, err = e.tailOf(x); err != nil {
			return err
		}
		if tail != nil && c.Struct != nil && !hasField(c.Struct, x) && isEmpty(attrs) {
			// A body too short for its header decodes to no fields and
			// the bytes as the tail: they go back as they came.
			e.buf = append(e.buf, tail...)
			return nil
		}
		if p, ok := x.Map["payload"]; ok && c == ErrClass {
			if err := e.structureTail(c.Struct, x, false); err != nil {
				return err
			}
			if err := e.raw(p); err != nil {
				return err
			}
			e.pad()
			fields, c = nil, &Class{Name: c.Name, Attrs: c.Attrs}
		}
	default:
		return e.errf("%s: expected a table, got %s", c.Name, typeName(v))
	}
	if c.Struct != nil {
		if err := e.structureTail(c.Struct, fields, false); err != nil {
			return err
		}
		e.pad()
		// Sub-messages may be chosen by a field of the header: the fields
		// go in a scope above the attributes'; one is read only when a
		// sub-message asks for it.
		defer e.popScopes(len(e.scopes))
		sc = e.scope(encScope{fdesc: c.Struct, fields: fields, parent: sc})
	}
	var err error
	if _, ok := v.(*Record); ok {
		err = e.attrSlice(c.Attrs, recAttrs, sc)
	} else {
		err = e.attrs(c.Attrs, attrs, sc, "attrs")
	}
	if err != nil {
		return err
	}
	e.buf = append(e.buf, tail...)
	return nil
}

func (e *encoder) raw(v any) error {
	switch x := v.(type) {
	case []byte:
		e.buf = append(e.buf, x...)
	case string:
		e.buf = append(e.buf, x...)
	default:
		return e.errf("expected raw bytes, got %s", typeName(v))
	}
	return nil
}

func (e *encoder) structure(s *StructDesc, v any) error { return e.structureTail(s, v, true) }

// structureTail encodes a struct; a table's _tail goes after it when
// withTail is set (a record's fields share its table with the record,
// whose tail goes after the attributes).
func (e *encoder) structureTail(s *StructDesc, v any, withTail bool) error {
	start := len(e.buf)
	e.buf = append(e.buf, make([]byte, s.Size)...)
	switch x := v.(type) {
	case nil:
		return nil
	case *StructValue:
		for i, f := range s.Fields {
			if i < len(x.Values) && x.Values[i] != nil {
				if err := e.field(s, f, start, x.Values[i]); err != nil {
					return err
				}
			}
		}
		for _, fl := range x.Flex {
			if err := e.structure(s.Flex, fl); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, x.Tail...)
		return nil
	case Table:
		if len(x.List) > 0 {
			return e.errf("%s: expected a table of fields by name, got a list", s.Name)
		}
		// Fields in the description's order; keys that name no field are
		// looked for only when the count says there is one.
		known := 0
		for _, f := range s.Fields {
			v, ok := x.Map[f.Name]
			if !ok || strings.HasPrefix(f.Name, "_") {
				continue // keys starting with _ are the script's own, never sent
			}
			known++
			if err := e.field(s, f, start, v); err != nil {
				return err
			}
		}
		for _, k := range reservedKeys {
			if _, ok := x.Map[k]; ok {
				known++
			}
		}
		if s.Flex != nil {
			if _, ok := x.Map[s.FlexName]; ok {
				known++
			}
		}
		if known < len(x.Map) {
			if err := e.unknownField(s, x); err != nil {
				return err
			}
		}
		if s.Flex != nil {
			if fl, ok := x.Map[s.FlexName]; ok {
				t, ok := fl.(Table)
				if !ok {
					return e.errf("%s.%s: expected a list of %s tables, got %s", s.Name, s.FlexName, s.Flex.Name, typeName(fl))
				}
				if !ownKeys(t.Map, "") {
					return e.errf("%s.%s: expected a list of %s tables, got a table with keys %s", s.Name, s.FlexName, s.Flex.Name, keyList(t.Map))
				}
				e.push(s.FlexName)
				for _, el := range t.List {
					if err := e.structure(s.Flex, el); err != nil {
						return err
					}
				}
				e.pop()
			}
		}
		if !withTail {
			return nil
		}
		tail, err := e.tailOf(x)
		e.buf = append(e.buf, tail...)
		return err
	case []byte:
		if len(x) < s.Size {
			return e.errf("%s needs %d bytes, got %d", s.Name, s.Size, len(x))
		}
		e.buf = append(e.buf[:start], x...)
		return nil
	}
	return e.errf("%s: expected a table of fields, got %s", s.Name, typeName(v))
}

// TailKey holds, in a table of fields (a message's, a record's, a
// struct's), the trailing bytes its decoding kept (Record.Tail,
// StructValue.Tail): the one key starting with '_' that is sent, after
// everything else, so that a decoded message re-encodes to its bytes.
const TailKey = "_tail"

// isEmpty reports whether v, a list of attributes, holds none.
func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case Table:
		return len(x.List) == 0 && len(x.Map) == 0
	case []Attr:
		return len(x) == 0
	}
	return false
}

// tailOf reads a table's _tail: the bytes decoding found after the last
// attribute (or a struct's known fields) that did not parse, which go back
// verbatim at the end. It is the one key starting with _ that is sent.
func (e *encoder) tailOf(x Table) ([]byte, error) {
	switch t := x.Map[TailKey].(type) {
	case nil:
		return nil, nil
	case string:
		return []byte(t), nil
	case []byte:
		return t, nil
	default:
		return nil, e.errf("_tail: expected a string of bytes, got %s", typeName(t))
	}
}

// hasField reports whether a table sets any field of s.
func hasField(s *StructDesc, x Table) bool {
	for _, f := range s.Fields {
		if _, ok := x.Map[f.Name]; ok && f.Kind != Pad {
			return true
		}
	}
	return false
}

// unknownField reports the first key of a table of fields (in sorted order)
// that is neither a field nor a key the message table reserves.
func (e *encoder) unknownField(s *StructDesc, x Table) error {
	keys := make([]string, 0, len(x.Map))
	for k := range x.Map {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if reserved[k] || strings.HasPrefix(k, "_") || (s.Flex != nil && k == s.FlexName) {
			continue
		}
		if _, ok := s.FieldIndex(k); !ok {
			return e.errf("unknown field '%s' in %s%s (fields: %s)", k, s.Name, didYouMean(k, s.fieldNames()), strings.Join(s.fieldNames(), ", "))
		}
	}
	return nil
}

func (s *StructDesc) fieldNames() []string {
	var ns []string
	for _, f := range s.Fields {
		if f.Kind != Pad {
			ns = append(ns, f.Name)
		}
	}
	return ns
}

func didYouMean(n string, cands []string) string {
	if c := Closest(n, cands, 1); len(c) > 0 {
		return " (did you mean '" + c[0] + "'?)"
	}
	return ""
}

func (e *encoder) field(s *StructDesc, f Field, start int, v any) error {
	dst := e.buf[start+f.Offset : start+f.Offset+f.Size]
	e.pushElem(pathElem{name: s.Name, field: f.Name})
	defer e.pop()
	if b, ok := v.([]byte); ok && len(b) == f.Size {
		copy(dst, b)
		return nil
	}
	if f.Kind == Struct {
		// A struct inside a struct: encode it on its own, then copy it
		// in place.
		outer := e.buf
		e.buf = nil
		err := e.structure(f.Struct, v)
		inner := e.buf
		e.buf = outer
		if err != nil {
			return err
		}
		if len(inner) != f.Size {
			return e.errf("%s takes %d bytes, got %d", f.Struct.Name, f.Size, len(inner))
		}
		copy(dst, inner)
		return nil
	}
	p, err := e.appendScalar(e.scratch[:0], f.Kind, f.Enum, v, f.Size)
	if err != nil {
		return err
	}
	e.scratch = p[:0]
	if len(p) > f.Size {
		return e.errf("value takes %d bytes, the field holds %d", len(p), f.Size)
	}
	copy(dst, p)
	return nil
}

// encScope lets a sub-message find its selector's value among the attributes
// being encoded, those of an enclosing list, or the fields of the header.
type encScope struct {
	pairs  []pair      // the attributes being encoded, searched only when a sub-message asks
	fdesc  *StructDesc // a header whose fields may select too
	fields any
	parent *encScope
}

func (s *encScope) lookup(n string) (string, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		if v, ok := sc.selector(n); ok {
			return v, true
		}
	}
	for sc := s; sc != nil; sc = sc.parent {
		if sc.fdesc != nil {
			if v, ok := sc.field(n); ok {
				return v, true
			}
		}
	}
	return "", false
}

type pair struct {
	desc  *AttrDesc
	typ   uint16
	flags uint16
	value any
	// given is set when the flags are the script's or the kernel's own
	// (nla_flags, a number with flag bits, a decoded attribute): they are
	// sent as they are, NLA_F_NESTED included or not.
	given bool
}

// attrs encodes a list of attribute pairs. key is the table key the list
// was found under ("attrs"), named in the path of an error in its shape.
func (e *encoder) attrs(set *AttrSet, v any, parent *encScope, key string) error {
	var pairs []pair
	switch x := v.(type) {
	case nil:
		return nil
	case []Attr:
		return e.attrSlice(set, x, parent)
	case *NestValue:
		return e.attrSlice(set, x.Attrs, parent)
	case Table:
		list := x.List
		if len(x.Map) > 0 {
			// A nest given as a decoded nest is {attrs = {…}}; any other
			// key would be dropped on the way, so it is refused.
			if a, ok := x.Map["attrs"]; ok && len(list) == 0 && ownKeys(x.Map, "attrs") {
				return e.attrs(set, a, parent, "attrs")
			}
			if !ownKeys(x.Map, "") {
				besides := ""
				if len(list) > 0 {
					besides = " besides its list"
				}
				return e.shapeErr(key, "expected a list of {name, value} pairs, got a table with keys %s%s", keyList(x.Map), besides)
			}
		}
		defer e.popPairs(len(e.pairs))
		pairs = e.pairList(len(list))
		for i, it := range list {
			p, err := e.pair(set, it, i+1)
			if err != nil {
				return err
			}
			pairs = append(pairs, p)
		}
	default:
		return e.shapeErr(key, "expected a list of {name, value} pairs, got %s", typeName(v))
	}
	return e.attrPairs(set, pairs, parent)
}

// attrSlice encodes attributes given as Attrs (a Record's, a NestValue's).
func (e *encoder) attrSlice(set *AttrSet, attrs []Attr, parent *encScope) error {
	defer e.popPairs(len(e.pairs))
	pairs := e.pairList(len(attrs))
	for _, a := range attrs {
		d := a.Desc
		if d == nil {
			d = set.ByType(a.Type)
		}
		pairs = append(pairs, pair{d, a.Type, a.Flags, a.Value, true})
	}
	return e.attrPairs(set, pairs, parent)
}

// attrPairs encodes a list of attributes in a scope of their own.
func (e *encoder) attrPairs(set *AttrSet, pairs []pair, parent *encScope) error {
	defer e.popScopes(len(e.scopes))
	sc := e.scope(encScope{pairs: pairs, parent: parent})
	for _, p := range pairs {
		if err := e.attr(set, p, sc); err != nil {
			return err
		}
	}
	return nil
}

// shapeErr reports a value of the wrong shape found under key (if any).
func (e *encoder) shapeErr(key, format string, args ...any) error {
	if key != "" {
		e.push(key)
		defer e.pop()
	}
	return e.errf(format, args...)
}

// selector returns the value of the first attribute named n that can
// select a sub-message (text or an integer), as the decoder picks it.
func (s *encScope) selector(n string) (string, bool) {
	for _, p := range s.pairs {
		if p.desc == nil || p.desc.Name != n || !(p.desc.Kind == Asciiz || p.desc.Kind == String || p.desc.Kind.IsInt()) {
			continue
		}
		if v, ok := selectorOf(p.desc, p.value); ok {
			return v, true
		}
	}
	return "", false
}

func selectorOf(d *AttrDesc, v any) (string, bool) {
	switch x := v.(type) {
	case string:
		if d.Kind.IsInt() && d.Enum != nil {
			if _, ok := d.Enum.Lookup(x); ok {
				return x, true
			}
			if n, err := strconv.ParseUint(x, 0, 64); err == nil {
				if name, ok := d.Enum.NameOf(n); ok {
					return name, true
				}
			}
		}
		return x, true
	case []byte:
		return strings.TrimRight(string(x), "\x00"), true
	}
	if d.Kind.IsInt() {
		n, err := toUint(d.Kind, nil, v)
		if err != nil {
			return "", false
		}
		if d.Enum != nil {
			if name, ok := d.Enum.NameOf(n); ok {
				return name, true
			}
		}
		return strconv.FormatUint(n, 10), true
	}
	return "", false
}

func (e *encoder) pair(set *AttrSet, it any, idx int) (pair, error) {
	var name, value, flags any
	switch x := it.(type) {
	case Attr:
		d := x.Desc
		if d == nil {
			d = set.ByType(x.Type)
		}
		return pair{d, x.Type, x.Flags, x.Value, true}, nil
	case Table:
		if len(x.List) < 1 {
			return pair{}, e.errf("attribute #%d: expected {name, value}, got a table without a name", idx)
		}
		name = x.List[0]
		if len(x.List) > 1 {
			value = x.List[1]
		}
		if len(x.List) > 2 {
			return pair{}, e.errf("attribute #%d: expected {name, value}, got %d elements", idx, len(x.List))
		}
		if !ownKeys(x.Map, "nla_flags") {
			return pair{}, e.errf("attribute #%d: expected {name, value} and at most nla_flags, got keys %s", idx, keyList(x.Map))
		}
		flags = x.Map["nla_flags"]
	default:
		return pair{}, e.errf("attribute #%d: expected a {name, value} pair, got %s", idx, typeName(it))
	}
	var p pair
	switch n := name.(type) {
	case string:
		d, ok := set.ByName(n)
		if !ok {
			where := "attribute set"
			if set != nil {
				where = set.Name + " attributes"
			}
			return pair{}, e.errf("unknown attribute '%s' in %s%s", n, where, didYouMean(n, namesOf(set)))
		}
		p.desc, p.typ = d, d.Type
		if set.ByType(d.Type) == nil {
			p.desc = nil
		}
	default:
		t, err := toUint(U16, nil, name)
		if err != nil {
			return pair{}, e.errf("attribute #%d: name must be a string or a number: %v", idx, err)
		}
		p.typ = uint16(t) & NLA_TYPE_MASK
		p.flags = uint16(t) &^ NLA_TYPE_MASK
		p.given = p.flags != 0
		p.desc = set.ByType(p.typ)
	}
	if flags != nil {
		f, err := toUint(U16, nil, flags)
		if err != nil {
			return pair{}, e.errf("attribute #%d: nla_flags: %v", idx, err)
		}
		p.flags |= uint16(f)
		p.given = true
	}
	p.value = value
	return p, nil
}

func namesOf(set *AttrSet) []string {
	if set == nil {
		return nil
	}
	ns := make([]string, len(set.Attrs))
	for i, a := range set.Attrs {
		ns[i] = a.Name
	}
	return ns
}

func (e *encoder) attr(set *AttrSet, p pair, sc *encScope) error {
	el := pathElem{set: set, typ: p.typ}
	if p.desc != nil {
		el.name = p.desc.Name
	}
	e.pushElem(el)
	defer e.pop()
	if p.desc != nil && p.desc.Kind == Flag {
		switch v := p.value.(type) {
		case bool:
			if !v {
				return nil // false means absent
			}
		case nil:
		case []byte:
		case uint64, int64, float64, int:
			// A number is the u8 form some flags are dumped in.
			n, err := toUint(U8, nil, v)
			if err != nil {
				return e.errf("%v", err)
			}
			p.value = []byte{byte(n)}
		default:
			return e.errf("flag attribute takes true or false, got %s", typeName(p.value))
		}
	}
	if p.value == nil && (p.desc == nil || p.desc.Kind != Flag) {
		return e.errf("missing value")
	}
	start := len(e.buf)
	e.buf = append(e.buf, 0, 0, 0, 0)
	if err := e.payload(p.desc, p.value, sc); err != nil {
		return err
	}
	l := len(e.buf) - start
	if l > math.MaxUint16 {
		return e.errf("attribute is %d bytes, more than a netlink attribute can hold", l)
	}
	binary.LittleEndian.PutUint16(e.buf[start:], uint16(l))
	if !p.given && nestFlag(p.desc, sc) {
		p.flags |= NLA_F_NESTED
	}
	binary.LittleEndian.PutUint16(e.buf[start+2:], p.typ|p.flags)
	e.pad()
	return nil
}

func (e *encoder) payload(d *AttrDesc, v any, sc *encScope) error {
	if b, ok := v.([]byte); ok {
		// Raw bytes stand for any payload: unknown attributes and values
		// that did not match their description round-trip this way.
		e.buf = append(e.buf, b...)
		return nil
	}
	if d == nil {
		if s, ok := v.(string); ok {
			e.buf = append(e.buf, s...)
			return nil
		}
		return e.errf("unknown attribute: give its payload as a string of raw bytes, got %s", typeName(v))
	}
	switch d.Kind {
	case Nested:
		return e.attrs(d.Set, v, sc, "")
	case Struct:
		return e.structure(d.Struct, v)
	case Array:
		var list []any
		switch x := v.(type) {
		case []any:
			list = x
		case Table:
			if !ownKeys(x.Map, "") {
				return e.errf("expected a list of %s values, got a table with keys %s", d.Elem, keyList(x.Map))
			}
			list = x.List
		default:
			return e.errf("expected a list of %s values, got %s", d.Elem, typeName(v))
		}
		for _, el := range list {
			b, err := e.scalar(d.Elem, nil, el, 0)
			if err != nil {
				return err
			}
			e.buf = append(e.buf, b...)
		}
		return nil
	case SubMsg:
		sel, ok := sc.lookup(d.Sub.Selector)
		if !ok && d.Sub.Default != nil {
			return e.payload(d.Sub.Default, v, sc)
		}
		if !ok {
			if s, ok := v.(string); ok {
				e.buf = append(e.buf, s...)
				return nil
			}
			return e.errf("cannot tell this attribute's format without %s beside it", d.Sub.Selector)
		}
		f := d.Sub.Format(sel, true)
		if f == nil {
			if s, ok := v.(string); ok {
				e.buf = append(e.buf, s...)
				return nil
			}
			return e.errf("no format known for %s %q: give the payload as raw bytes", d.Sub.Selector, sel)
		}
		return e.payload(f, v, sc)
	case Records:
		var list []any
		switch x := v.(type) {
		case []*Record:
			for _, r := range x {
				list = append(list, r)
			}
		case Table:
			if !ownKeys(x.Map, "") {
				return e.errf("expected a list of %s records, got a table with keys %s", d.Record.Name, keyList(x.Map))
			}
			list = x.List
		default:
			return e.errf("expected a list of %s records, got %s", d.Record.Name, typeName(v))
		}
		for i, r := range list {
			e.push("#" + strconv.Itoa(i+1))
			start := len(e.buf)
			if err := e.record(d.Record, r, sc); err != nil {
				return err
			}
			li, _ := d.Record.Struct.FieldIndex(d.Record.LenField)
			lf := d.Record.Struct.Fields[li]
			b, err := e.scalar(lf.Kind, nil, uint64(len(e.buf)-start), 0)
			if err != nil {
				return err
			}
			copy(e.buf[start+lf.Offset:], b)
			e.pad()
			e.pop()
		}
		return nil
	case Embedded:
		return e.record(d.Record, v, sc)
	}
	b, err := e.appendScalar(e.buf, d.Kind, d.Enum, v, 0)
	if err != nil {
		return err
	}
	e.buf = b
	return nil
}

// scalar encodes one value of a scalar kind. size is the fixed size of a
// struct field (0 for an attribute payload).
func (e *encoder) scalar(k Kind, en *Enum, v any, size int) ([]byte, error) {
	return e.appendScalar(nil, k, en, v, size)
}

// appendScalar is scalar appending to dst, so that the common values need
// no allocation of their own.
func (e *encoder) appendScalar(dst []byte, k Kind, en *Enum, v any, size int) ([]byte, error) {
	if k.IsInt() {
		n, err := toUint(k, en, v)
		if err != nil {
			return nil, e.errf("%v", err)
		}
		return appendInt(dst, k, n), nil
	}
	switch k {
	case String, Asciiz, Binary, Pad:
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case []byte:
			s = string(x)
		default:
			return nil, e.errf("expected a string, got %s", typeName(v))
		}
		if k == Asciiz {
			if strings.IndexByte(s, 0) >= 0 {
				return nil, e.errf("text %q holds a NUL byte", s)
			}
			if size > 0 && len(s) >= size {
				return nil, e.errf("text %q is longer than %d bytes", s, size-1)
			}
			if size == 0 {
				return append(append(dst, s...), 0), nil
			}
		}
		return append(dst, s...), nil
	case IPv4, IPv6, IP:
		var a netip.Addr
		switch x := v.(type) {
		case netip.Addr:
			a = x
		case string:
			var err error
			a, err = netip.ParseAddr(x)
			if err != nil {
				return nil, e.errf("expected an IP address, got %q", x)
			}
		default:
			return nil, e.errf("expected an IP address string, got %s", typeName(v))
		}
		if a.Zone() != "" {
			a = a.WithZone("")
		}
		switch {
		case k == IPv4 && !a.Is4():
			return nil, e.errf("expected an IPv4 address, got %s", a)
		case k == IPv6 && a.Is4():
			return nil, e.errf("expected an IPv6 address, got %s", a)
		}
		if a.Is4() {
			b := a.As4()
			return append(dst, b[:]...), nil
		}
		b := a.As16()
		return append(dst, b[:]...), nil
	case LLAddr:
		var h HWAddr
		switch x := v.(type) {
		case HWAddr:
			h = x
		case string:
			var err error
			if h, err = ParseHWAddr(x); err != nil {
				return nil, e.errf("%v", err)
			}
		default:
			return nil, e.errf("expected a link-layer address like 'aa:bb:cc:dd:ee:ff', got %s", typeName(v))
		}
		if size > 0 && len(h) > size {
			return nil, e.errf("link-layer address %s is longer than %d bytes", h, size)
		}
		return append(dst, h...), nil
	case Flag:
		return dst, nil
	}
	return nil, e.errf("cannot encode a %s value here", k)
}

func appendInt(b []byte, k Kind, n uint64) []byte {
	switch k {
	case U8, S8:
		return append(b, byte(n))
	case U16, S16:
		return binary.LittleEndian.AppendUint16(b, uint16(n))
	case U32, S32:
		return binary.LittleEndian.AppendUint32(b, uint32(n))
	case U64, S64:
		return binary.LittleEndian.AppendUint64(b, n)
	case BE16, SBE16:
		return binary.BigEndian.AppendUint16(b, uint16(n))
	case BE32, SBE32:
		return binary.BigEndian.AppendUint32(b, uint32(n))
	case BE64, SBE64:
		return binary.BigEndian.AppendUint64(b, n)
	case Uint:
		// As the kernel's nla_put_uint: four bytes when the value fits.
		if n <= math.MaxUint32 {
			return binary.LittleEndian.AppendUint32(b, uint32(n))
		}
		return binary.LittleEndian.AppendUint64(b, n)
	case Sint:
		if i := int64(n); i >= math.MinInt32 && i <= math.MaxInt32 {
			return binary.LittleEndian.AppendUint32(b, uint32(i))
		}
		return binary.LittleEndian.AppendUint64(b, n)
	}
	return append(b, make([]byte, k.Size())...)
}

// ParseInt converts a script value to an integer of kind k: a number, a
// decimal or 0x-hex string, an enum or flag name (or 'A|B' names, or a list of
// names) from en. A value k cannot hold is an error; a negative value of a
// signed kind comes back as two's complement, masked to k's width.
func ParseInt(k Kind, en *Enum, v any) (uint64, error) { return toUint(k, en, v) }

// toUint is ParseInt. Nothing is wrapped to fit: -1 in a u8 would send 255,
// which is a different request (table 255 is local), so it is refused.
func toUint(k Kind, en *Enum, v any) (uint64, error) {
	switch x := v.(type) {
	case uint64:
		return uintIn(k, x)
	case int64:
		return intIn(k, x)
	case float64:
		return floatIn(k, x)
	case string:
		return stringIn(k, en, x)
	case int:
		return intIn(k, int64(x))
	case uint32:
		return uintIn(k, uint64(x))
	case uint16:
		return uintIn(k, uint64(x))
	case uint8:
		return uintIn(k, uint64(x))
	case Table:
		if en != nil && en.Flags && len(x.Map) == 0 {
			return flagListIn(k, en, x.List)
		}
	}
	return 0, wrongType(k, en, v)
}

// intRange is the smallest and the largest value of integer kind k (of a
// u64 for any other kind).
func intRange(k Kind) (int64, uint64) {
	bits := uint(k.Size() * 8)
	if k == Sint {
		bits = 64 // variable width, up to 8 bytes
	}
	switch {
	case !k.IsInt() || bits == 0:
		return 0, math.MaxUint64
	case k.IsSigned():
		return -1 << (bits - 1), 1<<(bits-1) - 1
	case bits == 64:
		return 0, math.MaxUint64
	}
	return 0, 1<<bits - 1
}

// rangeText names kind k and its range: "u8, 0..255".
func rangeText(k Kind) string {
	lo, hi := intRange(k)
	return fmt.Sprintf("%s, %d..%d", k, lo, hi)
}

func errRange(k Kind, v string) error {
	lo, hi := intRange(k)
	return fmt.Errorf("%s is out of range for %s (%d..%d)", v, k, lo, hi)
}

func uintIn(k Kind, n uint64) (uint64, error) {
	if _, hi := intRange(k); n > hi {
		return 0, errRange(k, strconv.FormatUint(n, 10))
	}
	return n, nil
}

func intIn(k Kind, n int64) (uint64, error) {
	if n >= 0 {
		return uintIn(k, uint64(n))
	}
	if lo, _ := intRange(k); n < lo {
		return 0, errRange(k, strconv.FormatInt(n, 10))
	}
	return uint64(n) & widthMask(k), nil
}

// widthMask has the bits of k's width set.
func widthMask(k Kind) uint64 {
	bits := uint(k.Size() * 8)
	if !k.IsInt() || bits == 0 || bits >= 64 {
		return math.MaxUint64
	}
	return 1<<bits - 1
}

func floatIn(k Kind, x float64) (uint64, error) {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0) || x != math.Trunc(x):
		return 0, fmt.Errorf("%s is not an integer (%s)", fmtFloat(x), rangeText(k))
	case x >= 1<<64 || x < math.MinInt64:
		return 0, errRange(k, fmtFloat(x))
	case x >= 0:
		return uintIn(k, uint64(x))
	}
	return intIn(k, int64(x))
}

// fmtFloat writes a number as a script shows it: 1.5, 1e+300, nan, inf.
func fmtFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case x == math.Trunc(x) && math.Abs(x) < 1e21:
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func stringIn(k Kind, en *Enum, x string) (uint64, error) {
	s := strings.TrimSpace(x)
	u, err := strconv.ParseUint(s, 0, 64)
	if err == nil {
		return uintIn(k, u)
	}
	if errors.Is(err, strconv.ErrRange) {
		return 0, errRange(k, s)
	}
	i, err := strconv.ParseInt(s, 0, 64)
	if err == nil {
		return intIn(k, i)
	}
	if errors.Is(err, strconv.ErrRange) {
		return 0, errRange(k, s)
	}
	if en == nil {
		return 0, wrongType(k, en, x)
	}
	if u, err = en.Parse(s); err != nil {
		return 0, err
	}
	return nameIn(k, s, u)
}

// nameIn checks the value of a name from the description against k's
// width. A name may give a signed kind's negative value in k's width
// (0xffffffff for -1 in an s32) or sign-extended.
func nameIn(k Kind, name string, u uint64) (uint64, error) {
	lo, _ := intRange(k)
	m := widthMask(k)
	if u&^m == 0 || (k.IsSigned() && int64(u) < 0 && int64(u) >= lo) {
		return u & m, nil
	}
	return 0, errRange(k, fmt.Sprintf("%s (%d)", name, u))
}

// flagListIn ORs a list of flag names (or numbers) together.
func flagListIn(k Kind, en *Enum, list []any) (uint64, error) {
	var n uint64
	for i, it := range list {
		var f uint64
		var err error
		if s, ok := it.(string); ok {
			if f, err = en.Parse(strings.TrimSpace(s)); err == nil {
				f, err = nameIn(k, s, f)
			}
		} else if f, err = toUint(k, nil, it); err != nil {
			err = fmt.Errorf("list item %d: %w", i+1, err)
		}
		if err != nil {
			return 0, err
		}
		n |= f
	}
	return n, nil
}

// wrongType says what an integer field takes, and what it was given.
func wrongType(k Kind, en *Enum, v any) error {
	what := "an integer (" + rangeText(k) + ")"
	switch {
	case en != nil && en.Flags:
		what += ", " + en.Name + " flag names or a list of them"
	case en != nil:
		what += " or " + article(en.Name) + " " + en.Name + " name"
	}
	got := typeName(v)
	if s, ok := v.(string); ok {
		got = strconv.Quote(s)
	}
	return fmt.Errorf("expected %s, got %s", what, got)
}

func article(w string) string {
	if w != "" && strings.IndexByte("aeiou", w[0]) >= 0 {
		return "an"
	}
	return "a"
}

func typeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case string:
		return "a string"
	case float64, int, int64, uint64, uint32, uint16, uint8:
		return "a number"
	case bool:
		return "a boolean"
	case Table:
		return "a table"
	case []byte:
		return "bytes"
	case Opaque:
		return x.Type
	}
	return fmt.Sprintf("%T", v)
}

// keyList lists a table's keys, sorted, for an error; keys starting with _
// are the script's own and are left out.
func keyList(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		if !strings.HasPrefix(k, "_") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > 6 {
		keys = append(keys[:6], "…")
	}
	return strings.Join(keys, ", ")
}

// ownKeys reports whether a table's keys other than allowed all start
// with _ (the script's own, never sent).
func ownKeys(m map[string]any, allowed string) bool {
	for k := range m {
		if k != allowed && !strings.HasPrefix(k, "_") {
			return false
		}
	}
	return true
}

// field returns a header field's value as a selector.
func (s *encScope) field(name string) (string, bool) {
	i, ok := s.fdesc.FieldIndex(name)
	if !ok {
		return "", false
	}
	f := s.fdesc.Fields[i]
	if !f.Kind.IsInt() {
		return "", false
	}
	var x any
	switch fv := s.fields.(type) {
	case *StructValue:
		if i < len(fv.Values) {
			x = fv.Values[i]
		}
	case Table:
		x = fv.Map[f.Name]
	}
	if x == nil {
		x = uint64(0)
	}
	n, err := toUint(f.Kind, f.Enum, x)
	if err != nil {
		return "", false
	}
	return fieldSelector(f, n)
}

// nestFlag reports whether an attribute described by d is sent with
// NLA_F_NESTED: its description says so, or for a sub-message the format
// its selector picks does.
func nestFlag(d *AttrDesc, sc *encScope) bool {
	if d == nil {
		return false
	}
	if d.NestFlag {
		return true
	}
	if d.Kind == SubMsg {
		if sel, ok := sc.lookup(d.Sub.Selector); ok || d.Sub.Default != nil {
			if f := d.Sub.Format(sel, ok); f != nil {
				return f.NestFlag
			}
		}
	}
	return false
}
