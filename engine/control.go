package engine

// Control messages and header flags shared by every netlink protocol
// (linux/netlink.h).

// Netlink control message types.
const (
	NLMSG_NOOP    = 0x1
	NLMSG_ERROR   = 0x2
	NLMSG_DONE    = 0x3
	NLMSG_OVERRUN = 0x4
)

// Header flags. Bits 0x100-0x800 mean different things for GET, NEW and DEL
// requests and for acknowledgements.
const (
	NLM_F_REQUEST       = 0x01
	NLM_F_MULTI         = 0x02
	NLM_F_ACK           = 0x04
	NLM_F_ECHO          = 0x08
	NLM_F_DUMP_INTR     = 0x10
	NLM_F_DUMP_FILTERED = 0x20
	NLM_F_ROOT          = 0x100
	NLM_F_MATCH         = 0x200
	NLM_F_ATOMIC        = 0x400
	NLM_F_DUMP          = NLM_F_ROOT | NLM_F_MATCH
	NLM_F_REPLACE       = 0x100
	NLM_F_EXCL          = 0x200
	NLM_F_CREATE        = 0x400
	NLM_F_APPEND        = 0x800
	NLM_F_NONREC        = 0x100
	NLM_F_BULK          = 0x200
	NLM_F_CAPPED        = 0x100
	NLM_F_ACK_TLVS      = 0x200
)

// Attribute type bits.
const (
	NLA_F_NESTED        = 0x8000
	NLA_F_NET_BYTEORDER = 0x4000
	NLA_TYPE_MASK       = ^uint16(NLA_F_NESTED | NLA_F_NET_BYTEORDER)
)

var commonFlags = []EnumValue{
	{"NLM_F_REQUEST", NLM_F_REQUEST}, {"NLM_F_MULTI", NLM_F_MULTI}, {"NLM_F_ACK", NLM_F_ACK},
	{"NLM_F_ECHO", NLM_F_ECHO}, {"NLM_F_DUMP_INTR", NLM_F_DUMP_INTR}, {"NLM_F_DUMP_FILTERED", NLM_F_DUMP_FILTERED},
}

func flagsWith(name string, extra ...EnumValue) *Enum {
	return NewFlags(name, append(append([]EnumValue{}, commonFlags...), extra...)...)
}

// Header flag names by the operation of the message they sit on.
var (
	GetFlags   = flagsWith("nlm_flags(get)", EnumValue{"NLM_F_ROOT", NLM_F_ROOT}, EnumValue{"NLM_F_MATCH", NLM_F_MATCH}, EnumValue{"NLM_F_ATOMIC", NLM_F_ATOMIC})
	NewOpFlags = flagsWith("nlm_flags(new)", EnumValue{"NLM_F_REPLACE", NLM_F_REPLACE}, EnumValue{"NLM_F_EXCL", NLM_F_EXCL}, EnumValue{"NLM_F_CREATE", NLM_F_CREATE}, EnumValue{"NLM_F_APPEND", NLM_F_APPEND})
	DelFlags   = flagsWith("nlm_flags(del)", EnumValue{"NLM_F_NONREC", NLM_F_NONREC}, EnumValue{"NLM_F_BULK", NLM_F_BULK})
	AckFlags   = flagsWith("nlm_flags(ack)", EnumValue{"NLM_F_CAPPED", NLM_F_CAPPED}, EnumValue{"NLM_F_ACK_TLVS", NLM_F_ACK_TLVS})
	// AllFlags names every NLM_F_ constant once, for scripts; overlapping
	// values keep all their names.
	AllFlags = NewFlags("nlm_flags", append(append([]EnumValue{}, commonFlags...),
		EnumValue{"NLM_F_ROOT", NLM_F_ROOT}, EnumValue{"NLM_F_MATCH", NLM_F_MATCH}, EnumValue{"NLM_F_ATOMIC", NLM_F_ATOMIC},
		EnumValue{"NLM_F_DUMP", NLM_F_DUMP},
		EnumValue{"NLM_F_REPLACE", NLM_F_REPLACE}, EnumValue{"NLM_F_EXCL", NLM_F_EXCL}, EnumValue{"NLM_F_CREATE", NLM_F_CREATE}, EnumValue{"NLM_F_APPEND", NLM_F_APPEND},
		EnumValue{"NLM_F_NONREC", NLM_F_NONREC}, EnumValue{"NLM_F_BULK", NLM_F_BULK},
		EnumValue{"NLM_F_CAPPED", NLM_F_CAPPED}, EnumValue{"NLM_F_ACK_TLVS", NLM_F_ACK_TLVS})...)
)

// FlagsFor names the header flags of a message of type t.
func FlagsFor(t *MsgType) *Enum {
	if t == nil {
		return NewOpFlags
	}
	switch t.Op {
	case OpGet:
		return GetFlags
	case OpDel:
		return DelFlags
	case OpNew, OpSet:
		return NewOpFlags
	}
	if t.Type == NLMSG_ERROR || t.Type == NLMSG_DONE {
		return AckFlags
	}
	if t.Family != "" {
		// A generic netlink operation whose name says nothing of what it
		// does is most often a get: name the dump bits.
		return GetFlags
	}
	return NewFlags("nlm_flags", commonFlags...)
}

// ErrAttrs is the extended-acknowledgement attribute set (NLMSGERR_ATTR_*).
var ErrAttrs = NewAttrSet("nlmsgerr_attrs", "NLMSGERR_ATTR_",
	&AttrDesc{Name: "NLMSGERR_ATTR_MSG", Type: 1, Kind: Asciiz, Doc: "error message text"},
	&AttrDesc{Name: "NLMSGERR_ATTR_OFFS", Type: 2, Kind: U32, Doc: "offset of the offending attribute in the request"},
	&AttrDesc{Name: "NLMSGERR_ATTR_COOKIE", Type: 3, Kind: Binary},
	&AttrDesc{Name: "NLMSGERR_ATTR_POLICY", Type: 4, Kind: Nested, Set: PolicyAttrs},
	&AttrDesc{Name: "NLMSGERR_ATTR_MISS_TYPE", Type: 5, Kind: U32, Doc: "type of a missing required attribute"},
	&AttrDesc{Name: "NLMSGERR_ATTR_MISS_NEST", Type: 6, Kind: U32, Doc: "offset of the nest where an attribute is missing"},
)

// PolicyTypes names NL_ATTR_TYPE_* values.
var PolicyTypes = NewEnum("nl_attr_type", Seq(0, "NL_ATTR_TYPE_INVALID", "NL_ATTR_TYPE_FLAG",
	"NL_ATTR_TYPE_U8", "NL_ATTR_TYPE_U16", "NL_ATTR_TYPE_U32", "NL_ATTR_TYPE_U64",
	"NL_ATTR_TYPE_S8", "NL_ATTR_TYPE_S16", "NL_ATTR_TYPE_S32", "NL_ATTR_TYPE_S64",
	"NL_ATTR_TYPE_BINARY", "NL_ATTR_TYPE_STRING", "NL_ATTR_TYPE_NUL_STRING",
	"NL_ATTR_TYPE_NESTED", "NL_ATTR_TYPE_NESTED_ARRAY", "NL_ATTR_TYPE_BITFIELD32")...)

// PolicyAttrs is the NL_POLICY_TYPE_ATTR_* set carried in NLMSGERR_ATTR_POLICY.
var PolicyAttrs = NewAttrSet("policy_type_attrs", "NL_POLICY_TYPE_ATTR_",
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_TYPE", Type: 1, Kind: U32, Enum: PolicyTypes},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_MIN_VALUE_S", Type: 2, Kind: S64},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_MAX_VALUE_S", Type: 3, Kind: S64},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_MIN_VALUE_U", Type: 4, Kind: U64},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_MAX_VALUE_U", Type: 5, Kind: U64},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_MIN_LENGTH", Type: 6, Kind: U32},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_MAX_LENGTH", Type: 7, Kind: U32},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_POLICY_IDX", Type: 8, Kind: U32},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE", Type: 9, Kind: U32},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_BITFIELD32_MASK", Type: 10, Kind: U32},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_PAD", Type: 11, Kind: Binary},
	&AttrDesc{Name: "NL_POLICY_TYPE_ATTR_MASK", Type: 12, Kind: U64},
)

// HeaderStruct is struct nlmsghdr with pyroute2's key names.
var HeaderStruct = NewStruct("nlmsghdr",
	Field{Name: "length", CName: "nlmsg_len", Kind: U32}, Field{Name: "type", CName: "nlmsg_type", Kind: U16},
	Field{Name: "flags", CName: "nlmsg_flags", Kind: U16},
	Field{Name: "sequence_number", CName: "nlmsg_seq", Kind: U32}, Field{Name: "pid", CName: "nlmsg_pid", Kind: U32})

// ErrClass is struct nlmsgerr: the error code, then the request's header (and,
// without NLM_F_CAPPED, the request's payload, kept in Record.Payload), then
// extended-ACK attributes when NLM_F_ACK_TLVS is set.
var ErrClass = &Class{Name: "nlmsgerr", Doc: "error or acknowledgement (NLMSG_ERROR)",
	Struct: NewStruct("nlmsgerr", Field{Name: "error", Kind: S32},
		Field{Name: "length", CName: "msg.nlmsg_len", Kind: U32}, Field{Name: "type", CName: "msg.nlmsg_type", Kind: U16},
		Field{Name: "flags", CName: "msg.nlmsg_flags", Kind: U16},
		Field{Name: "sequence_number", CName: "msg.nlmsg_seq", Kind: U32}, Field{Name: "pid", CName: "msg.nlmsg_pid", Kind: U32}),
	Attrs: ErrAttrs}

// DoneClass is the NLMSG_DONE payload: an error code and, with NLM_F_ACK_TLVS,
// extended-ACK attributes.
var DoneClass = &Class{Name: "nlmsgdone", Doc: "end of a dump (NLMSG_DONE)",
	Struct: NewStruct("nlmsgdone", Field{Name: "error", Kind: S32}), Attrs: ErrAttrs}

var controlTypes = [0x10]*MsgType{
	NLMSG_NOOP:    {Name: "NLMSG_NOOP", Type: NLMSG_NOOP},
	NLMSG_ERROR:   {Name: "NLMSG_ERROR", Type: NLMSG_ERROR, Class: ErrClass},
	NLMSG_DONE:    {Name: "NLMSG_DONE", Type: NLMSG_DONE, Class: DoneClass},
	NLMSG_OVERRUN: {Name: "NLMSG_OVERRUN", Type: NLMSG_OVERRUN},
}

// ControlTypes lists the control message types (NLMSG_*).
func ControlTypes() []*MsgType {
	var ts []*MsgType
	for _, t := range controlTypes {
		if t != nil {
			ts = append(ts, t)
		}
	}
	return ts
}
