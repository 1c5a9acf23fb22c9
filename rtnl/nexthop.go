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

var nexthopResGroupAttrs = engine.NewAttrSet("nexthop_res_group", "NHA_RES_GROUP_",
	attr("NHA_RES_GROUP_PAD", 0, engine.Binary),
	nhDoc(attr("NHA_RES_GROUP_BUCKETS", 1, engine.U16), "number of buckets"),
	nhDoc(attr("NHA_RES_GROUP_IDLE_TIMER", 2, engine.U32), "bucket idle timer, clock_t"),
	nhDoc(attr("NHA_RES_GROUP_UNBALANCED_TIMER", 3, engine.U32), "unbalanced timer, clock_t"),
	nhDoc(attr("NHA_RES_GROUP_UNBALANCED_TIME", 4, engine.U64), "time the group has been unbalanced, clock_t"),
)

var nexthopResBucketAttrs = engine.NewAttrSet("nexthop_res_bucket", "NHA_RES_BUCKET_",
	attr("NHA_RES_BUCKET_PAD", 0, engine.Binary),
	nhDoc(attr("NHA_RES_BUCKET_INDEX", 1, engine.U16), "bucket index"),
	nhDoc(attr("NHA_RES_BUCKET_IDLE_TIME", 2, engine.U64), "time the bucket has been idle, clock_t"),
	nhDoc(attr("NHA_RES_BUCKET_NH_ID", 3, engine.U32), "nexthop the bucket uses"),
)

// NexthopAttrs is the NHA_* attribute set of nexthop messages.
var NexthopAttrs = engine.NewAttrSet("nexthop", "NHA_",
	nhDoc(attr("NHA_ID", 1, engine.U32), "nexthop id; 0 in RTM_NEWNEXTHOP lets the kernel choose"),
	nhDoc(strct("NHA_GROUP", 2, nexthopGroup), "the group's members: {entries = {{id = 1, weight = 0}, …}}"),
	enumAttr("NHA_GROUP_TYPE", 3, engine.U16, nexthopGroupTypes),
	nhDoc(attr("NHA_BLACKHOLE", 4, engine.Flag), "drop the packets"),
	nhDoc(attr("NHA_OIF", 5, engine.U32), "output interface index; in a dump request, only nexthops using it"),
	attr("NHA_GATEWAY", 6, engine.IP),
	enumAttr("NHA_ENCAP_TYPE", 7, engine.U16, routeEncapTypes),
	nhDoc(sub("NHA_ENCAP", 8, "NHA_ENCAP_TYPE", encapFormats("NHA_ENCAP", 8)), "lightweight tunnel encapsulation, format chosen by NHA_ENCAP_TYPE"),
	nhDoc(attr("NHA_GROUPS", 9, engine.Flag), "in a dump request: only groups"),
	nhDoc(attr("NHA_MASTER", 10, engine.U32), "in a dump request: only nexthops whose device has this master"),
	nhDoc(attr("NHA_FDB", 11, engine.Flag), "the nexthop belongs to bridge FDB entries (in a dump request: only those)"),
	nhDoc(nestFlagged(nest("NHA_RES_GROUP", 12, nexthopResGroupAttrs)), "resilient group parameters"),
	nhDoc(nestFlagged(nest("NHA_RES_BUCKET", 13, nexthopResBucketAttrs)), "one bucket of a resilient group (bucket messages)"),
)

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
