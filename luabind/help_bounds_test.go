package luabind

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// TestHelpHugeTopic: help of a pasted megabyte answers at once, in a line
// or two that does not repeat the megabyte; before the edit distance was
// bounded it took most of a minute and could not be interrupted.
func TestHelpHugeTopic(t *testing.T) {
	e, out := newEnv(t, nstest.New(t))
	huge := strings.Repeat("x", 1<<20)
	for _, tc := range []struct {
		name, src, want string
	}{
		{"string", `help(string.rep('x', 2^20))`,
			"no help for '" + huge[:60] + "…' (1048576 bytes)\nhelp() lists what there is.\n"},
		{"near a name", `help('IFA_LOCAL' .. string.rep('x', 2^20))`,
			"no help for 'IFA_LOCAL" + huge[:51] + "…' (1048585 bytes)\nhelp() lists what there is.\n"},
		{"generic operation", `help('nlctrl ' .. string.rep('x', 2^20))`,
			"nlctrl has no operation '" + huge[:60] + "…' (1048576 bytes); operations: "},
		{"multibyte cut", `help(string.rep('é', 2^19))`,
			"no help for '" + strings.Repeat("é", 30) + "…' (1048576 bytes)\nhelp() lists what there is.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The fastest of three runs, so a busy machine does not fail it.
			best := time.Hour
			for range 3 {
				out.Reset()
				start := time.Now()
				run(t, e, tc.src)
				best = min(best, time.Since(start))
			}
			t.Logf("%v", best)
			if best > 100*time.Millisecond {
				t.Errorf("%s took %v, want under 100ms", tc.src, best)
			}
			got := out.String()
			if strings.HasSuffix(tc.want, "\n") {
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", tc.name, diff)
				}
			} else if !strings.HasPrefix(got, tc.want) || len(got) > 1000 {
				t.Errorf("help printed %d bytes, want a short text starting %q:\n%.300s", len(got), tc.want, got)
			}
		})
	}
}

// TestHelpSuggestions: "did you mean" for everyday typos says what it said
// before the edit distance was bounded (these texts were recorded then; the
// golden files in testdata/help hold more).
func TestHelpSuggestions(t *testing.T) {
	e, _ := newEnv(t, nstest.New(t))
	for _, tc := range []struct{ topic, want string }{
		{"IFA_LOCL", "no help for 'IFA_LOCL'; did you mean IFA_LOCAL, IFA_LABEL, IFA_FLAGS, IFA_PROTO, IFLA_COST?\nhelp() lists what there is.\n"},
		{"ifadrmsg", "no help for 'ifadrmsg'; did you mean ifaddrmsg, fibmsg, ifinfomsg, ifstatsmsg, ndmsg?\nhelp() lists what there is.\n"},
		{"RTM_NEWADR", "no help for 'RTM_NEWADR'; did you mean RTM_NEWADDR, RTM_NEWMDB, RTM_DELADDR, RTM_GETADDR, RTA_NEWDST?\nhelp() lists what there is.\n"},
		{"rtnl.ifaddrmsgs", "no help for 'ifaddrmsgs'; did you mean ifaddrmsg, IFA_ADDRESS, IFA_FLAGS, IFLA_ADDRESS, ifa_flags?\nhelp() lists what there is.\n"},
		{"ip.rout", "no help for 'ip.rout'; did you mean ip.route, ip.routes, ip.route_dumps, ip.route_loads, ip.brport?\nhelp() lists what there is.\n"},
		{"nl.sockt", "no help for 'sockt'; did you mean sock, port?\nhelp() lists what there is.\n"},
		{"zzzzzzzzzzzzzzzzzzzzzz", "no help for 'zzzzzzzzzzzzzzzzzzzzzz'\nhelp() lists what there is.\n"},
	} {
		if diff := cmp.Diff(tc.want, e.Help(tc.topic)); diff != "" {
			t.Errorf("help(%q) (-want +got):\n%s", tc.topic, diff)
		}
	}
}
