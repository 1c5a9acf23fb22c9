package luabind

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// TestIPDump lists everything with ip.dump (pyroute2's dump) and counts
// its links, addresses, routes and rules against iproute2's listings of
// the namespace.
func TestIPDump(t *testing.T) {
	ns, e := ipEnv(t)
	for _, c := range [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "set", "v0", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"},
		{"route", "add", "10.8.0.0/16", "via", "10.0.0.2", "table", "100"},
		{"rule", "add", "pref", "100", "lookup", "100"},
		{"neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0"},
	} {
		nstest.IP(t, ns, c...)
	}
	vals := run(t, e, `
local n = {}
for _, m in ipairs(ip.dump()) do n[m.event] = (n[m.event] or 0) + 1 end
return n.RTM_NEWLINK, n.RTM_NEWADDR, n.RTM_NEWROUTE, n.RTM_NEWRULE, n.RTM_NEWNEIGH ~= nil`)
	addrs := 0
	for _, l := range ipJSON(t, ns, "addr", "show") {
		addrs += len(l["addr_info"].([]any))
	}
	count := func(args ...string) int { return len(ipJSON(t, ns, args...)) }
	want := []string{
		strconv.Itoa(count("link", "show")), strconv.Itoa(addrs),
		strconv.Itoa(count("-4", "route", "show", "table", "all") + count("-6", "route", "show", "table", "all")),
		strconv.Itoa(count("-4", "rule", "show") + count("-6", "rule", "show")), "true",
	}
	if diff := cmp.Diff(want, strs(vals)); diff != "" {
		t.Errorf("links, addresses, routes, rules in ip.dump against iproute2 (-want +got):\n%s", diff)
	}
}

// TestIPDefaultRoutes finds the default routes as pyroute2's
// get_default_routes does (no RTA_DST, dst_len 0) with
// ip.routes{dst_len = 0, table = …}, against `ip -j route show default`.
func TestIPDefaultRoutes(t *testing.T) {
	ns, e := routeEnv(t)
	for _, c := range [][]string{
		{"route", "add", "default", "via", "10.0.0.2"},
		{"route", "add", "default", "via", "10.0.0.3", "table", "100"},
		{"-6", "route", "add", "default", "via", "2001:db8::2"},
		{"route", "add", "10.8.0.0/16", "via", "10.0.0.2"},
	} {
		nstest.IP(t, ns, c...)
	}
	vals := run(t, e, `
local function gws(list)
  local out = {}
  for _, r in ipairs(list) do out[#out + 1] = r:get('RTA_GATEWAY') end
  table.sort(out)
  return table.concat(out, ' ')
end
return gws(ip.routes{dst_len = 0, table = 'main'}), gws(ip.routes{family = AF_INET, dst_len = 0, table = 100})`)
	gws := func(args ...string) string {
		var out []string
		for _, r := range ipJSON(t, ns, args...) {
			out = append(out, jsonText(r["gateway"]))
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	want := []string{gws("-4", "route", "show", "default") + " " + gws("-6", "route", "show", "default"), gws("route", "show", "default", "table", "100")}
	if diff := cmp.Diff(want, strs(vals)); diff != "" {
		t.Errorf("default routes against ip route show default (-want +got):\n%s", diff)
	}
}
