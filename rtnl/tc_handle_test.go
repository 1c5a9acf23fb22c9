package rtnl

import (
	"strings"
	"testing"

	"nlsh/engine"
)

// TestTCHandles: handles read and write as tc reads and writes them, and a
// tc message's parent and a u32 filter's class show them beside the number
// while their names and numbers still encode as before.
func TestTCHandles(t *testing.T) {
	handleForms(t, "tc", TCHandleText, ParseTCHandle, map[uint64]string{
		0x10000: "1:", 0x10010: "1:10", 0x10: ":10", 0xffff0000: "ffff:", 0x8001abcd: "8001:abcd",
	}, "", ":", "1", "10010", "1:10000", "10000:", "x:1", "1:2:3", "TC_H_RROT")

	// The names stay names; other values read as handles.
	for v, want := range map[uint64]string{0xFFFFFFFF: "TC_H_ROOT", 0: "TC_H_UNSPEC", 0x10000: "1:", 0x10010: "1:10"} {
		if got, ok := tcHandles.Format(v); !ok || got != want {
			t.Errorf("tc_handle %#x shows as %q, %v; want %q", v, got, ok, want)
		}
	}
	if _, ok := tcHandles.NameOf(0x10000); ok {
		t.Error("1: has a name: handles must not choose layouts as names do")
	}

	// A tcmsg's parent and a u32 filter's class encode from tc's form.
	pair := func(name string, v any) any { return engine.Table{List: []any{name, v}} }
	msg := engine.Table{Map: map[string]any{"index": 3, "parent": "1:", "attrs": engine.Table{List: []any{
		pair("TCA_KIND", "u32"),
		pair("TCA_OPTIONS", engine.Table{List: []any{pair("TCA_U32_CLASSID", "1:10")}}),
	}}}}
	b, err := engine.EncodeMessage(engine.Header{Type: 44}, TcClass, msg)
	if err != nil {
		t.Fatal(err)
	}
	m := engine.Message{Header: engine.Header{Type: 44}, Body: b[engine.HeaderLen:]}
	rec := m.Decode(Route)
	if p, _ := rec.Field("parent"); p != uint64(0x10000) {
		t.Errorf("parent '1:' encoded as %v", p)
	}
	opts, _ := rec.Get("TCA_OPTIONS")
	var cl any
	if r, ok := opts.(*engine.Record); ok {
		cl, _ = r.Get("TCA_U32_CLASSID")
	} else if n, ok := opts.(*engine.NestValue); ok {
		cl, _ = n.Get("TCA_U32_CLASSID")
	}
	if cl != uint64(0x10010) {
		t.Errorf("TCA_U32_CLASSID '1:10' encoded as %v (%T)", cl, cl)
	}
}

// TestU32Handles: a u32 filter's handles read and write as tc's "fh" and
// "ht" columns show them, and TCA_U32_HASH shows one beside its number.
func TestU32Handles(t *testing.T) {
	handleForms(t, "u32", U32HandleText, ParseU32Handle, map[uint64]string{
		0x80000000: "800:", 0x80000800: "800::800", 0x80001002: "800:1:2", 0x80001000: "800:1",
		0x00000800: "::800", 0x00001000: ":1", 0xFFF00000: "fff:",
	}, "", ":", "::", "800", "1000:", "800:100:1", "800:1:1000", "1:2:3:4", "x:")
	if got, ok := tcU32Handles.Format(0xFFF00000); !ok || got != "TC_U32_ROOT" {
		t.Errorf("0xfff00000 shows as %q, want its name TC_U32_ROOT", got)
	}
	if d, _ := tcU32Attrs.ByName("TCA_U32_HASH"); d == nil || d.Enum != tcU32Handles {
		t.Fatal("TCA_U32_HASH does not read as a u32 handle")
	}
}

// TestFilterInfo: a filter message's tcm_info shows as its priority and
// protocol, as tc shows them, while a qdisc's (a reference count) stays a
// bare number; the class and the bytes are tcmsg's either way.
func TestFilterInfo(t *testing.T) {
	info := uint64(5<<16 | 0x0008) // prio 5, ETH_P_IP in network byte order
	if got, ok := tcFilterInfo.Format(info); !ok || got != "prio 5 protocol ip" {
		t.Errorf("filter info %#x shows as %q, %v", info, got, ok)
	}
	if got, _ := tcFilterInfo.Format(1<<16 | 0xcc88); got != "prio 1 protocol 0x88cc" {
		t.Errorf("an unnamed protocol shows as %q", got)
	}
	if _, ok := tcFilterInfo.Format(0); ok {
		t.Error("0 (any) has words")
	}
	msg := engine.Table{Map: map[string]any{"index": 3, "info": info}}
	for _, typ := range []uint16{44, 36} { // RTM_NEWTFILTER, RTM_NEWQDISC
		mt := Route.TypeByNumber(typ)
		b, err := engine.EncodeMessage(engine.Header{Type: typ}, TcClass, msg)
		if err != nil {
			t.Fatal(err)
		}
		m := engine.Message{Header: engine.Header{Type: typ}, Body: b[engine.HeaderLen:]}
		rec := m.Decode(Route)
		if v, _ := rec.Field("info"); v != info {
			t.Errorf("%s: info encoded as %v", mt.Name, v)
		}
		var ex strings.Builder
		for _, l := range engine.Explain(Route, b, engine.ExplainOptions{Mark: -1}) {
			ex.WriteString(l.Text + "\n")
		}
		want := "327688 prio 5 protocol ip"
		if got := strings.Contains(ex.String(), want); got != (typ == 44) {
			t.Errorf("%s: explained with %q: %v, want %v:\n%s", mt.Name, want, got, typ == 44, ex.String())
		}
	}
	if mt := Route.TypeByNumber(44); mt.Class != TcClass || mt.Fixed == nil {
		t.Error("RTM_NEWTFILTER is not a tcmsg read its own way")
	}
}

// handleForms checks that a kind of handle writes as text and reads back
// from it, and that the bad forms do not read.
func handleForms(t *testing.T, kind string, text func(uint64) string, parse func(string) (uint64, bool), forms map[uint64]string, bad ...string) {
	t.Helper()
	for h, want := range forms {
		if got := text(h); got != want {
			t.Errorf("%s handle %#x writes as %q, want %q", kind, h, got, want)
		}
		if got, ok := parse(want); !ok || got != h {
			t.Errorf("%s handle %q reads as %#x, %v; want %#x", kind, want, got, ok, h)
		}
	}
	for _, b := range bad {
		if h, ok := parse(b); ok {
			t.Errorf("%s handle %q reads as %#x, want no handle", kind, b, h)
		}
	}
}
