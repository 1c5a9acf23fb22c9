package luabind

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
	"nlsh/luabind/luaarg"
)

// TestNetnsBadValues gives every function that takes a namespace values that
// name none: each must raise an error naming the option and what it takes,
// never fall back to the process's own namespace. The Env's namespace is a
// path that does not exist, so a call that reached the kernel without
// raising would fail differently; the tun/tap name is too long for the
// kernel, so nothing could be created anywhere.
func TestNetnsBadValues(t *testing.T) {
	e, _ := newEnv(t, noKernel)
	calls := []struct{ what, src string }{
		{"nl.socket: option netns", `nl.socket('route', {netns = V})`},
		{"nl.socket: option netns", `nl.socket('generic', {strict = true, netns = V})`},
		{"nl.events: option netns", `nl.events({'link'}, {netns = V})`},
		{"nl.tuntap: option netns", `nl.tuntap('nlsht-far-too-long-a-name', {mode = 'tap', netns = V})`},
		{"nl.netns.fd", `nl.netns.fd(V)`},
		{"ip.netns", `ip.netns(V)`},
		{"ip.link: netns", `ip.link('set', {index = 1, netns = V, dry = true})`},
		{"ip.link: peer netns", `ip.link('add', {ifname = 'x0', kind = 'veth', peer = {ifname = 'x1', netns = V}, dry = true})`},
	}
	values := []struct{ lua, got string }{
		{"false", "got false"},
		{"true", "got true"},
		{"{}", "got a table"},
		{"{'blue'}", "got a table"},
		{"''", "got an empty string"},
		{"0", "got 0, which is not a process id"},
		{"-1", "got -1, which is not a process id"},
		{"2.5", "got 2.5, which is not a process id"},
		{"function() end", "got a function"},
	}
	for _, c := range calls {
		for _, v := range values {
			src := strings.ReplaceAll(c.src, "V", v.lua)
			want := "test:1: " + c.what + " " + luaarg.NetnsTakes + ", " + v.got
			if diff := cmp.Diff(want, runErr(t, e, src)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", src, diff)
			}
		}
	}
	// Where a namespace is required, nil is no namespace either.
	for _, src := range []string{`nl.netns.fd()`, `ip.netns()`, `ip.netns(nil)`} {
		if got := runErr(t, e, src); !strings.Contains(got, luaarg.NetnsTakes+", got nil") {
			t.Errorf("%s: error %q does not say nil names no namespace", src, got)
		}
	}
}

// TestNetnsDefault checks that an absent or nil netns option means the Env's
// namespace: with one that does not exist every call fails naming it, so
// none fell back to the process's own.
func TestNetnsDefault(t *testing.T) {
	e, _ := newEnv(t, noKernel)
	for _, src := range []string{
		`nl.socket()`,
		`nl.socket('route', {})`,
		`nl.socket('route', {netns = nil})`,
		`nl.socket('generic', {strict = false})`,
		`nl.events({'link'})`,
		`nl.events({'link'}, {netns = nil, timeout = 1})`,
		`nl.tuntap('nlsht-far-too-long-a-name')`,
		`nl.tuntap('nlsht-far-too-long-a-name', {netns = nil})`,
		`ip.links()`,
		`ip.link('set', {ifname = 'x0', state = 'up'})`,
		`ip.batch(function() end)`,
		`ip.monitor('link', function() end, {timeout = 1})`,
	} {
		got := runErr(t, e, src)
		if !strings.Contains(got, "netns "+noKernel+": open "+noKernel+": no such file or directory") {
			t.Errorf("%s: error %q does not name the Env's namespace", src, got)
		}
	}
}

// TestNetnsErrorsNamePath checks that a namespace that cannot be entered is
// named, with the path tried, whichever function was given it.
func TestNetnsErrorsNamePath(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	e, _ := newEnv(t, noKernel)
	for _, tc := range []struct{ ns, want string }{
		{"nlsht-does-not-exist", "netns nlsht-does-not-exist: open /run/netns/nlsht-does-not-exist: no such file or directory (ENOENT, errno 2)"},
		{file, "netns " + file + ": " + file + " is not a network namespace"},
	} {
		for _, src := range []string{
			`nl.socket('route', {netns = NS})`,
			`nl.events({'link'}, {netns = NS})`,
			`nl.tuntap('nlsht-far-too-long-a-name', {netns = NS})`,
			`nl.netns.fd(NS)`,
			`ip.netns(NS).links()`,
			`ip.link('set', {index = 1, netns = NS, dry = true})`,
		} {
			src = strings.ReplaceAll(src, "NS", "'"+tc.ns+"'")
			if got := runErr(t, e, src); !strings.Contains(got, tc.want) {
				t.Errorf("%s\n got: %s\nwant: %s", src, got, tc.want)
			}
		}
	}
}

// churn sets a link down and up in each namespace over and over until stop
// closes, so a listener subscribed anywhere hears something. (An alias
// change on a link that is down notifies no one.)
func churn(stop chan struct{}, nsDev ...[2]string) chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for up := true; ; up = !up {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			state := map[bool]string{true: "up", false: "down"}[up]
			for _, nd := range nsDev {
				// A failure shows as no notification, which the test reports.
				exec.Command("ip", "-n", nd[0], "link", "set", nd[1], state).Run()
			}
		}
	}()
	return done
}

// TestNetNSConfined runs every path that opens a netlink socket or enters a
// namespace in an Env bound to namespace A, with a second namespace B
// beside it: each must act in A unless the script names B. Links named
// only in A (ca*) and only in B (cb*) show where each went; neither
// namespace holds anything of the host's, so the test does not depend on it.
func TestNetNSConfined(t *testing.T) {
	a, b := nstest.New(t), nstest.New(t)
	nstest.IP(t, a, "link", "add", "ca0", "type", "veth", "peer", "name", "ca1")
	nstest.IP(t, b, "link", "add", "cb0", "type", "veth", "peer", "name", "cb1")
	e, out := newEnv(t, a)

	// Completion's interface names (the kernel may be slow to answer just
	// after other tests deleted namespaces; see TestCompleteInterfaceNames).
	for deadline := time.Now().Add(20 * time.Second); len((&completer{e: e}).linkNames()) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the namespace's links could not be dumped for 20 s")
		}
	}
	if got, _ := e.Complete("ip.link('set', {ifname='c", len("ip.link('set', {ifname='c")); !cmp.Equal([]string{"ca0'", "ca1'"}, got) {
		t.Errorf("completion offers %q, want A's links", got)
	}

	vals := run(t, e, fmt.Sprintf("local A, B = %q, %q\n", a, b)+`
local function names(list)
  local t = {}
  for _, l in ipairs(list) do t[#t + 1] = l:get('IFLA_IFNAME') end
  table.sort(t)
  return table.concat(t, ' ')
end
local function dump()
  local m = rtnl.ifinfomsg()
  m.header.type = RTM_GETLINK
  m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
  return m
end
local r = {}
r['nl.socket'] = names(nl.socket('route'):request(dump()))
r['nl.socket netns=B'] = names(nl.socket('route', {netns = B}):request(dump()))
r['ip.links'] = names(ip.links())
r['ip.netns(B).links'] = names(ip.netns(B).links())
r['ip.link_lookup'] = tostring(ip.link_lookup('ca0') ~= nil and ip.link_lookup('cb0') == nil)
-- ip.batch's own socket, probed with a read-only request for a link only
-- A has. (Changes go only through sockets shown above to be where they
-- should; cmd/nlsh's TestNetNSConfined makes changes by every path, in a
-- process whose own namespace is a throwaway one.)
local get = rtnl.ifinfomsg()
get.header.type = RTM_GETLINK
get.header.flags = NLM_F_REQUEST + NLM_F_ACK
get.attrs = {{'IFLA_IFNAME', 'ca0'}}
r['ip.batch'] = tostring(pcall(ip.batch, function(add) add(get) end))
-- Events: subscribed without naming a namespace, B changes first, then A;
-- the first notification heard says where the socket is.
local events, close = nl.events({'link'}, {timeout = 5})
ip.netns(B).link('set', {ifname = 'cb0', state = 'up'})
ip.link('set', {ifname = 'ca1', state = 'up'})
for ev in events do r['nl.events'] = ev:get('IFLA_IFNAME'); break end
close()
return r
`)
	got := map[string]string{}
	vals[0].(*lua.LTable).ForEach(func(k, v lua.LValue) { got[k.String()] = v.String() })
	want := map[string]string{
		"nl.socket":         "ca0 ca1 lo",
		"nl.socket netns=B": "cb0 cb1 lo",
		"ip.links":          "ca0 ca1 lo",
		"ip.netns(B).links": "cb0 cb1 lo",
		"ip.link_lookup":    "true",
		"ip.batch":          "true",
		"nl.events":         "ca1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("what each path saw (-want +got):\n%s", diff)
	}
	// Again with descriptor 0 free, as after a script's io.stdin:close():
	// a namespace file opened as fd 0 was taken by mdlayher/netlink for
	// "no namespace", so sockets were dialled in the process's own.
	var fd0 []lua.LValue
	var completed []string
	nstest.WithFD0Closed(t, func() {
		fd0 = run(t, e, fmt.Sprintf("local A, B = %q, %q\n", a, b)+`
local function names(s)
  local m = rtnl.ifinfomsg()
  m.header.type = RTM_GETLINK
  m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
  local t = {}
  for _, l in ipairs(s:request(m)) do t[#t + 1] = l:get('IFLA_IFNAME') end
  table.sort(t)
  s:close()
  return table.concat(t, ' ')
end
local get = rtnl.ifinfomsg()
get.header.type = RTM_GETLINK
get.header.flags = NLM_F_REQUEST + NLM_F_ACK
get.attrs = {{'IFLA_IFNAME', 'ca0'}}
local batched = pcall(ip.batch, function(add) add(get) end)
return names(nl.socket('route')), names(nl.socket('route', {netns = B})), tostring(batched)`)
		completed, _ = e.Complete("ip.link('set', {ifname='c", len("ip.link('set', {ifname='c"))
	})
	var gotFD0 []string
	for _, v := range fd0 {
		gotFD0 = append(gotFD0, v.String())
	}
	if diff := cmp.Diff([]string{"ca0 ca1 lo", "cb0 cb1 lo", "true"}, gotFD0); diff != "" {
		t.Errorf("with fd 0 free: nl.socket, nl.socket netns=B, ip.batch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ca0'", "ca1'"}, completed); diff != "" {
		t.Errorf("with fd 0 free: completion (-want +got):\n%s", diff)
	}

	// ip.monitor and --monitor (Env.Monitor), while both namespaces change.
	stop := make(chan struct{})
	done := churn(stop, [2]string{a, "ca0"}, [2]string{b, "cb0"})
	defer func() { close(stop); <-done }()
	// A link going up or down also changes its peer's carrier, so either
	// of A's veth pair may speak first; B's never may.
	inA := regexp.MustCompile(`^ca[01]$`)
	vals = run(t, e, `
local heard = {}
ip.monitor('link', function(ev)
  heard[#heard + 1] = ev:get('IFLA_IFNAME')
  return #heard < 3
end, {timeout = 5})
return table.concat(heard, ' ')`)
	heard := strings.Fields(vals[0].String())
	if len(heard) == 0 {
		t.Error("ip.monitor heard nothing")
	}
	for _, n := range heard {
		if !inA.MatchString(n) {
			t.Errorf("ip.monitor heard %q, want only A's links", heard)
			break
		}
	}
	out.Reset()
	// Cancelled as Ctrl-C would (a deadline could end the read before
	// ctx.Err says so).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(500*time.Millisecond, cancel)
	if err := e.Monitor(ctx, []string{"link"}, 0); err != nil && ctx.Err() == nil {
		t.Fatalf("Monitor: %v", e.FormatError(err))
	}
	printed := regexp.MustCompile(`IFLA_IFNAME="([^"]*)"`).FindAllStringSubmatch(out.String(), -1)
	if len(printed) == 0 {
		t.Errorf("Monitor printed no link:\n%s", out)
	}
	for _, m := range printed {
		if !inA.MatchString(m[1]) {
			t.Errorf("Monitor printed link %q, want only A's", m[1])
		}
	}
}
