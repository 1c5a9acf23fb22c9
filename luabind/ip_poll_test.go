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
