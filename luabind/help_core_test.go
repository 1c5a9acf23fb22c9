package luabind

import (
	"strings"
	"testing"

	"nlsh/engine"
	"nlsh/engine/nstest"
	"nlsh/luabind/helptext"
)

// coreNames lists the netlink core's names: header flags, control types,
// attribute flags, protocols and socket options, extended-ACK attributes.
func coreNames(e *Env) []string {
	var names []string
	for _, c := range e.Consts() {
		for _, p := range []string{"NLM_F_", "NLMSG_", "NLA_F_", "NETLINK_"} {
			if strings.HasPrefix(c.Name, p) {
				names = append(names, c.Name)
			}
		}
	}
	for _, d := range engine.ErrAttrs.Attrs {
		names = append(names, d.Name)
	}
	return names
}

// TestCoreHelp: help of every core name says what it means, who sets it
// and shows its example; helptext's TestCoreSections checks the tutorial
// sections they name.
func TestCoreHelp(t *testing.T) {
	e, _ := newEnv(t, "")
	names := coreNames(e)
	if len(names) < 40 {
		t.Fatalf("only %d core names", len(names))
	}
	for _, n := range names {
		example, ok := helptext.CoreExample(n)
		if !ok {
			t.Errorf("%s has no entry in helptext's coreDocs", n)
			continue
		}
		text := e.Help(n)
		for _, w := range []string{"  means:    ", "  set by:   ", "  example:  " + example, "  tutorial: docs/tutorial.md §"} {
			if !strings.Contains(text, w) {
				t.Errorf("help('%s') lacks %q:\n%s", n, w, text)
			}
		}
	}
	for _, n := range helptext.CoreNames() {
		if !contains(names, n) {
			t.Errorf("helptext's coreDocs explains %s, which is no core name", n)
		}
	}
}

// TestCoreExamples runs every core name's example, each in a namespace of
// its own holding the veth pair v0/v1.
func TestCoreExamples(t *testing.T) {
	for _, name := range helptext.CoreNames() {
		example, _ := helptext.CoreExample(name)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ns := nstest.New(t)
			nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
			e, out := newEnv(t, ns)
			run(t, e, example)
			if out.Len() == 0 {
				t.Errorf("the example printed nothing")
			}
			t.Logf("%s", out)
		})
	}
}
