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
var ruleFlags = engine.NewFlags("fib_rule_flags",
	ev("FIB_RULE_PERMANENT", 0x00000001), ev("FIB_RULE_INVERT", 0x00000002),
	ev("FIB_RULE_UNRESOLVED", 0x00000004), ev("FIB_RULE_IIF_DETACHED", 0x00000008),
	ev("FIB_RULE_DEV_DETACHED", 0x00000008), ev("FIB_RULE_OIF_DETACHED", 0x00000010),
	ev("FIB_RULE_FIND_SADDR", 0x00010000),
)

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
var RuleAttrs = engine.NewAttrSet("fib_rule_attrs", "FRA_",
	attr("FRA_DST", 1, engine.IP),
	attr("FRA_SRC", 2, engine.IP),
	routeDoc(attr("FRA_IIFNAME", 3, engine.Asciiz), "input interface name"),
	routeDoc(attr("FRA_GOTO", 4, engine.U32), "priority of the rule to jump to (FR_ACT_GOTO)"),
	routeDoc(attr("FRA_UNUSED2", 5, engine.Binary), "unused"),
	routeDoc(attr("FRA_PRIORITY", 6, engine.U32), "rule priority (preference)"),
	routeDoc(attr("FRA_UNUSED3", 7, engine.Binary), "unused"),
	routeDoc(attr("FRA_UNUSED4", 8, engine.Binary), "unused"),
	routeDoc(attr("FRA_UNUSED5", 9, engine.Binary), "unused"),
	routeDoc(attr("FRA_FWMARK", 10, engine.U32), "firewall mark to match"),
	routeDoc(attr("FRA_FLOW", 11, engine.U32), "realms to match"),
	routeDoc(attr("FRA_TUN_ID", 12, engine.BE64), "tunnel id to match"),
	routeDoc(attr("FRA_SUPPRESS_IFGROUP", 13, engine.U32), "reject lookup results whose device is in this group"),
	routeDoc(attr("FRA_SUPPRESS_PREFIXLEN", 14, engine.U32), "reject lookup results with a prefix this short or shorter"),
	routeDoc(enumAttr("FRA_TABLE", 15, engine.U32, routeTables), "routing table id; supersedes the header's table"),
	routeDoc(attr("FRA_FWMASK", 16, engine.U32), "mask applied to the firewall mark"),
	routeDoc(attr("FRA_OIFNAME", 17, engine.Asciiz), "output interface name"),
	attr("FRA_PAD", 18, engine.Binary),
	routeDoc(attr("FRA_L3MDEV", 19, engine.U8), "use the table of the L3 master device"),
	strct("FRA_UID_RANGE", 20, ruleUIDRange),
	routeDoc(enumAttr("FRA_PROTOCOL", 21, engine.U8, routeProtocols), "originator of the rule"),
	routeDoc(attr("FRA_IP_PROTO", 22, engine.U8), "IP protocol to match"),
	strct("FRA_SPORT_RANGE", 23, rulePortRange),
	strct("FRA_DPORT_RANGE", 24, rulePortRange),
)

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
