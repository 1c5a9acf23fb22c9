package rtnl

import (
	"strconv"
	"strings"

	"nlsh/engine"
)

// Kind-specific TCA_OPTIONS formats of qdiscs, classes and filters, chosen by
// TCA_KIND. Kinds not listed here decode as Binary.

// tcNoAttrs is the empty option set of kinds that take no parameters but still
// send an empty TCA_OPTIONS nest (ingress, clsact).
var tcNoAttrs = &engine.AttrSet{Name: "tc_no_attrs", Prefix: ""}

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

var tcHtbAttrs = &engine.AttrSet{Name: "tc_htb_attrs", Prefix: "TCA_HTB_", Attrs: []*engine.AttrDesc{
	{Name: "TCA_HTB_PARMS", Type: 1, Kind: engine.Struct, Struct: tcHtbOpt, Doc: "class parameters"},
	{Name: "TCA_HTB_INIT", Type: 2, Kind: engine.Struct, Struct: tcHtbGlob, Doc: "qdisc parameters"},
	{Name: "TCA_HTB_CTAB", Type: 3, Kind: engine.Binary, Doc: "ceil rate table (256 u32)"},
	{Name: "TCA_HTB_RTAB", Type: 4, Kind: engine.Binary, Doc: "rate table (256 u32)"},
	attr("TCA_HTB_DIRECT_QLEN", 5, engine.U32),
	{Name: "TCA_HTB_RATE64", Type: 6, Kind: engine.U64, Doc: "rate in bytes/s when it exceeds 32 bits"},
	{Name: "TCA_HTB_CEIL64", Type: 7, Kind: engine.U64, Doc: "ceil in bytes/s when it exceeds 32 bits"},
	attr("TCA_HTB_PAD", 8, engine.Binary),
	{Name: "TCA_HTB_OFFLOAD", Type: 9, Kind: engine.Flag, Doc: "offload the hierarchy to hardware"},
}}

// TBF (pkt_sched.h).

var tcTbfQopt = engine.NewStruct("tc_tbf_qopt", tcFields(
	tcRatespec("rate"),
	tcRatespec("peakrate"),
	[]engine.Field{
		f("limit", engine.U32),
		f("buffer", engine.U32),
		f("mtu", engine.U32),
	})...)

var tcTbfAttrs = &engine.AttrSet{Name: "tc_tbf_attrs", Prefix: "TCA_TBF_", Attrs: []*engine.AttrDesc{
	strct("TCA_TBF_PARMS", 1, tcTbfQopt),
	{Name: "TCA_TBF_RTAB", Type: 2, Kind: engine.Binary, Doc: "rate table (256 u32)"},
	{Name: "TCA_TBF_PTAB", Type: 3, Kind: engine.Binary, Doc: "peak rate table (256 u32)"},
	{Name: "TCA_TBF_RATE64", Type: 4, Kind: engine.U64, Doc: "rate in bytes/s when it exceeds 32 bits"},
	{Name: "TCA_TBF_PRATE64", Type: 5, Kind: engine.U64, Doc: "peak rate in bytes/s when it exceeds 32 bits"},
	{Name: "TCA_TBF_BURST", Type: 6, Kind: engine.U32, Doc: "bucket size in bytes"},
	{Name: "TCA_TBF_PBURST", Type: 7, Kind: engine.U32, Doc: "peak bucket size in bytes"},
	attr("TCA_TBF_PAD", 8, engine.Binary),
}}

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

var tcPoliceAttrs = &engine.AttrSet{Name: "tc_police_attrs", Prefix: "TCA_POLICE_", Attrs: []*engine.AttrDesc{
	strct("TCA_POLICE_TBF", 1, tcPolice),
	{Name: "TCA_POLICE_RATE", Type: 2, Kind: engine.Binary, Doc: "rate table (256 u32)"},
	{Name: "TCA_POLICE_PEAKRATE", Type: 3, Kind: engine.Binary, Doc: "peak rate table (256 u32)"},
	{Name: "TCA_POLICE_AVRATE", Type: 4, Kind: engine.U32, Doc: "average rate limit in bytes/s"},
	{Name: "TCA_POLICE_RESULT", Type: 5, Kind: engine.U32, Enum: tcActions, Doc: "verdict when within the rate"},
	{Name: "TCA_POLICE_TM", Type: 6, Kind: engine.Struct, Struct: tcfT, Doc: "timestamps"},
	attr("TCA_POLICE_PAD", 7, engine.Binary),
	attr("TCA_POLICE_RATE64", 8, engine.U64),
	attr("TCA_POLICE_PEAKRATE64", 9, engine.U64),
	{Name: "TCA_POLICE_PKTRATE64", Type: 10, Kind: engine.U64, Doc: "packet rate limit in packets/s"},
	{Name: "TCA_POLICE_PKTBURST64", Type: 11, Kind: engine.U64, Doc: "packet burst"},
}}

// Actions (pkt_cls.h).

var tcActFlags = &engine.Enum{Name: "tca_act_flags", Flags: true, Values: []engine.EnumValue{
	ev("TCA_ACT_FLAGS_NO_PERCPU_STATS", 1<<0), ev("TCA_ACT_FLAGS_SKIP_HW", 1<<1), ev("TCA_ACT_FLAGS_SKIP_SW", 1<<2)}}

var tcActHwStats = &engine.Enum{Name: "tca_act_hw_stats", Flags: true, Values: []engine.EnumValue{
	ev("TCA_ACT_HW_STATS_IMMEDIATE", 1<<0), ev("TCA_ACT_HW_STATS_DELAYED", 1<<1)}}

// tcActAttrs is the TCA_ACT_* set of one action.
var tcActAttrs = &engine.AttrSet{Name: "tc_act_attrs", Prefix: "TCA_ACT_", Attrs: []*engine.AttrDesc{
	{Name: "TCA_ACT_KIND", Type: 1, Kind: engine.Asciiz, Doc: "action kind (\"gact\", \"mirred\", …)"},
	tcDoc(withDefault(sub("TCA_ACT_OPTIONS", 2, "TCA_ACT_KIND", map[string]*engine.AttrDesc{
		// tc flags the options of an action (the kernel reads them either way).
		"mirred": &engine.AttrDesc{Name: "TCA_ACT_OPTIONS", Type: 2, Kind: engine.Nested, Set: tcMirredAttrs, NestFlag: true},
	}), attr("TCA_ACT_OPTIONS", 2, engine.Binary)), "kind-specific parameters"),
	attr("TCA_ACT_INDEX", 3, engine.U32),
	nest("TCA_ACT_STATS", 4, tcStatsAttrs),
	attr("TCA_ACT_PAD", 5, engine.Binary),
	{Name: "TCA_ACT_COOKIE", Type: 6, Kind: engine.Binary, Doc: "user data, up to 16 bytes"},
	strct("TCA_ACT_FLAGS", 7, tcBitfield32(tcActFlags)),
	{Name: "TCA_ACT_HW_STATS", Type: 8, Kind: engine.Struct, Struct: tcBitfield32(tcActHwStats), Doc: "hardware statistics types allowed"},
	{Name: "TCA_ACT_USED_HW_STATS", Type: 9, Kind: engine.Struct, Struct: tcBitfield32(tcActHwStats), Doc: "hardware statistics types in use"},
	{Name: "TCA_ACT_IN_HW_COUNT", Type: 10, Kind: engine.U32, Doc: "number of devices the action is offloaded to"},
}}

// tcActList is a filter's action list: one TCA_ACT_* nest per action,
// numbered by its position (1..TCA_ACT_MAX_PRIO). C leaves the positions
// unnamed; pyroute2 calls them TCA_ACT_PRIO_1, … and so does nlsh.
var tcActList = func() *engine.AttrSet {
	s := &engine.AttrSet{Name: "tc_act_list", Prefix: "TCA_ACT_PRIO_"}
	for i := 1; i <= 32; i++ {
		s.Add(nest("TCA_ACT_PRIO_"+strconv.Itoa(i), uint16(i), tcActAttrs))
	}
	return s
}()

// Mirred (linux/tc_act/tc_mirred.h): mirror or redirect packets to a link.

// tcMirredEactions names tc_mirred's eaction.
var tcMirredEactions = &engine.Enum{Name: "tca_mirred_eaction", Values: []engine.EnumValue{
	ev("TCA_EGRESS_REDIR", 1), ev("TCA_EGRESS_MIRROR", 2), ev("TCA_INGRESS_REDIR", 3), ev("TCA_INGRESS_MIRROR", 4)}}

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

var tcMirredAttrs = &engine.AttrSet{Name: "tc_mirred_attrs", Prefix: "TCA_MIRRED_", Attrs: []*engine.AttrDesc{
	{Name: "TCA_MIRRED_TM", Type: 1, Kind: engine.Struct, Struct: tcfT, Doc: "timestamps"},
	strct("TCA_MIRRED_PARMS", 2, tcMirred),
	attr("TCA_MIRRED_PAD", 3, engine.Binary),
}}

// U32 classifier (pkt_cls.h).

var tcClsFlags = &engine.Enum{Name: "tca_cls_flags", Flags: true, Values: []engine.EnumValue{
	ev("TCA_CLS_FLAGS_SKIP_HW", 1<<0), ev("TCA_CLS_FLAGS_SKIP_SW", 1<<1), ev("TCA_CLS_FLAGS_IN_HW", 1<<2),
	ev("TCA_CLS_FLAGS_NOT_IN_HW", 1<<3), ev("TCA_CLS_FLAGS_VERBOSE", 1<<4)}}

var tcU32SelFlags = &engine.Enum{Name: "tc_u32_sel_flags", Flags: true, Values: []engine.EnumValue{
	ev("TC_U32_TERMINAL", 1), ev("TC_U32_OFFSET", 2), ev("TC_U32_VAROFFSET", 4), ev("TC_U32_EAT", 8)}}

// tcU32Handles names special u32 filter handles, and shows any other as tc
// writes it: hash table, bucket and node in hex ("800:", "800::800").
var tcU32Handles = &engine.Enum{Name: "tc_u32_handle", Values: []engine.EnumValue{
	ev("TC_U32_UNSPEC", 0), ev("TC_U32_ROOT", 0xFFF00000)},
	Other:      func(v uint64) (string, bool) { return U32HandleText(v), v <= 0xFFFFFFFF },
	ParseOther: ParseU32Handle,
}

// U32HandleText writes a u32 filter handle as tc does: the hash table's
// 12 bits, then the bucket's 8 and the node's 12 where not 0, in hex:
// "800:" is table 800, "800::800" its node 800, "800:1:2" node 2 in
// bucket 1 (the layout of TC_U32_HTID, TC_U32_HASH and TC_U32_NODE in
// pkt_cls.h). With no table it starts with the colon tc reads it by
// ("::800"), where tc would print ":800" and not read it back.
func U32HandleText(h uint64) string {
	htid, hash, node := h>>20&0xFFF, h>>12&0xFF, h&0xFFF
	s := ":"
	if htid != 0 {
		s = strconv.FormatUint(htid, 16) + ":"
	}
	if hash != 0 {
		s += strconv.FormatUint(hash, 16)
	}
	if node != 0 {
		s += ":" + strconv.FormatUint(node, 16)
	}
	return s
}

// ParseU32Handle reads a u32 handle as U32HandleText writes it, and as tc
// reads one: "800:", "800::800", "800:1:2", hex, empty parts 0.
func ParseU32Handle(s string) (uint64, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 || s == ":" || s == "::" {
		return 0, false
	}
	var v [3]uint64
	for i, p := range parts {
		if p == "" {
			continue
		}
		n, err := strconv.ParseUint(p, 16, 12)
		if err != nil || i == 1 && n > 0xFF {
			return 0, false
		}
		v[i] = n
	}
	return v[0]<<20 | v[1]<<12 | v[2], true
}

var tcU32Key = engine.NewStruct("tc_u32_key",
	inHex(f("mask", engine.BE32)),
	inHex(f("val", engine.BE32)),
	f("off", engine.S32),
	f("offmask", engine.S32),
)

var tcU32Sel = func() *engine.StructDesc {
	s := engine.NewStruct("tc_u32_sel",
		fe("flags", engine.U8, tcU32SelFlags),
		f("offshift", engine.U8),
		f("nkeys", engine.U8),
		pad("pad", 1),
		inHex(f("offmask", engine.BE16)),
		f("off", engine.U16),
		f("offoff", engine.S16),
		f("hoff", engine.S16),
		inHex(f("hmask", engine.BE32)),
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
	inHex(f("val", engine.U32)),
	inHex(f("mask", engine.U32)),
	f("success", engine.U32),
)

var tcU32Attrs = &engine.AttrSet{Name: "tc_u32_attrs", Prefix: "TCA_U32_", Attrs: []*engine.AttrDesc{
	{Name: "TCA_U32_CLASSID", Type: 1, Kind: engine.U32, Enum: tcHandles, Doc: "class handle of matching packets"},
	{Name: "TCA_U32_HASH", Type: 2, Kind: engine.U32, Enum: tcU32Handles, Doc: "handle of the hash table to insert into"},
	{Name: "TCA_U32_LINK", Type: 3, Kind: engine.U32, Enum: tcU32Handles, Doc: "handle of the hash table to continue in"},
	{Name: "TCA_U32_DIVISOR", Type: 4, Kind: engine.U32, Doc: "number of buckets of a new hash table"},
	strct("TCA_U32_SEL", 5, tcU32Sel),
	nest("TCA_U32_POLICE", 6, tcPoliceAttrs),
	{Name: "TCA_U32_ACT", Type: 7, Kind: engine.Nested, Set: tcActList, Doc: "actions: TCA_ACT_PRIO_1, … each a TCA_ACT_* set"},
	{Name: "TCA_U32_INDEV", Type: 8, Kind: engine.Asciiz, Doc: "match only packets from this device"},
	{Name: "TCA_U32_PCNT", Type: 9, Kind: engine.Struct, Struct: tcU32Pcnt, Doc: "hit counters"},
	{Name: "TCA_U32_MARK", Type: 10, Kind: engine.Struct, Struct: tcU32Mark, Doc: "match on the packet mark"},
	enumAttr("TCA_U32_FLAGS", 11, engine.U32, tcClsFlags),
	attr("TCA_U32_PAD", 12, engine.Binary),
}}
