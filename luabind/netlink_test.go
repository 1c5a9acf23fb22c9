package luabind

import (
	"encoding/binary"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
	"nlsh/engine/nstest"
	"nlsh/rtnl"
)

// The tests here prove, against the kernel in a throwaway namespace, what
// the tutorial and the Lua API reference teach about netlink itself: how
// acknowledgements look, byte order, NLA_F_NESTED, strict checking, dump
// flags, repeated attributes. Each runs Lua that prints what it saw; the
// lines are compared with what the documentation says.

// luaLines runs src in an Env bound to ns and returns the lines it printed.
func luaLines(t *testing.T, ns, src string) []string {
	t.Helper()
	e, out := newEnv(t, ns)
	run(t, e, src)
	return strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
}

// nestedPaths lists, by name, the attributes of the one message in b that
// carry NLA_F_NESTED, nests walked depth first ("RTA_ENCAP > LWTUNNEL_IP_OPTS").
func nestedPaths(t *testing.T, b []byte) []string {
	t.Helper()
	msgs, err := engine.Split(b)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("split: %v (%d messages)", err, len(msgs))
	}
	mt := rtnl.Route.TypeByNumber(msgs[0].Header.Type)
	rec := msgs[0].Decode(rtnl.Route)
	var paths []string
	var walk func(set *engine.AttrSet, attrs []engine.Attr, prefix string)
	walk = func(set *engine.AttrSet, attrs []engine.Attr, prefix string) {
		for _, a := range attrs {
			p := prefix + a.Name(set)
			if a.Flags&engine.NLA_F_NESTED != 0 {
				paths = append(paths, p)
			}
			if n, ok := a.Value.(*engine.NestValue); ok {
				walk(n.Set, n.Attrs, p+" > ")
			}
		}
	}
	walk(mt.Class.Attrs, rec.Attrs, "")
	return paths
}

// nestedFlagLua is the harness of TestNestedFlag: build(f) returns the
// case's message with nla_flags f on the nests in question (nil: as the
// description says). It prints the outcome of sending the message with
// the flag cleared, then of sending it as nlsh encodes it, on a socket
// without strict checking (which only concerns GET requests).
const nestedFlagLua = `
local s = nl.socket('route', {strict = false})
local function index(name)
  local get = rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST}, attrs = {{'IFLA_IFNAME', name}}}
  return s:request(get)[1].index
end
local function flags(t) t.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL' return t end
%s
local ok, e = pcall(s.request, s, build(0))
print('without NLA_F_NESTED:', ok, e.code, e.ext_ack or '-', e.attr or '-')
_G.encoded = build(nil):encode()
ok, e = pcall(s.request, s, build(nil))
print('as nlsh encodes it:', ok, ok or tostring(e))
`

// TestNestedFlag checks that the encoder sets NLA_F_NESTED where the kernel
// needs it (the places iproute2 sets it), that the kernel takes those
// messages, and that it refuses the same bytes without the flag.
func TestNestedFlag(t *testing.T) {
	cases := []struct {
		name   string
		setup  [][]string // ip commands run first
		build  string     // Lua defining build(f)
		nested []string   // attributes sent with NLA_F_NESTED
		refuse string     // the kernel's answer without the flag
		check  []string   // a command run in the namespace whose output must hold want
		want   string
	}{{
		name: "RTM_NEWLINKPROP IFLA_PROP_LIST",
		build: `function build(f)
  local m = flags(rtnl.ifinfomsg{index = index('v0'), header = {type = RTM_NEWLINKPROP}})
  m.attrs = {{'IFLA_PROP_LIST', {{'IFLA_ALT_IFNAME', 'v0-alt'}}, nla_flags = f}}
  return m
end`,
		nested: []string{"IFLA_PROP_LIST"},
		refuse: "without NLA_F_NESTED:\tfalse\tEINVAL\tNLA_F_NESTED is missing\tIFLA_PROP_LIST",
		check:  []string{"ip", "-j", "link", "show", "v0"},
		want:   `"altnames":["v0-alt"]`,
	}, {
		// Without the flag the bridge reads IFLA_PROTINFO as the old
		// one-byte STP state: 8 (the inner nla_len) is no state.
		name:  "AF_BRIDGE RTM_SETLINK IFLA_PROTINFO",
		setup: [][]string{{"link", "add", "br0", "type", "bridge"}, {"link", "set", "v1", "master", "br0"}},
		build: `function build(f)
  local m = rtnl.ifinfomsg{family = AF_BRIDGE, index = index('v1'), header = {type = RTM_SETLINK, flags = 'NLM_F_REQUEST|NLM_F_ACK'}}
  m.attrs = {{'IFLA_PROTINFO', {{'IFLA_BRPORT_COST', 5}}, nla_flags = f}}
  return m
end`,
		nested: []string{"IFLA_PROTINFO"},
		refuse: "without NLA_F_NESTED:\tfalse\tEINVAL\t-\t-",
		check:  []string{"ip", "-j", "-d", "link", "show", "v1"},
		want:   `"cost":5,`,
	}, {
		name: "RTM_NEWNEXTHOP NHA_RES_GROUP",
		setup: [][]string{{"link", "set", "v0", "up"}, {"link", "set", "v1", "up"}, {"nexthop", "add", "id", "1", "dev", "v0"},
			{"nexthop", "add", "id", "2", "dev", "v0"}},
		build: `function build(f)
  local m = flags(rtnl.nhmsg{header = {type = RTM_NEWNEXTHOP}})
  m.attrs = {{'NHA_ID', 11}, {'NHA_GROUP', {entries = {{id = 1}, {id = 2}}}},
    {'NHA_RES_GROUP', {{'NHA_RES_GROUP_BUCKETS', 8}}, nla_flags = f}, {'NHA_GROUP_TYPE', 'NEXTHOP_GRP_TYPE_RES'}}
  return m
end`,
		nested: []string{"NHA_RES_GROUP"},
		refuse: "without NLA_F_NESTED:\tfalse\tEINVAL\tNLA_F_NESTED is missing\tNHA_RES_GROUP",
		check:  []string{"ip", "-j", "nexthop", "show", "id", "11"},
		want:   `"buckets":8,`,
	}, {
		name:  "RTM_NEWNEXTHOP NHA_ENCAP",
		setup: [][]string{{"link", "set", "v0", "up"}, {"link", "set", "v1", "up"}},
		build: `function build(f)
  local m = flags(rtnl.nhmsg{family = AF_INET, header = {type = RTM_NEWNEXTHOP}})
  m.attrs = {{'NHA_ID', 7}, {'NHA_OIF', index('v0')}, {'NHA_ENCAP_TYPE', 'LWTUNNEL_ENCAP_IP'},
    {'NHA_ENCAP', {{'LWTUNNEL_IP_ID', 7}, {'LWTUNNEL_IP_DST', '10.0.0.3'}}, nla_flags = f}}
  return m
end`,
		nested: []string{"NHA_ENCAP"},
		refuse: "without NLA_F_NESTED:\tfalse\tEINVAL\tNLA_F_NESTED is missing\tNHA_ENCAP",
		check:  []string{"ip", "-j", "nexthop", "show", "id", "7"},
		want:   `"dst":"10.0.0.3"`,
	}, {
		name:  "AF_BRIDGE RTM_NEWNEIGH NDA_FDB_EXT_ATTRS",
		setup: [][]string{{"link", "add", "br0", "type", "bridge"}, {"link", "set", "v0", "master", "br0"}},
		build: `function build(f)
  local m = flags(rtnl.ndmsg{family = AF_BRIDGE, ifindex = index('v0'), state = NUD_REACHABLE,
    flags = NTF_MASTER + NTF_EXT_LEARNED, header = {type = RTM_NEWNEIGH}})
  m.attrs = {{'NDA_LLADDR', '02:00:00:00:00:01'}, {'NDA_FDB_EXT_ATTRS', {{'NFEA_ACTIVITY_NOTIFY', 1}}, nla_flags = f}}
  return m
end`,
		nested: []string{"NDA_FDB_EXT_ATTRS"},
		refuse: "without NLA_F_NESTED:\tfalse\tEINVAL\tNLA_F_NESTED is missing\tNDA_FDB_EXT_ATTRS",
		check:  []string{"bridge", "-j", "fdb", "show", "dev", "v0"},
		want:   `"mac":"02:00:00:00:00:01"`,
	}, {
		name:  "RTM_NEWROUTE LWTUNNEL_IP_OPTS",
		setup: [][]string{{"link", "set", "v0", "up"}},
		build: `function build(f)
  local m = flags(rtnl.rtmsg{family = AF_INET, dst_len = 24, table = RT_TABLE_MAIN, proto = RTPROT_BOOT,
    scope = RT_SCOPE_LINK, type = RTN_UNICAST, header = {type = RTM_NEWROUTE}})
  m.attrs = {{'RTA_DST', '10.9.0.0'}, {'RTA_OIF', index('v0')}, {'RTA_ENCAP_TYPE', 'LWTUNNEL_ENCAP_IP'},
    {'RTA_ENCAP', {{'LWTUNNEL_IP_ID', 5}, {'LWTUNNEL_IP_DST', '10.0.0.2'},
      {'LWTUNNEL_IP_OPTS', {{'LWTUNNEL_IP_OPTS_VXLAN', {{'LWTUNNEL_IP_OPT_VXLAN_GBP', 7}}, nla_flags = f}}, nla_flags = f}}}}
  return m
end`,
		nested: []string{"RTA_ENCAP", "RTA_ENCAP > LWTUNNEL_IP_OPTS", "RTA_ENCAP > LWTUNNEL_IP_OPTS > LWTUNNEL_IP_OPTS_VXLAN"},
		refuse: "without NLA_F_NESTED:\tfalse\tEINVAL\tNLA_F_NESTED is missing\tRTA_ENCAP > LWTUNNEL_IP_OPTS",
		check:  []string{"ip", "-j", "route", "show", "10.9.0.0/24"},
		want:   `"vxlan_opts":[{"gbp":7}]`,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ns := nstest.New(t)
			nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
			for _, args := range c.setup {
				nstest.IP(t, ns, args...)
			}
			e, out := newEnv(t, ns)
			run(t, e, strings.Replace(nestedFlagLua, "%s", c.build, 1))
			got := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
			want := []string{c.refuse, "as nlsh encodes it:\ttrue\ttrue"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the kernel's answers (-want +got):\n%s", diff)
			}
			enc := []byte(e.L.GetGlobal("encoded").String())
			if diff := cmp.Diff(c.nested, nestedPaths(t, enc)); diff != "" {
				t.Errorf("attributes encoded with NLA_F_NESTED (-want +got):\n%s", diff)
			}
			if shown := nstest.Run(t, ns, c.check...); !strings.Contains(shown, c.want) {
				t.Errorf("%s lacks %s:\n%s", strings.Join(c.check, " "), c.want, shown)
			}
		})
	}
}

// TestNexthops adds nexthops and a group with rtnl.nhmsg and dumps them
// back. The running kernel adds NHA_OP_FLAGS to every group, and statistics
// (NHA_GROUP_STATS, NHA_HW_STATS_ENABLE) when the dump asks with
// NHA_OP_FLAGS: names newer than the 6.1 headers, which decode by name and
// re-encode to the same bytes.
func TestNexthops(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "link", "set", "v1", "up")
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
	got := luaLines(t, ns, `
local s = nl.socket('route')
local v0 = s:request(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST}, attrs = {{'IFLA_IFNAME', 'v0'}}})[1].index
local function add(m)
  m.header.type = RTM_NEWNEXTHOP
  m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
  s:request(m)
end
add(rtnl.nhmsg{family = AF_INET, attrs = {{'NHA_ID', 1}, {'NHA_OIF', v0}}})
add(rtnl.nhmsg{family = AF_INET, attrs = {{'NHA_ID', 2}, {'NHA_GATEWAY', '10.0.0.2'}, {'NHA_OIF', v0}}})
add(rtnl.nhmsg{attrs = {{'NHA_ID', 10}, {'NHA_GROUP', {entries = {{id = 1}, {id = 2, weight = 2}}}}}})
local function show(filter)
  local req = rtnl.nhmsg{header = {type = RTM_GETNEXTHOP, flags = NLM_F_REQUEST + NLM_F_DUMP}, attrs = filter}
  for _, m in ipairs(s:request(req)) do
    local raw = m:encode()   -- untouched, a decoded message encodes to the bytes received
    local names, members = {}, {}
    for _, a in ipairs(m.attrs) do names[#names + 1] = a[1] end
    for _, g in ipairs(m:get('NHA_GROUP') and m:get('NHA_GROUP').entries or {}) do
      members[#members + 1] = g.id .. '/' .. (g.weight + 1)
    end
    print(m.event, m:get('NHA_ID'), table.concat(names, ' '), table.concat(members, ','),
      m:get('NHA_OP_FLAGS') and ('NHA_OP_FLAGS=0x%x'):format(m:get('NHA_OP_FLAGS')) or '', m:encode() == raw)
  end
end
show({})
print('-- groups, with NHA_OP_FLAGS = NHA_OP_FLAG_DUMP_STATS')
show({{'NHA_GROUPS', true}, {'NHA_OP_FLAGS', 'NHA_OP_FLAG_DUMP_STATS'}})
`)
	want := []string{
		"RTM_NEWNEXTHOP\t1\tNHA_ID NHA_OIF\t\t\ttrue",
		"RTM_NEWNEXTHOP\t2\tNHA_ID NHA_OIF NHA_GATEWAY\t\t\ttrue",
		"RTM_NEWNEXTHOP\t10\tNHA_ID NHA_GROUP_TYPE NHA_GROUP NHA_OP_FLAGS\t1/1,2/3\tNHA_OP_FLAGS=0x80000000\ttrue",
		"-- groups, with NHA_OP_FLAGS = NHA_OP_FLAG_DUMP_STATS",
		"RTM_NEWNEXTHOP\t10\tNHA_ID NHA_GROUP_TYPE NHA_GROUP NHA_HW_STATS_ENABLE NHA_GROUP_STATS NHA_OP_FLAGS\t1/1,2/3\tNHA_OP_FLAGS=0x80000000\ttrue",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("nexthop dumps (-want +got):\n%s", diff)
	}
	if shown := nstest.IP(t, ns, "nexthop", "show", "id", "10"); !strings.Contains(shown, "group 1/2,3") {
		t.Errorf("ip nexthop show id 10 = %q, want group 1/2,3", shown)
	}
}

// TestAcknowledgements checks what the tutorial says of NLMSG_ERROR: a
// success ACK never carries the request's payload (NLM_F_CAPPED), a failure
// does unless NETLINK_CAP_ACK is set, and a request without NLM_F_ACK still
// gets an NLMSG_ERROR when it fails, and nothing when it succeeds.
func TestAcknowledgements(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	got := luaLines(t, ns, `
local function show(what, raw)
  local m = rtnl.decode(raw)[1]
  print(what, m.event, m.error, #raw, ('0x%x'):format(m.header.flags))
end
for _, cap in ipairs{false, true} do
  local s = nl.socket('route', {cap_ack = cap})
  local get = rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST}, attrs = {{'IFLA_IFNAME', 'v0'}}}
  local set = rtnl.ifinfomsg{index = s:request(get)[1].index, header = {type = RTM_NEWLINK, flags = NLM_F_REQUEST + NLM_F_ACK}}
  set.attrs = {{'IFLA_MTU', 1400}}
  print('cap_ack', cap, 'request bytes', #set:encode())
  s:send(set)
  show('success', s:recv_raw())
  set.attrs = {{'IFLA_MTU', 10}}   -- below the minimum
  s:send(set)
  show('failure', s:recv_raw())
  s:close()
end
local s = nl.socket('route')
local get = rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST, sequence_number = 3}, attrs = {{'IFLA_IFNAME', 'v0'}}}
local set = rtnl.ifinfomsg{index = s:request(get)[1].index, header = {type = RTM_NEWLINK, flags = NLM_F_REQUEST, sequence_number = 1}}
set.attrs = {{'IFLA_MTU', 10}}
s:send(set)
local m = s:recv()[1]
print('no NLM_F_ACK, failing:', m.event, m.error, m.header.sequence_number)
set.attrs = {{'IFLA_MTU', 1300}}
set.header.sequence_number = 2
s:send(set)
s:send(get)
m = s:recv()[1]
print('no NLM_F_ACK, succeeding: the next reply is', m.event, 'seq', m.header.sequence_number)
`)
	// 40-byte request: a failure echoes it (16 + 4 + 40 bytes, then 36 of
	// extended ACK), capped it echoes the 16-byte header only.
	want := []string{
		"cap_ack\tfalse\trequest bytes\t40",
		"success\tNLMSG_ERROR\t0\t36\t0x100",
		"failure\tNLMSG_ERROR\t-22\t96\t0x200",
		"cap_ack\ttrue\trequest bytes\t40",
		"success\tNLMSG_ERROR\t0\t36\t0x100",
		"failure\tNLMSG_ERROR\t-22\t72\t0x300",
		"no NLM_F_ACK, failing:\tNLMSG_ERROR\t-22\t1",
		"no NLM_F_ACK, succeeding: the next reply is\tRTM_NEWLINK\tseq\t3",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("acknowledgements (-want +got):\n%s", diff)
	}
}

// TestByteOrder checks that netlink headers are in host byte order (the
// kernel's replies and nlsh's requests alike) while an IPv4 address is in
// network order, unmarked by NLA_F_NET_BYTEORDER in rtnetlink, and that
// NLA_F_NET_BYTEORDER is a bit of nla_type that a pair keeps as nla_flags.
func TestByteOrder(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
	e, _ := newEnv(t, ns)
	vals := run(t, e, `
local s = nl.socket('route')
local req = rtnl.ifaddrmsg{family = AF_INET, header = {type = RTM_GETADDR, flags = NLM_F_REQUEST + NLM_F_DUMP, sequence_number = 0x01020304}}
s:send(req)
local reply = s:recv_raw()
local m = rtnl.ifaddrmsg{header = {type = RTM_NEWADDR}, attrs = {{'IFA_LOCAL', '10.0.0.1', nla_flags = NLA_F_NET_BYTEORDER}}}
local d = rtnl.decode(m:encode())[1]
return req:encode(), reply, d.attrs[1].nla_flags, NLA_F_NET_BYTEORDER
`)
	req, reply := []byte(vals[0].String()), []byte(vals[1].String())
	if got := binary.NativeEndian.Uint32(req[8:12]); got != 0x01020304 {
		t.Errorf("request nlmsg_seq read in host order = %#x, want 0x01020304", got)
	}
	if got := binary.NativeEndian.Uint16(req[4:6]); got != 22 {
		t.Errorf("request nlmsg_type read in host order = %d, want RTM_GETADDR (22)", got)
	}
	msgs, err := engine.Split(reply)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("reply: %v", err)
	}
	if got := binary.NativeEndian.Uint32(reply[0:4]); int(got) != len(msgs[0].Bytes()) {
		t.Errorf("reply nlmsg_len read in host order = %d, want %d", got, len(msgs[0].Bytes()))
	}
	if got := binary.NativeEndian.Uint32(reply[8:12]); got != 0x01020304 {
		t.Errorf("reply nlmsg_seq read in host order = %#x, want 0x01020304", got)
	}
	// Walk the attributes after nlmsghdr and ifaddrmsg by hand: their
	// headers are host order too, the address inside is not.
	var local []byte
	b := msgs[0].Bytes()
	for off := engine.HeaderLen + 8; off+4 <= len(b); {
		l, typ := int(binary.NativeEndian.Uint16(b[off:])), binary.NativeEndian.Uint16(b[off+2:])
		if l < 4 || off+l > len(b) {
			t.Fatalf("attribute at %d: nla_len %d", off, l)
		}
		if typ&engine.NLA_F_NET_BYTEORDER != 0 {
			t.Errorf("attribute %d carries NLA_F_NET_BYTEORDER: rtnetlink was not expected to set it", typ&engine.NLA_TYPE_MASK)
		}
		if typ == 2 { // IFA_LOCAL
			local = b[off+4 : off+l]
		}
		off += (l + 3) &^ 3
	}
	if diff := cmp.Diff([]byte{10, 0, 0, 1}, local); diff != "" {
		t.Errorf("IFA_LOCAL payload: 10.0.0.1 in network order (-want +got):\n%s", diff)
	}
	if vals[2].String() != "16384" || vals[3].String() != "16384" {
		t.Errorf("nla_flags after a round trip = %s, NLA_F_NET_BYTEORDER = %s, want 16384 (0x4000)", vals[2], vals[3])
	}
}

// TestStrictChecking checks what the tutorial teaches of
// NETLINK_GET_STRICT_CHK: it is a per-socket opt-in that concerns GET
// requests, dumps and single GETs alike, making the kernel refuse header
// fields it does not use and honour filters it used to ignore; a socket
// without it still gets some filters honoured (a link dump by master), and
// the kernel marks filtered dumps NLM_F_DUMP_FILTERED. NEW requests are
// checked by their own policies whatever the socket says.
func TestStrictChecking(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	nstest.IP(t, ns, "link", "set", "v0", "master", "br0")
	nstest.IP(t, ns, "link", "set", "v1", "up")
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v1")
	got := luaLines(t, ns, `
local function dump(s, m)
  s:send(m)
  local seen, last = {}, nil
  repeat
    for _, r in ipairs(s:recv()) do
      last = r
      local name = r:get('IFLA_IFNAME') or (r.event == 'RTM_NEWROUTE' and 'table ' .. r:get('RTA_TABLE')) or r.event
      seen[#seen + 1] = name .. (bit.btest(r.header.flags, NLM_F_DUMP_FILTERED) and ' FILTERED' or '')
    end
  until last.event == 'NLMSG_DONE' or last.event == 'NLMSG_ERROR'
  return table.concat(seen, ', ')
end
local function try(s, m)
  local ok, e = pcall(s.request, s, m)
  return ok and 'accepted' or e.ext_ack
end
for _, strict in ipairs{false, true} do
  local s = nl.socket('route', {strict = strict})
  print('strict =', strict)
  local br = s:request(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST}, attrs = {{'IFLA_IFNAME', 'br0'}}})[1].index
  print('', 'links of master br0:', dump(s, rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST + NLM_F_DUMP}, attrs = {{'IFLA_MASTER', br}}}))
  print('', 'routes of table main:', dump(s, rtnl.rtmsg{family = AF_INET, header = {type = RTM_GETROUTE, flags = NLM_F_REQUEST + NLM_F_DUMP}, attrs = {{'RTA_TABLE', RT_TABLE_MAIN}}}))
  print('', 'GET of one link, ifi_flags set:', try(s, rtnl.ifinfomsg{flags = IFF_UP, header = {type = RTM_GETLINK, flags = NLM_F_REQUEST}, attrs = {{'IFLA_IFNAME', 'v1'}}}))
  print('', 'link dump, ifi_change set:', try(s, rtnl.ifinfomsg{change = 1, header = {type = RTM_GETLINK, flags = NLM_F_REQUEST + NLM_F_DUMP}}))
  print('', 'NEWLINK with an unknown attribute:', try(s, rtnl.ifinfomsg{index = br, header = {type = RTM_NEWLINK, flags = NLM_F_REQUEST + NLM_F_ACK}, attrs = {{'IFLA_999', '\0\0\0\0'}}}))
  s:close()
end
`)
	want := []string{
		"strict =\tfalse",
		"\tlinks of master br0:\tv0 FILTERED, NLMSG_DONE",
		"\troutes of table main:\ttable 254, table 255, table 255, NLMSG_DONE",
		"\tGET of one link, ifi_flags set:\taccepted",
		"\tlink dump, ifi_change set:\taccepted",
		"\tNEWLINK with an unknown attribute:\taccepted",
		"strict =\ttrue",
		"\tlinks of master br0:\tv0 FILTERED, NLMSG_DONE",
		"\troutes of table main:\ttable 254 FILTERED, NLMSG_DONE FILTERED",
		"\tGET of one link, ifi_flags set:\tInvalid values in header for get link request",
		"\tlink dump, ifi_change set:\tInvalid values in header for link dump request",
		"\tNEWLINK with an unknown attribute:\taccepted",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("strict and non-strict sockets (-want +got):\n%s", diff)
	}
}

// TestDumpIntrFlag checks what the tutorial says of NLM_F_DUMP_INTR: a
// change during a dump makes the kernel flag the message it writes when it
// notices the change, and (one change, noticed once) that message only;
// what it sent before stays unflagged.
func TestDumpIntrFlag(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	var batch strings.Builder
	for i := 1; i <= 250; i++ {
		fmt.Fprintf(&batch, "addr add 10.1.%d.%d/32 dev v0\n", i/200, i%200+1)
	}
	cmd := exec.Command("ip", "-n", ns, "-batch", "-")
	cmd.Stdin = strings.NewReader(batch.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ip -batch: %v\n%s", err, out)
	}
	got := luaLines(t, ns, `
-- A small receive buffer makes the kernel write the dump a datagram at a
-- time, as the reader asks for more.
local s = nl.socket('route', {rcvbuf = 4096})
local other = nl.socket('route')
local v1 = other:request(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST}, attrs = {{'IFLA_IFNAME', 'v1'}}})[1].index
s:send(rtnl.ifaddrmsg{family = AF_INET, header = {type = RTM_GETADDR, flags = NLM_F_REQUEST + NLM_F_DUMP}})
local n, flagged, before, last = 0, 0, 0, nil
local first = s:recv()
for _, m in ipairs(first) do
  if bit.btest(m.header.flags, NLM_F_DUMP_INTR) then before = before + 1 end
end
n = #first
-- change the addresses while the dump is under way
other:request(rtnl.ifaddrmsg{family = AF_INET, prefixlen = 32, index = v1,
  header = {type = RTM_NEWADDR, flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'}, attrs = {{'IFA_LOCAL', '10.9.9.9'}}})
repeat
  for _, m in ipairs(s:recv()) do
    n, last = n + 1, m
    if bit.btest(m.header.flags, NLM_F_DUMP_INTR) then flagged = flagged + 1 end
  end
until last.event == 'NLMSG_DONE'
print('flagged in the first datagram:', before)
print('flagged after the change:', flagged)
print('messages read:', n > 250)
`)
	want := []string{
		"flagged in the first datagram:\t0",
		"flagged after the change:\t1",
		"messages read:\ttrue",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("an interrupted dump (-want +got):\n%s", diff)
	}
}

// TestAttributeOrderAndRepeats checks what the tutorial says of attribute
// lists: the kernel answers in an order of its own, keeps only the last
// copy of an attribute a request repeats (IFLA_MTU), and reads every copy
// only where repeating is the point (IFLA_ALT_IFNAME in IFLA_PROP_LIST).
func TestAttributeOrderAndRepeats(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	got := luaLines(t, ns, `
local s = nl.socket('route')
local get = rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = NLM_F_REQUEST}, attrs = {{'IFLA_IFNAME', 'v0'}}}
local v0 = s:request(get)[1].index
s:request(rtnl.ifinfomsg{index = v0, header = {type = RTM_NEWLINK, flags = NLM_F_REQUEST + NLM_F_ACK},
  attrs = {{'IFLA_MTU', 1400}, {'IFLA_MTU', 1300}}})
print('IFLA_MTU 1400 then 1300:', s:request(get)[1]:get('IFLA_MTU'))
s:request(rtnl.ifinfomsg{index = v0, header = {type = RTM_NEWLINKPROP, flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'},
  attrs = {{'IFLA_PROP_LIST', {{'IFLA_ALT_IFNAME', 'first'}, {'IFLA_ALT_IFNAME', 'second'}}}}})
print('two IFLA_ALT_IFNAME:', table.concat(s:request(get)[1]:get('IFLA_PROP_LIST'):get_all('IFLA_ALT_IFNAME'), ' '))
s:request(rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = v0,
  header = {type = RTM_NEWADDR, flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'},
  attrs = {{'IFA_LOCAL', '10.0.0.1'}, {'IFA_ADDRESS', '10.0.0.1'}}})
local a = s:request(rtnl.ifaddrmsg{family = AF_INET, header = {type = RTM_GETADDR, flags = NLM_F_REQUEST + NLM_F_DUMP}})[1]
print('sent IFA_LOCAL IFA_ADDRESS, the kernel answers:', a.attrs[1][1], a.attrs[2][1])
`)
	want := []string{
		"IFLA_MTU 1400 then 1300:\t1300",
		"two IFLA_ALT_IFNAME:\tfirst second",
		"sent IFA_LOCAL IFA_ADDRESS, the kernel answers:\tIFA_ADDRESS\tIFA_LOCAL",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attribute order and repeats (-want +got):\n%s", diff)
	}
}

// TestLocalRouteBeforeLinkUp checks the README's account of the routes an
// address brings: the local route at once, even on a link that is down;
// the prefix and broadcast routes once the link is up.
func TestLocalRouteBeforeLinkUp(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
	routes := `
local kinds = {[RTN_UNICAST] = 'unicast', [RTN_LOCAL] = 'local', [RTN_BROADCAST] = 'broadcast'}
local s = nl.socket('route')
local req = rtnl.rtmsg{family = AF_INET, header = {type = RTM_GETROUTE, flags = NLM_F_REQUEST + NLM_F_DUMP}}
for _, r in ipairs(s:request(req)) do
  print(r:get('RTA_TABLE'), kinds[r.type], (r:get('RTA_DST') or '0.0.0.0') .. '/' .. r.dst_len)
end
`
	down := luaLines(t, ns, routes)
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "link", "set", "v1", "up")
	up := luaLines(t, ns, routes)
	if diff := cmp.Diff([]string{"255\tlocal\t10.0.0.1/32"}, down); diff != "" {
		t.Errorf("routes while v0 is down (-want +got):\n%s", diff)
	}
	want := []string{"254\tunicast\t10.0.0.0/24", "255\tlocal\t10.0.0.1/32", "255\tbroadcast\t10.0.0.255/32"}
	if diff := cmp.Diff(want, up); diff != "" {
		t.Errorf("routes once v0 and v1 are up (-want +got):\n%s", diff)
	}
}

// TestNestedFlagEncoded checks NLA_F_NESTED on nests this kernel cannot take
// in a test (its bridge has no MST), from the bytes alone.
func TestNestedFlagEncoded(t *testing.T) {
	e, _ := newEnv(t, "")
	vals := run(t, e, `
local m = rtnl.ifinfomsg{family = AF_BRIDGE, index = 2, header = {type = RTM_SETLINK, flags = 'NLM_F_REQUEST|NLM_F_ACK'}}
m.attrs = {{'IFLA_AF_SPEC', {{'IFLA_BRIDGE_MST', {{'IFLA_BRIDGE_MST_ENTRY',
  {{'IFLA_BRIDGE_MST_ENTRY_MSTI', 1}, {'IFLA_BRIDGE_MST_ENTRY_STATE', 'BR_STATE_FORWARDING'}}}}}}}}
return m:encode()`)
	want := []string{"IFLA_AF_SPEC > IFLA_BRIDGE_MST > IFLA_BRIDGE_MST_ENTRY"}
	if diff := cmp.Diff(want, nestedPaths(t, []byte(vals[0].String()))); diff != "" {
		t.Errorf("bridge mst set: attributes with NLA_F_NESTED (-want +got):\n%s", diff)
	}
}
