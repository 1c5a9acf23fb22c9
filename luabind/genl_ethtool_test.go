package luabind

import (
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
	"nlsh/engine/nstest"
	"nlsh/ynl"
)

// Generic netlink against the ethtool program: the same requests, byte for
// byte, and the same answers, on a veth pair in a throwaway namespace.
// ethtool is described by its YNL spec (linux-doc-6.12), which CI installs.

// needTools skips (or, under NLSH_REQUIRE_NETNS=1, fails) when a program
// or the YNL specs are missing.
func needTools(t *testing.T, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
				t.Fatalf("%s is needed (install Debian's %s)", p, p)
			}
			t.Skipf("%s not installed", p)
		}
	}
	if _, err := (&ynl.Finder{}).Find("ethtool"); err != nil {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatalf("the YNL specs are needed (apt-get install linux-doc-6.12): %v", err)
		}
		t.Skip("no YNL specs installed")
	}
}

// ethtoolNS is a namespace with a veth pair v0/v1 and an Env in it.
func ethtoolNS(t *testing.T) (string, *Env) {
	t.Helper()
	needTools(t, "ethtool", "strace")
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	return ns, e
}

// straceEthtool runs `ethtool ARGS` in ns under strace and returns the
// requests it sent (sendto, as ethtool sends), nlctrl's lookups left out,
// sequence numbers and port ids zeroed.
func straceEthtool(t *testing.T, ns, args string) [][]byte {
	t.Helper()
	var reqs [][]byte
	for _, b := range straceSent(t, ns, "sendto", "ethtool", strings.Fields(args)...) {
		if len(b) < engine.HeaderLen || engine.ParseHeader(b).Type == 0x10 {
			continue
		}
		clear(b[8:16])
		reqs = append(reqs, b)
	}
	return reqs
}

// TestEthtoolWire builds the requests ethtool 6.1 sends for its commands
// with f:message and compares them byte for byte.
func TestEthtoolWire(t *testing.T) {
	ns, e := ethtoolNS(t)
	run(t, e, `f = genl.family('ethtool'); v0 = {dev_name = 'v0'}`)
	for _, tc := range []struct {
		args  string
		calls []string // Lua expressions giving message tables
	}{
		{"-l v0", []string{`f:message('channels-get', {header = v0})`}},
		{"-T v0", []string{`f:message('tsinfo-get', {header = v0})`}},
		{"--show-module v0", []string{`f:message('module-get', {header = v0})`}},
		{"v0", []string{
			`f:message('linkmodes-get', {header = v0})`,
			`f:message('linkinfo-get', {header = v0})`,
			`f:message('wol-get', {header = v0})`,
			`f:message('debug-get', {header = v0})`,
			`f:message('linkstate-get', {header = v0})`,
		}},
		{"-k v0", []string{
			`f:message('features-get', {header = {dev_name = 'v0', flags = 'compact-bitsets'}})`,
			`f.strset_get{header = {}, stringsets = {stringset = {{id = 4}}}}`,
		}},
	} {
		want := straceEthtool(t, ns, tc.args)
		var got [][]byte
		for _, c := range tc.calls {
			got = append(got, []byte(run(t, e, "return ("+c+"):encode()")[0].String()))
		}
		if diff := cmp.Diff(hexes(want), hexes(got)); diff != "" {
			t.Errorf("ethtool %s (-ethtool +nlsh):\n%s", tc.args, diff)
		}
	}
}

func hexes(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = hex.EncodeToString(b)
	}
	return out
}

// ethtoolOut runs `ethtool ARGS` in ns.
func ethtoolOut(t *testing.T, ns string, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"netns", "exec", ns, "ethtool"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("ethtool %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// fields reads "Name:\tvalue" lines, the first of each name.
func fields(s string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), ":")
		if ok {
			if _, seen := m[k]; !seen {
				m[k] = strings.TrimSpace(v)
			}
		}
	}
	return m
}

// TestEthtoolAgrees asks the get operations that answer on a veth and
// checks what they say against what the ethtool program prints.
func TestEthtoolAgrees(t *testing.T) {
	ns, e := ethtoolNS(t)
	run(t, e, `f = genl.family('ethtool'); v0 = {header = {dev_name = 'v0'}}`)
	get := func(chunk string) string { return run(t, e, chunk)[0].String() }

	// Channels: ethtool -l prints maximums, then current settings.
	l := ethtoolOut(t, ns, "-l", "v0")
	max, cur, _ := strings.Cut(l, "Current hardware settings:")
	want := fmt.Sprintf("%s %s %s %s", fields(max)["RX"], fields(max)["TX"], fields(cur)["RX"], fields(cur)["TX"])
	if got := get(`local c = f:doit('channels-get', v0)
		return ('%d %d %d %d'):format(c:get('rx-max'), c:get('tx-max'), c:get('rx-count'), c:get('tx-count'))`); got != want {
		t.Errorf("channels: nlsh %q, ethtool %q", got, want)
	}

	// Settings: ethtool v0 prints linkmodes, linkinfo and linkstate.
	s := fields(ethtoolOut(t, ns, "v0"))
	want = fmt.Sprintf("%s %s %s %s %s %s %s %s", s["Speed"], s["Duplex"], s["Auto-negotiation"], s["Port"], s["PHYAD"], s["Transceiver"], s["MDI-X"], s["Link detected"])
	got := get(`
local m, i, st = f:doit('linkmodes-get', v0), f:doit('linkinfo-get', v0), f:doit('linkstate-get', v0)
local duplex = {[0] = 'Half', [1] = 'Full', [255] = 'Unknown!'}
local port = {[0] = 'Twisted Pair', [1] = 'AUI', [2] = 'BNC', [3] = 'MII', [4] = 'FIBRE', [5] = 'Direct Attach Copper', [0xef] = 'None', [0xff] = 'Other'}
local mdix = {[0] = 'Unknown', [1] = 'off', [2] = 'on'}
return ('%dMb/s %s %s %s %d %s %s %s'):format(m:get('speed'), duplex[m:get('duplex')],
  m:get('autoneg') == 1 and 'on' or 'off', port[i:get('port')], i:get('phyaddr'),
  i:get('transceiver') == 0 and 'internal' or 'external', mdix[i:get('tp-mdix')],
  st:get('link') == 1 and 'yes' or 'no')`)
	if got != want {
		t.Errorf("settings: nlsh %q, ethtool %q", got, want)
	}

	// Time stamping: the capability names, and no PTP clock.
	ts := ethtoolOut(t, ns, "-T", "v0")
	caps := regexp.MustCompile(`(?m)^\t(\S+)$`).FindAllStringSubmatch(strings.SplitN(ts, "PTP Hardware Clock", 2)[0], -1)
	var wantCaps []string
	for _, c := range caps {
		wantCaps = append(wantCaps, c[1])
	}
	gotCaps := get(`
local r, names = f:doit('tsinfo-get', v0), {}
for _, b in ipairs(r:get_all('timestamping', 'bits', 'bit')) do names[#names+1] = b:get('name') end
assert(r:get('phc-index') == nil, 'a veth has no PTP clock')
return table.concat(names, ' ')`)
	if gotCaps != strings.Join(wantCaps, " ") || !strings.Contains(ts, "PTP Hardware Clock: none") {
		t.Errorf("time stamping: nlsh %q, ethtool %q", gotCaps, wantCaps)
	}

	// Features: every feature ethtool -k shows on or off by its kernel name
	// is on in nlsh's features-get exactly when ethtool says so.
	k := ethtoolOut(t, ns, "-k", "v0")
	on := get(`
local r, names = f:doit('features-get', v0), {}
for _, b in ipairs(r:get_all('active', 'bits', 'bit')) do names[#names+1] = b:get('name') end
local all = {}
local s = f:doit('strset-get', {header = {dev_name = 'v0'}, stringsets = {stringset = {{id = 4}}}})
for _, str in ipairs(s:get_all('stringsets', 'stringset', 'strings', 'string')) do all[#all+1] = str:get('value') end
return table.concat(names, ' ') .. '|' .. table.concat(all, ' ')`)
	active, known, _ := strings.Cut(on, "|")
	isOn := map[string]bool{}
	for _, n := range strings.Fields(active) {
		isOn[n] = true
	}
	var diffs []string
	checked := 0
	for _, n := range strings.Fields(known) {
		m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(n) + `: (on|off)`).FindStringSubmatch(k)
		if m == nil {
			continue
		}
		checked++
		if (m[1] == "on") != isOn[n] {
			diffs = append(diffs, fmt.Sprintf("%s: ethtool %s, nlsh active=%v", n, m[1], isOn[n]))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 || checked < 20 {
		t.Errorf("features (%d compared):\n%s", checked, strings.Join(diffs, "\n"))
	}

	// Module: on a veth there are no module parameters to show, for either.
	if m := ethtoolOut(t, ns, "--show-module", "v0"); strings.TrimSpace(m) != "Module parameters for v0:" {
		t.Errorf("ethtool --show-module printed %q", m)
	}
	if got := get(`local r = f:doit('module-get', v0); return #r.attrs`); got != "1" {
		t.Errorf("module-get answered %s attributes, want the header alone", got)
	}
	// phc-vclocks: ethtool 6.1 cannot print them; the kernel answers none.
	if got := get(`local r = f:doit('phc-vclocks-get', v0); return tostring(r:get('num'))`); got != "nil" && got != "0" {
		t.Errorf("phc-vclocks: %s", got)
	}
}

// TestEthtoolFeaturesSet turns an offload off with features-set and
// checks it with ethtool -k.
func TestEthtoolFeaturesSet(t *testing.T) {
	ns, e := ethtoolNS(t)
	if !strings.Contains(ethtoolOut(t, ns, "-k", "v0"), "tx-checksum-ip-generic: on") {
		t.Fatal("tx-checksum-ip-generic is not on to begin with")
	}
	run(t, e, `
local f = genl.family('ethtool')
local r = f:doit('features-set', {header = {dev_name = 'v0'}, wanted = {bits = {bit = {{name = 'tx-checksum-ip-generic'}}}}})
local changed = {}
for _, b in ipairs(r:get_all('active', 'bits', 'bit')) do changed[b:get('name')] = true end
assert(changed['tx-checksum-ip-generic'], 'the reply lists what changed')`)
	if k := ethtoolOut(t, ns, "-k", "v0"); !strings.Contains(k, "tx-checksum-ip-generic: off") {
		t.Errorf("after features-set, ethtool -k says:\n%s", k)
	}
}

// TestEthtoolErrors: the kernel's refusals come back as error values that
// name the attribute, through the spec's names.
func TestEthtoolErrors(t *testing.T) {
	_, e := ethtoolNS(t)
	run(t, e, `
local f = genl.family('ethtool')
local ok, err = pcall(f.doit, f, 'linkinfo-get', {header = {dev_name = 'nosuch'}})
assert(not ok and err.code == 'ENODEV' and err.attr == 'header > dev-name', tostring(err))
ok, err = pcall(f.doit, f, 'linkinfo-get', {header = {dev_name = 'v0', flags = 0x80}})
assert(not ok and err.code == 'EINVAL' and err.ext_ack and err.attr == 'header > flags', tostring(err))
ok, err = pcall(f.doit, f, 'linkinfo-get', {})
assert(not ok and err.code == 'EINVAL' and err.missing == 'header', tostring(err))
ok, err = pcall(f.doit, f, 'linkinfo-get', {hedaer = {}})
assert(not ok and tostring(err):find("unknown attribute 'hedaer' in linkinfo %(did you mean 'header'%?%)"), tostring(err))`)
}
