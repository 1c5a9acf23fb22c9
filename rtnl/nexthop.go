package rtnl

import "nlsh/engine"

// Nexthop objects: struct nhmsg and the NHA_* attributes of RTM_NEWNEXTHOP,
// RTM_DELNEXTHOP, RTM_GETNEXTHOP and the resilient groups' bucket messages
// (linux/nexthop.h). The kernel parses these messages strictly: every nest
// must carry NLA_F_NESTED, so the nests here say so.
//
// NHA_OP_FLAGS to NHA_HW_STATS_USED (14 to 17), their flags and the group
// statistics nests are newer than the 6.1 headers: linux 6.18's nexthop.h.

// nexthopGroupTypes names NHA_GROUP_TYPE.
var nexthopGroupTypes = engine.NewEnum("nexthop_grp_type", engine.Seq(0,
	"NEXTHOP_GRP_TYPE_MPATH", "NEXTHOP_GRP_TYPE_RES")...)

// nexthopOpFlags names NHA_OP_FLAGS' bits: a dump request's (bits 0 and
// 1) and the kernel's answer (bit 31: it zeroes the reserved bytes of the
// nexthop_grp entries it dumps).
var nexthopOpFlags = &engine.Enum{Name: "nha_op_flags", Flags: true, Values: []engine.EnumValue{
	ev("NHA_OP_FLAG_DUMP_STATS", 1<<0), ev("NHA_OP_FLAG_DUMP_HW_STATS", 1<<1),
	ev("NHA_OP_FLAG_RESP_GRP_RESVD_0", 1<<31)}}

// nhmsg is struct nhmsg with pyroute2-style short names.
var nhmsg = engine.NewStruct("nhmsg",
	c("nh_family", fe("family", engine.U8, Families)),
	engine.Field{Name: "scope", CName: "nh_scope", Kind: engine.U8, Enum: Scopes, Doc: "set by the kernel in replies"},
	engine.Field{Name: "protocol", CName: "nh_protocol", Kind: engine.U8, Enum: routeProtocols, Doc: "who installed the nexthop (RTPROT_*)"},
	pad("resvd", 1),
	engine.Field{Name: "flags", CName: "nh_flags", Kind: engine.U32, Enum: routeNexthopFlags, Doc: "RTNH_F_*"},
)

// nexthopGrp is one member of a group (struct nexthop_grp).
var nexthopGrp = engine.NewStruct("nexthop_grp",
	engine.Field{Name: "id", Kind: engine.U32, Doc: "a nexthop that exists"},
	engine.Field{Name: "weight", Kind: engine.U8, Doc: "weight - 1 (iproute2's weight 1 is 0)"},
	engine.Field{Name: "resvd1", Kind: engine.U8, Doc: "newer kernels: the weight's high byte"},
	pad("resvd2", 2),
)

// nexthopGroup is NHA_GROUP's payload: back-to-back nexthop_grp, as the
// list entries.
var nexthopGroup = func() *engine.StructDesc {
	s := engine.NewStruct("nexthop_grp_list")
	s.Flex, s.FlexName = nexthopGrp, "entries"
	return s
}()

// nhDoc sets an attribute's one-line description.
func nhDoc(a *engine.AttrDesc, doc string) *engine.AttrDesc {
	a.Doc = doc
	return a
}

var nexthopResGroupAttrs = &engine.AttrSet{Name: "nexthop_res_group", Prefix: "NHA_RES_GROUP_", Attrs: []*engine.AttrDesc{
	attr("NHA_RES_GROUP_PAD", 0, engine.Binary),
	{Name: "NHA_RES_GROUP_BUCKETS", Type: 1, Kind: engine.U16, Doc: "number of buckets"},
	{Name: "NHA_RES_GROUP_IDLE_TIMER", Type: 2, Kind: engine.U32, Doc: "bucket idle timer, clock_t"},
	{Name: "NHA_RES_GROUP_UNBALANCED_TIMER", Type: 3, Kind: engine.U32, Doc: "unbalanced timer, clock_t"},
	{Name: "NHA_RES_GROUP_UNBALANCED_TIME", Type: 4, Kind: engine.U64, Doc: "time the group has been unbalanced, clock_t"},
}}

var nexthopResBucketAttrs = &engine.AttrSet{Name: "nexthop_res_bucket", Prefix: "NHA_RES_BUCKET_", Attrs: []*engine.AttrDesc{
	attr("NHA_RES_BUCKET_PAD", 0, engine.Binary),
	{Name: "NHA_RES_BUCKET_INDEX", Type: 1, Kind: engine.U16, Doc: "bucket index"},
	{Name: "NHA_RES_BUCKET_IDLE_TIME", Type: 2, Kind: engine.U64, Doc: "time the bucket has been idle, clock_t"},
	{Name: "NHA_RES_BUCKET_NH_ID", Type: 3, Kind: engine.U32, Doc: "nexthop the bucket uses"},
}}

var nexthopGroupStatsEntryAttrs = &engine.AttrSet{Name: "nexthop_group_stats_entry", Prefix: "NHA_GROUP_STATS_ENTRY_", Attrs: []*engine.AttrDesc{
	{Name: "NHA_GROUP_STATS_ENTRY_ID", Type: 1, Kind: engine.U32, Doc: "the member nexthop"},
	{Name: "NHA_GROUP_STATS_ENTRY_PACKETS", Type: 2, Kind: engine.Uint, Doc: "packets forwarded through the member"},
	{Name: "NHA_GROUP_STATS_ENTRY_PACKETS_HW", Type: 3, Kind: engine.Uint, Doc: "of those, packets forwarded in hardware"},
}}

var nexthopGroupStatsAttrs = &engine.AttrSet{Name: "nexthop_group_stats", Prefix: "NHA_GROUP_STATS_", Attrs: []*engine.AttrDesc{
	{Name: "NHA_GROUP_STATS_ENTRY", Type: 1, Kind: engine.Nested, Set: nexthopGroupStatsEntryAttrs, Doc: "one member's counters, repeated"},
}}

// NexthopAttrs is the NHA_* attribute set of nexthop messages.
var NexthopAttrs = &engine.AttrSet{Name: "nexthop", Prefix: "NHA_", Attrs: []*engine.AttrDesc{
	{Name: "NHA_ID", Type: 1, Kind: engine.U32, Doc: "nexthop id; 0 in RTM_NEWNEXTHOP lets the kernel choose"},
	{Name: "NHA_GROUP", Type: 2, Kind: engine.Struct, Struct: nexthopGroup, Doc: "the group's members: {entries = {{id = 1, weight = 0}, …}}"},
	enumAttr("NHA_GROUP_TYPE", 3, engine.U16, nexthopGroupTypes),
	{Name: "NHA_BLACKHOLE", Type: 4, Kind: engine.Flag, Doc: "drop the packets"},
	{Name: "NHA_OIF", Type: 5, Kind: engine.U32, Doc: "output interface index; in a dump request, only nexthops using it"},
	attr("NHA_GATEWAY", 6, engine.IP),
	enumAttr("NHA_ENCAP_TYPE", 7, engine.U16, routeEncapTypes),
	nhDoc(sub("NHA_ENCAP", 8, "NHA_ENCAP_TYPE", encapFormats("NHA_ENCAP", 8)), "lightweight tunnel encapsulation, format chosen by NHA_ENCAP_TYPE"),
	{Name: "NHA_GROUPS", Type: 9, Kind: engine.Flag, Doc: "in a dump request: only groups"},
	{Name: "NHA_MASTER", Type: 10, Kind: engine.U32, Doc: "in a dump request: only nexthops whose device has this master"},
	{Name: "NHA_FDB", Type: 11, Kind: engine.Flag, Doc: "the nexthop belongs to bridge FDB entries (in a dump request: only those)"},
	{Name: "NHA_RES_GROUP", Type: 12, Kind: engine.Nested, Set: nexthopResGroupAttrs, NestFlag: true, Doc: "resilient group parameters"},
	{Name: "NHA_RES_BUCKET", Type: 13, Kind: engine.Nested, Set: nexthopResBucketAttrs, NestFlag: true, Doc: "one bucket of a resilient group (bucket messages)"},
	{Name: "NHA_OP_FLAGS", Type: 14, Kind: engine.U32, Enum: nexthopOpFlags, Doc: "in a dump request: the statistics to add; in a reply: NHA_OP_FLAG_RESP_GRP_RESVD_0 when the kernel zeroed the group entries' reserved bytes, so resvd1 is the weight's high byte"},
	{Name: "NHA_GROUP_STATS", Type: 15, Kind: engine.Nested, Set: nexthopGroupStatsAttrs, NestFlag: true, Doc: "a group's per-member packet counters (NHA_OP_FLAG_DUMP_STATS)"},
	{Name: "NHA_HW_STATS_ENABLE", Type: 16, Kind: engine.U32, Doc: "1 to have drivers count the group's packets in hardware"},
	{Name: "NHA_HW_STATS_USED", Type: 17, Kind: engine.U32, Doc: "1 if a driver counts the group's packets in hardware"},
}}

// NexthopClass is the layout of nexthop messages: struct nhmsg followed by
// NHA_* attributes.
var NexthopClass = &engine.Class{
	Name:   "nhmsg",
	Struct: nhmsg,
	Attrs:  NexthopAttrs,
	Doc:    "nexthop object (RTM_NEWNEXTHOP, RTM_DELNEXTHOP, RTM_GETNEXTHOP, RTM_*NEXTHOPBUCKET)",
}

// NexthopEnums lists the enums of nexthop messages.
var NexthopEnums = []*engine.Enum{nexthopGroupTypes, nexthopOpFlags}
