package luabind

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// TestSetNetNSMovesEverything switches an Env's default namespace back and
// forth between two namespaces and asks, each time, every path that opens a
// socket which namespace it reached: each namespace has a link of its own
// (ina in A, inb in B), and each probe reports the names it sees or makes.
func TestSetNetNSMovesEverything(t *testing.T) {
	a, b := nstest.New(t), nstest.New(t)
	nstest.IP(t, a, "link", "add", "ina", "type", "veth", "peer", "name", "ina-peer")
	nstest.IP(t, b, "link", "add", "inb", "type", "veth", "peer", "name", "inb-peer")
	e, _ := newEnv(t, a)
	// Bound before any switch: these must follow it.
	run(t, e, `held_ip = ip; held_ip.link_lookup('lo')`)

	probes := []struct {
		name string
		src  string // returns a string naming what it saw
	}{
		{"nl.socket", `
			local s = nl.socket('route')
			local m = rtnl.ifinfomsg()
			m.header.type, m.header.flags = RTM_GETLINK, NLM_F_REQUEST + NLM_F_DUMP
			local names = {}
			for _, l in ipairs(s:request(m)) do
				local n = l:get('IFLA_IFNAME')
				if n:sub(1, 2) == 'in' and not n:find('peer') then names[#names + 1] = n end
			end
			s:close()
			return table.concat(names, ',')`},
		{"ip module", `return (ip.link_lookup('ina') and 'ina' or '') .. (ip.link_lookup('inb') and 'inb' or '')`},
		{"ip held before the switch", `return (held_ip.link_lookup('ina') and 'ina' or '') .. (held_ip.link_lookup('inb') and 'inb' or '')`},
		{"generic netlink", `
			local n = 0
			for _, d in ipairs(genl.family('netdev'):dumpit('dev-get')) do n = n + 1 end
			return tostring(n)`},
		{"nl.events", `
			local events, close = nl.events({'link'}, {timeout = 2})
			ip.link('add', {ifname = 'ev' .. probe_round, kind = 'bridge'})
			local ev = events()
			close()
			return ev and ev:get('IFLA_IFNAME') or 'none'`},
		{"ip.batch", `
			ip.batch(function() ip.link('add', {ifname = 'bt' .. probe_round, kind = 'bridge'}) end)
			return ip.link_lookup('bt' .. probe_round) and 'made' or 'missing'`},
		{"nl.tuntap", `nl.tuntap('tt' .. probe_round, {mode = 'tap'}); return 'tt' .. probe_round`},
	}
	// round checks every probe in namespace ns, whose own link is own and
	// which holds devs devices, and that what the probes made landed there.
	round := func(ns, own string, devs, n int) {
		t.Helper()
		e.L.SetGlobal("probe_round", lua.LNumber(n))
		want := map[string]string{
			"nl.socket": own, "ip module": own, "ip held before the switch": own,
			"generic netlink": itoa(devs),
			"nl.events":       "ev" + itoa(n), "ip.batch": "made", "nl.tuntap": "tt" + itoa(n),
		}
		got := map[string]string{}
		for _, p := range probes {
			got[p.name] = lua.LVAsString(run(t, e, p.src)[0])
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("round %d in %s (-want +got):\n%s", n, own, diff)
		}
		links := nstest.IP(t, ns, "-br", "link")
		for _, made := range []string{"ev", "bt", "tt"} {
			if !strings.Contains(links, made+itoa(n)) {
				t.Errorf("round %d: %s%d is not in %s's links:\n%s", n, made, n, own, links)
			}
		}
		names := (&completer{e: e}).linkNames()
		sort.Strings(names)
		if !contains(names, own) {
			t.Errorf("round %d: completion offers %v, not %s", n, names, own)
		}
	}

	// A: lo, ina, ina-peer; B: lo, inb, inb-peer. Each round makes three
	// devices where it runs, so a namespace visited twice has three more.
	round(a, "ina", 3, 1)
	if err := e.SetNetNS(b); err != nil {
		t.Fatal(err)
	}
	if got := e.NetNS(); got != b {
		t.Fatalf("NetNS() = %q after SetNetNS(%q)", got, b)
	}
	round(b, "inb", 3, 2)
	if err := e.SetNetNS("/nonexistent/netns"); err == nil {
		t.Fatal("SetNetNS of a namespace that does not exist succeeded")
	}
	if got := e.NetNS(); got != b {
		t.Fatalf("a failed SetNetNS moved the Env to %q", got)
	}
	if err := e.SetNetNS(a); err != nil {
		t.Fatal(err)
	}
	round(a, "ina", 6, 3)
}

func itoa(n int) string { return lua.LNumber(n).String() }
