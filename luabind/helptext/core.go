package helptext

import (
	"fmt"
	"strings"
)

// Help that teaches netlink's own vocabulary: for every constant of the
// netlink core (header flags, control message types, attribute flags,
// socket options, protocols) and every extended-ACK attribute, what it
// means, who sets it and in which messages, a line of Lua that shows it
// (luabind's TestCoreExamples runs them all) and the tutorial section about
// it.

// coreDoc explains one core name.
type coreDoc struct {
	means   string
	setBy   string // who sets it, in which messages
	example string // one line of Lua; it runs in a namespace with the veth pair v0/v1
	section string // of docs/tutorial.md: "4 Sending, and the acknowledgement"
}

const (
	secHeader  = "1 The header"
	secAttrs   = "2 Attributes"
	secNest    = "3 Nesting"
	secAck     = "4 Sending, and the acknowledgement"
	secExtAck  = "5 Errors and extended acknowledgements"
	secDump    = "6 Dumps"
	secStrict  = "7 Strict checking"
	secGroups  = "8 Multicast groups"
	secOverrun = "9 Overruns"
)

// Examples share these pieces.
const (
	exSetMTU = `local s = nl.socket('route'); s:send(rtnl.ifinfomsg{index = ip.link_lookup('v0'), header = {type = RTM_NEWLINK, flags = NLM_F_REQUEST + NLM_F_ACK}`
	exBadMTU = exSetMTU + `, attrs = {{'IFLA_MTU', nl.raw('\1\0')}}}); local e = s:recv()[1]; `
)

var coreDocs = map[string]coreDoc{
	"NLM_F_REQUEST": {"the message is a request: the kernel acts only on messages that carry it",
		"the sender, on every request (NEW, DEL, GET, SET); never on what the kernel sends",
		`nl.explain(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST}})`, secHeader},
	"NLM_F_MULTI": {"one part of a multi-part answer: every message of a dump, and the NLMSG_DONE that ends it",
		"the kernel, on the messages of a dump",
		`print(bit.btest(ip.links()[1].header.flags, NLM_F_MULTI))`, secDump},
	"NLM_F_ACK": {"asks for an acknowledgement: an NLMSG_ERROR with error 0 when the request succeeds (a failure is answered anyway)",
		"the sender, on any request",
		exSetMTU + `}); print(s:recv()[1].error)`, secAck},
	"NLM_F_ECHO": {"asks for the notification of the change to be sent to the requester too",
		"the sender, on NEW, DEL and SET requests (the families that honour it: addresses, routes, ...)",
		`print(ip.addr('add', {ifname = 'v0', address = '10.9.0.1/24', echo = true}).event)`, secGroups},
	"NLM_F_DUMP_INTR": {"the dump was interrupted: the objects changed while it was written, so it may miss or repeat one; dump again",
		"the kernel, on the messages of a dump written after the change (NLMSG_DONE included)",
		`print(NLM_F_DUMP_INTR, bit.btest(ip.links()[1].header.flags, NLM_F_DUMP_INTR))`, secDump},
	"NLM_F_DUMP_FILTERED": {"the kernel filtered this dump by what the request asked for (a table, a link kind, a master)",
		"the kernel, on the messages of a dump it filtered",
		`local r = nl.socket('route'):request(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST + NLM_F_DUMP}, attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}}}}}); print(#r, bit.btest(r[1].header.flags, NLM_F_DUMP_FILTERED))`, secStrict},
	"NLM_F_ROOT": {"GET: start from the root of the table; with NLM_F_MATCH it makes NLM_F_DUMP",
		"the sender, on GET requests (as part of NLM_F_DUMP)",
		`print(NLM_F_ROOT + NLM_F_MATCH == NLM_F_DUMP)`, secHeader},
	"NLM_F_MATCH": {"GET: return every object that matches; with NLM_F_ROOT it makes NLM_F_DUMP",
		"the sender, on GET requests (as part of NLM_F_DUMP)",
		`print(NLM_F_ROOT + NLM_F_MATCH == NLM_F_DUMP)`, secHeader},
	"NLM_F_ATOMIC": {"GET: asks for an atomic snapshot; no family implements it",
		"the sender, on GET requests; the kernel ignores it",
		`nl.explain(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST + NLM_F_DUMP + NLM_F_ATOMIC}})`, secHeader},
	"NLM_F_DUMP": {"GET: every object, not one (NLM_F_ROOT|NLM_F_MATCH); the answer ends with NLMSG_DONE",
		"the sender, on GET requests",
		`print(#nl.socket('route'):request(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST + NLM_F_DUMP}}))`, secDump},
	"NLM_F_REPLACE": {"NEW: replace the object if it exists (with NLM_F_CREATE: create it if not)",
		"the sender, on NEW requests (the same bit is NLM_F_ROOT on a GET, NLM_F_CAPPED on an error)",
		`local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = ip.link_lookup('v0'), header = {type = RTM_NEWADDR, flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_REPLACE'}, attrs = {{'IFA_LOCAL', '10.9.0.1'}}}; local s = nl.socket('route'); s:request(m); s:request(m); print('twice')`, secHeader},
	"NLM_F_EXCL": {"NEW: fail with EEXIST if the object exists",
		"the sender, on NEW requests (the same bit is NLM_F_MATCH on a GET)",
		`local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = ip.link_lookup('v0'), header = {type = RTM_NEWADDR, flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'}, attrs = {{'IFA_LOCAL', '10.9.0.1'}}}; local s = nl.socket('route'); s:request(m); print(pcall(s.request, s, m))`, secHeader},
	"NLM_F_CREATE": {"NEW: create the object if it does not exist",
		"the sender, on NEW requests (the same bit is NLM_F_ATOMIC on a GET)",
		`print(ip.addr('add', {ifname = 'v0', address = '10.9.0.1/24', dry = true}).header.flags)`, secHeader},
	"NLM_F_APPEND": {"NEW: add to the end of a list (another route with the same key, another alternative name)",
		"the sender, on NEW requests",
		`nl.explain(rtnl.ifinfomsg{header = {type = RTM_NEWLINKPROP, flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL|NLM_F_APPEND'}})`, secNest},
	"NLM_F_NONREC": {"DEL: do not delete recursively (nftables only)",
		"the sender, on DEL requests (the same bit as NLM_F_REPLACE)",
		`nl.explain(rtnl.ifinfomsg{header = {type = RTM_DELLINK, flags = NLM_F_REQUEST + NLM_F_NONREC}})`, secHeader},
	"NLM_F_BULK": {"DEL: delete every object that matches, not one (bridge FDB flushes)",
		"the sender, on DEL requests (the same bit as NLM_F_EXCL)",
		`nl.explain(rtnl.ndmsg{header = {type = RTM_DELNEIGH, flags = NLM_F_REQUEST + NLM_F_ACK + NLM_F_BULK}})`, secHeader},
	"NLM_F_CAPPED": {"the error echoes only the request's header, not its payload: always on a success, on failures with NETLINK_CAP_ACK",
		"the kernel, on NLMSG_ERROR",
		exSetMTU + `}); print(bit.btest(s:recv()[1].header.flags, NLM_F_CAPPED))`, secAck},
	"NLM_F_ACK_TLVS": {"extended ACK attributes (NLMSGERR_ATTR_*) follow the error",
		"the kernel, on NLMSG_ERROR and NLMSG_DONE, when the socket has NETLINK_EXT_ACK",
		exBadMTU + `print(e.error, bit.btest(e.header.flags, NLM_F_ACK_TLVS))`, secExtAck},

	"NLMSG_NOOP": {"a message to ignore; the kernel sends none",
		"nobody in practice",
		`print(rtnl.decode(rtnl.ifinfomsg{header = {type = NLMSG_NOOP}}:encode())[1].event)`, secHeader},
	"NLMSG_ERROR": {"the answer to a request: error 0 (an ACK) or a negative errno, the request's header (and payload, unless capped), then the extended ACK",
		"the kernel, answering a request that failed or asked for NLM_F_ACK",
		exBadMTU + `print(e.event, e.error, e:get('NLMSGERR_ATTR_MSG'))`, secAck},
	"NLMSG_DONE": {"the end of a dump; it carries an int error of its own (0, or the dump's failure) and an extended ACK",
		"the kernel, after the last message of a dump",
		`local s = nl.socket('route'); s:send(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST + NLM_F_DUMP}}); local d; repeat for _, m in ipairs(s:recv()) do d = m end until d.event == 'NLMSG_DONE'; print(d.event, d.error)`, secDump},
	"NLMSG_OVERRUN": {"meant for data lost; the kernel sends none (a lost notification makes the next read fail with ENOBUFS)",
		"nobody in practice",
		`print(NLMSG_OVERRUN)`, secOverrun},

	"NLA_F_NESTED": {"in nla_type: this attribute's payload is attributes; a strict parser refuses a nest without it (\"NLA_F_NESTED is missing\")",
		"the sender, where the kernel parses the nest strictly; the kernel, on nests it builds with nla_nest_start",
		`nl.explain(rtnl.ifinfomsg{header = {type = RTM_NEWLINKPROP}, attrs = {{'IFLA_PROP_LIST', {{'IFLA_ALT_IFNAME', 'up0'}}}}})`, secNest},
	"NLA_F_NET_BYTEORDER": {"in nla_type: the payload is in network byte order (big-endian); rtnetlink does not use it",
		"the sender or the kernel, in families that mark byte order (netfilter)",
		`print(bit.band(0x8034, bit.bnot(NLA_F_NESTED + NLA_F_NET_BYTEORDER)))`, secHeader},

	"NETLINK_ROUTE": {"the rtnetlink protocol: links, addresses, routes, neighbours, rules, traffic control",
		"the program, when it opens the socket: nl.socket('route')",
		`print(nl.socket(NETLINK_ROUTE))`, secHeader},
	"NETLINK_GENERIC": {"generic netlink: families registered at run time (ethtool, netdev, ...), found through nlctrl",
		"the program, when it opens the socket: nl.socket('generic')",
		`print(nl.socket(NETLINK_GENERIC))`, secHeader},
	"NETLINK_SOCK_DIAG": {"socket diagnostics: the kernel's sockets, as ss lists them",
		"the program, when it opens the socket: nl.socket('sock_diag')",
		`print(nl.socket(NETLINK_SOCK_DIAG))`, secHeader},
	"NETLINK_NETFILTER": {"netfilter: conntrack, nftables, queues",
		"the program, when it opens the socket: nl.socket('netfilter')",
		`print(nl.socket(NETLINK_NETFILTER))`, secHeader},

	"NETLINK_ADD_MEMBERSHIP": {"socket option: join a multicast group, to receive its notifications",
		"the program, on its socket (setsockopt): nl.socket's groups option, s:join",
		`local s = nl.socket('route'); s:join('link'); print(s:state().groups[1] == RTNLGRP_LINK)`, secGroups},
	"NETLINK_DROP_MEMBERSHIP": {"socket option: leave a multicast group",
		"the program, on its socket (setsockopt): s:leave",
		`local s = nl.socket('route', {groups = {'link'}}); s:leave('link'); print(#s:state().groups)`, secGroups},
	"NETLINK_PKTINFO": {"socket option: deliver, with each datagram, the group it was sent to (ancillary data); nlsh does not use it",
		"the program, on a listening socket",
		`print(NETLINK_PKTINFO)`, secGroups},
	"NETLINK_BROADCAST_ERROR": {"socket option: a failure to deliver a notification to this socket is reported to the kernel's sender",
		"the program, on a listening socket",
		`print(NETLINK_BROADCAST_ERROR)`, secGroups},
	"NETLINK_NO_ENOBUFS": {"socket option: do not report a full receive buffer with ENOBUFS (notifications are still lost, silently)",
		"the program, on a listening socket: nl.socket('route', {no_enobufs = true})",
		`print(nl.socket('route', {no_enobufs = true}):state().no_enobufs)`, secOverrun},
	"NETLINK_LISTEN_ALL_NSID": {"socket option: receive the notifications of every namespace that has an id in this one",
		"the program, on a listening socket",
		`print(NETLINK_LISTEN_ALL_NSID)`, secGroups},
	"NETLINK_LIST_MEMBERSHIPS": {"socket option, read only: the groups the socket has joined, as a bitmap",
		"the kernel, when the program asks (getsockopt): s:state().groups",
		`print(nl.socket('route', {groups = {'link', 'ipv4-ifaddr'}}):state().groups[2])`, secGroups},
	"NETLINK_CAP_ACK": {"socket option: errors echo only the request's header, marked NLM_F_CAPPED, not the whole request",
		"the program, on its socket: nl.socket('route', {cap_ack = true})",
		`print(nl.socket('route', {cap_ack = true}):state().cap_ack)`, secAck},
	"NETLINK_EXT_ACK": {"socket option: errors carry extended ACK attributes, a message and the offending attribute's offset (nlsh turns it on)",
		"the program, on its socket: nl.socket's ext_ack option (on by default)",
		`print(nl.socket('route'):state().ext_ack)`, secExtAck},
	"NETLINK_GET_STRICT_CHK": {"socket option: the kernel checks GET requests strictly and honours their filters (nlsh turns it on)",
		"the program, on its socket: nl.socket's strict option (on by default)",
		`print(nl.socket('route', {strict = false}):state().strict)`, secStrict},

	"NLMSGERR_ATTR_MSG": {"extended ACK: the kernel's message, in English, saying what is wrong",
		"the kernel, in NLMSG_ERROR and NLMSG_DONE with NLM_F_ACK_TLVS",
		exBadMTU + `print(e:get('NLMSGERR_ATTR_MSG'))`, secExtAck},
	"NLMSGERR_ATTR_OFFS": {"extended ACK: the byte offset, in the request, of the attribute the kernel objects to",
		"the kernel, in NLMSG_ERROR with NLM_F_ACK_TLVS",
		exBadMTU + `print(e:get('NLMSGERR_ATTR_OFFS'))`, secExtAck},
	"NLMSGERR_ATTR_COOKIE": {"extended ACK: an opaque value a family hands back (a TC action's cookie)",
		"the kernel, in NLMSG_ERROR, from the families that use it",
		`local e = rtnl.nlmsgerr{attrs = {{'NLMSGERR_ATTR_COOKIE', '\1\2\3\4'}}}; e.header.type = NLMSG_ERROR; nl.explain(e)`, secExtAck},
	"NLMSGERR_ATTR_POLICY": {"extended ACK: the policy the offending attribute broke (its type, its bounds), as a nest",
		"the kernel, in NLMSG_ERROR with NLMSGERR_ATTR_OFFS",
		exBadMTU + `print(e:get('NLMSGERR_ATTR_POLICY', 'NL_POLICY_TYPE_ATTR_TYPE'))`, secExtAck},
	"NLMSGERR_ATTR_MISS_TYPE": {"extended ACK: the type of a required attribute the request lacks",
		"the kernel, in NLMSG_ERROR",
		`local nd = genl.family('netdev'); local ok, e = pcall(nd.doit, nd, 'dev-get', {}); print(e.missing)`, secExtAck},
	"NLMSGERR_ATTR_MISS_NEST": {"extended ACK: the offset of the nest that lacks a required attribute (with NLMSGERR_ATTR_MISS_TYPE)",
		"the kernel, in NLMSG_ERROR",
		`local e = rtnl.nlmsgerr{error = -22, attrs = {{'NLMSGERR_ATTR_MISS_TYPE', 3}, {'NLMSGERR_ATTR_MISS_NEST', 32}}}; e.header.type = NLMSG_ERROR; nl.explain(e)`, secExtAck},
}

// coreText is the teaching part of help for a core name, or "".
func coreText(name string) string {
	d, ok := coreDocs[name]
	if !ok {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  means:    %s\n", d.means)
	fmt.Fprintf(&b, "  set by:   %s\n", d.setBy)
	fmt.Fprintf(&b, "  example:  %s\n", d.example)
	fmt.Fprintf(&b, "  tutorial: docs/tutorial.md §%s\n", d.section)
	return b.String()
}

// CoreNames lists, sorted, the core names help teaches.
func CoreNames() []string { return sortedKeys(coreDocs) }

// CoreExample is the line of Lua help shows for a core name, for the tests
// that run every one.
func CoreExample(name string) (string, bool) {
	d, ok := coreDocs[name]
	return d.example, ok
}
