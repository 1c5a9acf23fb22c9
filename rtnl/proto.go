package rtnl

import "nlsh/engine"

// Route is NETLINK_ROUTE described as data: every RTM_* message type with its
// class, the multicast groups and the enums whose names scripts use as
// constants.
var Route = (&engine.Protocol{
	Name:    "route",
	Number:  0, // NETLINK_ROUTE
	Types:   routeMsgTypes(),
	Classes: []*engine.Class{LinkClass, AddrClass, RouteClass, NeighClass, RuleClass, TcClass, NeighTblClass, NetconfClass, NexthopClass, NsidClass, StatsClass, engine.ErrClass, engine.DoneClass},
	Groups:  routeGroups,
	Enums:   routeAllEnums(),
	// A change's doit sends its requester nothing but the ACK: what it
	// did goes to the groups, and to the requester only with NLM_F_ECHO.
	// The kernel's netlink notes for developers (core-api/netlink.rst)
	// say so of the older families, and that whether a command replies is
	// uAPI, fixed once added; engine's TestAckOnlyReadsOnce counts one
	// datagram per RTM_NEWLINK.
	AckOnly: true,
}).Build()

// msgTriple lists a NEW/DEL/GET family of message types sharing a class.
func msgTriple(base uint16, obj string, c *engine.Class) []*engine.MsgType {
	return []*engine.MsgType{
		{Name: "RTM_NEW" + obj, Type: base, Class: c, Op: engine.OpNew},
		{Name: "RTM_DEL" + obj, Type: base + 1, Class: c, Op: engine.OpDel},
		{Name: "RTM_GET" + obj, Type: base + 2, Class: c, Op: engine.OpGet},
	}
}

func routeMsgTypes() []*engine.MsgType {
	var ts []*engine.MsgType
	ts = append(ts, msgTriple(16, "LINK", LinkClass)...)
	ts = append(ts, &engine.MsgType{Name: "RTM_SETLINK", Type: 19, Class: LinkClass, Op: engine.OpSet})
	ts = append(ts, msgTriple(20, "ADDR", AddrClass)...)
	ts = append(ts, msgTriple(24, "ROUTE", RouteClass)...)
	ts = append(ts, msgTriple(28, "NEIGH", NeighClass)...)
	ts = append(ts, msgTriple(32, "RULE", RuleClass)...)
	ts = append(ts, msgTriple(36, "QDISC", TcClass)...)
	ts = append(ts, msgTriple(40, "TCLASS", TcClass)...)
	filters := msgTriple(44, "TFILTER", TcClass)
	for _, t := range filters {
		t.Fixed = tcmsgFilter
	}
	ts = append(ts, filters...)
	ts = append(ts,
		&engine.MsgType{Name: "RTM_NEWNEIGHTBL", Type: 64, Class: NeighTblClass, Op: engine.OpNew},
		&engine.MsgType{Name: "RTM_GETNEIGHTBL", Type: 66, Class: NeighTblClass, Op: engine.OpGet},
		&engine.MsgType{Name: "RTM_SETNEIGHTBL", Type: 67, Class: NeighTblClass, Op: engine.OpSet},
		&engine.MsgType{Name: "RTM_NEWNETCONF", Type: 80, Class: NetconfClass, Op: engine.OpNew},
		&engine.MsgType{Name: "RTM_DELNETCONF", Type: 81, Class: NetconfClass, Op: engine.OpDel},
		&engine.MsgType{Name: "RTM_GETNETCONF", Type: 82, Class: NetconfClass, Op: engine.OpGet},
	)
	ts = append(ts, msgTriple(88, "NSID", NsidClass)...)
	ts = append(ts,
		&engine.MsgType{Name: "RTM_NEWSTATS", Type: 92, Class: StatsClass, Op: engine.OpNew},
		&engine.MsgType{Name: "RTM_GETSTATS", Type: 94, Class: StatsClass, Op: engine.OpGet},
	)
	ts = append(ts, msgTriple(100, "CHAIN", TcClass)...)
	ts = append(ts, msgTriple(104, "NEXTHOP", NexthopClass)...)
	ts = append(ts, msgTriple(116, "NEXTHOPBUCKET", NexthopClass)...)
	ts = append(ts, &engine.MsgType{Name: "RTM_NEWLINKPROP", Type: 108, Class: LinkClass, Op: engine.OpNew},
		&engine.MsgType{Name: "RTM_DELLINKPROP", Type: 109, Class: LinkClass, Op: engine.OpDel},
		&engine.MsgType{Name: "RTM_GETLINKPROP", Type: 110, Class: LinkClass, Op: engine.OpGet})
	// Types nlsh has no payload description for yet still get their names,
	// so traces and decoded messages say what they are.
	for _, t := range []struct {
		name string
		n    uint16
		op   engine.Op
	}{
		{"RTM_NEWACTION", 48, engine.OpNew}, {"RTM_DELACTION", 49, engine.OpDel}, {"RTM_GETACTION", 50, engine.OpGet},
		{"RTM_NEWPREFIX", 52, engine.OpNew}, {"RTM_GETMULTICAST", 58, engine.OpGet}, {"RTM_GETANYCAST", 62, engine.OpGet},
		{"RTM_NEWNDUSEROPT", 68, engine.OpNew},
		{"RTM_NEWADDRLABEL", 72, engine.OpNew}, {"RTM_DELADDRLABEL", 73, engine.OpDel}, {"RTM_GETADDRLABEL", 74, engine.OpGet},
		{"RTM_GETDCB", 78, engine.OpGet}, {"RTM_SETDCB", 79, engine.OpSet},
		{"RTM_NEWMDB", 84, engine.OpNew}, {"RTM_DELMDB", 85, engine.OpDel}, {"RTM_GETMDB", 86, engine.OpGet},
		{"RTM_SETSTATS", 95, engine.OpSet}, // its attributes are IFLA_STATS_GETSET_*, not described
		{"RTM_NEWCACHEREPORT", 96, engine.OpNew},
		{"RTM_NEWVLAN", 112, engine.OpNew}, {"RTM_DELVLAN", 113, engine.OpDel}, {"RTM_GETVLAN", 114, engine.OpGet},
		{"RTM_NEWTUNNEL", 120, engine.OpNew}, {"RTM_DELTUNNEL", 121, engine.OpDel}, {"RTM_GETTUNNEL", 122, engine.OpGet},
	} {
		ts = append(ts, &engine.MsgType{Name: t.name, Type: t.n, Op: t.op})
	}
	return ts
}

// routeGroups are the rtnetlink multicast groups (enum rtnetlink_groups), with
// the short names ip monitor and nl.events use.
var routeGroups = []engine.Group{
	{Name: "link", Const: "RTNLGRP_LINK", Number: 1},
	{Name: "notify", Const: "RTNLGRP_NOTIFY", Number: 2},
	{Name: "neigh", Const: "RTNLGRP_NEIGH", Number: 3},
	{Name: "tc", Const: "RTNLGRP_TC", Number: 4},
	{Name: "ipv4-ifaddr", Const: "RTNLGRP_IPV4_IFADDR", Number: 5},
	{Name: "ipv4-mroute", Const: "RTNLGRP_IPV4_MROUTE", Number: 6},
	{Name: "ipv4-route", Const: "RTNLGRP_IPV4_ROUTE", Number: 7},
	{Name: "ipv4-rule", Const: "RTNLGRP_IPV4_RULE", Number: 8},
	{Name: "ipv6-ifaddr", Const: "RTNLGRP_IPV6_IFADDR", Number: 9},
	{Name: "ipv6-mroute", Const: "RTNLGRP_IPV6_MROUTE", Number: 10},
	{Name: "ipv6-route", Const: "RTNLGRP_IPV6_ROUTE", Number: 11},
	{Name: "ipv6-ifinfo", Const: "RTNLGRP_IPV6_IFINFO", Number: 12},
	{Name: "ipv6-prefix", Const: "RTNLGRP_IPV6_PREFIX", Number: 18},
	{Name: "ipv6-rule", Const: "RTNLGRP_IPV6_RULE", Number: 19},
	{Name: "nd-useropt", Const: "RTNLGRP_ND_USEROPT", Number: 20},
	{Name: "dcb", Const: "RTNLGRP_DCB", Number: 23},
	{Name: "ipv4-netconf", Const: "RTNLGRP_IPV4_NETCONF", Number: 24},
	{Name: "ipv6-netconf", Const: "RTNLGRP_IPV6_NETCONF", Number: 25},
	{Name: "mdb", Const: "RTNLGRP_MDB", Number: 26},
	{Name: "mpls-route", Const: "RTNLGRP_MPLS_ROUTE", Number: 27},
	{Name: "nsid", Const: "RTNLGRP_NSID", Number: 28},
	{Name: "mpls-netconf", Const: "RTNLGRP_MPLS_NETCONF", Number: 29},
	{Name: "ipv4-mroute-r", Const: "RTNLGRP_IPV4_MROUTE_R", Number: 30},
	{Name: "ipv6-mroute-r", Const: "RTNLGRP_IPV6_MROUTE_R", Number: 31},
	{Name: "nexthop", Const: "RTNLGRP_NEXTHOP", Number: 32},
	{Name: "brvlan", Const: "RTNLGRP_BRVLAN", Number: 33},
	{Name: "mctp-ifaddr", Const: "RTNLGRP_MCTP_IFADDR", Number: 34},
	{Name: "tunnel", Const: "RTNLGRP_TUNNEL", Number: 35},
	{Name: "stats", Const: "RTNLGRP_STATS", Number: 36},
}

func routeAllEnums() []*engine.Enum {
	es := []*engine.Enum{Families}
	for _, l := range [][]*engine.Enum{LinkEnums, AddrEnums, RouteEnums, NeighEnums, RuleEnums, TcEnums, NexthopEnums} {
		es = append(es, l...)
	}
	return es
}
