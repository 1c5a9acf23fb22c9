package luabind

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// ipScripts are the automation examples in scripts/ that TestIPScripts
// runs, one subtest each. TestScripts takes this list as the scripts run
// elsewhere, so a script in scripts/ is run by one test or the other.
var ipScripts = []string{"two_namespaces.lua", "bridge_ports.lua", "htb_shaping.lua", "snapshot.lua", "restore.lua"}

// runScriptIn runs scripts/NAME with args in netns as `nlsh --netns NETNS
// scripts/NAME args…` would, returning what it printed and its error line.
func runScriptIn(t *testing.T, netns, name string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	e := New(Options{NetNS: netns, Stdout: &out})
	defer e.Close()
	src, err := os.ReadFile(filepath.Join("..", "scripts", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Run(context.Background(), name, string(src), append([]string{}, args...)); err != nil {
		return out.String(), &scriptError{e.FormatError(err)}
	}
	return out.String(), nil
}

// mustScript is runScriptIn that fails the test on error.
func mustScript(t *testing.T, netns, name string, args ...string) string {
	t.Helper()
	out, err := runScriptIn(t, netns, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// needPing returns whether ping (iputils-ping) is installed; where the
// namespace tests are required (CI), a missing ping fails the test.
func needPing(t *testing.T) bool {
	t.Helper()
	if _, err := exec.LookPath("ping"); err != nil {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatal("ping is not installed (apt-get install iputils-ping)")
		}
		t.Log("ping is not installed: reachability not checked")
		return false
	}
	return true
}

// localAddrs returns `ip -n ns -j addr show dev`'s addresses as "local/len".
func localAddrs(t *testing.T, ns, dev string) []string {
	t.Helper()
	var out []string
	for _, l := range ipJSON(t, ns, "addr", "show", "dev", dev) {
		infos, _ := l["addr_info"].([]any)
		for _, i := range infos {
			a := i.(map[string]any)
			out = append(out, jsonText(a["local"])+"/"+jsonText(a["prefixlen"]))
		}
	}
	return out
}

func TestIPScripts(t *testing.T) {
	t.Run("two_namespaces.lua", testTwoNamespaces)
	t.Run("bridge_ports.lua", testBridgePorts)
	t.Run("htb_shaping.lua", testHTBShaping)
	t.Run("snapshot.lua", testSnapshotRestore)
	t.Run("restore.lua", testRestoreErrors)
}

// testTwoNamespaces runs two_namespaces.lua with namespace names of its own
// (the script creates them), checks addresses and routes with ip, pings
// across the veth pair and through the routes, and deletes them with the
// script's delete mode.
func testTwoNamespaces(t *testing.T) {
	home := nstest.New(t) // where nlsh runs; also a source of unique names
	a, b := home+"-a", home+"-b"
	t.Cleanup(func() {
		// Whatever the script left, if the test stopped early.
		for _, n := range []string{a, b} {
			if _, err := os.Stat(engine.NetNSPath(n)); err == nil {
				engine.DelNetNS(n)
			}
		}
	})
	out := mustScript(t, home, "two_namespaces.lua", a, b)
	if !strings.Contains(out, a+": veth-a 10.0.0.1/24") || !strings.Contains(out, b+": veth-b 10.0.0.2/24") {
		t.Errorf("two_namespaces.lua printed:\n%s", out)
	}

	for _, c := range []struct {
		ns, dev string
		want    []string
	}{
		{a, "veth-a", []string{"10.0.0.1/24", "fd00::1/64"}},
		{b, "veth-b", []string{"10.0.0.2/24", "fd00::2/64"}},
		{a, "lo", []string{"10.8.0.1/32", "fd00:8::1/128"}},
		{b, "lo", []string{"10.9.0.1/32", "fd00:9::1/128"}},
	} {
		got := localAddrs(t, c.ns, c.dev)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s %s: addresses %v lack %s", c.ns, c.dev, got, w)
			}
		}
	}
	if l := ipJSON(t, a, "link", "show", "veth-a"); len(l) != 1 || !strings.Contains(jsonText(l[0]["flags"]), "LOWER_UP") {
		t.Errorf("veth-a is not up with a carrier: %v", l)
	}
	for _, c := range []struct{ ns, family, dst, gw, dev string }{
		{a, "-4", "10.9.0.0/16", "10.0.0.2", "veth-a"},
		{b, "-4", "10.8.0.0/16", "10.0.0.1", "veth-b"},
		{a, "-6", "fd00:9::/48", "fd00::2", "veth-a"},
		{b, "-6", "fd00:8::/48", "fd00::1", "veth-b"},
	} {
		r := find(ipJSON(t, c.ns, c.family, "route", "show"), "dst", c.dst)
		if r == nil || r["gateway"] != c.gw || r["dev"] != c.dev {
			t.Errorf("%s: route to %s = %v, want via %s dev %s", c.ns, c.dst, r, c.gw, c.dev)
		}
	}

	if needPing(t) {
		for _, c := range []struct{ from, to string }{
			{a, "10.0.0.2"}, {b, "10.0.0.1"}, // across the pair
			{a, "10.9.0.1"}, {b, "10.8.0.1"}, // through the routes
			{a, "fd00::2"}, {a, "fd00:9::1"}, {b, "fd00:8::1"},
		} {
			pingFrom(t, c.from, c.to)
		}
	}

	if _, err := runScriptIn(t, home, "two_namespaces.lua", a, b); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("second run: %v, want 'exists already'", err)
	}
	out = mustScript(t, home, "two_namespaces.lua", a, b, "delete")
	list, _ := exec.Command("ip", "netns", "list").CombinedOutput()
	for _, n := range []string{a, b} {
		if !strings.Contains(out, "deleted namespace "+n) || regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(n)+`\b`).Match(list) {
			t.Errorf("delete mode left %s:\n%s\nip netns list:\n%s", n, out, list)
		}
	}
}

// pingFrom pings to from inside ns, trying three times (the first packet waits
// for neighbour resolution).
func pingFrom(t *testing.T, ns, to string) {
	t.Helper()
	var out []byte
	var err error
	for try := 0; try < 3; try++ {
		out, err = exec.Command("ip", "netns", "exec", ns, "ping", "-c1", "-W1", to).CombinedOutput()
		if err == nil {
			return
		}
	}
	t.Errorf("ip netns exec %s ping -c1 -W1 %s: %v\n%s", ns, to, err, out)
}

// testBridgePorts runs bridge_ports.lua with its defaults and with
// arguments, and checks the bridges and their ports with ip.
func testBridgePorts(t *testing.T) {
	ns := nstest.New(t)
	out := mustScript(t, ns, "bridge_ports.lua")
	if !strings.Contains(out, "br0 192.168.50.1/24, ports:") || strings.Count(out, "  br0-p") != 3 {
		t.Errorf("bridge_ports.lua printed:\n%s", out)
	}
	mustScript(t, ns, "bridge_ports.lua", "br1", "192.168.60.1/24")

	// A port's operstate follows its carrier a moment after the other end
	// goes up (the kernel's link watch runs apart): wait for it.
	var links []map[string]any
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		links = ipJSON(t, ns, "-d", "link", "show")
		up := true
		for _, l := range links {
			if n, _ := l["ifname"].(string); strings.Contains(n, "-p") && l["operstate"] != "UP" {
				up = false
			}
		}
		if up || time.Since(start) > 3*time.Second {
			break
		}
	}
	for _, c := range []struct{ br, addr string }{{"br0", "192.168.50.1/24"}, {"br1", "192.168.60.1/24"}} {
		br := find(links, "ifname", c.br)
		if br == nil || kindOf(br) != "bridge" || !strings.Contains(jsonText(br["flags"]), `"UP"`) {
			t.Fatalf("%s: %v", c.br, br)
		}
		if s := jsonText(infoData(br)["stp_state"]); s != "0" {
			t.Errorf("%s stp_state = %s", c.br, s)
		}
		if got := localAddrs(t, ns, c.br); !slices.Contains(got, c.addr) {
			t.Errorf("%s addresses %v lack %s", c.br, got, c.addr)
		}
		for i := 1; i <= 3; i++ {
			port, host := c.br+"-p"+strconv.Itoa(i), c.br+"-h"+strconv.Itoa(i)
			p := find(links, "ifname", port)
			if p == nil || p["master"] != c.br || kindOf(p) != "veth" || p["operstate"] != "UP" {
				t.Errorf("port %s: %v", port, p)
			}
			h := find(links, "ifname", host)
			if h == nil || h["master"] != nil || p["link"] != host {
				t.Errorf("host end %s: %v (port's link %v)", host, h, p["link"])
			}
		}
	}
	if ports := ipJSON(t, ns, "link", "show", "master", "br0"); len(ports) != 3 {
		t.Errorf("br0 has %d ports, want 3", len(ports))
	}
	if _, err := runScriptIn(t, ns, "bridge_ports.lua"); err == nil || !strings.Contains(err.Error(), "EEXIST") {
		t.Errorf("second run: %v, want EEXIST", err)
	}
	// The filter the script used is the caller's: ip.links leaves it as
	// it was (it once replaced master's name by the index).
	e, _ := newEnv(t, ns)
	run(t, e, `local f = {master='br0'}; assert(#ip.links(f) == 3); assert(f.master == 'br0', 'filter changed: master = ' .. tostring(f.master))`)
}

// testHTBShaping runs htb_shaping.lua on a veth, checks the tree with tc,
// sends packets to both destinations and checks which class counted them,
// then runs it again with another total rate, which must replace the tree.
func testHTBShaping(t *testing.T) {
	ns, _ := tcEnv(t)
	out := mustScript(t, ns, "htb_shaping.lua", "v0")
	for _, w := range []string{"class 1:1 parent root rate 10mbit ceil 10mbit", "class 1:10 parent 1:1 rate 6mbit ceil 10mbit",
		"class 1:20 parent 1:1 rate 4mbit ceil 8mbit", "filter prio 1 -> 1:10", "filter prio 2 -> 1:20"} {
		if !strings.Contains(out, w) {
			t.Errorf("htb_shaping.lua output lacks %q:\n%s", w, out)
		}
	}
	checkHTBTree(t, ns, "10Mbit")

	// Packets to 10.0.0.2 must land in 1:10, to 10.0.0.3 in 1:20. Static
	// neighbours send them out of v0 without ARP (which, not being IP,
	// would go to the default class).
	if needPing(t) {
		nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
		nstest.IP(t, ns, "neigh", "add", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "v0", "nud", "permanent")
		nstest.IP(t, ns, "neigh", "add", "10.0.0.3", "lladdr", "02:00:00:00:00:03", "dev", "v0", "nud", "permanent")
		// Nobody answers: ping fails, but its packets are counted.
		exec.Command("ip", "netns", "exec", ns, "ping", "-c3", "-i0.2", "-W0.3", "10.0.0.2").Run()
		exec.Command("ip", "netns", "exec", ns, "ping", "-c2", "-i0.2", "-W0.3", "10.0.0.3").Run()
		sent := classPackets(t, ns, "v0")
		if sent["1:10"] != 3 || sent["1:20"] < 2 {
			t.Errorf("packets per class %v: want 3 in 1:10 (dst 10.0.0.2) and at least 2 in 1:20", sent)
		}
	}

	mustScript(t, ns, "htb_shaping.lua", "v0", "20mbit")
	checkHTBTree(t, ns, "20Mbit")
}

// checkHTBTree checks the qdisc, classes and filters htb_shaping.lua makes.
func checkHTBTree(t *testing.T, ns, total string) {
	t.Helper()
	qs := tcJSON(t, ns, "qdisc", "show", "dev", "v0")
	if len(qs) != 1 || qs[0]["kind"] != "htb" || qs[0]["handle"] != "1:" || qs[0]["root"] != true || opt(qs[0], "default") != "0x20" {
		t.Errorf("qdiscs on v0: %v", qs)
	}
	c := tcClasses(t, ns, "v0")
	if len(c) != 3 {
		t.Errorf("%d classes, want 3: %v", len(c), c)
	}
	for _, w := range []struct{ handle, key, want string }{
		{"1:1", "root", "true"}, {"1:1", "rate", total}, {"1:1", "ceil", total},
		{"1:10", "parent", "1:1"}, {"1:10", "rate", "6Mbit"}, {"1:10", "ceil", total},
		{"1:20", "parent", "1:1"}, {"1:20", "rate", "4Mbit"}, {"1:20", "ceil", "8Mbit"},
	} {
		if got := c[w.handle][w.key]; got != w.want {
			t.Errorf("class %s: %s = %q, want %q (%v)", w.handle, w.key, got, w.want, c[w.handle])
		}
	}
	f := u32Filters(t, ns, "v0")
	want := map[int]*u32Filter{
		1: {"ip", "1:10", []string{"0a000002/ffffffff at 16"}},
		2: {"ip", "1:20", []string{"0a000000/ffffff00 at 16"}},
	}
	if diff := cmp.Diff(want, f, cmp.AllowUnexported(u32Filter{})); diff != "" {
		t.Errorf("u32 filters (-want +got):\n%s", diff)
	}
}

// classPackets reads the packets each class sent from `tc -s class show`
// (text, as tc 6.1 prints classes even with -j).
func classPackets(t *testing.T, ns, dev string) map[string]int {
	t.Helper()
	out := nstest.Run(t, ns, "tc", "-s", "class", "show", "dev", dev)
	sent := map[string]int{}
	var cur string
	for _, line := range strings.Split(out, "\n") {
		w := strings.Fields(line)
		switch {
		case len(w) >= 3 && w[0] == "class":
			cur = w[2]
		case len(w) >= 5 && w[0] == "Sent" && w[4] == "pkt":
			sent[cur], _ = strconv.Atoi(w[3])
		}
	}
	return sent
}

// snapshotFixture fills ns with links, addresses and routes of every kind
// snapshot.lua records, set up with iproute2.
func snapshotFixture(t *testing.T, ns string) {
	t.Helper()
	vethUp(t, ns)
	for _, c := range [][]string{
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"addr", "add", "10.0.1.1/24", "brd", "+", "dev", "v0", "label", "v0:one"},
		{"addr", "add", "10.1.1.1", "peer", "10.1.1.2/32", "dev", "v0"},
		{"addr", "add", "10.5.0.1/16", "dev", "v0", "valid_lft", "1000", "preferred_lft", "500"},
		{"addr", "add", "192.168.9.1/24", "dev", "v1", "scope", "link"},
		{"addr", "add", "10.99.0.1/32", "dev", "lo"},
		{"-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"},
		{"-6", "addr", "add", "2001:db8:1::1/64", "dev", "v1", "nodad", "noprefixroute"},
		{"route", "add", "10.8.0.0/16", "via", "10.0.0.2", "metric", "5", "mtu", "1400", "advmss", "1360"},
		{"route", "add", "10.9.0.0/16", "nexthop", "via", "10.0.0.2", "weight", "1", "nexthop", "via", "10.0.0.3", "dev", "v0", "weight", "3"},
		{"route", "add", "10.20.0.0/16", "dev", "v1", "metric", "7", "table", "100"},
		{"route", "add", "10.21.0.0/16", "via", "10.0.0.2", "table", "1000", "proto", "static"},
		{"route", "add", "blackhole", "10.66.0.0/16", "proto", "static"},
		{"route", "add", "unreachable", "10.67.0.0/16"},
		{"route", "add", "10.70.0.0/16", "via", "192.168.7.1", "dev", "v0", "onlink"},
		{"route", "add", "10.40.0.0/16", "via", "10.0.0.2", "src", "10.0.0.1"},
		{"route", "add", "10.98.0.0/16", "dev", "v1"},
		// 10.3/16 sorts before 10.98/16, its gateway's route: restore
		// must retry it.
		{"route", "add", "10.3.0.0/16", "via", "10.98.0.1"},
		{"route", "add", "default", "via", "10.0.0.254"},
		{"-6", "route", "add", "2001:db8:2::/48", "via", "2001:db8::2", "metric", "100"},
		{"-6", "route", "add", "2001:db8:3::/48", "nexthop", "via", "2001:db8::2", "dev", "v0", "nexthop", "via", "2001:db8::3", "dev", "v0"},
		{"-6", "route", "add", "default", "via", "2001:db8::9", "dev", "v0", "metric", "50"},
		{"-6", "route", "add", "2001:db8:4::/48", "dev", "v1", "table", "100"},
	} {
		nstest.IP(t, ns, c...)
	}
}

// vethUp makes veth v0/v1 in ns and sets them and lo up.
func vethUp(t *testing.T, ns string) {
	t.Helper()
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	for _, l := range []string{"lo", "v0", "v1"} {
		nstest.IP(t, ns, "link", "set", l, "up")
	}
}

// testSnapshotRestore snapshots a namespace, restores the file into a fresh
// one with the same links, and compares both with ip -j.
func testSnapshotRestore(t *testing.T) {
	src, dst := nstest.New(t), nstest.New(t)
	snapshotFixture(t, src)
	file := filepath.Join(t.TempDir(), "src.snap")
	out := mustScript(t, src, "snapshot.lua", file)
	if !strings.Contains(out, "written to "+file) {
		t.Errorf("snapshot.lua printed %q", out)
	}
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"return {\n  addrs = {\n",
		`{ifname = "v0", address = "10.0.0.1/24"},`,
		`{ifname = "v0", address = "10.0.1.1/24", broadcast = "10.0.1.255", label = "v0:one"},`,
		`{ifname = "v0", address = "10.1.1.2/32", ["local"] = "10.1.1.1"},`,
		`{ifname = "v1", address = "2001:db8:1::1/64", flags = "nodad|noprefixroute"},`,
		`{dst = "10.8.0.0/16", gateway = "10.0.0.2", dev = "v0", metric = 5, metrics = {advmss = 1360, mtu = 1400}},`,
		`{dst = "10.9.0.0/16", multipath = {{gateway = "10.0.0.2", dev = "v0"}, {gateway = "10.0.0.3", dev = "v0", weight = 3}}},`,
		`{dst = "10.20.0.0/16", dev = "v1", metric = 7, table = 100},`,
		`{dst = "10.66.0.0/16", proto = "static", type = "blackhole"},`,
		`{dst = "default", family = "inet6", gateway = "2001:db8::9", dev = "v0", metric = 50},`,
	} {
		if !strings.Contains(string(text), w) {
			t.Errorf("snapshot lacks %s", w)
		}
	}
	for _, bad := range []string{"fe80", "127.0.0.1", "proto = \"kernel\"", "table = 255"} {
		if strings.Contains(string(text), bad) {
			t.Errorf("snapshot has a kernel-made entry (%s):\n%s", bad, text)
		}
	}

	// Before the links exist, restore says which are missing and changes nothing.
	_, err = runScriptIn(t, dst, "restore.lua", file)
	if err == nil || !strings.Contains(err.Error(), "names links that do not exist here: v0, v1") {
		t.Errorf("restore without links: %v", err)
	}
	if a := ipJSON(t, dst, "addr", "show"); len(a) != 1 || len(a[0]["addr_info"].([]any)) != 0 {
		t.Errorf("restore without links changed addresses: %v", a)
	}

	vethUp(t, dst)
	out = mustScript(t, dst, "restore.lua", file)
	if !strings.Contains(out, "8 addresses added (0 there already), 15 routes added (0 there already)") {
		t.Errorf("restore.lua printed %q", out)
	}
	if diff := cmp.Diff(addrState(t, src), addrState(t, dst)); diff != "" {
		t.Errorf("addresses after restore (-snapshotted +restored):\n%s", diff)
	}
	if diff := cmp.Diff(routeState(t, src), routeState(t, dst)); diff != "" {
		t.Errorf("routes after restore (-snapshotted +restored):\n%s", diff)
	}

	// Again: everything is there already.
	out = mustScript(t, dst, "restore.lua", file)
	if !strings.Contains(out, "0 addresses added (8 there already), 0 routes added (15 there already)") {
		t.Errorf("restore.lua again printed %q", out)
	}
	// A snapshot of the restored namespace is the same file, lifetimes aside.
	again := filepath.Join(t.TempDir(), "dst.snap")
	mustScript(t, dst, "snapshot.lua", again)
	text2, err := os.ReadFile(again)
	if err != nil {
		t.Fatal(err)
	}
	lft := regexp.MustCompile(`(valid|preferred)_lft = \d+`)
	if diff := cmp.Diff(lft.ReplaceAllString(string(text), "$1"), lft.ReplaceAllString(string(text2), "$1")); diff != "" {
		t.Errorf("snapshot of the restored namespace (-first +second):\n%s", diff)
	}
}

// addrState is `ip -j addr` as sorted lines of JSON, one per address,
// without what differs between two namespaces built alike: link indexes
// and MAC addresses (and so IPv6 link-local addresses) and lifetimes.
func addrState(t *testing.T, ns string) []string {
	t.Helper()
	var out []string
	for _, l := range ipJSON(t, ns, "addr", "show") {
		infos, _ := l["addr_info"].([]any)
		for _, i := range infos {
			a := i.(map[string]any)
			if a["scope"] == "link" && a["family"] == "inet6" {
				continue
			}
			delete(a, "valid_life_time")
			delete(a, "preferred_life_time")
			a["dev"] = l["ifname"]
			b, _ := json.Marshal(a)
			out = append(out, string(b))
		}
	}
	sort.Strings(out)
	return out
}

// routeState is `ip -j route show table all` of both families as sorted
// lines of JSON, without the kernel's own routes (proto kernel, the local
// table).
func routeState(t *testing.T, ns string) []string {
	t.Helper()
	var out []string
	for _, fam := range []string{"-4", "-6"} {
		for _, r := range ipJSON(t, ns, fam, "route", "show", "table", "all") {
			if r["protocol"] == "kernel" || r["table"] == "local" {
				continue
			}
			b, _ := json.Marshal(r)
			out = append(out, fam+" "+string(b))
		}
	}
	sort.Strings(out)
	return out
}

// testRestoreErrors: restore.lua's usage and a file that is not a snapshot.
func testRestoreErrors(t *testing.T) {
	ns := nstest.New(t)
	if _, err := runScriptIn(t, ns, "restore.lua"); err == nil || !strings.Contains(err.Error(), "usage: restore.lua FILE") {
		t.Errorf("no argument: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.snap")
	if err := os.WriteFile(bad, []byte("return {addrs = 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := runScriptIn(t, ns, "restore.lua", bad); err == nil || !strings.Contains(err.Error(), "does not look like a snapshot") {
		t.Errorf("bad file: %v", err)
	}
	// A route whose link is down names the cause.
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	down := filepath.Join(t.TempDir(), "down.snap")
	os.WriteFile(down, []byte(`return {addrs = {}, routes = {{dst = "10.70.0.0/16", gateway = "192.168.7.1", dev = "v0", onlink = true}}}`), 0o644)
	if _, err := runScriptIn(t, ns, "restore.lua", down); err == nil || !strings.Contains(err.Error(), "bring its link up first") {
		t.Errorf("route on a down link: %v", err)
	}
	// A name longer than any link's is missing too (not the kernel's ERANGE).
	long := filepath.Join(t.TempDir(), "long.snap")
	os.WriteFile(long, []byte(`return {addrs = {{ifname = "a-very-long-link-name", address = "10.0.0.1/24"}}, routes = {}}`), 0o644)
	if _, err := runScriptIn(t, ns, "restore.lua", long); err == nil || !strings.Contains(err.Error(), "do not exist here: a-very-long-link-name") {
		t.Errorf("a long link name: %v", err)
	}
	if _, err := runScriptIn(t, ns, "snapshot.lua"); err == nil || !strings.Contains(err.Error(), "usage: snapshot.lua FILE") {
		t.Errorf("snapshot.lua without a file: %v", err)
	}
	out := mustScript(t, ns, "snapshot.lua", "-")
	if !strings.HasPrefix(out, "-- Addresses and routes") || !strings.Contains(out, "routes = {\n  },\n}") {
		t.Errorf("snapshot.lua - printed:\n%s", out)
	}
}
