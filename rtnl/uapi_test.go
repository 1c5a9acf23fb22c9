package rtnl

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"nlsh/engine"
)

// TestUAPI compiles a C program against the installed kernel headers that
// prints every attribute number, enum value, struct size and C field name's
// offset the descriptions claim, and compares. It is the check that every number here came from the
// headers.
func TestUAPI(t *testing.T) {
	cc, err := exec.LookPath("gcc")
	if err != nil {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatal("gcc is needed to check the descriptions against the uapi headers")
		}
		t.Skip("gcc not installed")
	}
	want := map[string]uint64{} // "v NAME" or "s NAME" -> value
	w := &walker{want: want, seenSets: map[*engine.AttrSet]bool{}, seenStructs: map[*engine.StructDesc]bool{}}
	for _, c := range Route.Classes {
		w.class(c)
	}
	// Netlink's own structs: their C names only (their sizes are no C struct's).
	w.structure(engine.HeaderStruct)
	w.structure(engine.ErrClass.Struct)
	for _, en := range Route.Enums {
		w.enum(en)
	}
	for _, g := range Route.Groups {
		w.want["v "+g.Const] = uint64(g.Number)
	}
	for _, mt := range Route.Types {
		w.want["v "+mt.Name] = uint64(mt.Type)
	}
	// A filter protocol's words stand for ETH_P_* numbers.
	for _, p := range tcProtocols {
		w.want["v "+tcProtocolConst[p.Name]] = p.Value
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	var src strings.Builder
	for _, h := range uapiHeaders {
		fmt.Fprintf(&src, "#include <%s>\n", h)
	}
	src.WriteString("#include <stdio.h>\nint main(void) {\n")
	for _, k := range keys {
		kind, name := k[:1], k[2:]
		if newerThanHeaders[name] || notInUAPI[name] {
			continue
		}
		switch kind {
		case "v":
			fmt.Fprintf(&src, "printf(\"v %s %%llu\\n\", (unsigned long long)(%s));\n", name, name)
		case "o":
			st, field, _ := strings.Cut(name, ".")
			fmt.Fprintf(&src, "printf(\"o %s %%llu\\n\", (unsigned long long)offsetof(struct %s, %s));\n", name, st, field)
		default:
			fmt.Fprintf(&src, "printf(\"s %s %%llu\\n\", (unsigned long long)sizeof(struct %s));\n", name, name)
		}
	}
	src.WriteString("return 0; }\n")
	dir := t.TempDir()
	cfile := filepath.Join(dir, "uapi.c")
	if err := os.WriteFile(cfile, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "uapi")
	if out, err := exec.Command(cc, "-w", "-o", bin, cfile).CombinedOutput(); err != nil {
		t.Fatalf("compiling the uapi check failed (a description names something the headers lack):\n%s", firstLines(string(out), 40))
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]uint64{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var kind, name string
		var v uint64
		if _, err := fmt.Sscanf(l, "%s %s %d", &kind, &name, &v); err != nil {
			t.Fatalf("bad line %q", l)
		}
		got[kind+" "+name] = v
	}
	bad := 0
	for _, k := range keys {
		if newerThanHeaders[k[2:]] || notInUAPI[k[2:]] {
			continue
		}
		if got[k] != want[k] {
			bad++
			t.Errorf("%s: description has %d, uapi headers have %d", k, want[k], got[k])
		}
	}
	t.Logf("checked %d names against the uapi headers", len(keys))
}

var uapiHeaders = []string{
	"stddef.h", "sys/socket.h", "linux/netlink.h", "linux/rtnetlink.h", "linux/if.h", "linux/if_link.h",
	"linux/if_addr.h", "linux/if_arp.h", "linux/if_bridge.h", "linux/if_tun.h", "linux/veth.h",
	"linux/neighbour.h", "linux/fib_rules.h", "linux/lwtunnel.h", "linux/in_route.h",
	"linux/icmpv6.h", "linux/netconf.h", "linux/pkt_sched.h", "linux/pkt_cls.h", "linux/gen_stats.h",
	"linux/if_addrlabel.h", "linux/ipv6.h", "linux/devlink.h", "linux/nexthop.h", "linux/net_namespace.h",
	"linux/tc_act/tc_mirred.h", "linux/if_bonding.h", "linux/mpls.h", "linux/if_ether.h",
}

// tcProtocolConst is the if_ether.h name of each filter protocol word.
var tcProtocolConst = map[string]string{
	"all": "ETH_P_ALL", "ip": "ETH_P_IP", "arp": "ETH_P_ARP", "ipv6": "ETH_P_IPV6",
	"802.1q": "ETH_P_8021Q", "vlan": "ETH_P_8021Q", "802.1ad": "ETH_P_8021AD", "mpls_uc": "ETH_P_MPLS_UC",
}

// newerThanHeaders are names the installed headers (6.1) do not have yet;
// ynl's TestRtnlAgrees checks them against the kernel's YNL specs, and
// TestKernelRoundTrip those newer than the specs too (IFLA_HEADROOM…)
// against what the running kernel sends.
var newerThanHeaders = map[string]bool{
	"IFLA_DEVLINK_PORT": true, "IFLA_GSO_IPV4_MAX_SIZE": true, "IFLA_GRO_IPV4_MAX_SIZE": true,
	"IFLA_DPLL_PIN": true, "DPLL_A_PIN_ID": true,
	"IFLA_MAX_PACING_OFFLOAD_HORIZON": true, "IFLA_NETNS_IMMUTABLE": true,
	"IFLA_HEADROOM": true, "IFLA_TAILROOM": true,
	"IFLA_BR_FDB_N_LEARNED": true, "IFLA_BR_FDB_MAX_LEARNED": true,
	"IFLA_BRPORT_MAB": true, "IFLA_BRPORT_MCAST_N_GROUPS": true, "IFLA_BRPORT_MCAST_MAX_GROUPS": true,
	"IFLA_BRPORT_NEIGH_VLAN_SUPPRESS": true, "IFLA_BRPORT_BACKUP_NHID": true,
	"IFLA_VXLAN_LOCALBYPASS": true, "IFLA_VXLAN_LABEL_POLICY": true, "IFLA_VXLAN_RESERVED_BITS": true,
	"VXLAN_LABEL_FIXED": true, "VXLAN_LABEL_INHERIT": true,
	"NHA_OP_FLAGS": true, "NHA_GROUP_STATS": true, "NHA_HW_STATS_ENABLE": true, "NHA_HW_STATS_USED": true,
	"NHA_OP_FLAG_DUMP_STATS": true, "NHA_OP_FLAG_DUMP_HW_STATS": true, "NHA_OP_FLAG_RESP_GRP_RESVD_0": true,
	"NHA_GROUP_STATS_ENTRY": true, "NHA_GROUP_STATS_ENTRY_ID": true,
	"NHA_GROUP_STATS_ENTRY_PACKETS": true, "NHA_GROUP_STATS_ENTRY_PACKETS_HW": true,
}

// notInUAPI are names the kernel sends values of but keeps out of its uAPI
// headers (IFLA_INET6_FLAGS' bits live in include/net/if_inet6.h, the
// endless address lifetime in include/net/addrconf.h); TestKernelRoundTrip
// checks that the bits the kernel sets are named.
var notInUAPI = map[string]bool{
	"IF_RS_SENT": true, "IF_RA_RCVD": true, "IF_RA_MANAGED": true, "IF_RA_OTHERCONF": true, "IF_READY": true,
	"INFINITY_LIFE_TIME": true,
}

// positional are attribute names that number the entries of a list, which
// C leaves unnamed (pyroute2 names them so): checked against their number
// in the test of their set instead.
func positional(name string) bool { return strings.HasPrefix(name, "TCA_ACT_PRIO_") }

// notC are descriptions that are not C structs of their own (an element of a
// flexible array, for instance), or whose C struct the uapi headers lack
// (vxlanhdr is the kernel's, include/net/vxlan.h).
var notC = map[string]bool{"tc_u32_pcnt_key": true, "nexthop_grp_list": true, "vxlanhdr": true}

type walker struct {
	want        map[string]uint64
	seenSets    map[*engine.AttrSet]bool
	seenStructs map[*engine.StructDesc]bool
}

func (w *walker) class(c *engine.Class) {
	if c == nil {
		return
	}
	w.structure(c.Struct)
	w.set(c.Attrs)
}

func (w *walker) structure(s *engine.StructDesc) {
	if s == nil || w.seenStructs[s] {
		return
	}
	w.seenStructs[s] = true
	if !notC[s.Name] && s != engine.ErrClass.Struct && s != engine.DoneClass.Struct && s != engine.HeaderStruct {
		w.want["s "+s.Name] = uint64(s.Size)
	}
	for _, f := range s.Fields {
		w.enum(f.Enum)
		if f.CName != "" {
			// The C name is the member at the field's offset.
			w.want["o "+s.Name+"."+f.CName] = uint64(f.Offset)
		}
	}
	w.structure(s.Flex)
}

func (w *walker) enum(e *engine.Enum) {
	if e == nil {
		return
	}
	for _, v := range e.Values {
		w.want["v "+v.Name] = v.Value
	}
}

func (w *walker) set(s *engine.AttrSet) {
	if s == nil || w.seenSets[s] || s == engine.ErrAttrs {
		return
	}
	w.seenSets[s] = true
	for _, a := range s.Attrs {
		w.attr(a)
	}
}

func (w *walker) attr(a *engine.AttrDesc) {
	if a.Name != "" && !positional(a.Name) {
		w.want["v "+a.Name] = uint64(a.Type)
	}
	w.enum(a.Enum)
	w.set(a.Set)
	w.structure(a.Struct)
	w.class(a.Record)
	if a.Sub != nil {
		if d := a.Sub.Default; d != nil {
			w.set(d.Set)
			w.structure(d.Struct)
			w.class(d.Record)
		}
		for _, f := range a.Sub.Formats {
			w.enum(f.Enum)
			w.set(f.Set)
			w.structure(f.Struct)
			w.class(f.Record)
		}
	}
}

func firstLines(s string, n int) string {
	ls := strings.Split(s, "\n")
	if len(ls) > n {
		ls = ls[:n]
	}
	return strings.Join(ls, "\n")
}
