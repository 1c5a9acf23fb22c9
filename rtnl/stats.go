package rtnl

import "nlsh/engine"

// Link statistics: struct if_stats_msg and the IFLA_STATS_* attributes
// (linux/if_link.h) of RTM_NEWSTATS and RTM_GETSTATS, as `ip stats show`
// asks for them. filter_mask picks the groups the kernel answers with:
// bit n-1 for attribute n (IFLA_STATS_FILTER_BIT). A request's own set
// (IFLA_STATS_GET_FILTERS, IFLA_STATS_SET_*) is left undescribed: the
// kernel never sends it, and requests without attributes do not need it.
//
// The extended statistics of IFLA_STATS_LINK_XSTATS (the link's kind) and
// IFLA_STATS_LINK_XSTATS_SLAVE (its master's kind) need no sub-message:
// the kernel wraps them in a nest whose number, LINK_XSTATS_TYPE_*, says
// whose layout follows (linux/if_bridge.h for a bridge, linux/if_bonding.h
// for a bond).

// Bridge extended statistics: BRIDGE_XSTATS_* (linux/if_bridge.h).
var (
	statsBridgeVlan = engine.NewStruct("bridge_vlan_xstats",
		f("rx_bytes", engine.U64),
		f("rx_packets", engine.U64),
		f("tx_bytes", engine.U64),
		f("tx_packets", engine.U64),
		f("vid", engine.U16),
		fe("flags", engine.U16, linkBridgeVlanFlags),
		pad("pad2", 4),
	)

	// br_mcast_stats' counters are arrays indexed by BR_MCAST_DIR_RX and
	// BR_MCAST_DIR_TX; each is two fields here, _rx and _tx.
	statsBridgeMcast = engine.NewStruct("br_mcast_stats", mcastStatsFields()...)

	statsBridgeSTP = engine.NewStruct("bridge_stp_xstats",
		f("transition_blk", engine.U64),
		f("transition_fwd", engine.U64),
		f("rx_bpdu", engine.U64),
		f("tx_bpdu", engine.U64),
		f("rx_tcn", engine.U64),
		f("tx_tcn", engine.U64),
	)
)

// mcastStatsFields lists br_mcast_stats' members, the per-direction arrays
// split in two.
func mcastStatsFields() []engine.Field {
	var fs []engine.Field
	dirs := func(names ...string) {
		for _, n := range names {
			fs = append(fs, f(n+"_rx", engine.U64), f(n+"_tx", engine.U64))
		}
	}
	dirs("igmp_v1queries", "igmp_v2queries", "igmp_v3queries", "igmp_leaves",
		"igmp_v1reports", "igmp_v2reports", "igmp_v3reports")
	fs = append(fs, f("igmp_parse_errors", engine.U64))
	dirs("mld_v1queries", "mld_v2queries", "mld_leaves", "mld_v1reports", "mld_v2reports")
	fs = append(fs, f("mld_parse_errors", engine.U64))
	dirs("mcast_bytes", "mcast_packets")
	return fs
}

var statsBridgeXstatsAttrs = &engine.AttrSet{Name: "bridge_xstats", Prefix: "BRIDGE_XSTATS_", Attrs: []*engine.AttrDesc{
	{Name: "BRIDGE_XSTATS_VLAN", Type: 1, Kind: engine.Struct, Struct: statsBridgeVlan, Doc: "one VLAN's counters, repeated (with vlan_stats_enabled)"},
	{Name: "BRIDGE_XSTATS_MCAST", Type: 2, Kind: engine.Struct, Struct: statsBridgeMcast, Doc: "IGMP and MLD counters (with mcast_stats_enabled)"},
	{Name: "BRIDGE_XSTATS_PAD", Type: 3, Kind: engine.Binary, Doc: "padding before a 64-bit aligned attribute"},
	{Name: "BRIDGE_XSTATS_STP", Type: 4, Kind: engine.Struct, Struct: statsBridgeSTP, Doc: "a port's STP counters"},
}}

// Bond extended statistics: BOND_XSTATS_* and BOND_3AD_STAT_*
// (linux/if_bonding.h), each counter a u64.
var statsBond3adAttrs = &engine.AttrSet{Name: "bond_3ad_stats", Prefix: "BOND_3AD_STAT_", Attrs: []*engine.AttrDesc{
	attr("BOND_3AD_STAT_LACPDU_RX", 0, engine.U64),
	attr("BOND_3AD_STAT_LACPDU_TX", 1, engine.U64),
	attr("BOND_3AD_STAT_LACPDU_UNKNOWN_RX", 2, engine.U64),
	attr("BOND_3AD_STAT_LACPDU_ILLEGAL_RX", 3, engine.U64),
	attr("BOND_3AD_STAT_MARKER_RX", 4, engine.U64),
	attr("BOND_3AD_STAT_MARKER_TX", 5, engine.U64),
	attr("BOND_3AD_STAT_MARKER_RESP_RX", 6, engine.U64),
	attr("BOND_3AD_STAT_MARKER_RESP_TX", 7, engine.U64),
	attr("BOND_3AD_STAT_MARKER_UNKNOWN_RX", 8, engine.U64),
	{Name: "BOND_3AD_STAT_PAD", Type: 9, Kind: engine.Binary, Doc: "padding before a 64-bit aligned attribute"},
}}

var statsBondXstatsAttrs = &engine.AttrSet{Name: "bond_xstats", Prefix: "BOND_XSTATS_", Attrs: []*engine.AttrDesc{
	{Name: "BOND_XSTATS_3AD", Type: 1, Kind: engine.Nested, Set: statsBond3adAttrs, Doc: "802.3ad (LACP) counters"},
}}

// statsLinkXstatsAttrs is the content of IFLA_STATS_LINK_XSTATS and
// IFLA_STATS_LINK_XSTATS_SLAVE: one nest, numbered by the kind.
var statsLinkXstatsAttrs = &engine.AttrSet{Name: "link_xstats", Prefix: "LINK_XSTATS_TYPE_", Attrs: []*engine.AttrDesc{
	{Name: "LINK_XSTATS_TYPE_BRIDGE", Type: 1, Kind: engine.Nested, Set: statsBridgeXstatsAttrs, Doc: "a bridge's or a bridge port's statistics"},
	{Name: "LINK_XSTATS_TYPE_BOND", Type: 2, Kind: engine.Nested, Set: statsBondXstatsAttrs, Doc: "a bond's or a bond slave's statistics"},
}}

// Offloaded traffic: IFLA_OFFLOAD_XSTATS_* (linux/if_link.h).
var (
	statsHWStats64 = engine.NewStruct("rtnl_hw_stats64",
		f("rx_packets", engine.U64),
		f("tx_packets", engine.U64),
		f("rx_bytes", engine.U64),
		f("tx_bytes", engine.U64),
		f("rx_errors", engine.U64),
		f("tx_errors", engine.U64),
		f("rx_dropped", engine.U64),
		f("tx_dropped", engine.U64),
		f("multicast", engine.U64),
	)

	statsHWSInfoOneAttrs = &engine.AttrSet{Name: "offload_xstats_hw_s_info_one", Prefix: "IFLA_OFFLOAD_XSTATS_HW_S_INFO_", Attrs: []*engine.AttrDesc{
		{Name: "IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST", Type: 1, Kind: engine.U8, Doc: "1 if these statistics were asked for"},
		{Name: "IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED", Type: 2, Kind: engine.U8, Doc: "1 if a driver collects them"},
	}}

	// IFLA_OFFLOAD_XSTATS_HW_S_INFO holds one nest per kind of hardware
	// statistics, numbered as the attribute carrying those statistics.
	statsHWSInfoAttrs = &engine.AttrSet{Name: "offload_xstats_hw_s_info", Prefix: "IFLA_OFFLOAD_XSTATS_", Attrs: []*engine.AttrDesc{
		{Name: "IFLA_OFFLOAD_XSTATS_L3_STATS", Type: 3, Kind: engine.Nested, Set: statsHWSInfoOneAttrs, Doc: "whether L3 statistics are requested and used"},
	}}

	statsOffloadXstatsAttrs = &engine.AttrSet{Name: "link_offload_xstats", Prefix: "IFLA_OFFLOAD_XSTATS_", Attrs: []*engine.AttrDesc{
		{Name: "IFLA_OFFLOAD_XSTATS_UNSPEC", Type: 0, Kind: engine.Binary, Doc: "padding before a 64-bit aligned attribute"},
		{Name: "IFLA_OFFLOAD_XSTATS_CPU_HIT", Type: 1, Kind: engine.Struct, Struct: linkStats64, Doc: "traffic the device handed to the CPU"},
		{Name: "IFLA_OFFLOAD_XSTATS_HW_S_INFO", Type: 2, Kind: engine.Nested, Set: statsHWSInfoAttrs, Doc: "which hardware statistics are requested and used"},
		{Name: "IFLA_OFFLOAD_XSTATS_L3_STATS", Type: 3, Kind: engine.Struct, Struct: statsHWStats64, Doc: "L3 traffic counted by the hardware"},
	}}
)

// Per address family statistics: one nest per AF_*; only MPLS has any
// (MPLS_STATS_*, linux/mpls.h), and only with the mpls_router module.
var (
	statsMPLSLink = engine.NewStruct("mpls_link_stats",
		f("rx_packets", engine.U64),
		f("tx_packets", engine.U64),
		f("rx_bytes", engine.U64),
		f("tx_bytes", engine.U64),
		f("rx_errors", engine.U64),
		f("tx_errors", engine.U64),
		f("rx_dropped", engine.U64),
		f("tx_dropped", engine.U64),
		f("rx_noroute", engine.U64),
	)

	statsMPLSAttrs = &engine.AttrSet{Name: "mpls_stats", Prefix: "MPLS_STATS_", Attrs: []*engine.AttrDesc{
		{Name: "MPLS_STATS_UNSPEC", Type: 0, Kind: engine.Binary, Doc: "padding before a 64-bit aligned attribute"},
		strct("MPLS_STATS_LINK", 1, statsMPLSLink),
	}}

	statsAFSpecAttrs = &engine.AttrSet{Name: "stats_af_spec", Prefix: "AF_", Attrs: []*engine.AttrDesc{
		nest("AF_MPLS", 28, statsMPLSAttrs),
	}}
)

// StatsAttrs is the IFLA_STATS_* set of statistics messages.
var StatsAttrs = &engine.AttrSet{Name: "ifla_stats_attrs", Prefix: "IFLA_STATS_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_STATS_UNSPEC", Type: 0, Kind: engine.Binary, Doc: "padding before a 64-bit aligned attribute"},
	strct("IFLA_STATS_LINK_64", 1, linkStats64),
	{Name: "IFLA_STATS_LINK_XSTATS", Type: 2, Kind: engine.Nested, Set: statsLinkXstatsAttrs, Doc: "the link kind's extended statistics (LINK_XSTATS_TYPE_* nests)"},
	{Name: "IFLA_STATS_LINK_XSTATS_SLAVE", Type: 3, Kind: engine.Nested, Set: statsLinkXstatsAttrs, Doc: "the master's kind's statistics of this port"},
	{Name: "IFLA_STATS_LINK_OFFLOAD_XSTATS", Type: 4, Kind: engine.Nested, Set: statsOffloadXstatsAttrs, Doc: "offloaded traffic (IFLA_OFFLOAD_XSTATS_* nests)"},
	{Name: "IFLA_STATS_AF_SPEC", Type: 5, Kind: engine.Nested, Set: statsAFSpecAttrs, Doc: "per address family statistics (MPLS)"},
}}

// StatsClass is the link statistics message (pyroute2's ifstatsmsg).
var StatsClass = &engine.Class{
	Name:    "if_stats_msg",
	Aliases: []string{"ifstatsmsg"},
	Struct: engine.NewStruct("if_stats_msg",
		fe("family", engine.U8, Families),
		pad("pad1", 1),
		pad("pad2", 2),
		f("ifindex", engine.U32),
		f("filter_mask", engine.U32),
	),
	Attrs: StatsAttrs,
	Doc:   "link statistics (RTM_NEWSTATS, RTM_GETSTATS): filter_mask bit n-1 asks for IFLA_STATS_* attribute n",
	Brief: []string{"ifindex", "IFLA_STATS_LINK_64"},
}
