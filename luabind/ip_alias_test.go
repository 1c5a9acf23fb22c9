package luabind

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// TestIPCommandAliases uses pyroute2's other names for commands: remove
// and delete are del, show is dump; iproute2 shows what they did.
func TestIPCommandAliases(t *testing.T) {
	ns, e := routeEnv(t)
	for _, c := range [][]string{
		{"link", "add", "w0", "type", "veth", "peer", "name", "w1"},
		{"addr", "add", "10.0.5.1/24", "dev", "v0"},
		{"route", "add", "10.8.0.0/16", "via", "10.0.0.2"},
	} {
		nstest.IP(t, ns, c...)
	}
	vals := run(t, e, `
local shown = #ip.route('show', {dst = '10.8.0.0/16'})
ip.route('delete', {dst = '10.8.0.0/16'})
ip.addr('remove', {ifname = 'v0', address = '10.0.5.1/24'})
ip.link('remove', {ifname = 'w0'})
local ok, err = pcall(ip.link, 'erase', {ifname = 'v0'})
return shown, #ip.link('show', {ifname = 'v0'}), err:match('unknown command.*')`)
	want := []string{"1", "1", "unknown command 'erase' (commands: add, del, dump, get, property_add, property_del, replace, set)"}
	if diff := cmp.Diff(want, strs(vals)); diff != "" {
		t.Errorf("show, and an unknown command (-want +got):\n%s", diff)
	}
	if r := ipJSON(t, ns, "route", "show", "10.8.0.0/16"); len(r) != 0 {
		t.Errorf("route after delete: %v", r)
	}
	for _, a := range addrInfo(t, ns, "v0") {
		if a["local"] == "10.0.5.1" {
			t.Errorf("address after remove: %v", a)
		}
	}
	if find(ipJSON(t, ns, "link", "show"), "ifname", "w0") != nil {
		t.Errorf("w0 after remove")
	}
}
