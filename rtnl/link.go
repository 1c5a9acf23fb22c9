package rtnl

import "nlsh/engine"

// Links: the ifinfomsg header and the IFLA_* attributes carried by
// RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK and RTM_SETLINK (linux/if_link.h,
// linux/if.h, linux/if_arp.h, linux/if_bridge.h, linux/rtnetlink.h). The
// per-kind IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA sets live in link_kinds.go.

// Enums of the link header and the generic link attributes.
var (
	linkIFFlags = &engine.Enum{Name: "net_device_flags", Flags: true, Values: []engine.EnumValue{
		ev("IFF_UP", 1<<0), ev("IFF_BROADCAST", 1<<1), ev("IFF_DEBUG", 1<<2), ev("IFF_LOOPBACK", 1<<3),
		ev("IFF_POINTOPOINT", 1<<4), ev("IFF_NOTRAILERS", 1<<5), ev("IFF_RUNNING", 1<<6), ev("IFF_NOARP", 1<<7),
		ev("IFF_PROMISC", 1<<8), ev("IFF_ALLMULTI", 1<<9), ev("IFF_MASTER", 1<<10), ev("IFF_SLAVE", 1<<11),
		ev("IFF_MULTICAST", 1<<12), ev("IFF_PORTSEL", 1<<13), ev("IFF_AUTOMEDIA", 1<<14), ev("IFF_DYNAMIC", 1<<15),
		ev("IFF_LOWER_UP", 1<<16), ev("IFF_DORMANT", 1<<17), ev("IFF_ECHO", 1<<18),
	}}

	linkARPHRD = &engine.Enum{Name: "arphrd", Values: []engine.EnumValue{
		ev("ARPHRD_NETROM", 0), ev("ARPHRD_ETHER", 1), ev("ARPHRD_EETHER", 2), ev("ARPHRD_AX25", 3),
		ev("ARPHRD_PRONET", 4), ev("ARPHRD_CHAOS", 5), ev("ARPHRD_IEEE802", 6), ev("ARPHRD_ARCNET", 7),
		ev("ARPHRD_APPLETLK", 8), ev("ARPHRD_DLCI", 15), ev("ARPHRD_ATM", 19), ev("ARPHRD_METRICOM", 23),
		ev("ARPHRD_IEEE1394", 24), ev("ARPHRD_EUI64", 27), ev("ARPHRD_INFINIBAND", 32),
		ev("ARPHRD_SLIP", 256), ev("ARPHRD_CSLIP", 257), ev("ARPHRD_SLIP6", 258), ev("ARPHRD_CSLIP6", 259),
		ev("ARPHRD_RSRVD", 260), ev("ARPHRD_ADAPT", 264), ev("ARPHRD_ROSE", 270), ev("ARPHRD_X25", 271),
		ev("ARPHRD_HWX25", 272), ev("ARPHRD_CAN", 280), ev("ARPHRD_MCTP", 290),
		ev("ARPHRD_PPP", 512), ev("ARPHRD_CISCO", 513), ev("ARPHRD_HDLC", 513), ev("ARPHRD_LAPB", 516),
		ev("ARPHRD_DDCMP", 517), ev("ARPHRD_RAWHDLC", 518), ev("ARPHRD_RAWIP", 519),
		ev("ARPHRD_TUNNEL", 768), ev("ARPHRD_TUNNEL6", 769), ev("ARPHRD_FRAD", 770), ev("ARPHRD_SKIP", 771),
		ev("ARPHRD_LOOPBACK", 772), ev("ARPHRD_LOCALTLK", 773), ev("ARPHRD_FDDI", 774), ev("ARPHRD_BIF", 775),
		ev("ARPHRD_SIT", 776), ev("ARPHRD_IPDDP", 777), ev("ARPHRD_IPGRE", 778), ev("ARPHRD_PIMREG", 779),
		ev("ARPHRD_HIPPI", 780), ev("ARPHRD_ASH", 781), ev("ARPHRD_ECONET", 782), ev("ARPHRD_IRDA", 783),
		ev("ARPHRD_FCPP", 784), ev("ARPHRD_FCAL", 785), ev("ARPHRD_FCPL", 786), ev("ARPHRD_FCFABRIC", 787),
		ev("ARPHRD_IEEE802_TR", 800), ev("ARPHRD_IEEE80211", 801), ev("ARPHRD_IEEE80211_PRISM", 802),
		ev("ARPHRD_IEEE80211_RADIOTAP", 803), ev("ARPHRD_IEEE802154", 804), ev("ARPHRD_IEEE802154_MONITOR", 805),
		ev("ARPHRD_PHONET", 820), ev("ARPHRD_PHONET_PIPE", 821), ev("ARPHRD_CAIF", 822), ev("ARPHRD_IP6GRE", 823),
		ev("ARPHRD_NETLINK", 824), ev("ARPHRD_6LOWPAN", 825), ev("ARPHRD_VSOCKMON", 826),
		ev("ARPHRD_VOID", 0xFFFF), ev("ARPHRD_NONE", 0xFFFE),
	}}

	linkOperStates = engine.NewEnum("if_oper", engine.Seq(0,
		"IF_OPER_UNKNOWN", "IF_OPER_NOTPRESENT", "IF_OPER_DOWN", "IF_OPER_LOWERLAYERDOWN",
		"IF_OPER_TESTING", "IF_OPER_DORMANT", "IF_OPER_UP")...)

	linkModes = engine.NewEnum("if_link_mode", engine.Seq(0,
		"IF_LINK_MODE_DEFAULT", "IF_LINK_MODE_DORMANT", "IF_LINK_MODE_TESTING")...)

	linkEvents = engine.NewEnum("ifla_event", engine.Seq(0,
		"IFLA_EVENT_NONE", "IFLA_EVENT_REBOOT", "IFLA_EVENT_FEATURES", "IFLA_EVENT_BONDING_FAILOVER",
		"IFLA_EVENT_NOTIFY_PEERS", "IFLA_EVENT_IGMP_RESEND", "IFLA_EVENT_BONDING_OPTIONS")...)

	linkExtFilter = &engine.Enum{Name: "rtext_filter", Flags: true, Values: []engine.EnumValue{
		ev("RTEXT_FILTER_VF", 1<<0), ev("RTEXT_FILTER_BRVLAN", 1<<1), ev("RTEXT_FILTER_BRVLAN_COMPRESSED", 1<<2),
		ev("RTEXT_FILTER_SKIP_STATS", 1<<3), ev("RTEXT_FILTER_MRP", 1<<4), ev("RTEXT_FILTER_CFM_CONFIG", 1<<5),
		ev("RTEXT_FILTER_CFM_STATUS", 1<<6), ev("RTEXT_FILTER_MST", 1<<7),
	}}

	linkAddrGenModes = engine.NewEnum("in6_addr_gen_mode", engine.Seq(0,
		"IN6_ADDR_GEN_MODE_EUI64", "IN6_ADDR_GEN_MODE_NONE", "IN6_ADDR_GEN_MODE_STABLE_PRIVACY",
		"IN6_ADDR_GEN_MODE_RANDOM")...)

	linkXDPAttached = engine.NewEnum("xdp_attached", engine.Seq(0,
		"XDP_ATTACHED_NONE", "XDP_ATTACHED_DRV", "XDP_ATTACHED_SKB", "XDP_ATTACHED_HW", "XDP_ATTACHED_MULTI")...)

	linkXDPFlags = &engine.Enum{Name: "xdp_flags", Flags: true, Values: []engine.EnumValue{
		ev("XDP_FLAGS_UPDATE_IF_NOEXIST", 1<<0), ev("XDP_FLAGS_SKB_MODE", 1<<1), ev("XDP_FLAGS_DRV_MODE", 1<<2),
		ev("XDP_FLAGS_HW_MODE", 1<<3), ev("XDP_FLAGS_REPLACE", 1<<4),
		ev("XDP_FLAGS_MODES", 1<<1|1<<2|1<<3), ev("XDP_FLAGS_MASK", 1<<0|1<<1|1<<2|1<<3|1<<4),
	}}

	linkVFLinkStates = engine.NewEnum("ifla_vf_link_state", engine.Seq(0,
		"IFLA_VF_LINK_STATE_AUTO", "IFLA_VF_LINK_STATE_ENABLE", "IFLA_VF_LINK_STATE_DISABLE")...)

	linkPortRequests = engine.NewEnum("port_request", engine.Seq(0,
		"PORT_REQUEST_PREASSOCIATE", "PORT_REQUEST_PREASSOCIATE_RR", "PORT_REQUEST_ASSOCIATE",
		"PORT_REQUEST_DISASSOCIATE")...)

	linkPortResponses = engine.NewEnum("port_response", append(engine.Seq(0,
		"PORT_VDP_RESPONSE_SUCCESS", "PORT_VDP_RESPONSE_INVALID_FORMAT", "PORT_VDP_RESPONSE_INSUFFICIENT_RESOURCES",
		"PORT_VDP_RESPONSE_UNUSED_VTID", "PORT_VDP_RESPONSE_VTID_VIOLATION",
		"PORT_VDP_RESPONSE_VTID_VERSION_VIOALTION", "PORT_VDP_RESPONSE_OUT_OF_SYNC"),
		engine.Seq(0x100,
			"PORT_PROFILE_RESPONSE_SUCCESS", "PORT_PROFILE_RESPONSE_INPROGRESS", "PORT_PROFILE_RESPONSE_INVALID",
			"PORT_PROFILE_RESPONSE_BADSTATE", "PORT_PROFILE_RESPONSE_INSUFFICIENT_RESOURCES",
			"PORT_PROFILE_RESPONSE_ERROR")...)...)
)

// Structs carried by the generic link attributes.
var (
	linkIfinfomsg = engine.NewStruct("ifinfomsg",
		c("ifi_family", fe("family", engine.U8, Families)),
		pad("__ifi_pad", 1),
		// ARPHRD_NETROM is 0: the kernel says so of a NET/ROM device, but
		// a request's 0 only leaves the type unspecified.
		engine.Field{Name: "ifi_type", Kind: engine.U16, Enum: linkARPHRD, Unset: "unspecified",
			Doc: "device type; 0 in a request means unspecified"},
		c("ifi_index", f("index", engine.S32)),
		c("ifi_flags", fe("flags", engine.U32, linkIFFlags)),
		c("ifi_change", fe("change", engine.U32, linkIFFlags)),
	)

	linkIfmap = engine.NewStruct("rtnl_link_ifmap",
		f("mem_start", engine.U64),
		f("mem_end", engine.U64),
		f("base_addr", engine.U64),
		f("irq", engine.U16),
		f("dma", engine.U8),
		f("port", engine.U8),
		pad("__pad", 4),
	)

	linkStats = engine.NewStruct("rtnl_link_stats", linkStatsFields(engine.U32, false)...)

	linkStats64 = engine.NewStruct("rtnl_link_stats64", linkStatsFields(engine.U64, true)...)

	linkCacheinfo = engine.NewStruct("ifla_cacheinfo",
		f("max_reasm_len", engine.U32),
		f("tstamp", engine.U32),
		f("reachable_time", engine.U32),
		f("retrans_time", engine.U32),
	)

	linkVFMac = engine.NewStruct("ifla_vf_mac",
		f("vf", engine.U32),
		fsize("mac", engine.LLAddr, 32),
	)

	linkVFBroadcast = engine.NewStruct("ifla_vf_broadcast",
		fsize("broadcast", engine.LLAddr, 32),
	)

	linkVFVlan = engine.NewStruct("ifla_vf_vlan",
		f("vf", engine.U32),
		f("vlan", engine.U32),
		f("qos", engine.U32),
	)

	linkVFVlanInfo = engine.NewStruct("ifla_vf_vlan_info",
		f("vf", engine.U32),
		f("vlan", engine.U32),
		f("qos", engine.U32),
		f("vlan_proto", engine.BE16),
		pad("__pad", 2),
	)

	linkVFTxRate = engine.NewStruct("ifla_vf_tx_rate",
		f("vf", engine.U32),
		f("rate", engine.U32),
	)

	linkVFRate = engine.NewStruct("ifla_vf_rate",
		f("vf", engine.U32),
		f("min_tx_rate", engine.U32),
		f("max_tx_rate", engine.U32),
	)

	linkVFSpoofchk = engine.NewStruct("ifla_vf_spoofchk",
		f("vf", engine.U32),
		f("setting", engine.U32),
	)

	linkVFGuid = engine.NewStruct("ifla_vf_guid",
		f("vf", engine.U32),
		pad("__pad", 4),
		f("guid", engine.U64),
	)

	linkVFLinkState = engine.NewStruct("ifla_vf_link_state",
		f("vf", engine.U32),
		fe("link_state", engine.U32, linkVFLinkStates),
	)

	linkVFRssQueryEn = engine.NewStruct("ifla_vf_rss_query_en",
		f("vf", engine.U32),
		f("setting", engine.U32),
	)

	linkVFTrust = engine.NewStruct("ifla_vf_trust",
		f("vf", engine.U32),
		f("setting", engine.U32),
	)

	linkPortVSI = engine.NewStruct("ifla_port_vsi",
		f("vsi_mgr_id", engine.U8),
		fsize("vsi_type_id", engine.Binary, 3),
		f("vsi_type_version", engine.U8),
		pad("pad", 3),
	)
)

// linkStatsFields lists the members shared by rtnl_link_stats and
// rtnl_link_stats64; the 64-bit struct adds rx_otherhost_dropped.
func linkStatsFields(k engine.Kind, is64 bool) []engine.Field {
	names := []string{
		"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
		"rx_dropped", "tx_dropped", "multicast", "collisions",
		"rx_length_errors", "rx_over_errors", "rx_crc_errors", "rx_frame_errors", "rx_fifo_errors", "rx_missed_errors",
		"tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors", "tx_heartbeat_errors", "tx_window_errors",
		"rx_compressed", "tx_compressed", "rx_nohandler",
	}
	if is64 {
		names = append(names, "rx_otherhost_dropped")
	}
	fs := make([]engine.Field, len(names))
	for i, n := range names {
		fs[i] = f(n, k)
	}
	return fs
}

// linkDoc sets an attribute's one-line description.
func linkDoc(a *engine.AttrDesc, doc string) *engine.AttrDesc {
	a.Doc = doc
	return a
}

// LinkAttrs is the IFLA_* attribute set of link messages.
var LinkAttrs = &engine.AttrSet{Name: "link", Prefix: "IFLA_", Attrs: []*engine.AttrDesc{
	attr("IFLA_ADDRESS", 1, engine.LLAddr),
	attr("IFLA_BROADCAST", 2, engine.LLAddr),
	attr("IFLA_IFNAME", 3, engine.Asciiz),
	attr("IFLA_MTU", 4, engine.U32),
	{Name: "IFLA_LINK", Type: 5, Kind: engine.U32, Doc: "ifindex of the lower device"},
	attr("IFLA_QDISC", 6, engine.Asciiz),
	strct("IFLA_STATS", 7, linkStats),
	{Name: "IFLA_COST", Type: 8, Kind: engine.Binary, Doc: "unused by the kernel"},
	{Name: "IFLA_PRIORITY", Type: 9, Kind: engine.Binary, Doc: "unused by the kernel"},
	{Name: "IFLA_MASTER", Type: 10, Kind: engine.U32, Doc: "ifindex of the master device (bridge, bond, vrf)"},
	{Name: "IFLA_WIRELESS", Type: 11, Kind: engine.Binary, Doc: "wireless extension event"},
	linkDoc(sub("IFLA_PROTINFO", 12, "family", map[string]*engine.AttrDesc{
		// A bridge port reads IFLA_PROTINFO without NLA_F_NESTED as the
		// old one-byte STP state, so the flag is what makes it a nest.
		"AF_BRIDGE": &engine.AttrDesc{Name: "IFLA_PROTINFO", Type: 12, Kind: engine.Nested, Set: linkBrportAttrs, NestFlag: true},
		"AF_INET6":  nest("IFLA_PROTINFO", 12, linkInet6Attrs),
	}), "protocol specific link information, by the message's family: IFLA_BRPORT_* for AF_BRIDGE, IFLA_INET6_* for AF_INET6"),
	{Name: "IFLA_TXQLEN", Type: 13, Kind: engine.U32, Doc: "transmit queue length"},
	strct("IFLA_MAP", 14, linkIfmap),
	{Name: "IFLA_WEIGHT", Type: 15, Kind: engine.U32, Doc: "unused by the kernel"},
	enumAttr("IFLA_OPERSTATE", 16, engine.U8, linkOperStates),
	enumAttr("IFLA_LINKMODE", 17, engine.U8, linkModes),
	nest("IFLA_LINKINFO", 18, linkInfoAttrs),
	{Name: "IFLA_NET_NS_PID", Type: 19, Kind: engine.U32, Doc: "move the link to the network namespace of this process"},
	attr("IFLA_IFALIAS", 20, engine.Asciiz),
	{Name: "IFLA_NUM_VF", Type: 21, Kind: engine.U32, Doc: "number of SR-IOV virtual functions"},
	nest("IFLA_VFINFO_LIST", 22, linkVFInfoListAttrs),
	strct("IFLA_STATS64", 23, linkStats64),
	nest("IFLA_VF_PORTS", 24, linkVFPortsAttrs),
	nest("IFLA_PORT_SELF", 25, linkPortAttrs),
	linkDoc(withDefault(sub("IFLA_AF_SPEC", 26, "family", map[string]*engine.AttrDesc{
		"AF_BRIDGE": nest("IFLA_AF_SPEC", 26, linkBridgeAFAttrs),
	}), nest("IFLA_AF_SPEC", 26, linkAFSpecAttrs)), "address family specific attributes: one nest per AF_*; in AF_BRIDGE messages (bridge vlan, bridge link) the IFLA_BRIDGE_* attributes themselves"),
	{Name: "IFLA_GROUP", Type: 27, Kind: engine.U32, Doc: "device group"},
	{Name: "IFLA_NET_NS_FD", Type: 28, Kind: engine.U32, Doc: "move the link to the network namespace of this file descriptor"},
	{Name: "IFLA_EXT_MASK", Type: 29, Kind: engine.U32, Enum: linkExtFilter, Doc: "what extra information a dump should include"},
	{Name: "IFLA_PROMISCUITY", Type: 30, Kind: engine.U32, Doc: "promiscuous mode users; > 0 means promiscuous"},
	attr("IFLA_NUM_TX_QUEUES", 31, engine.U32),
	attr("IFLA_NUM_RX_QUEUES", 32, engine.U32),
	attr("IFLA_CARRIER", 33, engine.U8),
	attr("IFLA_PHYS_PORT_ID", 34, engine.Binary),
	attr("IFLA_CARRIER_CHANGES", 35, engine.U32),
	attr("IFLA_PHYS_SWITCH_ID", 36, engine.Binary),
	{Name: "IFLA_LINK_NETNSID", Type: 37, Kind: engine.S32, Doc: "namespace id of the lower device's namespace"},
	attr("IFLA_PHYS_PORT_NAME", 38, engine.Asciiz),
	attr("IFLA_PROTO_DOWN", 39, engine.U8),
	attr("IFLA_GSO_MAX_SEGS", 40, engine.U32),
	attr("IFLA_GSO_MAX_SIZE", 41, engine.U32),
	attr("IFLA_PAD", 42, engine.Binary),
	nest("IFLA_XDP", 43, linkXDPAttrs),
	{Name: "IFLA_EVENT", Type: 44, Kind: engine.U32, Enum: linkEvents, Doc: "reason for a notification"},
	{Name: "IFLA_NEW_NETNSID", Type: 45, Kind: engine.S32, Doc: "namespace id the link moved to"},
	{Name: "IFLA_TARGET_NETNSID", Type: 46, Kind: engine.S32, Doc: "act in the namespace with this id (also named IFLA_IF_NETNSID)"},
	attr("IFLA_CARRIER_UP_COUNT", 47, engine.U32),
	attr("IFLA_CARRIER_DOWN_COUNT", 48, engine.U32),
	{Name: "IFLA_NEW_IFINDEX", Type: 49, Kind: engine.S32, Doc: "ifindex the link has after a namespace move, or wants on creation"},
	attr("IFLA_MIN_MTU", 50, engine.U32),
	attr("IFLA_MAX_MTU", 51, engine.U32),
	// RTM_NEWLINKPROP and RTM_DELLINKPROP refuse IFLA_PROP_LIST without
	// NLA_F_NESTED.
	{Name: "IFLA_PROP_LIST", Type: 52, Kind: engine.Nested, Set: linkPropListAttrs, NestFlag: true, Doc: "property list (alternative names): IFLA_ALT_IFNAME, repeated"},
	{Name: "IFLA_ALT_IFNAME", Type: 53, Kind: engine.Asciiz, Doc: "alternative interface name"},
	{Name: "IFLA_PERM_ADDRESS", Type: 54, Kind: engine.LLAddr, Doc: "permanent hardware address"},
	{Name: "IFLA_PROTO_DOWN_REASON", Type: 55, Kind: engine.Nested, Set: linkProtoDownReasonAttrs, NestFlag: true},
	{Name: "IFLA_PARENT_DEV_NAME", Type: 56, Kind: engine.Asciiz, Doc: "parent device (sysfs) name when there is no parent netdev"},
	attr("IFLA_PARENT_DEV_BUS_NAME", 57, engine.Asciiz),
	attr("IFLA_GRO_MAX_SIZE", 58, engine.U32),
	attr("IFLA_TSO_MAX_SIZE", 59, engine.U32),
	attr("IFLA_TSO_MAX_SEGS", 60, engine.U32),
	{Name: "IFLA_ALLMULTI", Type: 61, Kind: engine.U32, Doc: "all-multicast users; > 0 means all-multicast"},
	// 62 to 65 are newer than the uAPI headers uapi_test.go reads; they
	// come from the kernel's rt-link YNL spec, which ynl's tests compare
	// with this set. 66 to 69 are newer than the installed spec too (linux
	// 6.13 to 6.15's if_link.h): this kernel sends them for every link,
	// and TestKernelRoundTrip checks their payloads against these kinds.
	{Name: "IFLA_DEVLINK_PORT", Type: 62, Kind: engine.Nested, Set: linkDevlinkPortAttrs, Doc: "the device's devlink port, by its handle"},
	{Name: "IFLA_GSO_IPV4_MAX_SIZE", Type: 63, Kind: engine.U32, Doc: "largest IPv4 GSO packet"},
	{Name: "IFLA_GRO_IPV4_MAX_SIZE", Type: 64, Kind: engine.U32, Doc: "largest IPv4 GRO packet"},
	{Name: "IFLA_DPLL_PIN", Type: 65, Kind: engine.Nested, Set: linkDPLLPinAttrs, Doc: "the DPLL pin the device's clock comes from"},
	{Name: "IFLA_MAX_PACING_OFFLOAD_HORIZON", Type: 66, Kind: engine.Uint, Doc: "furthest a packet may be paced in the future by the device, in nanoseconds"},
	{Name: "IFLA_NETNS_IMMUTABLE", Type: 67, Kind: engine.U8, Doc: "1 if the device cannot move to another network namespace"},
	{Name: "IFLA_HEADROOM", Type: 68, Kind: engine.U16, Doc: "bytes the device needs before a packet's headers"},
	{Name: "IFLA_TAILROOM", Type: 69, Kind: engine.U16, Doc: "bytes the device needs after a packet's end"},
}}

// LinkClass is the layout of link messages: struct ifinfomsg followed by
// IFLA_* attributes.
var LinkClass = &engine.Class{
	Name:   "ifinfomsg",
	Struct: linkIfinfomsg,
	Attrs:  LinkAttrs,
	Doc:    "network interface (RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK)",
	Brief:  []string{"index", "IFLA_IFNAME", "IFLA_LINKINFO>IFLA_INFO_KIND", "IFLA_OPERSTATE", "IFLA_MTU", "IFLA_ADDRESS"},
}

// IFLA_LINKINFO: the link kind and its kind-specific data.
var linkInfoAttrs = &engine.AttrSet{Name: "linkinfo", Prefix: "IFLA_INFO_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_INFO_KIND", Type: 1, Kind: engine.Asciiz, Doc: "link type (\"veth\", \"bridge\", \"vxlan\", ...)"},
	linkDoc(sub("IFLA_INFO_DATA", 2, "IFLA_INFO_KIND", linkInfoDataFormats), "kind-specific attributes"),
	{Name: "IFLA_INFO_XSTATS", Type: 3, Kind: engine.Binary, Doc: "kind-specific statistics"},
	{Name: "IFLA_INFO_SLAVE_KIND", Type: 4, Kind: engine.Asciiz, Doc: "kind of the master this link is enslaved to"},
	linkDoc(sub("IFLA_INFO_SLAVE_DATA", 5, "IFLA_INFO_SLAVE_KIND", linkInfoSlaveDataFormats), "master-kind-specific attributes of this port"),
}}

// IFLA_AF_SPEC: one nest per address family, numbered by AF_*.
var linkAFSpecAttrs = &engine.AttrSet{Name: "af_spec", Prefix: "AF_", Attrs: []*engine.AttrDesc{
	nest("AF_INET", 2, linkInetAttrs),
	{Name: "AF_BRIDGE", Type: 7, Kind: engine.Nested, Set: linkBridgeAFAttrs, Doc: "IFLA_BRIDGE_*; AF_BRIDGE-family messages carry these directly in IFLA_AF_SPEC"},
	nest("AF_INET6", 10, linkInet6Attrs),
	nest("AF_MCTP", 45, linkMCTPAttrs),
}}

var linkInetAttrs = &engine.AttrSet{Name: "inet", Prefix: "IFLA_INET_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_INET_CONF", Type: 1, Kind: engine.Array, Elem: engine.U32, Doc: "IPv4 devconf values indexed by IPV4_DEVCONF_* - 1"},
}}

// linkInet6Flags names IFLA_INET6_FLAGS, the IPv6 state of a link. The
// kernel keeps these out of its uAPI headers (they are inet6_dev.if_flags,
// include/net/if_inet6.h), so TestUAPI cannot check them; the running
// kernel sends IF_READY and IF_RS_SENT on any link with IPv6, which
// TestKernelRoundTrip sees named.
var linkInet6Flags = &engine.Enum{Name: "inet6_if_flags", Flags: true, Values: []engine.EnumValue{
	ev("IF_RS_SENT", 0x10), ev("IF_RA_RCVD", 0x20), ev("IF_RA_MANAGED", 0x40),
	ev("IF_RA_OTHERCONF", 0x80), ev("IF_READY", 0x80000000),
}}

var linkInet6Attrs = &engine.AttrSet{Name: "inet6", Prefix: "IFLA_INET6_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_INET6_FLAGS", Type: 1, Kind: engine.U32, Enum: linkInet6Flags, Doc: "IPv6 link flags (IF_RA_*, IF_RS_SENT, IF_READY)"},
	{Name: "IFLA_INET6_CONF", Type: 2, Kind: engine.Array, Elem: engine.S32, Doc: "IPv6 devconf values indexed by DEVCONF_*"},
	{Name: "IFLA_INET6_STATS", Type: 3, Kind: engine.Array, Elem: engine.U64, Doc: "IPv6 statistics indexed by IPSTATS_MIB_*"},
	{Name: "IFLA_INET6_MCAST", Type: 4, Kind: engine.Binary, Doc: "unused by the kernel"},
	strct("IFLA_INET6_CACHEINFO", 5, linkCacheinfo),
	{Name: "IFLA_INET6_ICMP6STATS", Type: 6, Kind: engine.Array, Elem: engine.U64, Doc: "ICMPv6 statistics indexed by ICMP6_MIB_*"},
	{Name: "IFLA_INET6_TOKEN", Type: 7, Kind: engine.IPv6, Doc: "interface identifier token"},
	enumAttr("IFLA_INET6_ADDR_GEN_MODE", 8, engine.U8, linkAddrGenModes),
	{Name: "IFLA_INET6_RA_MTU", Type: 9, Kind: engine.U32, Doc: "MTU carried in router advertisements"},
}}

var linkMCTPAttrs = &engine.AttrSet{Name: "mctp", Prefix: "IFLA_MCTP_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_MCTP_NET", Type: 1, Kind: engine.U32, Doc: "MCTP network id"},
}}

// AF_BRIDGE in IFLA_AF_SPEC: IFLA_BRIDGE_* (numbered from 0).
var linkBridgeAFAttrs = &engine.AttrSet{Name: "bridge_af_spec", Prefix: "IFLA_BRIDGE_", Attrs: []*engine.AttrDesc{
	enumAttr("IFLA_BRIDGE_FLAGS", 0, engine.U16, linkBridgeFlags),
	enumAttr("IFLA_BRIDGE_MODE", 1, engine.U16, linkBridgeModes),
	strct("IFLA_BRIDGE_VLAN_INFO", 2, linkBridgeVlanInfo),
	nest("IFLA_BRIDGE_VLAN_TUNNEL_INFO", 3, linkBridgeVlanTunnelAttrs),
	{Name: "IFLA_BRIDGE_MRP", Type: 4, Kind: engine.Nested, Set: linkBridgeMRPAttrs, Doc: "media redundancy protocol"},
	{Name: "IFLA_BRIDGE_CFM", Type: 5, Kind: engine.Nested, Set: linkBridgeCFMAttrs, Doc: "connectivity fault management"},
	{Name: "IFLA_BRIDGE_MST", Type: 6, Kind: engine.Nested, Set: linkBridgeMSTAttrs, Doc: "multiple spanning tree port states"},
}}

var linkBridgeVlanTunnelAttrs = &engine.AttrSet{Name: "bridge_vlan_tunnel", Prefix: "IFLA_BRIDGE_VLAN_TUNNEL_", Attrs: []*engine.AttrDesc{
	attr("IFLA_BRIDGE_VLAN_TUNNEL_ID", 1, engine.U32),
	attr("IFLA_BRIDGE_VLAN_TUNNEL_VID", 2, engine.U16),
	enumAttr("IFLA_BRIDGE_VLAN_TUNNEL_FLAGS", 3, engine.U16, linkBridgeVlanFlags),
}}

// The bridge parses each MST entry strictly; iproute2 (bridge mst set)
// flags it.
var linkBridgeMSTAttrs = &engine.AttrSet{Name: "bridge_mst", Prefix: "IFLA_BRIDGE_MST_", Attrs: []*engine.AttrDesc{
	nestFlagged(nest("IFLA_BRIDGE_MST_ENTRY", 1, &engine.AttrSet{Name: "bridge_mst_entry", Prefix: "IFLA_BRIDGE_MST_ENTRY_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MST_ENTRY_MSTI", 1, engine.U16),
		enumAttr("IFLA_BRIDGE_MST_ENTRY_STATE", 2, engine.U8, linkBrPortStates),
	}})),
}}

var linkBridgeMRPAttrs = &engine.AttrSet{Name: "bridge_mrp", Prefix: "IFLA_BRIDGE_MRP_", Attrs: []*engine.AttrDesc{
	nest("IFLA_BRIDGE_MRP_INSTANCE", 1, &engine.AttrSet{Name: "bridge_mrp_instance", Prefix: "IFLA_BRIDGE_MRP_INSTANCE_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MRP_INSTANCE_RING_ID", 1, engine.U32),
		attr("IFLA_BRIDGE_MRP_INSTANCE_P_IFINDEX", 2, engine.U32),
		attr("IFLA_BRIDGE_MRP_INSTANCE_S_IFINDEX", 3, engine.U32),
		attr("IFLA_BRIDGE_MRP_INSTANCE_PRIO", 4, engine.U16),
	}}),
	nest("IFLA_BRIDGE_MRP_PORT_STATE", 2, &engine.AttrSet{Name: "bridge_mrp_port_state", Prefix: "IFLA_BRIDGE_MRP_PORT_STATE_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MRP_PORT_STATE_STATE", 1, engine.U32),
	}}),
	nest("IFLA_BRIDGE_MRP_PORT_ROLE", 3, &engine.AttrSet{Name: "bridge_mrp_port_role", Prefix: "IFLA_BRIDGE_MRP_PORT_ROLE_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MRP_PORT_ROLE_ROLE", 1, engine.U32),
	}}),
	nest("IFLA_BRIDGE_MRP_RING_STATE", 4, &engine.AttrSet{Name: "bridge_mrp_ring_state", Prefix: "IFLA_BRIDGE_MRP_RING_STATE_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MRP_RING_STATE_RING_ID", 1, engine.U32),
		attr("IFLA_BRIDGE_MRP_RING_STATE_STATE", 2, engine.U32),
	}}),
	nest("IFLA_BRIDGE_MRP_RING_ROLE", 5, &engine.AttrSet{Name: "bridge_mrp_ring_role", Prefix: "IFLA_BRIDGE_MRP_RING_ROLE_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MRP_RING_ROLE_RING_ID", 1, engine.U32),
		attr("IFLA_BRIDGE_MRP_RING_ROLE_ROLE", 2, engine.U32),
	}}),
	nest("IFLA_BRIDGE_MRP_START_TEST", 6, &engine.AttrSet{Name: "bridge_mrp_start_test", Prefix: "IFLA_BRIDGE_MRP_START_TEST_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MRP_START_TEST_RING_ID", 1, engine.U32),
		attr("IFLA_BRIDGE_MRP_START_TEST_INTERVAL", 2, engine.U32),
		attr("IFLA_BRIDGE_MRP_START_TEST_MAX_MISS", 3, engine.U32),
		attr("IFLA_BRIDGE_MRP_START_TEST_PERIOD", 4, engine.U32),
		attr("IFLA_BRIDGE_MRP_START_TEST_MONITOR", 5, engine.U32),
	}}),
	nest("IFLA_BRIDGE_MRP_INFO", 7, &engine.AttrSet{Name: "bridge_mrp_info", Prefix: "IFLA_BRIDGE_MRP_INFO_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MRP_INFO_RING_ID", 1, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_P_IFINDEX", 2, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_S_IFINDEX", 3, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_PRIO", 4, engine.U16),
		attr("IFLA_BRIDGE_MRP_INFO_RING_STATE", 5, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_RING_ROLE", 6, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_TEST_INTERVAL", 7, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_TEST_MAX_MISS", 8, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_TEST_MONITOR", 9, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_I_IFINDEX", 10, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_IN_STATE", 11, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_IN_ROLE", 12, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_IN_TEST_INTERVAL", 13, engine.U32),
		attr("IFLA_BRIDGE_MRP_INFO_IN_TEST_MAX_MISS", 14, engine.U32),
	}}),
	nest("IFLA_BRIDGE_MRP_IN_ROLE", 8, &engine.AttrSet{Name: "bridge_mrp_in_role", Prefix: "IFLA_BRIDGE_MRP_IN_ROLE_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MRP_IN_ROLE_RING_ID", 1, engine.U32),
		attr("IFLA_BRIDGE_MRP_IN_ROLE_IN_ID", 2, engine.U16),
		attr("IFLA_BRIDGE_MRP_IN_ROLE_ROLE", 3, engine.U32),
		attr("IFLA_BRIDGE_MRP_IN_ROLE_I_IFINDEX", 4, engine.U32),
	}}),
	nest("IFLA_BRIDGE_MRP_IN_STATE", 9, &engine.AttrSet{Name: "bridge_mrp_in_state", Prefix: "IFLA_BRIDGE_MRP_IN_STATE_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MRP_IN_STATE_IN_ID", 1, engine.U32),
		attr("IFLA_BRIDGE_MRP_IN_STATE_STATE", 2, engine.U32),
	}}),
	nest("IFLA_BRIDGE_MRP_START_IN_TEST", 10, &engine.AttrSet{Name: "bridge_mrp_start_in_test", Prefix: "IFLA_BRIDGE_MRP_START_IN_TEST_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_MRP_START_IN_TEST_IN_ID", 1, engine.U32),
		attr("IFLA_BRIDGE_MRP_START_IN_TEST_INTERVAL", 2, engine.U32),
		attr("IFLA_BRIDGE_MRP_START_IN_TEST_MAX_MISS", 3, engine.U32),
		attr("IFLA_BRIDGE_MRP_START_IN_TEST_PERIOD", 4, engine.U32),
	}}),
}}

// CFM: the *_INFO attributes of a dump reuse the sets of the matching requests.
var (
	linkCFMMepCreateAttrs = &engine.AttrSet{Name: "bridge_cfm_mep_create", Prefix: "IFLA_BRIDGE_CFM_MEP_CREATE_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_CFM_MEP_CREATE_INSTANCE", 1, engine.U32),
		attr("IFLA_BRIDGE_CFM_MEP_CREATE_DOMAIN", 2, engine.U32),
		attr("IFLA_BRIDGE_CFM_MEP_CREATE_DIRECTION", 3, engine.U32),
		attr("IFLA_BRIDGE_CFM_MEP_CREATE_IFINDEX", 4, engine.U32),
	}}
	linkCFMMepDeleteAttrs = &engine.AttrSet{Name: "bridge_cfm_mep_delete", Prefix: "IFLA_BRIDGE_CFM_MEP_DELETE_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_CFM_MEP_DELETE_INSTANCE", 1, engine.U32),
	}}
	linkCFMMepConfigAttrs = &engine.AttrSet{Name: "bridge_cfm_mep_config", Prefix: "IFLA_BRIDGE_CFM_MEP_CONFIG_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_CFM_MEP_CONFIG_INSTANCE", 1, engine.U32),
		attr("IFLA_BRIDGE_CFM_MEP_CONFIG_UNICAST_MAC", 2, engine.LLAddr),
		attr("IFLA_BRIDGE_CFM_MEP_CONFIG_MDLEVEL", 3, engine.U32),
		attr("IFLA_BRIDGE_CFM_MEP_CONFIG_MEPID", 4, engine.U32),
	}}
	linkCFMCcConfigAttrs = &engine.AttrSet{Name: "bridge_cfm_cc_config", Prefix: "IFLA_BRIDGE_CFM_CC_CONFIG_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_CFM_CC_CONFIG_INSTANCE", 1, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_CONFIG_ENABLE", 2, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_CONFIG_EXP_INTERVAL", 3, engine.U32),
		{Name: "IFLA_BRIDGE_CFM_CC_CONFIG_EXP_MAID", Type: 4, Kind: engine.Binary, Doc: "expected maintenance association id (CFM_MAID_LENGTH bytes)"},
	}}
	linkCFMCcPeerMepAttrs = &engine.AttrSet{Name: "bridge_cfm_cc_peer_mep", Prefix: "IFLA_BRIDGE_CFM_CC_PEER_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_CFM_CC_PEER_MEP_INSTANCE", 1, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_PEER_MEPID", 2, engine.U32),
	}}
	linkCFMCcRdiAttrs = &engine.AttrSet{Name: "bridge_cfm_cc_rdi", Prefix: "IFLA_BRIDGE_CFM_CC_RDI_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_CFM_CC_RDI_INSTANCE", 1, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_RDI_RDI", 2, engine.U32),
	}}
	linkCFMCcCcmTxAttrs = &engine.AttrSet{Name: "bridge_cfm_cc_ccm_tx", Prefix: "IFLA_BRIDGE_CFM_CC_CCM_TX_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_CFM_CC_CCM_TX_INSTANCE", 1, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_CCM_TX_DMAC", 2, engine.LLAddr),
		attr("IFLA_BRIDGE_CFM_CC_CCM_TX_SEQ_NO_UPDATE", 3, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_CCM_TX_PERIOD", 4, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_CCM_TX_IF_TLV", 5, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_CCM_TX_IF_TLV_VALUE", 6, engine.U8),
		attr("IFLA_BRIDGE_CFM_CC_CCM_TX_PORT_TLV", 7, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_CCM_TX_PORT_TLV_VALUE", 8, engine.U8),
	}}
	linkCFMMepStatusAttrs = &engine.AttrSet{Name: "bridge_cfm_mep_status", Prefix: "IFLA_BRIDGE_CFM_MEP_STATUS_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_CFM_MEP_STATUS_INSTANCE", 1, engine.U32),
		attr("IFLA_BRIDGE_CFM_MEP_STATUS_OPCODE_UNEXP_SEEN", 2, engine.U32),
		attr("IFLA_BRIDGE_CFM_MEP_STATUS_VERSION_UNEXP_SEEN", 3, engine.U32),
		attr("IFLA_BRIDGE_CFM_MEP_STATUS_RX_LEVEL_LOW_SEEN", 4, engine.U32),
	}}
	linkCFMCcPeerStatusAttrs = &engine.AttrSet{Name: "bridge_cfm_cc_peer_status", Prefix: "IFLA_BRIDGE_CFM_CC_PEER_STATUS_", Attrs: []*engine.AttrDesc{
		attr("IFLA_BRIDGE_CFM_CC_PEER_STATUS_INSTANCE", 1, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_PEER_STATUS_PEER_MEPID", 2, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_PEER_STATUS_CCM_DEFECT", 3, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_PEER_STATUS_RDI", 4, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_PEER_STATUS_PORT_TLV_VALUE", 5, engine.U8),
		attr("IFLA_BRIDGE_CFM_CC_PEER_STATUS_IF_TLV_VALUE", 6, engine.U8),
		attr("IFLA_BRIDGE_CFM_CC_PEER_STATUS_SEEN", 7, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_PEER_STATUS_TLV_SEEN", 8, engine.U32),
		attr("IFLA_BRIDGE_CFM_CC_PEER_STATUS_SEQ_UNEXP_SEEN", 9, engine.U32),
	}}

	linkBridgeCFMAttrs = &engine.AttrSet{Name: "bridge_cfm", Prefix: "IFLA_BRIDGE_CFM_", Attrs: []*engine.AttrDesc{
		nest("IFLA_BRIDGE_CFM_MEP_CREATE", 1, linkCFMMepCreateAttrs),
		nest("IFLA_BRIDGE_CFM_MEP_DELETE", 2, linkCFMMepDeleteAttrs),
		nest("IFLA_BRIDGE_CFM_MEP_CONFIG", 3, linkCFMMepConfigAttrs),
		nest("IFLA_BRIDGE_CFM_CC_CONFIG", 4, linkCFMCcConfigAttrs),
		nest("IFLA_BRIDGE_CFM_CC_PEER_MEP_ADD", 5, linkCFMCcPeerMepAttrs),
		nest("IFLA_BRIDGE_CFM_CC_PEER_MEP_REMOVE", 6, linkCFMCcPeerMepAttrs),
		nest("IFLA_BRIDGE_CFM_CC_RDI", 7, linkCFMCcRdiAttrs),
		nest("IFLA_BRIDGE_CFM_CC_CCM_TX", 8, linkCFMCcCcmTxAttrs),
		nest("IFLA_BRIDGE_CFM_MEP_CREATE_INFO", 9, linkCFMMepCreateAttrs),
		nest("IFLA_BRIDGE_CFM_MEP_CONFIG_INFO", 10, linkCFMMepConfigAttrs),
		nest("IFLA_BRIDGE_CFM_CC_CONFIG_INFO", 11, linkCFMCcConfigAttrs),
		nest("IFLA_BRIDGE_CFM_CC_RDI_INFO", 12, linkCFMCcRdiAttrs),
		nest("IFLA_BRIDGE_CFM_CC_CCM_TX_INFO", 13, linkCFMCcCcmTxAttrs),
		nest("IFLA_BRIDGE_CFM_CC_PEER_MEP_INFO", 14, linkCFMCcPeerMepAttrs),
		nest("IFLA_BRIDGE_CFM_MEP_STATUS_INFO", 15, linkCFMMepStatusAttrs),
		nest("IFLA_BRIDGE_CFM_CC_PEER_STATUS_INFO", 16, linkCFMCcPeerStatusAttrs),
	}}
)

// IFLA_XDP: the attached XDP program.
var linkXDPAttrs = &engine.AttrSet{Name: "xdp", Prefix: "IFLA_XDP_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_XDP_FD", Type: 1, Kind: engine.S32, Doc: "program file descriptor to attach (-1 detaches)"},
	enumAttr("IFLA_XDP_ATTACHED", 2, engine.U8, linkXDPAttached),
	enumAttr("IFLA_XDP_FLAGS", 3, engine.U32, linkXDPFlags),
	attr("IFLA_XDP_PROG_ID", 4, engine.U32),
	attr("IFLA_XDP_DRV_PROG_ID", 5, engine.U32),
	attr("IFLA_XDP_SKB_PROG_ID", 6, engine.U32),
	attr("IFLA_XDP_HW_PROG_ID", 7, engine.U32),
	{Name: "IFLA_XDP_EXPECTED_FD", Type: 8, Kind: engine.S32, Doc: "replace only if this program is attached (XDP_FLAGS_REPLACE)"},
}}

// IFLA_PROP_LIST shares the IFLA_* number space.
var linkPropListAttrs = &engine.AttrSet{Name: "prop_list", Prefix: "IFLA_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_ALT_IFNAME", Type: 53, Kind: engine.Asciiz, Doc: "alternative interface name"},
}}

var linkProtoDownReasonAttrs = &engine.AttrSet{Name: "proto_down_reason", Prefix: "IFLA_PROTO_DOWN_REASON_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_PROTO_DOWN_REASON_MASK", Type: 1, Kind: engine.U32, Doc: "reason bits to change"},
	{Name: "IFLA_PROTO_DOWN_REASON_VALUE", Type: 2, Kind: engine.U32, Doc: "reason bits"},
}}

// IFLA_DEVLINK_PORT holds the handle of a devlink port (linux/devlink.h).
var linkDevlinkPortAttrs = &engine.AttrSet{Name: "devlink_port", Prefix: "DEVLINK_ATTR_", Attrs: []*engine.AttrDesc{
	attr("DEVLINK_ATTR_BUS_NAME", 1, engine.Asciiz),
	attr("DEVLINK_ATTR_DEV_NAME", 2, engine.Asciiz),
	attr("DEVLINK_ATTR_PORT_INDEX", 3, engine.U32),
}}

// IFLA_DPLL_PIN holds the id of a DPLL pin (linux/dpll.h).
var linkDPLLPinAttrs = &engine.AttrSet{Name: "dpll_pin", Prefix: "DPLL_A_PIN_", Attrs: []*engine.AttrDesc{
	attr("DPLL_A_PIN_ID", 1, engine.U32),
}}

// SR-IOV virtual functions: IFLA_VFINFO_LIST holds one IFLA_VF_INFO nest per VF.
var linkVFInfoListAttrs = &engine.AttrSet{Name: "vfinfo_list", Prefix: "IFLA_VF_", Attrs: []*engine.AttrDesc{
	nest("IFLA_VF_INFO", 1, linkVFAttrs),
}}

var linkVFAttrs = &engine.AttrSet{Name: "vf", Prefix: "IFLA_VF_", Attrs: []*engine.AttrDesc{
	strct("IFLA_VF_MAC", 1, linkVFMac),
	strct("IFLA_VF_VLAN", 2, linkVFVlan),
	{Name: "IFLA_VF_TX_RATE", Type: 3, Kind: engine.Struct, Struct: linkVFTxRate, Doc: "maximum transmit rate in Mbit/s"},
	strct("IFLA_VF_SPOOFCHK", 4, linkVFSpoofchk),
	strct("IFLA_VF_LINK_STATE", 5, linkVFLinkState),
	{Name: "IFLA_VF_RATE", Type: 6, Kind: engine.Struct, Struct: linkVFRate, Doc: "minimum and maximum transmit rate in Mbit/s"},
	strct("IFLA_VF_RSS_QUERY_EN", 7, linkVFRssQueryEn),
	nest("IFLA_VF_STATS", 8, linkVFStatsAttrs),
	strct("IFLA_VF_TRUST", 9, linkVFTrust),
	strct("IFLA_VF_IB_NODE_GUID", 10, linkVFGuid),
	strct("IFLA_VF_IB_PORT_GUID", 11, linkVFGuid),
	nest("IFLA_VF_VLAN_LIST", 12, linkVFVlanListAttrs),
	strct("IFLA_VF_BROADCAST", 13, linkVFBroadcast),
}}

var linkVFVlanListAttrs = &engine.AttrSet{Name: "vf_vlan_list", Prefix: "IFLA_VF_VLAN_", Attrs: []*engine.AttrDesc{
	strct("IFLA_VF_VLAN_INFO", 1, linkVFVlanInfo),
}}

var linkVFStatsAttrs = &engine.AttrSet{Name: "vf_stats", Prefix: "IFLA_VF_STATS_", Attrs: []*engine.AttrDesc{
	attr("IFLA_VF_STATS_RX_PACKETS", 0, engine.U64),
	attr("IFLA_VF_STATS_TX_PACKETS", 1, engine.U64),
	attr("IFLA_VF_STATS_RX_BYTES", 2, engine.U64),
	attr("IFLA_VF_STATS_TX_BYTES", 3, engine.U64),
	attr("IFLA_VF_STATS_BROADCAST", 4, engine.U64),
	attr("IFLA_VF_STATS_MULTICAST", 5, engine.U64),
	attr("IFLA_VF_STATS_PAD", 6, engine.Binary),
	attr("IFLA_VF_STATS_RX_DROPPED", 7, engine.U64),
	attr("IFLA_VF_STATS_TX_DROPPED", 8, engine.U64),
}}

// VF port profiles (802.1Qbg/802.1Qbh): IFLA_VF_PORTS holds one IFLA_VF_PORT
// nest per VF; IFLA_PORT_SELF is the same set for the device itself.
var linkVFPortsAttrs = &engine.AttrSet{Name: "vf_ports", Prefix: "IFLA_VF_", Attrs: []*engine.AttrDesc{
	nest("IFLA_VF_PORT", 1, linkPortAttrs),
}}

var linkPortAttrs = &engine.AttrSet{Name: "port", Prefix: "IFLA_PORT_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_PORT_VF", Type: 1, Kind: engine.U32, Doc: "VF number (PORT_SELF_VF is -1)"},
	attr("IFLA_PORT_PROFILE", 2, engine.Asciiz),
	strct("IFLA_PORT_VSI_TYPE", 3, linkPortVSI),
	{Name: "IFLA_PORT_INSTANCE_UUID", Type: 4, Kind: engine.Binary, Doc: "16-byte UUID"},
	{Name: "IFLA_PORT_HOST_UUID", Type: 5, Kind: engine.Binary, Doc: "16-byte UUID"},
	enumAttr("IFLA_PORT_REQUEST", 6, engine.U8, linkPortRequests),
	enumAttr("IFLA_PORT_RESPONSE", 7, engine.U16, linkPortResponses),
}}

// LinkEnums lists the enums and flag sets of link messages, for scripts.
var LinkEnums = []*engine.Enum{
	linkIFFlags, linkARPHRD, linkOperStates, linkModes, linkEvents, linkExtFilter,
	linkAddrGenModes, linkXDPAttached, linkXDPFlags, linkVFLinkStates, linkPortRequests, linkPortResponses,
	linkBridgeFlags, linkBridgeModes, linkBoolopts, linkBridgeVlanFlags, linkBrPortStates, linkMdbRtrTypes,
	linkMacvlanModes, linkMacvlanMacaddrModes, linkMacvlanFlags, linkVxlanDF, linkVxlanLabelPolicies, linkGeneveDF,
	linkTunTypes, linkIpvlanModes, linkIpvlanFlags, linkMacsecValidation, linkMacsecOffload,
	linkHSRProtocols, linkGTPRoles, linkIPoIBModes, linkRmnetFlags, linkInet6Flags,
}
