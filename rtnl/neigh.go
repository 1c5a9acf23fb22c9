package rtnl

import "nlsh/engine"

// Neighbours: struct ndmsg and the NDA_* attributes, and the neighbour-table
// message struct ndtmsg with its NDTA_* attributes (linux/neighbour.h).

// neighStates names ndm_state (NUD_*).
var neighStates = &engine.Enum{Name: "nud_state", Flags: true, Values: []engine.EnumValue{
	ev("NUD_NONE", 0x00), ev("NUD_INCOMPLETE", 0x01), ev("NUD_REACHABLE", 0x02),
	ev("NUD_STALE", 0x04), ev("NUD_DELAY", 0x08), ev("NUD_PROBE", 0x10),
	ev("NUD_FAILED", 0x20), ev("NUD_NOARP", 0x40), ev("NUD_PERMANENT", 0x80),
}}

// neighFlags names ndm_flags (NTF_*).
var neighFlags = &engine.Enum{Name: "ntf_flags", Flags: true, Values: []engine.EnumValue{
	ev("NTF_USE", 1<<0), ev("NTF_SELF", 1<<1), ev("NTF_MASTER", 1<<2),
	ev("NTF_PROXY", 1<<3), ev("NTF_EXT_LEARNED", 1<<4), ev("NTF_OFFLOADED", 1<<5),
	ev("NTF_STICKY", 1<<6), ev("NTF_ROUTER", 1<<7),
}}

// neighExtFlags names NDA_FLAGS_EXT (NTF_EXT_*).
var neighExtFlags = &engine.Enum{Name: "ntf_ext_flags", Flags: true, Values: []engine.EnumValue{
	ev("NTF_EXT_MANAGED", 1<<0),
}}

// neighFdbNotify names NFEA_ACTIVITY_NOTIFY (FDB_NOTIFY_*).
var neighFdbNotify = &engine.Enum{Name: "fdb_notify", Flags: true, Values: []engine.EnumValue{
	ev("FDB_NOTIFY_BIT", 1<<0), ev("FDB_NOTIFY_INACTIVE_BIT", 1<<1),
}}

// neighCacheInfo is struct nda_cacheinfo (NDA_CACHEINFO).
var neighCacheInfo = engine.NewStruct("nda_cacheinfo",
	f("ndm_confirmed", engine.U32),
	f("ndm_used", engine.U32),
	f("ndm_updated", engine.U32),
	f("ndm_refcnt", engine.U32),
)

// neighFdbExt is the NFEA_* set nested in NDA_FDB_EXT_ATTRS.
var neighFdbExt = &engine.AttrSet{Name: "nfea_attrs", Prefix: "NFEA_", Attrs: []*engine.AttrDesc{
	enumAttr("NFEA_ACTIVITY_NOTIFY", 1, engine.U8, neighFdbNotify),
	{Name: "NFEA_DONT_REFRESH", Type: 2, Kind: engine.Flag, Doc: "do not refresh the entry's activity"},
}}

// NeighAttrs is the NDA_* set of neighbour messages.
var NeighAttrs = &engine.AttrSet{Name: "ndmsg_attrs", Prefix: "NDA_", Attrs: []*engine.AttrDesc{
	{Name: "NDA_DST", Type: 1, Kind: engine.IP, Doc: "neighbour address; remote VTEP of a VXLAN FDB entry"},
	attr("NDA_LLADDR", 2, engine.LLAddr),
	{Name: "NDA_CACHEINFO", Type: 3, Kind: engine.Struct, Struct: neighCacheInfo, Doc: "ages in clock ticks"},
	attr("NDA_PROBES", 4, engine.U32),
	attr("NDA_VLAN", 5, engine.U16),
	{Name: "NDA_PORT", Type: 6, Kind: engine.BE16, Doc: "VXLAN UDP port"},
	attr("NDA_VNI", 7, engine.U32),
	{Name: "NDA_IFINDEX", Type: 8, Kind: engine.U32, Doc: "VXLAN outgoing interface index"},
	{Name: "NDA_MASTER", Type: 9, Kind: engine.U32, Doc: "master device index"},
	attr("NDA_LINK_NETNSID", 10, engine.S32),
	attr("NDA_SRC_VNI", 11, engine.U32),
	{Name: "NDA_PROTOCOL", Type: 12, Kind: engine.U8, Enum: routeProtocols, Doc: "originator of the entry"},
	{Name: "NDA_NH_ID", Type: 13, Kind: engine.U32, Doc: "nexthop object id"},
	// The bridge refuses NDA_FDB_EXT_ATTRS without NLA_F_NESTED.
	{Name: "NDA_FDB_EXT_ATTRS", Type: 14, Kind: engine.Nested, Set: neighFdbExt, NestFlag: true},
	enumAttr("NDA_FLAGS_EXT", 15, engine.U32, neighExtFlags),
	{Name: "NDA_NDM_STATE_MASK", Type: 16, Kind: engine.U16, Enum: neighStates, Doc: "dump filter: ndm_state bits to compare"},
	{Name: "NDA_NDM_FLAGS_MASK", Type: 17, Kind: engine.U8, Enum: neighFlags, Doc: "dump filter: ndm_flags bits to compare"},
}}

// NeighClass is the neighbour message (RTM_NEWNEIGH, RTM_DELNEIGH,
// RTM_GETNEIGH).
var NeighClass = &engine.Class{
	Name: "ndmsg",
	Struct: engine.NewStruct("ndmsg",
		c("ndm_family", fe("family", engine.U8, Families)),
		pad("__pad1", 1),
		pad("__pad2", 2),
		c("ndm_ifindex", f("ifindex", engine.S32)),
		c("ndm_state", fe("state", engine.U16, neighStates)),
		c("ndm_flags", fe("flags", engine.U8, neighFlags)),
		fe("ndm_type", engine.U8, routeTypes),
	),
	Attrs: NeighAttrs,
	Doc:   "neighbour (ARP, NDP or FDB) entry",
	Brief: []string{"ifindex", "NDA_DST", "NDA_LLADDR", "state"},
}

// neighTblStats is struct ndt_stats (NDTA_STATS).
var neighTblStats = engine.NewStruct("ndt_stats",
	f("ndts_allocs", engine.U64),
	f("ndts_destroys", engine.U64),
	f("ndts_hash_grows", engine.U64),
	f("ndts_res_failed", engine.U64),
	f("ndts_lookups", engine.U64),
	f("ndts_hits", engine.U64),
	f("ndts_rcv_probes_mcast", engine.U64),
	f("ndts_rcv_probes_ucast", engine.U64),
	f("ndts_periodic_gc_runs", engine.U64),
	f("ndts_forced_gc_runs", engine.U64),
	f("ndts_table_fulls", engine.U64),
)

// neighTblConfig is struct ndt_config (NDTA_CONFIG).
var neighTblConfig = engine.NewStruct("ndt_config",
	f("ndtc_key_len", engine.U16),
	f("ndtc_entry_size", engine.U16),
	f("ndtc_entries", engine.U32),
	f("ndtc_last_flush", engine.U32),
	f("ndtc_last_rand", engine.U32),
	f("ndtc_hash_rnd", engine.U32),
	f("ndtc_hash_mask", engine.U32),
	f("ndtc_hash_chain_gc", engine.U32),
	f("ndtc_proxy_qlen", engine.U32),
)

// neighTblParms is the NDTPA_* set nested in NDTA_PARMS. Times are in
// milliseconds.
var neighTblParms = &engine.AttrSet{Name: "ndtpa_attrs", Prefix: "NDTPA_", Attrs: []*engine.AttrDesc{
	{Name: "NDTPA_IFINDEX", Type: 1, Kind: engine.U32, Doc: "device of a per-device parameter set"},
	attr("NDTPA_REFCNT", 2, engine.U32),
	attr("NDTPA_REACHABLE_TIME", 3, engine.U64),
	attr("NDTPA_BASE_REACHABLE_TIME", 4, engine.U64),
	attr("NDTPA_RETRANS_TIME", 5, engine.U64),
	attr("NDTPA_GC_STALETIME", 6, engine.U64),
	attr("NDTPA_DELAY_PROBE_TIME", 7, engine.U64),
	attr("NDTPA_QUEUE_LEN", 8, engine.U32),
	attr("NDTPA_APP_PROBES", 9, engine.U32),
	attr("NDTPA_UCAST_PROBES", 10, engine.U32),
	attr("NDTPA_MCAST_PROBES", 11, engine.U32),
	attr("NDTPA_ANYCAST_DELAY", 12, engine.U64),
	attr("NDTPA_PROXY_DELAY", 13, engine.U64),
	attr("NDTPA_PROXY_QLEN", 14, engine.U32),
	attr("NDTPA_LOCKTIME", 15, engine.U64),
	attr("NDTPA_QUEUE_LENBYTES", 16, engine.U32),
	attr("NDTPA_MCAST_REPROBES", 17, engine.U32),
	attr("NDTPA_PAD", 18, engine.Binary),
	attr("NDTPA_INTERVAL_PROBE_TIME_MS", 19, engine.U64),
}}

// neighTblAttrs is the NDTA_* set of neighbour-table messages.
var neighTblAttrs = &engine.AttrSet{Name: "ndtmsg_attrs", Prefix: "NDTA_", Attrs: []*engine.AttrDesc{
	{Name: "NDTA_NAME", Type: 1, Kind: engine.Asciiz, Doc: "table name (arp_cache, ndisc_cache)"},
	{Name: "NDTA_THRESH1", Type: 2, Kind: engine.U32, Doc: "entries below which no garbage collection runs"},
	{Name: "NDTA_THRESH2", Type: 3, Kind: engine.U32, Doc: "soft limit on entries"},
	{Name: "NDTA_THRESH3", Type: 4, Kind: engine.U32, Doc: "hard limit on entries"},
	strct("NDTA_CONFIG", 5, neighTblConfig),
	nest("NDTA_PARMS", 6, neighTblParms),
	strct("NDTA_STATS", 7, neighTblStats),
	{Name: "NDTA_GC_INTERVAL", Type: 8, Kind: engine.U64, Doc: "milliseconds"},
	attr("NDTA_PAD", 9, engine.Binary),
}}

// NeighTblClass is the neighbour-table message (RTM_NEWNEIGHTBL,
// RTM_GETNEIGHTBL, RTM_SETNEIGHTBL).
var NeighTblClass = &engine.Class{
	Name: "ndtmsg",
	Struct: engine.NewStruct("ndtmsg",
		c("ndtm_family", fe("family", engine.U8, Families)),
		pad("__pad1", 1),
		pad("__pad2", 2),
	),
	Attrs: neighTblAttrs,
	Doc:   "neighbour table parameters and statistics",
}

// NeighEnums lists the enums of neighbour messages; RTN_* and RTPROT_* are in
// RouteEnums.
var NeighEnums = []*engine.Enum{neighStates, neighFlags, neighExtFlags, neighFdbNotify}
