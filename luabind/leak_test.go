package luabind

import (
	"os"
	"runtime"
	"testing"
	"time"

	"nlsh/engine/nstest"
)

func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// TestNoSocketLeaks: monitors, event streams, bound namespaces and sockets a
// script drops do not keep their sockets open.
func TestNoSocketLeaks(t *testing.T) {
	ns := nstest.New(t)
	e, _ := newEnv(t, ns)
	run(t, e, `ip.links()`) // the module's own socket, opened once
	before := openFDs(t)
	run(t, e, `
for i = 1, 40 do ip.monitor({'link'}, function() return false end, {timeout = 0.001}) end
for i = 1, 40 do for ev in nl.events({'link'}, {timeout = 0.001}) do end end
for i = 1, 40 do local _, close = nl.events({'link'}); close() end
for i = 1, 40 do ip.netns('`+ns+`').links() end
for i = 1, 40 do local s = nl.socket('route') end
`)
	var after int
	for i := 0; i < 20; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		if after = openFDs(t); after <= before+2 {
			break
		}
	}
	// ip.netns(ns) keeps one socket for its object.
	if after > before+2 {
		t.Errorf("%d file descriptors open after the loops, %d before", after, before)
	}
}

// TestNetnsFDFollowsName: a namespace deleted and made again under the same
// name is the new one when a link is moved there by name.
func TestNetnsFDFollowsName(t *testing.T) {
	ns := nstest.New(t)
	other := nstest.New(t)
	e, _ := newEnv(t, ns)
	nstest.IP(t, ns, "link", "add", "x0", "type", "veth", "peer", "name", "x1")
	nstest.IP(t, ns, "link", "add", "y0", "type", "veth", "peer", "name", "y1")
	run(t, e, `
ip.link('set', {ifname = 'x0', netns = '`+other+`'})
nl.netns.del('`+other+`')
nl.netns.add('`+other+`')
ip.link('set', {ifname = 'y0', netns = '`+other+`'})
`)
	if find(ipJSON(t, other, "link", "show"), "ifname", "y0") == nil {
		t.Errorf("y0 did not arrive in the re-created namespace")
	}
}
