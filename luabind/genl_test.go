package luabind

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// genlNames is the family names `genl ctrl list` shows in namespace ns.
func genlNames(t *testing.T, ns string) []string {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "genl", "ctrl", "list").CombinedOutput()
	if err != nil {
		t.Fatalf("genl ctrl list: %v\n%s", err, out)
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^Name: (\S+)`).FindAllStringSubmatch(string(out), -1) {
		names = append(names, m[1])
	}
	sort.Strings(names)
	return names
}

// TestGenlFamilies lists the families of a fresh namespace: the names
// iproute2 lists, sorted, each with its kernel id.
func TestGenlFamilies(t *testing.T) {
	ns, e := ipEnv(t)
	vals := run(t, e, `
local names, ids = {}, {}
for _, f in ipairs(genl.families()) do names[#names+1] = f.name; ids[#ids+1] = f.id end
assert(genl.family('nlctrl').id == 16 and genl.family('nlctrl').version == 2)
return table.concat(names, ' ')`)
	if diff := cmp.Diff(strings.Join(genlNames(t, ns), " "), vals[0].String()); diff != "" {
		t.Errorf("families (-genl ctrl list +nlsh):\n%s", diff)
	}
	if got := runErr(t, e, `genl.family('ethtol')`); !strings.Contains(got, "no generic netlink family 'ethtol' in this namespace (did you mean 'ethtool'?)") {
		t.Errorf("unknown family: %s", got)
	}
}

// TestGenlPolicyOnly drives a family that has no spec (TASKSTATS) through
// what the kernel's policy says of it: numbered attributes with their wire
// types, a do request that the kernel answers, and its refusal of a bad
// one with the attribute it points at.
func TestGenlPolicyOnly(t *testing.T) {
	_, e := ipEnv(t)
	run(t, e, `
local f = genl.family('TASKSTATS')
assert(f.source == 'kernel policy', f.source)
local ops = {}
for _, o in ipairs(f:ops()) do ops[o.name] = o end
assert(ops['cmd-1'] and ops['cmd-1'].doit and not ops['cmd-1'].dumpit)
local p = f:policy('cmd-1')
assert(p['attr-1'].type == 'u32' and p['attr-1'].number == 1, 'pid attribute')
assert(p['attr-3'].type == 'string')
-- TASKSTATS_CMD_GET with TASKSTATS_CMD_ATTR_PID = 1 (init): the kernel answers
local r = f:doit('cmd-1', {attr_1 = 1})
assert(r.header.type == f.id and r.cmd == 2, 'a TASKSTATS_CMD_NEW reply')
-- a pid that does not exist
local ok, err = pcall(f.doit, f, 'cmd-1', {attr_1 = 0x7ffffffe})
assert(not ok and err.code == 'ESRCH', tostring(err))
`)
}

// TestGenlEachAndDumpit walks the same dump both ways (netdev's device
// list): the same messages, and the indexes ip lists.
func TestGenlEachAndDumpit(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	vals := run(t, e, `
local f = genl.family('netdev')
local get
for _, o in ipairs(f:ops()) do if o.dumpit and o.id == 1 then get = o.name end end
local a, b = {}, {}
for _, m in ipairs(f:dumpit(get, {})) do a[#a+1] = m:get(1) end
for m in f:each(get, {}) do b[#b+1] = m:get(1) end
assert(#a == #b and #a > 0)
for i = 1, #a do assert(a[i] == b[i]) end
table.sort(a)
return table.concat(a, ' ')`)
	var idx []string
	for _, l := range ipJSON(t, ns, "link", "show") {
		idx = append(idx, jsonText(l["ifindex"]))
	}
	sort.Strings(idx)
	if diff := cmp.Diff(strings.Join(idx, " "), vals[0].String()); diff != "" {
		t.Errorf("netdev dump (-ip +nlsh):\n%s", diff)
	}
}

// TestSockEach streams a route dump on a raw socket: the same routes as
// s:request, and a later call on the socket ends an unfinished stream.
func TestSockEach(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "set", "lo", "up")
	for _, a := range []string{"10.1.0.1/24", "10.2.0.1/24", "10.3.0.1/24"} {
		nstest.IP(t, ns, "addr", "add", a, "dev", "lo")
	}
	run(t, e, `
local s = nl.socket('route')
local req = rtnl.rtmsg{family = AF_INET}
req.header.type, req.header.flags = RTM_GETROUTE, 'NLM_F_REQUEST|NLM_F_DUMP'
local all = s:request(req)
local n = 0
for m in s:each(req) do n = n + 1; assert(m:get('RTA_TABLE') == all[n]:get('RTA_TABLE')) end
assert(n == #all and n > 3, n)
local it = s:each(req)
assert(it())
assert(#s:request(req) == #all)
local ok, err = pcall(it)
assert(not ok and tostring(err):find('ended by a later call'), tostring(err))
`)
}

// TestGenlSubscribe sees a device another process adds, through netdev's
// notifications.
func TestGenlSubscribe(t *testing.T) {
	ns, e := ipEnv(t)
	vals := run(t, e, `
local f = genl.family('netdev')
local ok, err = pcall(f.subscribe, f, 'mgmnt')
assert(not ok and tostring(err):find("did you mean 'mgmt'"), tostring(err))
local events = f:subscribe('mgmt', {timeout = 5})
assert(os.execute('ip -n `+ns+` link add s0 type veth peer name s1') == 0)
local seen = {}
for ev in events do
  seen[#seen+1] = ev:get(1)
  if #seen == 2 then break end
end
return #seen`)
	if vals[0].String() != "2" {
		t.Errorf("saw %s notifications, want 2 (s0 and s1)", vals[0])
	}
	idx := map[string]bool{}
	for _, l := range ipJSON(t, ns, "link", "show") {
		idx[jsonText(l["ifname"])] = true
	}
	if !idx["s0"] || !idx["s1"] {
		t.Fatalf("the veth pair was not made: %v", idx)
	}
}

// TestGenlDecodeCapture decodes a recorded family dump offline: the
// families it names are learned, so their messages decode by name.
func TestGenlDecodeCapture(t *testing.T) {
	e, out := newEnv(t, "")
	b, err := os.ReadFile(filepath.Join("..", "testdata", "genl", "families.bin"))
	if err != nil {
		t.Fatal(err)
	}
	src := `
local msgs = genl.decode(...)
local names = {}
for _, m in ipairs(msgs) do
  assert(m.event == 'getfamily', m.event)
  names[#names+1] = m:get('family-name')
end
assert(#names == 8, #names)
nl.explain(msgs[1])
`
	if _, err := e.Run(context.Background(), "test", src, []string{string(b)}); err != nil {
		t.Fatal(e.FormatError(err))
	}
	if !strings.Contains(out.String(), "genlmsghdr.cmd = 1 getfamily") || !strings.Contains(out.String(), "nla_type = 2 family-name") {
		t.Errorf("explain:\n%s", out)
	}
}

// TestGenlComplete completes family, operation, group and attribute names
// against a namespace's kernel.
func TestGenlComplete(t *testing.T) {
	_, e := ipEnv(t)
	run(t, e, `nd = genl.family('netdev'); ctl = genl.family('nlctrl')`)
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"genl.family('net", []string{"netdev'"}},
		{"ctl:dumpit('getp", []string{"getpolicy'"}},
		{"local c = genl.family('nlctrl'); c:doit('getf", []string{"getfamily'"}},
		{"nd:subscribe('mg", []string{"mgmt'"}},
		{"ctl:doit('getfamily', {family_n", []string{"family_name"}},
		{"ctl.getf", []string{"getfamily"}},
		{"ctl:pol", []string{"policy"}},
		{"ctl.getfamily{fam", []string{"family_id", "family_name"}},
		// The family a chained call names, without a variable.
		{"genl.family('nlctrl'):dumpit('getp", []string{"getpolicy'"}},
		{"genl.family(\"netdev\"):subscribe('mg", []string{"mgmt'"}},
		{"genl.family('nlctrl'):doit('getfamily', {family_n", []string{"family_name"}},
	} {
		got, _ := e.Complete(tc.line, len(tc.line))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Complete(%q) (-want +got):\n%s", tc.line, diff)
		}
	}
}

// TestGenlHelp explains a family, an operation and a message of one.
func TestGenlHelp(t *testing.T) {
	ns, _ := ipEnv(t)
	e, out := newEnv(t, ns)
	run(t, e, `help('nlctrl'); help('nlctrl getpolicy'); help(genl.family('nlctrl'):doit('getfamily', {family_name = 'nlctrl'})); help('nlctrl getpolcy')`)
	for _, want := range []string{
		"generic netlink family nlctrl — the generic netlink controller",
		"  10   getpolicy  dump     dump a family's attribute policies",
		"nlctrl getpolicy — dump a family's attribute policies",
		"  command 10 in requests and replies\n",
		"  call: genl.family('nlctrl'):dumpit('getpolicy', {family_name = 'text'})",
		"nlctrl getfamily — get one family by name",
		"nlctrl has no operation 'getpolcy' (did you mean 'getpolicy'?)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help output lacks %q:\n%s", want, out)
		}
	}
}
