package luabind

import (
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// Tests of ip.addr and ip.addrs. Each runs in its own namespace with a veth
// pair v0/v1 left down (so the kernel adds no IPv6 link-local addresses of
// its own) and checks the result with `ip -j addr`, never with nlsh.

// addrNS makes the namespace, the veth pair and an Env bound to it.
func addrNS(t *testing.T) (string, *Env) {
	t.Helper()
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	return ns, e
}

// addrInfo returns the addr_info entries `ip -j addr show dev DEV` lists.
func addrInfo(t *testing.T, ns, dev string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range ipJSON(t, ns, "addr", "show", "dev", dev) {
		list, _ := l["addr_info"].([]any)
		for _, a := range list {
			if m, ok := a.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// wireOf runs chunk, which returns a message table, and encodes it.
func wireOf(t *testing.T, e *Env, chunk string) []byte {
	t.Helper()
	vals := run(t, e, chunk)
	m, ok := vals[0].(*lua.LTable)
	if !ok {
		t.Fatalf("chunk returned %v, want a message table:\n%s", vals, chunk)
	}
	b, err := e.encodeTable(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameWire compares an encoded request with the bytes iproute2 sent,
// sequence number and port id aside (they differ by nature), naming the
// first offset that differs.
func sameWire(t *testing.T, name string, got, want []byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: length %d, iproute2 sent %d\n got %x\nwant %x", name, len(got), len(want), got, want)
		return
	}
	got = append([]byte(nil), got...)
	copy(got[8:16], want[8:16])
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: bytes differ from iproute2's from offset %d\n got %x\nwant %x", name, i, got, want)
			return
		}
	}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIPAddrWire checks that ip.addr builds the very request iproute2 sends
// (captured with strace in a namespace where v0 is ifindex 3).
func TestIPAddrWire(t *testing.T) {
	e, _ := newEnv(t, "")
	golden := filepath.Join("..", "testdata", "iproute2")
	sameWire(t, "ip addr add 10.0.0.1/24 dev v0",
		wireOf(t, e, `return ip.addr('add', {index=3, address='10.0.0.1/24', dry=true})`),
		readHexGolden(t, filepath.Join(golden, "addr4.hex")))
	sameWire(t, "ip -6 addr add 2001:db8::1/64 dev v0",
		wireOf(t, e, `return ip.addr('add', {index=3, address='2001:db8::1', prefixlen=64, dry=true})`),
		readHexGolden(t, filepath.Join(golden, "addr6.hex")))

	for _, c := range []struct{ name, chunk, hex string }{{
		// IFA_LOCAL, IFA_LABEL, IFA_FLAGS (flags beyond 8 bits), IFA_ADDRESS,
		// IFA_BROADCAST (brd +: computed), IFA_CACHEINFO. (iproute2 drops
		// nodad for IPv4, which has no duplicate address detection.)
		"ip addr add 10.0.5.1/24 dev v0 label v0:5 nodad noprefixroute brd + valid_lft 100 preferred_lft 50",
		`return ip.addr('add', {index=3, address='10.0.5.1/24', label='v0:5', flags={'noprefixroute'},
		  broadcast=true, valid_lft=100, preferred_lft=50, dry=true})`,
		`58000000 1400 0506 00000000 00000000 02180000 03000000
		 08000200 0a000501 09000300 76303a35 00000000 08000800 00020000 08000100 0a000501
		 08000400 0a0005ff 14000600 32000000 64000000 00000000 00000000`,
	}, {
		// A flag that fits in 8 bits goes in ifa_flags.
		"ip -6 addr add 2001:db8::2/64 dev v0 nodad",
		`return ip.addr('add', {index=3, address='2001:db8::2/64', flags='IFA_F_NODAD', dry=true})`,
		`40000000 1400 0506 00000000 00000000 0a400200 03000000
		 14000200 20010db8 00000000 00000000 00000002 14000100 20010db8 00000000 00000000 00000002`,
	}, {
		"ip addr add 10.0.1.1/24 dev v0 scope link",
		`return ip.addr('add', {index=3, address='10.0.1.1/24', scope='link', dry=true})`,
		`28000000 1400 0506 00000000 00000000 021800fd 03000000 08000200 0a000101 08000100 0a000101`,
	}, {
		"ip addr add 10.0.2.1 peer 10.0.2.2/32 dev v0",
		`return ip.addr('add', {index=3, ['local']='10.0.2.1', address='10.0.2.2/32', dry=true})`,
		`28000000 1400 0506 00000000 00000000 02200000 03000000 08000200 0a000201 08000100 0a000202`,
	}, {
		"ip addr del 10.0.0.2/24 dev v0",
		`return ip.addr('del', {index=3, address='10.0.0.2/24', dry=true})`,
		`28000000 1500 0500 00000000 00000000 02180000 03000000 08000200 0a000002 08000100 0a000002`,
	}, {
		"ip addr replace 10.0.0.1/24 dev v0 valid_lft forever preferred_lft 10",
		`return ip.addr('replace', {index=3, address='10.0.0.1/24', valid_lft='forever', preferred_lft=10, dry=true})`,
		`3c000000 1400 0505 00000000 00000000 02180000 03000000 08000200 0a000001 08000100 0a000001
		 14000600 0a000000 ffffffff 00000000 00000000`,
	}} {
		sameWire(t, c.name, wireOf(t, e, c.chunk), unhex(t, c.hex))
	}
}

func TestIPAddrAdd(t *testing.T) {
	ns, e := addrNS(t)
	run(t, e, `
local i = ip.link_lookup('v0')
ip.addr('add', {index=i, address='10.0.0.1', prefixlen=24, label='v0:1', broadcast=true})
ip.addr('add', {ifname='v0', address='10.0.1.1/24', broadcast='10.0.1.127', scope='link'})
ip.addr('add', {dev='v0', address='10.0.2.2/32', ['local']='10.0.2.1'})
ip.addr('add', {index=i, address='2001:db8::1/64', flags={'nodad'}})
`)
	got := addrInfo(t, ns, "v0")
	a := find(got, "local", "10.0.0.1")
	if a == nil || jsonText(a["prefixlen"]) != "24" || a["label"] != "v0:1" || a["broadcast"] != "10.0.0.255" || a["family"] != "inet" {
		t.Errorf("10.0.0.1: %v", a)
	}
	if a := find(got, "local", "10.0.1.1"); a == nil || a["broadcast"] != "10.0.1.127" || a["scope"] != "link" {
		t.Errorf("10.0.1.1: %v", a)
	}
	if a := find(got, "local", "10.0.2.1"); a == nil || a["address"] != "10.0.2.2" || jsonText(a["prefixlen"]) != "32" {
		t.Errorf("peer address: %v", a)
	}
	if a := find(got, "local", "2001:db8::1"); a == nil || a["family"] != "inet6" || jsonText(a["prefixlen"]) != "64" || a["nodad"] != true {
		t.Errorf("2001:db8::1: %v", a)
	}
}

func TestIPAddrFlagsLifetimes(t *testing.T) {
	ns, e := addrNS(t)
	// Up, so the kernel makes prefix routes (except with noprefixroute).
	nstest.IP(t, ns, "link", "set", "v0", "up")
	run(t, e, `
ip.addr('add', {ifname='v0', address='10.0.0.1/24', flags='noprefixroute', valid_lft=100, preferred_lft=50})
ip.addr('add', {ifname='v0', address='10.0.1.1/24'})
ip.addr('add', {ifname='v0', address='2001:db8::1/64', flags={'IFA_F_NODAD', 'noprefixroute'}, valid_lft=200})
ip.addr('add', {ifname='v0', address='2001:db8::2/64', flags=IFA_F_NODAD, preferred_lft=0})
`)
	got := addrInfo(t, ns, "v0")
	a := find(got, "local", "10.0.0.1")
	if a == nil || a["noprefixroute"] != true || a["dynamic"] != true {
		t.Fatalf("10.0.0.1: %v", a)
	}
	if v, p := a["valid_life_time"].(float64), a["preferred_life_time"].(float64); v < 90 || v > 100 || p < 40 || p > 50 {
		t.Errorf("10.0.0.1 lifetimes valid %v preferred %v, want about 100 and 50", v, p)
	}
	// The prefix route is made for 10.0.1.1 only: 10.0.0.1 has noprefixroute.
	if r := ipJSON(t, ns, "route", "show", "dev", "v0"); len(r) != 1 || r[0]["dst"] != "10.0.1.0/24" {
		t.Errorf("routes: %v, want only 10.0.1.0/24", r)
	}
	b := find(got, "local", "2001:db8::1")
	if b == nil || b["nodad"] != true || b["noprefixroute"] != true {
		t.Fatalf("2001:db8::1: %v", b)
	}
	// A missing preferred_lft follows valid_lft.
	if v, p := b["valid_life_time"].(float64), b["preferred_life_time"].(float64); v < 190 || v > 200 || p != v {
		t.Errorf("2001:db8::1 lifetimes valid %v preferred %v, want both about 200", v, p)
	}
	if c := find(got, "local", "2001:db8::2"); c == nil || c["deprecated"] != true || jsonText(c["valid_life_time"]) != "4294967295" {
		t.Errorf("2001:db8::2 (preferred_lft 0): %v", c)
	}
}

func TestIPAddrReplace(t *testing.T) {
	ns, e := addrNS(t)
	run(t, e, `
ip.addr('add', {ifname='v0', address='10.0.0.1/24', valid_lft=100, preferred_lft=100})
-- replace updates the lifetimes of the existing address (the kernel keeps its label)
ip.addr('replace', {ifname='v0', address='10.0.0.1/24', valid_lft='forever'})
ip.addr('replace', {ifname='v0', address='10.0.0.9/24'})   -- replace also creates
`)
	got := addrInfo(t, ns, "v0")
	a := find(got, "local", "10.0.0.1")
	if a == nil || jsonText(a["valid_life_time"]) != "4294967295" || jsonText(a["preferred_life_time"]) != "4294967295" || a["dynamic"] == true {
		t.Errorf("replaced 10.0.0.1: %v", a)
	}
	if find(got, "local", "10.0.0.9") == nil || len(got) != 2 {
		t.Errorf("after replace: %v", got)
	}
}

func TestIPAddrDel(t *testing.T) {
	ns, e := addrNS(t)
	for _, a := range []string{"10.0.0.1/24", "10.0.0.2/24", "10.0.1.1/16"} {
		nstest.IP(t, ns, "addr", "add", a, "dev", "v0")
	}
	nstest.IP(t, ns, "-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad")
	run(t, e, `
ip.addr('del', {ifname='v0', address='10.0.0.2/24'})
ip.addr('del', {ifname='v0', address='10.0.1.1'})   -- IPv4 without a length: matched on IFA_LOCAL
ip.addr('del', {index=ip.link_lookup('v0'), address='2001:db8::1', prefixlen=64})
local ok, err = pcall(ip.addr, 'del', {ifname='v0', address='10.0.0.77/24'})
assert(not ok and err.code == 'EADDRNOTAVAIL', tostring(err))
`)
	got := addrInfo(t, ns, "v0")
	if len(got) != 1 || find(got, "local", "10.0.0.1") == nil {
		t.Errorf("after del: %v, want only 10.0.0.1", got)
	}
}

func TestIPAddrFlush(t *testing.T) {
	ns, e := addrNS(t)
	for _, a := range []string{"10.0.0.1/24", "10.0.0.2/24", "10.0.1.1/24"} {
		nstest.IP(t, ns, "addr", "add", a, "dev", "v0")
	}
	nstest.IP(t, ns, "-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad")
	nstest.IP(t, ns, "addr", "add", "10.9.0.1/24", "dev", "v1")
	vals := run(t, e, `
-- dry: the RTM_DELADDR messages, unsent
local dry = ip.addr('flush', {ifname='v0', dry=true})
for _, m in ipairs(dry) do assert(m.header.type == RTM_DELADDR, tostring(m)) end
local v4 = ip.addr('flush', {ifname='v0', family=AF_INET})
return #dry, #v4
`)
	if vals[0].String() != "4" || vals[1].String() != "3" {
		t.Errorf("flush returned %v dry messages and %v deleted, want 4 and 3", vals[0], vals[1])
	}
	got := addrInfo(t, ns, "v0")
	if len(got) != 1 || find(got, "local", "2001:db8::1") == nil {
		t.Errorf("after flushing IPv4: %v, want only 2001:db8::1", got)
	}
	run(t, e, `ip.addr('flush', {index=ip.link_lookup('v0')})`)
	if got := addrInfo(t, ns, "v0"); len(got) != 0 {
		t.Errorf("after flush: %v", got)
	}
	if got := addrInfo(t, ns, "v1"); len(got) != 1 {
		t.Errorf("flush of v0 touched v1: %v", got)
	}
	if msg := runErr(t, e, `ip.addr('flush', {})`); !strings.Contains(msg, "ip.addr flush: give index, ifname or label") {
		t.Errorf("flush without a filter: %q", msg)
	}
}

func TestIPAddrs(t *testing.T) {
	ns, e := addrNS(t)
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0", "label", "v0:a")
	nstest.IP(t, ns, "addr", "add", "10.0.1.1/16", "dev", "v0", "scope", "link")
	nstest.IP(t, ns, "addr", "add", "10.0.2.1", "peer", "10.0.2.2/32", "dev", "v0")
	nstest.IP(t, ns, "-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad", "noprefixroute")
	nstest.IP(t, ns, "addr", "add", "10.9.0.1/24", "dev", "v1")
	// What the kernel holds, by iproute2.
	all := len(ipJSON(t, ns, "addr", "show"))
	if all != 3 { // lo, v0, v1 objects
		t.Fatalf("ip addr show: %d links", all)
	}
	vals := run(t, e, `
local i = ip.link_lookup('v0')
local function n(f) return #ip.addrs(f) end
-- the kernel filters by index and family: the dump request carries them
local req = ip.addrs{index=i, family=AF_INET6, dry=true}
assert(req.header.type == RTM_GETADDR and req.index == i and req.family == AF_INET6, tostring(req))
return n(), n{index=i}, n{ifname='v0'}, n{dev='v1'}, n{family=AF_INET}, n{index=i, family=AF_INET6},
  n{address='10.0.0.1'}, n{address='10.0.2.2'}, n{address='10.0.0.1/24'}, n{address='10.0.0.1/16'},
  n{label='v0:a'}, n{prefixlen=16}, n{scope='link'}, n{scope=RT_SCOPE_LINK}, n{['local']='10.0.2.1'},
  n{flags='noprefixroute'}, n{flags={'nodad', 'noprefixroute'}},
  n(function(m) return m.family == AF_INET and m.prefixlen == 24 end),
  ip.addrs{label='v0:a'}[1]:get('IFA_LOCAL'),
  #ip.addr('dump', {index=i})
`)
	want := []string{"5", "4", "4", "1", "4", "1", "1", "1", "1", "0", "1", "1", "1", "1", "1", "1", "1", "2", "10.0.0.1", "4"}
	var got []string
	for _, v := range vals {
		got = append(got, v.String())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("addrs counts\n got %v\nwant %v", got, want)
	}
	// Every address iproute2 lists, nlsh lists (lo is down: no 127.0.0.1).
	n := 0
	for _, dev := range []string{"lo", "v0", "v1"} {
		n += len(addrInfo(t, ns, dev))
	}
	if got[0] != jsonText(n) {
		t.Errorf("ip.addrs() = %s addresses, ip addr show lists %d", got[0], n)
	}
}

func TestIPAddrGet(t *testing.T) {
	ns, e := addrNS(t)
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0", "label", "v0:a")
	vals := run(t, e, `
local a = ip.addr('get', {address='10.0.0.1'})
local none = ip.addr('get', {address='10.0.0.2'})
return a.index, a.prefixlen, a:get('IFA_LABEL'), none == nil
`)
	idx := ipJSON(t, ns, "link", "show", "v0")[0]["ifindex"]
	if got := []string{vals[0].String(), vals[1].String(), vals[2].String(), vals[3].String()}; strings.Join(got, " ") != jsonText(idx)+" 24 v0:a true" {
		t.Errorf("get = %v", got)
	}
}

func TestIPAddrEchoDry(t *testing.T) {
	ns, e := addrNS(t)
	vals := run(t, e, `
local m = ip.addr('add', {ifname='v0', address='10.0.0.1/24', label='v0:x', dry=true})
assert(m.header.type == RTM_NEWADDR and m.family == AF_INET and m.prefixlen == 24)
assert(m.attrs[1][1] == 'IFA_LOCAL' and m.attrs[1][2] == '10.0.0.1')
assert(m:get('IFA_LABEL') == 'v0:x' and m:get('IFA_ADDRESS') == '10.0.0.1')
local made = ip.addr('add', {ifname='v0', address='10.0.9.1/24', echo=true})
return made.event, made:get('IFA_LOCAL'), made.prefixlen, made:get('IFA_LABEL')
`)
	if got := []string{vals[0].String(), vals[1].String(), vals[2].String(), vals[3].String()}; strings.Join(got, " ") != "RTM_NEWADDR 10.0.9.1 24 v0" {
		t.Errorf("echo = %v, want the created address", got)
	}
	got := addrInfo(t, ns, "v0")
	if find(got, "local", "10.0.0.1") != nil {
		t.Errorf("dry run added 10.0.0.1: %v", got)
	}
	if find(got, "local", "10.0.9.1") == nil {
		t.Errorf("echo add did not add 10.0.9.1: %v", got)
	}
}

func TestIPAddrErrors(t *testing.T) {
	ns, e := addrNS(t)
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
	vals := run(t, e, `
local ok, err = pcall(ip.addr, 'add', {ifname='v0', address='10.0.0.1/24'})
return err.code, err.errno, tostring(err)
`)
	if vals[0].String() != "EEXIST" || vals[1].String() != "17" || strings.Contains(vals[2].String(), "\n") {
		t.Errorf("duplicate add: code %v errno %v (%v)", vals[0], vals[1], vals[2])
	}
	for _, c := range []struct{ chunk, want string }{
		{"ip.addr('add', {ifname='v0', address='10.0.0.2', mask=24})",
			"test:1: ip.addr: unknown key 'mask' (did you mean 'prefixlen'?)"},
		{"local x = 1\nip.addr('add', {ifname='v0', adress='10.0.0.2'})",
			"test:2: ip.addr: unknown key 'adress' (did you mean 'address'?)"},
		{"ip.addrs{lable='x'}", "test:1: ip.addrs: unknown key 'lable' (did you mean 'label'?)"},
		{"ip.addr('add', {ifname='v0', address='10.0.0.2', flags='nodda'})",
			"test:1: ip.addr: flags: unknown name 'nodda' (did you mean 'nodad'?)"},
		{"ip.addr('add', {ifname='v0', address='10.0.0.2', scope='globl'})",
			"test:1: ip.addr: scope: unknown name 'globl' (did you mean 'global'?)"},
		{"ip.addr('add', {ifname='nosuch', address='10.0.0.2'})", "ip.addr: no such device (ENODEV, errno 19): ifname: no interface named 'nosuch'"},
		{"ip.addr('add', {ifname='v0', address='2001:db8::1', broadcast=true})",
			"test:1: ip.addr: broadcast is for IPv4 addresses"},
		{"ip.addr('add', {ifname='v0', address='10.0.0.2/24', prefixlen=16})",
			"test:1: ip.addr: address '10.0.0.2/24' and prefixlen 16 disagree"},
		{"ip.addr('add', {ifname='v0'})", "test:1: ip.addr add: give address"},
		{"ip.addr('set', {})", "test:1: ip.addr: unknown command 'set' (commands: add, del, dump, flush, get, replace)"},
	} {
		if got := runErr(t, e, c.chunk); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.chunk, got, c.want)
		}
	}
}

// TestIPChangeReturnsNothing: an acknowledged change gives back nothing,
// so the shell prints nothing after ip.addr('add', …) instead of {}.
func TestIPChangeReturnsNothing(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	vals := run(t, e, `return ip.addr('add', {ifname = 'v0', address = '10.0.0.1/24'})`)
	if len(vals) != 0 {
		t.Errorf("ip.addr('add') returned %d values: %v", len(vals), vals)
	}
	if len(ipJSON(t, ns, "addr", "show", "dev", "v0")[0]["addr_info"].([]any)) != 1 {
		t.Error("the address was not added")
	}
}
