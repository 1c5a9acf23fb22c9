package helptext

import (
	"strings"
	"testing"

	"nlsh/engine"
	"nlsh/rtnl"
)

// TestTypeFlagsText: a message type's help tells a request's flags from
// those the kernel's messages carry.
func TestTypeFlagsText(t *testing.T) {
	cat := NewCatalog(Source{Route: rtnl.Route})
	for _, tc := range []struct {
		name string
		want []string
		not  []string
	}{
		{"RTM_NEWADDR", []string{"as a request it takes:\n    NLM_F_REQUEST NLM_F_ACK NLM_F_ECHO", "NLM_F_CREATE",
			"it carries:\n    NLM_F_MULTI (in a dump) NLM_F_DUMP_INTR NLM_F_DUMP_FILTERED"}, nil},
		{"RTM_GETLINK", []string{"as a request it takes:", "NLM_F_DUMP", "answers with RTM_NEWLINK messages"}, []string{"NLM_F_MULTI"}},
		{"RTM_DELROUTE", []string{"as a request it takes:", "NLM_F_NONREC", "carries no flags"}, []string{"NLM_F_MULTI"}},
		{"NLMSG_ERROR", []string{"sent by the kernel only; the flags it carries:\n    NLM_F_CAPPED NLM_F_ACK_TLVS\n", "means:"}, []string{"as a request"}},
		{"NLMSG_DONE", []string{"carries:\n    NLM_F_MULTI NLM_F_DUMP_INTR NLM_F_ACK_TLVS\n", "an int error of its own"}, []string{"as a request"}},
	} {
		mt := rtnl.Route.TypeByName(tc.name)
		if mt == nil {
			t.Fatalf("no message type %s", tc.name)
		}
		text := cat.constText(engine.Const{Name: mt.Name, Value: int64(mt.Type)})
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("help('%s') lacks %q:\n%s", tc.name, w, text)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(text, w) {
				t.Errorf("help('%s') has %q:\n%s", tc.name, w, text)
			}
		}
	}
}
