package rtnl

import "nlsh/engine"

// Link statistics: struct if_stats_msg and the IFLA_STATS_* attributes
// (linux/if_link.h) of RTM_NEWSTATS and RTM_GETSTATS, as `ip stats show`
// asks for them. filter_mask picks the groups the kernel answers with:
// bit n-1 for attribute n (IFLA_STATS_FILTER_BIT). The extended groups
// (per-kind, offload, per-family) are left as bytes, and so is a request's
// own set (IFLA_STATS_GET_FILTERS, IFLA_STATS_SET_*), which RTM_GETSTATS
// requests without attributes do not need.

// StatsAttrs is the IFLA_STATS_* set of statistics messages.
var StatsAttrs = &engine.AttrSet{Name: "ifla_stats_attrs", Prefix: "IFLA_STATS_", Attrs: []*engine.AttrDesc{
	{Name: "IFLA_STATS_UNSPEC", Type: 0, Kind: engine.Binary, Doc: "padding before a 64-bit aligned attribute"},
	strct("IFLA_STATS_LINK_64", 1, linkStats64),
	{Name: "IFLA_STATS_LINK_XSTATS", Type: 2, Kind: engine.Binary, Doc: "the link kind's extended statistics (LINK_XSTATS_TYPE_* nests)"},
	{Name: "IFLA_STATS_LINK_XSTATS_SLAVE", Type: 3, Kind: engine.Binary, Doc: "the master's kind's statistics of this port"},
	{Name: "IFLA_STATS_LINK_OFFLOAD_XSTATS", Type: 4, Kind: engine.Binary, Doc: "offloaded traffic (IFLA_OFFLOAD_XSTATS_* nests)"},
	{Name: "IFLA_STATS_AF_SPEC", Type: 5, Kind: engine.Binary, Doc: "per address family statistics (MPLS)"},
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
