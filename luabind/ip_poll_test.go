package luabind

import (
	"os/exec"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// TestIPPoll waits with ip.poll, as pyroute2's poll: for a link iproute2
// then shows up, for an address iproute2 adds while the poll runs, and
// for an address that never comes (ETIMEDOUT).
func TestIPPoll(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	later := make(chan error, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		later <- exec.Command("ip", "-n", ns, "addr", "add", "10.0.0.1/24", "dev", "v0").Run()
	}()
	vals := run(t, e, `
ip.link('set', {ifname = 'v0', state = 'up'})
ip.link('set', {ifname = 'v1', state = 'up'})
local up = ip.poll(ip.link, 'dump', {ifname = 'v0', operstate = 'IF_OPER_UP'}, {timeout = 5, interval = 0.05})
local a = ip.poll(ip.addr, 'get', {address = '10.0.0.1'}, {timeout = 5, interval = 0.05})
local ok, err = pcall(ip.poll, ip.addr, 'dump', {address = '10.9.9.9'}, {timeout = 0.2, interval = 0.05})
return #up, up[1]:get('IFLA_IFNAME'), a:get('IFA_LOCAL') .. '/' .. a.prefixlen, err.code`)
	if err := <-later; err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"1", "v0", "10.0.0.1/24", "ETIMEDOUT"}, strs(vals)); diff != "" {
		t.Errorf("links up, the address added meanwhile, one never added (-want +got):\n%s", diff)
	}
	if got := jsonText(linkInfo(t, ns, "v0")["operstate"]); got != "UP" {
		t.Errorf("ip link show v0: operstate %s, want UP", got)
	}
}

// TestIPEnsure makes objects be there, and not be there, with ip.ensure
// (pyroute2's ensure), twice each, and checks with iproute2 that each is
// there once, or gone.
func TestIPEnsure(t *testing.T) {
	ns, e := routeEnv(t)
	vals := run(t, e, `
local i = ip.link_lookup('v0')
local n = {}
for k = 1, 2 do
  n[#n + 1] = #ip.ensure(ip.link, {ifname = 'br0', kind = 'bridge'})
  n[#n + 1] = #ip.ensure(ip.addr, {index = i, address = '10.0.7.1/24'}, {timeout = 5, interval = 0.05})
  n[#n + 1] = #ip.ensure(ip.route, {dst = '10.8.0.0/16', gateway = '10.0.0.2'})
end
for k = 1, 2 do
  n[#n + 1] = #ip.ensure(ip.route, {dst = '10.9.0.0/16', gateway = '10.0.0.2'}, {present = false})
end
n[#n + 1] = #ip.ensure(ip.addr, {index = i, address = '10.0.7.1/24'}, {present = false})
n[#n + 1] = #ip.poll(ip.route, 'dump', {dst = '10.0.7.0/24'}, {present = false, timeout = 5, interval = 0.05})
local ok, err = pcall(ip.ensure, ip.route, {dst = '10.10.0.0/16', gateway = '10.99.0.1'})
return table.concat(n, ' '), err.code`)
	if diff := cmp.Diff([]string{"1 1 1 1 1 1 0 0 0 0", "ENETUNREACH"}, strs(vals)); diff != "" {
		t.Errorf("what each ensure returned, and an add the kernel refuses (-want +got):\n%s", diff)
	}
	if find(ipJSON(t, ns, "link", "show"), "ifname", "br0") == nil {
		t.Errorf("no br0")
	}
	if r := ipJSON(t, ns, "route", "show", "10.8.0.0/16"); len(r) != 1 || r[0]["gateway"] != "10.0.0.2" {
		t.Errorf("route 10.8.0.0/16: %v", r)
	}
	for _, a := range addrInfo(t, ns, "v0") {
		if a["local"] == "10.0.7.1" {
			t.Errorf("address after ensure present=false: %v", a)
		}
	}
}
