package rtnl

import "nlsh/engine"

// Policy routing rules: struct fib_rule_hdr and the FRA_* attributes
// (linux/fib_rules.h).

// ruleActions names fib_rule_hdr.action (FR_ACT_*).
var ruleActions = engine.NewEnum("fr_act", engine.Seq(0,
	"FR_ACT_UNSPEC", "FR_ACT_TO_TBL", "FR_ACT_GOTO", "FR_ACT_NOP", "FR_ACT_RES3",
	"FR_ACT_RES4", "FR_ACT_BLACKHOLE", "FR_ACT_UNREACHABLE", "FR_ACT_PROHIBIT")...)

// ruleFlags names fib_rule_hdr.flags (FIB_RULE_*). FIB_RULE_DEV_DETACHED is
// the old name of FIB_RULE_IIF_DETACHED.
var ruleFlags = &engine.Enum{Name: "fib_rule_flags", Flags: true, Values: []engine.EnumValue{
	ev("FIB_RULE_PERMANENT", 0x00000001), ev("FIB_RULE_INVERT", 0x00000002),
	ev("FIB_RULE_UNRESOLVED", 0x00000004), ev("FIB_RULE_IIF_DETACHED", 0x00000008),
	ev("FIB_RULE_DEV_DETACHED", 0x00000008), ev("FIB_RULE_OIF_DETACHED", 0x00000010),
	ev("FIB_RULE_FIND_SADDR", 0x00010000),
}}

// ruleUIDRange is struct fib_rule_uid_range (FRA_UID_RANGE).
var ruleUIDRange = engine.NewStruct("fib_rule_uid_range",
	f("start", engine.U32),
	f("end", engine.U32),
)

// rulePortRange is struct fib_rule_port_range (FRA_SPORT_RANGE,
// FRA_DPORT_RANGE), in host byte order.
var rulePortRange = engine.NewStruct("fib_rule_port_range",
	f("start", engine.U16),
	f("end", engine.U16),
)

// RuleAttrs is the FRA_* set of rule messages.
var RuleAttrs = &engine.AttrSet{Name: "fib_rule_attrs", Prefix: "FRA_", Attrs: []*engine.AttrDesc{
	attr("FRA_DST", 1, engine.IP),
	attr("FRA_SRC", 2, engine.IP),
	{Name: "FRA_IIFNAME", Type: 3, Kind: engine.Asciiz, Doc: "input interface name"},
	{Name: "FRA_GOTO", Type: 4, Kind: engine.U32, Doc: "priority of the rule to jump to (FR_ACT_GOTO)"},
	{Name: "FRA_UNUSED2", Type: 5, Kind: engine.Binary, Doc: "unused"},
	{Name: "FRA_PRIORITY", Type: 6, Kind: engine.U32, Doc: "rule priority (preference)"},
	{Name: "FRA_UNUSED3", Type: 7, Kind: engine.Binary, Doc: "unused"},
	{Name: "FRA_UNUSED4", Type: 8, Kind: engine.Binary, Doc: "unused"},
	{Name: "FRA_UNUSED5", Type: 9, Kind: engine.Binary, Doc: "unused"},
	{Name: "FRA_FWMARK", Type: 10, Kind: engine.U32, Hint: engine.HintHex, Doc: "firewall mark to match"},
	{Name: "FRA_FLOW", Type: 11, Kind: engine.U32, Doc: "realms to match"},
	{Name: "FRA_TUN_ID", Type: 12, Kind: engine.BE64, Doc: "tunnel id to match"},
	{Name: "FRA_SUPPRESS_IFGROUP", Type: 13, Kind: engine.U32, Doc: "reject lookup results whose device is in this group"},
	{Name: "FRA_SUPPRESS_PREFIXLEN", Type: 14, Kind: engine.U32, Doc: "reject lookup results with a prefix this short or shorter"},
	{Name: "FRA_TABLE", Type: 15, Kind: engine.U32, Enum: routeTables, Doc: "routing table id; supersedes the header's table"},
	{Name: "FRA_FWMASK", Type: 16, Kind: engine.U32, Hint: engine.HintHex, Doc: "mask applied to the firewall mark"},
	{Name: "FRA_OIFNAME", Type: 17, Kind: engine.Asciiz, Doc: "output interface name"},
	attr("FRA_PAD", 18, engine.Binary),
	{Name: "FRA_L3MDEV", Type: 19, Kind: engine.U8, Doc: "use the table of the L3 master device"},
	strct("FRA_UID_RANGE", 20, ruleUIDRange),
	{Name: "FRA_PROTOCOL", Type: 21, Kind: engine.U8, Enum: routeProtocols, Doc: "originator of the rule"},
	{Name: "FRA_IP_PROTO", Type: 22, Kind: engine.U8, Doc: "IP protocol to match"},
	strct("FRA_SPORT_RANGE", 23, rulePortRange),
	strct("FRA_DPORT_RANGE", 24, rulePortRange),
}}

// RuleClass is the rule message (RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE).
var RuleClass = &engine.Class{
	Name:    "fib_rule_hdr",
	Aliases: []string{"fibmsg"},
	Struct: engine.NewStruct("fib_rule_hdr",
		fe("family", engine.U8, Families),
		f("dst_len", engine.U8),
		f("src_len", engine.U8),
		f("tos", engine.U8),
		fe("table", engine.U8, routeTables),
		f("res1", engine.U8),
		f("res2", engine.U8),
		fe("action", engine.U8, ruleActions),
		fe("flags", engine.U32, ruleFlags),
	),
	Attrs: RuleAttrs,
	Doc:   "policy routing rule",
	Brief: []string{"FRA_PRIORITY", "FRA_SRC/src_len=all", "FRA_DST/dst_len=all", "FRA_TABLE", "action"},
}

// RuleEnums lists the enums of rule messages; RT_TABLE_* and RTPROT_* are in
// RouteEnums.
var RuleEnums = []*engine.Enum{ruleActions, ruleFlags}
