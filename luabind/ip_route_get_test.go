package luabind

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// TestIPRouteChange changes a route in place (NLM_F_REPLACE without
// NLM_F_CREATE, as `ip route change`) and fails with ENOENT on one that is
// not there, which change, unlike replace, does not make.
func TestIPRouteChange(t *testing.T) {
	ns, e := routeEnv(t)
	vals := run(t, e, `
ip.route('add', {dst = '10.8.0.0/16', gateway = '10.0.0.2'})
ip.route('change', {dst = '10.8.0.0/16', gateway = '10.0.0.3'})
local ok, err = pcall(ip.route, 'change', {dst = '10.9.0.0/16', gateway = '10.0.0.2'})
local m = ip.route('change', {dst = '10.8.0.0/16', gateway = '10.0.0.4', dry = true})
return err.code, m.header.flags == NLM_F_REQUEST + NLM_F_ACK + NLM_F_REPLACE`)
	if vals[0].String() != "ENOENT" || vals[1].String() != "true" {
		t.Errorf("change of a missing route: %v; dry flags REQUEST|ACK|REPLACE: %v", vals[0], vals[1])
	}
	wantKeys(t, onlyRoute(t, ns, "10.8.0.0/16"), "gateway", "10.0.0.3")
	for _, r := range ipJSON(t, ns, "route", "show") {
		if r["dst"] == "10.9.0.0/16" {
			t.Errorf("change made a route: %v", r)
		}
	}
}

// TestIPRouteGetKeys looks routes up with ip.route('get') and every key
// `ip route get` has (from, oif, iif, mark, uid, tos, ipproto, sport,
// dport, fibmatch) and compares the answer with iproute2's for the same
// lookup; the kernel's refusals come back as error values with its
// reason.
func TestIPRouteGetKeys(t *testing.T) {
	ns, e := routeEnv(t)
	for _, c := range [][]string{
		{"route", "add", "10.8.0.0/16", "via", "10.0.0.2"},
		{"route", "add", "10.8.0.0/16", "via", "10.0.0.3", "table", "100"},
		{"rule", "add", "fwmark", "5", "lookup", "100", "pref", "100"},
	} {
		nstest.IP(t, ns, c...)
	}
	for _, c := range []struct{ lua, ip string }{
		{"{dst = '10.8.1.1'}", "10.8.1.1"},
		{"{dst = '10.8.1.1', mark = 5, src = '10.0.0.1', dev = 'v0', ip_proto = 6, sport = 1000, dport = 80, uid = 0}",
			"10.8.1.1 mark 5 from 10.0.0.1 oif v0 ipproto tcp sport 1000 dport 80 uid 0"},
		{"{dst = '10.8.1.1', from = '10.0.0.1', oif = 'v0', tos = 0x10}", "10.8.1.1 from 10.0.0.1 oif v0 tos 0x10"},
		{"{dst = '10.8.1.1', fib_match = true}", "fibmatch 10.8.1.1"},
		{"{dst = '10.0.0.1', iif = 'v1', src = '10.0.0.2'}", "10.0.0.1 iif v1 from 10.0.0.2"},
	} {
		vals := run(t, e, "local r = ip.route('get', "+c.lua+`)
local function dst(r) local d = r:get('RTA_DST'); if r.dst_len ~= 32 then d = d .. '/' .. r.dst_len end; return d end
return dst(r), r:get('RTA_GATEWAY') or '', ip.link('get', {index = r:get('RTA_OIF')}):get('IFLA_IFNAME'), r:get('RTA_MARK') or ''`)
		want := ipJSON(t, ns, append([]string{"route", "get"}, strings.Fields(c.ip)...)...)[0]
		got := []string{vals[0].String(), vals[1].String(), vals[2].String(), vals[3].String()}
		text := func(k string) string {
			if v, ok := want[k]; ok {
				return jsonText(v)
			}
			return ""
		}
		if diff := cmp.Diff([]string{text("dst"), text("gateway"), text("dev"), text("mark")}, got); diff != "" {
			t.Errorf("ip.route('get', %s) against ip route get %s (-want +got):\n%s", c.lua, c.ip, diff)
		}
	}
	vals := run(t, e, `
local ok, e1 = pcall(ip.route, 'get', {dst = '1.2.3.4', table = 254, dst_len = 0})
local ok2, e2 = pcall(ip.route, 'get', {dst = '10.8.1.1', table = 254})
return e1.code, e1.ext_ack, e2.code, e2.ext_ack`)
	if vals[0].String() != "EINVAL" || !strings.Contains(vals[1].String(), "rtm_dst_len") {
		t.Errorf("dst_len 0: %s %q, want EINVAL naming rtm_dst_len", vals[0], vals[1])
	}
	if vals[2].String() != "EINVAL" || !strings.Contains(vals[3].String(), "Unsupported attribute") {
		t.Errorf("table in an IPv4 get: %s %q, want EINVAL (Unsupported attribute)", vals[2], vals[3])
	}
}
