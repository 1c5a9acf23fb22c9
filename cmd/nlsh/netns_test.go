package main

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// linkNames lists the links of ns, sorted, as iproute2 sees them.
func linkNames(t *testing.T, ns string) []string {
	t.Helper()
	var links []struct {
		IfName string `json:"ifname"`
	}
	out := nstest.IP(t, ns, "-j", "link", "show")
	if err := json.Unmarshal([]byte(out), &links); err != nil {
		t.Fatalf("ip -j link show: %v\n%s", err, out)
	}
	var names []string
	for _, l := range links {
		names = append(names, l.IfName)
	}
	slices.Sort(names)
	return names
}

// confinedScript changes links by every path that opens a socket or enters
// a namespace, naming none but B (arg[1]). It first closes stdin, which
// frees descriptor 0 for the next file opened: a namespace file opened as
// fd 0 was taken by mdlayher/netlink for "no namespace".
const confinedScript = `io.stdin:close()
local B = arg[1]
local function names(list)
  local t = {}
  for _, l in ipairs(list) do t[#t + 1] = l:get('IFLA_IFNAME') end
  table.sort(t)
  return table.concat(t, ' ')
end
local function dump(s)
  local m = rtnl.ifinfomsg()
  m.header.type = RTM_GETLINK
  m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
  local links = s:request(m)
  s:close()
  return links
end
print(names(dump(nl.socket('route'))))
print(names(dump(nl.socket('route', {netns = B}))))
print(names(ip.links()))
print(names(ip.netns(B).links()))
ip.batch(function() ip.link('set', {ifname = 'ca0', alias = 'batched'}) end)
ip.link('set', {ifname = 'ca1', alias = 'direct'})
nl.tuntap('ct0', {mode = 'tap'})
ip.link('add', {ifname = 'ct1', kind = 'tun'})
ip.link('add', {ifname = 'cv0', kind = 'veth', peer = 'cv1'})
ip.netns(B).link('add', {ifname = 'ct2', kind = 'tun'})
`

// TestNetNSConfined runs nlsh --netns A with a script that changes links by
// every path, naming only B, in a process whose own namespace is a third,
// C (ip netns exec), so nothing can reach the host's even if a path
// escaped. Every change must land in A unless it named B; C stays as it was.
func TestNetNSConfined(t *testing.T) {
	a, b, c := nstest.New(t), nstest.New(t), nstest.New(t)
	nstest.IP(t, a, "link", "add", "ca0", "type", "veth", "peer", "name", "ca1")
	nstest.IP(t, b, "link", "add", "cb0", "type", "veth", "peer", "name", "cb1")
	nstest.IP(t, c, "link", "add", "cc0", "type", "veth", "peer", "name", "cc1")
	script := writeScript(t, "confined.lua", confinedScript)
	r := runCmd(t, exec.Command("ip", "netns", "exec", c, nlshBin, "--netns", a, script, b), "")
	if r.code != 0 {
		t.Fatalf("exit status %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	want := "ca0 ca1 lo\ncb0 cb1 lo\nca0 ca1 lo\ncb0 cb1 lo\n"
	if diff := cmp.Diff(want, r.stdout); diff != "" {
		t.Errorf("links seen by nl.socket, nl.socket netns=B, ip.links, ip.netns(B).links (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		ns   string
		want []string
	}{
		{a, []string{"ca0", "ca1", "ct0", "ct1", "cv0", "cv1", "lo"}},
		{b, []string{"cb0", "cb1", "ct2", "lo"}},
		{c, []string{"cc0", "cc1", "lo"}},
	} {
		if diff := cmp.Diff(tt.want, linkNames(t, tt.ns)); diff != "" {
			t.Errorf("links of %s (-want +got):\n%s", tt.ns, diff)
		}
	}
	for dev, alias := range map[string]string{"ca0": "batched", "ca1": "direct"} {
		if show := nstest.IP(t, a, "link", "show", dev); !strings.Contains(show, "alias "+alias) {
			t.Errorf("%s lacks alias %q:\n%s", dev, alias, show)
		}
	}
}
