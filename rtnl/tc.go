package rtnl

import (
	"strconv"
	"strings"

	"nlsh/engine"
)

// Traffic control: qdiscs, classes, filters and filter chains
// (RTM_*QDISC, RTM_*TCLASS, RTM_*TFILTER, RTM_*CHAIN) all carry a tcmsg
// followed by TCA_* attributes (linux/rtnetlink.h, pkt_sched.h, pkt_cls.h,
// gen_stats.h). The per-kind TCA_OPTIONS formats live in tc_kinds.go.

// tcHandles names the special u32 handles of tcm_parent (TC_H_*), and shows
// any other handle as tc writes it, major:minor in hex ("1:", "1:10").
// TC_H_CLSACT is the same number as TC_H_INGRESS.
var tcHandles = &engine.Enum{Name: "tc_handle", Values: []engine.EnumValue{
	ev("TC_H_UNSPEC", 0), ev("TC_H_ROOT", 0xFFFFFFFF), ev("TC_H_INGRESS", 0xFFFFFFF1),
	ev("TC_H_CLSACT", 0xFFFFFFF1)},
	Other:      func(v uint64) (string, bool) { return TCHandleText(v), v <= 0xFFFFFFFF },
	ParseOther: ParseTCHandle,
}

// TCHandleText writes a tc handle as tc does: the major and minor numbers
// in hex, "1:" when the minor is 0 (a qdisc's handle), ":10" when the major
// is.
func TCHandleText(h uint64) string {
	maj, min := h>>16, h&0xFFFF
	switch {
	case min == 0:
		return strconv.FormatUint(maj, 16) + ":"
	case maj == 0:
		return ":" + strconv.FormatUint(min, 16)
	}
	return strconv.FormatUint(maj, 16) + ":" + strconv.FormatUint(min, 16)
}

// ParseTCHandle reads a handle written as tc writes it: "1:", "1:10",
// ":10", hex on both sides of the colon.
func ParseTCHandle(s string) (uint64, bool) {
	maj, min, colon := strings.Cut(s, ":")
	if !colon {
		return 0, false
	}
	a, okA := hex16(maj)
	b, okB := hex16(min)
	return a<<16 | b, okA && okB && (maj != "" || min != "")
}

// hex16 reads one side of a handle: up to 16 bits in hex, empty for 0.
func hex16(s string) (uint64, bool) {
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseUint(s, 16, 16)
	return n, err == nil
}

// tcHandleMinors are the minor numbers that pick a clsact/ingress hook, and the
// masks that split a handle into major:minor.
var tcHandleMinors = &engine.Enum{Name: "tc_handle_minor", Values: []engine.EnumValue{
	ev("TC_H_MIN_PRIORITY", 0xFFE0), ev("TC_H_MIN_INGRESS", 0xFFF2), ev("TC_H_MIN_EGRESS", 0xFFF3)}}

var tcHandleMasks = &engine.Enum{Name: "tc_handle_mask", Values: []engine.EnumValue{
	ev("TC_H_MAJ_MASK", 0xFFFF0000), ev("TC_H_MIN_MASK", 0x0000FFFF)}}

// tcBlock names the tcm_ifindex value that addresses a shared filter block
// (tcm_parent then holds the block index).
var tcBlock = &engine.Enum{Name: "tcm_ifindex_magic", Values: []engine.EnumValue{
	ev("TCM_IFINDEX_MAGIC_BLOCK", 0xFFFFFFFF)}}

// tcLinkLayers is enum tc_link_layer, stored in the low 4 bits of a ratespec's
// linklayer byte.
var tcLinkLayers = engine.NewEnum("tc_link_layer",
	engine.Seq(0, "TC_LINKLAYER_UNAWARE", "TC_LINKLAYER_ETHERNET", "TC_LINKLAYER_ATM")...)

// tcDumpFlags are the TCA_DUMP_FLAGS bits.
var tcDumpFlags = &engine.Enum{Name: "tca_dump_flags", Flags: true, Values: []engine.EnumValue{ev("TCA_DUMP_FLAGS_TERSE", 1<<0)}}

// tcActions are the TC_ACT_* verdicts of actions and policers. TC_ACT_UNSPEC
// (-1) is left out: enum values are unsigned. TC_ACT_JUMP and
// TC_ACT_GOTO_CHAIN carry an operand in the low 28 bits.
var tcActions = &engine.Enum{Name: "tc_act", Values: []engine.EnumValue{
	ev("TC_ACT_OK", 0), ev("TC_ACT_RECLASSIFY", 1), ev("TC_ACT_SHOT", 2), ev("TC_ACT_PIPE", 3),
	ev("TC_ACT_STOLEN", 4), ev("TC_ACT_QUEUED", 5), ev("TC_ACT_REPEAT", 6), ev("TC_ACT_REDIRECT", 7),
	ev("TC_ACT_TRAP", 8), ev("TC_ACT_JUMP", 1<<28), ev("TC_ACT_GOTO_CHAIN", 2<<28)}}

// tcRatespec returns the fields of a struct tc_ratespec embedded in another
// struct, named prefix_member.
func tcRatespec(prefix string) []engine.Field {
	return []engine.Field{
		f(prefix+"_cell_log", engine.U8),
		fe(prefix+"_linklayer", engine.U8, tcLinkLayers),
		f(prefix+"_overhead", engine.U16),
		f(prefix+"_cell_align", engine.S16),
		f(prefix+"_mpu", engine.U16),
		f(prefix+"_rate", engine.U32),
	}
}

// tcFields concatenates field lists, for structs that embed a tc_ratespec.
func tcFields(parts ...[]engine.Field) []engine.Field {
	var fs []engine.Field
	for _, p := range parts {
		fs = append(fs, p...)
	}
	return fs
}

// tcDoc attaches a one-line description to an attribute.
func tcDoc(a *engine.AttrDesc, doc string) *engine.AttrDesc {
	a.Doc = doc
	return a
}

// tcmsgStruct is struct tcmsg with pyroute2's key names.
var tcmsgStruct = engine.NewStruct("tcmsg",
	c("tcm_family", fe("family", engine.U8, Families)),
	pad("pad1", 1),
	pad("pad2", 2),
	c("tcm_ifindex", f("index", engine.S32)),
	// No names for tcm_handle: in a filter message it is the classifier's
	// own (a u32 filter's htid:hash:node), not a major:minor handle.
	c("tcm_handle", f("handle", engine.U32)),
	c("tcm_parent", fe("parent", engine.U32, tcHandles)),
	// A qdisc's reply holds its reference count here, a class's 0; filter
	// messages read it as tcmsgFilter says.
	c("tcm_info", engine.Field{Name: "info", Kind: engine.U32, Doc: "a qdisc's reference count (replies); a filter's priority and protocol"}),
)

// nla_bitfield32 (linux/netlink.h): value bits, and which bits to change.
// One descriptor per meaning so the bits get names.
func tcBitfield32(e *engine.Enum) *engine.StructDesc {
	return engine.NewStruct("nla_bitfield32", fe("value", engine.U32, e), fe("selector", engine.U32, e))
}

// tcStats is struct tc_stats, the legacy TCA_STATS block (4 bytes of tail
// padding on 64-bit).
var tcStats = engine.NewStruct("tc_stats",
	f("bytes", engine.U64),
	f("packets", engine.U32),
	f("drops", engine.U32),
	f("overlimits", engine.U32),
	f("bps", engine.U32),
	f("pps", engine.U32),
	f("qlen", engine.U32),
	f("backlog", engine.U32),
	pad("pad", 4),
)

var tcEstimator = engine.NewStruct("tc_estimator",
	f("interval", engine.S8),
	f("ewma_log", engine.U8),
)

// gnet_stats_basic is not packed in the uapi header: a __u64 then a __u32,
// so sizeof is 16 with 4 bytes of tail padding, and the kernel copies all 16
// bytes (TCA_STATS_BASIC, TCA_STATS_BASIC_HW).
var tcStatsBasic = engine.NewStruct("gnet_stats_basic",
	f("bytes", engine.U64),
	f("packets", engine.U32),
	pad("pad", 4),
)

var tcStatsRateEst = engine.NewStruct("gnet_stats_rate_est",
	f("bps", engine.U32),
	f("pps", engine.U32),
)

var tcStatsRateEst64 = engine.NewStruct("gnet_stats_rate_est64",
	f("bps", engine.U64),
	f("pps", engine.U64),
)

var tcStatsQueue = engine.NewStruct("gnet_stats_queue",
	f("qlen", engine.U32),
	f("backlog", engine.U32),
	f("drops", engine.U32),
	f("requeues", engine.U32),
	f("overlimits", engine.U32),
)

// tcSizespec is struct tc_sizespec, the base of a size table (TCA_STAB).
var tcSizespec = engine.NewStruct("tc_sizespec",
	f("cell_log", engine.U8),
	f("size_log", engine.U8),
	f("cell_align", engine.S16),
	f("overhead", engine.S32),
	fe("linklayer", engine.U32, tcLinkLayers),
	f("mpu", engine.U32),
	f("mtu", engine.U32),
	f("tsize", engine.U32),
)

// tcStabAttrs is the TCA_STAB_* set of a qdisc size table.
var tcStabAttrs = &engine.AttrSet{Name: "tc_stab_attrs", Prefix: "TCA_STAB_", Attrs: []*engine.AttrDesc{
	strct("TCA_STAB_BASE", 1, tcSizespec),
	{Name: "TCA_STAB_DATA", Type: 2, Kind: engine.Array, Elem: engine.U16, Doc: "size table, tsize entries"},
}}

// tcAppStats is the kind-specific statistics block of TCA_XSTATS and
// TCA_STATS_APP, chosen by the top-level TCA_KIND.
func tcAppStats() map[string]*engine.AttrDesc {
	return map[string]*engine.AttrDesc{
		"htb": {Kind: engine.Struct, Struct: tcHtbXstats},
	}
}

// tcStatsAttrs is the TCA_STATS_* set of TCA_STATS2 and TCA_ACT_STATS.
var tcStatsAttrs = &engine.AttrSet{Name: "tc_stats_attrs", Prefix: "TCA_STATS_", Attrs: []*engine.AttrDesc{
	strct("TCA_STATS_BASIC", 1, tcStatsBasic),
	strct("TCA_STATS_RATE_EST", 2, tcStatsRateEst),
	strct("TCA_STATS_QUEUE", 3, tcStatsQueue),
	tcDoc(sub("TCA_STATS_APP", 4, "TCA_KIND", tcAppStats()), "kind-specific statistics"),
	strct("TCA_STATS_RATE_EST64", 5, tcStatsRateEst64),
	attr("TCA_STATS_PAD", 6, engine.Binary),
	{Name: "TCA_STATS_BASIC_HW", Type: 7, Kind: engine.Struct, Struct: tcStatsBasic, Doc: "the part of TCA_STATS_BASIC counted in hardware"},
	{Name: "TCA_STATS_PKT64", Type: 8, Kind: engine.U64, Doc: "packet count when it exceeds 32 bits"},
}}

// TcAttrs is the TCA_* attribute set of tcmsg.
var TcAttrs = &engine.AttrSet{Name: "tc_attrs", Prefix: "TCA_", Attrs: []*engine.AttrDesc{
	{Name: "TCA_KIND", Type: 1, Kind: engine.Asciiz, Doc: "qdisc, class or filter kind (\"htb\", \"u32\", …)"},
	tcDoc(sub("TCA_OPTIONS", 2, "TCA_KIND", tcOptions), "kind-specific parameters"),
	{Name: "TCA_STATS", Type: 3, Kind: engine.Struct, Struct: tcStats, Doc: "legacy statistics; see TCA_STATS2"},
	tcDoc(sub("TCA_XSTATS", 4, "TCA_KIND", tcAppStats()), "legacy copy of TCA_STATS_APP"),
	{Name: "TCA_RATE", Type: 5, Kind: engine.Struct, Struct: tcEstimator, Doc: "rate estimator configuration"},
	attr("TCA_FCNT", 6, engine.U32),
	nest("TCA_STATS2", 7, tcStatsAttrs),
	{Name: "TCA_STAB", Type: 8, Kind: engine.Nested, Set: tcStabAttrs, Doc: "packet size table"},
	attr("TCA_PAD", 9, engine.Binary),
	{Name: "TCA_DUMP_INVISIBLE", Type: 10, Kind: engine.Flag, Doc: "request: also dump qdiscs hidden from the default dump"},
	{Name: "TCA_CHAIN", Type: 11, Kind: engine.U32, Doc: "filter chain index"},
	{Name: "TCA_HW_OFFLOAD", Type: 12, Kind: engine.U8, Doc: "1 when offloaded to hardware"},
	{Name: "TCA_INGRESS_BLOCK", Type: 13, Kind: engine.U32, Doc: "shared filter block index of the ingress hook"},
	{Name: "TCA_EGRESS_BLOCK", Type: 14, Kind: engine.U32, Doc: "shared filter block index of the egress hook"},
	{Name: "TCA_DUMP_FLAGS", Type: 15, Kind: engine.Struct, Struct: tcBitfield32(tcDumpFlags), Doc: "dump request flags (TCA_DUMP_FLAGS_*)"},
	{Name: "TCA_EXT_WARN_MSG", Type: 16, Kind: engine.Asciiz, Doc: "warning from the kernel about the object"},
}}

// TcClass is the layout of qdisc, class, filter and chain messages.
var TcClass = &engine.Class{
	Name:   "tcmsg",
	Struct: tcmsgStruct,
	Attrs:  TcAttrs,
	Doc:    "traffic control object: qdisc, class, filter or chain",
	Brief:  []string{"index", "TCA_KIND", "handle", "parent"},
}

// tcmsgFilter is tcmsg as filter messages (RTM_*TFILTER) read it: the
// same bytes, but tcm_info holds the filter's priority and protocol
// (TC_H_MAKE(prio << 16, protocol), in tc and in the kernel's
// tcf_fill_node), where a qdisc's reply holds a reference count.
var tcmsgFilter = func() *engine.StructDesc {
	s, err := tcmsgStruct.WithEnum("info", tcFilterInfo)
	if err != nil {
		panic(err)
	}
	return s
}()

// tcFilterInfo shows a filter's tcm_info in tc's words for it: "prio 5
// protocol ip". 0, a dump request's "any", has none. Only shown: a
// message's fields are numbers to scripts.
var tcFilterInfo = &engine.Enum{Name: "tc_filter_info",
	Other: func(v uint64) (string, bool) {
		if v == 0 || v > 0xFFFFFFFF {
			return "", false
		}
		prio, proto := SplitTCFilterInfo(v)
		return "prio " + strconv.FormatUint(prio, 10) + " protocol " + TCProtocolText(proto), true
	},
}

// TCFilterInfo is a filter's tcm_info: its priority in the high 16 bits,
// its protocol (an ETH_P_* number) in the low 16 in network byte order;
// SplitTCFilterInfo reads the two back.
func TCFilterInfo(prio, proto uint64) uint64 { return prio<<16 | htons16(proto) }

func SplitTCFilterInfo(info uint64) (prio, proto uint64) {
	return info >> 16 & 0xFFFF, htons16(info & 0xFFFF)
}

// tcProtocols are the words tc and ip.tc use for a filter's protocol, by
// ETH_P_* number (linux/if_ether.h); the first word for a number is the
// one shown.
var tcProtocols = []engine.EnumValue{
	ev("all", 0x0003), ev("ip", 0x0800), ev("arp", 0x0806), ev("ipv6", 0x86DD),
	ev("802.1q", 0x8100), ev("vlan", 0x8100), ev("802.1ad", 0x88A8), ev("mpls_uc", 0x8847),
}

// TCProtocolText writes an ETH_P_* number as tc does: its word, else hex.
func TCProtocolText(n uint64) string {
	for _, p := range tcProtocols {
		if p.Value == n {
			return p.Name
		}
	}
	return "0x" + strconv.FormatUint(n, 16)
}

// ParseTCProtocol reads a filter protocol's word ("ip", "all", …).
func ParseTCProtocol(s string) (uint64, bool) {
	for _, p := range tcProtocols {
		if p.Name == s {
			return p.Value, true
		}
	}
	return 0, false
}

// TCProtocolWords lists the words ParseTCProtocol reads, for errors.
func TCProtocolWords() []string {
	var ws []string
	for _, p := range tcProtocols {
		ws = append(ws, p.Name)
	}
	return ws
}

// htons16 swaps the bytes of a 16-bit number: tcm_info's protocol is in
// network byte order.
func htons16(n uint64) uint64 { return (n&0xFF)<<8 | (n>>8)&0xFF }

// TcEnums are the traffic control value names exported to scripts.
var TcEnums = []*engine.Enum{
	tcHandles, tcHandleMinors, tcHandleMasks, tcBlock, tcLinkLayers, tcDumpFlags, tcActions,
	tcU32SelFlags, tcU32Handles, tcClsFlags, tcActFlags, tcActHwStats, tcMirredEactions,
}
