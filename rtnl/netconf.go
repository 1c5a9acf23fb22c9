package rtnl

import "nlsh/engine"

// Per-device IP configuration notifications: struct netconfmsg and NETCONFA_*
// (linux/netconf.h). The kernel sends them to monitors when forwarding or
// rp_filter change, and answers RTM_GETNETCONF dumps with them.

var netconfAttrs = &engine.AttrSet{Name: "netconf_attrs", Prefix: "NETCONFA_", Attrs: []*engine.AttrDesc{
	attr("NETCONFA_IFINDEX", 1, engine.S32),
	attr("NETCONFA_FORWARDING", 2, engine.S32),
	attr("NETCONFA_RP_FILTER", 3, engine.S32),
	attr("NETCONFA_MC_FORWARDING", 4, engine.S32),
	attr("NETCONFA_PROXY_NEIGH", 5, engine.S32),
	attr("NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN", 6, engine.S32),
	attr("NETCONFA_INPUT", 7, engine.S32),
	attr("NETCONFA_BC_FORWARDING", 8, engine.S32),
}}

// NetconfClass is struct netconfmsg with its attributes.
var NetconfClass = &engine.Class{
	Name:   "netconfmsg",
	Struct: engine.NewStruct("netconfmsg", c("ncm_family", fe("family", engine.U8, Families))),
	Attrs:  netconfAttrs,
	Doc:    "per-device IP configuration (RTM_NEWNETCONF)",
}
