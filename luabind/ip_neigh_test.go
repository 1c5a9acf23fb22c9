package luabind

import (
	"strings"
	"testing"

	"nlsh/engine/nstest"
)

// Tests of ip.neigh, ip.fdb and ip.neighs. Each runs in its own namespace
// with a veth pair v0/v1 and a bridge br0 that v1 belongs to, all left down
// (so the kernel adds no neighbours of its own), and checks the result with
// `ip -j neigh` and `bridge -j fdb`, never with nlsh.

func neighNS(t *testing.T) (string, *Env) {
	t.Helper()
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	nstest.IP(t, ns, "link", "set", "v1", "master", "br0")
	return ns, e
}

// neighJSON lists every neighbour of dev, whatever its state.
func neighJSON(t *testing.T, ns, dev string) []map[string]any {
	t.Helper()
	return ipJSON(t, ns, "neigh", "show", "dev", dev, "nud", "all")
}

// fdbJSON runs `bridge -j fdb show args…` in ns.
func fdbJSON(t *testing.T, ns string, args ...string) []map[string]any {
	t.Helper()
	return runJSON(t, append([]string{"ip", "netns", "exec", ns, "bridge", "-j", "fdb", "show"}, args...))
}

// stateOf reads iproute2's state list (["PERMANENT"]) as one word.
func stateOf(n map[string]any) string {
	l, _ := n["state"].([]any)
	var s []string
	for _, v := range l {
		s = append(s, jsonText(v))
	}
	return strings.Join(s, ",")
}

// TestIPNeighWire checks that ip.neigh and ip.fdb build the very requests
// iproute2's `ip neigh` and `bridge fdb` send (captured with strace in a
// namespace where v1 is ifindex 2, v0 ifindex 3, br0 ifindex 4).
func TestIPNeighWire(t *testing.T) {
	e, _ := newEnv(t, "")
	sameWire(t, "ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0",
		wireOf(t, e, `return ip.neigh('add', {dst='10.0.0.5', lladdr='02:00:00:00:00:05', ifindex=3, dry=true})`),
		readHexGolden(t, "../testdata/iproute2/neigh.hex"))
	for _, c := range []struct{ name, chunk, hex string }{{
		"ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud reachable",
		`return ip.neigh('add', {dst='10.0.0.5', lladdr='02:00:00:00:00:05', index=3, state='reachable', dry=true})`,
		`30000000 1c00 0506 00000000 00000000 02000000 03000000 0200 00 00
		 08000100 0a000005 0a000200 02000000 00050000`,
	}, {
		"ip neigh replace 10.0.0.5 lladdr 02:00:00:00:00:06 dev v0 nud stale router",
		`return ip.neigh('replace', {dst='10.0.0.5', lladdr='02:00:00:00:00:06', index=3, state='NUD_STALE', flags={'router'}, dry=true})`,
		`30000000 1c00 0505 00000000 00000000 02000000 03000000 0400 80 00
		 08000100 0a000005 0a000200 02000000 00060000`,
	}, {
		"ip neigh add 10.0.0.7 dev v0 nud noarp",
		`return ip.neigh('add', {dst='10.0.0.7', index=3, state=NUD_NOARP, dry=true})`,
		`24000000 1c00 0506 00000000 00000000 02000000 03000000 4000 00 00 08000100 0a000007`,
	}, {
		"ip neigh add proxy 10.0.0.9 dev v0",
		`return ip.neigh('add', {dst='10.0.0.9', index=3, proxy=true, dry=true})`,
		`24000000 1c00 0506 00000000 00000000 02000000 03000000 8000 08 00 08000100 0a000009`,
	}, {
		"ip neigh get 10.0.0.5 dev v0",
		`return ip.neigh('get', {dst='10.0.0.5', index=3, dry=true})`,
		`24000000 1e00 0100 00000000 00000000 02000000 03000000 0000 00 00 08000100 0a000005`,
	}, {
		"ip neigh del 10.0.0.5 dev v0",
		`return ip.neigh('del', {dst='10.0.0.5', index=3, dry=true})`,
		`24000000 1d00 0500 00000000 00000000 02000000 03000000 8000 00 00 08000100 0a000005`,
	}, {
		"bridge fdb add 02:00:00:00:00:aa dev v1 master",
		`return ip.neigh('add', {family=AF_BRIDGE, lladdr='02:00:00:00:00:aa', index=2, master=true, state='permanent', dry=true})`,
		`28000000 1c00 0506 00000000 00000000 07000000 02000000 c000 04 00 0a000200 02000000 00aa0000`,
	}, {
		// static is NOARP|REACHABLE. (This kernel has no VLAN filtering, so
		// only the bytes are checked.)
		"bridge fdb add 02:00:00:00:00:bb dev v1 master static vlan 1",
		`return ip.fdb('add', {lladdr='02:00:00:00:00:bb', index=2, master=true, state='reachable', vlan=1, dry=true})`,
		`30000000 1c00 0506 00000000 00000000 07000000 02000000 4200 04 00 0a000200 02000000 00bb0000 06000500 01000000`,
	}, {
		"bridge fdb add 02:00:00:00:00:cc dev v1 self permanent",
		`return ip.neigh('add', {lladdr='02:00:00:00:00:cc', index=2, flags='self', dry=true})`,
		`28000000 1c00 0506 00000000 00000000 07000000 02000000 c000 02 00 0a000200 02000000 00cc0000`,
	}, {
		"bridge fdb del 02:00:00:00:00:aa dev v1 master",
		`return ip.fdb('del', {lladdr='02:00:00:00:00:aa', index=2, master=true, dry=true})`,
		`28000000 1d00 0500 00000000 00000000 07000000 02000000 c000 04 00 0a000200 02000000 00aa0000`,
	}, {
		"bridge fdb get 02:00:00:00:00:aa dev v1 master",
		`return ip.fdb('get', {lladdr='02:00:00:00:00:aa', index=2, master=true, dry=true})`,
		`28000000 1e00 0100 00000000 00000000 07000000 02000000 0000 04 00 0a000200 02000000 00aa0000`,
	}, {
		"bridge fdb get 02:00:00:00:00:aa br br0",
		`return ip.fdb('get', {lladdr='02:00:00:00:00:aa', master=4, dry=true})`,
		`30000000 1e00 0100 00000000 00000000 07000000 00000000 0000 00 00 0a000200 02000000 00aa0000 08000900 04000000`,
	}} {
		sameWire(t, c.name, wireOf(t, e, c.chunk), unhex(t, c.hex))
	}
	// States the kernel moves on by itself at once are checked as values.
	vals := run(t, e, `
local function st(s) return ip.neigh('add', {dst='10.0.0.1', index=3, state=s, dry=true}).state end
return st('delay'), st('probe'), st('incomplete'), st('none'), st('failed'), st(NUD_PROBE)
`)
	var got []string
	for _, v := range vals {
		got = append(got, v.String())
	}
	if strings.Join(got, " ") != "8 16 1 0 32 16" {
		t.Errorf("states delay probe incomplete none failed NUD_PROBE = %v", got)
	}
}

func TestIPNeighAdd(t *testing.T) {
	ns, e := neighNS(t)
	run(t, e, `
local i = ip.link_lookup('v0')
ip.neigh('add', {dst='10.0.0.5', lladdr='02:00:00:00:00:05', ifindex=i})
ip.neigh('add', {dst='2001:db8::5', lladdr='02:00:00:00:00:06', ifname='v0', state='reachable'})
ip.neigh('add', {dst='10.0.0.6', lladdr='02:00:00:00:00:07', dev='v0', state=NUD_STALE, flags='router'})
`)
	got := neighJSON(t, ns, "v0")
	if n := find(got, "dst", "10.0.0.5"); n == nil || n["lladdr"] != "02:00:00:00:00:05" || stateOf(n) != "PERMANENT" {
		t.Errorf("10.0.0.5: %v", n)
	}
	if n := find(got, "dst", "2001:db8::5"); n == nil || n["lladdr"] != "02:00:00:00:00:06" || stateOf(n) != "REACHABLE" {
		t.Errorf("2001:db8::5: %v", n)
	}
	n := find(got, "dst", "10.0.0.6")
	if _, router := n["router"]; n == nil || stateOf(n) != "STALE" || !router {
		t.Errorf("10.0.0.6: %v", n)
	}
}

func TestIPNeighStates(t *testing.T) {
	ns, e := neighNS(t)
	// Each state this kernel keeps on a link that is down; delay and probe
	// turn into failed at once, so TestIPNeighWire checks them.
	states := []string{"permanent", "reachable", "stale", "noarp", "failed", "incomplete", "none"}
	run(t, e, `
for i, s in ipairs{'permanent', 'reachable', 'stale', 'noarp', 'failed', 'incomplete', 'none'} do
  ip.neigh('add', {dst='10.0.0.' .. i, lladdr='02:00:00:00:00:01', ifname='v0', state=s})
end
`)
	got := neighJSON(t, ns, "v0")
	for i, s := range states {
		dst := "10.0.0." + jsonText(i+1)
		want := strings.ToUpper(s)
		if s == "none" {
			want = "" // iproute2 prints no state for NUD_NONE
		}
		if n := find(got, "dst", dst); n == nil || stateOf(n) != want {
			t.Errorf("state %s: %v", s, n)
		}
	}
}

func TestIPNeighReplace(t *testing.T) {
	ns, e := neighNS(t)
	nstest.IP(t, ns, "neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0")
	run(t, e, `
ip.neigh('replace', {dst='10.0.0.5', lladdr='02:00:00:00:00:55', ifname='v0', state='stale'})
ip.neigh('replace', {dst='10.0.0.6', lladdr='02:00:00:00:00:66', ifname='v0'})   -- replace also creates
`)
	got := neighJSON(t, ns, "v0")
	if n := find(got, "dst", "10.0.0.5"); n == nil || n["lladdr"] != "02:00:00:00:00:55" || stateOf(n) != "STALE" {
		t.Errorf("replaced 10.0.0.5: %v", n)
	}
	if n := find(got, "dst", "10.0.0.6"); n == nil || stateOf(n) != "PERMANENT" || len(got) != 2 {
		t.Errorf("after replace: %v", got)
	}
}

func TestIPNeighDel(t *testing.T) {
	ns, e := neighNS(t)
	nstest.IP(t, ns, "neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0")
	nstest.IP(t, ns, "neigh", "add", "10.0.0.6", "lladdr", "02:00:00:00:00:06", "dev", "v0")
	nstest.IP(t, ns, "neigh", "add", "2001:db8::5", "lladdr", "02:00:00:00:00:07", "dev", "v0")
	run(t, e, `
ip.neigh('del', {dst='10.0.0.5', ifname='v0'})
ip.neigh('del', {dst='2001:db8::5', ifindex=ip.link_lookup('v0')})
local ok, err = pcall(ip.neigh, 'del', {dst='10.0.0.99', ifname='v0'})
assert(not ok and err.code == 'ENOENT', tostring(err))
`)
	if got := neighJSON(t, ns, "v0"); len(got) != 1 || find(got, "dst", "10.0.0.6") == nil {
		t.Errorf("after del: %v, want only 10.0.0.6", got)
	}
}

func TestIPNeighGet(t *testing.T) {
	ns, e := neighNS(t)
	nstest.IP(t, ns, "neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0", "nud", "stale")
	vals := run(t, e, `
local n = ip.neigh('get', {dst='10.0.0.5', ifindex=ip.link_lookup('v0')})
local ok, err = pcall(ip.neigh, 'get', {dst='10.0.0.6', ifname='v0'})
return n.event, n:get('NDA_LLADDR'), n.state, n.ifindex, err.code
`)
	idx := jsonText(ipJSON(t, ns, "link", "show", "v0")[0]["ifindex"])
	if got := strings.Join([]string{vals[0].String(), vals[1].String(), vals[2].String(), vals[3].String(), vals[4].String()}, " "); got != "RTM_NEWNEIGH 02:00:00:00:00:05 4 "+idx+" ENOENT" {
		t.Errorf("get = %s", got)
	}
}

func TestIPNeighProxy(t *testing.T) {
	ns, e := neighNS(t)
	vals := run(t, e, `
ip.neigh('add', {dst='10.0.0.9', ifname='v0', proxy=true})
ip.neigh('add', {dst='2001:db8::9', ifname='v0', proxy=true})
ip.neigh('add', {dst='10.0.0.10', ifname='v0', flags='proxy'})
ip.neigh('del', {dst='10.0.0.10', ifname='v0', proxy=true})
local p = ip.neighs{proxy=true}
-- proxy entries are a table of their own: a plain dump does not list them
return #p, #ip.neighs(), #ip.neighs{proxy=true, family=AF_INET6}, bit.btest(p[1].flags, NTF_PROXY)
`)
	if got := strings.Join([]string{vals[0].String(), vals[1].String(), vals[2].String(), vals[3].String()}, " "); got != "2 0 1 true" {
		t.Errorf("proxy neighs counts = %s, want 2 0 1 true", got)
	}
	got := ipJSON(t, ns, "neigh", "show", "proxy")
	if len(got) != 2 || find(got, "dst", "10.0.0.9") == nil || find(got, "dst", "2001:db8::9") == nil {
		t.Errorf("ip neigh show proxy: %v", got)
	}
	if len(neighJSON(t, ns, "v0")) != 0 {
		t.Errorf("proxy entries went to the neighbour table")
	}
}

func TestIPNeighFdb(t *testing.T) {
	ns, e := neighNS(t)
	before := len(fdbJSON(t, ns, "dev", "v1"))
	vals := run(t, e, `
-- bridge fdb add 02:00:00:00:00:aa dev v1 master
ip.neigh('add', {family=AF_BRIDGE, lladdr='02:00:00:00:00:aa', ifname='v1', master=true, state='permanent'})
-- bridge fdb add 02:00:00:00:00:bb dev v1 (self: the port's own table)
ip.fdb('add', {lladdr='02:00:00:00:00:bb', ifname='v1'})
ip.neigh('add', {lladdr='02:00:00:00:00:cc', ifname='v1', master=true, state='reachable'})
ip.fdb('add', {lladdr='02:00:00:00:00:dd', ifname='v1', master=true})
ip.fdb('del', {lladdr='02:00:00:00:00:dd', ifname='v1', master=true})
local got = ip.fdb('get', {lladdr='02:00:00:00:00:aa', ifindex=ip.link_lookup('v1'), master=true})
local bybr = ip.neigh('get', {family=AF_BRIDGE, lladdr='02:00:00:00:00:aa', master='br0'})
return got:get('NDA_LLADDR'), got:get('NDA_MASTER') == ip.link_lookup('br0'), bybr.ifindex == ip.link_lookup('v1'),
  #ip.neighs{family=AF_BRIDGE, ifname='v1'}, #ip.fdb('dump', {ifindex=ip.link_lookup('v1'), lladdr='02:00:00:00:00:AA'}),
  #ip.neighs{family=AF_BRIDGE, master='br0'}, #ip.neighs{family=AF_BRIDGE, ifname='v1', flags='self'}
`)
	fdb := fdbJSON(t, ns, "dev", "v1")
	a := find(fdb, "mac", "02:00:00:00:00:aa")
	if a == nil || a["master"] != "br0" || a["state"] != "permanent" {
		t.Errorf("master entry: %v", a)
	}
	if b := find(fdb, "mac", "02:00:00:00:00:bb"); b == nil || jsonText(b["flags"]) != `["self"]` || b["state"] != "permanent" {
		t.Errorf("self entry: %v", b)
	}
	if c := find(fdb, "mac", "02:00:00:00:00:cc"); c == nil || c["master"] != "br0" || c["state"] != "static" {
		t.Errorf("reachable (static) entry: %v", c)
	}
	if find(fdb, "mac", "02:00:00:00:00:dd") != nil || len(fdb) != before+3 {
		t.Errorf("fdb after add and del: %v (had %d entries)", fdb, before)
	}
	want := []string{"02:00:00:00:00:aa", "true", "true", jsonText(len(fdb)), "1",
		jsonText(len(fdbJSON(t, ns, "br", "br0"))), "-"}
	selfs := 0
	for _, f := range fdb {
		if strings.Contains(jsonText(f["flags"]), "self") {
			selfs++
		}
	}
	want[6] = jsonText(selfs)
	var got []string
	for _, v := range vals {
		got = append(got, v.String())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fdb get and dumps\n got %v\nwant %v", got, want)
	}
}

func TestIPNeighs(t *testing.T) {
	ns, e := neighNS(t)
	for _, c := range [][]string{
		{"neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0"},
		{"neigh", "add", "10.0.0.6", "lladdr", "02:00:00:00:00:06", "dev", "v0", "nud", "stale"},
		{"-6", "neigh", "add", "2001:db8::5", "lladdr", "02:00:00:00:00:05", "dev", "v0", "nud", "reachable"},
		{"neigh", "add", "10.0.1.5", "lladdr", "02:00:00:00:01:05", "dev", "br0"},
	} {
		nstest.IP(t, ns, c...)
	}
	if all := ipJSON(t, ns, "neigh", "show", "nud", "all"); len(all) != 4 {
		t.Fatalf("ip neigh show: %v", all)
	}
	vals := run(t, e, `
local i = ip.link_lookup('v0')
local function n(f) return #ip.neighs(f) end
-- the kernel filters by link: the dump request carries NDA_IFINDEX
local req = ip.neighs{ifname='v0', family=AF_INET, dry=true}
assert(req.family == AF_INET and req:get('NDA_IFINDEX') == i and req.ifindex == 0, tostring(req))
return n(), n{ifindex=i}, n{ifname='br0'}, n{dev='v0', family=AF_INET}, n{family=AF_INET6},
  n{dst='10.0.0.5'}, n{lladdr='02:00:00:00:00:05'}, n{lladdr='02:00:00:00:00:05', family=AF_INET},
  n{state='permanent'}, n{state=NUD_STALE}, n{nud='reachable'}, n{state='permanent', ifname='v0'},
  n(function(m) return m:get('NDA_DST'):find('^10%.0%.0%.') ~= nil end),
  n{master='br0'}, #ip.neigh('dump', {ifname='v0'})
`)
	want := "4 3 1 2 1 1 2 1 2 1 1 1 2 0 3"
	var got []string
	for _, v := range vals {
		got = append(got, v.String())
	}
	if strings.Join(got, " ") != want {
		t.Errorf("neighs counts\n got %v\nwant %v", got, want)
	}
}

func TestIPNeighFlush(t *testing.T) {
	ns, e := neighNS(t)
	for _, c := range [][]string{
		{"neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0"},
		{"neigh", "add", "10.0.0.6", "lladdr", "02:00:00:00:00:06", "dev", "v0", "nud", "stale"},
		{"-6", "neigh", "add", "2001:db8::5", "lladdr", "02:00:00:00:00:05", "dev", "v0"},
		{"neigh", "add", "10.0.1.5", "lladdr", "02:00:00:00:01:05", "dev", "br0"},
	} {
		nstest.IP(t, ns, c...)
	}
	vals := run(t, e, `
local dry = ip.neigh('flush', {ifname='v0', dry=true})
for _, m in ipairs(dry) do assert(m.header.type == RTM_DELNEIGH, tostring(m)) end
local v4 = ip.neigh('flush', {ifindex=ip.link_lookup('v0'), family=AF_INET})
return #dry, #v4
`)
	if vals[0].String() != "3" || vals[1].String() != "2" {
		t.Errorf("flush: %v dry messages, %v deleted; want 3 and 2", vals[0], vals[1])
	}
	if got := neighJSON(t, ns, "v0"); len(got) != 1 || find(got, "dst", "2001:db8::5") == nil {
		t.Errorf("after flushing IPv4: %v", got)
	}
	run(t, e, `ip.neigh('flush', {dev='v0'})`)
	if got := neighJSON(t, ns, "v0"); len(got) != 0 {
		t.Errorf("after flush: %v", got)
	}
	if got := neighJSON(t, ns, "br0"); len(got) != 1 {
		t.Errorf("flush of v0 touched br0: %v", got)
	}
}

func TestIPNeighEchoDry(t *testing.T) {
	ns, e := neighNS(t)
	vals := run(t, e, `
local m = ip.neigh('add', {dst='10.0.0.5', lladdr='02:00:00:00:00:05', ifname='v0', dry=true})
assert(m.header.type == RTM_NEWNEIGH and m.family == AF_INET and m.state == NUD_PERMANENT, tostring(m))
local n = ip.neigh('add', {dst='10.0.0.6', lladdr='02:00:00:00:00:06', ifname='v0', state='stale', echo=true})
local p = ip.neigh('add', {dst='10.0.0.7', ifname='v0', proxy=true, echo=true})
local f = ip.fdb('add', {lladdr='02:00:00:00:00:aa', ifname='v1', master=true, echo=true})
return n.event, n:get('NDA_DST'), n:get('NDA_LLADDR'), n.state, p:get('NDA_DST'), f:get('NDA_LLADDR')
`)
	var got []string
	for _, v := range vals {
		got = append(got, v.String())
	}
	if strings.Join(got, " ") != "RTM_NEWNEIGH 10.0.0.6 02:00:00:00:00:06 4 10.0.0.7 02:00:00:00:00:aa" {
		t.Errorf("echo = %v", got)
	}
	all := neighJSON(t, ns, "v0")
	if find(all, "dst", "10.0.0.5") != nil || find(all, "dst", "10.0.0.6") == nil {
		t.Errorf("after dry and echo adds: %v", all)
	}
}

func TestIPNeighErrors(t *testing.T) {
	ns, e := neighNS(t)
	nstest.IP(t, ns, "neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0")
	vals := run(t, e, `
local ok, err = pcall(ip.neigh, 'add', {dst='10.0.0.5', lladdr='02:00:00:00:00:05', ifname='v0'})
return err.code, err.errno
`)
	if vals[0].String() != "EEXIST" || vals[1].String() != "17" {
		t.Errorf("duplicate add: %v %v", vals[0], vals[1])
	}
	for _, c := range []struct{ chunk, want string }{
		{"ip.neigh('add', {dst='10.0.0.6', mac='02:00:00:00:00:06', ifname='v0'})",
			"test:1: ip.neigh: unknown key 'mac' (did you mean 'lladdr'?)"},
		{"ip.neigh('add', {dst='10.0.0.6', ifname='v0', state='perm'})",
			"test:1: ip.neigh: state: unknown name 'perm' (did you mean 'permanent'?)"},
		{"ip.neigh('add', {dst='10.0.0.6', ifname='v0', flags='slef'})",
			"test:1: ip.neigh: flags: unknown name 'slef' (did you mean 'self'?)"},
		{"ip.neighs{lladr='x'}", "test:1: ip.neighs: unknown key 'lladr' (did you mean 'lladdr'?)"},
		{"ip.neigh('add', {lladdr='02:00:00:00:00:06'})", "test:1: ip.neigh add: give index (or ifname)"},
		{"ip.neigh('add', {ifname='v0'})", "test:1: ip.neigh add: give dst"},
		{"ip.neigh('add', {dst='10.0.0.6', ifname='v0', vlan=1})",
			"test:1: ip.neigh: vlan, port and vni are for bridge FDB entries (family AF_BRIDGE)"},
		{"ip.neigh('flush', {})", "test:1: ip.neigh flush: give index or ifname"},
		{"ip.neigh('set', {})", "test:1: ip.neigh: unknown command 'set' (commands: add, del, dump, flush, get, replace)"},
	} {
		if got := runErr(t, e, c.chunk); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.chunk, got, c.want)
		}
	}
}
