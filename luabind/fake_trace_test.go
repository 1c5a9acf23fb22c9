package luabind

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"nlsh/engine/nltest"
)

// TestFakeTraceDatagrams: a dump's datagrams each hold several messages;
// the trace marks where each begins and how many messages it holds, and
// shows NLMSG_DONE's error 0. The namespace version, TestTraceDatagrams,
// also traces the kernel refusing a dump in its NLMSG_DONE.
func TestFakeTraceDatagrams(t *testing.T) {
	names := [][]string{{"lo", "a0", "b0", "a1"}, {"b1", "a2", "b2"}, {"a3", "b3", "a4", "b4", "a5"}, {"b5"}}
	k := nltest.Start(t, fakeLinks(t, names, 0))
	var tr bytes.Buffer
	e := New(Options{Stdout: io.Discard, TraceOut: &tr, Dial: k.Dial})
	defer e.Close()
	run(t, e, `
nl.trace(true)
local s = nl.socket('route')
local m = rtnl.ifinfomsg()
m.header.type, m.header.flags = RTM_GETLINK, NLM_F_REQUEST + NLM_F_DUMP
s:request(m)
`)
	trace := tr.String()
	head := regexp.MustCompile(`^< \[datagram: (\d+) messages, \d+ bytes\]$`)
	lines := strings.Split(strings.TrimSpace(trace), "\n")
	var marked []int
	for i := 0; i < len(lines); i++ {
		m := head.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		var n int
		fmt.Sscan(m[1], &n)
		marked = append(marked, n)
		for j := 1; j <= n; j++ {
			if i+j >= len(lines) || !strings.HasPrefix(lines[i+j], "< RTM_NEWLINK ") {
				t.Fatalf("the datagram at line %d says %d messages; line %d is not one:\n%s", i+1, n, i+j+1, trace)
			}
		}
		i += n
	}
	// Each datagram of several messages is marked, the lone b5 and
	// NLMSG_DONE are not.
	if got := fmt.Sprint(marked); got != "[4 3 5]" {
		t.Errorf("datagrams marked with %s messages, want [4 3 5]:\n%s", got, trace)
	}
	for _, want := range []string{"< RTM_NEWLINK MULTI seq=1 pid=", `IFLA_IFNAME="b5"`, "< NLMSG_DONE MULTI seq=1 pid=", " error=0\n"} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
}
