package engine

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"strconv"
)

// Decode decodes the message body by protocol p. It never fails: what does not
// match the description is kept as raw bytes (unknown attributes as Binary,
// odd payloads as []byte, unparseable trailing bytes in Record.Tail), so that
// Encode of the result gives back the same bytes.
func (m *Message) Decode(p *Protocol) *Record {
	t := m.Type(p)
	if t == nil || t.Class == nil {
		return &Record{Tail: m.Body}
	}
	if t.Class == ErrClass {
		return decodeErr(m)
	}
	if t.Class == DoneClass && len(m.Body) < 4 {
		return &Record{Class: DoneClass, Tail: m.Body}
	}
	return decodeRecordAs(t.Class, t.Class.Layout(t), m.Body, nil)
}

// Fields decodes only the message's fixed header struct, for a protocol
// message type (not a control message). ok is false when there is none or
// the body is too short for it.
func (m *Message) Fields(p *Protocol) (*StructValue, bool) {
	t := m.Type(p)
	if t == nil || t.Class == nil || t.Class.Struct == nil || t.Class == ErrClass || t.Class == DoneClass {
		return nil, false
	}
	s := t.Class.Layout(t)
	if len(m.Body) < s.Size {
		return nil, false
	}
	return decodeStruct(s, m.Body[:s.Size]), true
}

// decodeErr splits an NLMSG_ERROR body: error code, the request's header,
// the request's payload unless NLM_F_CAPPED (or it is an ACK), then the
// extended-ACK attributes when NLM_F_ACK_TLVS is set.
func decodeErr(m *Message) *Record {
	b := m.Body
	s := ErrClass.Struct
	if len(b) < s.Size {
		return &Record{Class: ErrClass, Tail: b}
	}
	r := &Record{Class: ErrClass, Fields: decodeStruct(s, b[:s.Size])}
	rest := b[s.Size:]
	if m.Header.Flags&NLM_F_CAPPED == 0 {
		reqLen := int(binary.LittleEndian.Uint32(b[4:]))
		n := reqLen - HeaderLen
		if n < 0 || n > len(rest) {
			return &Record{Class: ErrClass, Tail: b}
		}
		r.Payload = rest[:n]
		rest = rest[min(len(rest), align4(n)):]
	}
	if m.Header.Flags&NLM_F_ACK_TLVS != 0 || len(rest) > 0 {
		r.Attrs, r.Tail = decodeAttrs(ErrAttrs, rest, nil)
	}
	return r
}

// DecodeRecord decodes a fixed struct of class c followed by its attributes.
func DecodeRecord(c *Class, b []byte) *Record {
	return decodeRecord(c, b, nil)
}

func decodeRecord(c *Class, b []byte, sc *scope) *Record {
	return decodeRecordAs(c, c.Struct, b, sc)
}

// decodeRecordAs is decodeRecord with the fixed struct s, c's as a message
// type reads it (Class.Layout).
func decodeRecordAs(c *Class, s *StructDesc, b []byte, sc *scope) *Record {
	r := &Record{Class: c}
	if s != nil {
		n := s.Size
		if len(b) < n {
			r.Tail = b
			return r
		}
		r.Fields = decodeStruct(s, b[:n])
		if align4(n) >= len(b) {
			// What follows a struct up to the 4-byte boundary is padding,
			// which the encoder writes again; only non-zero bytes are kept.
			if len(b) > n && !allZero(b[n:]) {
				r.Tail = b[n:]
			}
			return r
		}
		b = b[align4(n):]
	}
	if r.Fields != nil {
		sc = &scope{fields: r.Fields, parent: sc}
	}
	r.Attrs, r.Tail = decodeAttrs(c.Attrs, b, sc)
	return r
}

// scope is the chain of attribute lists being decoded, so a sub-message can
// find its selector among its siblings or its ancestors' siblings.
type scope struct {
	set    *AttrSet
	attrs  []Attr
	raw    [][]byte
	fields *StructValue // the fixed header of the record these attributes follow
	parent *scope
}

func (s *scope) lookup(name string) (string, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		for i := range sc.attrs {
			a := &sc.attrs[i]
			if a.Desc != nil && a.Desc.Name == name {
				return selectorString(a.Desc, sc.raw[i])
			}
		}
	}
	for sc := s; sc != nil; sc = sc.parent {
		if sc.fields != nil {
			if i, ok := sc.fields.Desc.FieldIndex(name); ok {
				return fieldSelector(sc.fields.Desc.Fields[i], sc.fields.Values[i])
			}
		}
	}
	return "", false
}

// fieldSelector renders a struct field's value as a selector: its enum
// name, else its decimal value.
func fieldSelector(f Field, v any) (string, bool) {
	var n uint64
	switch x := v.(type) {
	case uint64:
		n = x
	case int64:
		n = uint64(x)
	default:
		return "", false
	}
	if f.Enum != nil {
		if name, ok := f.Enum.NameOf(n); ok {
			return name, true
		}
	}
	return strconv.FormatUint(n, 10), true
}

func selectorString(d *AttrDesc, p []byte) (string, bool) {
	switch {
	case d.Kind == Asciiz || d.Kind == String:
		return string(bytes.TrimRight(p, "\x00")), true
	case d.Kind.IsInt():
		v, ok := decodeInt(d.Kind, p)
		if !ok {
			return "", false
		}
		if d.Enum != nil {
			if n, ok := d.Enum.NameOf(v); ok {
				return n, true
			}
		}
		return strconv.FormatUint(v, 10), true
	}
	return "", false
}

// decodeAttrs parses attributes until the buffer ends or stops parsing; the
// rest is returned as tail.
func decodeAttrs(set *AttrSet, b []byte, parent *scope) ([]Attr, []byte) {
	n := 0
	for p := b; len(p) >= 4; {
		l := int(binary.LittleEndian.Uint16(p))
		if l < 4 || l > len(p) {
			break
		}
		n++
		if align4(l) >= len(p) {
			break
		}
		p = p[align4(l):]
	}
	if n == 0 {
		if len(b) == 0 {
			return nil, nil
		}
		return nil, b
	}
	sc := &scope{set: set, attrs: make([]Attr, 0, n), raw: make([][]byte, 0, n), parent: parent}
	for len(b) >= 4 {
		l := int(binary.LittleEndian.Uint16(b))
		if l < 4 || l > len(b) {
			break
		}
		t := binary.LittleEndian.Uint16(b[2:])
		typ := t & NLA_TYPE_MASK
		sc.attrs = append(sc.attrs, Attr{Type: typ, Flags: t &^ NLA_TYPE_MASK, Desc: set.ByType(typ)})
		sc.raw = append(sc.raw, b[4:l])
		if align4(l) >= len(b) {
			b = nil
			break
		}
		b = b[align4(l):]
	}
	for i := range sc.attrs {
		sc.attrs[i].Value = decodeValue(sc.attrs[i].Desc, sc.raw[i], sc)
	}
	if len(b) == 0 {
		b = nil
	}
	return sc.attrs, b
}

func decodeInt(k Kind, p []byte) (uint64, bool) {
	switch k {
	case Uint, Sint:
		switch len(p) {
		case 4:
			v := uint64(binary.LittleEndian.Uint32(p))
			if k == Sint {
				v = uint64(int64(int32(v)))
			}
			return v, true
		case 8:
			return binary.LittleEndian.Uint64(p), true
		}
		return 0, false
	}
	if len(p) != k.Size() {
		return 0, false
	}
	switch k {
	case U8, S8:
		return uint64(p[0]), true
	case U16, S16:
		return uint64(binary.LittleEndian.Uint16(p)), true
	case U32, S32:
		return uint64(binary.LittleEndian.Uint32(p)), true
	case U64, S64:
		return binary.LittleEndian.Uint64(p), true
	case BE16, SBE16:
		return uint64(binary.BigEndian.Uint16(p)), true
	case BE32, SBE32:
		return uint64(binary.BigEndian.Uint32(p)), true
	case BE64, SBE64:
		return binary.BigEndian.Uint64(p), true
	}
	return 0, false
}

// intValue returns an integer of kind k as uint64 or sign-extended int64.
func intValue(k Kind, v uint64) any {
	switch k {
	case S8:
		return int64(int8(v))
	case S16, SBE16:
		return int64(int16(v))
	case S32, SBE32:
		return int64(int32(v))
	case S64, Sint, SBE64:
		return int64(v)
	}
	return v
}

func decodeScalar(k Kind, size int, p []byte) (any, bool) {
	switch {
	case k.IsInt():
		v, ok := decodeInt(k, p)
		if !ok {
			return nil, false
		}
		return intValue(k, v), true
	}
	switch k {
	case String:
		return string(p), true
	case Asciiz:
		if size > 0 { // fixed-size char array: text up to the first NUL
			i := bytes.IndexByte(p, 0)
			if i < 0 || !allZero(p[i:]) {
				return nil, false
			}
			return string(p[:i]), true
		}
		if len(p) == 0 || p[len(p)-1] != 0 || bytes.IndexByte(p, 0) != len(p)-1 {
			return nil, false
		}
		return string(p[:len(p)-1]), true
	case Binary, Pad:
		return p, true
	case IPv4:
		if len(p) != 4 {
			return nil, false
		}
		return netip.AddrFrom4([4]byte(p)), true
	case IPv6:
		if len(p) != 16 {
			return nil, false
		}
		return netip.AddrFrom16([16]byte(p)), true
	case IP:
		switch len(p) {
		case 4:
			return netip.AddrFrom4([4]byte(p)), true
		case 16:
			return netip.AddrFrom16([16]byte(p)), true
		}
		return nil, false
	case LLAddr:
		return HWAddr(p), true
	case Flag:
		switch len(p) {
		case 0:
			return true, true
		case 1:
			// Some flags are dumped as a u8 0/1 (IFLA_VXLAN_TTL_INHERIT);
			// the number keeps that byte.
			return uint64(p[0]), true
		}
		return nil, false
	}
	return nil, false
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func decodeValue(d *AttrDesc, p []byte, sc *scope) any {
	if d == nil {
		return p
	}
	switch d.Kind {
	case Nested:
		attrs, tail := decodeAttrs(d.Set, p, sc)
		if tail != nil {
			return p
		}
		return &NestValue{Set: d.Set, Attrs: attrs}
	case Struct:
		if len(p) < d.Struct.Size {
			return p
		}
		return decodeStruct(d.Struct, p)
	case Array:
		n := d.Elem.Size()
		if n == 0 || len(p)%n != 0 {
			return p
		}
		vs := make([]any, 0, len(p)/n)
		for i := 0; i < len(p); i += n {
			v, _ := decodeScalar(d.Elem, 0, p[i:i+n])
			vs = append(vs, v)
		}
		return vs
	case SubMsg:
		f := d.Sub.Format(sc.lookup(d.Sub.Selector))
		if f == nil {
			return p
		}
		return decodeValue(f, p, sc)
	case Records:
		return decodeRecords(d.Record, p, sc)
	case Embedded:
		r := decodeRecord(d.Record, p, sc)
		if r.Tail != nil {
			return p
		}
		return r
	}
	v, ok := decodeScalar(d.Kind, 0, p)
	if !ok {
		return p
	}
	return v
}

func decodeRecords(c *Class, p []byte, sc *scope) any {
	s := c.Struct
	li, _ := s.FieldIndex(c.LenField)
	lf := s.Fields[li]
	var rs []*Record
	for b := p; len(b) > 0; {
		if len(b) < s.Size {
			return p
		}
		l64, _ := decodeInt(lf.Kind, b[lf.Offset:lf.Offset+lf.Size])
		l := int(l64)
		if l < s.Size || l > len(b) {
			return p
		}
		r := decodeRecord(c, b[:l], sc)
		if r.Tail != nil {
			return p
		}
		rs = append(rs, r)
		if align4(l) >= len(b) {
			break
		}
		b = b[align4(l):]
	}
	if rs == nil {
		rs = []*Record{}
	}
	return rs
}

func decodeStruct(s *StructDesc, p []byte) *StructValue {
	v := &StructValue{Desc: s, Values: make([]any, len(s.Fields))}
	for i, f := range s.Fields {
		raw := p[f.Offset : f.Offset+f.Size]
		if f.Kind == Struct {
			v.Values[i] = decodeStruct(f.Struct, raw)
			continue
		}
		x, ok := decodeScalar(f.Kind, f.Size, raw)
		if !ok {
			x = raw
		}
		v.Values[i] = x
	}
	rest := p[s.Size:]
	if s.Flex != nil {
		n := s.Flex.Size
		for len(rest) >= n {
			v.Flex = append(v.Flex, decodeStruct(s.Flex, rest[:n]))
			rest = rest[n:]
		}
	}
	if len(rest) > 0 {
		v.Tail = rest
	}
	return v
}
