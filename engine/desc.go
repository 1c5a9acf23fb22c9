package engine

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Kind is the wire representation of a value: of an attribute payload, of a
// struct field or of an array element.
type Kind uint8

// Value kinds. Integer kinds are host byte order (little-endian on every
// platform nlsh runs on) unless named BE.
const (
	Invalid Kind = iota
	U8
	U16
	U32
	U64
	S8
	S16
	S32
	S64
	BE16 // big-endian (network byte order) unsigned integers
	BE32
	BE64
	String   // text without a terminating NUL
	Asciiz   // text with a terminating NUL
	Binary   // opaque bytes
	IPv4     // 4-byte address
	IPv6     // 16-byte address
	IP       // 4 or 16 bytes, chosen by length
	LLAddr   // link-layer address of any length
	Flag     // attribute with no payload; present means true
	Nested   // payload is an attribute set (AttrDesc.Set)
	Struct   // payload is a C struct (AttrDesc.Struct)
	Array    // payload is back-to-back values of AttrDesc.Elem
	SubMsg   // payload format chosen by a sibling attribute (AttrDesc.Sub)
	Records  // payload is a sequence of length-prefixed records (AttrDesc.Record)
	Embedded // payload is one record of class AttrDesc.Record filling the payload (VETH_INFO_PEER)
	Pad      // padding: struct fields, and pad attributes (decoded as bytes)
	Uint     // unsigned integer of 4 or 8 bytes, as long as the value needs (YNL's uint)
	Sint     // signed integer of 4 or 8 bytes (YNL's sint)
	SBE16    // big-endian (network byte order) signed integers
	SBE32
	SBE64
)

var kindNames = [...]string{
	Invalid: "invalid", U8: "u8", U16: "u16", U32: "u32", U64: "u64",
	S8: "s8", S16: "s16", S32: "s32", S64: "s64",
	BE16: "be16", BE32: "be32", BE64: "be64",
	String: "string", Asciiz: "asciiz", Binary: "binary",
	IPv4: "ipv4", IPv6: "ipv6", IP: "ip", LLAddr: "lladdr", Flag: "flag",
	Nested: "nested", Struct: "struct", Array: "array", SubMsg: "sub-message",
	Records: "records", Embedded: "embedded", Pad: "pad", Uint: "uint", Sint: "sint",
	SBE16: "sbe16", SBE32: "sbe32", SBE64: "sbe64",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind" + strconv.Itoa(int(k))
}

// Size is the fixed wire size of k, or 0 when it varies.
func (k Kind) Size() int {
	switch k {
	case U8, S8:
		return 1
	case U16, S16, BE16, SBE16:
		return 2
	case U32, S32, BE32, SBE32, IPv4:
		return 4
	case U64, S64, BE64, SBE64:
		return 8
	case IPv6:
		return 16
	}
	return 0
}

// IsInt reports whether k is an integer kind.
func (k Kind) IsInt() bool { return k >= U8 && k <= BE64 || k >= Uint && k <= SBE64 }

// IsSigned reports whether k is a signed integer kind.
func (k Kind) IsSigned() bool { return k >= S8 && k <= S64 || k == Sint || k >= SBE16 && k <= SBE64 }

// Enum names the values of an integer field or attribute. When Flags is set the
// names are bits that combine.
type Enum struct {
	Name   string
	Flags  bool
	Values []EnumValue // in declaration order
	// Other writes a value no EnumValue names in the form people know it
	// by (a tc handle's major:minor, "1:10"), and ParseOther reads that
	// form back; both optional. Other's text is shown beside the number,
	// never used as a name to choose a layout by.
	Other      func(v uint64) (string, bool)
	ParseOther func(s string) (uint64, bool)

	idx lazyIndex[enumIndex]
}

// enumIndex finds an Enum's values both ways. It is built on first use: a
// program that runs once looks at a few of the hundreds of enums a
// protocol describes, and building them all would be most of its start-up.
type enumIndex struct {
	small   []string // names by value, for values below len(small)
	byValue map[uint64]string
	byName  map[string]uint64
}

// lazyIndex is an index built from a description on first use, safe for
// concurrent use: every reader sees a complete index or builds one.
type lazyIndex[T any] struct {
	mu sync.Mutex
	p  atomic.Pointer[T]
}

// get returns the index, building it with build the first time.
func (l *lazyIndex[T]) get(build func() *T) *T {
	if ix := l.p.Load(); ix != nil {
		return ix
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if ix := l.p.Load(); ix != nil {
		return ix
	}
	ix := build()
	l.p.Store(ix)
	return ix
}

// reset drops the index, so the next use builds it from the description
// as it is now.
func (l *lazyIndex[T]) reset() { l.p.Store(nil) }

// EnumValue is one named value of an Enum.
type EnumValue struct {
	Name  string
	Value uint64
}

// NewEnum builds an Enum of plain values.
func NewEnum(name string, values ...EnumValue) *Enum {
	return &Enum{Name: name, Values: values}
}

// NewFlags builds an Enum whose values are bits.
func NewFlags(name string, values ...EnumValue) *Enum {
	return &Enum{Name: name, Flags: true, Values: values}
}

// Seq builds EnumValues numbered start, start+1, ... in the order given; an
// empty name skips a number.
func Seq(start uint64, names ...string) []EnumValue {
	vs := make([]EnumValue, 0, len(names))
	for i, n := range names {
		if n != "" {
			vs = append(vs, EnumValue{n, start + uint64(i)})
		}
	}
	return vs
}

// smallValues bounds the values an index keeps in a slice rather than a
// map: enum values are mostly small and dense.
const smallValues = 256

func (e *Enum) index() *enumIndex {
	return e.idx.get(func() *enumIndex {
		ix := &enumIndex{byName: make(map[string]uint64, len(e.Values))}
		for _, v := range e.Values {
			switch {
			case v.Value < smallValues:
				if int(v.Value) >= len(ix.small) {
					ix.small = append(ix.small, make([]string, int(v.Value)+1-len(ix.small))...)
				}
				if ix.small[v.Value] == "" {
					ix.small[v.Value] = v.Name
				}
			default:
				if ix.byValue == nil {
					ix.byValue = map[uint64]string{}
				}
				if _, dup := ix.byValue[v.Value]; !dup {
					ix.byValue[v.Value] = v.Name
				}
			}
			ix.byName[v.Name] = v.Value
		}
		return ix
	})
}

// NameOf returns the name of v, if it has one.
func (e *Enum) NameOf(v uint64) (string, bool) {
	ix := e.index()
	if v < uint64(len(ix.small)) {
		n := ix.small[v]
		return n, n != ""
	}
	n, ok := ix.byValue[v]
	return n, ok
}

// Lookup returns the value named n.
func (e *Enum) Lookup(n string) (uint64, bool) {
	v, ok := e.index().byName[n]
	return v, ok
}

// Format renders v: the value's name (or Other's text for it), or for a
// flag set the names of its bits joined by '|' with any unnamed remainder
// in hex. ok is false when no name applies.
func (e *Enum) Format(v uint64) (string, bool) {
	if !e.Flags {
		if n, ok := e.NameOf(v); ok || e.Other == nil {
			return n, ok
		}
		return e.Other(v)
	}
	if v == 0 {
		return "", false
	}
	var parts []string
	rest := v
	for _, ev := range e.Values {
		if ev.Value != 0 && ev.Value&(ev.Value-1) == 0 && rest&ev.Value != 0 {
			parts = append(parts, ev.Name)
			rest &^= ev.Value
		}
	}
	if len(parts) == 0 {
		return "", false
	}
	if rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%x", rest))
	}
	return strings.Join(parts, "|"), true
}

// Parse turns a name (or for flags a '|'-separated list of names, or a form
// ParseOther reads) into a value.
func (e *Enum) Parse(s string) (uint64, error) {
	if !e.Flags {
		if v, ok := e.Lookup(s); ok {
			return v, nil
		}
		if e.ParseOther != nil {
			if v, ok := e.ParseOther(s); ok {
				return v, nil
			}
		}
		return 0, fmt.Errorf("unknown %s value %q", e.Name, s)
	}
	var v uint64
	for _, p := range strings.Split(s, "|") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		b, ok := e.Lookup(p)
		if !ok {
			return 0, fmt.Errorf("unknown %s flag %q", e.Name, p)
		}
		v |= b
	}
	return v, nil
}

// Field is one member of a fixed-layout struct.
type Field struct {
	Name   string
	Kind   Kind        // integer, IPv4, IPv6, Binary, Asciiz (fixed size), LLAddr (fixed size), Pad, Struct
	Size   int         // wire size; required for Binary, Asciiz, LLAddr, Pad
	Enum   *Enum       // names for an integer field
	Struct *StructDesc // the layout of a Struct field (a struct inside a struct)
	Hint   string      // how to show the value: HintHex, "uuid" (Binary only); YNL's display-hint
	Doc    string
	// Unset is what 0 means in a request ("unspecified"), shown there
	// instead of the enum's name for 0 when that name is only a reply's
	// (ifinfomsg.ifi_type 0 is ARPHRD_NETROM from the kernel).
	Unset string
	// CName is the field's name in the C struct, where it differs from
	// Name (pyroute2's): ifaddrmsg's index is ifa_index. People reading
	// rtnetlink(7) or the headers find the field by it (see Label).
	CName  string
	Offset int // filled in by NewStruct
}

// StructDesc is a fixed-layout C struct. Implicit C padding must be listed as
// Pad fields so offsets follow from the field sizes. A struct that ends in a
// flexible array of structs (tc_u32_sel's keys) names it with Flex and
// FlexName; the array takes whatever follows Size bytes.
type StructDesc struct {
	Name     string
	Fields   []Field
	Size     int
	Doc      string
	Flex     *StructDesc
	FlexName string

	idx lazyIndex[map[string]int] // names of a large struct's fields
}

// NewStruct builds a StructDesc, computing offsets and the total size. It
// is for descriptions written in Go, whose mistakes are the program's: it
// panics where MakeStruct returns an error.
func NewStruct(name string, fields ...Field) *StructDesc {
	// A name used twice in a description written in Go is for its tests
	// to find (FieldIndex would find only the first): start-up does not
	// look for it.
	s, err := makeStruct(name, fields, false)
	if err != nil {
		panic("engine: " + err.Error())
	}
	return s
}

// MakeStruct builds a StructDesc, computing offsets and the total size, or
// says why the fields do not make one (a field with no size, a Struct field
// without its layout, a name used twice).
func MakeStruct(name string, fields ...Field) (*StructDesc, error) {
	return makeStruct(name, fields, true)
}

// WithEnum returns a copy of s whose field named field takes its value
// names from en: the same bytes read with other names, as a message type
// reads its class's struct (MsgType.Fixed) or a generic netlink operation
// names its command.
func (s *StructDesc) WithEnum(field string, en *Enum) (*StructDesc, error) {
	i, ok := s.FieldIndex(field)
	if !ok {
		return nil, fmt.Errorf("struct %s has no field %s", s.Name, field)
	}
	if !s.Fields[i].Kind.IsInt() {
		return nil, fmt.Errorf("struct %s: field %s is %s, not an integer to name", s.Name, field, s.Fields[i].Kind)
	}
	c := &StructDesc{Name: s.Name, Fields: append([]Field(nil), s.Fields...), Size: s.Size, Doc: s.Doc, Flex: s.Flex, FlexName: s.FlexName}
	c.Fields[i].Enum = en
	return c, nil
}

func makeStruct(name string, fields []Field, checkNames bool) (*StructDesc, error) {
	s := &StructDesc{Name: name, Fields: fields}
	off := 0
	for i := range s.Fields {
		f := &s.Fields[i]
		if f.Kind == Struct {
			if f.Struct == nil {
				return nil, fmt.Errorf("struct %s: field %s is a struct with no layout", name, f.Name)
			}
			f.Size = f.Struct.Size
		}
		if f.Size == 0 {
			f.Size = f.Kind.Size()
		}
		if f.Size <= 0 {
			return nil, fmt.Errorf("struct %s: field %s (%s) has no size", name, f.Name, f.Kind)
		}
		f.Offset = off
		off += f.Size
		if checkNames && f.Kind != Pad {
			// Structs are small: comparing names costs less than a map.
			for _, g := range s.Fields[:i] {
				if g.Kind != Pad && g.Name == f.Name {
					return nil, fmt.Errorf("struct %s: field %s appears twice", name, f.Name)
				}
			}
		}
	}
	s.Size = off
	return s, nil
}

// linearFields is the most fields FieldIndex compares one by one before it
// uses a map.
const linearFields = 16

// FieldIndex returns the index of the named field.
func (s *StructDesc) FieldIndex(name string) (int, bool) {
	if len(s.Fields) <= linearFields {
		for i := range s.Fields {
			if s.Fields[i].Name == name && s.Fields[i].Kind != Pad {
				return i, true
			}
		}
		return 0, false
	}
	m := *s.idx.get(func() *map[string]int {
		m := make(map[string]int, len(s.Fields))
		for i, f := range s.Fields {
			if f.Kind != Pad {
				m[f.Name] = i
			}
		}
		return &m
	})
	i, ok := m[name]
	return i, ok
}

// AttrDesc describes one attribute of a set.
type AttrDesc struct {
	Name   string
	Type   uint16
	Kind   Kind
	Set    *AttrSet    // Nested
	Struct *StructDesc // Struct
	Elem   Kind        // Array element kind
	Sub    *SubMessage // SubMsg
	Record *Class      // Records, Embedded: each record is Record.Struct followed by Record.Attrs
	Enum   *Enum       // names for an integer attribute
	Doc    string

	// CName is the attribute's name in C (ETHTOOL_A_HEADER_DEV_NAME) when
	// Name is another form (dev-name); both find it in its set.
	CName string
	// NestFlag makes the encoder set NLA_F_NESTED on this attribute (or,
	// on a sub-message format, on the attribute using it) unless the
	// script gives nla_flags itself. Strict kernel policies refuse a nest
	// without it; generic netlink sets it on every nest.
	NestFlag bool
	// Multi says the attribute may appear more than once (YNL's
	// multi-attr): a keyed table gives its values as a list.
	Multi bool
	// Hint says how to show the value: HintHex (an integer or Binary),
	// "uuid" (Binary); YNL's display-hint (addresses become their own
	// kinds instead).
	Hint string
}

// HintHex shows an integer in hex (a mask, a mark: 0xff00), and binary as
// hex digits.
const HintHex = "hex"

// InnerSet is the attribute set inside an attribute: a nest's, or that of
// its records; nil when its payload holds no attributes of a fixed set.
func (d *AttrDesc) InnerSet() *AttrSet {
	switch d.Kind {
	case Nested:
		return d.Set
	case Records, Embedded:
		return d.Record.Attrs
	}
	return nil
}

// AddsNestFlag reports whether the encoder sets NLA_F_NESTED on an
// attribute described by d unless told otherwise (any of a sub-message's
// formats counts: nla_flags 0 where it was not needed changes nothing). A
// kernel that left the flag off is then told so, as nla_flags 0.
func (d *AttrDesc) AddsNestFlag() bool {
	if d == nil {
		return false
	}
	if d.NestFlag {
		return true
	}
	if d.Kind == SubMsg {
		for _, f := range d.Sub.Formats {
			if f.NestFlag {
				return true
			}
		}
		return d.Sub.Default != nil && d.Sub.Default.NestFlag
	}
	return false
}

// SubMessage chooses an attribute's payload format from the value of a sibling
// attribute (IFLA_INFO_KIND for IFLA_INFO_DATA), failing that of an attribute
// of an enclosing set (TCA_KIND for TCA_STATS2's TCA_STATS_APP), failing that
// of a field of the message's fixed header (ifinfomsg's family for
// IFLA_AF_SPEC, whose layout differs in AF_BRIDGE messages).
// Formats is keyed by the selector's string value, or for an integer selector by
// its enum name, else its decimal value. Unknown selector values decode as
// Binary.
type SubMessage struct {
	Selector string               // name of the sibling attribute, or of a field of the enclosing struct
	Formats  map[string]*AttrDesc // selector value -> format (Kind and Set/Struct/…)
	Default  *AttrDesc            // format for other values, or nil for Binary
}

// Format returns the format for a selector value (ok false when the
// selector was not found): the listed one, else Default.
func (s *SubMessage) Format(sel string, ok bool) *AttrDesc {
	if ok {
		if f := s.Formats[sel]; f != nil {
			return f
		}
	}
	return s.Default
}

// AttrSet is a family of attributes sharing a number space.
type AttrSet struct {
	Name   string
	Prefix string // common name prefix, used to name unknown attributes ("IFLA_43")
	Attrs  []*AttrDesc
	// Indexed, when set, makes the set an array: every attribute number is
	// an index (or, for YNL's nest-type-value, a value) and every
	// attribute is laid out as Indexed says. Attrs is empty then.
	Indexed *AttrDesc
	Doc     string

	idx lazyIndex[attrIndex]
}

// attrIndex finds a set's attributes by number and by name. Like an
// Enum's, it is built on first use.
type attrIndex struct {
	small  []*AttrDesc // by number, for numbers below len(small)
	byType map[uint16]*AttrDesc
	byName map[string]*AttrDesc
}

func (ix *attrIndex) byNumber(t uint16) *AttrDesc {
	if int(t) < len(ix.small) {
		return ix.small[t]
	}
	return ix.byType[t]
}

// add indexes a, or says why it cannot (its number or its name is taken).
func (ix *attrIndex) add(set string, a *AttrDesc) error {
	if old := ix.byNumber(a.Type); old != nil {
		return fmt.Errorf("attribute set %s: %s and %s are both number %d", set, old.Name, a.Name, a.Type)
	}
	if old, dup := ix.byName[a.Name]; dup {
		return fmt.Errorf("attribute set %s: two attributes named %s (%d and %d)", set, a.Name, old.Type, a.Type)
	}
	switch {
	case a.Type < smallValues:
		if int(a.Type) >= len(ix.small) {
			ix.small = append(ix.small, make([]*AttrDesc, int(a.Type)+1-len(ix.small))...)
		}
		ix.small[a.Type] = a
	default:
		if ix.byType == nil {
			ix.byType = map[uint16]*AttrDesc{}
		}
		ix.byType[a.Type] = a
	}
	ix.byName[a.Name] = a
	if a.CName != "" && a.CName != a.Name {
		if _, taken := ix.byName[a.CName]; !taken {
			ix.byName[a.CName] = a
		}
	}
	return nil
}

// index returns the set's index, building it on first use. A duplicate
// number or name among attributes given to Add is the description's
// mistake, found here: the tests look every set of a protocol up.
func (s *AttrSet) index() *attrIndex {
	return s.idx.get(func() *attrIndex {
		ix := &attrIndex{byName: make(map[string]*AttrDesc, len(s.Attrs))}
		for _, a := range s.Attrs {
			if err := ix.add(s.Name, a); err != nil {
				panic("engine: " + err.Error())
			}
		}
		return ix
	})
}

// NewAttrSet builds a set. Attributes may be added later with Add, which lets
// sets refer to each other recursively.
func NewAttrSet(name, prefix string, attrs ...*AttrDesc) *AttrSet {
	return &AttrSet{Name: name, Prefix: prefix, Attrs: attrs[:len(attrs):len(attrs)]}
}

// NewIndexedSet builds an array set: attribute n is element n, laid out as
// elem says (elem's Name and Type are ignored).
func NewIndexedSet(name string, elem *AttrDesc) *AttrSet {
	s := NewAttrSet(name, "")
	s.Indexed = elem
	return s
}

// Add appends attributes to the set. It is for descriptions written in Go,
// whose mistakes are the program's: a number or name used twice panics
// (when the set is first looked up, or now if it has been), where Insert
// returns an error.
func (s *AttrSet) Add(attrs ...*AttrDesc) {
	if s.idx.p.Load() == nil {
		s.Attrs = append(s.Attrs, attrs...)
		return
	}
	for _, a := range attrs {
		if err := s.Insert(a); err != nil {
			panic("engine: " + err.Error())
		}
	}
}

// Insert appends one attribute, or says why it cannot (its number or a
// name is taken). Like Add, it must not run while the set is in use.
func (s *AttrSet) Insert(a *AttrDesc) error {
	if err := s.index().add(s.Name, a); err != nil {
		return err
	}
	s.Attrs = append(s.Attrs, a)
	return nil
}

// ByType returns the attribute numbered t (NLA_F_* bits must be cleared).
func (s *AttrSet) ByType(t uint16) *AttrDesc {
	if s == nil {
		return nil
	}
	if s.Indexed != nil {
		return s.element(t)
	}
	return s.index().byNumber(t)
}

// element is the description of element t of an array set. Arrays are
// rare and short, so each lookup builds its own rather than sharing a
// cache between the goroutines that decode.
func (s *AttrSet) element(t uint16) *AttrDesc {
	d := *s.Indexed
	d.Name, d.Type, d.CName = strconv.Itoa(int(t)), t, ""
	return &d
}

// ByName returns the named attribute. A name may be given as the set
// names it, as its C name, or with '_' for '-' (dev_name for dev-name, so
// that a Lua identifier can name it). Unknown attributes may be named by
// number ("IFLA_43") or by their number alone ("43"); those return a
// synthetic Binary descriptor.
func (s *AttrSet) ByName(n string) (*AttrDesc, bool) {
	if s == nil {
		return nil, false
	}
	ix := s.index()
	if a, ok := ix.byName[n]; ok {
		return a, true
	}
	if strings.IndexByte(n, '_') >= 0 {
		if a, ok := ix.byName[strings.ReplaceAll(n, "_", "-")]; ok {
			return a, true
		}
	}
	num := n
	if s.Prefix != "" && strings.HasPrefix(n, s.Prefix) {
		num = n[len(s.Prefix):]
	}
	if t, err := strconv.ParseUint(num, 10, 16); err == nil {
		if a := s.ByType(uint16(t)); a != nil {
			return a, true
		}
		return &AttrDesc{Name: s.UnknownName(uint16(t)), Type: uint16(t), Kind: Binary}, true
	}
	return nil, false
}

// UnknownName names an attribute the set does not describe.
func (s *AttrSet) UnknownName(t uint16) string {
	if s == nil || s.Prefix == "" {
		return strconv.Itoa(int(t))
	}
	return s.Prefix + strconv.Itoa(int(t))
}

// Suggest returns the names in the set closest to n, for error messages.
func (s *AttrSet) Suggest(n string) []string {
	if s == nil {
		return nil
	}
	names := make([]string, 0, len(s.Attrs))
	for _, a := range s.Attrs {
		names = append(names, a.Name)
	}
	return Closest(n, names, 3)
}

// Class is a message layout: a fixed struct followed by attributes. Records
// (such as RTA_MULTIPATH's rtnexthop) are classes too; for those LenField names
// the struct field that holds the record's total length.
type Class struct {
	Name     string
	Aliases  []string
	Struct   *StructDesc
	Attrs    *AttrSet
	LenField string
	Doc      string
	// Brief names the columns of the one-line form of a message of the
	// class (see Brief), as `ip -br` shows links and addresses.
	Brief []string
}

// Op says what a message type does; it decides how NLM_F_ bits are named.
type Op uint8

// Message operations.
const (
	OpOther Op = iota
	OpNew
	OpDel
	OpGet
	OpSet
)

// MsgType is one netlink message type of a protocol. In generic netlink
// a type number is a family and the command in the genlmsghdr picks the
// operation: Family names the family then, and Name the operation.
type MsgType struct {
	Name   string
	Type   uint16
	Class  *Class
	Op     Op
	Family string
	Doc    string
	// Fixed, if set, is the class's struct as this type reads it: the
	// same fields, some with other value names (a filter's tcm_info is
	// its priority and protocol, a qdisc's a reference count). Make it
	// with StructDesc.WithEnum, so that the bytes cannot differ.
	Fixed *StructDesc
}

// Layout is the fixed struct of class c as a message of type t reads it:
// t's own (MsgType.Fixed) when t is of class c, else c's. t and c may be
// nil.
func (c *Class) Layout(t *MsgType) *StructDesc {
	if c == nil {
		return nil
	}
	if t != nil && t.Fixed != nil && t.Class == c {
		return t.Fixed
	}
	return c.Struct
}

// Title names the message type for people: "RTM_NEWLINK", or for a
// generic netlink operation its family and name ("ethtool linkinfo-get").
func (t *MsgType) Title() string {
	if t.Family != "" && t.Name != t.Family {
		return t.Family + " " + t.Name
	}
	return t.Name
}

// Group is a multicast group.
type Group struct {
	Name   string // short name used by nl.events / ip.monitor ("link", "ipv4-ifaddr")
	Const  string // RTNLGRP_* name
	Number uint32
}

// Const is a named integer constant exported to scripts.
type Const struct {
	Name  string
	Value int64
}

// Protocol is a netlink family described as data.
type Protocol struct {
	Name    string // "route"
	Number  int    // NETLINK_ROUTE
	Types   []*MsgType
	Classes []*Class
	Groups  []Group
	Consts  []Const
	Enums   []*Enum
	// Dynamic finds the message types Types cannot list because their
	// numbers are given out at run time (generic netlink's family ids).
	Dynamic Resolver
	// AckOnly says the kernel answers a change (a type of Op OpNew, OpDel
	// or OpSet) that asks for an ACK and no echo with the acknowledgement
	// alone, as rtnetlink does; a request then reads its answer in one
	// system call instead of two.
	AckOnly bool

	idx lazyIndex[protoIndex]
}

// protoIndex finds a protocol's message types and classes; built on first
// use, like a set's.
type protoIndex struct {
	small   []*MsgType // by number, below len(small)
	byType  map[uint16]*MsgType
	byName  map[string]*MsgType
	classes map[string]*Class
}

// Build readies the protocol; call it once after filling the exported
// fields. The indexes are built when first needed.
func (p *Protocol) Build() *Protocol {
	p.idx.reset()
	return p
}

func (p *Protocol) index() *protoIndex {
	return p.idx.get(func() *protoIndex {
		ix := &protoIndex{byName: make(map[string]*MsgType, len(p.Types)), classes: map[string]*Class{}}
		for _, t := range p.Types {
			if t.Type < smallValues {
				if int(t.Type) >= len(ix.small) {
					ix.small = append(ix.small, make([]*MsgType, int(t.Type)+1-len(ix.small))...)
				}
				ix.small[t.Type] = t
			} else {
				if ix.byType == nil {
					ix.byType = map[uint16]*MsgType{}
				}
				ix.byType[t.Type] = t
			}
			ix.byName[t.Name] = t
		}
		for _, c := range p.Classes {
			ix.classes[c.Name] = c
			for _, a := range c.Aliases {
				ix.classes[a] = c
			}
		}
		return ix
	})
}

// staticType is the static table's type numbered t.
func (p *Protocol) staticType(t uint16) *MsgType {
	ix := p.index()
	if int(t) < len(ix.small) {
		return ix.small[t]
	}
	return ix.byType[t]
}

// TypeByNumber returns the message type numbered t from the protocol's
// static table, including the control messages every protocol shares
// (NLMSG_ERROR, NLMSG_DONE, …). It cannot see a dynamic protocol's types,
// whose layout depends on the body and the direction: use Resolve for
// messages.
func (p *Protocol) TypeByNumber(t uint16) *MsgType {
	if t < 0x10 {
		return controlTypes[t]
	}
	if p == nil {
		return nil
	}
	return p.staticType(t)
}

// TypeByName returns the message type with the given name.
func (p *Protocol) TypeByName(n string) *MsgType {
	for _, c := range controlTypes {
		if c != nil && c.Name == n {
			return c
		}
	}
	if p == nil {
		return nil
	}
	return p.index().byName[n]
}

// Class returns the class with the given name or alias.
func (p *Protocol) Class(n string) *Class {
	if p == nil {
		return nil
	}
	return p.index().classes[n]
}

// ClassNames lists the names and aliases of the protocol's classes, sorted.
func (p *Protocol) ClassNames() []string {
	var ns []string
	for n := range p.index().classes {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// closestMax bounds the length of a name Closest will match: no name nlsh
// knows is nearly that long, and a megabyte pasted by mistake must not cost
// an edit distance against every candidate.
const closestMax = 256

// Closest returns up to max candidates nearest to n by edit distance, nearest
// first, for "did you mean" hints. Names longer than 256 bytes get none.
func Closest(n string, candidates []string, max int) []string {
	if len(n) > closestMax {
		return nil
	}
	type scored struct {
		s string
		d int
	}
	var ss []scored
	ln := strings.ToLower(n)
	limit := closestLimit(n)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		var d int
		if strings.Contains(lc, ln) {
			// The distance to a name containing n is the letters around it.
			d = (len(lc) - len(ln)) / 3
		} else if diff := len(lc) - len(ln); diff > limit || -diff > limit {
			continue // the distance is at least the difference in length
		} else {
			d = editDistance(ln, lc)
		}
		if d <= limit {
			ss = append(ss, scored{c, d})
		}
	}
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].d < ss[j].d })
	var out []string
	for i := 0; i < len(ss) && i < max; i++ {
		out = append(out, ss[i].s)
	}
	return out
}

// closestLimit is the farthest a candidate may be from n, in edits, to be
// suggested: half of n's letters, rounded up. Farther, most of the name
// was rewritten, and the hint only misleads ('team' is 3 edits from
// 'IOAM6', 'galaxy' 5 from 'global').
func closestLimit(n string) int { return (len(n) + 1) / 2 }

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
