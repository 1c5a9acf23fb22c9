package luabind

import (
	"bytes"
	"fmt"
	"io"
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
	run(t, e, traceDumpScript)
	trace := tr.String()
	marked := datagramMarks(t, trace, "< RTM_NEWLINK ")
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
