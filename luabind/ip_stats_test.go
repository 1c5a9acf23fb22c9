package luabind

import (
	"os/exec"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// TestIPStats reads a link's statistics with ip.stats (pyroute2's stats)
// after a few pings across a veth pair, and compares them with `ip -j
// stats show group link`: one link's counters, and every link in a dump.
func TestIPStats(t *testing.T) {
	ns, e := ipEnv(t)
	other := nstest.New(t)
	for _, c := range [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", other},
		{"link", "set", "v0", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"-n", other, "link", "set", "v1", "up"},
		{"-n", other, "addr", "add", "10.0.0.2/24", "dev", "v1"},
	} {
		if c[0] == "-n" {
			nstest.IP(t, c[1], c[2:]...)
		} else {
			nstest.IP(t, ns, c...)
		}
	}
	// No IPv6 on the pair, so nothing but the pings crosses it.
	for _, n := range []string{ns, other} {
		if out, err := exec.Command("ip", "netns", "exec", n, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1").CombinedOutput(); err != nil {
			t.Fatalf("sysctl: %v: %s", err, out)
		}
	}
	if out, err := exec.Command("ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.01", "-q", "10.0.0.2").CombinedOutput(); err != nil {
		t.Fatalf("ping: %v: %s", err, out)
	}
	vals := run(t, e, `
local s = ip.stats('get', {ifname = 'v0'})
local l = s:get('IFLA_STATS_LINK_64')
local ids = {}
for _, x in ipairs(ip.stats('dump')) do ids[#ids + 1] = x.ifindex end
local only = ip.stats('dump', {ifname = 'v0', filter_mask = 1})
return l.rx_packets, l.tx_packets, l.rx_bytes, l.tx_bytes, s.ifindex == ip.link_lookup('v0'),
  table.concat(ids, ' '), #only, only[1].filter_mask`)
	show := ipJSON(t, ns, "stats", "show", "dev", "v0", "group", "link")[0]["stats64"].(map[string]any)
	rx, tx := show["rx"].(map[string]any), show["tx"].(map[string]any)
	var ids string
	for i, l := range ipJSON(t, ns, "stats", "show", "group", "link") {
		if i > 0 {
			ids += " "
		}
		ids += jsonText(l["ifindex"])
	}
	want := []string{jsonText(rx["packets"]), jsonText(tx["packets"]), jsonText(rx["bytes"]), jsonText(tx["bytes"]), "true", ids, "1", "1"}
	if diff := cmp.Diff(want, strs(vals)); diff != "" {
		t.Errorf("ip.stats against ip stats show (-want +got):\n%s", diff)
	}
	if n, _ := strconv.Atoi(want[1]); n < 3 {
		t.Errorf("v0 sent %d packets, want the 3 pings at least", n)
	}
}
