package engine

import (
	"fmt"
	"strings"
)

// Decoded values. Integers decode to uint64 (unsigned and big-endian kinds) or
// int64 (signed kinds); String and Asciiz to string; Binary and anything that
// does not fit its description to []byte; addresses to netip.Addr; LLAddr to
// HWAddr; Flag to true; Nested to *NestValue; Struct to *StructValue; Array to
// []any; Records to []*Record; Embedded to *Record; SubMsg to whatever its
// chosen format decodes to. Byte slices alias the buffer that was decoded.

// Attr is one attribute.
type Attr struct {
	Type  uint16    // attribute number, NLA_F_* bits removed
	Flags uint16    // NLA_F_NESTED / NLA_F_NET_BYTEORDER bits as received or to send
	Desc  *AttrDesc // nil when the set does not know the number
	Value any
}

// Name returns the attribute's name, or for an unknown attribute the set's
// prefix and its number ("IFLA_43").
func (a *Attr) Name(set *AttrSet) string {
	if a.Desc != nil {
		return a.Desc.Name
	}
	return set.UnknownName(a.Type)
}

// Record is a fixed struct followed by attributes: a message body, an
// rtnexthop, a VETH_INFO_PEER.
type Record struct {
	Class   *Class
	Fields  *StructValue // nil when the class has no struct or the body was too short
	Attrs   []Attr
	Payload []byte // NLMSG_ERROR only: the echoed request payload (absent when capped)
	Tail    []byte // trailing bytes that do not parse as attributes, kept verbatim
}

// Get returns the value of the first attribute named name.
func (r *Record) Get(name string) (any, bool) {
	if r == nil || r.Class == nil {
		return nil, false
	}
	return getAttr(r.Class.Attrs, r.Attrs, name)
}

// Field returns the value of a struct field by name.
func (r *Record) Field(name string) (any, bool) {
	if r == nil || r.Fields == nil {
		return nil, false
	}
	return r.Fields.Get(name)
}

// NestValue is the value of a nested attribute.
type NestValue struct {
	Set   *AttrSet
	Attrs []Attr
}

// Get returns the value of the first attribute named name.
func (n *NestValue) Get(name string) (any, bool) { return getAttr(n.Set, n.Attrs, name) }

func getAttr(set *AttrSet, attrs []Attr, name string) (any, bool) {
	for i := range attrs {
		if attrs[i].Name(set) == name {
			return attrs[i].Value, true
		}
	}
	return nil, false
}

// StructValue is a decoded struct.
type StructValue struct {
	Desc   *StructDesc
	Values []any          // one per Desc.Fields entry; Pad fields hold []byte
	Flex   []*StructValue // elements of Desc.Flex
	Tail   []byte         // bytes beyond the known size (a newer kernel's fields)
}

// Get returns a field's value by name.
func (s *StructValue) Get(name string) (any, bool) {
	i, ok := s.Desc.FieldIndex(name)
	if !ok {
		return nil, false
	}
	return s.Values[i], true
}

// HWAddr is a link-layer address.
type HWAddr []byte

func (h HWAddr) String() string {
	var b strings.Builder
	for i, c := range h {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02x", c)
	}
	return b.String()
}

// ParseHWAddr parses colon-separated hex bytes of any count ("" is empty).
func ParseHWAddr(s string) (HWAddr, error) {
	if s == "" {
		return HWAddr{}, nil
	}
	parts := strings.Split(s, ":")
	h := make(HWAddr, len(parts))
	for i, p := range parts {
		if len(p) == 0 || len(p) > 2 {
			return nil, fmt.Errorf("bad link-layer address %q", s)
		}
		var v byte
		for _, c := range []byte(p) {
			d, ok := hexDigit(c)
			if !ok {
				return nil, fmt.Errorf("bad link-layer address %q", s)
			}
			v = v<<4 | d
		}
		h[i] = v
	}
	return h, nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Table is a script value handed to the encoder: a list part and a keyed part,
// as a Lua table has. Front ends convert their values to Table, strings,
// numbers and booleans; the encoder interprets them by description.
type Table struct {
	List []any
	Map  map[string]any
}

// Opaque is a script value that means nothing on the wire (a Lua function,
// a coroutine, userdata). Front ends hand it over rather than a text of
// their own making, so that the encoder refuses it by name, with the path
// of the field or attribute it was given for.
type Opaque struct {
	Type  string // what it is, for errors: "a function"
	Value any    // the front end's own value, for the front end
}
