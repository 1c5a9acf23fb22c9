package luabind

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// completionEnv is an Env holding what the cases complete against: a
// message m, a decoded message d and a socket-like value s (a userdata
// with the sockets' metatable, so no kernel is needed).
func completionEnv(t *testing.T) *Env {
	t.Helper()
	e, _ := newEnv(t, "")
	run(t, e, `
m = rtnl.ifaddrmsg()
d = rtnl.decode(rtnl.rtmsg{header = {type = RTM_NEWROUTE}}:encode())[1]
l = rtnl.decode(rtnl.ifinfomsg{header = {type = RTM_NEWLINK}}:encode() .. rtnl.rtmsg{header = {type = RTM_NEWROUTE}}:encode())
cfg = {name = 'x', nested = {deep = 1}}`)
	ud := e.L.NewUserData()
	ud.Metatable = e.sockMeta
	e.L.SetGlobal("s", ud)
	return e
}

func TestComplete(t *testing.T) {
	e := completionEnv(t)
	for _, tc := range []struct {
		line string
		want []string // nil: no completion
		n    int      // bytes replaced
	}{
		// Names, fields and methods.
		{"rtnl.ifa", []string{"ifaddrmsg"}, 3},
		{"x = rtnl.rtm", []string{"rtmsg"}, 3},
		{"pri", []string{"print"}, 3},
		{"RTM_NEWA", []string{"RTM_NEWACTION", "RTM_NEWADDR", "RTM_NEWADDRLABEL"}, 8},
		{"NLM_F_RE", []string{"NLM_F_REPLACE", "NLM_F_REQUEST"}, 8},
		{"AF_INET", []string{"AF_INET", "AF_INET6"}, 7},
		{"whi", []string{"while"}, 3},
		{"local foo = 1; fo", []string{"foo", "for"}, 2},
		{"function g(alpha, beta) return al", []string{"alpha"}, 2},
		{"bit.b", []string{"band", "bnot", "bor", "btest", "bxor"}, 1},
		{"string.f", []string{"find", "format"}, 1},
		{"nl.pcap.", []string{"close", "open"}, 0},
		{"m:", []string{"encode", "explain", "get", "get_all"}, 0},
		{"m.pre", []string{"prefixlen"}, 3},
		{"m.header.seq", []string{"sequence_number"}, 3},
		{"d.dst", []string{"dst_len"}, 3},
		{"d.header.ty", []string{"type"}, 2},
		{"s:rec", []string{"recv", "recv_raw"}, 3},
		{"cfg.nested.d", []string{"deep"}, 1},
		{"local r = rtnl.rtmsg()\nr.ta", []string{"table"}, 2},
		{"ip.link_", []string{"link_lookup"}, 5},
		// Attribute names in strings, from the class when it is known.
		{"'IFA_LO", []string{"IFA_LOCAL'"}, 6},
		{`"IFA_LO`, []string{`IFA_LOCAL"`}, 6},
		{"m.attrs = {{'IFA_L", []string{"IFA_LABEL'", "IFA_LOCAL'"}, 5},
		{"m.attrs = {'IFA_LA", []string{"IFA_LABEL'"}, 6},
		{"local a = rtnl.ifaddrmsg()\na.attrs = {{'IFA_F", []string{"IFA_FLAGS'"}, 5},
		{"x = rtnl.ifaddrmsg{attrs = {{'IFA_B", []string{"IFA_BROADCAST'"}, 5},
		{"d.attrs = {{'RTA_G", []string{"RTA_GATEWAY'"}, 5},
		{"m:get('IFA_LA", []string{"IFA_LABEL'"}, 6},
		{"link:get('IFLA_LINKINFO', 'IFLA_INFO_K", []string{"IFLA_INFO_KIND'"}, 11},
		{"x = rtnl.ifinfomsg{attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}, {'IFLA_INFO_DATA', {{'VETH_INFO_P",
			[]string{"VETH_INFO_PEER'"}, 11},
		{"x = rtnl.ifinfomsg{attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}, {'IFLA_INFO_DATA', {{'VETH_INFO_PEER', {index = 0, attrs = {{'IFLA_IFN",
			[]string{"IFLA_IFNAME'"}, 8},
		{"r.attrs = {{'RTA_MULTIPATH', {{hops = 0, attrs = {{'RTA_GA", []string{"RTA_GATEWAY'"}, 6},
		{"r = rtnl.rtmsg(); r.attrs = {{'RTA_METRICS', {{'RTAX_MT", []string{"RTAX_MTU'"}, 7},
		// A wrong guess of the class falls back to every attribute.
		{"rtnl.ifinfomsg(); x = {{'IFA_LOC", []string{"IFA_LOCAL'"}, 7},
		// The closing quote is not doubled when it is already there.
		{"'IFA_LO' ", nil, 0},
		// Flags: the last name of a 'A|B' string, left open.
		{"m.header.flags = 'NLM_F_REQUEST|NLM_F_AC", []string{"NLM_F_ACK", "NLM_F_ACK_TLVS"}, 8},
		{"m.header.flags = 'NLM_F_REQ", []string{"NLM_F_REQUEST"}, 9},
		// Other strings.
		{"help('IFA_LOC", []string{"IFA_LOCAL'"}, 7},
		{"help('rtnl.ifaddr", nil, 0},
		{"nl.socket('ro", []string{"route'"}, 2},
		{"x = 'hello wor", nil, 0},
		{"'", nil, 0},
		// Nothing to complete.
		{"", nil, 0},
		{"-- rtnl.ifa", nil, 0},
		{"x = [[rtnl.ifa", nil, 0},
		{"--[[ rtnl.ifa", nil, 0},
		{"1.5", nil, 0},
		{"f().x", nil, 0},
		{"nosuchthing.x", nil, 0},
		{"m.attrs[1].", nil, 0},
		// The receiver's own set, through indexes and calls: a link's
		// attributes, not every IFLA_ set's.
		{"l[1]:get('IFLA_MT", []string{"IFLA_MTU'"}, 7},
		{"l[1]:get('IFLA_MA", []string{"IFLA_MAP'", "IFLA_MASTER'", "IFLA_MAX_MTU'", "IFLA_MAX_PACING_OFFLOAD_HORIZON'"}, 7},
		{"l[2]:get('RTA_GA", []string{"RTA_GATEWAY'"}, 6},
		{"l[1]:get_all('IFLA_LINKINFO', 'IFLA_INFO_K", []string{"IFLA_INFO_KIND'"}, 11},
		{"local ls = ip.links()\nls[1]:get('IFLA_MA", []string{"IFLA_MAP'", "IFLA_MASTER'", "IFLA_MAX_MTU'", "IFLA_MAX_PACING_OFFLOAD_HORIZON'"}, 7},
		{"ip.links()[1]:get('IFLA_MT", []string{"IFLA_MTU'"}, 7},
		{"ip.netns('x').routes()[1]:get('RTA_GA", []string{"RTA_GATEWAY'"}, 6},
		{"for _, r in ipairs(ip.routes{table = 254}) do print(r:get('RTA_GA", []string{"RTA_GATEWAY'"}, 6},
		{"for i, a in ipairs(ip.addrs()) do x = a:get('IFA_LA", []string{"IFA_LABEL'"}, 6},
		{"m.attrs[#m.attrs + 1] = {'IFA_LA", []string{"IFA_LABEL'"}, 6},
		{"table.insert(m.attrs, {'IFA_LA", []string{"IFA_LABEL'"}, 6},
		{"table.insert(l[1].attrs, {'IFLA_LINKINFO', {{'IFLA_INFO_K", []string{"IFLA_INFO_KIND'"}, 11},
		{"l[1]:ge", []string{"get", "get_all"}, 2},
		{"l[2].dst_", []string{"dst_len"}, 4},
	} {
		got, n := e.Complete(tc.line, len(tc.line))
		if diff := cmp.Diff(tc.want, got); diff != "" || n != tc.n && tc.want != nil {
			t.Errorf("Complete(%q) = %q, %d; want %q, %d\n%s", tc.line, got, n, tc.want, tc.n, diff)
		}
		for _, c := range got {
			if !strings.HasPrefix(c, tc.line[len(tc.line)-n:]) {
				t.Errorf("Complete(%q): candidate %q does not start with the replaced %q", tc.line, c, tc.line[len(tc.line)-n:])
			}
		}
	}
}

// TestCompleteMidLine completes with text after the cursor.
func TestCompleteMidLine(t *testing.T) {
	e := completionEnv(t)
	line := "x = {'IFA_LO'}"
	got, n := e.Complete(line, strings.Index(line, "'}"))
	if diff := cmp.Diff([]string{"IFA_LOCAL"}, got); diff != "" || n != 6 {
		t.Errorf("Complete(%q) before the closing quote = %q, %d (-want +got):\n%s", line, got, n, diff)
	}
	got, _ = e.Complete("rtnl.ifa(x)", len("rtnl.ifa"))
	if diff := cmp.Diff([]string{"ifaddrmsg"}, got); diff != "" {
		t.Errorf("completion before '(x)' (-want +got):\n%s", diff)
	}
}

// TestCompleteCollapses shortens a flood of names to their families.
func TestCompleteCollapses(t *testing.T) {
	e := completionEnv(t)
	got, n := e.Complete("rtnl.", len("rtnl."))
	if n != 0 {
		t.Errorf("replaceLen = %d, want 0", n)
	}
	for _, want := range []string{"IFA_", "RTM_", "NLM_", "decode", "ifaddrmsg"} {
		if !contains(got, want) {
			t.Errorf("Complete(\"rtnl.\") lacks %q: %q", want, got)
		}
	}
	if len(got) > maxCandidates || contains(got, "IFA_F_PERMANENT") {
		t.Errorf("Complete(\"rtnl.\") did not collapse: %d candidates", len(got))
	}
	got, _ = e.Complete("{'", 2)
	if !contains(got, "IFA_") || !contains(got, "RTA_") || len(got) > maxCandidates {
		t.Errorf("Complete(\"{'\") = %q, want the attribute families", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestCompleteInterfaceNames reads interface names from the kernel in the
// Env's namespace.
func TestCompleteInterfaceNames(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "vx1", "type", "veth", "peer", "name", "vy1")
	e, _ := newEnv(t, ns)
	// The kernel frees the namespaces earlier tests deleted later, under
	// the rtnl lock, which can hold up a dump past completion's 2-second
	// limit: wait until the namespace answers before judging completion.
	for deadline := time.Now().Add(20 * time.Second); len((&completer{e: e}).linkNames()) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the namespace's links could not be dumped for 20 s")
		}
	}
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"ip.link('set', {ifname='v", []string{"vx1'", "vy1'"}},
		{"spec = {ifname = 'vx", []string{"vx1'"}},
		{"x = {dev='l", []string{"lo'"}},
		{"ip.link_lookup('vy", []string{"vy1'"}},
		{"m.attrs = {{'IFLA_IFNAME', 'v", []string{"vx1'", "vy1'"}},
		{"ifname = 'nope", nil},
	} {
		got, _ := e.Complete(tc.line, len(tc.line))
		// A dump held up past the limit by the same lock offers nothing:
		// that case is asked again, twice at most.
		for try := 0; got == nil && tc.want != nil && try < 2; try++ {
			got, _ = e.Complete(tc.line, len(tc.line))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Complete(%q) (-want +got):\n%s", tc.line, diff)
		}
	}
}

// FuzzComplete checks that no text makes completion panic, and that every
// candidate extends the text it replaces.
func FuzzComplete(f *testing.F) {
	for _, s := range []string{
		"", "{{{{", "}}}", "'\\", "m..", "::", "a.b.c.d.e", "rtnl.ifaddrmsg.x.y", "é.", "\"", "--[[", "[=[",
		"m.attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_DATA', {{'", "x = {[", "f(')", "{'a', 'b'}, {'", "ip.",
		"help('", "=rtnl.", "m:get('IFLA_LINKINFO', 'IFLA_INFO_DATA', '", "\n\n'", "a = b = {",
	} {
		f.Add(s, len(s))
	}
	e := New(Options{})
	defer e.Close()
	f.Fuzz(func(t *testing.T, line string, pos int) {
		if pos < 0 || pos > len(line) {
			pos = len(line)
		}
		if strings.Contains(line[:pos], "ifname") || strings.Contains(line[:pos], "dev") {
			return // would ask the kernel
		}
		got, n := e.Complete(line, pos)
		if n < 0 || n > pos {
			t.Fatalf("Complete(%q, %d) replaces %d bytes", line, pos, n)
		}
		for _, c := range got {
			if !strings.HasPrefix(c, line[pos-n:pos]) {
				t.Fatalf("Complete(%q, %d): %q does not start with %q", line, pos, c, line[pos-n:pos])
			}
		}
	})
}
