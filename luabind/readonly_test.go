package luabind

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"nlsh/engine/nstest"
)

// snapshot is everything iproute2 shows of a namespace, as bytes.
func snapshot(t *testing.T, ns string) string {
	t.Helper()
	var b strings.Builder
	for _, args := range [][]string{
		{"ip", "-n", ns, "-j", "link", "show"},
		{"ip", "-n", ns, "-j", "addr", "show"},
		{"ip", "-n", ns, "-j", "route", "show", "table", "all"},
		{"ip", "-n", ns, "-6", "-j", "route", "show", "table", "all"},
		{"ip", "-n", ns, "-j", "rule", "show"},
		{"ip", "-n", ns, "-j", "neigh", "show"},
		{"tc", "-n", ns, "-j", "qdisc", "show"},
		{"tc", "-n", ns, "-j", "class", "show", "dev", "v0"},
	} {
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		// Duplicate address detection ends on its own time.
		b.WriteString(strings.ReplaceAll(withoutAddrconf(t, out), `"tentative":true,`, ""))
	}
	return b.String()
}

// withoutAddrconf drops from a JSON list of routes the IPv6 link-local and
// multicast routes the kernel adds on its own time as a link comes up (a
// bridge gets them a moment after its first port), so that a snapshot
// shows what a request changed, not what addrconf did meanwhile.
func withoutAddrconf(t *testing.T, out []byte) string {
	var rows []map[string]any
	if json.Unmarshal(out, &rows) != nil || len(rows) == 0 || rows[0]["dst"] == nil {
		return string(out)
	}
	kept := rows[:0]
	for _, r := range rows {
		if dst := r["dst"]; r["protocol"] == "kernel" && (dst == "fe80::/64" || dst == "ff00::/8") {
			continue
		}
		kept = append(kept, r)
	}
	b, err := json.Marshal(kept)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// settled is the namespace's snapshot once it stops changing on its own:
// a new bridge gets its carrier, and an IPv6 link-local address with it,
// a moment after its first port comes up.
func settled(t *testing.T, ns string) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		out, _ := exec.Command("ip", "-n", ns, "-j", "link", "show", "br0").Output()
		if strings.Contains(string(out), `"operstate":"UP"`) {
			break
		}
	}
	last := snapshot(t, ns)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		now := snapshot(t, ns)
		if now == last {
			return now
		}
		last = now
	}
	return last
}

// TestReadOnly: under read-only every call that would change the kernel
// is refused before anything is sent, naming the message, and the
// namespace is byte for byte as it was; reading, dumping, explaining and
// tracing still work.
func TestReadOnly(t *testing.T) {
	ns := nstest.New(t)
	nstest.Topology(t, ns)
	before := settled(t, ns)
	e, _ := newEnv(t, ns)
	run(t, e, `assert(nl.read_only() == false); assert(nl.read_only(true) == true)`)
	if got := runErr(t, e, `nl.read_only(false)`); !strings.Contains(got, "cannot be turned off") {
		t.Errorf("read_only(false): %s", got)
	}
	for _, tc := range []struct{ chunk, want string }{
		{`ip.link('add', {ifname = 'x0', kind = 'veth', peer = 'x1'})`, "RTM_NEWLINK refused: read-only"},
		{`ip.link('set', {ifname = 'v0', mtu = 1400})`, "RTM_NEWLINK refused: read-only"},
		{`ip.link('del', {ifname = 'v0'})`, "RTM_DELLINK refused: read-only"},
		{`ip.addr('add', {ifname = 'v0', address = '10.1.0.1/24'})`, "RTM_NEWADDR refused: read-only"},
		{`ip.addr('del', {ifname = 'v0', address = '10.0.0.1/24'})`, "RTM_DELADDR refused: read-only"},
		{`ip.addr('flush', {ifname = 'v0'})`, "RTM_DELADDR refused: read-only"},
		{`ip.route('add', {dst = '10.7.0.0/16', gateway = '10.0.0.2'})`, "RTM_NEWROUTE refused: read-only"},
		{`ip.route('del', {dst = '10.8.0.0/16'})`, "RTM_DELROUTE refused: read-only"},
		{`ip.route('flush', {table = 254})`, "RTM_DELROUTE refused: read-only"},
		{`ip.neigh('add', {ifname = 'v0', dst = '10.0.0.9', lladdr = '02:00:00:00:00:09'})`, "RTM_NEWNEIGH refused: read-only"},
		{`ip.neigh('del', {ifname = 'v0', dst = '10.0.0.5'})`, "RTM_DELNEIGH refused: read-only"},
		{`ip.rule('add', {table = 10, priority = 5})`, "RTM_NEWRULE refused: read-only"},
		{`ip.rule('del', {priority = 100})`, "RTM_DELRULE refused: read-only"},
		{`ip.tc('add', 'ingress', {dev = 'v1'})`, "RTM_NEWQDISC refused: read-only"},
		{`ip.tc('del', {dev = 'v0'})`, "RTM_DELQDISC refused: read-only"},
		{`ip.tc('del-class', 'htb', {dev = 'v0', classid = '1:10'})`, "RTM_DELTCLASS refused: read-only"},
		{`local r = ip.batch(function() ip.route('add', {dst = '10.6.0.0/16', gateway = '10.0.0.2'}) end)`, "RTM_NEWROUTE refused: read-only"},
		{`local s = nl.socket('route'); local m = rtnl.ifinfomsg{index = ip.link_lookup('v0')}
		  m.header.type, m.header.flags = RTM_DELLINK, 'NLM_F_REQUEST|NLM_F_ACK'; s:request(m)`, "RTM_DELLINK refused: read-only"},
		{`local s = nl.socket('route'); s:send(string.rep('\0', 3))`, "refused: read-only"},
		{`local f = genl.family('netdev'); local op
		  for _, o in ipairs(f:ops()) do for _, fl in ipairs(o.flags) do if fl == 'admin-perm' then op = o.name end end end
		  f:doit(op, {})`, "refused: read-only"},
		{`nl.netns.add('nlsht-never')`, "nl.netns.add refused: read-only"},
		{`nl.tuntap('tap9', {mode = 'tap'})`, "nl.tuntap refused: read-only"},
		{`os.execute('true')`, "os.execute refused: read-only"},
		{`io.popen('true')`, "io.popen refused: read-only"},
		{`io.open('/tmp/nlsh-read-only-test', 'w')`, "refused: read-only (files open for reading only)"},
		{`os.remove('/tmp/nlsh-read-only-test')`, "os.remove refused: read-only"},
		{`nl.pcap.open('/tmp/nlsh-read-only.pcap')`, "nl.pcap.open refused: read-only"},
	} {
		if got := runErr(t, e, tc.chunk); !strings.Contains(got, tc.want) {
			t.Errorf("%s\n  error %q, want %q", tc.chunk, got, tc.want)
		}
	}
	// Reading still works: dumps, gets, generic dumps, explain.
	run(t, e, `
assert(#ip.links() == 7, #ip.links())
assert(#ip.routes{table = 254} > 0)
local l = ip.link('get', {ifname = 'v0'}); assert((l[1] or l):get('IFLA_IFNAME') == 'v0')
assert(#genl.families() > 3)
assert(#genl.family('nlctrl'):dumpit('getfamily') > 3)
local m = rtnl.ifinfomsg(); m.header.type = RTM_DELLINK
assert(nl.explain(m, {text = true}):find('RTM_DELLINK'))
assert(io.open('/proc/self/status', 'r')):close()`)
	if _, err := exec.Command("ip", "netns", "exec", "nlsht-never", "true").CombinedOutput(); err == nil {
		t.Error("namespace nlsht-never was made under read-only")
	}
	if after := snapshot(t, ns); after != before {
		t.Errorf("the namespace changed under read-only:\nbefore\n%s\nafter\n%s", before, after)
	}
}
