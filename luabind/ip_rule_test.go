package luabind

import (
	"path/filepath"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// ruleAt returns the rule of `ip -j [-6] rule show` with that priority.
func ruleAt(t *testing.T, ns string, v6 bool, prio int) map[string]any {
	t.Helper()
	args := []string{"rule", "show"}
	if v6 {
		args = append([]string{"-6"}, args...)
	}
	return find(ipJSON(t, ns, args...), "priority", prio)
}

// TestIPRuleAdd adds rules of every shape ip.rule knows and reads each back
// from `ip -j rule show`.
func TestIPRuleAdd(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	run(t, e, `
ip.rule('add', {from='10.0.0.0/24', table=100, priority=1000})
ip.rule('add', {from='10.1.0.0/16', to='192.168.0.0/24', table=1000, priority=1001,
  fwmark='0x10/0xff', iif='v0', oif='v1', tos=0x10})
ip.rule('add', {priority=1002, fwmark=5, fwmask=0xf, table='main'})
ip.rule('add', {priority=1003, iifname='v1', action='blackhole'})
ip.rule('add', {priority=1004, to='10.9.0.0/16', action='unreachable'})
ip.rule('add', {priority=1005, action='prohibit', oifname='v0'})
ip.rule('add', {priority=1006, ['goto']=1010})
ip.rule('add', {priority=1007, action='nop'})
ip.rule('add', {priority=1008, table='main', suppress_prefixlength=0, protocol='static'})
ip.rule('add', {priority=1009, from='2001:db8::/32', table=200})
ip.rule('add', {priority=1010, iif=ip.link_lookup('v0'), table=300})
`)
	for _, c := range []struct {
		prio int
		v6   bool
		want map[string]string
	}{
		{1000, false, map[string]string{"src": "10.0.0.0", "srclen": "24", "table": "100"}},
		{1001, false, map[string]string{"src": "10.1.0.0", "srclen": "16", "dst": "192.168.0.0", "dstlen": "24",
			"table": "1000", "fwmark": "0x10", "fwmask": "0xff", "iif": "v0", "oif": "v1", "tos": "0x10"}},
		{1002, false, map[string]string{"fwmark": "0x5", "fwmask": "0xf", "table": "main"}},
		{1003, false, map[string]string{"iif": "v1", "action": "blackhole"}},
		{1004, false, map[string]string{"dst": "10.9.0.0", "dstlen": "16", "action": "unreachable"}},
		{1005, false, map[string]string{"oif": "v0", "action": "prohibit"}},
		{1006, false, map[string]string{"goto": "1010"}},
		{1007, false, map[string]string{"nop": "null"}},
		{1008, false, map[string]string{"table": "main", "suppress_prefixlen": "0", "protocol": "static"}},
		{1009, true, map[string]string{"src": "2001:db8::", "srclen": "32", "table": "200"}},
		{1010, false, map[string]string{"iif": "v0", "table": "300"}},
	} {
		r := ruleAt(t, ns, c.v6, c.prio)
		if r == nil {
			t.Errorf("rule %d: not in ip rule show", c.prio)
			continue
		}
		for k, want := range c.want {
			if got := jsonText(r[k]); got != want {
				t.Errorf("rule %d: %s = %s, want %s (%v)", c.prio, k, got, want, r)
			}
		}
	}
}

func TestIPRuleDel(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "rule", "add", "from", "10.0.0.0/24", "table", "100", "priority", "500")
	nstest.IP(t, ns, "rule", "add", "fwmark", "7", "table", "1000", "priority", "501")
	nstest.IP(t, ns, "rule", "add", "blackhole", "priority", "502")
	nstest.IP(t, ns, "-6", "rule", "add", "from", "2001:db8::/32", "table", "100", "priority", "503")
	run(t, e, `
ip.rule('del', {from='10.0.0.0/24', table=100, priority=500})
ip.rule('del', {fwmark=7, table=1000})
ip.rule('del', {priority=502})
ip.rule('del', {family=AF_INET6, priority=503})
local ok, err = pcall(ip.rule, 'del', {priority=502})
assert(not ok and err.code == 'ENOENT', tostring(err))
`)
	for _, p := range []int{500, 501, 502} {
		if r := ruleAt(t, ns, false, p); r != nil {
			t.Errorf("rule %d still there: %v", p, r)
		}
	}
	if r := ruleAt(t, ns, true, 503); r != nil {
		t.Errorf("IPv6 rule 503 still there: %v", r)
	}
	if ruleAt(t, ns, false, 32766) == nil {
		t.Errorf("the main rule went too")
	}
}

// TestIPRuleRules lists rules set up with iproute2, through filters.
func TestIPRuleRules(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "rule", "add", "from", "10.0.0.0/24", "table", "100", "priority", "500")
	nstest.IP(t, ns, "rule", "add", "to", "10.8.0.0/16", "table", "100", "priority", "501")
	nstest.IP(t, ns, "rule", "add", "fwmark", "16", "table", "1000", "priority", "502")
	nstest.IP(t, ns, "rule", "add", "blackhole", "priority", "503")
	nstest.IP(t, ns, "-6", "rule", "add", "from", "2001:db8::/32", "table", "100", "priority", "504")
	vals := run(t, e, `
local function prios(list)
  local p = {}
  for _, r in ipairs(list) do p[#p + 1] = tostring(r:get('FRA_PRIORITY') or 0) end
  return table.concat(p, ' ')
end
return prios(ip.rules{table=100}),
  prios(ip.rules{table=100, family=AF_INET}),
  prios(ip.rules{priority=502}),
  prios(ip.rules{src='10.0.0.0/24'}),
  prios(ip.rules{dst='10.8.0.0/16'}),
  prios(ip.rules{action='blackhole'}),
  prios(ip.rules{family='inet6', table='main'}),
  prios(ip.rules{fwmark=16}),
  prios(ip.rules(function(r) return r:get('FRA_TABLE') == 1000 end)),
  prios(ip.rule('dump', {table='local', family=AF_INET})),
  #ip.rules{family=AF_INET} + #ip.rules{family=AF_INET6}, #ip.rules()
`)
	n := len(ipJSON(t, ns, "rule", "show")) + len(ipJSON(t, ns, "-6", "rule", "show"))
	if n != 7+3 {
		t.Fatalf("ip rule show lists %d rules, want 10", n)
	}
	if all := int(lua.LVAsNumber(vals[11])); all < n {
		t.Errorf("ip.rules() lists %d rules, fewer than ip rule show's %d", all, n)
	}
	want := []string{"500 501 504", "500 501", "502", "500", "501", "503", "32766", "502", "502", "0", "10"}
	for i, w := range want {
		if got := vals[i].String(); got != w {
			t.Errorf("filter %d: priorities %q, want %q", i+1, got, w)
		}
	}
}

func TestIPRuleDryEchoErrors(t *testing.T) {
	ns, e := ipEnv(t)
	vals := run(t, e, `
local m = ip.rule('add', {from='10.0.0.0/24', table=5000, priority=7, dry=true})
assert(m.header.type == RTM_NEWRULE and m.family == AF_INET and m.src_len == 24)
assert(m.table == RT_TABLE_UNSPEC and m:get('FRA_TABLE') == 5000 and m.action == FR_ACT_TO_TBL)
local p = ip.rule('add', {table='main', suppress_prefixlen=0, action='FR_ACT_TO_TBL', dry=true})
assert(p.table == RT_TABLE_MAIN and p:get('FRA_SUPPRESS_PREFIXLEN') == 0)
local d = ip.rule('del', {priority=9, dry=true})
assert(d.header.type == RTM_DELRULE and d.action == FR_ACT_UNSPEC and d.table == RT_TABLE_UNSPEC)
local made = ip.rule('add', {to='10.3.0.0/16', table=100, priority=600, echo=true})
local ok, dup = pcall(ip.rule, 'add', {to='10.3.0.0/16', table=100, priority=600})
local ok2, badkey = pcall(ip.rule, 'add', {form='10.0.0.0/8'})
local ok3, badact = pcall(ip.rule, 'add', {action='blackhol'})
local ok4, badcmd = pcall(ip.rule, 'set', {})
return made:get('FRA_DST'), made.dst_len, dup.code, dup.errno, tostring(badkey), tostring(badact), tostring(badcmd)
`)
	if vals[0].String() != "10.3.0.0" || vals[1].String() != "16" {
		t.Errorf("echo returned dst %v/%v", vals[0], vals[1])
	}
	if vals[2].String() != "EEXIST" || vals[3].String() != "17" {
		t.Errorf("duplicate rule: code %v errno %v, want EEXIST 17", vals[2], vals[3])
	}
	for i, want := range []string{
		"test:11: ip.rule: unknown key 'form' (did you mean 'from'?)",
		"test:12: ip.rule: action: unknown name 'blackhol' (did you mean 'blackhole'?)",
		"test:13: ip.rule: unknown command 'set' (commands: add, del, dump, flush)",
	} {
		if got := vals[4+i].String(); got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	}
	if got := runErr(t, e, "\n\nip.rule('add', {table='nosuch'})"); got != "test:3: ip.rule: unknown table 'nosuch' (a number, main, local, default, or a name from /etc/iproute2/rt_tables)" {
		t.Errorf("bad table error %q", got)
	}
	if ruleAt(t, ns, false, 7) != nil {
		t.Errorf("dry run added a rule")
	}
	if r := ruleAt(t, ns, false, 600); r == nil || r["dst"] != "10.3.0.0" {
		t.Errorf("echoed rule not in ip rule show: %v", r)
	}
}

// TestIPRuleGolden checks ip.rule's dry message against the bytes iproute2
// sent for `ip rule add from 10.0.0.0/24 table 100`.
func TestIPRuleGolden(t *testing.T) {
	e, _ := newEnv(t, "")
	want := readHexGolden(t, filepath.Join("..", "testdata", "iproute2", "rule.hex"))
	vals := run(t, e, `return ip.rule('add', {from='10.0.0.0/24', table=100, dry=true})`)
	got, err := e.encodeTable(vals[0].(*lua.LTable))
	if err != nil {
		t.Fatal(err)
	}
	sameWire(t, "rule", got, want)
}
