package luabind

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// Tests of ip.route and ip.routes. Each runs in a fresh namespace holding a
// veth pair v0/v1 (up) with 10.0.0.1/24 and 2001:db8::1/64 on v0, and checks
// the kernel's state with `ip -j route show`, never with nlsh itself.

// routeEnv is ipEnv with that topology.
func routeEnv(t *testing.T) (string, *Env) {
	t.Helper()
	ns, e := ipEnv(t)
	for _, c := range [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "set", "v0", "up"},
		{"link", "set", "v1", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"},
	} {
		nstest.IP(t, ns, c...)
	}
	waitLocalRoute(t, ns, "2001:db8::1")
	return ns, e
}

// waitLocalRoute waits for the kernel's local route of an IPv6 address:
// even with nodad, the address's work queue adds it after ip returns, so a
// dump taken at once may miss it and a later one find it.
func waitLocalRoute(t *testing.T, ns, addr string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		out, err := exec.Command("ip", "-n", ns, "-6", "route", "show", "table", "local", addr).Output()
		if err == nil && len(bytes.TrimSpace(out)) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no local route for %s in %s after 5 s (%v)", addr, ns, err)
		}
	}
}

// wantKeys fails unless obj (one route of ip -j) has each key with the value
// given (compared as JSON text).
func wantKeys(t *testing.T, obj map[string]any, kv ...any) {
	t.Helper()
	if obj == nil {
		t.Fatalf("route not found")
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if got, ok := obj[k]; !ok || jsonText(got) != jsonText(kv[i+1]) {
			t.Errorf("%s = %v, want %v (route %v)", k, got, kv[i+1], obj)
		}
	}
}

// onlyRoute returns the single route `ip -j route show args…` lists.
func onlyRoute(t *testing.T, ns string, args ...string) map[string]any {
	t.Helper()
	rs := ipJSON(t, ns, append([]string{"route", "show"}, args...)...)
	if len(rs) != 1 {
		t.Fatalf("ip route show %s: %d routes, want 1: %v", strings.Join(args, " "), len(rs), rs)
	}
	return rs[0]
}

// TestIPRouteAdd adds one route per case with ip.route('add', …) and
// checks it with ip -j route show.
func TestIPRouteAdd(t *testing.T) {
	for _, tc := range []struct {
		name string
		lua  string
		show []string // ip route show arguments selecting the one route
		want []any    // key, value pairs of ip -j's route object
	}{
		{"gateway", `ip.route('add', {dst='10.8.0.0/16', gateway='10.0.0.2'})`,
			[]string{"10.8.0.0/16"}, []any{"gateway", "10.0.0.2", "dev", "v0"}},
		{"via", `ip.route('add', {dst='10.8.0.0/16', via='10.0.0.2'})`,
			[]string{"10.8.0.0/16"}, []any{"gateway", "10.0.0.2"}},
		{"default", `ip.route('add', {dst='default', gateway='10.0.0.2'})`,
			[]string{"default"}, []any{"dst", "default", "gateway", "10.0.0.2"}},
		{"device", `ip.route('add', {dst='10.20.0.0/16', dev='v0'})`,
			[]string{"10.20.0.0/16"}, []any{"dev", "v0", "scope", "link"}},
		{"oif_index", `ip.route('add', {dst='10.20.0.0/16', oif=ip.link_lookup('v1')})`,
			[]string{"10.20.0.0/16"}, []any{"dev", "v1", "scope", "link"}},
		{"table_number", `ip.route('add', {dst='10.30.0.0/16', gateway='10.0.0.2', table=1000})`,
			[]string{"table", "1000"}, []any{"dst", "10.30.0.0/16", "gateway", "10.0.0.2"}},
		{"table_small", `ip.route('add', {dst='10.30.0.0/16', gateway='10.0.0.2', table=100})`,
			[]string{"table", "100"}, []any{"dst", "10.30.0.0/16"}},
		{"table_main", `ip.route('add', {dst='10.31.0.0/16', gateway='10.0.0.2', table='main'})`,
			[]string{"table", "main", "10.31.0.0/16"}, []any{"gateway", "10.0.0.2"}},
		{"priority", `ip.route('add', {dst='10.32.0.0/16', gateway='10.0.0.2', priority=77})`,
			[]string{"10.32.0.0/16"}, []any{"metric", 77}},
		{"metric", `ip.route('add', {dst='10.32.0.0/16', gateway='10.0.0.2', metric=78})`,
			[]string{"10.32.0.0/16"}, []any{"metric", 78}},
		{"proto_name", `ip.route('add', {dst='10.33.0.0/16', gateway='10.0.0.2', proto='static'})`,
			[]string{"10.33.0.0/16"}, []any{"protocol", "static"}},
		{"proto_number", `ip.route('add', {dst='10.33.0.0/16', gateway='10.0.0.2', proto=186})`,
			[]string{"10.33.0.0/16"}, []any{"protocol", "bgp"}},
		{"scope", `ip.route('add', {dst='10.34.0.0/16', dev='v0', scope='host'})`,
			[]string{"10.34.0.0/16"}, []any{"scope", "host"}},
		{"blackhole", `ip.route('add', {dst='10.40.0.0/16', type='blackhole'})`,
			[]string{"10.40.0.0/16"}, []any{"type", "blackhole"}},
		{"unreachable", `ip.route('add', {dst='10.41.0.0/16', type='unreachable'})`,
			[]string{"10.41.0.0/16"}, []any{"type", "unreachable"}},
		{"prohibit", `ip.route('add', {dst='10.42.0.0/16', type=RTN_PROHIBIT})`,
			[]string{"10.42.0.0/16"}, []any{"type", "prohibit"}},
		{"throw", `ip.route('add', {dst='10.43.0.0/16', type='throw', table=100})`,
			[]string{"table", "100", "10.43.0.0/16"}, []any{"type", "throw"}},
		{"local", `ip.route('add', {dst='10.0.0.77', type='local', dev='v0'})`,
			[]string{"table", "local", "10.0.0.77"}, []any{"type", "local", "scope", "host", "dev", "v0"}},
		{"prefsrc", `ip.route('add', {dst='10.50.0.0/16', gateway='10.0.0.2', prefsrc='10.0.0.1'})`,
			[]string{"10.50.0.0/16"}, []any{"prefsrc", "10.0.0.1"}},
		{"src", `ip.route('add', {dst='10.50.0.0/16', gateway='10.0.0.2', src='10.0.0.1'})`,
			[]string{"10.50.0.0/16"}, []any{"prefsrc", "10.0.0.1"}},
		{"metrics", `ip.route('add', {dst='10.51.0.0/16', gateway='10.0.0.2', metrics={mtu=1400, advmss=1360, hoplimit=9}})`,
			[]string{"10.51.0.0/16"}, []any{"metrics", []any{map[string]any{"mtu": 1400, "advmss": 1360, "hoplimit": 9}}}},
		{"multipath", `ip.route('add', {dst='10.9.0.0/16', multipath={{gateway='10.0.0.2', weight=1}, {gateway='10.0.0.3', weight=3, dev='v0'}}})`,
			[]string{"10.9.0.0/16"}, []any{"nexthops", []any{
				map[string]any{"gateway": "10.0.0.2", "dev": "v0", "weight": 1, "flags": []any{}},
				map[string]any{"gateway": "10.0.0.3", "dev": "v0", "weight": 3, "flags": []any{}}}}},
		{"multipath_hops", `ip.route('add', {dst='10.9.0.0/16', multipath={{gateway='10.0.0.2', hops=4}, {gateway='10.0.0.3'}}})`,
			[]string{"10.9.0.0/16"}, []any{"nexthops", []any{
				map[string]any{"gateway": "10.0.0.2", "dev": "v0", "weight": 5, "flags": []any{}},
				map[string]any{"gateway": "10.0.0.3", "dev": "v0", "weight": 1, "flags": []any{}}}}},
		{"onlink", `ip.route('add', {dst='10.70.0.0/16', gateway='192.168.5.1', dev='v0', onlink=true})`,
			[]string{"10.70.0.0/16"}, []any{"gateway", "192.168.5.1", "flags", []any{"onlink"}}},
		{"ipv6", `ip.route('add', {dst='2001:db8:1::/48', gateway='2001:db8::2', metric=100})`,
			[]string{"-6", "2001:db8:1::/48"}, []any{"gateway", "2001:db8::2", "metric", 100, "dev", "v0"}},
		{"ipv6_default", `ip.route('add', {dst='default', gateway='2001:db8::2'})`,
			[]string{"-6", "default"}, []any{"gateway", "2001:db8::2"}},
		{"ipv6_multipath", `ip.route('add', {dst='2001:db8:2::/48', multipath={{gateway='2001:db8::2', dev='v0'}, {gateway='2001:db8::3', dev='v0'}}})`,
			[]string{"-6", "2001:db8:2::/48"}, []any{"nexthops", []any{
				map[string]any{"gateway": "2001:db8::2", "dev": "v0", "weight": 1, "flags": []any{}},
				map[string]any{"gateway": "2001:db8::3", "dev": "v0", "weight": 1, "flags": []any{}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ns, e := routeEnv(t)
			run(t, e, tc.lua)
			args := tc.show
			if args[0] == "-6" {
				rs := ipJSON(t, ns, append([]string{"-6", "route", "show"}, args[1:]...)...)
				if len(rs) != 1 {
					t.Fatalf("ip -6 route show %v: %v", args[1:], rs)
				}
				wantKeys(t, rs[0], tc.want...)
				return
			}
			wantKeys(t, onlyRoute(t, ns, args...), tc.want...)
		})
	}
}

// TestIPRouteGolden checks that ip.route('add', …, dry=true) builds the
// bytes iproute2 sends for the same command (testdata/iproute2), sequence
// number and port id aside.
func TestIPRouteGolden(t *testing.T) {
	for _, tc := range []struct{ golden, lua string }{
		{"route_via", `return ip.route('add', {dst='10.8.0.0/16', gateway='10.0.0.2', dry=true})`},
		{"route_multipath", `return ip.route('add', {dst='10.9.0.0/16', dry=true,
			multipath={{gateway='10.0.0.2', weight=1}, {gateway='10.0.0.3', weight=2}}})`},
		{"route6", `return ip.route('add', {dst='2001:db8:1::/48', gateway='2001:db8::2', dry=true})`},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			e, _ := newEnv(t, "")
			m, ok := run(t, e, tc.lua)[0].(*lua.LTable)
			if !ok {
				t.Fatal("dry did not return a message table")
			}
			wantIproute2Bytes(t, e, m, filepath.Join("..", "testdata", "iproute2", tc.golden+".hex"))
		})
	}
}

// TestIPRouteDry checks that dry returns the message, fully built, and sends
// nothing; and how the table goes into the message.
func TestIPRouteDry(t *testing.T) {
	ns, e := routeEnv(t)
	run(t, e, `
local m = ip.route('add', {dst='10.8.0.0/16', gateway='10.0.0.2', dev='v0', table=1000, dry=true})
assert(m.header.type == RTM_NEWROUTE and m.family == AF_INET and m.dst_len == 16)
assert(m.table == RT_TABLE_UNSPEC, 'table >= 256 leaves rtm_table unspec')
assert(m:get('RTA_TABLE') == 1000 and m:get('RTA_OIF') == ip.link_lookup('v0'))
assert(m.proto == RTPROT_BOOT and m.scope == RT_SCOPE_UNIVERSE and m.type == RTN_UNICAST)
local d = ip.route('add', {dst='10.8.0.0/16', dev='v0', dry=true})
assert(d.scope == RT_SCOPE_LINK and d.table == RT_TABLE_MAIN and d:get('RTA_TABLE') == nil)
local l = ip.route('add', {dst='10.0.0.9', type='local', dev='v0', dry=true})
assert(l.scope == RT_SCOPE_HOST and l.table == RT_TABLE_LOCAL and l.dst_len == 32)
local x = ip.route('del', {dst='10.8.0.0/16', dry=true})
assert(x.header.type == RTM_DELROUTE and x.scope == RT_SCOPE_NOWHERE and x.proto == 0 and x.type == 0)
local g = ip.route('get', {dst='10.8.1.1', dry=true})
assert(g.header.type == RTM_GETROUTE and g.dst_len == 32 and g:get('RTA_DST') == '10.8.1.1')
local q = ip.routes{table=254, dev='v0', proto='static', dry=true}
assert(q:get('RTA_TABLE') == 254 and q.proto == RTPROT_STATIC and q:get('RTA_OIF') == ip.link_lookup('v0'))
-- The verbs reuse their requests from call to call: what dry returned
-- stays as it was, and so does the route a later call sends.
assert(m.dst_len == 16 and m:get('RTA_DST') == '10.8.0.0' and m:get('RTA_GATEWAY') == '10.0.0.2' and m:get('RTA_TABLE') == 1000)
assert(d:get('RTA_GATEWAY') == nil and l:get('RTA_DST') == '10.0.0.9')
local a = ip.addr('add', {index=ip.link_lookup('v0'), address='10.0.0.5', prefixlen=24, dry=true})
local b = ip.addr('add', {index=ip.link_lookup('v0'), address='10.0.0.6', prefixlen=25, dry=true})
assert(a:get('IFA_LOCAL') == '10.0.0.5' and a.prefixlen == 24 and b:get('IFA_LOCAL') == '10.0.0.6' and b.prefixlen == 25)
`)
	if rs := ipJSON(t, ns, "route", "show", "table", "all", "10.8.0.0/16"); len(rs) != 0 {
		t.Errorf("dry sent a route: %v", rs)
	}
}

// TestIPRouteEcho checks that echo returns the route the kernel created.
func TestIPRouteEcho(t *testing.T) {
	ns, e := routeEnv(t)
	run(t, e, `
local r = ip.route('add', {dst='10.8.0.0/16', gateway='10.0.0.2', echo=true})
assert(r.event == 'RTM_NEWROUTE', tostring(r.event))
assert(r:get('RTA_DST') == '10.8.0.0' and r.dst_len == 16)
assert(r:get('RTA_GATEWAY') == '10.0.0.2')
assert(r:get('RTA_OIF') == ip.link_lookup('v0'), 'the kernel fills in the device')
`)
	wantKeys(t, onlyRoute(t, ns, "10.8.0.0/16"), "gateway", "10.0.0.2")
}

// TestIPRouteReplace checks that replace changes the gateway of a route.
func TestIPRouteReplace(t *testing.T) {
	ns, e := routeEnv(t)
	run(t, e, `
ip.route('add', {dst='10.8.0.0/16', gateway='10.0.0.2'})
ip.route('replace', {dst='10.8.0.0/16', gateway='10.0.0.3'})
ip.route('replace', {dst='10.9.0.0/16', gateway='10.0.0.4'})   -- creates
`)
	wantKeys(t, onlyRoute(t, ns, "10.8.0.0/16"), "gateway", "10.0.0.3")
	wantKeys(t, onlyRoute(t, ns, "10.9.0.0/16"), "gateway", "10.0.0.4")
}

// TestIPRouteAppend checks that append adds a second route for a prefix
// (IPv4) and a nexthop to a route (IPv6).
func TestIPRouteAppend(t *testing.T) {
	ns, e := routeEnv(t)
	run(t, e, `
ip.route('add', {dst='10.8.0.0/16', gateway='10.0.0.2'})
ip.route('append', {dst='10.8.0.0/16', gateway='10.0.0.3'})
ip.route('add', {dst='2001:db8:1::/48', gateway='2001:db8::2'})
ip.route('append', {dst='2001:db8:1::/48', gateway='2001:db8::3'})
`)
	rs := ipJSON(t, ns, "route", "show", "10.8.0.0/16")
	if len(rs) != 2 || find(rs, "gateway", "10.0.0.2") == nil || find(rs, "gateway", "10.0.0.3") == nil {
		t.Errorf("after append: %v, want routes via 10.0.0.2 and 10.0.0.3", rs)
	}
	r6 := ipJSON(t, ns, "-6", "route", "show", "2001:db8:1::/48")
	if len(r6) != 1 || jsonText(r6[0]["nexthops"]) == "null" {
		t.Fatalf("IPv6 after append: %v, want one route with nexthops", r6)
	}
	if nh := r6[0]["nexthops"].([]any); len(nh) != 2 {
		t.Errorf("IPv6 nexthops %v, want 2", nh)
	}
}

// TestIPRouteDel deletes routes: by prefix, by prefix and gateway, in a
// table, IPv6; deleting a missing route is an ESRCH error value.
func TestIPRouteDel(t *testing.T) {
	ns, e := routeEnv(t)
	nstest.IP(t, ns, "route", "add", "10.8.0.0/16", "via", "10.0.0.2")
	nstest.IP(t, ns, "route", "add", "10.9.0.0/16", "via", "10.0.0.2", "metric", "5")
	nstest.IP(t, ns, "route", "add", "10.30.0.0/16", "via", "10.0.0.2", "table", "1000")
	nstest.IP(t, ns, "route", "add", "blackhole", "10.40.0.0/16")
	nstest.IP(t, ns, "-6", "route", "add", "2001:db8:1::/48", "via", "2001:db8::2")
	run(t, e, `
ip.route('del', {dst='10.8.0.0/16'})
ip.route('del', {dst='10.9.0.0/16', gateway='10.0.0.2', priority=5})
ip.route('del', {dst='10.30.0.0/16', table=1000})
ip.route('del', {dst='10.40.0.0/16', type='blackhole'})
ip.route('del', {dst='2001:db8:1::/48', gateway='2001:db8::2'})
local ok, e = pcall(ip.route, 'del', {dst='10.8.0.0/16'})
assert(not ok and e.code == 'ESRCH', tostring(e))
`)
	for _, args := range [][]string{
		{"route", "show", "10.8.0.0/16"}, {"route", "show", "10.9.0.0/16"},
		{"route", "show", "table", "1000"}, {"route", "show", "10.40.0.0/16"},
		{"-6", "route", "show", "2001:db8:1::/48"},
	} {
		if rs := ipJSON(t, ns, args...); len(rs) != 0 {
			t.Errorf("ip %s after del: %v", strings.Join(args, " "), rs)
		}
	}
}

// TestIPRouteGet checks the kernel's route lookup: ip.route('get') returns
// the route a packet to 10.8.1.1 takes, as `ip route get` shows it.
func TestIPRouteGet(t *testing.T) {
	ns, e := routeEnv(t)
	nstest.IP(t, ns, "route", "add", "10.8.0.0/16", "via", "10.0.0.2")
	nstest.IP(t, ns, "-6", "route", "add", "2001:db8:1::/48", "via", "2001:db8::2")
	want := onlyRoute(t, ns, "10.8.0.0/16")
	wantKeys(t, ipJSON(t, ns, "route", "get", "10.8.1.1")[0], "gateway", "10.0.0.2", "dev", "v0")
	link := ipJSON(t, ns, "link", "show", "v0")[0]
	vals := run(t, e, `
local r = ip.route('get', {dst='10.8.1.1'})
assert(r.event == 'RTM_NEWROUTE' and r.family == AF_INET and r.dst_len == 32)
assert(r:get('RTA_DST') == '10.8.1.1')
local r6 = ip.route('get', {dst='2001:db8:1::5'})
assert(r6:get('RTA_GATEWAY') == '2001:db8::2' and r6.dst_len == 128)
local f = ip.route('get', {dst='10.8.1.1', fib_match=true})
assert(f.dst_len == 16 and f:get('RTA_DST') == '10.8.0.0', 'fib_match returns the matching route')
local s = ip.route('get', {dst='10.8.1.1', src='10.0.0.1', dev='v0'})
assert(s:get('RTA_SRC') == '10.0.0.1')
return r:get('RTA_OIF'), r:get('RTA_GATEWAY'), r:get('RTA_PREFSRC')
`)
	if got := lua.LVAsNumber(vals[0]); jsonText(link["ifindex"]) != jsonText(int(got)) {
		t.Errorf("RTA_OIF = %v, want v0's ifindex %v", got, link["ifindex"])
	}
	if got := lua.LVAsString(vals[1]); got != want["gateway"] {
		t.Errorf("RTA_GATEWAY = %q, want %v", got, want["gateway"])
	}
	if got := lua.LVAsString(vals[2]); got != "10.0.0.1" {
		t.Errorf("RTA_PREFSRC = %q, want 10.0.0.1", got)
	}
}

// TestIPRoutes checks ip.routes filters against ip -j route show's counts:
// the kernel's (table, oif, family, proto, type), Lua's (dst, gateway,
// priority, scope, any attribute) and a function.
func TestIPRoutes(t *testing.T) {
	ns, e := routeEnv(t)
	for _, c := range [][]string{
		{"route", "add", "10.8.0.0/16", "via", "10.0.0.2"},
		{"route", "add", "10.8.0.0/24", "via", "10.0.0.3", "metric", "7"},
		{"route", "add", "10.9.0.0/16", "via", "10.0.0.2", "proto", "static"},
		{"route", "add", "10.30.0.0/16", "via", "10.0.0.2", "table", "1000"},
		{"route", "add", "10.31.0.0/16", "via", "10.0.0.3", "table", "1000"},
		{"route", "add", "blackhole", "10.40.0.0/16"},
		{"route", "add", "default", "via", "10.0.0.2"},
		{"-6", "route", "add", "2001:db8:1::/48", "via", "2001:db8::2"},
	} {
		nstest.IP(t, ns, c...)
	}
	count := func(args ...string) int {
		return len(ipJSON(t, ns, append([]string{"route", "show"}, args...)...))
	}
	for _, tc := range []struct {
		filter string
		want   int
	}{
		{`{table=254, family=AF_INET}`, count("table", "main")},
		{`{table='main', family='inet'}`, count("table", "main")},
		{`{table=1000}`, count("table", "1000")},
		{`{table=1000, gateway='10.0.0.3'}`, count("table", "1000", "via", "10.0.0.3")},
		{`{dst='10.8.0.0/16'}`, 1},
		{`{dst='10.8.0.0'}`, 2}, // any length
		{`{dst='default', family=AF_INET}`, count("default")},
		{`{family=AF_INET, gateway='10.0.0.2'}`, count("table", "all", "via", "10.0.0.2")},
		{`{family=AF_INET6, gateway='2001:0db8::2'}`, 1},
		{`{family=AF_INET, priority=7}`, count("metric", "7")},
		{`{family=AF_INET, table=254, proto='static'}`, count("proto", "static")},
		{`{family=AF_INET, type='blackhole'}`, count("type", "blackhole")},
		{`{family=AF_INET, dev='v0', table=254}`, count("dev", "v0")},
		{`{family=AF_INET, table=254, scope='link'}`, count("scope", "link")},
		{`{table=999, family=AF_INET}`, 0},
		{`{family=AF_INET, table=254, prefsrc='10.0.0.1'}`, 1},
		{`function(r) local d = r:get('RTA_DST'); return d ~= nil and d:sub(1, 5) == '10.8.' end`, 2},
	} {
		vals := run(t, e, "return #ip.routes("+tc.filter+")")
		if got := int(lua.LVAsNumber(vals[0])); got != tc.want {
			t.Errorf("#ip.routes(%s) = %d, want %d", tc.filter, got, tc.want)
		}
	}
	// Every IPv4 route, of every table. (IPv6 is left out of the totals:
	// link-local addresses finishing DAD add local routes at any moment.)
	if tot := int(lua.LVAsNumber(run(t, e, "return #ip.routes{family=AF_INET}")[0])); tot != len(ipJSON(t, ns, "-4", "route", "show", "table", "all")) {
		t.Errorf("#ip.routes{family=AF_INET} = %d, want every IPv4 route", tot)
	}
	if n := int(lua.LVAsNumber(run(t, e, "return #ip.routes(function(r) return r.family == AF_INET end)")[0])); n != len(ipJSON(t, ns, "-4", "route", "show", "table", "all")) {
		t.Errorf("ip.routes() holds %d IPv4 routes, want every one", n)
	}
	run(t, e, `
local r = ip.route('dump', {dst='10.8.0.0/24'})
assert(#r == 1 and r[1]:get('RTA_PRIORITY') == 7)
`)
}

// TestIPRouteFlush deletes the routes of one table and leaves the others.
func TestIPRouteFlush(t *testing.T) {
	ns, e := routeEnv(t)
	for _, p := range []string{"10.30.0.0/16", "10.31.0.0/16", "10.32.0.0/16"} {
		nstest.IP(t, ns, "route", "add", p, "via", "10.0.0.2", "table", "1000")
	}
	nstest.IP(t, ns, "route", "add", "10.8.0.0/16", "via", "10.0.0.2")
	vals := run(t, e, `
assert(#ip.route('flush', {table=1000, dry=true}) == 3)
return ip.route('flush', {table=1000})`)
	if n := lua.LVAsNumber(vals[0]); n != 3 {
		t.Errorf("flush returned %v, want 3", n)
	}
	if rs := ipJSON(t, ns, "route", "show", "table", "1000"); len(rs) != 0 {
		t.Errorf("table 1000 after flush: %v", rs)
	}
	onlyRoute(t, ns, "10.8.0.0/16")
	if msg := runErr(t, e, `ip.route('flush', {})`); !strings.Contains(msg, "ip.route flush: give a filter") {
		t.Errorf("flush without a filter: %s", msg)
	}
}

// TestIPRouteExists checks that adding a route twice raises the kernel's
// EEXIST as an error value.
func TestIPRouteExists(t *testing.T) {
	_, e := routeEnv(t)
	run(t, e, `
ip.route('add', {dst='10.8.0.0/16', gateway='10.0.0.2'})
local ok, e = pcall(ip.route, 'add', {dst='10.8.0.0/16', gateway='10.0.0.2'})
assert(not ok and type(e) == 'table', tostring(e))
assert(e.code == 'EEXIST' and e.errno == 17, tostring(e))
assert(e.request and e.request:get('RTA_DST') == '10.8.0.0')
`)
}

// TestIPRouteArgErrors checks argument errors: the bad key or value named,
// a hint, at the caller's line.
func TestIPRouteArgErrors(t *testing.T) {
	e, _ := newEnv(t, "")
	for _, tc := range []struct{ src, want string }{
		{`ip.route('add', {dst='10.8.0.0/16', gw='10.0.0.2'})`,
			"test:1: ip.route: unknown key 'gw' (did you mean 'gateway'?)"},
		{`ip.route('add', {dst='10.8.0.0/16', gatewy='10.0.0.2'})`,
			"test:1: ip.route: unknown key 'gatewy' (did you mean 'gateway'?)"},
		{`ip.route('add', {dst='10.8.0.0/16', mtu=1400})`,
			"test:1: ip.route: unknown key 'mtu' (did you mean metrics = {mtu = …}?)"},
		{`ip.route('add', {dst='10.8.0.0/16', metrics={mtux=1}})`,
			"test:1: ip.route: metrics: unknown key 'mtux' (did you mean 'mtu'?)"},
		{`ip.route('add', {dst='10.8.0.0/16', multipath={{gateway='10.0.0.2', wieght=2}}})`,
			"test:1: ip.route: multipath[1]: unknown key 'wieght' (did you mean 'weight'?)"},
		{`ip.route('add', {dst='10.8.0.0/16', type='blackhol'})`,
			"test:1: ip.route: type: unknown name 'blackhol' (did you mean 'blackhole'?)"},
		{`ip.route('add', {dst='10.8.0.0/16', proto='bot'})`,
			"test:1: ip.route: proto: unknown name 'bot' (did you mean 'boot'?)"},
		{`ip.route('add', {dst='10.8.0.0/16', table='nosuchtable'})`,
			"test:1: ip.route: unknown table 'nosuchtable' (a number, main, local, default, or a name from /etc/iproute2/rt_tables)"},
		{`ip.route('add', {gateway='10.0.0.2'})`,
			"test:1: ip.route: add needs dst (a prefix such as '10.8.0.0/16', or 'default')"},
		{`ip.route('ad', {})`,
			"test:1: ip.route: unknown command 'ad' (commands: add, append, change, del, dump, flush, get, replace)"},
		{`ip.routes{tabel=254}`,
			"test:1: ip.routes: unknown key 'tabel' (did you mean 'table'?)"},
		{`ip.route('get', {dst='10.8.1.1', fibmatch=true})`,
			"test:1: ip.route get: unknown key 'fibmatch' (did you mean 'fib_match'?)"},
	} {
		if got := runErr(t, e, tc.src); got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.src, got, tc.want)
		}
	}
}

// TestIPRouteNetns checks that ip.netns(name) binds ip.route to another
// namespace.
func TestIPRouteNetns(t *testing.T) {
	ns, _ := routeEnv(t)
	e, _ := newEnv(t, "")
	run(t, e, `local n = ip.netns('`+ns+`')
n.route('add', {dst='10.8.0.0/16', gateway='10.0.0.2', dev='v0'})
assert(#n.routes{dst='10.8.0.0/16'} == 1)
n.close()`)
	wantKeys(t, onlyRoute(t, ns, "10.8.0.0/16"), "gateway", "10.0.0.2", "dev", "v0")
}

// TestIPRouteLookupErrors checks the errors of interfaces given by name:
// ENODEV error values naming the key, as the kernel's own errors are; and
// argument errors at the script's line.
func TestIPRouteLookupErrors(t *testing.T) {
	_, e := routeEnv(t)
	for _, tc := range []struct{ src, want string }{
		{`ip.route('add', {dst='10.8.0.0/16', dev='nosuch'})`,
			"ip.route: no such device (ENODEV, errno 19): dev: no interface named 'nosuch'"},
		{`ip.route('add', {dst='10.8.0.0/16', oif={}})`,
			"test:1: ip.route: oif: expected a name or an index, got table"},
		{`ip.route('add', {dst='10.8.0.0/16', multipath={{gateway='10.0.0.2', dev='zz'}}})`,
			"ip.route: multipath[1]: no such device (ENODEV, errno 19): dev: no interface named 'zz'"},
		{`ip.route('add', {dst='10.8.0.0/16', gateway='bogus'})`,
			`test:1: ip.route: RTA_GATEWAY: expected an IP address, got "bogus"`},
		{`ip.route('add', 'x')`,
			"test:1: ip.route: expected a table of options, got string"},
		{`ip.route('get', {dst='10.8.1.1', dev='nosuch'})`,
			"ip.route get: no such device (ENODEV, errno 19): dev: no interface named 'nosuch'"},
	} {
		if got := runErr(t, e, tc.src); got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.src, got, tc.want)
		}
	}
}

// TestIPRouteInherited: keys a spec, its metrics or a nexthop inherit
// through __index count, as they would when Lua code read them.
func TestIPRouteInherited(t *testing.T) {
	e, _ := newEnv(t, "")
	run(t, e, `
local base = {__index = {gateway = '10.0.0.2', metrics = setmetatable({}, {__index = {mtu = 1400}})}}
local m = ip.route('add', setmetatable({dst = '10.8.0.0/16', dry = true}, base))
assert(m:get('RTA_GATEWAY') == '10.0.0.2', 'gateway not inherited')
assert(m.scope == RT_SCOPE_UNIVERSE)
assert(m:get('RTA_METRICS', 'RTAX_MTU') == 1400, 'metrics not inherited')
local nh = setmetatable({}, {__index = {gateway = '10.0.0.3', weight = 2}})
local p = ip.route('add', {dst = '10.9.0.0/16', multipath = {nh}, dry = true})
assert(p:get('RTA_MULTIPATH')[1].hops == 1, 'nexthop weight not inherited')
`)
}
