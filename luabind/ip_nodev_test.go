package luabind

import (
	"strings"
	"testing"

	"nlsh/engine/nstest"
)

// TestIPNoDevice gives every verb an interface that does not exist, by name
// (nlsh finds none) and by index (the kernel finds none): each raises an
// error value with code ENODEV, shaped as the kernel's own errors are, and
// the namespace is left as it was.
func TestIPNoDevice(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	before := ipJSON(t, ns, "link", "show")
	for _, call := range []string{
		`ip.link('set', {ifname = 'nosuch', mtu = 1400})`,
		`ip.link('set', {index = 999, mtu = 1400})`,
		`ip.link('set', {ifname = 'v0', master = 'nosuch'})`,
		`ip.link('del', {ifname = 'nosuch'})`,
		`ip.link('del', {index = 999})`,
		`ip.link('get', {ifname = 'nosuch'})`,
		`ip.link('add', {ifname = 'mv9', kind = 'macvlan', link = 'nosuch'})`,
		`ip.link('property_add', {ifname = 'nosuch', altname = 'x'})`,
		`ip.addr('add', {ifname = 'nosuch', address = '10.0.0.1/24'})`,
		`ip.addr('add', {index = 999, address = '10.0.0.1/24'})`,
		`ip.addrs{ifname = 'nosuch'}`,
		`ip.route('add', {dst = '10.8.0.0/16', dev = 'nosuch'})`,
		`ip.route('add', {dst = '10.8.0.0/16', oif = 999})`,
		`ip.route('add', {dst = '10.8.0.0/16', multipath = {{dev = 'nosuch'}}})`,
		`ip.routes{dev = 'nosuch'}`,
		`ip.neigh('add', {dst = '10.0.0.5', lladdr = '02:00:00:00:00:05', ifname = 'nosuch'})`,
		`ip.neigh('add', {dst = '10.0.0.5', lladdr = '02:00:00:00:00:05', ifindex = 999})`,
		`ip.neighs{ifname = 'nosuch'}`,
		`ip.fdb('add', {lladdr = '02:00:00:00:00:05', ifname = 'nosuch'})`,
		`ip.rule('add', {iif = 999, table = 10})`,
		`ip.tc('add', 'htb', {dev = 'nosuch', handle = '1:'})`,
		`ip.tc('add', 'htb', {index = 999, handle = '1:'})`,
		`ip.qdiscs{dev = 'nosuch'}`,
		`ip.brport('set', {ifname = 'nosuch', cost = 5})`,
		`ip.brport('set', {index = 999, cost = 5})`,
	} {
		vals := run(t, e, "local ok, e = pcall(function() return "+call+" end)\n"+
			"return ok, type(e) == 'table' and e.code, type(e) == 'table' and e.errno, tostring(e)")
		if vals[0].String() != "false" || vals[1].String() != "ENODEV" || vals[2].String() != "19" {
			t.Errorf("%s: ok %s, code %s, errno %s (%s); want an error value with code ENODEV", call, vals[0], vals[1], vals[2], vals[3])
		}
		if line := vals[3].String(); !strings.Contains(line, "no such device (ENODEV, errno 19)") || strings.Contains(line, "\n") {
			t.Errorf("%s: error line %q", call, line)
		}
	}
	if after := ipJSON(t, ns, "link", "show"); len(after) != len(before) {
		t.Errorf("links changed: %d before, %d after", len(before), len(after))
	}
	if r := ipJSON(t, ns, "route", "show"); len(r) != 0 {
		t.Errorf("routes: %v", r)
	}
}
