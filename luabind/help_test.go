package luabind

import (
	"nlsh/luabind/helptext"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// helpCases are help calls whose output is kept in testdata/help.
var helpCases = []struct{ name, src string }{
	{"overview", `help()`},
	{"class_ifaddrmsg", `help(rtnl.ifaddrmsg)`},
	{"class_by_name", `help('rtmsg')`},
	{"attr_IFA_LOCAL", `help('IFA_LOCAL')`},
	{"attr_nested", `help('IFLA_LINKINFO')`},
	{"attr_submessage", `help('IFLA_INFO_DATA')`},
	{"attr_records", `help('RTA_MULTIPATH')`},
	{"const_RTM_NEWADDR", `help('RTM_NEWADDR')`},
	{"const_NLM_F_ACK", `help('NLM_F_ACK')`},
	{"const_group", `help('RTNLGRP_LINK')`},
	{"function_nl_socket", `help(nl.socket)`},
	{"function_by_name", `help('sock:request')`},
	{"method_value", `help(rtnl.ifaddrmsg().get)`},
	{"module_nl", `help(nl)`},
	{"module_sock", `help('socket')`},
	{"module_bit", `help(bit)`},
	{"message_value", `help(rtnl.decode(rtnl.rtmsg{header = {type = RTM_NEWROUTE}}:encode())[1])`},
	{"enum", `help('rt_scope_t')`},
	{"set", `help('rta_metrics')`},
	{"number", `help(RTM_NEWADDR)`},
	{"unknown", `help('IFA_LOCL')`},
	{"nil", `help(nil)`},
	{"lua_function", `help(function() end)`},
	{"ip_route", `help(ip.route)`},
	{"ip_links", `help('ip.links')`},
	{"ip_link_kind", `help('ip.link vxlan')`},
	{"ip_tc_kind", `help('ip.tc htb')`},
}

func TestHelpGolden(t *testing.T) {
	for _, tc := range helpCases {
		t.Run(tc.name, func(t *testing.T) {
			e, out := newEnv(t, "")
			run(t, e, tc.src)
			golden(t, filepath.Join("..", "testdata", "help", tc.name+".txt"), out.String())
		})
	}
}

// TestHelpContents checks what the acceptance criteria name, independently
// of the golden files.
func TestHelpContents(t *testing.T) {
	e, out := newEnv(t, "")
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{`help()`, []string{"nl ", "rtnl ", "bit ", "rtnl.ifaddrmsg", "help(rtnl.ifaddrmsg)", "Tab completes"}},
		{`help(rtnl.ifaddrmsg)`, []string{
			"RTM_NEWADDR (20)", "struct ifaddrmsg, 8 bytes",
			"4       4     index (ifa_index)          u32", "enum address_family", "AF_INET=2",
			"2     IFA_LOCAL           ip", "IFA_CACHEINFO       struct ifa_cacheinfo",
		}},
		{`help('IFA_LOCAL')`, []string{"attribute 2 of ifaddrmsg_attrs (IFA_*)", "rtnl.ifaddrmsg", "kind:  ip", "local address"}},
		{`help('IFLA_LINKINFO')`, []string{"nested linkinfo (IFLA_INFO_*)", "IFLA_INFO_KIND"}},
		{`help('RTM_NEWADDR')`, []string{"RTM_NEWADDR = 20", "rtnl.ifaddrmsg", "NLM_F_CREATE"}},
		{`help('NLM_F_ACK')`, []string{"NLM_F_ACK = 4", "header.flags"}},
		{`help(nl.socket)`, []string{"nl.socket([proto [, options]])", "ext_ack"}},
		{`help('IFA_LOCL')`, []string{"no help for 'IFA_LOCL'", "did you mean IFA_LOCAL"}},
		{`help('nl.RTM_NEWADDR')`, []string{"RTM_NEWADDR = 20"}},
		{`help('request')`, []string{"sock:request(msg [, opts])"}},
	} {
		out.Reset()
		run(t, e, tc.src)
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s lacks %q:\n%s", tc.src, w, out)
			}
		}
	}
}

// TestHelpEveryName asks help about every name it offers (every class,
// constant, attribute, set, enum and function): each has a text.
func TestHelpEveryName(t *testing.T) {
	e, _ := newEnv(t, "")
	names := e.topicNames(e.catalog())
	if len(names) < 1000 {
		t.Fatalf("only %d help topics", len(names))
	}
	for _, n := range names {
		text := e.Help(n)
		if text == "" || strings.HasPrefix(text, "no help for") || !strings.HasSuffix(text, "\n") {
			t.Errorf("help('%s') = %q", n, text)
		}
	}
}

// TestUsageCoversEveryFunction keeps the usage table and the modules in
// step: every function of nl, rtnl, bit and ip and every message and socket
// method has a usage text, and every usage text names a real function
// (helptext's TestUsageModules checks the modules they name).
func TestUsageCoversEveryFunction(t *testing.T) {
	e, _ := newEnv(t, "")
	run(t, e, `local _, _ = ip, rtnl`) // load the lazily loaded modules
	have := map[string]bool{}
	for _, name := range e.functionNames() {
		have[name] = true
	}
	var missing []string
	for name := range have {
		if c := classFromPath(e, name); c != nil {
			continue // constructors: help(rtnl.CLASS) shows the class
		}
		if strings.Contains(name, "._") || strings.Contains(name, ":_") {
			continue // private helpers
		}
		if !hasUsage(name) {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("functions without a usage text in helptext/usage.go: %s", strings.Join(missing, ", "))
	}
	for _, u := range helptext.Usages {
		if !have[u.Name] {
			t.Errorf("usage text for %s, which does not exist", u.Name)
		}
	}
}

func hasUsage(name string) bool {
	for _, u := range helptext.Usages {
		if u.Name == name {
			return true
		}
	}
	return false
}

// TestReferenceIsCurrent fails when docs/reference.md is not what the
// descriptions and usage texts generate; -update rewrites it.
func TestReferenceIsCurrent(t *testing.T) {
	e, _ := newEnv(t, "")
	got := e.Reference()
	path := filepath.Join("..", "docs", "reference.md")
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./luabind -run TestReferenceIsCurrent -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/reference.md is stale; go test ./luabind -run TestReferenceIsCurrent -update regenerates it (-want +got):\n%s", diff)
	}
	for _, c := range e.route.Classes {
		if !strings.Contains(got, "### rtnl."+c.Name+"\n") {
			t.Errorf("reference lacks class %s", c.Name)
		}
	}
}
