package ynl

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
)

func pair(name string, v any) engine.Table { return engine.Table{List: []any{name, v}} }

func list(items ...any) engine.Table { return engine.Table{List: items} }

func fields(m map[string]any) engine.Table { return engine.Table{Map: m} }

// roundTrip encodes v as a record of class c, compares the bytes with
// want, decodes them and checks that encoding the decoded record gives
// them back.
func roundTrip(t *testing.T, c *engine.Class, v engine.Table, want string) *engine.Record {
	t.Helper()
	b, err := engine.EncodeRecord(c, v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	if w := unhex(t, want); !bytes.Equal(b, w) {
		t.Fatalf("encoded\n got %x\nwant %x", b, w)
	}
	r := engine.DecodeRecord(c, b)
	if r.Tail != nil {
		t.Fatalf("decoding left %x", r.Tail)
	}
	again, err := engine.EncodeRecord(c, r)
	if err != nil || !bytes.Equal(again, b) {
		t.Fatalf("re-encoded %x, %v; want %x", again, err, b)
	}
	return r
}

// TestKindsMapping checks the engine description each YNL type becomes.
func TestKindsMapping(t *testing.T) {
	s := testSpec(t, "kinds")
	main := s.Set("main")
	type desc struct {
		Type            uint16
		Kind, Elem      string
		Hint, Enum, Set string
		Struct          string
		NestFlag, Multi bool
		EnumFlags       bool
	}
	describe := func(a *engine.AttrDesc) desc {
		d := desc{Type: a.Type, Kind: a.Kind.String(), Hint: a.Hint, NestFlag: a.NestFlag, Multi: a.Multi}
		if a.Elem != engine.Invalid {
			d.Elem = a.Elem.String()
		}
		if a.Enum != nil {
			d.Enum, d.EnumFlags = a.Enum.Name, a.Enum.Flags
		}
		if a.Set != nil {
			d.Set = a.Set.Name
		}
		if a.Struct != nil {
			d.Struct = a.Struct.Name
		}
		return d
	}
	for _, tc := range []struct {
		name string
		want desc
	}{
		{"unspec", desc{Type: 0, Kind: "binary"}},
		{"u8", desc{Type: 1, Kind: "u8"}},
		{"u16", desc{Type: 2, Kind: "u16"}},
		{"u32", desc{Type: 3, Kind: "u32"}},
		{"u64", desc{Type: 4, Kind: "u64"}},
		{"s8", desc{Type: 5, Kind: "s8"}},
		{"s16", desc{Type: 6, Kind: "s16"}},
		{"s32", desc{Type: 7, Kind: "s32"}},
		{"s64", desc{Type: 8, Kind: "s64"}},
		{"uint", desc{Type: 9, Kind: "uint"}},
		{"sint", desc{Type: 10, Kind: "sint"}},
		{"be16", desc{Type: 11, Kind: "be16"}},
		{"be32", desc{Type: 12, Kind: "be32"}},
		{"be64", desc{Type: 13, Kind: "be64"}},
		{"sbe32", desc{Type: 14, Kind: "sbe32"}},
		{"flag", desc{Type: 15, Kind: "flag"}},
		{"string", desc{Type: 16, Kind: "asciiz"}},
		{"binary", desc{Type: 17, Kind: "binary"}},
		{"pad", desc{Type: 18, Kind: "pad"}},
		{"pair", desc{Type: 19, Kind: "struct", Struct: "pair"}},
		{"shorts", desc{Type: 20, Kind: "array", Elem: "u16"}},
		{"mac", desc{Type: 21, Kind: "lladdr"}},
		{"addr4", desc{Type: 22, Kind: "ipv4"}},
		{"bin4", desc{Type: 23, Kind: "ipv4"}},
		{"addr6", desc{Type: 24, Kind: "ipv6"}},
		{"hex", desc{Type: 25, Kind: "binary", Hint: "hex"}},
		{"uuid", desc{Type: 26, Kind: "binary", Hint: "uuid"}},
		{"hexint", desc{Type: 27, Kind: "u32", Hint: "hex"}},
		{"mode", desc{Type: 28, Kind: "u8", Enum: "mode"}},
		{"features", desc{Type: 29, Kind: "u32", Enum: "feature", EnumFlags: true}},
		{"modes", desc{Type: 30, Kind: "u32", Enum: "mode", EnumFlags: true}},
		{"bits", desc{Type: 31, Kind: "struct", Struct: "bitfield32"}},
		{"rawbits", desc{Type: 32, Kind: "struct", Struct: "bitfield32"}},
		{"item", desc{Type: 33, Kind: "nested", Set: "item", NestFlag: true, Multi: true}},
		{"items", desc{Type: 34, Kind: "nested", Set: "items", NestFlag: true}},
		{"words", desc{Type: 35, Kind: "nested", Set: "words", NestFlag: true}},
		{"addrs", desc{Type: 36, Kind: "nested", Set: "addrs", NestFlag: true}},
		{"table", desc{Type: 37, Kind: "nested", Set: "row", NestFlag: true}},
		{"short-item", desc{Type: 38, Kind: "nested", Set: "item-name-only", NestFlag: true}},
		{"either", desc{Type: 39, Kind: "ip"}},
		{"tag", desc{Type: 100, Kind: "u32"}},
	} {
		a, ok := main.ByName(tc.name)
		if !ok {
			t.Errorf("%s: missing", tc.name)
			continue
		}
		if diff := cmp.Diff(tc.want, describe(a)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	if len(main.Attrs) != 41 {
		t.Errorf("main has %d attributes, want 41", len(main.Attrs))
	}
	// The array sets' elements.
	elems := map[string]desc{}
	for _, n := range []string{"items", "words", "addrs", "table"} {
		a, _ := main.ByName(n)
		elems[n] = describe(a.Set.Indexed)
	}
	a, _ := main.ByName("table")
	elems["table/row"] = describe(a.Set.Indexed.Set.Indexed)
	if diff := cmp.Diff(map[string]desc{
		"items":     {Kind: "nested", Set: "item", NestFlag: true},
		"words":     {Kind: "u32"},
		"addrs":     {Kind: "ipv4"},
		"table":     {Kind: "nested", Set: "col", NestFlag: true},
		"table/row": {Kind: "nested", Set: "item", NestFlag: true},
	}, elems); diff != "" {
		t.Errorf("array elements (-want +got):\n%s", diff)
	}
	// The bitfield32 layouts name their bits when the spec says how.
	bits, _ := main.ByName("bits")
	raw, _ := main.ByName("rawbits")
	if bits.Struct.Fields[0].Enum == nil || bits.Struct.Fields[1].Enum == nil || raw.Struct.Fields[0].Enum != nil || bits.Struct.Size != 8 {
		t.Errorf("bitfield32 layouts: %+v / %+v", bits.Struct.Fields, raw.Struct.Fields)
	}
	if s.Version != 3 || s.Fixed == nil || s.Fixed.Name != "hdr" || s.Fixed.Size != 4 {
		t.Errorf("version %d, fixed header %+v", s.Version, s.Fixed)
	}
}

// TestKindsWire encodes one attribute of each type and checks the exact
// bytes, then decodes and re-encodes them.
func TestKindsWire(t *testing.T) {
	s := testSpec(t, "kinds")
	c := &engine.Class{Name: "kinds", Struct: s.Fixed, Attrs: s.Set("main")}
	for _, tc := range []struct {
		name string
		attr engine.Table
		hex  string // after the 4-byte header, which is 07 00 00 00
	}{
		{"u8", pair("u8", uint64(1)), "05000100 01000000"},
		{"u16", pair("u16", uint64(0x0102)), "06000200 02010000"},
		{"u32", pair("u32", uint64(0x01020304)), "08000300 04030201"},
		{"u64", pair("u64", uint64(1)), "0c000400 01000000 00000000"},
		{"s8", pair("s8", int64(-1)), "05000500 ff000000"},
		{"s16", pair("s16", int64(-2)), "06000600 feff0000"},
		{"s32", pair("s32", int64(-3)), "08000700 fdffffff"},
		{"s64", pair("s64", int64(-4)), "0c000800 fcffffff ffffffff"},
		{"uint small", pair("uint", uint64(5)), "08000900 05000000"},
		{"uint large", pair("uint", uint64(1<<40)), "0c000900 00000000 00010000"},
		{"sint", pair("sint", int64(-6)), "08000a00 faffffff"},
		{"be16", pair("be16", uint64(0x0102)), "06000b00 01020000"},
		{"be32", pair("be32", uint64(0x01020304)), "08000c00 01020304"},
		{"be64", pair("be64", uint64(1)), "0c000d00 00000000 00000001"},
		{"big-endian s32 keeps its sign", pair("sbe32", int64(-1)), "08000e00 ffffffff"},
		{"flag", pair("flag", true), "04000f00"},
		{"string", pair("string", "ab"), "07001000 61620000"},
		{"binary", pair("binary", []byte{1, 2, 3}), "07001100 01020300"},
		{"pad", pair("pad", []byte{0, 0, 0, 0}), "08001200 00000000"},
		{"struct", pair("pair", fields(map[string]any{"lo": uint64(1), "hi": uint64(2)})), "0c001300 01000000 00000002"},
		{"C array", pair("shorts", list(uint64(1), uint64(2), uint64(3))), "0a001400 01000200 03000000"},
		{"mac", pair("mac", "aa:bb:cc:dd:ee:ff"), "0a001500 aabbccdd eeff0000"},
		{"ipv4 u32", pair("addr4", "10.0.0.1"), "08001600 0a000001"},
		{"ipv4 binary", pair("bin4", "10.0.0.2"), "08001700 0a000002"},
		{"ipv6", pair("addr6", "fe80::1"), "14001800 fe800000 00000000 00000000 00000001"},
		{"hex", pair("hex", []byte{0xde, 0xad}), "06001900 dead0000"},
		{"enum", pair("mode", "auto"), "05001c00 02000000"},
		{"flags", pair("features", "fast|loud"), "08001d00 05000000"},
		{"enum as flags", pair("modes", "on|auto"), "08001e00 06000000"},
		{"bitfield32 with names", pair("bits", fields(map[string]any{"value": "fast", "selector": "fast|safe"})), "0c001f00 01000000 03000000"},
		{"bitfield32", pair("rawbits", fields(map[string]any{"value": uint64(1), "selector": uint64(1)})), "0c002000 01000000 01000000"},
		{"nest with NLA_F_NESTED", pair("item", list(pair("name", "x"))), "0c002180 06000100 78000000"},
		{"multi-attr", engine.Table{}, ""},
		{"indexed-array of nests", pair("items", list(pair("1", list(pair("size", uint64(5)))))),
			"10002280 0c000180 08000200 05000000"},
		{"indexed-array of u32", pair("words", list(pair("1", uint64(7)), pair("2", uint64(8)))),
			"14002380 08000100 07000000 08000200 08000000"},
		{"indexed-array of ipv4", pair("addrs", list(pair("0", "1.2.3.4"))), "0c002480 08000000 01020304"},
		{"nest-type-value", pair("table", list(pair("3", list(pair("4", list(pair("name", "t"))))))),
			"14002580 10000380 0c000480 06000100 74000000"},
		{"subset", pair("short-item", list(pair("name", "y"))), "0c002680 06000100 79000000"},
		{"ipv4 binary of unknown size, v4", pair("either", "10.0.0.3"), "08002700 0a000003"},
		{"ipv4 binary of unknown size, v6", pair("either", "fe80::3"), "14002700 fe800000 00000000 00000000 00000003"},
		{"explicit value", pair("tag", uint64(1)), "08006400 01000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var attrs engine.Table
			if tc.name == "multi-attr" {
				attrs = list(pair("item", list(pair("name", "a"))), pair("item", list(pair("name", "b"))))
				tc.hex = "0c002180 06000100 61000000 0c002180 06000100 62000000"
			} else {
				attrs = list(tc.attr)
			}
			roundTrip(t, c, fields(map[string]any{"id": uint64(7), "attrs": attrs}), "07000000"+tc.hex)
		})
	}
}

// TestKindsDecodedValues checks the values the mapped kinds decode to.
func TestKindsDecodedValues(t *testing.T) {
	s := testSpec(t, "kinds")
	set := s.Set("main")
	c := &engine.Class{Name: "kinds", Struct: s.Fixed, Attrs: set}
	r := engine.DecodeRecord(c, unhex(t, "00000000 08001600 0a000001 0a001500 aabbccdd eeff0000 0a001400 01000200 03000000 08000e00 ffffffff 05001c00 02000000"))
	got := map[string]any{}
	for _, a := range r.Attrs {
		got[a.Name(set)] = a.Value
	}
	mode, _ := set.ByName("mode")
	name, _ := mode.Enum.Format(got["mode"].(uint64))
	want := map[string]any{
		"addr4":  netip.MustParseAddr("10.0.0.1"),
		"mac":    "aa:bb:cc:dd:ee:ff",
		"shorts": []any{uint64(1), uint64(2), uint64(3)},
		"sbe32":  int64(-1),
		"mode":   "auto",
	}
	got["mac"] = got["mac"].(engine.HWAddr).String()
	got["mode"] = name
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("decoded values (-want +got):\n%s", diff)
	}
}

// TestSubsets checks that a subset holds only what it lists, numbered
// as its parent, and may override a key.
func TestSubsets(t *testing.T) {
	s := testSpec(t, "kinds")
	type a struct {
		Name, CName string
		Type        uint16
		Kind, Doc   string
	}
	got := map[string][]a{}
	for _, n := range []string{"item", "item-name-only", "item-size-as-u64"} {
		set := s.Set(n)
		for _, x := range set.Attrs {
			got[n] = append(got[n], a{x.Name, x.CName, x.Type, x.Kind.String(), x.Doc})
		}
	}
	want := map[string][]a{
		"item":             {{"name", "KINDS_A_ITEM_NAME", 1, "asciiz", ""}, {"size", "KINDS_A_ITEM_SIZE", 2, "u32", ""}},
		"item-name-only":   {{"name", "KINDS_A_ITEM_NAME", 1, "asciiz", ""}},
		"item-size-as-u64": {{"size", "KINDS_A_ITEM_SIZE", 2, "u64", "Bigger here."}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("subsets (-want +got):\n%s", diff)
	}
}
