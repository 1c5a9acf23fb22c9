package luabind

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// TestIPLinkAltname adds and deletes alternative names with
// ip.link('property_add' | 'property_del') (RTM_NEWLINKPROP and
// RTM_DELLINKPROP, IFLA_PROP_LIST nested) and finds the link by them with
// ip.link('get', {altname=…}), ip.link_lookup and ip.links{altname=…};
// `ip -j link show` has the names.
func TestIPLinkAltname(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	vals := run(t, e, `
local i = ip.link_lookup('v0')
ip.link('property_add', {index = i, altname = 'v0-a-long-alternative-name'})
ip.link('property_add', {ifname = 'v0', altname = {'a1', 'a2'}})
return ip.link('get', {altname = 'a1'}).index == i, ip.link('get', {ifname = 'v0-a-long-alternative-name'}).index == i,
  ip.link_lookup('v0-a-long-alternative-name') == i, ip.link_lookup('a2') == i, #ip.links{altname = 'a2'}`)
	if diff := cmp.Diff([]string{"true", "true", "true", "true", "1"}, strs(vals)); diff != "" {
		t.Errorf("get by altname, by a long ifname, link_lookup, links{altname} (-want +got):\n%s", diff)
	}
	if got := jsonText(linkInfo(t, ns, "v0")["altnames"]); got != `["v0-a-long-alternative-name","a1","a2"]` {
		t.Errorf("altnames after property_add: %s", got)
	}
	vals = run(t, e, `
ip.link('property_del', {ifname = 'v0', altname = {'a1', 'v0-a-long-alternative-name'}})
local ok, err = pcall(ip.link, 'get', {altname = 'a1'})
return err.code, ip.link_lookup('a1') == nil, #ip.links{altname = 'a1'}`)
	if diff := cmp.Diff([]string{"ENODEV", "true", "0"}, strs(vals)); diff != "" {
		t.Errorf("after property_del: get, link_lookup, links (-want +got):\n%s", diff)
	}
	if got := jsonText(linkInfo(t, ns, "v0")["altnames"]); got != `["a2"]` {
		t.Errorf("altnames after property_del: %s", got)
	}
}

// TestIPLinkPropertyWire checks property_add's message against the bytes
// `ip link property add dev v0 altname v0alt` sent.
func TestIPLinkPropertyWire(t *testing.T) {
	e, _ := newEnv(t, "")
	vals := run(t, e, `return ip.link('property_add', {index = 3, altname = 'v0alt', dry = true})`)
	wantIproute2Bytes(t, e, vals[0].(*lua.LTable), filepath.Join("..", "testdata", "iproute2", "link_property.hex"))
}
