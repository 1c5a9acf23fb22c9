package luabind

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// filterNS is a namespace with something of every kind to filter: links
// of two MTUs, addresses of three prefix lengths, routes of three metrics
// in two tables, neighbours and rules.
func filterNS(t *testing.T) (string, *Env) {
	t.Helper()
	ns, e := ipEnv(t)
	for _, c := range [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "add", "w0", "type", "veth", "peer", "name", "w1"},
		{"link", "set", "w0", "mtu", "9000"},
		{"link", "set", "v0", "up"},
		{"link", "set", "v1", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"addr", "add", "10.1.0.1/16", "dev", "v0"},
		{"addr", "add", "10.2.0.1/32", "dev", "v0"},
		{"route", "add", "10.8.0.0/16", "via", "10.0.0.2", "metric", "50"},
		{"route", "add", "10.9.0.0/16", "via", "10.0.0.2", "metric", "150"},
		{"route", "add", "10.10.0.0/16", "via", "10.0.0.2", "metric", "250", "table", "100"},
		{"route", "add", "10.11.0.0/16", "via", "10.0.0.3", "metric", "40", "table", "100"},
		{"neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0"},
		{"neigh", "add", "10.0.0.6", "lladdr", "02:00:00:00:00:06", "dev", "v0"},
		{"neigh", "add", "10.1.0.7", "lladdr", "02:00:00:00:00:07", "dev", "v0"},
		{"rule", "add", "pref", "110", "lookup", "10"},
		{"rule", "add", "pref", "150", "prohibit"},
		{"rule", "add", "pref", "200", "from", "10.0.0.1", "lookup", "20"},
		{"rule", "add", "pref", "600", "to", "10.0.0.2", "lookup", "25"},
	} {
		nstest.IP(t, ns, c...)
	}
	return ns, e
}

// strs returns vals as strings.
func strs(vals []lua.LValue) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = v.String()
	}
	return out
}

// joined lists the values of a JSON key in objs, sorted and joined.
func joined(objs []map[string]any, key string, keep func(map[string]any) bool) string {
	var out []string
	for _, o := range objs {
		if keep == nil || keep(o) {
			out = append(out, jsonText(o[key]))
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestIPFilterFunctions gives every getter a key whose value is a function
// of the message's value, as pyroute2's filters take them, and compares
// what it keeps with what iproute2 lists.
func TestIPFilterFunctions(t *testing.T) {
	ns, e := filterNS(t)
	vals := run(t, e, `
local function names(list, get)
  local out = {}
  for _, m in ipairs(list) do out[#out + 1] = tostring(get(m)) end
  table.sort(out)
  return table.concat(out, ' ')
end
return
  names(ip.links{mtu = function(m) return m > 1500 end}, function(l) return l:get('IFLA_IFNAME') end),
  names(ip.addrs{family = AF_INET, prefixlen = function(l) return l >= 24 end}, function(a) return a:get('IFA_LOCAL') end),
  names(ip.routes{family = AF_INET, table = 254, priority = function(p) return p >= 100 end}, function(r) return r:get('RTA_DST') end),
  names(ip.routes{gateway = function(g) return g == '10.0.0.3' end}, function(r) return r:get('RTA_DST') end),
  names(ip.neighs{dst = function(d) return d:sub(1, 7) == '10.0.0.' end}, function(n) return n:get('NDA_DST') end),
  names(ip.rules{family = AF_INET, priority = function(p) return p > 100 and p < 500 end}, function(r) return r:get('FRA_PRIORITY') end),
  names(ip.routes{match = function(r) return r:get('RTA_TABLE') == 100 end}, function(r) return r:get('RTA_DST') end),
  names(ip.routes{match = {table = 100, priority = 40}}, function(r) return r:get('RTA_DST') end)`)
	links := ipJSON(t, ns, "link", "show")
	addrs := []map[string]any{}
	for _, l := range ipJSON(t, ns, "-4", "addr", "show") {
		for _, a := range l["addr_info"].([]any) {
			addrs = append(addrs, a.(map[string]any))
		}
	}
	metric := func(o map[string]any) int { n, _ := strconv.Atoi(jsonText(o["metric"])); return n }
	pref := func(o map[string]any) int { n, _ := strconv.Atoi(jsonText(o["priority"])); return n }
	host := func(o map[string]any) string { return strings.TrimSuffix(jsonText(o["dst"]), "/16") }
	routes100 := ipJSON(t, ns, "route", "show", "table", "100")
	want := []string{
		joined(links, "ifname", func(o map[string]any) bool { n, _ := strconv.Atoi(jsonText(o["mtu"])); return n > 1500 }),
		joined(addrs, "local", func(o map[string]any) bool { n, _ := strconv.Atoi(jsonText(o["prefixlen"])); return n >= 24 }),
		joinedBy(ipJSON(t, ns, "route", "show"), host, func(o map[string]any) bool { return metric(o) >= 100 }),
		joinedBy(append(ipJSON(t, ns, "route", "show"), routes100...), host, func(o map[string]any) bool { return o["gateway"] == "10.0.0.3" }),
		joined(ipJSON(t, ns, "neigh", "show"), "dst", func(o map[string]any) bool { return strings.HasPrefix(jsonText(o["dst"]), "10.0.0.") }),
		joined(ipJSON(t, ns, "rule", "show"), "priority", func(o map[string]any) bool { return pref(o) > 100 && pref(o) < 500 }),
		joinedBy(routes100, host, nil),
		joinedBy(routes100, host, func(o map[string]any) bool { return metric(o) == 40 }),
	}
	if diff := cmp.Diff(want, strs(vals)); diff != "" {
		t.Errorf("what each getter kept, against iproute2 (-want +got):\n%s", diff)
	}
}

// joinedBy is joined with the value read by get.
func joinedBy(objs []map[string]any, get func(map[string]any) string, keep func(map[string]any) bool) string {
	var out []string
	for _, o := range objs {
		if keep == nil || keep(o) {
			out = append(out, get(o))
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestIPFlushFunctions flushes with function keys: rules by priority (as
// pyroute2's flush_rules), routes of a table by metric, addresses by
// length, neighbours by address, and checks what iproute2 has left.
func TestIPFlushFunctions(t *testing.T) {
	ns, e := filterNS(t)
	vals := run(t, e, `
local between = function(p) return p > 100 and p < 500 end
local dry = ip.rule('flush', {family = AF_INET, priority = between, dry = true})
for _, m in ipairs(dry) do assert(m.header.type == RTM_DELRULE) end
local rules = ip.rule('flush', {family = AF_INET, priority = between})
local routes = ip.route('flush', {table = 100, priority = function(p) return p > 100 end})
local addrs = ip.addr('flush', {ifname = 'v0', prefixlen = function(l) return l == 32 end})
local neighs = ip.neigh('flush', {ifname = 'v0', dst = function(d) return d:sub(1, 5) == '10.1.' end})
local ok, err = pcall(ip.rule, 'flush', {})
return #dry, rules, routes, #addrs, #neighs, tostring(err)`)
	if diff := cmp.Diff([]string{"3", "3", "1", "1", "1"}, strs(vals[:5])); diff != "" {
		t.Errorf("flushed: dry rules, rules, routes, addresses, neighbours (-want +got):\n%s", diff)
	}
	if !strings.Contains(vals[5].String(), "ip.rule flush: give a filter") {
		t.Errorf("flush without a filter: %s", vals[5])
	}
	if got := joined(ipJSON(t, ns, "rule", "show"), "priority", nil); got != "0 32766 32767 600" {
		t.Errorf("rules left: %s", got)
	}
	if got := joined(ipJSON(t, ns, "route", "show", "table", "100"), "dst", nil); got != "10.11.0.0/16" {
		t.Errorf("routes left in table 100: %s", got)
	}
	var locals []string
	for _, a := range addrInfo(t, ns, "v0") {
		if a["family"] == "inet" {
			locals = append(locals, jsonText(a["local"]))
		}
	}
	if sort.Strings(locals); strings.Join(locals, " ") != "10.0.0.1 10.1.0.1" {
		t.Errorf("addresses left: %v", locals)
	}
	if got := joined(ipJSON(t, ns, "neigh", "show"), "dst", nil); got != "10.0.0.5 10.0.0.6" {
		t.Errorf("neighbours left: %s", got)
	}
}
