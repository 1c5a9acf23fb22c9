package luabind

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// linkInfo returns `ip -j -d link show NAME`'s object.
func linkInfo(t *testing.T, ns, name string) map[string]any {
	t.Helper()
	l := ipJSON(t, ns, "-d", "link", "show", name)
	if len(l) != 1 {
		t.Fatalf("ip link show %s: %d objects", name, len(l))
	}
	return l[0]
}

func kindOf(l map[string]any) string {
	li, _ := l["linkinfo"].(map[string]any)
	k, _ := li["info_kind"].(string)
	return k
}

func infoData(l map[string]any) map[string]any {
	li, _ := l["linkinfo"].(map[string]any)
	d, _ := li["info_data"].(map[string]any)
	return d
}

func TestIPLinkAddKinds(t *testing.T) {
	ns, e := ipEnv(t)
	run(t, e, `
ip.link('add', {ifname='v0', kind='veth', peer='v1'})
ip.link('add', {ifname='br0', kind='bridge', stp_state=1, forward_delay=500})
-- this kernel has no VLAN filtering (EOPNOTSUPP), so that option is checked unsent
local d = ip.link('add', {ifname='br9', kind='bridge', vlan_filtering=true, dry=true})
assert(d:get('IFLA_LINKINFO', 'IFLA_INFO_DATA', 'IFLA_BR_VLAN_FILTERING') == 1)
ip.link('add', {ifname='mv0', kind='macvlan', link='v0', mode='bridge'})
ip.link('add', {ifname='mvt0', kind='macvtap', link='v0', mode='vepa'})
ip.link('add', {ifname='vx0', kind='vxlan', id=42, port=4789, ['local']='10.0.0.1', dev='v0'})
ip.link('add', {ifname='vx1', kind='vxlan', id=43, remote='10.0.0.9'})
ip.link('add', {ifname='tun0', kind='tun'})
ip.link('add', {ifname='tap0', kind='tap'})
ip.link('add', {ifname='ifb0', kind='ifb'})
`)
	for name, kind := range map[string]string{"v0": "veth", "v1": "veth", "br0": "bridge", "mv0": "macvlan", "mvt0": "macvtap", "vx0": "vxlan", "vx1": "vxlan", "tun0": "tun", "tap0": "tun", "ifb0": "ifb"} {
		if got := kindOf(linkInfo(t, ns, name)); got != kind {
			t.Errorf("%s: kind %q, want %q", name, got, kind)
		}
	}
	br := infoData(linkInfo(t, ns, "br0"))
	if jsonText(br["stp_state"]) != "1" || jsonText(br["forward_delay"]) != "500" {
		t.Errorf("bridge options: %v", br)
	}
	if m := infoData(linkInfo(t, ns, "mv0")); m["mode"] != "bridge" {
		t.Errorf("macvlan mode: %v", m)
	}
	if m := infoData(linkInfo(t, ns, "mvt0")); m["mode"] != "vepa" {
		t.Errorf("macvtap mode: %v", m)
	}
	vx := infoData(linkInfo(t, ns, "vx0"))
	if jsonText(vx["id"]) != "42" || jsonText(vx["port"]) != "4789" || vx["local"] != "10.0.0.1" || vx["link"] != "v0" {
		t.Errorf("vxlan: %v", vx)
	}
	if vx := infoData(linkInfo(t, ns, "vx1")); vx["group"] != "10.0.0.9" && vx["remote"] != "10.0.0.9" {
		t.Errorf("vxlan remote: %v", vx)
	}
	if d := infoData(linkInfo(t, ns, "tap0")); d["type"] != "tap" {
		t.Errorf("tap: %v", d)
	}
}

func TestIPLinkSet(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	run(t, e, `
ip.link('set', {ifname='v0', state='up', mtu=1400, address='02:00:00:00:00:aa', txqlen=500, alias='uplink'})
ip.link('set', {ifname='v1', master='br0'})
local i = ip.link_lookup('v0')
ip.link('set', {index=i, ifname='wan0'})
`)
	l := linkInfo(t, ns, "wan0")
	for k, want := range map[string]string{"mtu": "1400", "address": "02:00:00:00:00:aa", "txqlen": "500", "ifalias": "uplink"} {
		if got := jsonText(l[k]); got != want {
			t.Errorf("%s = %s, want %s", k, got, want)
		}
	}
	if flags := jsonText(l["flags"]); !strings.Contains(flags, "UP") {
		t.Errorf("flags %s: not up", flags)
	}
	if m := linkInfo(t, ns, "v1")["master"]; m != "br0" {
		t.Errorf("v1 master = %v", m)
	}
	run(t, e, `ip.link('set', {ifname='v1', master=false}); ip.link('set', {ifname='wan0', state='down'})`)
	if m, ok := linkInfo(t, ns, "v1")["master"]; ok {
		t.Errorf("v1 still has master %v", m)
	}
	if flags := jsonText(linkInfo(t, ns, "wan0")["flags"]); strings.Contains(flags, "\"UP\"") {
		t.Errorf("wan0 still up: %s", flags)
	}
}

func TestIPLinkDelGetLookup(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	vals := run(t, e, `
local i = ip.link_lookup('v0')
local m = ip.link('get', {ifname='v0'})
assert(m.index == i and m:get('IFLA_IFNAME') == 'v0')
assert(ip.link_lookup('nosuch') == nil)
local n = #ip.links()
local veths = ip.links{kind='veth'}
local byname = ip.links{ifname='v1'}
local f = ip.links(function(l) return l:get('IFLA_MTU') == 65536 end)
ip.link('del', {ifname='v0'})
return n, #veths, #byname, f[1]:get('IFLA_IFNAME')
`)
	if got := []string{vals[0].String(), vals[1].String(), vals[2].String(), vals[3].String()}; strings.Join(got, " ") != "3 2 1 lo" {
		t.Errorf("links counts = %v, want [3 2 1 lo]", got)
	}
	if l := ipJSON(t, ns, "link", "show"); len(l) != 1 {
		t.Errorf("after del: %d links, want only lo", len(l))
	}
}

func TestIPLinkDryEchoErrors(t *testing.T) {
	ns, e := ipEnv(t)
	vals := run(t, e, `
local m = ip.link('add', {ifname='x0', kind='bridge', dry=true})
assert(m.header.type == RTM_NEWLINK and m:get('IFLA_LINKINFO', 'IFLA_INFO_KIND') == 'bridge')
local made = ip.link('add', {ifname='x1', kind='bridge', echo=true})
local ok, err = pcall(ip.link, 'add', {ifname='x1', kind='bridge'})
local ok2, err2 = pcall(ip.link, 'add', {ifname='x2', knd='bridge'})
local ok3, err3 = pcall(ip.link, 'set', {ifname='nosuch', mtu=1000})
return made:get('IFLA_IFNAME'), err.code, tostring(err2), tostring(err3)
`)
	if vals[0].String() != "x1" || vals[1].String() != "EEXIST" {
		t.Errorf("echo/EEXIST: %v %v", vals[0], vals[1])
	}
	if got := vals[2].String(); !strings.Contains(got, "ip.link: unknown key 'knd' (did you mean 'kind'?)") || !strings.HasPrefix(got, "test:") {
		t.Errorf("bad key error = %q", got)
	}
	if got := vals[3].String(); !strings.Contains(got, "no interface named 'nosuch'") {
		t.Errorf("missing link error = %q", got)
	}
	if l := ipJSON(t, ns, "link", "show"); find(l, "ifname", "x0") != nil {
		t.Errorf("dry run created x0")
	}
}

// TestIPNetns covers namespaces: nl.netns add/list/del interoperate with
// `ip netns`, ip.netns binds the API to another namespace, and links move
// between namespaces (a veth peer created directly in another one, and a
// link moved with set netns).
func TestIPNetns(t *testing.T) {
	ns, e := ipEnv(t)
	other := nstest.New(t)
	made := nstest.Prefix + "made" + strings.TrimPrefix(ns, nstest.Prefix)[:6]
	t.Cleanup(func() { engine.DelNetNS(made) })
	vals := run(t, e, `
nl.netns.add('`+made+`')
local found = false
for _, n in ipairs(nl.netns.list()) do if n == '`+made+`' then found = true end end
assert(found, 'nl.netns.list lacks the new namespace')
local o = ip.netns('`+other+`')
o.link('add', {ifname='in-other', kind='bridge'})
ip.link('add', {ifname='v0', kind='veth', peer={ifname='v1', netns='`+other+`'}})
ip.link('add', {ifname='mv', kind='veth', peer='mv-peer'})
ip.link('set', {ifname='mv', netns='`+other+`'})
local names = {}
for _, l in ipairs(o.links()) do names[#names + 1] = l:get('IFLA_IFNAME') end
table.sort(names)
return table.concat(names, ' ')
`)
	if got := vals[0].String(); got != "in-other lo mv v1" {
		t.Errorf("links in the other namespace (seen by nlsh) = %q", got)
	}
	for _, name := range []string{"in-other", "v1", "mv"} {
		if find(ipJSON(t, other, "link", "show"), "ifname", name) == nil {
			t.Errorf("%s is not in the other namespace", name)
		}
	}
	if find(ipJSON(t, ns, "link", "show"), "ifname", "mv") != nil {
		t.Errorf("mv did not leave its namespace")
	}
	out, err := exec.Command("ip", "netns", "list").CombinedOutput()
	if err != nil || !strings.Contains(string(out), made) {
		t.Errorf("ip netns list does not show %s: %v\n%s", made, err, out)
	}
	run(t, e, `nl.netns.del('`+made+`')`)
	out, _ = exec.Command("ip", "netns", "list").CombinedOutput()
	if strings.Contains(string(out), made) {
		t.Errorf("nl.netns.del left %s", made)
	}
}

func TestIPBatch(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	vals := run(t, e, `
local n = ip.batch(function()
  for i = 1, 300 do ip.link('add', {ifname='b' .. i, kind='bridge'}) end
end)
local ok, err = pcall(ip.batch, function()
  ip.link('add', {ifname='c1', kind='bridge'})
  ip.link('add', {ifname='b7', kind='bridge'})      -- exists: fails
  ip.link('add', {ifname='c2', kind='bridge'})
end)
return n, err.index, err.failed, err.code, tostring(err)
`)
	if vals[0].String() != "300" || vals[1].String() != "2" || vals[2].String() != "1" || vals[3].String() != "EEXIST" {
		t.Errorf("batch results %v", vals)
	}
	if s := vals[4].String(); !strings.Contains(s, "ip.batch: request 2 of 3 failed") {
		t.Errorf("batch error line %q", s)
	}
	links := ipJSON(t, ns, "link", "show")
	if len(links) != 3+300+2 {
		t.Errorf("%d links after the batches, want %d", len(links), 3+300+2)
	}
}

// TestIPMonitor runs ip.monitor in its own Env while the test changes the
// namespace: the callback sees the link, then the address, and stops the
// monitor by returning false. The changes repeat until the monitor reports,
// since the test cannot know the instant it has subscribed.
func TestIPMonitor(t *testing.T) {
	ns := nstest.New(t)
	type result struct {
		seen string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		e2 := New(Options{NetNS: ns})
		defer e2.Close()
		v, err := e2.Run(context.Background(), "monitor", `
local seen = {}
ip.monitor({'link', 'addr'}, function(ev)
  if ev.overrun then return end
  seen[#seen + 1] = ev.event
  if ev.event == 'RTM_NEWADDR' then return false end
end, {timeout = 10})
return table.concat(seen, ' ')
`, nil)
		if err != nil {
			done <- result{err: errors.New(e2.FormatError(err))}
			return
		}
		done <- result{seen: v[0].String()}
	}()
	for i := 0; ; i++ {
		select {
		case r := <-done:
			if r.err != nil {
				t.Fatal(r.err)
			}
			if !strings.Contains(r.seen, "RTM_NEWLINK") || !strings.HasSuffix(r.seen, "RTM_NEWADDR") {
				t.Errorf("ip.monitor saw %q", r.seen)
			}
			return
		case <-time.After(200 * time.Millisecond):
			if i > 40 {
				t.Fatal("ip.monitor never reported")
			}
			a, b := fmt.Sprintf("m%d", i), fmt.Sprintf("n%d", i)
			nstest.IP(t, ns, "link", "add", a, "type", "veth", "peer", "name", b)
			nstest.IP(t, ns, "addr", "add", fmt.Sprintf("10.9.%d.1/24", i), "dev", a)
		}
	}
}
