package ynl

import (
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
	"nlsh/rtnl"
)

// comparer walks a spec's attribute sets beside rtnl's, matching
// attributes by number, and notes where they disagree.
type comparer struct {
	diffs    map[string]bool // "path: what"
	onlyRtnl int             // attributes rtnl knows and the spec does not
	matched  int
	seen     map[[2]*engine.AttrSet]bool
}

// kindOf is how an attribute is compared: its kind, with the details
// that must agree.
func kindOf(d *engine.AttrDesc) string {
	switch d.Kind {
	case engine.Pad:
		return "binary" // rtnl describes pads as bytes, which is how pads decode
	case engine.Struct:
		return fmt.Sprintf("struct(%d)", d.Struct.Size)
	case engine.Array:
		return "array(" + d.Elem.String() + ")"
	case engine.Embedded, engine.Records:
		return d.Kind.String()
	}
	return d.Kind.String()
}

func (c *comparer) sets(path string, spec, ours *engine.AttrSet) {
	if spec == nil || ours == nil || c.seen[[2]*engine.AttrSet{spec, ours}] {
		return
	}
	c.seen[[2]*engine.AttrSet{spec, ours}] = true
	if spec.Indexed != nil || ours.Indexed != nil {
		if spec.Indexed != nil && ours.Indexed != nil {
			c.attr(path+" #", spec.Indexed, ours.Indexed)
		} else {
			c.diffs[path+": array set in one, attributes in the other"] = true
		}
		return
	}
	for _, a := range spec.Attrs {
		o := ours.ByType(a.Type)
		if o == nil {
			c.diffs[fmt.Sprintf("%s %d (%s): only in the spec", path, a.Type, a.CName)] = true
			continue
		}
		c.attr(path+" "+o.Name, a, o)
	}
	for _, o := range ours.Attrs {
		if spec.ByType(o.Type) == nil {
			c.onlyRtnl++
		}
	}
}

func (c *comparer) attr(path string, a, o *engine.AttrDesc) {
	c.matched++
	if ka, ko := kindOf(a), kindOf(o); ka != ko {
		c.diffs[fmt.Sprintf("%s: spec %s, rtnl %s", path, ka, ko)] = true
		// rtnl may choose by the message (a sub-message) where the spec
		// has one layout: compare that with rtnl's usual one.
		if o.Kind == engine.SubMsg && o.Sub.Default != nil && kindOf(o.Sub.Default) == ka {
			c.attr(path+"[default]", a, o.Sub.Default)
		}
		return
	}
	switch a.Kind {
	case engine.Nested:
		c.sets(path, a.Set, o.Set)
	case engine.SubMsg:
		keys := make([]string, 0, len(a.Sub.Formats))
		for k := range a.Sub.Formats {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if of := o.Sub.Formats[k]; of != nil {
				c.attr(path+"["+k+"]", a.Sub.Formats[k], of)
			}
		}
	case engine.Embedded:
		c.sets(path, a.Record.Attrs, o.Record.Attrs)
	}
}

// rtnlDifferences are the known disagreements between the installed
// specs (linux-doc 6.12) and rtnl's descriptions, each with its reason.
// rtnl follows the kernel's code and uAPI headers; the specs simplify
// in places or are wrong.
var rtnlDifferences = map[string]string{
	// Spec bugs: the kernel sends these otherwise.
	"ifinfomsg IFLA_PROTINFO: spec asciiz, rtnl sub-message":                                         "spec bug: a nest (IFLA_BRPORT_* or IFLA_INET6_* by family), not a string",
	"ifinfomsg IFLA_PROTO_DOWN_REASON: spec asciiz, rtnl nested":                                     "spec bug: a nest of IFLA_PROTO_DOWN_REASON_MASK/VALUE, not a string",
	"ifinfomsg IFLA_COST: spec asciiz, rtnl binary":                                                  "spec bug: unused by the kernel, no string",
	"ifinfomsg IFLA_PRIORITY: spec asciiz, rtnl binary":                                              "spec bug: unused by the kernel, no string",
	"ifinfomsg IFLA_WIRELESS: spec asciiz, rtnl binary":                                              "spec bug: wireless events are binary",
	"ifinfomsg IFLA_MAP: spec struct(28), rtnl struct(32)":                                           "spec bug: rtnl_link_ifmap's tail padding is missing (the kernel sends 32 bytes)",
	"ifinfomsg IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_IB_NODE_GUID: spec struct(12), rtnl struct(16)": "spec bug: ifla_vf_guid's padding before the u64 is missing",
	"ifinfomsg IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_IB_PORT_GUID: spec struct(12), rtnl struct(16)": "spec bug: ifla_vf_guid's padding before the u64 is missing",
	"ifinfomsg IFLA_LINKINFO IFLA_INFO_DATA[bridge] IFLA_BR_VLAN_PROTOCOL: spec u16, rtnl be16":      "spec bug: sent with nla_put_be16; byte-order is missing",
	"ifinfomsg IFLA_LINKINFO IFLA_INFO_DATA[geneve] IFLA_GENEVE_LABEL: spec u32, rtnl be32":          "spec bug: a flow label, sent big-endian; byte-order is missing",
	"ifinfomsg IFLA_LINKINFO IFLA_INFO_DATA[geneve] IFLA_GENEVE_PORT: spec u16, rtnl be16":           "spec bug: a UDP port, sent big-endian; byte-order is missing",
	"ifinfomsg IFLA_LINKINFO IFLA_INFO_SLAVE_DATA[bond] IFLA_BOND_SLAVE_PRIO: spec u32, rtnl s32":    "spec bug: sent with nla_put_s32",
	"rtmsg RTA_DPORT: spec u16, rtnl be16":                                                           "spec bug: a port, sent big-endian; byte-order is missing",
	"rtmsg RTA_SPORT: spec u16, rtnl be16":                                                           "spec bug: a port, sent big-endian; byte-order is missing",
	"rtmsg RTA_EXPIRES: spec u32, rtnl u64":                                                          "spec bug: multicast routes send a u64 (nla_put_u64_64bit)",
	"rtmsg RTA_CACHEINFO: spec struct(20), rtnl struct(32)":                                          "spec bug: lists 5 of rta_cacheinfo's 8 members",
	"tcmsg TCA_STATS: spec struct(36), rtnl struct(40)":                                              "spec bug: tc_stats' tail padding is missing",
	"tcmsg TCA_STATS2 TCA_STATS_BASIC: spec struct(12), rtnl struct(16)":                             "spec bug: gnet_stats_basic's tail padding is missing",
	"tcmsg TCA_STATS2 TCA_STATS_BASIC_HW: spec struct(12), rtnl struct(16)":                          "spec bug: gnet_stats_basic's tail padding is missing",
	"tcmsg TCA_OPTIONS[htb] TCA_HTB_PARMS: spec struct(38), rtnl struct(44)":                         "spec bug: tc-ratespec is 9 bytes (overhead, cell-align, mpu as u8); struct tc_ratespec is 12",
	"tcmsg TCA_OPTIONS[tbf] TCA_TBF_PARMS: spec struct(30), rtnl struct(36)":                         "spec bug: tc-ratespec is 9 bytes; struct tc_ratespec is 12",
	"tcmsg TCA_OPTIONS[u32] TCA_U32_POLICE TCA_POLICE_TBF: spec struct(50), rtnl struct(56)":         "spec bug: tc-ratespec is 9 bytes; struct tc_ratespec is 12",
	"tcmsg TCA_OPTIONS[u32] TCA_U32_SEL: spec struct(31), rtnl struct(16)":                           "spec bug: tc_u32_sel's padding after nkeys is missing, and its keys are one struct, not a flexible array",
	"tcmsg TCA_OPTIONS[u32] TCA_U32_PCNT: spec struct(24), rtnl struct(16)":                          "spec bug: kcnts is one u64 in the spec, a flexible array in C",

	// The spec is less precise than rtnl (rtnl follows the kernel's code).
	"ifaddrmsg IFA_ANYCAST: spec binary, rtnl ip":                                                          "spec has no display-hint: an address shown as bytes",
	"ifaddrmsg IFA_MULTICAST: spec binary, rtnl ip":                                                        "spec has no display-hint: an address shown as bytes",
	"ifaddrmsg IFA_TARGET_NETNSID: spec binary, rtnl s32":                                                  "spec says binary; the kernel sends an s32",
	"ifinfomsg IFLA_DEVLINK_PORT: spec binary, rtnl nested":                                                "spec says binary; the kernel nests devlink's port handle (DEVLINK_ATTR_*)",
	"ifinfomsg IFLA_LINKINFO IFLA_INFO_DATA[bridge] IFLA_BR_FDB_FLUSH: spec binary, rtnl flag":             "spec says binary; the kernel's policy takes a flag",
	"ifinfomsg IFLA_LINKINFO IFLA_INFO_DATA[bridge] IFLA_BR_MCAST_QUERIER_STATE: spec binary, rtnl nested": "spec says binary; the kernel sends a nest",
	"ifinfomsg IFLA_LINKINFO IFLA_INFO_DATA[geneve] IFLA_GENEVE_REMOTE: spec ip, rtnl ipv4":                "a binary shown as ipv4 of no fixed size loads as an address of either family; geneve's is IPv4 (remote6 is IPv6)",
	"ifinfomsg IFLA_VFINFO_LIST IFLA_VF_INFO IFLA_VF_BROADCAST: spec binary, rtnl struct(32)":              "the same 32 bytes; rtnl names the struct ifla_vf_broadcast",
	"rtmsg RTA_ENCAP: spec binary, rtnl sub-message":                                                       "rtnl decodes the encapsulation chosen by RTA_ENCAP_TYPE",
	"rtmsg RTA_MFC_STATS: spec binary, rtnl struct(24)":                                                    "rtnl describes struct rta_mfc_stats",
	"rtmsg RTA_MP_ALGO: spec binary, rtnl u32":                                                             "rtnl describes the (obsolete) u32",
	"rtmsg RTA_MULTIPATH: spec binary, rtnl records":                                                       "rtnl decodes the rtnexthop records, which YNL cannot describe",
	"rtmsg RTA_NEWDST: spec binary, rtnl array(be32)":                                                      "rtnl decodes the MPLS label stack",
	"rtmsg RTA_SESSION: spec binary, rtnl struct(8)":                                                       "rtnl describes struct rta_session",
	"tcmsg TCA_STAB TCA_STAB_DATA: spec binary, rtnl array(u16)":                                           "rtnl decodes the size table",
	"tcmsg TCA_OPTIONS[clsact]: spec binary, rtnl nested":                                                  "an empty payload either way; rtnl calls it an empty nest",
	"tcmsg TCA_OPTIONS[ingress]: spec binary, rtnl nested":                                                 "an empty payload either way; rtnl calls it an empty nest",

	// rtnl is less precise than the spec.
	"ifinfomsg IFLA_LINKINFO IFLA_INFO_DATA[bond] IFLA_BOND_ARP_IP_TARGET: spec nested, rtnl binary": "rtnl keeps the array of targets as bytes",
	"ifinfomsg IFLA_LINKINFO IFLA_INFO_DATA[bond] IFLA_BOND_NS_IP6_TARGET: spec nested, rtnl binary": "rtnl keeps the array of targets as bytes",

	// Deliberate: the spec names the counters of an array as struct
	// members; rtnl keeps the array, which grows with the kernel.
	"ifinfomsg IFLA_AF_SPEC[default] AF_INET IFLA_INET_CONF: spec struct(132), rtnl array(u32)":        "IPv4 devconf values as a struct",
	"ifinfomsg IFLA_AF_SPEC[default] AF_INET6 IFLA_INET6_STATS: spec struct(288), rtnl array(u64)":     "IPv6 statistics as a struct",
	"ifinfomsg IFLA_AF_SPEC[default] AF_INET6 IFLA_INET6_ICMP6STATS: spec struct(48), rtnl array(u64)": "ICMPv6 statistics as a struct",
	"ifinfomsg IFLA_AF_SPEC[default] AF_INET6 IFLA_INET6_CONF: spec struct(229), rtnl array(s32)":      "spec bug besides: addr-gen-mode is a u8 among s32s, so the struct is 229 bytes",
	"ifinfomsg IFLA_AF_SPEC[default] AF_INET6 IFLA_INET6_TOKEN: spec binary, rtnl ipv6":                "spec has no display-hint: an address shown as bytes",

	// Deliberate: the spec's indexed array of actions is a set of
	// positions in rtnl, named as pyroute2 names them.
	"tcmsg TCA_OPTIONS[u32] TCA_U32_ACT: array set in one, attributes in the other": "rtnl names the positions TCA_ACT_PRIO_1, … as pyroute2 does",

	// Deliberate: rtnl chooses the layout by the message's family.
	"ifinfomsg IFLA_AF_SPEC: spec nested, rtnl sub-message": "AF_BRIDGE messages carry IFLA_BRIDGE_* directly; others the per-family nests the spec describes",

	// A number rtnl does not name.
	"rtmsg RTA_METRICS 0 (RT_ROUTE_A_RTA_METRICS_RTAX_UNSPEC): only in the spec": "the spec names the unused number 0",
}

// TestRtnlAgrees compares the rtnetlink specs with rtnl's Go
// descriptions: every attribute both know has the same number and
// type, but for the known differences.
func TestRtnlAgrees(t *testing.T) {
	specs := installedSpecs(t)
	c := &comparer{diffs: map[string]bool{}, seen: map[[2]*engine.AttrSet]bool{}}
	for _, tc := range []struct {
		spec, op string
		class    *engine.Class
	}{
		{"rt_link", "getlink", rtnl.LinkClass},
		{"rt_addr", "getaddr", rtnl.AddrClass},
		{"rt_route", "getroute", rtnl.RouteClass},
		{"tc", "getqdisc", rtnl.TcClass},
	} {
		if specs[tc.spec] == "" {
			t.Fatalf("%s is not installed", tc.spec)
		}
		s := installed(t, tc.spec)
		op := s.Op(tc.op)
		if op.Fixed == nil || op.Fixed.Size != tc.class.Struct.Size {
			c.diffs[fmt.Sprintf("%s: fixed header %v, rtnl %s of %d bytes", tc.spec, op.Fixed, tc.class.Struct.Name, tc.class.Struct.Size)] = true
		}
		c.sets(tc.class.Name, op.Set, tc.class.Attrs)
	}
	var got []string
	for d := range c.diffs {
		got = append(got, d)
	}
	sort.Strings(got)
	t.Logf("%d attributes compared; %d known to rtnl only", c.matched, c.onlyRtnl)
	var want []string
	for d := range rtnlDifferences {
		want = append(want, d)
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("differences between the specs and rtnl (-known +found):\n%s", diff)
	}
}

// TestLinkNumbersUnnamed says which link attribute numbers rtnl leaves
// unnamed. Up to 65 rtnl names every number the 6.12 rt-link spec does;
// 66 to 69 are newer than that spec and than the 6.1 uAPI headers rtnl
// is otherwise checked against, but this kernel (6.18) sends them on a
// plain veth, so rtnl names them from linux 6.13 to 6.15's if_link.h
// (rtnl's TestKernelRoundTrip checks their payloads against the kinds).
func TestLinkNumbersUnnamed(t *testing.T) {
	spec := installed(t, "rt_link").Op("getlink").Set
	last := uint16(0)
	for _, a := range spec.Attrs {
		last = max(last, a.Type)
		if rtnl.LinkAttrs.ByType(a.Type) == nil {
			t.Errorf("the spec names IFLA %d (%s), rtnl does not", a.Type, a.CName)
		}
	}
	if last != 65 {
		t.Logf("the installed rt-link spec goes up to %d, not 65 (a newer linux-doc?)", last)
	}
	var unnamed []uint16
	for n := uint16(1); n < 80; n++ {
		if rtnl.LinkAttrs.ByType(n) == nil {
			unnamed = append(unnamed, n)
		}
	}
	if diff := cmp.Diff([]uint16{70, 71, 72, 73, 74, 75, 76, 77, 78, 79}, unnamed); diff != "" {
		t.Errorf("unnamed link attributes (-want +got):\n%s", diff)
	}
}
