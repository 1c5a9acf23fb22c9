package luabind

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// pcallErr runs src, a function body that must raise an error, under
// pcall and returns the error's text without its position.
func pcallErr(t *testing.T, e *Env, src string) string {
	t.Helper()
	vals := run(t, e, `
local ok, err = pcall(function()
`+src+`
end)
if ok then error('did not fail', 0) end
return (tostring(err):gsub('^test:%d+: ', ''))`)
	return lua.LVAsString(vals[0])
}

// TestEncodeRefusesLua: values a field or attribute cannot take are errors
// with the path, the value and what it takes, whichever way the message
// was built; pcall catches them. None needs a kernel: each fails before a
// socket is used.
func TestEncodeRefusesLua(t *testing.T) {
	e, _ := newEnv(t, "")
	e.L.SetGlobal("ud", e.L.NewUserData())
	for _, tc := range []struct{ name, src, want string }{
		// The three reproducers.
		{"ip.rule table -1", `ip.rule('add', {table = -1, priority = 100, dry = true}):encode()`,
			"encode: fib_rule_hdr.table: -1 is out of range for u8 (0..255)"},
		{"alias a function", `ip.link('set', {index = 1, alias = function() end, dry = true}):encode()`,
			"encode: IFLA_IFALIAS: expected a string, got a function"},
		{"family a table", `local m = rtnl.ifaddrmsg(); m.family = {}; m:encode()`,
			"encode: ifaddrmsg.family: expected an integer (u8, 0..255) or an address_family name, got a table"},
		{"attrs a map", `local m = rtnl.ifinfomsg(); m.attrs = {IFLA_MTU = 1400}; m:encode()`,
			"encode: attrs: expected a list of {name, value} pairs, got a table with keys IFLA_MTU"},

		// The same checks through the other builders.
		{"constructor", `rtnl.rtmsg{table = -1}:encode()`,
			"encode: rtmsg.table: -1 is out of range for u8 (0..255)"},
		{"ip.route dry", `ip.route('add', {dst = '10.8.0.0/16', table = -1, dry = true}):encode()`,
			"encode: rtmsg.table: -1 is out of range for u8 (0..255)"},
		{"nl.explain", `nl.explain(rtnl.rtmsg{dst_len = 256})`,
			"encode: rtmsg.dst_len: 256 is out of range for u8 (0..255)"},
		{"header", `local m = rtnl.rtmsg(); m.header.flags = -1; m:encode()`,
			"encode: header.flags: -1 is out of range for u16 (0..65535)"},
		{"header boolean", `local m = rtnl.rtmsg(); m.header.pid = true; m:encode()`,
			"encode: header.pid: expected an integer (u32, 0..4294967295), got a boolean"},

		// Every Lua type where an integer goes.
		{"function", `local m = rtnl.ifaddrmsg(); m.prefixlen = print; m:encode()`,
			"encode: ifaddrmsg.prefixlen: expected an integer (u8, 0..255), got a function"},
		{"coroutine", `local m = rtnl.ifaddrmsg(); m.prefixlen = coroutine.create(print); m:encode()`,
			"encode: ifaddrmsg.prefixlen: expected an integer (u8, 0..255), got a coroutine"},
		{"userdata", `local m = rtnl.ifaddrmsg(); m.prefixlen = ud; m:encode()`,
			"encode: ifaddrmsg.prefixlen: expected an integer (u8, 0..255), got userdata"},
		{"boolean", `local m = rtnl.ifaddrmsg(); m.prefixlen = true; m:encode()`,
			"encode: ifaddrmsg.prefixlen: expected an integer (u8, 0..255), got a boolean"},
		{"table", `local m = rtnl.ifaddrmsg(); m.prefixlen = {24}; m:encode()`,
			"encode: ifaddrmsg.prefixlen: expected an integer (u8, 0..255), got a table"},
		{"text", `local m = rtnl.ifaddrmsg(); m.prefixlen = 'x'; m:encode()`,
			`encode: ifaddrmsg.prefixlen: expected an integer (u8, 0..255), got "x"`},
		{"fraction", `local m = rtnl.ifaddrmsg(); m.prefixlen = 1.5; m:encode()`,
			"encode: ifaddrmsg.prefixlen: 1.5 is not an integer (u8, 0..255)"},
		{"nan", `local m = rtnl.ifaddrmsg(); m.prefixlen = 0/0; m:encode()`,
			"encode: ifaddrmsg.prefixlen: nan is not an integer (u8, 0..255)"},
		{"inf", `local m = rtnl.ifaddrmsg(); m.prefixlen = -1/0; m:encode()`,
			"encode: ifaddrmsg.prefixlen: -inf is not an integer (u8, 0..255)"},
		{"u32 -1", `local m = rtnl.ifaddrmsg(); m.index = -1; m:encode()`,
			"encode: ifaddrmsg.index: -1 is out of range for u32 (0..4294967295)"},
		{"s32 below", `local m = rtnl.ifinfomsg(); m.index = -2^31 - 1; m:encode()`,
			"encode: ifinfomsg.index: -2147483649 is out of range for s32 (-2147483648..2147483647)"},
		{"u64 beyond", `local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_STATS64', {rx_packets = '18446744073709551616'}}}; m:encode()`,
			"encode: IFLA_STATS64 > rtnl_link_stats64.rx_packets: 18446744073709551616 is out of range for u64 (0..18446744073709551615)"},

		// Every Lua type where text goes.
		{"text a coroutine", `local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_IFNAME', coroutine.create(print)}}; m:encode()`,
			"encode: IFLA_IFNAME: expected a string, got a coroutine"},
		{"text userdata", `local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_IFNAME', ud}}; m:encode()`,
			"encode: IFLA_IFNAME: expected a string, got userdata"},
		{"text a table", `local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_IFNAME', {}}}; m:encode()`,
			"encode: IFLA_IFNAME: expected a string, got a table"},
		{"text a boolean", `local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_IFNAME', false}}; m:encode()`,
			"encode: IFLA_IFNAME: expected a string, got a boolean"},
		{"text a number", `local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_IFNAME', 5}}; m:encode()`,
			"encode: IFLA_IFNAME: expected a string, got a number"},

		// Shapes: maps where lists of pairs go, lists where structs go.
		{"nest a map", `local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_LINKINFO', {IFLA_INFO_KIND = 'veth'}}}; m:encode()`,
			"encode: IFLA_LINKINFO: expected a list of {name, value} pairs, got a table with keys IFLA_INFO_KIND"},
		{"deep nest a map", `local m = rtnl.ifinfomsg()
m.attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}, {'IFLA_INFO_DATA', {VETH_INFO_PEER = {}}}}}}
m:encode()`,
			"encode: IFLA_LINKINFO > IFLA_INFO_DATA: expected a list of {name, value} pairs, got a table with keys VETH_INFO_PEER"},
		{"keys beside a list", `local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_MTU', 1400}, IFLA_TXQLEN = 5}; m:encode()`,
			"encode: attrs: expected a list of {name, value} pairs, got a table with keys IFLA_TXQLEN besides its list"},
		{"struct a list", `local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_MAP', {1, 2, 3}}}; m:encode()`,
			"encode: IFLA_MAP: rtnl_link_ifmap: expected a table of fields by name, got a list"},
		{"record a list", `local m = rtnl.ifinfomsg()
m.attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}, {'IFLA_INFO_DATA', {{'VETH_INFO_PEER', {{'IFLA_IFNAME', 'v1'}}}}}}}}
m:encode()`,
			"encode: IFLA_LINKINFO > IFLA_INFO_DATA > VETH_INFO_PEER: ifinfomsg: expected a table of fields and attrs, got a list"},
		{"nested path", `local m = rtnl.ifinfomsg()
m.attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}, {'IFLA_INFO_DATA', {{'VETH_INFO_PEER', {index = 2^31}}}}}}}
m:encode()`,
			"encode: IFLA_LINKINFO > IFLA_INFO_DATA > VETH_INFO_PEER > ifinfomsg.index: 2147483648 is out of range for s32 (-2147483648..2147483647)"},
		{"pair with another key", `local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_MTU', 1400, flags = 1}}; m:encode()`,
			"encode: attribute #1: expected {name, value} and at most nla_flags, got keys flags"},
		{"flag list item", `local m = rtnl.rtmsg(); m.flags = {'RTM_F_NOTIFY', true}; m:encode()`,
			"encode: rtmsg.flags: list item 2: expected an integer (u32, 0..4294967295), got a boolean"},
		{"u8 attribute true", `local l = rtnl.ifinfomsg()
l.attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'bridge'}, {'IFLA_INFO_DATA', {{'IFLA_BR_MCAST_SNOOPING', true}}}}}}
l:encode()`,
			"encode: IFLA_LINKINFO > IFLA_INFO_DATA > IFLA_BR_MCAST_SNOOPING: expected an integer (u8, 0..255), got a boolean"},
		{"flag attribute -1", `local l = rtnl.ifinfomsg()
l.attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'bridge'}, {'IFLA_INFO_DATA', {{'IFLA_BR_FDB_FLUSH', -1}}}}}}
l:encode()`,
			"encode: IFLA_LINKINFO > IFLA_INFO_DATA > IFLA_BR_FDB_FLUSH: -1 is out of range for u8 (0..255)"},
		{"flag attribute a string", `local l = rtnl.ifinfomsg()
l.attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'bridge'}, {'IFLA_INFO_DATA', {{'IFLA_BR_FDB_FLUSH', 'yes'}}}}}}
l:encode()`,
			"encode: IFLA_LINKINFO > IFLA_INFO_DATA > IFLA_BR_FDB_FLUSH: flag attribute takes true or false, got a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, pcallErr(t, e, tc.src)); diff != "" {
				t.Errorf("%s\nerror (-want +got):\n%s", tc.src, diff)
			}
		})
	}
}

// TestEncodeAcceptsLua: the forms the checks leave alone still encode to
// the same bytes as their plain equivalents.
func TestEncodeAcceptsLua(t *testing.T) {
	e, _ := newEnv(t, "")
	run(t, e, `
local function same(a, b) assert(a:encode() == b:encode(), 'differ') end
same(rtnl.rtmsg{flags = {'RTM_F_NOTIFY', 'RTM_F_CLONED'}}, rtnl.rtmsg{flags = RTM_F_NOTIFY + RTM_F_CLONED})
same(rtnl.rtmsg{flags = 'RTM_F_NOTIFY|RTM_F_CLONED'}, rtnl.rtmsg{flags = RTM_F_NOTIFY + RTM_F_CLONED})
same(rtnl.rtmsg{flags = {}}, rtnl.rtmsg{flags = 0})
same(rtnl.rtmsg{table = 'RT_TABLE_MAIN'}, rtnl.rtmsg{table = 254})
same(rtnl.rtmsg{table = '0xfe'}, rtnl.rtmsg{table = 254})
same(rtnl.ifinfomsg{index = -1}, rtnl.ifinfomsg{index = '-1'})
-- a nest given as a decoded nest is, {attrs = …}
local a = rtnl.ifinfomsg(); a.attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}}}}
local b = rtnl.ifinfomsg(); b.attrs = {{'IFLA_LINKINFO', {attrs = {{'IFLA_INFO_KIND', 'veth'}}}}}
same(a, b)
-- the script's own keys (_name) are never sent
local c = rtnl.ifinfomsg(); c.attrs = {{'IFLA_MTU', 1400}, _why = 'test'}; c._note = 'x'
local d = rtnl.ifinfomsg(); d.attrs = {{'IFLA_MTU', 1400}}
same(c, d)
-- the largest u64, as text
local s = rtnl.ifinfomsg(); s.header.type = RTM_NEWLINK
s.attrs = {{'IFLA_STATS64', {rx_packets = '18446744073709551615'}}}
assert(rtnl.decode(s:encode())[1]:get('IFLA_STATS64').rx_packets == '18446744073709551615')
-- flag attributes take true and false (absent)
local function br(v)
  local l = rtnl.ifinfomsg()
  l.attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'bridge'}, {'IFLA_INFO_DATA', {{'IFLA_BR_FDB_FLUSH', v}}}}}}
  return l
end
assert(#br(true):encode() == #br(false):encode() + 4)
`)
}

// TestEncodeErrorSendsNothing: a request refused by the encoder is never
// sent. In a namespace, each would (before the checks) have created a
// rule, a route, an address or a link; afterwards iproute2 finds none.
func TestEncodeErrorSendsNothing(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	for _, tc := range []struct{ name, src, want string }{
		{"ip.rule", `ip.rule('add', {table = -1, priority = 1234})`,
			"ip.rule: fib_rule_hdr.table: -1 is out of range for u8 (0..255)"},
		{"ip.route", `ip.route('add', {dst = '10.8.0.0/16', dev = 'v0', table = -1})`,
			"ip.route: rtmsg.table: -1 is out of range for u8 (0..255)"},
		{"ip.link", `ip.link('add', {ifname = 'v7', kind = 'veth', peer = 'v8', alias = function() end})`,
			"ip.link: IFLA_IFALIAS: expected a string, got a function"},
		{"s:request", `local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = ip.link_lookup('v0')}
m.header.type, m.header.flags = RTM_NEWADDR, 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
m.attrs = {{'IFA_LOCAL', '10.9.9.9'}, {'IFA_ADDRESS', '10.9.9.9'}, {'IFA_PROTO', -1}}
nl.socket('route'):request(m)`,
			"encode: IFA_PROTO: -1 is out of range for u8 (0..255)"},
		{"s:send", `local m = rtnl.ifinfomsg()
m.header.type, m.header.flags = RTM_NEWLINK, 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
m.attrs = {{'IFLA_IFNAME', 'v9'}, {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}, {'IFLA_INFO_DATA', {VETH_INFO_PEER = {}}}}}}
nl.socket('route'):send(m)`,
			"encode: IFLA_LINKINFO > IFLA_INFO_DATA: expected a list of {name, value} pairs, got a table with keys VETH_INFO_PEER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, pcallErr(t, e, tc.src)); diff != "" {
				t.Errorf("%s\nerror (-want +got):\n%s", tc.src, diff)
			}
		})
	}
	// The kernel handles an rtnetlink request inside the send: had one
	// been sent, its object would be there now.
	if r := ruleAt(t, ns, false, 1234); r != nil {
		t.Errorf("rule 1234 exists: %v", r)
	}
	for _, r := range ipJSON(t, ns, "route", "show", "table", "all") {
		if r["dst"] == "10.8.0.0/16" {
			t.Errorf("route exists: %v", r)
		}
	}
	for _, l := range ipJSON(t, ns, "addr", "show") {
		if l["ifname"] == "v7" || l["ifname"] == "v8" || l["ifname"] == "v9" {
			t.Errorf("link exists: %v", l["ifname"])
		}
		for _, a := range l["addr_info"].([]any) {
			if a.(map[string]any)["local"] == "10.9.9.9" {
				t.Errorf("address exists: %v", a)
			}
		}
	}
}
