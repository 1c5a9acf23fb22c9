package luabind

import (
	"strconv"
	"testing"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nltest"
	"nlsh/rtnl"
)

// Streamed dumps (s:each, ip.each) on the fake kernel: an interrupted dump
// is handed out whole, then raised. The namespace versions
// (TestEachInterrupted, TestIPEachInterrupted) check that a change made
// while the dump is read makes the kernel flag it.

// fakeAddrBody is an RTM_NEWADDR body: an IPv4 /32 on link index.
func fakeAddrBody(t *testing.T, index int, addr string) []byte {
	t.Helper()
	b, err := engine.EncodeRecord(rtnl.AddrClass, engine.Table{Map: map[string]any{
		"family": int64(unix.AF_INET), "prefixlen": int64(32), "index": int64(index),
		"attrs": engine.Table{List: []any{
			engine.Table{List: []any{"IFA_ADDRESS", addr}},
			engine.Table{List: []any{"IFA_LOCAL", addr}},
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeInterruptedAddrs answers an RTM_GETADDR dump with n addresses on
// link 2, perDatagram to a datagram, the message at intrAt (counted from
// 1) flagged NLM_F_DUMP_INTR as the kernel flags the one it writes when it
// notices a change (and none after it: it notices once); then NLMSG_DONE.
// Other requests go to fakeLinks with lo, v0 and v1.
func fakeInterruptedAddrs(t *testing.T, n, perDatagram, intrAt int) nltest.Handler {
	links := fakeLinks(t, [][]string{{"lo", "v0", "v1"}}, 0)
	return func(r nltest.Request) [][]byte {
		m := r.Messages[0]
		if m.Header.Type != unix.RTM_GETADDR || m.Header.Flags&engine.NLM_F_DUMP != engine.NLM_F_DUMP {
			return links(r)
		}
		var out, msgs [][]byte
		for i := 1; i <= n; i++ {
			var flags uint16 = engine.NLM_F_MULTI
			if i == intrAt {
				flags |= engine.NLM_F_DUMP_INTR
			}
			addr := "10.1." + strconv.Itoa(i/200) + "." + strconv.Itoa(i%200+1)
			msgs = append(msgs, nltest.Reply(m, unix.RTM_NEWADDR, flags, fakeAddrBody(t, 2, addr)))
			if len(msgs) == perDatagram || i == n {
				out = append(out, nltest.Datagram(msgs...))
				msgs = nil
			}
		}
		return append(out, nltest.Done(m, 0))
	}
}

// TestFakeEachInterrupted: s:each of an interrupted dump cannot ask again
// for what it already handed out, so it hands out the rest and then
// raises code NLM_F_DUMP_INTR; a request on another socket meanwhile
// works.
func TestFakeEachInterrupted(t *testing.T) {
	const n = 500
	e, _, _ := newFakeEnv(t, fakeInterruptedAddrs(t, n, 30, 100))
	vals := run(t, e, eachInterruptedScript)
	if vals[0].String() != "false" || vals[1].String() != "NLM_F_DUMP_INTR" {
		t.Fatalf("s:each of an interrupted dump: ok=%s code=%s after %s messages", vals[0], vals[1], vals[2])
	}
	if got, _ := strconv.Atoi(vals[2].String()); got != n {
		t.Errorf("the stream handed out %d messages before raising, want them all (%d)", got, n)
	}
}

// TestFakeIPEachInterrupted: ip.each of an interrupted dump hands out
// every message first, then raises code NLM_F_DUMP_INTR.
func TestFakeIPEachInterrupted(t *testing.T) {
	const n = 8000
	e, _, _ := newFakeEnv(t, fakeInterruptedAddrs(t, n, 60, 4000))
	vals := run(t, e, ipEachInterruptedScript)
	if vals[0].String() != "false" || vals[1].String() != "NLM_F_DUMP_INTR" {
		t.Fatalf("ip.each.addrs of an interrupted dump: ok=%s code=%s after %s messages", vals[0], vals[1], vals[2])
	}
	if got, _ := strconv.Atoi(vals[2].String()); got != n {
		t.Errorf("the stream handed out %d messages before raising, want them all (%d)", got, n)
	}
}
