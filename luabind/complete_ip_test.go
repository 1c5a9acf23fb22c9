package luabind

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCompleteIP completes from the ip verbs' tables: a verb's commands,
// ip.tc's kinds, the keys of a spec or filter (a kind's too) and the names
// a key's value takes.
func TestCompleteIP(t *testing.T) {
	e := completionEnv(t)
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"ip.link('", []string{"add'", "del'", "dump'", "get'", "property_add'", "property_del'", "replace'", "set'"}},
		{"ip.route('ch", []string{"change'"}},
		{"ip.tc('add', 'pfifo", []string{"pfifo'", "pfifo_fast'", "pfifo_head_drop'"}},
		{"ip.tc('add-filter', 'u", []string{"u32'"}},
		{"ip.link('add', {ifname = 'x', kind = 'bridge', stp", []string{"stp_state"}},
		{"ip.link('add', {ifname = 'x', kind = 'vxlan', vxlan_li", []string{"vxlan_limit", "vxlan_link"}},
		{"ip.route('add', {dst = '10.0.0.0/8', gatew", []string{"gateway"}},
		{"ip.route('add', {dst = '10.0.0.0/8', proto = 'st", []string{"static'"}},
		{"ip.route('add', {type = 'bl", []string{"blackhole'"}},
		{"ip.link('set', {ifname = 'v0', state = '", []string{"down'", "up'"}},
		{"ip.link('set', {flags = {'IFF_UP'}, ar", []string{"arp"}},
		{"ip.links{altn", []string{"altname"}},
		{"ip.each.routes{table = 254, dst_l", []string{"dst_len"}},
		{"for r in ip.each.routes{proto = 'st", []string{"static'"}},
		{"ip.each.", []string{"addrs", "classes", "filters", "links", "neighs", "qdiscs", "routes", "rules"}},
		{"ip.routes{fib", nil},
		{"ip.route('get', {dst = '10.0.0.1', fib", []string{"fib_match"}},
		{"ip.tc('add-class', 'htb', {dev = 'v0', ce", []string{"ceil"}},
		{"ip.brport('set', {unicast_f", []string{"unicast_flood"}},
		{"ip.neigh('add', {state = 'perm", []string{"permanent'"}},
	} {
		got, _ := e.Complete(tc.line, len(tc.line))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Complete(%q) (-want +got):\n%s", tc.line, diff)
		}
	}
	// Nothing typed in a spec: every key it takes.
	got, _ := e.Complete("ip.route('add', {", len("ip.route('add', {"))
	for _, k := range []string{"dst", "gateway", "dev", "metrics", "multipath", "dry"} {
		if !slices.Contains(got, k) {
			t.Errorf("ip.route('add', { offers %v, lacking %s", got, k)
		}
	}
}
