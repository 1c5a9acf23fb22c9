package genl

import "nlsh/engine"

// The nlctrl family, described in Go: every other family is found through
// it, so it cannot wait for a spec. Names follow the kernel's nlctrl spec
// (family-id), C names genetlink.h (CTRL_ATTR_FAMILY_ID).

// CtrlID is nlctrl's fixed family id (GENL_ID_CTRL).
const CtrlID = 0x10

// nlctrl command numbers (CTRL_CMD_*).
const (
	CmdNewFamily   = 1
	CmdDelFamily   = 2
	CmdGetFamily   = 3
	CmdNewMcastGrp = 7
	CmdDelMcastGrp = 8
	CmdGetPolicy   = 10
)

// Operation flags the kernel reports for each command (GENL_*).
var OpFlags = engine.NewFlags("op-flags",
	engine.EnumValue{Name: "admin-perm", Value: 0x01},
	engine.EnumValue{Name: "cmd-cap-do", Value: 0x02},
	engine.EnumValue{Name: "cmd-cap-dump", Value: 0x04},
	engine.EnumValue{Name: "cmd-cap-haspol", Value: 0x08},
	engine.EnumValue{Name: "uns-admin-perm", Value: 0x10},
)

// Operation flag bits.
const (
	FlagAdminPerm    = 0x01
	FlagCapDo        = 0x02
	FlagCapDump      = 0x04
	FlagCapHasPol    = 0x08
	FlagUnsAdminPerm = 0x10
)

// AttrTypes names a policy's attribute types (enum netlink_attribute_type).
// The kernel is newer than the installed headers: sint and uint are 16 and
// 17 since 6.8.
var AttrTypes = engine.NewEnum("netlink-attribute-type", engine.Seq(0,
	"invalid", "flag", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
	"binary", "string", "nul-string", "nested", "nested-array", "bitfield32", "sint", "uint")...)

func ctrlAttr(name, cname string, t uint16, k engine.Kind) *engine.AttrDesc {
	return &engine.AttrDesc{Name: name, CName: cname, Type: t, Kind: k}
}

var (
	ctrlOpAttrs = engine.NewAttrSet("op-attrs", "",
		ctrlAttr("id", "CTRL_ATTR_OP_ID", 1, engine.U32),
		&engine.AttrDesc{Name: "flags", CName: "CTRL_ATTR_OP_FLAGS", Type: 2, Kind: engine.U32, Enum: OpFlags},
	)
	ctrlGroupAttrs = engine.NewAttrSet("mcast-group-attrs", "",
		ctrlAttr("name", "CTRL_ATTR_MCAST_GRP_NAME", 1, engine.Asciiz),
		ctrlAttr("id", "CTRL_ATTR_MCAST_GRP_ID", 2, engine.U32),
	)
	// PolicyAttrs is one attribute's policy (NL_POLICY_TYPE_ATTR_*).
	PolicyAttrs = engine.NewAttrSet("policy-attrs", "",
		&engine.AttrDesc{Name: "type", CName: "NL_POLICY_TYPE_ATTR_TYPE", Type: 1, Kind: engine.U32, Enum: AttrTypes},
		ctrlAttr("min-value-s", "NL_POLICY_TYPE_ATTR_MIN_VALUE_S", 2, engine.S64),
		ctrlAttr("max-value-s", "NL_POLICY_TYPE_ATTR_MAX_VALUE_S", 3, engine.S64),
		ctrlAttr("min-value-u", "NL_POLICY_TYPE_ATTR_MIN_VALUE_U", 4, engine.U64),
		ctrlAttr("max-value-u", "NL_POLICY_TYPE_ATTR_MAX_VALUE_U", 5, engine.U64),
		ctrlAttr("min-length", "NL_POLICY_TYPE_ATTR_MIN_LENGTH", 6, engine.U32),
		ctrlAttr("max-length", "NL_POLICY_TYPE_ATTR_MAX_LENGTH", 7, engine.U32),
		ctrlAttr("policy-idx", "NL_POLICY_TYPE_ATTR_POLICY_IDX", 8, engine.U32),
		ctrlAttr("policy-maxtype", "NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE", 9, engine.U32),
		ctrlAttr("bitfield32-mask", "NL_POLICY_TYPE_ATTR_BITFIELD32_MASK", 10, engine.U32),
		ctrlAttr("pad", "NL_POLICY_TYPE_ATTR_PAD", 11, engine.Pad),
		ctrlAttr("mask", "NL_POLICY_TYPE_ATTR_MASK", 12, engine.U64),
	)
	ctrlOpPolicyAttrs = engine.NewAttrSet("op-policy-attrs", "",
		ctrlAttr("do", "CTRL_ATTR_POLICY_DO", 1, engine.U32),
		ctrlAttr("dump", "CTRL_ATTR_POLICY_DUMP", 2, engine.U32),
	)
	// CtrlAttrs is nlctrl's attribute set (CTRL_ATTR_*).
	CtrlAttrs = engine.NewAttrSet("ctrl-attrs", "",
		ctrlAttr("family-id", "CTRL_ATTR_FAMILY_ID", 1, engine.U16),
		ctrlAttr("family-name", "CTRL_ATTR_FAMILY_NAME", 2, engine.Asciiz),
		ctrlAttr("version", "CTRL_ATTR_VERSION", 3, engine.U32),
		ctrlAttr("hdrsize", "CTRL_ATTR_HDRSIZE", 4, engine.U32),
		ctrlAttr("maxattr", "CTRL_ATTR_MAXATTR", 5, engine.U32),
		nest("ops", "CTRL_ATTR_OPS", 6, engine.NewIndexedSet("ops", nestElem(ctrlOpAttrs))),
		nest("mcast-groups", "CTRL_ATTR_MCAST_GROUPS", 7, engine.NewIndexedSet("mcast-groups", nestElem(ctrlGroupAttrs))),
		// policy index, then attribute number, then the attribute's policy
		nest("policy", "CTRL_ATTR_POLICY", 8, engine.NewIndexedSet("policy",
			nestElem(engine.NewIndexedSet("policy-attr", nestElem(PolicyAttrs))))),
		nest("op-policy", "CTRL_ATTR_OP_POLICY", 9, engine.NewIndexedSet("op-policy", nestElem(ctrlOpPolicyAttrs))),
		ctrlAttr("op", "CTRL_ATTR_OP", 10, engine.U32),
	)
)

func nest(name, cname string, t uint16, set *engine.AttrSet) *engine.AttrDesc {
	return &engine.AttrDesc{Name: name, CName: cname, Type: t, Kind: engine.Nested, Set: set, NestFlag: true}
}

func nestElem(set *engine.AttrSet) *engine.AttrDesc {
	return &engine.AttrDesc{Kind: engine.Nested, Set: set, NestFlag: true}
}

// Ctrl describes nlctrl. Its replies to getfamily are CTRL_CMD_NEWFAMILY
// messages, which the kernel also sends to the notify group when a family
// appears; delfamily and the multicast-group events share the layout.
func Ctrl() *Family {
	all := []string{"family-id", "family-name", "hdrsize", "maxattr", "mcast-groups", "ops", "version"}
	f := &Family{
		Name: "nlctrl", Version: 2, Source: "built in",
		Doc:    "the generic netlink controller: lists the families, their operations, multicast groups and attribute policies",
		Sets:   []*engine.AttrSet{CtrlAttrs, ctrlOpAttrs, ctrlGroupAttrs, PolicyAttrs, ctrlOpPolicyAttrs},
		Enums:  []*engine.Enum{OpFlags, AttrTypes},
		Groups: []string{"notify"},
		Ops: []*Op{
			{Name: "getfamily", CName: "CTRL_CMD_GETFAMILY", Req: CmdGetFamily, Reply: CmdNewFamily, Set: CtrlAttrs,
				Do: true, Dump: true, DoReply: true, ReqAttrs: []string{"family-name"}, ReplyAttrs: all,
				Doc: "get one family by name (do), or every family (dump)"},
			{Name: "getpolicy", CName: "CTRL_CMD_GETPOLICY", Req: CmdGetPolicy, Reply: CmdGetPolicy, Set: CtrlAttrs,
				Dump: true, ReqAttrs: []string{"family-name", "family-id", "op"}, ReplyAttrs: []string{"family-id", "op-policy", "policy"},
				Doc: "dump a family's attribute policies, for all its operations or one (op)"},
			{Name: "delfamily", CName: "CTRL_CMD_DELFAMILY", Req: -1, Reply: CmdDelFamily, Set: CtrlAttrs, Event: true,
				Doc: "notification: a family went away"},
			{Name: "newmcast-grp", CName: "CTRL_CMD_NEWMCAST_GRP", Req: -1, Reply: CmdNewMcastGrp, Set: CtrlAttrs, Event: true,
				Doc: "notification: a family gained a multicast group"},
			{Name: "delmcast-grp", CName: "CTRL_CMD_DELMCAST_GRP", Req: -1, Reply: CmdDelMcastGrp, Set: CtrlAttrs, Event: true,
				Doc: "notification: a family lost a multicast group"},
		},
	}
	if err := f.Build(); err != nil {
		panic("genl: " + err.Error()) // the description above is the program's own
	}
	return f
}
