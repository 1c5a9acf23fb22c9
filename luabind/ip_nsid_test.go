package luabind

import (
	"fmt"
	"testing"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// TestIPNetnsID gives other namespaces ids with ip.set_netnsid (one chosen,
// one the kernel picks), reads them with ip.get_netnsid and
// ip.get_netns_info, and checks them against `ip -j netns list-id`; a
// veth whose peer lives in one is that one's peer in get_netns_info.
func TestIPNetnsID(t *testing.T) {
	ns, e := ipEnv(t)
	b, c := nstest.New(t), nstest.New(t)
	vals := run(t, e, fmt.Sprintf("local B, C = %q, %q\n", b, c)+`
ip.set_netnsid{netns = B, nsid = 7}
ip.set_netnsid{netns = '/run/netns/' .. C}
ip.link('add', {ifname = 'h0', kind = 'veth', peer = {ifname = 'p0', netns = B}})
local b, c = ip.get_netnsid{netns = B}, ip.get_netnsid{netns = C}
local none = ip.get_netnsid{pid = 1}
local info = {}
for _, i in ipairs(ip.get_netns_info()) do
  if i.path == '/run/netns/' .. B then info.b = i end
  if i:get('NSINFO_PATH') == '/run/netns/' .. C then info.c = i end
end
local peers = info.b:get_all('NSINFO_PEER')
return b.nsid, c.nsid, none.nsid, info.b.netnsid, info.c.netnsid, #peers, peers[1],
  ip.link('get', {ifname = 'h0'}):get('IFLA_LINK_NETNSID')
`)
	got := map[string]string{}
	for i, k := range []string{"b", "c", "none", "info b", "info c", "peers", "peer", "link netnsid"} {
		got[k] = vals[i].String()
	}
	ids := map[string]string{}
	for _, l := range ipJSON(t, ns, "netns", "list-id") {
		if n, ok := l["name"].(string); ok {
			ids[n] = jsonText(l["nsid"])
		}
	}
	if ids[b] != "7" || got["b"] != "7" || got["info b"] != "7" || got["link netnsid"] != "7" {
		t.Errorf("namespace %s: list-id %q, get_netnsid %s, get_netns_info %s, IFLA_LINK_NETNSID %s; want 7", b, ids[b], got["b"], got["info b"], got["link netnsid"])
	}
	if ids[c] == "" || got["c"] != ids[c] || got["info c"] != ids[c] {
		t.Errorf("namespace %s: list-id %q, get_netnsid %s, get_netns_info %s", c, ids[c], got["c"], got["info c"])
	}
	if got["none"] != "-1" {
		t.Errorf("the host's namespace, given no id here: nsid %s, want -1", got["none"])
	}
	if got["peers"] != "1" || got["peer"] != "h0" {
		t.Errorf("peers of %s: %s (%s), want h0", b, got["peers"], got["peer"])
	}
	if path := engine.NetNSPath(b); path != "/run/netns/"+b {
		t.Fatalf("namespace path %s", path)
	}
}
