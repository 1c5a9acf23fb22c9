package luabind

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// TestIPLinkFlags sets and clears named flags with ip.link's flags key
// ('!IFF_NOARP' clears), arp and noarp, as pyroute2 takes them, and checks
// the flags `ip -j link show` reports; only the flags named change.
func TestIPLinkFlags(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "arp", "off")
	flags := func() string { return jsonText(linkInfo(t, ns, "v0")["flags"]) }
	for _, c := range []struct {
		lua           string
		with, without []string
	}{
		{"ip.link('set', {ifname = 'v0', flags = {'IFF_UP', '!IFF_NOARP'}})", []string{"UP", "BROADCAST"}, []string{"NOARP"}},
		{"ip.link('set', {ifname = 'v0', noarp = true})", []string{"UP", "NOARP"}, nil},
		{"ip.link('set', {ifname = 'v0', arp = true})", []string{"UP"}, []string{"NOARP"}},
		{"ip.link('set', {ifname = 'v0', arp = false})", []string{"NOARP"}, nil},
		{"ip.link('set', {ifname = 'v0', noarp = false, flags = 'IFF_PROMISC|IFF_ALLMULTI'})", []string{"PROMISC", "ALLMULTI", "UP"}, []string{"NOARP"}},
		{"ip.link('set', {ifname = 'v0', flags = {'!IFF_PROMISC', '!IFF_UP'}})", []string{"ALLMULTI"}, []string{"PROMISC", `"UP"`}},
	} {
		run(t, e, c.lua)
		got := flags()
		for _, f := range c.with {
			if !strings.Contains(got, f) {
				t.Errorf("%s: flags %s lack %s", c.lua, got, f)
			}
		}
		for _, f := range c.without {
			if strings.Contains(got, f) {
				t.Errorf("%s: flags %s have %s", c.lua, got, f)
			}
		}
	}
	vals := run(t, e, `local m = ip.link('set', {index = 3, flags = {'IFF_UP', '!IFF_NOARP'}, dry = true})
return m.flags, m.change`)
	if vals[0].String() != "1" || vals[1].String() != "129" {
		t.Errorf("flags and change of {'IFF_UP', '!IFF_NOARP'}: %v, want 1 and 129", vals)
	}
}

// TestIPRawAttrs gives each verb an attribute by its whole name, for what
// no friendly key covers (the value goes to the encoder as given), and a
// multipath nexthop its attrs; iproute2 shows each took effect.
func TestIPRawAttrs(t *testing.T) {
	ns, e := routeEnv(t)
	run(t, e, `
local i = ip.link_lookup('v0')
ip.link('set', {index = i, IFLA_IFNAME = 'w0', IFLA_TXQLEN = 321})
ip.addr('add', {index = i, address = '10.0.3.1/24', IFA_RT_PRIORITY = 77})
ip.route('add', {dst = '2001:db8:5::/48', gateway = '2001:db8::2', RTA_PREF = 1})
ip.route('add', {dst = '10.9.0.0/16', multipath = {
  {oif = i, attrs = {{'RTA_GATEWAY', '10.0.0.2'}}}, {hops = 2, oif = i, attrs = {{'RTA_GATEWAY', '10.0.0.3'}}}}})
ip.neigh('add', {dst = '10.0.0.9', lladdr = '02:00:00:00:00:09', ifindex = i, NDA_PROTOCOL = 4})
ip.rule('add', {priority = 700, table = 7, FRA_IP_PROTO = 6})
ip.tc('add', 'clsact', {index = i, TCA_INGRESS_BLOCK = 5})
`)
	l := linkInfo(t, ns, "w0")
	got := []string{jsonText(l["txqlen"]),
		jsonText(onlyRoute(t, ns, "10.0.3.0/24")["metric"]),
		jsonText(ipJSON(t, ns, "-6", "route", "show", "2001:db8:5::/48")[0]["pref"]),
		jsonText(ipJSON(t, ns, "neigh", "show", "10.0.0.9")[0]["protocol"]),
		jsonText(ruleAt(t, ns, false, 700)["ipproto"]),
		jsonText(qdiscOn(t, ns, "w0", "clsact")["ingress_block"]),
	}
	if diff := cmp.Diff([]string{"321", "77", "high", "static", "tcp", "5"}, got); diff != "" {
		t.Errorf("IFLA_TXQLEN, IFA_RT_PRIORITY, RTA_PREF, NDA_PROTOCOL, FRA_IP_PROTO, TCA_INGRESS_BLOCK (-want +got):\n%s", diff)
	}
	r := onlyRoute(t, ns, "10.9.0.0/16")
	hops, _ := r["nexthops"].([]any)
	var gws []string
	for _, h := range hops {
		m := h.(map[string]any)
		gws = append(gws, jsonText(m["gateway"])+" weight "+jsonText(m["weight"]))
	}
	if diff := cmp.Diff([]string{"10.0.0.2 weight 1", "10.0.0.3 weight 3"}, gws); diff != "" {
		t.Errorf("multipath with attrs (-want +got):\n%s", diff)
	}
}
