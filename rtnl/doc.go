// Package rtnl describes NETLINK_ROUTE (rtnetlink) as data for the engine's
// generic codec: the fixed headers (ifinfomsg, ifaddrmsg, rtmsg, ndmsg,
// fib_rule_hdr, tcmsg), their attribute sets with nested sets, structs, enums
// and sub-messages, the RTM_* message types, the multicast groups and the
// constants scripts use. Every number comes from the kernel's uapi headers;
// uapi_test.go checks them against those headers with the C compiler.
//
// Adding a kernel attribute is one line in the file of its object (link.go,
// addr.go, route.go, neigh.go, rule.go, tc.go). Nothing here encodes or
// decodes bytes.
package rtnl
