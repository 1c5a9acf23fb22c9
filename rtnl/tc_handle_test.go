package rtnl

import (
	"testing"

	"nlsh/engine"
)

// TestTCHandles: handles read and write as tc reads and writes them, and a
// tc message's parent and a u32 filter's class show them beside the number
// while their names and numbers still encode as before.
func TestTCHandles(t *testing.T) {
	for _, c := range []struct {
		h    uint64
		text string
	}{
		{0x10000, "1:"}, {0x10010, "1:10"}, {0x10, ":10"}, {0xffff0000, "ffff:"}, {0x8001abcd, "8001:abcd"},
	} {
		if got := TCHandleText(c.h); got != c.text {
			t.Errorf("TCHandleText(%#x) = %q, want %q", c.h, got, c.text)
		}
		if got, ok := ParseTCHandle(c.text); !ok || got != c.h {
			t.Errorf("ParseTCHandle(%q) = %#x, %v; want %#x", c.text, got, ok, c.h)
		}
	}
	for _, bad := range []string{"", ":", "1", "10010", "1:10000", "10000:", "x:1", "1:2:3", "TC_H_RROT"} {
		if h, ok := ParseTCHandle(bad); ok {
			t.Errorf("ParseTCHandle(%q) = %#x, want no handle", bad, h)
		}
	}

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
