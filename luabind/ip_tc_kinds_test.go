package luabind

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestIPTCKinds adds every qdisc kind this kernel has that TestIPTCQdiscs
// leaves out, by name with its options, and reads each back with
// `tc -j qdisc show`; a kind ip.tc does not describe goes by name too, and
// the kernel answers for it.
func TestIPTCKinds(t *testing.T) {
	ns, e := tcEnv(t)
	for _, c := range []struct {
		lua, kind string
		options   map[string]string // option -> its value in tc -j
	}{
		{"ip.tc('replace', 'pfifo_fast', {dev='v1'})", "pfifo_fast", map[string]string{"bands": "3"}},
		{"ip.tc('replace', 'pfifo_head_drop', {dev='v1', handle='5:', limit=50})", "pfifo_head_drop", map[string]string{"limit": "50"}},
		{"ip.tc('replace', 'mq', {dev='v1', handle='7:'})", "mq", nil},
		{"ip.tc('replace', 'blackhole', {dev='v1', handle='6:'})", "blackhole", nil},
		{"ip.tc('replace', 'noqueue', {dev='v1'})", "noqueue", nil},
		{"ip.tc('replace', 'bfifo', {dev='v1', handle='8:', limit='3kb'})", "bfifo", map[string]string{"limit": "3072"}},
	} {
		run(t, e, c.lua)
		q := qdiscOn(t, ns, "v1", c.kind)
		if q == nil || q["root"] != true {
			t.Errorf("%s: no root %s qdisc: %v", c.lua, c.kind, tcJSON(t, ns, "qdisc", "show", "dev", "v1"))
			continue
		}
		for k, want := range c.options {
			if got := opt(q, k); got != want {
				t.Errorf("%s: option %s = %s, want %s", c.lua, k, got, want)
			}
		}
	}
	vals := run(t, e, `
local q = ip.qdiscs{dev = 'v1'}
local ok, err = pcall(ip.tc, 'add', 'netem', {dev = 'v0'})
return q[1]:get('TCA_KIND'), err.code, err.ext_ack`)
	if got := []string{vals[0].String(), vals[1].String(), vals[2].String()}; !cmp.Equal(got, []string{"bfifo", "ENOENT", "Specified qdisc kind is unknown"}) {
		t.Errorf("listing, unknown kind: %v", got)
	}
}

// TestIPTCMirred adds u32 filters with mirred actions (the one action this
// kernel has) and reads them back with `tc -j filter show`: the action,
// its direction and target link, in order.
func TestIPTCMirred(t *testing.T) {
	ns, e := tcEnv(t)
	run(t, e, `
ip.tc('add', 'htb', {dev = 'v0', handle = '1:'})
ip.tc('add-filter', 'u32', {dev = 'v0', parent = '1:', prio = 10, protocol = 'ip', match = {dst = '10.0.0.3/32'},
  flowid = '1:20', action = {kind = 'mirred', direction = 'egress', action = 'redirect', dev = 'v1'}})
ip.tc('add-filter', 'u32', {dev = 'v0', parent = '1:', prio = 20, protocol = 'ip', keys = {'0x0006/0x00ff+8'},
  target = '1:10', action = {{kind = 'mirred', action = 'mirror', ifindex = ip.link_lookup('v1')},
                             {kind = 'mirred', direction = 'ingress', action = 'redirect', dev = 'v0'}}})
`)
	type action struct{ Kind, Action, Direction, Dev, Verdict string }
	got := map[string][]action{}
	for _, f := range tcJSON(t, ns, "filter", "show", "dev", "v0", "parent", "1:") {
		o, _ := f["options"].(map[string]any)
		acts, _ := o["actions"].([]any)
		for _, a := range acts {
			m := a.(map[string]any)
			ca, _ := m["control_action"].(map[string]any)
			got[jsonText(f["pref"])] = append(got[jsonText(f["pref"])], action{jsonText(m["kind"]), jsonText(m["mirred_action"]),
				jsonText(m["direction"]), jsonText(m["to_dev"]), jsonText(ca["type"])})
		}
	}
	want := map[string][]action{
		"10": {{"mirred", "redirect", "egress", "v1", "stolen"}},
		"20": {{"mirred", "mirror", "egress", "v1", "pipe"}, {"mirred", "redirect", "ingress", "v0", "stolen"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actions in tc -j filter show (-want +got):\n%s", diff)
	}
	vals := run(t, e, `
local f = ip.filters{dev = 'v0', parent = '1:', prio = 20}
for _, x in ipairs(f) do
  local a = x:get('TCA_OPTIONS', 'TCA_U32_ACT', 'TCA_ACT_PRIO_2')
  if a then return a:get('TCA_ACT_KIND'), a:get('TCA_ACT_OPTIONS', 'TCA_MIRRED_PARMS').eaction end
end`)
	if vals[0].String() != "mirred" || vals[1].String() != "3" {
		t.Errorf("the second action read back: %v, want mirred with eaction 3 (TCA_INGRESS_REDIR)", vals)
	}
}
