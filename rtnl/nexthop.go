package rtnl

import "nlsh/engine"

// Nexthop objects: struct nhmsg and the NHA_* attributes of RTM_NEWNEXTHOP,
// RTM_DELNEXTHOP, RTM_GETNEXTHOP and the resilient groups' bucket messages
// (linux/nexthop.h). The kernel parses these messages strictly: every nest
// must carry NLA_F_NESTED, so the nests here say so.
//
// Kernels newer than the headers send attributes numbered past NHA_RES_BUCKET
// (statistics, operation flags); they decode by number.

// nexthopGroupTypes names NHA_GROUP_TYPE.
var nexthopGroupTypes = engine.NewEnum("nexthop_grp_type", engine.Seq(0,
	"NEXTHOP_GRP_TYPE_MPATH", "NEXTHOP_GRP_TYPE_RES")...)

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
var NexthopEnums = []*engine.Enum{nexthopGroupTypes}
