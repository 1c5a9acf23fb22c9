package rtnl

import "nlsh/engine"

// Routes: struct rtmsg and the RTA_* attributes (linux/rtnetlink.h), with the
// lightweight-tunnel encapsulations of linux/lwtunnel.h.

// routeTypes names rtm_type (RTN_*); ndmsg's ndm_type uses it too.
var routeTypes = engine.NewEnum("rtn_type", engine.Seq(0,
	"RTN_UNSPEC", "RTN_UNICAST", "RTN_LOCAL", "RTN_BROADCAST", "RTN_ANYCAST",
	"RTN_MULTICAST", "RTN_BLACKHOLE", "RTN_UNREACHABLE", "RTN_PROHIBIT",
	"RTN_THROW", "RTN_NAT", "RTN_XRESOLVE")...)

// routeProtocols names rtm_protocol (RTPROT_*); neighbours and rules use it too.
var routeProtocols = &engine.Enum{Name: "rtprot", Values: []engine.EnumValue{
	ev("RTPROT_UNSPEC", 0), ev("RTPROT_REDIRECT", 1), ev("RTPROT_KERNEL", 2),
	ev("RTPROT_BOOT", 3), ev("RTPROT_STATIC", 4), ev("RTPROT_GATED", 8),
	ev("RTPROT_RA", 9), ev("RTPROT_MRT", 10), ev("RTPROT_ZEBRA", 11),
	ev("RTPROT_BIRD", 12), ev("RTPROT_DNROUTED", 13), ev("RTPROT_XORP", 14),
	ev("RTPROT_NTK", 15), ev("RTPROT_DHCP", 16), ev("RTPROT_MROUTED", 17),
	ev("RTPROT_KEEPALIVED", 18), ev("RTPROT_BABEL", 42), ev("RTPROT_OPENR", 99),
	ev("RTPROT_BGP", 186), ev("RTPROT_ISIS", 187), ev("RTPROT_OSPF", 188),
	ev("RTPROT_RIP", 189), ev("RTPROT_EIGRP", 192),
}}

// Scopes names route and address scopes (enum rt_scope_t).
var Scopes = &engine.Enum{Name: "rt_scope_t", Values: []engine.EnumValue{
	ev("RT_SCOPE_UNIVERSE", 0), ev("RT_SCOPE_SITE", 200), ev("RT_SCOPE_LINK", 253),
	ev("RT_SCOPE_HOST", 254), ev("RT_SCOPE_NOWHERE", 255),
}}

// routeTables names the reserved routing tables (enum rt_class_t). The
// RT_TABLE_MAX sentinel is left out: it is a limit, not a table.
var routeTables = &engine.Enum{Name: "rt_class_t", Values: []engine.EnumValue{
	ev("RT_TABLE_UNSPEC", 0), ev("RT_TABLE_COMPAT", 252), ev("RT_TABLE_DEFAULT", 253),
	ev("RT_TABLE_MAIN", 254), ev("RT_TABLE_LOCAL", 255),
}}

// routeFlags names rtm_flags: the RTM_F_* bits and, in the low byte, the
// next hop's RTNH_F_* bits, which the kernel copies there when it reports a
// route with one next hop (fib_dump_info, rt6_fill_node: 'onlink',
// 'linkdown' in ip route's output).
var routeFlags = &engine.Enum{Name: "rtm_flags", Flags: true, Values: append(append([]engine.EnumValue(nil), routeNexthopFlags.Values...),
	ev("RTM_F_NOTIFY", 0x100), ev("RTM_F_CLONED", 0x200), ev("RTM_F_EQUALIZE", 0x400),
	ev("RTM_F_PREFIX", 0x800), ev("RTM_F_LOOKUP_TABLE", 0x1000), ev("RTM_F_FIB_MATCH", 0x2000),
	ev("RTM_F_OFFLOAD", 0x4000), ev("RTM_F_TRAP", 0x8000), ev("RTM_F_OFFLOAD_FAILED", 0x20000000),
)}

// routeCacheFlags names the IPv4 routing cache flags (RTCF_*, linux/in_route.h)
// that RTM_GETROUTE answers carry in the upper bits of rtm_flags. They clash
// with RTM_F_OFFLOAD_FAILED, so they are a separate set for scripts.
var routeCacheFlags = &engine.Enum{Name: "rtcf", Flags: true, Values: []engine.EnumValue{
	ev("RTCF_DEAD", 1), ev("RTCF_ONLINK", 4),
	ev("RTCF_NOTIFY", 0x00010000), ev("RTCF_DIRECTDST", 0x00020000),
	ev("RTCF_REDIRECTED", 0x00040000), ev("RTCF_TPROXY", 0x00080000),
	ev("RTCF_FAST", 0x00200000), ev("RTCF_MASQ", 0x00400000), ev("RTCF_SNAT", 0x00800000),
	ev("RTCF_DOREDIRECT", 0x01000000), ev("RTCF_DIRECTSRC", 0x04000000),
	ev("RTCF_DNAT", 0x08000000), ev("RTCF_BROADCAST", 0x10000000),
	ev("RTCF_MULTICAST", 0x20000000), ev("RTCF_REJECT", 0x40000000),
	ev("RTCF_LOCAL", 0x80000000),
}}

// routeNexthopFlags names rtnh_flags (RTNH_F_*).
var routeNexthopFlags = &engine.Enum{Name: "rtnh_flags", Flags: true, Values: []engine.EnumValue{
	ev("RTNH_F_DEAD", 1), ev("RTNH_F_PERVASIVE", 2), ev("RTNH_F_ONLINK", 4),
	ev("RTNH_F_OFFLOAD", 8), ev("RTNH_F_LINKDOWN", 16), ev("RTNH_F_UNRESOLVED", 32),
	ev("RTNH_F_TRAP", 64),
}}

// routeMetricFeatures names the RTAX_FEATURES bits.
var routeMetricFeatures = &engine.Enum{Name: "rtax_features", Flags: true, Values: []engine.EnumValue{
	ev("RTAX_FEATURE_ECN", 1<<0), ev("RTAX_FEATURE_SACK", 1<<1),
	ev("RTAX_FEATURE_TIMESTAMP", 1<<2), ev("RTAX_FEATURE_ALLFRAG", 1<<3),
}}

// routeEncapTypes names RTA_ENCAP_TYPE (enum lwtunnel_encap_types).
var routeEncapTypes = engine.NewEnum("lwtunnel_encap_types", engine.Seq(0,
	"LWTUNNEL_ENCAP_NONE", "LWTUNNEL_ENCAP_MPLS", "LWTUNNEL_ENCAP_IP",
	"LWTUNNEL_ENCAP_ILA", "LWTUNNEL_ENCAP_IP6", "LWTUNNEL_ENCAP_SEG6",
	"LWTUNNEL_ENCAP_BPF", "LWTUNNEL_ENCAP_SEG6_LOCAL", "LWTUNNEL_ENCAP_RPL",
	"LWTUNNEL_ENCAP_IOAM6", "LWTUNNEL_ENCAP_XFRM")...)

// routePrefs names RTA_PREF, the IPv6 router preference (linux/icmpv6.h).
var routePrefs = &engine.Enum{Name: "icmpv6_router_pref", Values: []engine.EnumValue{
	ev("ICMPV6_ROUTER_PREF_MEDIUM", 0), ev("ICMPV6_ROUTER_PREF_HIGH", 1),
	ev("ICMPV6_ROUTER_PREF_INVALID", 2), ev("ICMPV6_ROUTER_PREF_LOW", 3),
}}

// routeDoc sets an attribute's one-line description.
func routeDoc(a *engine.AttrDesc, doc string) *engine.AttrDesc {
	a.Doc = doc
	return a
}

// routeMsg is struct rtmsg with pyroute2's field names.
var routeMsg = engine.NewStruct("rtmsg",
	c("rtm_family", fe("family", engine.U8, Families)),
	c("rtm_dst_len", f("dst_len", engine.U8)),
	c("rtm_src_len", f("src_len", engine.U8)),
	c("rtm_tos", f("tos", engine.U8)),
	c("rtm_table", fe("table", engine.U8, routeTables)),
	c("rtm_protocol", fe("proto", engine.U8, routeProtocols)),
	c("rtm_scope", fe("scope", engine.U8, Scopes)),
	c("rtm_type", fe("type", engine.U8, routeTypes)),
	c("rtm_flags", fe("flags", engine.U32, routeFlags)),
)

// routeCacheInfo is struct rta_cacheinfo (RTA_CACHEINFO).
var routeCacheInfo = engine.NewStruct("rta_cacheinfo",
	f("rta_clntref", engine.U32),
	f("rta_lastuse", engine.U32),
	f("rta_expires", engine.S32),
	f("rta_error", engine.U32),
	f("rta_used", engine.U32),
	f("rta_id", engine.U32),
	f("rta_ts", engine.U32),
	f("rta_tsage", engine.U32),
)

// routeMfcStats is struct rta_mfc_stats (RTA_MFC_STATS).
var routeMfcStats = engine.NewStruct("rta_mfc_stats",
	f("mfcs_packets", engine.U64),
	f("mfcs_bytes", engine.U64),
	f("mfcs_wrong_if", engine.U64),
)

// routeSession is struct rta_session (RTA_SESSION, no longer used); the union
// u (ports, icmpt or spi) is kept as bytes.
var routeSession = engine.NewStruct("rta_session",
	f("proto", engine.U8),
	pad("pad1", 1),
	pad("pad2", 2),
	fsize("u", engine.Binary, 4),
)

// routeMetrics is the RTAX_* set nested in RTA_METRICS.
var routeMetrics = &engine.AttrSet{Name: "rta_metrics", Prefix: "RTAX_", Attrs: []*engine.AttrDesc{
	{Name: "RTAX_LOCK", Type: 1, Kind: engine.U32, Doc: "bit mask of locked metrics, 1<<RTAX_*"},
	attr("RTAX_MTU", 2, engine.U32),
	attr("RTAX_WINDOW", 3, engine.U32),
	attr("RTAX_RTT", 4, engine.U32),
	attr("RTAX_RTTVAR", 5, engine.U32),
	attr("RTAX_SSTHRESH", 6, engine.U32),
	attr("RTAX_CWND", 7, engine.U32),
	attr("RTAX_ADVMSS", 8, engine.U32),
	attr("RTAX_REORDERING", 9, engine.U32),
	attr("RTAX_HOPLIMIT", 10, engine.U32),
	attr("RTAX_INITCWND", 11, engine.U32),
	enumAttr("RTAX_FEATURES", 12, engine.U32, routeMetricFeatures),
	attr("RTAX_RTO_MIN", 13, engine.U32),
	attr("RTAX_INITRWND", 14, engine.U32),
	attr("RTAX_QUICKACK", 15, engine.U32),
	{Name: "RTAX_CC_ALGO", Type: 16, Kind: engine.Asciiz, Doc: "congestion control algorithm name"},
	attr("RTAX_FASTOPEN_NO_COOKIE", 17, engine.U32),
}}

// routeGeneveOpt is one Geneve option (LWTUNNEL_IP_OPT_GENEVE_*).
var routeGeneveOpt = &engine.AttrSet{Name: "lwtunnel_ip_opt_geneve", Prefix: "LWTUNNEL_IP_OPT_GENEVE_", Attrs: []*engine.AttrDesc{
	attr("LWTUNNEL_IP_OPT_GENEVE_CLASS", 1, engine.BE16),
	attr("LWTUNNEL_IP_OPT_GENEVE_TYPE", 2, engine.U8),
	attr("LWTUNNEL_IP_OPT_GENEVE_DATA", 3, engine.Binary),
}}

// routeVxlanOpt is the VXLAN option (LWTUNNEL_IP_OPT_VXLAN_*).
var routeVxlanOpt = &engine.AttrSet{Name: "lwtunnel_ip_opt_vxlan", Prefix: "LWTUNNEL_IP_OPT_VXLAN_", Attrs: []*engine.AttrDesc{
	{Name: "LWTUNNEL_IP_OPT_VXLAN_GBP", Type: 1, Kind: engine.U32, Doc: "group based policy"},
}}

// routeErspanOpt is the ERSPAN option (LWTUNNEL_IP_OPT_ERSPAN_*).
var routeErspanOpt = &engine.AttrSet{Name: "lwtunnel_ip_opt_erspan", Prefix: "LWTUNNEL_IP_OPT_ERSPAN_", Attrs: []*engine.AttrDesc{
	attr("LWTUNNEL_IP_OPT_ERSPAN_VER", 1, engine.U8),
	attr("LWTUNNEL_IP_OPT_ERSPAN_INDEX", 2, engine.BE32),
	attr("LWTUNNEL_IP_OPT_ERSPAN_DIR", 3, engine.U8),
	attr("LWTUNNEL_IP_OPT_ERSPAN_HWID", 4, engine.U8),
}}

// routeTunnelOpts is the LWTUNNEL_IP_OPTS_* set of LWTUNNEL_IP_OPTS and
// LWTUNNEL_IP6_OPTS.
var routeTunnelOpts = &engine.AttrSet{Name: "lwtunnel_ip_opts", Prefix: "LWTUNNEL_IP_OPTS_", Attrs: []*engine.AttrDesc{
	{Name: "LWTUNNEL_IP_OPTS_GENEVE", Type: 1, Kind: engine.Nested, Set: routeGeneveOpt, NestFlag: true},
	{Name: "LWTUNNEL_IP_OPTS_VXLAN", Type: 2, Kind: engine.Nested, Set: routeVxlanOpt, NestFlag: true},
	{Name: "LWTUNNEL_IP_OPTS_ERSPAN", Type: 3, Kind: engine.Nested, Set: routeErspanOpt, NestFlag: true},
}}

// routeEncapIP is the LWTUNNEL_IP_* set (RTA_ENCAP of LWTUNNEL_ENCAP_IP).
var routeEncapIP = &engine.AttrSet{Name: "lwtunnel_ip", Prefix: "LWTUNNEL_IP_", Attrs: []*engine.AttrDesc{
	{Name: "LWTUNNEL_IP_ID", Type: 1, Kind: engine.BE64, Doc: "tunnel id (key)"},
	attr("LWTUNNEL_IP_DST", 2, engine.IPv4),
	attr("LWTUNNEL_IP_SRC", 3, engine.IPv4),
	attr("LWTUNNEL_IP_TTL", 4, engine.U8),
	attr("LWTUNNEL_IP_TOS", 5, engine.U8),
	{Name: "LWTUNNEL_IP_FLAGS", Type: 6, Kind: engine.BE16, Doc: "tunnel key flags (TUNNEL_*)"},
	attr("LWTUNNEL_IP_PAD", 7, engine.Binary),
	// The kernel parses the options strictly: without NLA_F_NESTED here
	// and on each option it refuses the route.
	{Name: "LWTUNNEL_IP_OPTS", Type: 8, Kind: engine.Nested, Set: routeTunnelOpts, NestFlag: true},
}}

// routeEncapIP6 is the LWTUNNEL_IP6_* set (RTA_ENCAP of LWTUNNEL_ENCAP_IP6).
var routeEncapIP6 = &engine.AttrSet{Name: "lwtunnel_ip6", Prefix: "LWTUNNEL_IP6_", Attrs: []*engine.AttrDesc{
	{Name: "LWTUNNEL_IP6_ID", Type: 1, Kind: engine.BE64, Doc: "tunnel id (key)"},
	attr("LWTUNNEL_IP6_DST", 2, engine.IPv6),
	attr("LWTUNNEL_IP6_SRC", 3, engine.IPv6),
	attr("LWTUNNEL_IP6_HOPLIMIT", 4, engine.U8),
	{Name: "LWTUNNEL_IP6_TC", Type: 5, Kind: engine.U8, Doc: "traffic class"},
	{Name: "LWTUNNEL_IP6_FLAGS", Type: 6, Kind: engine.BE16, Doc: "tunnel key flags (TUNNEL_*)"},
	attr("LWTUNNEL_IP6_PAD", 7, engine.Binary),
	{Name: "LWTUNNEL_IP6_OPTS", Type: 8, Kind: engine.Nested, Set: routeTunnelOpts, NestFlag: true},
}}

// routeBpfProg is the LWT_BPF_PROG_* set describing one attached program.
var routeBpfProg = &engine.AttrSet{Name: "lwt_bpf_prog", Prefix: "LWT_BPF_PROG_", Attrs: []*engine.AttrDesc{
	attr("LWT_BPF_PROG_FD", 1, engine.U32),
	attr("LWT_BPF_PROG_NAME", 2, engine.Asciiz),
}}

// routeEncapBpf is the LWT_BPF_* set (RTA_ENCAP of LWTUNNEL_ENCAP_BPF).
var routeEncapBpf = &engine.AttrSet{Name: "lwt_bpf", Prefix: "LWT_BPF_", Attrs: []*engine.AttrDesc{
	{Name: "LWT_BPF_IN", Type: 1, Kind: engine.Nested, Set: routeBpfProg, NestFlag: true},
	{Name: "LWT_BPF_OUT", Type: 2, Kind: engine.Nested, Set: routeBpfProg, NestFlag: true},
	{Name: "LWT_BPF_XMIT", Type: 3, Kind: engine.Nested, Set: routeBpfProg, NestFlag: true},
	{Name: "LWT_BPF_XMIT_HEADROOM", Type: 4, Kind: engine.U32, Doc: "bytes of headroom the xmit program may push"},
}}

// routeEncapXfrm is the LWT_XFRM_* set (RTA_ENCAP of LWTUNNEL_ENCAP_XFRM).
var routeEncapXfrm = &engine.AttrSet{Name: "lwt_xfrm", Prefix: "LWT_XFRM_", Attrs: []*engine.AttrDesc{
	attr("LWT_XFRM_IF_ID", 1, engine.U32),
	{Name: "LWT_XFRM_LINK", Type: 2, Kind: engine.U32, Doc: "ifindex of the underlying link"},
}}

// encapFormats are the payload formats of RTA_ENCAP and NHA_ENCAP (named
// name, numbered t), chosen by the encapsulation type. iproute2 sends every
// one with NLA_F_NESTED, and the nexthop policy requires it.
func encapFormats(name string, t uint16) map[string]*engine.AttrDesc {
	format := func(set *engine.AttrSet) *engine.AttrDesc {
		return &engine.AttrDesc{Name: name, Type: t, Kind: engine.Nested, Set: set, NestFlag: true}
	}
	return map[string]*engine.AttrDesc{
		"LWTUNNEL_ENCAP_IP":   format(routeEncapIP),
		"LWTUNNEL_ENCAP_IP6":  format(routeEncapIP6),
		"LWTUNNEL_ENCAP_BPF":  format(routeEncapBpf),
		"LWTUNNEL_ENCAP_XFRM": format(routeEncapXfrm),
	}
}

// RouteAttrs is the RTA_* set of route messages and of RTA_MULTIPATH nexthops.
var RouteAttrs = &engine.AttrSet{Name: "rtmsg_attrs", Prefix: "RTA_", Attrs: []*engine.AttrDesc{
	{Name: "RTA_DST", Type: 1, Kind: engine.IP, Doc: "destination prefix (an MPLS label entry for AF_MPLS)"},
	attr("RTA_SRC", 2, engine.IP),
	{Name: "RTA_IIF", Type: 3, Kind: engine.U32, Doc: "input interface index"},
	{Name: "RTA_OIF", Type: 4, Kind: engine.U32, Doc: "output interface index"},
	attr("RTA_GATEWAY", 5, engine.IP),
	{Name: "RTA_PRIORITY", Type: 6, Kind: engine.U32, Doc: "route metric"},
	{Name: "RTA_PREFSRC", Type: 7, Kind: engine.IP, Doc: "preferred source address"},
	nest("RTA_METRICS", 8, routeMetrics),
	{Name: "RTA_MULTIPATH", Type: 9, Kind: engine.Records, Record: routeNexthop, Doc: "nexthops, each a struct rtnexthop followed by RTA_* attributes"},
	{Name: "RTA_PROTOINFO", Type: 10, Kind: engine.Binary, Doc: "no longer used"},
	{Name: "RTA_FLOW", Type: 11, Kind: engine.U32, Doc: "realms: source realm<<16 | destination realm"},
	strct("RTA_CACHEINFO", 12, routeCacheInfo),
	{Name: "RTA_SESSION", Type: 13, Kind: engine.Struct, Struct: routeSession, Doc: "no longer used"},
	{Name: "RTA_MP_ALGO", Type: 14, Kind: engine.U32, Doc: "no longer used"},
	enumAttr("RTA_TABLE", 15, engine.U32, routeTables),
	{Name: "RTA_MARK", Type: 16, Kind: engine.U32, Hint: engine.HintHex, Doc: "firewall mark for route lookups"},
	strct("RTA_MFC_STATS", 17, routeMfcStats),
	{Name: "RTA_VIA", Type: 18, Kind: engine.Binary, Doc: "struct rtvia: u16 address family, then the gateway address of that family"},
	{Name: "RTA_NEWDST", Type: 19, Kind: engine.Array, Elem: engine.BE32, Doc: "MPLS label stack entries to push (label<<12 | tc<<9 | bos<<8 | ttl)"},
	{Name: "RTA_PREF", Type: 20, Kind: engine.U8, Enum: routePrefs, Doc: "IPv6 router preference"},
	enumAttr("RTA_ENCAP_TYPE", 21, engine.U16, routeEncapTypes),
	routeDoc(sub("RTA_ENCAP", 22, "RTA_ENCAP_TYPE", encapFormats("RTA_ENCAP", 22)), "lightweight tunnel encapsulation, format chosen by RTA_ENCAP_TYPE"),
	{Name: "RTA_EXPIRES", Type: 23, Kind: engine.U64, Doc: "multicast route age in clock ticks; a u32 of seconds in IPv6 route requests"},
	attr("RTA_PAD", 24, engine.Binary),
	{Name: "RTA_UID", Type: 25, Kind: engine.U32, Doc: "uid for route lookups"},
	{Name: "RTA_TTL_PROPAGATE", Type: 26, Kind: engine.U8, Doc: "MPLS: propagate TTL into the IP header on pop"},
	{Name: "RTA_IP_PROTO", Type: 27, Kind: engine.U8, Doc: "IP protocol for route lookups"},
	{Name: "RTA_SPORT", Type: 28, Kind: engine.BE16, Doc: "source port for route lookups"},
	{Name: "RTA_DPORT", Type: 29, Kind: engine.BE16, Doc: "destination port for route lookups"},
	{Name: "RTA_NH_ID", Type: 30, Kind: engine.U32, Doc: "nexthop object id"},
}}

// routeNexthop is struct rtnexthop with pyroute2's field names; its Attrs
// (RouteAttrs) are set in init because the two refer to each other.
var routeNexthop = &engine.Class{
	Name: "rtnexthop",
	Struct: engine.NewStruct("rtnexthop",
		c("rtnh_len", f("length", engine.U16)),
		c("rtnh_flags", fe("flags", engine.U8, routeNexthopFlags)),
		c("rtnh_hops", f("hops", engine.U8)),
		c("rtnh_ifindex", f("oif", engine.S32)),
	),
	LenField: "length",
	Doc:      "one nexthop of RTA_MULTIPATH",
}

func init() { routeNexthop.Attrs = RouteAttrs }

// RouteClass is the route message (RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE).
var RouteClass = &engine.Class{Name: "rtmsg", Struct: routeMsg, Attrs: RouteAttrs, Doc: "route",
	Brief: []string{"RTA_TABLE", "type", "RTA_DST/dst_len=default", "RTA_GATEWAY", "RTA_OIF", "proto", "RTA_PRIORITY"}}

// RouteEnums lists the enums of route messages.
var RouteEnums = []*engine.Enum{
	routeTypes, routeProtocols, Scopes, routeTables, routeFlags, routeCacheFlags,
	routeNexthopFlags, routeMetricFeatures, routeEncapTypes, routePrefs,
}
