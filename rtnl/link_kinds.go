package rtnl

import "nlsh/engine"

// Kind-specific link attributes: the IFLA_INFO_DATA sets chosen by
// IFLA_INFO_KIND and the IFLA_INFO_SLAVE_DATA sets chosen by
// IFLA_INFO_SLAVE_KIND (linux/if_link.h, linux/if_bridge.h, linux/veth.h,
// linux/if_tun.h).

// linkInfoDataFormats maps IFLA_INFO_KIND to the layout of IFLA_INFO_DATA.
var linkInfoDataFormats = map[string]*engine.AttrDesc{
	"bareudp": nest("IFLA_INFO_DATA", 2, linkBareudpAttrs),
	"bond":    nest("IFLA_INFO_DATA", 2, linkBondAttrs),
	"bridge":  nest("IFLA_INFO_DATA", 2, linkBridgeAttrs),
	"dsa":     nest("IFLA_INFO_DATA", 2, linkDSAAttrs),
	"geneve":  nest("IFLA_INFO_DATA", 2, linkGeneveAttrs),
	"gtp":     nest("IFLA_INFO_DATA", 2, linkGTPAttrs),
	"hsr":     nest("IFLA_INFO_DATA", 2, linkHSRAttrs),
	"ipoib":   nest("IFLA_INFO_DATA", 2, linkIPoIBAttrs),
	"ipvlan":  nest("IFLA_INFO_DATA", 2, linkIpvlanAttrs),
	"ipvtap":  nest("IFLA_INFO_DATA", 2, linkIpvlanAttrs),
	"macsec":  nest("IFLA_INFO_DATA", 2, linkMacsecAttrs),
	"macvlan": nest("IFLA_INFO_DATA", 2, linkMacvlanAttrs),
	"macvtap": nest("IFLA_INFO_DATA", 2, linkMacvlanAttrs),
	"ppp":     nest("IFLA_INFO_DATA", 2, linkPPPAttrs),
	"rmnet":   nest("IFLA_INFO_DATA", 2, linkRmnetAttrs),
	"tun":     nest("IFLA_INFO_DATA", 2, linkTunAttrs),
	"veth":    nest("IFLA_INFO_DATA", 2, linkVethAttrs),
	"vlan":    nest("IFLA_INFO_DATA", 2, linkVlanAttrs),
	"vrf":     nest("IFLA_INFO_DATA", 2, linkVRFAttrs),
	"vxlan":   nest("IFLA_INFO_DATA", 2, linkVxlanAttrs),
	"xfrm":    nest("IFLA_INFO_DATA", 2, linkXfrmAttrs),
}

// linkInfoSlaveDataFormats maps IFLA_INFO_SLAVE_KIND (the master's kind) to
// the layout of IFLA_INFO_SLAVE_DATA.
var linkInfoSlaveDataFormats = map[string]*engine.AttrDesc{
	"bond":   nest("IFLA_INFO_SLAVE_DATA", 5, linkBondSlaveAttrs),
	"bridge": nest("IFLA_INFO_SLAVE_DATA", 5, linkBrportAttrs),
	"vrf":    nest("IFLA_INFO_SLAVE_DATA", 5, linkVRFPortAttrs),
}

// veth: the peer is a whole link description (ifinfomsg + IFLA_*); it refers
// back to LinkClass, so it is added in init.
var linkVethAttrs = &engine.AttrSet{Name: "veth", Prefix: "VETH_INFO_"}

func init() {
	linkVethAttrs.Add(&engine.AttrDesc{Name: "VETH_INFO_PEER", Type: 1, Kind: engine.Embedded, Record: LinkClass, Doc: "the peer link: ifinfomsg followed by IFLA_* attributes"})
}

// Bridge and bridge port enums.
var (
	linkBrPortStates = engine.NewEnum("br_port_state", engine.Seq(0,
		"BR_STATE_DISABLED", "BR_STATE_LISTENING", "BR_STATE_LEARNING", "BR_STATE_FORWARDING", "BR_STATE_BLOCKING")...)

	linkMdbRtrTypes = engine.NewEnum("mdb_rtr_type", engine.Seq(0,
		"MDB_RTR_TYPE_DISABLED", "MDB_RTR_TYPE_TEMP_QUERY", "MDB_RTR_TYPE_PERM", "MDB_RTR_TYPE_TEMP")...)

	linkBridgeFlags = &engine.Enum{Name: "bridge_flags", Flags: true, Values: []engine.EnumValue{
		ev("BRIDGE_FLAGS_MASTER", 1), ev("BRIDGE_FLAGS_SELF", 2)}}

	linkBoolopts = engine.NewEnum("br_boolopt_id", engine.Seq(0,
		"BR_BOOLOPT_NO_LL_LEARN", "BR_BOOLOPT_MCAST_VLAN_SNOOPING", "BR_BOOLOPT_MST_ENABLE")...)

	linkBridgeModes = &engine.Enum{Name: "bridge_mode", Values: []engine.EnumValue{
		ev("BRIDGE_MODE_VEB", 0), ev("BRIDGE_MODE_VEPA", 1), ev("BRIDGE_MODE_UNDEF", 0xFFFF)}}

	linkBridgeVlanFlags = &engine.Enum{Name: "bridge_vlan_info_flags", Flags: true, Values: []engine.EnumValue{
		ev("BRIDGE_VLAN_INFO_MASTER", 1<<0), ev("BRIDGE_VLAN_INFO_PVID", 1<<1), ev("BRIDGE_VLAN_INFO_UNTAGGED", 1<<2),
		ev("BRIDGE_VLAN_INFO_RANGE_BEGIN", 1<<3), ev("BRIDGE_VLAN_INFO_RANGE_END", 1<<4),
		ev("BRIDGE_VLAN_INFO_BRENTRY", 1<<5), ev("BRIDGE_VLAN_INFO_ONLY_OPTS", 1<<6)}}
)

// Bridge structs.
var (
	linkBridgeID = engine.NewStruct("ifla_bridge_id",
		engine.Field{Name: "prio", Kind: engine.BE16, Size: 2, Doc: "bridge priority (u8[2], most significant byte first)"},
		fsize("addr", engine.LLAddr, 6),
	)

	linkBoolopt = engine.NewStruct("br_boolopt_multi",
		engine.Field{Name: "optval", Kind: engine.U32, Doc: "option values, bit 1<<BR_BOOLOPT_*"},
		engine.Field{Name: "optmask", Kind: engine.U32, Doc: "options to change, bit 1<<BR_BOOLOPT_*"},
	)

	linkBridgeVlanInfo = engine.NewStruct("bridge_vlan_info",
		fe("flags", engine.U16, linkBridgeVlanFlags),
		f("vid", engine.U16),
	)
)

// bridge: IFLA_BR_*. Times are in hundredths of a second.
var linkBridgeAttrs = &engine.AttrSet{Name: "bridge", Prefix: "IFLA_BR_", Attrs: []*engine.AttrDesc{
	attr("IFLA_BR_FORWARD_DELAY", 1, engine.U32),
	attr("IFLA_BR_HELLO_TIME", 2, engine.U32),
	attr("IFLA_BR_MAX_AGE", 3, engine.U32),
	attr("IFLA_BR_AGEING_TIME", 4, engine.U32),
	{Name: "IFLA_BR_STP_STATE", Type: 5, Kind: engine.U32, Doc: "0 no STP, 1 kernel STP, 2 user-space STP"},
	attr("IFLA_BR_PRIORITY", 6, engine.U16),
	attr("IFLA_BR_VLAN_FILTERING", 7, engine.U8),
	{Name: "IFLA_BR_VLAN_PROTOCOL", Type: 8, Kind: engine.BE16, Doc: "VLAN ethertype (0x8100 or 0x88a8)"},
	attr("IFLA_BR_GROUP_FWD_MASK", 9, engine.U16),
	strct("IFLA_BR_ROOT_ID", 10, linkBridgeID),
	strct("IFLA_BR_BRIDGE_ID", 11, linkBridgeID),
	attr("IFLA_BR_ROOT_PORT", 12, engine.U16),
	attr("IFLA_BR_ROOT_PATH_COST", 13, engine.U32),
	attr("IFLA_BR_TOPOLOGY_CHANGE", 14, engine.U8),
	attr("IFLA_BR_TOPOLOGY_CHANGE_DETECTED", 15, engine.U8),
	attr("IFLA_BR_HELLO_TIMER", 16, engine.U64),
	attr("IFLA_BR_TCN_TIMER", 17, engine.U64),
	attr("IFLA_BR_TOPOLOGY_CHANGE_TIMER", 18, engine.U64),
	attr("IFLA_BR_GC_TIMER", 19, engine.U64),
	attr("IFLA_BR_GROUP_ADDR", 20, engine.LLAddr),
	{Name: "IFLA_BR_FDB_FLUSH", Type: 21, Kind: engine.Flag, Doc: "flush the forwarding database"},
	enumAttr("IFLA_BR_MCAST_ROUTER", 22, engine.U8, linkMdbRtrTypes),
	attr("IFLA_BR_MCAST_SNOOPING", 23, engine.U8),
	attr("IFLA_BR_MCAST_QUERY_USE_IFADDR", 24, engine.U8),
	attr("IFLA_BR_MCAST_QUERIER", 25, engine.U8),
	attr("IFLA_BR_MCAST_HASH_ELASTICITY", 26, engine.U32),
	attr("IFLA_BR_MCAST_HASH_MAX", 27, engine.U32),
	attr("IFLA_BR_MCAST_LAST_MEMBER_CNT", 28, engine.U32),
	attr("IFLA_BR_MCAST_STARTUP_QUERY_CNT", 29, engine.U32),
	attr("IFLA_BR_MCAST_LAST_MEMBER_INTVL", 30, engine.U64),
	attr("IFLA_BR_MCAST_MEMBERSHIP_INTVL", 31, engine.U64),
	attr("IFLA_BR_MCAST_QUERIER_INTVL", 32, engine.U64),
	attr("IFLA_BR_MCAST_QUERY_INTVL", 33, engine.U64),
	attr("IFLA_BR_MCAST_QUERY_RESPONSE_INTVL", 34, engine.U64),
	attr("IFLA_BR_MCAST_STARTUP_QUERY_INTVL", 35, engine.U64),
	attr("IFLA_BR_NF_CALL_IPTABLES", 36, engine.U8),
	attr("IFLA_BR_NF_CALL_IP6TABLES", 37, engine.U8),
	attr("IFLA_BR_NF_CALL_ARPTABLES", 38, engine.U8),
	attr("IFLA_BR_VLAN_DEFAULT_PVID", 39, engine.U16),
	attr("IFLA_BR_PAD", 40, engine.Binary),
	attr("IFLA_BR_VLAN_STATS_ENABLED", 41, engine.U8),
	attr("IFLA_BR_MCAST_STATS_ENABLED", 42, engine.U8),
	attr("IFLA_BR_MCAST_IGMP_VERSION", 43, engine.U8),
	attr("IFLA_BR_MCAST_MLD_VERSION", 44, engine.U8),
	attr("IFLA_BR_VLAN_STATS_PER_PORT", 45, engine.U8),
	{Name: "IFLA_BR_MULTI_BOOLOPT", Type: 46, Kind: engine.Struct, Struct: linkBoolopt, Doc: "boolean options (BR_BOOLOPT_*)"},
	nest("IFLA_BR_MCAST_QUERIER_STATE", 47, linkBridgeQuerierAttrs),
	// 48 and 49 are newer than the 6.1 headers: linux 6.18's if_link.h
	// and the rt-link spec.
	{Name: "IFLA_BR_FDB_N_LEARNED", Type: 48, Kind: engine.U32, Doc: "number of learned FDB entries"},
	{Name: "IFLA_BR_FDB_MAX_LEARNED", Type: 49, Kind: engine.U32, Doc: "most learned FDB entries allowed (0: no limit)"},
}}

var linkBridgeQuerierAttrs = &engine.AttrSet{Name: "bridge_querier", Prefix: "BRIDGE_QUERIER_", Attrs: []*engine.AttrDesc{
	attr("BRIDGE_QUERIER_IP_ADDRESS", 1, engine.IPv4),
	{Name: "BRIDGE_QUERIER_IP_PORT", Type: 2, Kind: engine.U32, Doc: "ifindex of the port the querier is behind"},
	attr("BRIDGE_QUERIER_IP_OTHER_TIMER", 3, engine.U64),
	attr("BRIDGE_QUERIER_PAD", 4, engine.Binary),
	attr("BRIDGE_QUERIER_IPV6_ADDRESS", 5, engine.IPv6),
	{Name: "BRIDGE_QUERIER_IPV6_PORT", Type: 6, Kind: engine.U32, Doc: "ifindex of the port the querier is behind"},
	attr("BRIDGE_QUERIER_IPV6_OTHER_TIMER", 7, engine.U64),
}}

// Bridge ports: IFLA_BRPORT_*, in IFLA_INFO_SLAVE_DATA of a bridge port.
var linkBrportAttrs = &engine.AttrSet{Name: "brport", Prefix: "IFLA_BRPORT_", Attrs: []*engine.AttrDesc{
	enumAttr("IFLA_BRPORT_STATE", 1, engine.U8, linkBrPortStates),
	attr("IFLA_BRPORT_PRIORITY", 2, engine.U16),
	attr("IFLA_BRPORT_COST", 3, engine.U32),
	{Name: "IFLA_BRPORT_MODE", Type: 4, Kind: engine.U8, Doc: "hairpin mode"},
	{Name: "IFLA_BRPORT_GUARD", Type: 5, Kind: engine.U8, Doc: "BPDU guard"},
	{Name: "IFLA_BRPORT_PROTECT", Type: 6, Kind: engine.U8, Doc: "root port protection"},
	{Name: "IFLA_BRPORT_FAST_LEAVE", Type: 7, Kind: engine.U8, Doc: "multicast fast leave"},
	attr("IFLA_BRPORT_LEARNING", 8, engine.U8),
	attr("IFLA_BRPORT_UNICAST_FLOOD", 9, engine.U8),
	attr("IFLA_BRPORT_PROXYARP", 10, engine.U8),
	{Name: "IFLA_BRPORT_LEARNING_SYNC", Type: 11, Kind: engine.U8, Doc: "sync learned addresses from the device"},
	attr("IFLA_BRPORT_PROXYARP_WIFI", 12, engine.U8),
	{Name: "IFLA_BRPORT_ROOT_ID", Type: 13, Kind: engine.Struct, Struct: linkBridgeID, Doc: "designated root"},
	{Name: "IFLA_BRPORT_BRIDGE_ID", Type: 14, Kind: engine.Struct, Struct: linkBridgeID, Doc: "designated bridge"},
	attr("IFLA_BRPORT_DESIGNATED_PORT", 15, engine.U16),
	attr("IFLA_BRPORT_DESIGNATED_COST", 16, engine.U16),
	attr("IFLA_BRPORT_ID", 17, engine.U16),
	attr("IFLA_BRPORT_NO", 18, engine.U16),
	attr("IFLA_BRPORT_TOPOLOGY_CHANGE_ACK", 19, engine.U8),
	attr("IFLA_BRPORT_CONFIG_PENDING", 20, engine.U8),
	attr("IFLA_BRPORT_MESSAGE_AGE_TIMER", 21, engine.U64),
	attr("IFLA_BRPORT_FORWARD_DELAY_TIMER", 22, engine.U64),
	attr("IFLA_BRPORT_HOLD_TIMER", 23, engine.U64),
	{Name: "IFLA_BRPORT_FLUSH", Type: 24, Kind: engine.Flag, Doc: "flush the port's forwarding database entries"},
	enumAttr("IFLA_BRPORT_MULTICAST_ROUTER", 25, engine.U8, linkMdbRtrTypes),
	attr("IFLA_BRPORT_PAD", 26, engine.Binary),
	attr("IFLA_BRPORT_MCAST_FLOOD", 27, engine.U8),
	attr("IFLA_BRPORT_MCAST_TO_UCAST", 28, engine.U8),
	attr("IFLA_BRPORT_VLAN_TUNNEL", 29, engine.U8),
	attr("IFLA_BRPORT_BCAST_FLOOD", 30, engine.U8),
	attr("IFLA_BRPORT_GROUP_FWD_MASK", 31, engine.U16),
	attr("IFLA_BRPORT_NEIGH_SUPPRESS", 32, engine.U8),
	attr("IFLA_BRPORT_ISOLATED", 33, engine.U8),
	{Name: "IFLA_BRPORT_BACKUP_PORT", Type: 34, Kind: engine.U32, Doc: "ifindex of the backup port"},
	attr("IFLA_BRPORT_MRP_RING_OPEN", 35, engine.U8),
	attr("IFLA_BRPORT_MRP_IN_OPEN", 36, engine.U8),
	attr("IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT", 37, engine.U32),
	attr("IFLA_BRPORT_MCAST_EHT_HOSTS_CNT", 38, engine.U32),
	attr("IFLA_BRPORT_LOCKED", 39, engine.U8),
	// 40 to 44 are newer than the 6.1 headers: linux 6.18's if_link.h
	// and the rt-link spec.
	{Name: "IFLA_BRPORT_MAB", Type: 40, Kind: engine.U8, Doc: "MAC authentication bypass (with LOCKED)"},
	{Name: "IFLA_BRPORT_MCAST_N_GROUPS", Type: 41, Kind: engine.U32, Doc: "multicast groups the port is member of"},
	{Name: "IFLA_BRPORT_MCAST_MAX_GROUPS", Type: 42, Kind: engine.U32, Doc: "most multicast groups allowed (0: no limit)"},
	{Name: "IFLA_BRPORT_NEIGH_VLAN_SUPPRESS", Type: 43, Kind: engine.U8, Doc: "neighbour suppression per VLAN"},
	{Name: "IFLA_BRPORT_BACKUP_NHID", Type: 44, Kind: engine.U32, Doc: "nexthop id of the backup (for VXLAN ports)"},
}}

// macvlan and macvtap: IFLA_MACVLAN_*.
var (
	linkMacvlanModes = &engine.Enum{Name: "macvlan_mode", Values: []engine.EnumValue{
		ev("MACVLAN_MODE_PRIVATE", 1), ev("MACVLAN_MODE_VEPA", 2), ev("MACVLAN_MODE_BRIDGE", 4),
		ev("MACVLAN_MODE_PASSTHRU", 8), ev("MACVLAN_MODE_SOURCE", 16)}}

	linkMacvlanMacaddrModes = engine.NewEnum("macvlan_macaddr_mode", engine.Seq(0,
		"MACVLAN_MACADDR_ADD", "MACVLAN_MACADDR_DEL", "MACVLAN_MACADDR_FLUSH", "MACVLAN_MACADDR_SET")...)

	linkMacvlanFlags = &engine.Enum{Name: "macvlan_flags", Flags: true, Values: []engine.EnumValue{
		ev("MACVLAN_FLAG_NOPROMISC", 1), ev("MACVLAN_FLAG_NODST", 2)}}
)

var linkMacvlanAttrs = &engine.AttrSet{Name: "macvlan", Prefix: "IFLA_MACVLAN_", Attrs: []*engine.AttrDesc{
	enumAttr("IFLA_MACVLAN_MODE", 1, engine.U32, linkMacvlanModes),
	enumAttr("IFLA_MACVLAN_FLAGS", 2, engine.U16, linkMacvlanFlags),
	{Name: "IFLA_MACVLAN_MACADDR_MODE", Type: 3, Kind: engine.U32, Enum: linkMacvlanMacaddrModes, Doc: "how to apply IFLA_MACVLAN_MACADDR(_DATA) in source mode"},
	attr("IFLA_MACVLAN_MACADDR", 4, engine.LLAddr),
	{Name: "IFLA_MACVLAN_MACADDR_DATA", Type: 5, Kind: engine.Nested, Set: linkMacvlanMacaddrDataAttrs, Doc: "list of IFLA_MACVLAN_MACADDR (source mode)"},
	attr("IFLA_MACVLAN_MACADDR_COUNT", 6, engine.U32),
	{Name: "IFLA_MACVLAN_BC_QUEUE_LEN", Type: 7, Kind: engine.U32, Doc: "requested broadcast queue length"},
	{Name: "IFLA_MACVLAN_BC_QUEUE_LEN_USED", Type: 8, Kind: engine.U32, Doc: "broadcast queue length in use"},
}}

var linkMacvlanMacaddrDataAttrs = &engine.AttrSet{Name: "macvlan_macaddr_data", Prefix: "IFLA_MACVLAN_", Attrs: []*engine.AttrDesc{
	attr("IFLA_MACVLAN_MACADDR", 4, engine.LLAddr),
}}

// vxlan: IFLA_VXLAN_*.
var (
	linkVxlanDF = engine.NewEnum("ifla_vxlan_df", engine.Seq(0,
		"VXLAN_DF_UNSET", "VXLAN_DF_SET", "VXLAN_DF_INHERIT")...)

	linkVxlanLabelPolicies = engine.NewEnum("ifla_vxlan_label_policy", engine.Seq(0,
		"VXLAN_LABEL_FIXED", "VXLAN_LABEL_INHERIT")...)

	linkVxlanPortRange = engine.NewStruct("ifla_vxlan_port_range",
		f("low", engine.BE16),
		f("high", engine.BE16),
	)

	// linkVxlanHdr is the VXLAN header (struct vxlanhdr, include/net/vxlan.h):
	// IFLA_VXLAN_RESERVED_BITS is a mask of it.
	linkVxlanHdr = engine.NewStruct("vxlanhdr",
		f("vx_flags", engine.BE32),
		f("vx_vni", engine.BE32),
	)
)

var linkVxlanAttrs = &engine.AttrSet{Name: "vxlan", Prefix: "IFLA_VXLAN_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_VXLAN_ID", Type: 1, Kind: engine.U32, Doc: "VNI"},
	{Name: "IFLA_VXLAN_GROUP", Type: 2, Kind: engine.IPv4, Doc: "multicast group or remote address"},
	{Name: "IFLA_VXLAN_LINK", Type: 3, Kind: engine.U32, Doc: "ifindex of the underlying device"},
	attr("IFLA_VXLAN_LOCAL", 4, engine.IPv4),
	attr("IFLA_VXLAN_TTL", 5, engine.U8),
	attr("IFLA_VXLAN_TOS", 6, engine.U8),
	attr("IFLA_VXLAN_LEARNING", 7, engine.U8),
	{Name: "IFLA_VXLAN_AGEING", Type: 8, Kind: engine.U32, Doc: "FDB entry lifetime in seconds"},
	{Name: "IFLA_VXLAN_LIMIT", Type: 9, Kind: engine.U32, Doc: "maximum number of FDB entries"},
	{Name: "IFLA_VXLAN_PORT_RANGE", Type: 10, Kind: engine.Struct, Struct: linkVxlanPortRange, Doc: "UDP source port range"},
	attr("IFLA_VXLAN_PROXY", 11, engine.U8),
	{Name: "IFLA_VXLAN_RSC", Type: 12, Kind: engine.U8, Doc: "route short circuit"},
	attr("IFLA_VXLAN_L2MISS", 13, engine.U8),
	attr("IFLA_VXLAN_L3MISS", 14, engine.U8),
	{Name: "IFLA_VXLAN_PORT", Type: 15, Kind: engine.BE16, Doc: "UDP destination port"},
	attr("IFLA_VXLAN_GROUP6", 16, engine.IPv6),
	attr("IFLA_VXLAN_LOCAL6", 17, engine.IPv6),
	attr("IFLA_VXLAN_UDP_CSUM", 18, engine.U8),
	attr("IFLA_VXLAN_UDP_ZERO_CSUM6_TX", 19, engine.U8),
	attr("IFLA_VXLAN_UDP_ZERO_CSUM6_RX", 20, engine.U8),
	attr("IFLA_VXLAN_REMCSUM_TX", 21, engine.U8),
	attr("IFLA_VXLAN_REMCSUM_RX", 22, engine.U8),
	{Name: "IFLA_VXLAN_GBP", Type: 23, Kind: engine.Flag, Doc: "group based policy extension"},
	attr("IFLA_VXLAN_REMCSUM_NOPARTIAL", 24, engine.Flag),
	{Name: "IFLA_VXLAN_COLLECT_METADATA", Type: 25, Kind: engine.U8, Doc: "external (metadata) mode"},
	{Name: "IFLA_VXLAN_LABEL", Type: 26, Kind: engine.BE32, Doc: "IPv6 flow label"},
	{Name: "IFLA_VXLAN_GPE", Type: 27, Kind: engine.Flag, Doc: "generic protocol extension"},
	{Name: "IFLA_VXLAN_TTL_INHERIT", Type: 28, Kind: engine.Flag, Doc: "inherit TTL from the inner packet (requests: flag; dumps carry a u8 0/1)"},
	enumAttr("IFLA_VXLAN_DF", 29, engine.U8, linkVxlanDF),
	{Name: "IFLA_VXLAN_VNIFILTER", Type: 30, Kind: engine.U8, Doc: "per-VNI filtering (with COLLECT_METADATA)"},
	// 31 to 33 are newer than the 6.1 headers: linux 6.18's if_link.h
	// (the rt-link spec has no vxlan).
	{Name: "IFLA_VXLAN_LOCALBYPASS", Type: 31, Kind: engine.U8, Doc: "deliver to a local destination directly, not through the tunnel"},
	{Name: "IFLA_VXLAN_LABEL_POLICY", Type: 32, Kind: engine.U32, Enum: linkVxlanLabelPolicies, Doc: "IPv6 flow label: IFLA_VXLAN_LABEL or the inner packet's"},
	{Name: "IFLA_VXLAN_RESERVED_BITS", Type: 33, Kind: engine.Struct, Struct: linkVxlanHdr, Doc: "VXLAN header bits accepted though reserved"},
}}

// tun and tap: IFLA_TUN_*.
var linkTunTypes = &engine.Enum{Name: "tun_type", Values: []engine.EnumValue{ev("IFF_TUN", 0x0001), ev("IFF_TAP", 0x0002)}}

var linkTunAttrs = &engine.AttrSet{Name: "tun", Prefix: "IFLA_TUN_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_TUN_OWNER", Type: 1, Kind: engine.U32, Doc: "owning uid"},
	{Name: "IFLA_TUN_GROUP", Type: 2, Kind: engine.U32, Doc: "owning gid"},
	enumAttr("IFLA_TUN_TYPE", 3, engine.U8, linkTunTypes),
	{Name: "IFLA_TUN_PI", Type: 4, Kind: engine.U8, Doc: "packets carry packet information"},
	attr("IFLA_TUN_VNET_HDR", 5, engine.U8),
	attr("IFLA_TUN_PERSIST", 6, engine.U8),
	attr("IFLA_TUN_MULTI_QUEUE", 7, engine.U8),
	attr("IFLA_TUN_NUM_QUEUES", 8, engine.U32),
	attr("IFLA_TUN_NUM_DISABLED_QUEUES", 9, engine.U32),
}}

// vlan: IFLA_VLAN_*.
var (
	linkVlanFlags = engine.NewStruct("ifla_vlan_flags",
		engine.Field{Name: "flags", Kind: engine.U32, Doc: "VLAN_FLAG_* bits (linux/if_vlan.h)"},
		engine.Field{Name: "mask", Kind: engine.U32, Doc: "VLAN_FLAG_* bits to change"},
	)

	linkVlanQosMapping = engine.NewStruct("ifla_vlan_qos_mapping",
		f("from", engine.U32),
		f("to", engine.U32),
	)

	linkVlanQosAttrs = &engine.AttrSet{Name: "vlan_qos", Prefix: "IFLA_VLAN_QOS_", Attrs: []*engine.AttrDesc{
		strct("IFLA_VLAN_QOS_MAPPING", 1, linkVlanQosMapping),
	}}
)

var linkVlanAttrs = &engine.AttrSet{Name: "vlan", Prefix: "IFLA_VLAN_", Attrs: []*engine.AttrDesc{
	attr("IFLA_VLAN_ID", 1, engine.U16),
	strct("IFLA_VLAN_FLAGS", 2, linkVlanFlags),
	{Name: "IFLA_VLAN_EGRESS_QOS", Type: 3, Kind: engine.Nested, Set: linkVlanQosAttrs, Doc: "skb priority to VLAN PCP mappings"},
	{Name: "IFLA_VLAN_INGRESS_QOS", Type: 4, Kind: engine.Nested, Set: linkVlanQosAttrs, Doc: "VLAN PCP to skb priority mappings"},
	{Name: "IFLA_VLAN_PROTOCOL", Type: 5, Kind: engine.BE16, Doc: "VLAN ethertype (0x8100 or 0x88a8)"},
}}

// vrf: IFLA_VRF_* and, for its ports, IFLA_VRF_PORT_*.
var linkVRFAttrs = &engine.AttrSet{Name: "vrf", Prefix: "IFLA_VRF_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_VRF_TABLE", Type: 1, Kind: engine.U32, Doc: "routing table id"},
}}

var linkVRFPortAttrs = &engine.AttrSet{Name: "vrf_port", Prefix: "IFLA_VRF_PORT_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_VRF_PORT_TABLE", Type: 1, Kind: engine.U32, Doc: "routing table id of the master VRF"},
}}

// ipvlan and ipvtap: IFLA_IPVLAN_*.
var (
	linkIpvlanModes = engine.NewEnum("ipvlan_mode", engine.Seq(0,
		"IPVLAN_MODE_L2", "IPVLAN_MODE_L3", "IPVLAN_MODE_L3S")...)

	linkIpvlanFlags = &engine.Enum{Name: "ipvlan_flags", Flags: true, Values: []engine.EnumValue{
		ev("IPVLAN_F_PRIVATE", 0x01), ev("IPVLAN_F_VEPA", 0x02)}}
)

var linkIpvlanAttrs = &engine.AttrSet{Name: "ipvlan", Prefix: "IFLA_IPVLAN_", Attrs: []*engine.AttrDesc{
	enumAttr("IFLA_IPVLAN_MODE", 1, engine.U16, linkIpvlanModes),
	enumAttr("IFLA_IPVLAN_FLAGS", 2, engine.U16, linkIpvlanFlags),
}}

// geneve: IFLA_GENEVE_*.
var linkGeneveDF = engine.NewEnum("ifla_geneve_df", engine.Seq(0,
	"GENEVE_DF_UNSET", "GENEVE_DF_SET", "GENEVE_DF_INHERIT")...)

var linkGeneveAttrs = &engine.AttrSet{Name: "geneve", Prefix: "IFLA_GENEVE_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_GENEVE_ID", Type: 1, Kind: engine.U32, Doc: "VNI"},
	attr("IFLA_GENEVE_REMOTE", 2, engine.IPv4),
	attr("IFLA_GENEVE_TTL", 3, engine.U8),
	attr("IFLA_GENEVE_TOS", 4, engine.U8),
	{Name: "IFLA_GENEVE_PORT", Type: 5, Kind: engine.BE16, Doc: "UDP destination port"},
	{Name: "IFLA_GENEVE_COLLECT_METADATA", Type: 6, Kind: engine.Flag, Doc: "external (metadata) mode"},
	attr("IFLA_GENEVE_REMOTE6", 7, engine.IPv6),
	attr("IFLA_GENEVE_UDP_CSUM", 8, engine.U8),
	attr("IFLA_GENEVE_UDP_ZERO_CSUM6_TX", 9, engine.U8),
	attr("IFLA_GENEVE_UDP_ZERO_CSUM6_RX", 10, engine.U8),
	{Name: "IFLA_GENEVE_LABEL", Type: 11, Kind: engine.BE32, Doc: "IPv6 flow label"},
	attr("IFLA_GENEVE_TTL_INHERIT", 12, engine.U8),
	enumAttr("IFLA_GENEVE_DF", 13, engine.U8, linkGeneveDF),
	attr("IFLA_GENEVE_INNER_PROTO_INHERIT", 14, engine.Flag),
}}

// bond: IFLA_BOND_* and, for its slaves, IFLA_BOND_SLAVE_*. The mode, hash
// policy and slave state values are the BOND_* macros of linux/if_bonding.h.
var linkBondAttrs = &engine.AttrSet{Name: "bond", Prefix: "IFLA_BOND_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_BOND_MODE", Type: 1, Kind: engine.U8, Doc: "BOND_MODE_*"},
	{Name: "IFLA_BOND_ACTIVE_SLAVE", Type: 2, Kind: engine.U32, Doc: "ifindex of the active slave"},
	attr("IFLA_BOND_MIIMON", 3, engine.U32),
	attr("IFLA_BOND_UPDELAY", 4, engine.U32),
	attr("IFLA_BOND_DOWNDELAY", 5, engine.U32),
	attr("IFLA_BOND_USE_CARRIER", 6, engine.U8),
	attr("IFLA_BOND_ARP_INTERVAL", 7, engine.U32),
	{Name: "IFLA_BOND_ARP_IP_TARGET", Type: 8, Kind: engine.Binary, Doc: "nest of IPv4 addresses (be32) typed 0, 1, 2, ..."},
	attr("IFLA_BOND_ARP_VALIDATE", 9, engine.U32),
	attr("IFLA_BOND_ARP_ALL_TARGETS", 10, engine.U32),
	{Name: "IFLA_BOND_PRIMARY", Type: 11, Kind: engine.U32, Doc: "ifindex of the primary slave"},
	attr("IFLA_BOND_PRIMARY_RESELECT", 12, engine.U8),
	attr("IFLA_BOND_FAIL_OVER_MAC", 13, engine.U8),
	{Name: "IFLA_BOND_XMIT_HASH_POLICY", Type: 14, Kind: engine.U8, Doc: "BOND_XMIT_POLICY_*"},
	attr("IFLA_BOND_RESEND_IGMP", 15, engine.U32),
	attr("IFLA_BOND_NUM_PEER_NOTIF", 16, engine.U8),
	attr("IFLA_BOND_ALL_SLAVES_ACTIVE", 17, engine.U8),
	attr("IFLA_BOND_MIN_LINKS", 18, engine.U32),
	attr("IFLA_BOND_LP_INTERVAL", 19, engine.U32),
	attr("IFLA_BOND_PACKETS_PER_SLAVE", 20, engine.U32),
	attr("IFLA_BOND_AD_LACP_RATE", 21, engine.U8),
	attr("IFLA_BOND_AD_SELECT", 22, engine.U8),
	nest("IFLA_BOND_AD_INFO", 23, linkBondADInfoAttrs),
	attr("IFLA_BOND_AD_ACTOR_SYS_PRIO", 24, engine.U16),
	attr("IFLA_BOND_AD_USER_PORT_KEY", 25, engine.U16),
	attr("IFLA_BOND_AD_ACTOR_SYSTEM", 26, engine.LLAddr),
	attr("IFLA_BOND_TLB_DYNAMIC_LB", 27, engine.U8),
	attr("IFLA_BOND_PEER_NOTIF_DELAY", 28, engine.U32),
	attr("IFLA_BOND_AD_LACP_ACTIVE", 29, engine.U8),
	attr("IFLA_BOND_MISSED_MAX", 30, engine.U8),
	{Name: "IFLA_BOND_NS_IP6_TARGET", Type: 31, Kind: engine.Binary, Doc: "nest of IPv6 addresses typed 0, 1, 2, ..."},
	attr("IFLA_BOND_COUPLED_CONTROL", 32, engine.U8),
}}

var linkBondADInfoAttrs = &engine.AttrSet{Name: "bond_ad_info", Prefix: "IFLA_BOND_AD_INFO_", Attrs: []*engine.AttrDesc{
	attr("IFLA_BOND_AD_INFO_AGGREGATOR", 1, engine.U16),
	attr("IFLA_BOND_AD_INFO_NUM_PORTS", 2, engine.U16),
	attr("IFLA_BOND_AD_INFO_ACTOR_KEY", 3, engine.U16),
	attr("IFLA_BOND_AD_INFO_PARTNER_KEY", 4, engine.U16),
	attr("IFLA_BOND_AD_INFO_PARTNER_MAC", 5, engine.LLAddr),
}}

var linkBondSlaveAttrs = &engine.AttrSet{Name: "bond_slave", Prefix: "IFLA_BOND_SLAVE_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_BOND_SLAVE_STATE", Type: 1, Kind: engine.U8, Doc: "BOND_STATE_*"},
	{Name: "IFLA_BOND_SLAVE_MII_STATUS", Type: 2, Kind: engine.U8, Doc: "BOND_LINK_*"},
	attr("IFLA_BOND_SLAVE_LINK_FAILURE_COUNT", 3, engine.U32),
	attr("IFLA_BOND_SLAVE_PERM_HWADDR", 4, engine.LLAddr),
	attr("IFLA_BOND_SLAVE_QUEUE_ID", 5, engine.U16),
	attr("IFLA_BOND_SLAVE_AD_AGGREGATOR_ID", 6, engine.U16),
	attr("IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE", 7, engine.U8),
	attr("IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE", 8, engine.U16),
	attr("IFLA_BOND_SLAVE_PRIO", 9, engine.S32),
	attr("IFLA_BOND_SLAVE_ACTOR_PORT_PRIO", 10, engine.U16),
	attr("IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE", 11, engine.U8),
	attr("IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE", 12, engine.U8),
}}

// macsec: IFLA_MACSEC_*.
var (
	linkMacsecValidation = engine.NewEnum("macsec_validation_type", engine.Seq(0,
		"MACSEC_VALIDATE_DISABLED", "MACSEC_VALIDATE_CHECK", "MACSEC_VALIDATE_STRICT")...)

	linkMacsecOffload = engine.NewEnum("macsec_offload", engine.Seq(0,
		"MACSEC_OFFLOAD_OFF", "MACSEC_OFFLOAD_PHY", "MACSEC_OFFLOAD_MAC")...)
)

var linkMacsecAttrs = &engine.AttrSet{Name: "macsec", Prefix: "IFLA_MACSEC_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_MACSEC_SCI", Type: 1, Kind: engine.BE64, Doc: "secure channel identifier: MAC address then port"},
	attr("IFLA_MACSEC_PORT", 2, engine.BE16),
	attr("IFLA_MACSEC_ICV_LEN", 3, engine.U8),
	{Name: "IFLA_MACSEC_CIPHER_SUITE", Type: 4, Kind: engine.U64, Doc: "MACSEC_CIPHER_ID_* (linux/if_macsec.h)"},
	{Name: "IFLA_MACSEC_WINDOW", Type: 5, Kind: engine.U32, Doc: "replay protection window"},
	attr("IFLA_MACSEC_ENCODING_SA", 6, engine.U8),
	attr("IFLA_MACSEC_ENCRYPT", 7, engine.U8),
	attr("IFLA_MACSEC_PROTECT", 8, engine.U8),
	attr("IFLA_MACSEC_INC_SCI", 9, engine.U8),
	{Name: "IFLA_MACSEC_ES", Type: 10, Kind: engine.U8, Doc: "end station"},
	{Name: "IFLA_MACSEC_SCB", Type: 11, Kind: engine.U8, Doc: "single copy broadcast"},
	attr("IFLA_MACSEC_REPLAY_PROTECT", 12, engine.U8),
	enumAttr("IFLA_MACSEC_VALIDATION", 13, engine.U8, linkMacsecValidation),
	attr("IFLA_MACSEC_PAD", 14, engine.Binary),
	enumAttr("IFLA_MACSEC_OFFLOAD", 15, engine.U8, linkMacsecOffload),
}}

// xfrm: IFLA_XFRM_*.
var linkXfrmAttrs = &engine.AttrSet{Name: "xfrm", Prefix: "IFLA_XFRM_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_XFRM_LINK", Type: 1, Kind: engine.U32, Doc: "ifindex of the underlying device"},
	{Name: "IFLA_XFRM_IF_ID", Type: 2, Kind: engine.U32, Doc: "interface id matched against xfrm policies and states"},
	{Name: "IFLA_XFRM_COLLECT_METADATA", Type: 3, Kind: engine.Flag, Doc: "external (metadata) mode"},
}}

// hsr and prp: IFLA_HSR_*.
var linkHSRProtocols = engine.NewEnum("hsr_protocol", engine.Seq(0, "HSR_PROTOCOL_HSR", "HSR_PROTOCOL_PRP")...)

var linkHSRAttrs = &engine.AttrSet{Name: "hsr", Prefix: "IFLA_HSR_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_HSR_SLAVE1", Type: 1, Kind: engine.U32, Doc: "ifindex of the first slave"},
	{Name: "IFLA_HSR_SLAVE2", Type: 2, Kind: engine.U32, Doc: "ifindex of the second slave"},
	{Name: "IFLA_HSR_MULTICAST_SPEC", Type: 3, Kind: engine.U8, Doc: "last byte of the supervision address"},
	attr("IFLA_HSR_SUPERVISION_ADDR", 4, engine.LLAddr),
	attr("IFLA_HSR_SEQ_NR", 5, engine.U16),
	attr("IFLA_HSR_VERSION", 6, engine.U8),
	enumAttr("IFLA_HSR_PROTOCOL", 7, engine.U8, linkHSRProtocols),
}}

// gtp: IFLA_GTP_*.
var linkGTPRoles = engine.NewEnum("ifla_gtp_role", engine.Seq(0, "GTP_ROLE_GGSN", "GTP_ROLE_SGSN")...)

var linkGTPAttrs = &engine.AttrSet{Name: "gtp", Prefix: "IFLA_GTP_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_GTP_FD0", Type: 1, Kind: engine.U32, Doc: "GTPv0 UDP socket file descriptor"},
	{Name: "IFLA_GTP_FD1", Type: 2, Kind: engine.U32, Doc: "GTPv1-U UDP socket file descriptor"},
	attr("IFLA_GTP_PDP_HASHSIZE", 3, engine.U32),
	enumAttr("IFLA_GTP_ROLE", 4, engine.U32, linkGTPRoles),
	attr("IFLA_GTP_CREATE_SOCKETS", 5, engine.U8),
	attr("IFLA_GTP_RESTART_COUNT", 6, engine.U8),
}}

// ipoib: IFLA_IPOIB_*.
var linkIPoIBModes = engine.NewEnum("ipoib_mode", engine.Seq(0, "IPOIB_MODE_DATAGRAM", "IPOIB_MODE_CONNECTED")...)

var linkIPoIBAttrs = &engine.AttrSet{Name: "ipoib", Prefix: "IFLA_IPOIB_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_IPOIB_PKEY", Type: 1, Kind: engine.U16, Doc: "partition key"},
	enumAttr("IFLA_IPOIB_MODE", 2, engine.U16, linkIPoIBModes),
	attr("IFLA_IPOIB_UMCAST", 3, engine.U16),
}}

// bareudp: IFLA_BAREUDP_*.
var linkBareudpAttrs = &engine.AttrSet{Name: "bareudp", Prefix: "IFLA_BAREUDP_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_BAREUDP_PORT", Type: 1, Kind: engine.BE16, Doc: "UDP destination port"},
	{Name: "IFLA_BAREUDP_ETHERTYPE", Type: 2, Kind: engine.BE16, Doc: "ethertype of the tunnelled protocol"},
	attr("IFLA_BAREUDP_SRCPORT_MIN", 3, engine.U16),
	attr("IFLA_BAREUDP_MULTIPROTO_MODE", 4, engine.Flag),
}}

// ppp: IFLA_PPP_*.
var linkPPPAttrs = &engine.AttrSet{Name: "ppp", Prefix: "IFLA_PPP_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_PPP_DEV_FD", Type: 1, Kind: engine.S32, Doc: "file descriptor of the /dev/ppp unit"},
}}

// rmnet: IFLA_RMNET_*.
var (
	linkRmnetFlags = &engine.Enum{Name: "rmnet_flags", Flags: true, Values: []engine.EnumValue{
		ev("RMNET_FLAGS_INGRESS_DEAGGREGATION", 1<<0), ev("RMNET_FLAGS_INGRESS_MAP_COMMANDS", 1<<1),
		ev("RMNET_FLAGS_INGRESS_MAP_CKSUMV4", 1<<2), ev("RMNET_FLAGS_EGRESS_MAP_CKSUMV4", 1<<3),
		ev("RMNET_FLAGS_INGRESS_MAP_CKSUMV5", 1<<4), ev("RMNET_FLAGS_EGRESS_MAP_CKSUMV5", 1<<5)}}

	linkRmnetFlagsStruct = engine.NewStruct("ifla_rmnet_flags",
		fe("flags", engine.U32, linkRmnetFlags),
		fe("mask", engine.U32, linkRmnetFlags),
	)
)

var linkRmnetAttrs = &engine.AttrSet{Name: "rmnet", Prefix: "IFLA_RMNET_", Attrs: []*engine.AttrDesc{
	attr("IFLA_RMNET_MUX_ID", 1, engine.U16),
	strct("IFLA_RMNET_FLAGS", 2, linkRmnetFlagsStruct),
}}

// dsa: IFLA_DSA_*.
var linkDSAAttrs = &engine.AttrSet{Name: "dsa", Prefix: "IFLA_DSA_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_DSA_MASTER", Type: 1, Kind: engine.U32, Doc: "ifindex of the conduit (master) device"},
}}
