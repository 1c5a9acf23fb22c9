package ynl

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type opIDs struct {
	Request, Reply int
	CName, Reply_  string
	Set, Fixed     string
}

func opSummary(s *Spec) map[string]opIDs {
	out := map[string]opIDs{}
	for _, op := range s.Ops {
		x := opIDs{Request: op.Request, Reply: op.Reply, CName: op.CName, Reply_: op.ReplyCName}
		if op.Set != nil {
			x.Set = op.Set.Name
		}
		if op.Fixed != nil {
			x.Fixed = op.Fixed.Name
		}
		out[op.Name] = x
	}
	return out
}

// TestDirectionalIDs checks directional numbering on the project's own
// spec: explicit values, counting on per direction, a call without a
// reply taking no reply id, notifications taking only a reply id, and
// the fixed headers (the family's, or the operation's own).
func TestDirectionalIDs(t *testing.T) {
	s := testSpec(t, "kinds")
	want := map[string]opIDs{
		"get":     {4, 2, "KINDS_CMD_GET", "KINDS_CMD_GET_REPLY", "main", "hdr"},
		"set":     {5, -1, "KINDS_CMD_SET", "", "main", "hdr"},
		"changed": {-1, 3, "KINDS_CMD_CHANGED", "KINDS_CMD_CHANGED", "main", "hdr"},
		"reset":   {6, 4, "KINDS_CMD_RESET", "KINDS_CMD_RESET_REPLY", "item", "pair"},
		"alarm":   {-1, 9, "KINDS_CMD_ALARM", "KINDS_CMD_ALARM", "item", "hdr"},
	}
	if diff := cmp.Diff(want, opSummary(s)); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
	get := s.Op("get")
	if diff := cmp.Diff(&Mode{Request: []string{"u32"}, Reply: []string{"u32", "string"}, HasRequest: true, HasReply: true}, get.Do); diff != "" {
		t.Errorf("get's do (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&Mode{Reply: []string{"u32", "string"}, HasReply: true}, get.Dump); diff != "" {
		t.Errorf("get's dump (-want +got):\n%s", diff)
	}
	if ch := s.Op("changed"); ch.Notify != "get" || ch.Do != nil || ch.Event != nil {
		t.Errorf("changed: %+v", ch)
	}
	if al := s.Op("alarm"); al.Event == nil || !cmp.Equal(al.Event.Reply, []string{"name"}) {
		t.Errorf("alarm's event: %+v", al.Event)
	}
}

// TestUnifiedIDs checks unified numbering: one id both ways, counting
// from 1 or from a value, notifications sharing the count.
func TestUnifiedIDs(t *testing.T) {
	s := testSpec(t, "gadget")
	want := map[string]opIDs{
		"get":     {1, 1, "GADGET_DO_GET", "GADGET_DO_GET", "gadget", ""},
		"set":     {2, 2, "GADGET_DO_SET", "GADGET_DO_SET", "gadget", ""},
		"changed": {-1, 10, "GADGET_EVENT_CHANGED", "GADGET_EVENT_CHANGED", "gadget", ""},
		"stats":   {-1, 11, "GADGET_EVENT_STATS", "GADGET_EVENT_STATS", "stats", ""},
	}
	if diff := cmp.Diff(want, opSummary(s)); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
	if g := s.Op("get"); !cmp.Equal(g.Flags, []string{"admin-perm"}) || s.Op("changed").MCGroup != "watch" {
		t.Errorf("flags %v, group %q", g.Flags, s.Op("changed").MCGroup)
	}
}

// TestInstalledIDs pins ids of installed specs whose numbering has a
// twist, beside what TestUAPIIDs checks against headers.
func TestInstalledIDs(t *testing.T) {
	specs := installedSpecs(t)
	for _, tc := range []struct {
		spec, op       string
		request, reply int
	}{
		{"nlctrl", "getfamily", 3, 1},   // CTRL_CMD_GETFAMILY, answered by CTRL_CMD_NEWFAMILY
		{"nlctrl", "getpolicy", 10, 10}, // a dump alone numbers the operation
		{"ethtool", "linkinfo-ntf", -1, 3},
		{"ethtool", "cable-test-ntf", -1, 27}, // an event: a reply id only
		{"ethtool", "tsinfo-get", 25, 26},     // the kernel side counts the notifications too
		// The spec gives port-get's dump reply as 3 (DEVLINK_CMD_NEW), a
		// spec bug: the kernel dumps ports as DEVLINK_CMD_PORT_NEW, the
		// do's reply id, which is the one that counts.
		{"devlink", "port-get", 5, 7},
		{"devlink", "port-set", 6, -1},
		{"mptcp_pm", "unspec", -1, -1}, // a reserved id: no messages
		{"mptcp_pm", "add-addr", 1, 1},
		{"rt_link", "getlink", 18, 16},
		{"rt_link", "newlink", 16, -1},
		{"rt_addr", "getaddr", 22, 20},
		{"nftables", "batch-begin", 16, 16},
		{"nftables", "getgen", 2576, 2575},
	} {
		if specs[tc.spec] == "" {
			continue
		}
		op := installed(t, tc.spec).Op(tc.op)
		if op == nil {
			t.Errorf("%s: no operation %s", tc.spec, tc.op)
			continue
		}
		if op.Request != tc.request || op.Reply != tc.reply {
			t.Errorf("%s %s: request %d reply %d, want %d %d", tc.spec, tc.op, op.Request, op.Reply, tc.request, tc.reply)
		}
	}
}
