package rtnl

import (
	"strconv"

	"nlsh/engine"
)

// Kind-specific TCA_OPTIONS formats of qdiscs, classes and filters, chosen by
// TCA_KIND. Kinds not listed here decode as Binary.

// tcNoAttrs is the empty option set of kinds that take no parameters but still
// send an empty TCA_OPTIONS nest (ingress, clsact).
var tcNoAttrs = engine.NewAttrSet("tc_no_attrs", "")

var tcOptions = map[string]*engine.AttrDesc{
	"htb":             {Kind: engine.Nested, Set: tcHtbAttrs},
	"tbf":             {Kind: engine.Nested, Set: tcTbfAttrs},
	"pfifo":           {Kind: engine.Struct, Struct: tcFifoQopt},
	"bfifo":           {Kind: engine.Struct, Struct: tcFifoQopt},
	"pfifo_head_drop": {Kind: engine.Struct, Struct: tcFifoQopt},
	"pfifo_fast":      {Kind: engine.Struct, Struct: tcPrioQopt},
	"prio":            {Kind: engine.Struct, Struct: tcPrioQopt},
	"ingress":         {Kind: engine.Nested, Set: tcNoAttrs},
	"clsact":          {Kind: engine.Nested, Set: tcNoAttrs},
	"u32":             {Kind: engine.Nested, Set: tcU32Attrs},
}

// FIFO and PRIO (pkt_sched.h): TCA_OPTIONS is the bare struct.

var tcFifoQopt = engine.NewStruct("tc_fifo_qopt",
	engine.Field{Name: "limit", Kind: engine.U32, Doc: "packets for pfifo, bytes for bfifo"},
)

var tcPrioQopt = engine.NewStruct("tc_prio_qopt",
	f("bands", engine.S32),
	engine.Field{Name: "priomap", Kind: engine.Binary, Size: 16, Doc: "band of each of the 16 logical priorities"},
)

// HTB (pkt_sched.h).

var tcHtbOpt = engine.NewStruct("tc_htb_opt", tcFields(
	tcRatespec("rate"),
	tcRatespec("ceil"),
	[]engine.Field{
		f("buffer", engine.U32),
		f("cbuffer", engine.U32),
		f("quantum", engine.U32),
		f("level", engine.U32),
		f("prio", engine.U32),
	})...)

var tcHtbGlob = engine.NewStruct("tc_htb_glob",
	f("version", engine.U32),
	f("rate2quantum", engine.U32),
	engine.Field{Name: "defcls", Kind: engine.U32, Doc: "minor number of the default class"},
	f("debug", engine.U32),
	f("direct_pkts", engine.U32),
)

var tcHtbXstats = engine.NewStruct("tc_htb_xstats",
	f("lends", engine.U32),
	f("borrows", engine.U32),
	f("giants", engine.U32),
	f("tokens", engine.S32),
	f("ctokens", engine.S32),
)

var tcHtbAttrs = engine.NewAttrSet("tc_htb_attrs", "TCA_HTB_",
	tcDoc(strct("TCA_HTB_PARMS", 1, tcHtbOpt), "class parameters"),
	tcDoc(strct("TCA_HTB_INIT", 2, tcHtbGlob), "qdisc parameters"),
	tcDoc(attr("TCA_HTB_CTAB", 3, engine.Binary), "ceil rate table (256 u32)"),
	tcDoc(attr("TCA_HTB_RTAB", 4, engine.Binary), "rate table (256 u32)"),
	attr("TCA_HTB_DIRECT_QLEN", 5, engine.U32),
	tcDoc(attr("TCA_HTB_RATE64", 6, engine.U64), "rate in bytes/s when it exceeds 32 bits"),
	tcDoc(attr("TCA_HTB_CEIL64", 7, engine.U64), "ceil in bytes/s when it exceeds 32 bits"),
	attr("TCA_HTB_PAD", 8, engine.Binary),
	tcDoc(attr("TCA_HTB_OFFLOAD", 9, engine.Flag), "offload the hierarchy to hardware"),
)

// TBF (pkt_sched.h).

var tcTbfQopt = engine.NewStruct("tc_tbf_qopt", tcFields(
	tcRatespec("rate"),
	tcRatespec("peakrate"),
	[]engine.Field{
		f("limit", engine.U32),
		f("buffer", engine.U32),
		f("mtu", engine.U32),
	})...)

var tcTbfAttrs = engine.NewAttrSet("tc_tbf_attrs", "TCA_TBF_",
	strct("TCA_TBF_PARMS", 1, tcTbfQopt),
	tcDoc(attr("TCA_TBF_RTAB", 2, engine.Binary), "rate table (256 u32)"),
	tcDoc(attr("TCA_TBF_PTAB", 3, engine.Binary), "peak rate table (256 u32)"),
	tcDoc(attr("TCA_TBF_RATE64", 4, engine.U64), "rate in bytes/s when it exceeds 32 bits"),
	tcDoc(attr("TCA_TBF_PRATE64", 5, engine.U64), "peak rate in bytes/s when it exceeds 32 bits"),
	tcDoc(attr("TCA_TBF_BURST", 6, engine.U32), "bucket size in bytes"),
	tcDoc(attr("TCA_TBF_PBURST", 7, engine.U32), "peak bucket size in bytes"),
	attr("TCA_TBF_PAD", 8, engine.Binary),
)

// Policer (pkt_cls.h).

var tcPolice = engine.NewStruct("tc_police", tcFields(
	[]engine.Field{
		f("index", engine.U32),
		fe("action", engine.S32, tcActions),
		f("limit", engine.U32),
		f("burst", engine.U32),
		f("mtu", engine.U32),
	},
	tcRatespec("rate"),
	tcRatespec("peakrate"),
	[]engine.Field{
		f("refcnt", engine.S32),
		f("bindcnt", engine.S32),
		f("capab", engine.U32),
	})...)

// tcfT is struct tcf_t: action timestamps in jiffies.
var tcfT = engine.NewStruct("tcf_t",
	f("install", engine.U64),
	f("lastuse", engine.U64),
	f("expires", engine.U64),
	f("firstuse", engine.U64),
)

var tcPoliceAttrs = engine.NewAttrSet("tc_police_attrs", "TCA_POLICE_",
	strct("TCA_POLICE_TBF", 1, tcPolice),
	tcDoc(attr("TCA_POLICE_RATE", 2, engine.Binary), "rate table (256 u32)"),
	tcDoc(attr("TCA_POLICE_PEAKRATE", 3, engine.Binary), "peak rate table (256 u32)"),
	tcDoc(attr("TCA_POLICE_AVRATE", 4, engine.U32), "average rate limit in bytes/s"),
	tcDoc(enumAttr("TCA_POLICE_RESULT", 5, engine.U32, tcActions), "verdict when within the rate"),
	tcDoc(strct("TCA_POLICE_TM", 6, tcfT), "timestamps"),
	attr("TCA_POLICE_PAD", 7, engine.Binary),
	attr("TCA_POLICE_RATE64", 8, engine.U64),
	attr("TCA_POLICE_PEAKRATE64", 9, engine.U64),
	tcDoc(attr("TCA_POLICE_PKTRATE64", 10, engine.U64), "packet rate limit in packets/s"),
	tcDoc(attr("TCA_POLICE_PKTBURST64", 11, engine.U64), "packet burst"),
)

// Actions (pkt_cls.h).

var tcActFlags = engine.NewFlags("tca_act_flags",
	ev("TCA_ACT_FLAGS_NO_PERCPU_STATS", 1<<0), ev("TCA_ACT_FLAGS_SKIP_HW", 1<<1), ev("TCA_ACT_FLAGS_SKIP_SW", 1<<2))

var tcActHwStats = engine.NewFlags("tca_act_hw_stats",
	ev("TCA_ACT_HW_STATS_IMMEDIATE", 1<<0), ev("TCA_ACT_HW_STATS_DELAYED", 1<<1))

// tcActAttrs is the TCA_ACT_* set of one action.
var tcActAttrs = engine.NewAttrSet("tc_act_attrs", "TCA_ACT_",
	tcDoc(attr("TCA_ACT_KIND", 1, engine.Asciiz), "action kind (\"gact\", \"mirred\", …)"),
	tcDoc(withDefault(sub("TCA_ACT_OPTIONS", 2, "TCA_ACT_KIND", map[string]*engine.AttrDesc{
		// tc flags the options of an action (the kernel reads them either way).
		"mirred": nestFlagged(nest("TCA_ACT_OPTIONS", 2, tcMirredAttrs)),
	}), attr("TCA_ACT_OPTIONS", 2, engine.Binary)), "kind-specific parameters"),
	attr("TCA_ACT_INDEX", 3, engine.U32),
	nest("TCA_ACT_STATS", 4, tcStatsAttrs),
	attr("TCA_ACT_PAD", 5, engine.Binary),
	tcDoc(attr("TCA_ACT_COOKIE", 6, engine.Binary), "user data, up to 16 bytes"),
	strct("TCA_ACT_FLAGS", 7, tcBitfield32(tcActFlags)),
	tcDoc(strct("TCA_ACT_HW_STATS", 8, tcBitfield32(tcActHwStats)), "hardware statistics types allowed"),
	tcDoc(strct("TCA_ACT_USED_HW_STATS", 9, tcBitfield32(tcActHwStats)), "hardware statistics types in use"),
	tcDoc(attr("TCA_ACT_IN_HW_COUNT", 10, engine.U32), "number of devices the action is offloaded to"),
)

// tcActList is a filter's action list: one TCA_ACT_* nest per action,
// numbered by its position (1..TCA_ACT_MAX_PRIO). C leaves the positions
// unnamed; pyroute2 calls them TCA_ACT_PRIO_1, … and so does nlsh.
var tcActList = func() *engine.AttrSet {
	s := engine.NewAttrSet("tc_act_list", "TCA_ACT_PRIO_")
	for i := 1; i <= 32; i++ {
		s.Add(nest("TCA_ACT_PRIO_"+strconv.Itoa(i), uint16(i), tcActAttrs))
	}
	return s
}()

// Mirred (linux/tc_act/tc_mirred.h): mirror or redirect packets to a link.

// tcMirredEactions names tc_mirred's eaction.
var tcMirredEactions = engine.NewEnum("tca_mirred_eaction",
	ev("TCA_EGRESS_REDIR", 1), ev("TCA_EGRESS_MIRROR", 2), ev("TCA_INGRESS_REDIR", 3), ev("TCA_INGRESS_MIRROR", 4))

// tcMirred is struct tc_mirred: tc_gen, then what to do and where.
var tcMirred = engine.NewStruct("tc_mirred",
	f("index", engine.U32),
	f("capab", engine.U32),
	fe("action", engine.S32, tcActions),
	f("refcnt", engine.S32),
	f("bindcnt", engine.S32),
	fe("eaction", engine.S32, tcMirredEactions),
	engine.Field{Name: "ifindex", Kind: engine.U32, Doc: "the link packets go to"},
)

var tcMirredAttrs = engine.NewAttrSet("tc_mirred_attrs", "TCA_MIRRED_",
	tcDoc(strct("TCA_MIRRED_TM", 1, tcfT), "timestamps"),
	strct("TCA_MIRRED_PARMS", 2, tcMirred),
	attr("TCA_MIRRED_PAD", 3, engine.Binary),
)

// U32 classifier (pkt_cls.h).

var tcClsFlags = engine.NewFlags("tca_cls_flags",
	ev("TCA_CLS_FLAGS_SKIP_HW", 1<<0), ev("TCA_CLS_FLAGS_SKIP_SW", 1<<1), ev("TCA_CLS_FLAGS_IN_HW", 1<<2),
	ev("TCA_CLS_FLAGS_NOT_IN_HW", 1<<3), ev("TCA_CLS_FLAGS_VERBOSE", 1<<4))

var tcU32SelFlags = engine.NewFlags("tc_u32_sel_flags",
	ev("TC_U32_TERMINAL", 1), ev("TC_U32_OFFSET", 2), ev("TC_U32_VAROFFSET", 4), ev("TC_U32_EAT", 8))

// tcU32Handles names special u32 filter handles.
var tcU32Handles = engine.NewEnum("tc_u32_handle",
	ev("TC_U32_UNSPEC", 0), ev("TC_U32_ROOT", 0xFFF00000))

var tcU32Key = engine.NewStruct("tc_u32_key",
	f("mask", engine.BE32),
	f("val", engine.BE32),
	f("off", engine.S32),
	f("offmask", engine.S32),
)

var tcU32Sel = func() *engine.StructDesc {
	s := engine.NewStruct("tc_u32_sel",
		fe("flags", engine.U8, tcU32SelFlags),
		f("offshift", engine.U8),
		f("nkeys", engine.U8),
		pad("pad", 1),
		f("offmask", engine.BE16),
		f("off", engine.U16),
		f("offoff", engine.S16),
		f("hoff", engine.S16),
		f("hmask", engine.BE32),
	)
	s.Flex, s.FlexName = tcU32Key, "keys"
	return s
}()

// tcU32PcntKey is one element of tc_u32_pcnt's kcnts[]: not a C struct, the
// array is of bare __u64.
var tcU32PcntKey = engine.NewStruct("tc_u32_pcnt_key",
	engine.Field{Name: "kcnt", Kind: engine.U64, Doc: "hits of this key"},
)

var tcU32Pcnt = func() *engine.StructDesc {
	s := engine.NewStruct("tc_u32_pcnt",
		engine.Field{Name: "rcnt", Kind: engine.U64, Doc: "packets looked up"},
		engine.Field{Name: "rhit", Kind: engine.U64, Doc: "packets matched"},
	)
	s.Flex, s.FlexName = tcU32PcntKey, "kcnts"
	return s
}()

var tcU32Mark = engine.NewStruct("tc_u32_mark",
	f("val", engine.U32),
	f("mask", engine.U32),
	f("success", engine.U32),
)

var tcU32Attrs = engine.NewAttrSet("tc_u32_attrs", "TCA_U32_",
	tcDoc(attr("TCA_U32_CLASSID", 1, engine.U32), "class handle of matching packets"),
	tcDoc(attr("TCA_U32_HASH", 2, engine.U32), "handle of the hash table to insert into"),
	tcDoc(attr("TCA_U32_LINK", 3, engine.U32), "handle of the hash table to continue in"),
	tcDoc(attr("TCA_U32_DIVISOR", 4, engine.U32), "number of buckets of a new hash table"),
	strct("TCA_U32_SEL", 5, tcU32Sel),
	nest("TCA_U32_POLICE", 6, tcPoliceAttrs),
	tcDoc(nest("TCA_U32_ACT", 7, tcActList), "actions: TCA_ACT_PRIO_1, … each a TCA_ACT_* set"),
	tcDoc(attr("TCA_U32_INDEV", 8, engine.Asciiz), "match only packets from this device"),
	tcDoc(strct("TCA_U32_PCNT", 9, tcU32Pcnt), "hit counters"),
	tcDoc(strct("TCA_U32_MARK", 10, tcU32Mark), "match on the packet mark"),
	enumAttr("TCA_U32_FLAGS", 11, engine.U32, tcClsFlags),
	attr("TCA_U32_PAD", 12, engine.Binary),
)
