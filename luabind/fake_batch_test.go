package luabind

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nltest"
	"nlsh/rtnl"
)

// Batches on the fake kernel: what nlsh sends, and how it reports the
// answers, whatever the kernel makes of the requests.

// fakeRoutes answers each RTM_NEWROUTE of a datagram with an ACK in a
// datagram of its own, or EEXIST (no extended ACK, as fib_table_insert
// refuses) for a destination added before; other requests as
// fakeLinks(links) does. It counts the routes asked for.
type fakeRoutes struct {
	links nltest.Handler
	mu    sync.Mutex
	dsts  map[string]bool
	asked int
}

func newFakeRoutes(t *testing.T, links ...string) *fakeRoutes {
	return &fakeRoutes{links: fakeLinks(t, [][]string{links}, 0), dsts: map[string]bool{}}
}

func (f *fakeRoutes) handle(r nltest.Request) [][]byte {
	var out [][]byte
	for _, m := range r.Messages {
		if m.Header.Type != unix.RTM_NEWROUTE {
			out = append(out, f.links(nltest.Request{Family: r.Family, Port: r.Port, Messages: []engine.Message{m}})...)
			continue
		}
		dst, _ := m.Decode(rtnl.Route).Get("RTA_DST")
		key := fmt.Sprint(dst)
		f.mu.Lock()
		f.asked++
		exists := f.dsts[key]
		f.dsts[key] = true
		f.mu.Unlock()
		switch {
		case exists:
			out = append(out, nltest.Error(m, unix.EEXIST, nltest.ExtAck{}))
		case m.Header.Flags&engine.NLM_F_ACK != 0:
			out = append(out, nltest.Ack(m))
		}
	}
	return out
}

func (f *fakeRoutes) counts() (asked, distinct int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked, len(f.dsts)
}

// TestFakeSockBatch drives s:batch from Lua: requests queued by add
// (tables and bytes) are sent, failures come back per request, the socket
// refuses other use meanwhile, and add is dead once the batch is over.
// The namespace version, TestSockBatch, checks the kernel applied them.
func TestFakeSockBatch(t *testing.T) {
	f := newFakeRoutes(t, "lo")
	e, _, _ := newFakeEnv(t, f.handle)
	checkSockBatch(t, run(t, e, sockBatchScript))
	if asked, distinct := f.counts(); asked != 501 || distinct != 500 {
		t.Errorf("the kernel was asked for %d routes, %d distinct; want 501 and 500", asked, distinct)
	}
}

// TestFakeIPBatchRaises checks that when the function given to ip.batch
// raises, the requests it queued before are still sent and its error comes
// out unchanged, though some of them failed; and that lookups by name work
// inside a batch. The namespace version, TestIPBatchRaises, checks the
// kernel applied them.
func TestFakeIPBatchRaises(t *testing.T) {
	f := newFakeRoutes(t, "lo", "v0")
	e, _, _ := newFakeEnv(t, f.handle)
	msg := runErr(t, e, ipBatchRaisesScript)
	if !strings.HasSuffix(msg, "stop here") {
		t.Errorf("error %q, want fn's own", msg)
	}
	// 300 requests for 255 prefixes: the 45 repeats fail with EEXIST.
	if asked, distinct := f.counts(); asked != 300 || distinct != 255 {
		t.Errorf("the kernel was asked for %d routes, %d distinct; want 300 and 255", asked, distinct)
	}
}

// TestFakeIPBatchRefusesEcho: a verb asked for echo inside ip.batch says
// it cannot (the answer would come after the batch), ip.route's Go path
// and ip.neigh's read-back alike; nothing is sent.
func TestFakeIPBatchRefusesEcho(t *testing.T) {
	e, _, k := newFakeEnv(t, fakeLinks(t, [][]string{{"lo", "v0"}}, 0))
	for _, verb := range []string{
		`ip.route('add', {dst='10.7.0.0/16', gateway='10.0.0.2', echo=true})`,
		`ip.neigh('add', {dst='10.0.0.9', lladdr='02:00:00:00:00:09', ifname='v0', echo=true})`,
	} {
		msg := runErr(t, e, `ip.batch(function() `+verb+` end)`)
		if !strings.Contains(msg, "echo is not available inside ip.batch") {
			t.Errorf("%s inside ip.batch: %q", verb, msg)
		}
	}
	for _, r := range k.Requests() {
		for _, m := range r.Messages {
			if m.Header.Type == unix.RTM_NEWROUTE || m.Header.Type == unix.RTM_NEWNEIGH {
				t.Errorf("a refused request was sent: %s", rtnl.Route.TypeByNumber(m.Header.Type).Name)
			}
		}
	}
}
