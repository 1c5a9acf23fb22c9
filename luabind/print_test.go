package luabind

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"
)

func init() {
	// Other test files of this package may define -update too; whichever
	// comes first defines it, and updating() reads it by name.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files with the output of the code under test")
	}
}

// updating reports whether the test run was asked to rewrite golden files.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares got with the file at path, or with -update rewrites it.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./luabind -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); go test ./luabind -update rewrites it:\n%s", path, diff)
	}
}

// printCases print real kernel messages (from testdata/dumps, captured in a
// namespace built by nstest.Topology), messages built in Lua and plain
// tables. The chunk sees the dump's messages as msgs.
var printCases = []struct {
	name, dump, src string
}{
	{"link_veth", "links", `for _, m in ipairs(msgs) do if m:get('IFLA_IFNAME') == 'v1' then return m end end`},
	{"address", "addrs", `for _, m in ipairs(msgs) do if m.family == AF_INET and m:get('IFA_LABEL') == 'v0' then return m end end`},
	{"address_ipv6", "addrs", `for _, m in ipairs(msgs) do if m.family == AF_INET6 and m.index ~= 1 and m.scope == 0 then return m end end`},
	{"route_multipath", "routes", `for _, m in ipairs(msgs) do if m:get('RTA_MULTIPATH') then return m end end`},
	{"qdisc_htb", "qdiscs", `for _, m in ipairs(msgs) do if m:get('TCA_KIND') == 'htb' then return m end end`},
	{"qdisc_tbf", "qdiscs", `for _, m in ipairs(msgs) do if m:get('TCA_KIND') == 'tbf' then return m end end`},
	{"filter_u32", "filters", `for _, m in ipairs(msgs) do if m:get('TCA_OPTIONS') and m:get('TCA_OPTIONS'):get('TCA_U32_SEL') then return m end end`},
	{"address_list", "addrs", `local l = {} for _, m in ipairs(msgs) do if m.family == AF_INET then l[#l+1] = m end end return l`},
	{"built_route", "", `
local r = rtnl.rtmsg{family = AF_INET, dst_len = 16, table = RT_TABLE_MAIN, proto = RTPROT_STATIC,
  scope = RT_SCOPE_UNIVERSE, type = RTN_UNICAST}
r.header.type = RTM_NEWROUTE
r.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
r.attrs = {{'RTA_DST', '10.9.0.0'},
  {'RTA_MULTIPATH', {{hops = 0, oif = 3, attrs = {{'RTA_GATEWAY', '10.0.0.2'}}},
                     {hops = 1, oif = 3, attrs = {{'RTA_GATEWAY', '10.0.0.3'}}}}},
  {'RTA_METRICS', {{'RTAX_MTU', 1400}}}}
return rtnl.decode(r:encode())[1]`},
	{"built_link_veth", "", `
local m = rtnl.ifinfomsg{flags = IFF_UP, change = IFF_UP}
m.header.type = RTM_NEWLINK
m.header.flags = {'NLM_F_REQUEST', 'NLM_F_ACK', 'NLM_F_CREATE'}
m.attrs = {{'IFLA_IFNAME', 'v0'}, {'IFLA_ADDRESS', '02:00:00:00:00:01'},
  {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'},
    {'IFLA_INFO_DATA', {{'VETH_INFO_PEER', {index = 0, attrs = {{'IFLA_IFNAME', 'v1'}}}}}}}},
  {'IFLA_999', '\1\2\3'}}
return m`},
	{"table", "", `
local t = {b = {1, 2, {x = 'y'}}, a = 'text', [3.5] = true, bin = '\0\1\255', [true] = 'yes', ['a b'] = 1}
t.self = t
return t`},
	{"table_long", "", `
local t = {}
for i = 1, 4 do t[i] = {index = i, name = 'interface' .. i, addrs = {'10.0.' .. i .. '.1', 'fe80::' .. i}} end
t.summary = {count = 4, note = string.rep('long text ', 12)}
return t`},
	{"values", "", `return 1, 'two', nil, true, 2^60, 0.5, {}`},
}

func TestPrintGolden(t *testing.T) {
	for _, tc := range printCases {
		t.Run(tc.name, func(t *testing.T) {
			e, out := newEnv(t, "")
			if tc.dump != "" {
				b, err := os.ReadFile(filepath.Join("..", "testdata", "dumps", tc.dump+".bin"))
				if err != nil {
					t.Fatal(err)
				}
				msgs, err := e.decodeToLua(b)
				if err != nil {
					t.Fatalf("decoding %s.bin: %v", tc.dump, err)
				}
				e.L.SetGlobal("msgs", msgs)
			}
			vals := run(t, e, tc.src)
			if len(vals) == 0 || vals[0] == lua.LNil {
				t.Fatalf("the chunk found nothing to print")
			}
			got := e.Show(vals) + "\n"
			golden(t, filepath.Join("..", "testdata", "print", tc.name+".txt"), got)

			// show() prints the same, and a message prints the same
			// through print (its __tostring).
			run(t, e, "show(...)")
			e.L.SetGlobal("v", vals[0])
			out.Reset()
			run(t, e, "show(v)")
			if want := e.Show(vals[:1]) + "\n"; out.String() != want {
				t.Errorf("show(v) printed (-want +got):\n%s", cmp.Diff(want, out.String()))
			}
			if tv, ok := vals[0].(*lua.LTable); ok && e.isMessage(tv) {
				out.Reset()
				run(t, e, "print(v)")
				if diff := cmp.Diff(e.Show(vals[:1])+"\n", out.String()); diff != "" {
					t.Errorf("print(msg) differs from the REPL's rendering (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestPrintNeverLoops feeds the printer self-referencing and very deep
// values: it must finish, mark the cycle and not overflow the stack.
func TestPrintNeverLoops(t *testing.T) {
	e, out := newEnv(t, "")
	for _, src := range []string{
		`local t = {} t[1] = t return t`,
		`local a, b = {}, {} a.b = b b.a = a return a`,
		`local t = {} local cur = t for i = 1, 1000 do cur.next = {} cur = cur.next end return t`,
		`local m = rtnl.ifinfomsg() local l = {} l[1] = {'IFLA_LINKINFO', l} m.attrs = l return m`,
		`local m = rtnl.ifinfomsg() local n = {} local cur = n
		 for i = 1, 200 do local inner = {} cur[1] = {'IFLA_LINKINFO', inner} cur = inner end
		 m.attrs = n return m`,
		`local m = rtnl.ifaddrmsg() m.attrs = {{'IFA_LOCAL', m}} return {m, m}`,
	} {
		vals := run(t, e, src)
		s := e.Show(vals)
		if s == "" {
			t.Errorf("%s: printed nothing", src)
		}
		if strings.Contains(src, "t[1] = t") && !strings.Contains(s, "<cycle>") {
			t.Errorf("%s: no <cycle> mark in %q", src, s)
		}
		out.Reset()
		e.L.SetGlobal("v", vals[0])
		run(t, e, "print(v) show(v)")
	}
}

// TestPrintScalars checks the one-line rendering of values.
func TestPrintScalars(t *testing.T) {
	e, _ := newEnv(t, "")
	for _, tc := range []struct{ src, want string }{
		{`return 2`, "2"},
		{`return 1+1`, "2"},
		{`return 'a', 3`, "a\t3"},
		{`return {}`, "{}"},
		{`return {1, 2, 3}`, "{1, 2, 3}"},
		{`return {b = 1, a = 2}`, "{a=2, b=1}"},
		{`return {'x\0y'}`, "{<hex 78 00 79>}"},
		{`return {['end'] = 1, ['a-b'] = 2, [2^60] = 3}`, `{[1152921504606846976]=3, ["a-b"]=2, ["end"]=1}`},
		{`return {[1] = 'a', [3] = 'c'}`, `{"a", [3]="c"}`},
		{`return nl.raw('\1')`, "raw<hex 01>"},
		{`return {nl.raw('\1')}`, "{raw<hex 01>}"},
	} {
		vals := run(t, e, tc.src)
		if diff := cmp.Diff(tc.want, e.Show(vals)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.src, diff)
		}
	}
}

// TestErrorText checks the REPL's one-line errors and short tracebacks.
func TestErrorText(t *testing.T) {
	e, _ := newEnv(t, "")
	for _, tc := range []struct{ src, want string }{
		{`x = = 1`, "test:1: unexpected symbol near '='"},
		{"local a = 1\nfunction f(", "test:2: unfinished statement near the end of the chunk"},
		{`x = 'abc`, "test:1: unterminated string near the end of the chunk"},
		{`error('boom')`, "test:1: boom\nstack traceback:\n\ttest:1: in main chunk"},
		{`error({code = 1, why = 'x'})`, "error {code=1, why=\"x\"}\nstack traceback:\n\ttest:1: in main chunk"},
		{`error(setmetatable({}, {__tostring = function() return 'custom' end}))`, "custom\nstack traceback:\n\ttest:1: in main chunk"},
		{`local function f(n) if n == 0 then error('bottom') end return f(n - 1) end f(5)`,
			"test:1: bottom\nstack traceback:\n\ttest:1: in function <test:1>\n\ttest:1: in main chunk"},
		{`local function f(n) if n == 0 then error('bottom') end f(n - 1) end f(20)`,
			"test:1: bottom\nstack traceback:\n\ttest:1: in function 'f' (5 more times)\n\t...\n\ttest:1: in function 'f' (4 more times)\n\ttest:1: in main chunk"},
		// nlsh's own frames (Go functions, the ip module's Lua, tail calls)
		// are left out: the traceback names the script's lines.
		{"local function g()\n  return ip.link_lookup(true)\nend\ng()", "test:2: ip.link_lookup: expected a name or a filter table, got boolean\nstack traceback:\n\ttest:2: in function 'g'\n\ttest:4: in main chunk"},
	} {
		_, err := e.Run(context.Background(), "test", tc.src, nil)
		if err == nil {
			t.Fatalf("%s did not fail", tc.src)
		}
		if diff := cmp.Diff(tc.want, e.ErrorText(err)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.src, diff)
		}
	}
}

// TestShowBrief cuts long results and stops rendering a long list of
// messages once the lines are spent.
func TestShowBrief(t *testing.T) {
	e, _ := newEnv(t, "")
	vals := run(t, e, `local t = {} for i = 1, 50 do t[i] = string.rep('x', 120) .. i end return t`)
	got := e.ShowBrief(vals, 10)
	if lines := strings.Split(got, "\n"); len(lines) != 11 || lines[10] != "… 42 more lines; show(_) prints them all" {
		t.Errorf("ShowBrief of a 52-line table:\n%s", got)
	}
	vals = run(t, e, `
local one = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = 2}
one.header.type = RTM_NEWADDR
one.attrs = {{'IFA_LOCAL', '10.0.0.1'}}
local b = one:encode()
return rtnl.decode(string.rep(b, 1000))`)
	got = e.ShowBrief(vals, 40)
	if !strings.HasSuffix(got, "#40  RTM_NEWADDR  2  -  AF_INET  10.0.0.1/24  UNIVERSE\n… 960 more of 1000 messages; show(_) prints them all in full") {
		t.Errorf("ShowBrief of 1000 messages ends:\n%s", got[max(0, len(got)-300):])
	}
	// The messages left out were never decoded.
	list := vals[0].(*lua.LTable)
	if lm := e.lazyOf(list.RawGetInt(1000).(*lua.LTable)); lm == nil || lm.fields {
		t.Errorf("message 1000 was decoded to print the first forty")
	}
	if got := e.ShowBrief(run(t, e, `return 1, 'a'`), 10); got != "1\ta" {
		t.Errorf("ShowBrief(1, 'a') = %q", got)
	}
}

// TestPrintFailingToString shows a value whose __tostring fails, and checks
// that doing so leaves the Lua state sound: a later error's traceback has
// only its own frames.
func TestPrintFailingToString(t *testing.T) {
	e, _ := newEnv(t, "")
	vals := run(t, e, `local t = setmetatable({}, {__tostring = function() error('no') end}) return {t}, t`)
	if got := e.Show(vals); !strings.HasPrefix(got, "{table: 0x") {
		t.Errorf("Show = %q, want the plain table rendering", got)
	}
	_, err := e.Run(context.Background(), "later", `error('later')`, nil)
	want := "later:1: later\nstack traceback:\n\tlater:1: in main chunk"
	if diff := cmp.Diff(want, e.ErrorText(err)); diff != "" {
		t.Errorf("error after a failed __tostring (-want +got):\n%s", diff)
	}
}

// TestPrintIfiTypeZero checks that a printed request says what its
// ifi_type 0 means (unspecified), while a message without NLM_F_REQUEST
// (what the kernel sends) names 0 ARPHRD_NETROM.
func TestPrintIfiTypeZero(t *testing.T) {
	e, _ := newEnv(t, "")
	for _, c := range []struct{ flags, want string }{
		{"NLM_F_REQUEST", "ifi_type: 0 (unspecified)"},
		{"0", "ifi_type: 0 (ARPHRD_NETROM)"},
	} {
		vals := run(t, e, `
local m = rtnl.ifinfomsg{header = {type = RTM_NEWLINK, flags = `+c.flags+`},
  attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}, {'IFLA_INFO_DATA', {{'VETH_INFO_PEER', {ifi_type = 0, attrs = {}}}}}}}}}
return tostring(m), tostring(rtnl.decode(m:encode())[1])`)
		for i, v := range vals {
			var rows []string
			for _, l := range strings.Split(lua.LVAsString(v), "\n") {
				if strings.Contains(l, "ifi_type") {
					rows = append(rows, strings.TrimSpace(l))
				}
			}
			// The message's own header, then VETH_INFO_PEER's.
			if diff := cmp.Diff([]string{c.want, c.want}, rows); diff != "" {
				t.Errorf("flags %s, value %d: ifi_type rows (-want +got):\n%s", c.flags, i+1, diff)
			}
		}
	}
}

// TestShowList: the shell prints a list of messages a line each; show()
// prints each in full.
func TestShowList(t *testing.T) {
	e, out := newEnv(t, "")
	vals := run(t, e, `
local one = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = 2}
one.header.type = RTM_NEWADDR
one.attrs = {{'IFA_LOCAL', '10.0.0.1'}, {'IFA_LABEL', 'v0'}}
local l = rtnl.decode(one:encode() .. one:encode())
show(l)
return l`)
	brief := e.ShowBrief(vals, 100)
	want := "#1  RTM_NEWADDR  2  v0  AF_INET  10.0.0.1/24  UNIVERSE\n#2  RTM_NEWADDR  2  v0  AF_INET  10.0.0.1/24  UNIVERSE\n(2 messages; show(_) prints them in full)"
	if diff := cmp.Diff(want, brief); diff != "" {
		t.Errorf("brief (-want +got):\n%s", diff)
	}
	if s := out.String(); strings.Count(s, "  attrs:\n    IFA_LOCAL: \"10.0.0.1\"") != 2 || !strings.HasSuffix(s, "(2 messages)\n") {
		t.Errorf("show(list) printed:\n%s", s)
	}
}
