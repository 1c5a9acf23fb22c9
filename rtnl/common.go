package rtnl

import "nlsh/engine"

// Families names the address families (AF_*) that appear in rtnetlink headers.
var Families = &engine.Enum{Name: "address_family", Values: []engine.EnumValue{
	ev("AF_UNSPEC", 0), ev("AF_UNIX", 1), ev("AF_INET", 2), ev("AF_BRIDGE", 7),
	ev("AF_INET6", 10), ev("AF_NETLINK", 16), ev("AF_PACKET", 17), ev("AF_MPLS", 28),
	ev("AF_MCTP", 45), ev("RTNL_FAMILY_IPMR", 128), ev("RTNL_FAMILY_IP6MR", 129),
}}
