package luabind

import (
	"path/filepath"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// TestIPBrport sets a bridge port's settings with ip.brport and reads them
// back with `bridge -j -d link show`; get and dump return the port with its
// IFLA_PROTINFO, filtered by its keys.
func TestIPBrport(t *testing.T) {
	ns, e := ipEnv(t)
	for _, c := range [][]string{
		{"link", "add", "br0", "type", "bridge"},
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "add", "w0", "type", "veth", "peer", "name", "w1"},
		{"link", "set", "v0", "master", "br0"},
		{"link", "set", "w0", "master", "br0"},
	} {
		nstest.IP(t, ns, c...)
	}
	vals := run(t, e, `
ip.brport('set', {ifname = 'v0', cost = 200, priority = 40, unicast_flood = false, learning = 0, proxyarp = 1})
local p = ip.brport('get', {ifname = 'v0'})
local info = p:get('IFLA_PROTINFO')
local ports = ip.brport('dump')
local costly = ip.brport('show', {cost = function(c) return c > 100 end})
return info:get('IFLA_BRPORT_COST'), info:get('IFLA_BRPORT_LEARNING'), #ports, #costly, costly[1].index == ip.link_lookup('v0')
`)
	if got := []string{vals[0].String(), vals[1].String(), vals[2].String(), vals[3].String(), vals[4].String()}; got[0] != "200" || got[1] != "0" || got[2] != "2" || got[3] != "1" || got[4] != "true" {
		t.Errorf("get, dump: cost, learning, ports, costly, index = %v; want 200 0 2 1 true", got)
	}
	l := runJSON(t, []string{"bridge", "-n", ns, "-j", "-d", "link", "show", "dev", "v0"})
	if len(l) != 1 {
		t.Fatalf("bridge link show dev v0: %v", l)
	}
	for k, want := range map[string]string{"cost": "200", "priority": "40", "flood": "false", "learning": "false"} {
		if got := jsonText(l[0][k]); got != want {
			t.Errorf("bridge link: %s = %s, want %s (%v)", k, got, want, l[0])
		}
	}
	if w := runJSON(t, []string{"bridge", "-n", ns, "-j", "-d", "link", "show", "dev", "w0"}); jsonText(w[0]["cost"]) == "200" {
		t.Errorf("w0 changed too: %v", w[0])
	}
}

// TestIPBrportWire checks ip.brport's message against the bytes
// `bridge link set dev v1 cost 5` sent.
func TestIPBrportWire(t *testing.T) {
	e, _ := newEnv(t, "")
	vals := run(t, e, `return ip.brport('set', {index = 2, cost = 5, dry = true})`)
	wantIproute2Bytes(t, e, vals[0].(*lua.LTable), filepath.Join("..", "testdata", "iproute2", "bridge_link_cost.hex"))
}
