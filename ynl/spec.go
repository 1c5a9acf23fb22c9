package ynl

import "nlsh/engine"

// Spec is one family's spec, turned into engine descriptions.
type Spec struct {
	Name     string // the family name ("ethtool", "rt-link")
	Protocol string // "genetlink", "genetlink-c", "genetlink-legacy" or "netlink-raw"
	Doc      string
	File     string // where it was read from
	Protonum int    // netlink-raw: the netlink protocol number (0 for NETLINK_ROUTE)
	Version  int    // genetlink family version (the spec's, default 1); 0 for netlink-raw

	// Enums are the definitions of type enum and flags, in spec order.
	// Values are named as the spec names them ("compact-bitsets"); a
	// flags entry is a bit number n, so its value is 1<<n. EnumCNames
	// gives the C names.
	Enums []*engine.Enum
	// Structs are the definitions of type struct, in spec order.
	Structs []*engine.StructDesc
	// Consts are the integer definitions of type const, by C name
	// (DPLL_TEMP_DIVIDER); TextConsts those whose value is text.
	Consts     []engine.Const
	TextConsts []TextConst
	// Sets are the attribute-sets in spec order. Attributes are named as
	// the spec names them (dev-name), with their C name in CName
	// (ETHTOOL_A_HEADER_DEV_NAME); a set's Prefix is its C prefix, which
	// names the numbers it does not know. A subset (subset-of) holds
	// only the attributes it lists, numbered and typed as in its parent
	// set unless it says otherwise.
	Sets   []*engine.AttrSet
	Fixed  *engine.StructDesc // the family-wide fixed header (operations: fixed-header), nil if none
	Ops    []*Op              // operations in spec order
	Groups []Group            // mcast-groups

	// MsgIDModel is how operations are numbered: "unified" (one number
	// for both directions) or "directional" (requests and replies
	// counted apart).
	MsgIDModel string

	enums   map[string]*engine.Enum
	enumC   map[*engine.Enum][]string
	structs map[string]*engine.StructDesc
	sets    map[string]*engine.AttrSet
	ops     map[string]*Op
}

// Op is one operation (or notification, or event) of a family.
type Op struct {
	Name, Doc string
	// CName is the C enum name of its command/message id: the request's
	// for a call, the notification's for a notification or event.
	CName string
	// ReplyCName is the C name of the id in replies: CName in a unified
	// family and for notifications; CName + "_REPLY" for a call in a
	// directional one (ETHTOOL_MSG_STRSET_GET_REPLY). "" when Reply is -1.
	ReplyCName string
	Set        *engine.AttrSet    // its attribute-set (a notification's is that of the operation it notifies for)
	Fixed      *engine.StructDesc // its fixed header (the op's own, else the family's), nil if none
	Flags      []string           // admin-perm, uns-admin-perm, …
	Do, Dump   *Mode              // nil when the operation has no do / no dump
	Event      *Mode              // for event-only operations (notifications): the attributes in Reply; nil otherwise
	Notify     string             // the operation whose reply layout this notification shares
	MCGroup    string             // the multicast group its notifications go to
	Request    int                // the command/message id in requests (user → kernel); -1 when none
	Reply      int                // the id in replies and notifications (kernel → user); -1 when none
}

// Mode is a do, dump or event of an operation: the attributes listed for
// each direction.
type Mode struct {
	Request, Reply       []string // attribute names listed for the request and the reply (nil when that side is absent)
	HasRequest, HasReply bool
}

// Group is a multicast group. Value is given for netlink-raw, and 0 for
// generic netlink, whose group ids are given out at run time.
type Group struct {
	Name, CName string
	Value       uint32
}

// TextConst is a const definition whose value is text.
type TextConst struct {
	Name  string // the C name
	Value string
}

// Enum returns the enum or flags definition of that name, or nil.
func (s *Spec) Enum(name string) *engine.Enum { return s.enums[name] }

// EnumCNames returns the C names of e's values, in the order of
// e.Values (ETHTOOL_UDP_TUNNEL_TYPE_VXLAN), or nil for an enum not of
// this spec.
func (s *Spec) EnumCNames(e *engine.Enum) []string { return s.enumC[e] }

// Struct returns the struct definition of that name, or nil.
func (s *Spec) Struct(name string) *engine.StructDesc { return s.structs[name] }

// Set returns the attribute set of that name, or nil.
func (s *Spec) Set(name string) *engine.AttrSet { return s.sets[name] }

// Op returns the operation of that name, or nil.
func (s *Spec) Op(name string) *Op { return s.ops[name] }

// IsGenetlink reports whether the family is a generic netlink one (any
// protocol but netlink-raw).
func (s *Spec) IsGenetlink() bool { return s.Protocol != "netlink-raw" }
