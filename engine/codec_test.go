package engine

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// A small protocol exercising every kind, independent of rtnetlink.
var (
	tEnum  = NewEnum("colour", EnumValue{"RED", 1}, EnumValue{"BLUE", 2})
	tFlags = NewFlags("opts", EnumValue{"F_A", 1}, EnumValue{"F_B", 2}, EnumValue{"F_C", 4})
	tInner = NewAttrSet("inner", "IN_",
		&AttrDesc{Name: "IN_U8", Type: 1, Kind: U8},
		&AttrDesc{Name: "IN_STR", Type: 2, Kind: Asciiz},
	)
	tPair = NewStruct("pair", Field{Name: "a", Kind: U16}, Field{Name: "_p", Kind: Pad, Size: 2}, Field{Name: "b", Kind: S32})
	tSel  = NewStruct("sel", Field{Name: "n", Kind: U8}, Field{Name: "_p", Kind: Pad, Size: 3},
		Field{Name: "mask", Kind: BE32})
	tKey  = NewStruct("key", Field{Name: "v", Kind: BE32})
	tRecC = &Class{Name: "rec", LenField: "len", Struct: NewStruct("rec", Field{Name: "len", Kind: U16}, Field{Name: "x", Kind: U8}, Field{Name: "_p", Kind: Pad, Size: 1})}
	tSet  = NewAttrSet("top", "T_",
		&AttrDesc{Name: "T_U8", Type: 1, Kind: U8, Enum: tEnum},
		&AttrDesc{Name: "T_U16", Type: 2, Kind: U16},
		&AttrDesc{Name: "T_U32", Type: 3, Kind: U32, Enum: tFlags},
		&AttrDesc{Name: "T_U64", Type: 4, Kind: U64},
		&AttrDesc{Name: "T_S32", Type: 5, Kind: S32},
		&AttrDesc{Name: "T_BE16", Type: 6, Kind: BE16},
		&AttrDesc{Name: "T_STR", Type: 7, Kind: String},
		&AttrDesc{Name: "T_ZSTR", Type: 8, Kind: Asciiz},
		&AttrDesc{Name: "T_BIN", Type: 9, Kind: Binary},
		&AttrDesc{Name: "T_IP4", Type: 10, Kind: IPv4},
		&AttrDesc{Name: "T_IP", Type: 11, Kind: IP},
		&AttrDesc{Name: "T_MAC", Type: 12, Kind: LLAddr},
		&AttrDesc{Name: "T_FLAG", Type: 13, Kind: Flag},
		&AttrDesc{Name: "T_NEST", Type: 14, Kind: Nested, Set: tInner},
		&AttrDesc{Name: "T_PAIR", Type: 15, Kind: Struct, Struct: tPair},
		&AttrDesc{Name: "T_ARR", Type: 16, Kind: Array, Elem: U16},
		&AttrDesc{Name: "T_KIND", Type: 17, Kind: Asciiz},
		&AttrDesc{Name: "T_DATA", Type: 18, Kind: SubMsg, Sub: &SubMessage{Selector: "T_KIND", Formats: map[string]*AttrDesc{
			"in":   {Kind: Nested, Set: tInner},
			"pair": {Kind: Struct, Struct: tPair},
		}}},
		&AttrDesc{Name: "T_RECS", Type: 19, Kind: Records, Record: tRecC},
		&AttrDesc{Name: "T_SEL", Type: 20, Kind: Struct, Struct: &StructDesc{Name: tSel.Name, Fields: tSel.Fields, Size: tSel.Size, Flex: tKey, FlexName: "keys"}},
	)
	tHdr   = NewStruct("thdr", Field{Name: "family", Kind: U8}, Field{Name: "_p", Kind: Pad, Size: 3}, Field{Name: "index", Kind: S32})
	tClass = &Class{Name: "tmsg", Struct: tHdr, Attrs: tSet}
	tProto = (&Protocol{Name: "test", Types: []*MsgType{{Name: "T_NEW", Type: 0x20, Class: tClass, Op: OpNew}}, Classes: []*Class{tClass}}).Build()
)

// tWrap nests a sub-message whose selector (T_KIND) sits one level up, as
// TCA_STATS2's TCA_STATS_APP is chosen by the top-level TCA_KIND.
var tWrap = NewAttrSet("wrap", "W_",
	&AttrDesc{Name: "W_DATA", Type: 1, Kind: SubMsg, Sub: &SubMessage{Selector: "T_KIND", Formats: map[string]*AttrDesc{
		"pair": {Kind: Struct, Struct: tPair},
	}}},
)

func init() {
	tRecC.Attrs = tInner
	tSet.Add(&AttrDesc{Name: "T_WRAP", Type: 21, Kind: Nested, Set: tWrap})
	// T_FAM's layout follows the header's family, with a default.
	tSet.Add(&AttrDesc{Name: "T_FAM", Type: 22, Kind: SubMsg, Sub: &SubMessage{Selector: "family",
		Formats: map[string]*AttrDesc{"7": {Kind: Nested, Set: tInner}},
		Default: &AttrDesc{Kind: U16}}})
}

func tbl(list ...any) Table { return Table{List: list} }

func TestEncodeDecodeRoundTrip(t *testing.T) {
	in := Table{Map: map[string]any{"family": float64(2), "index": "-3", "attrs": tbl(
		tbl("T_U8", "BLUE"),
		tbl("T_U16", float64(65535)),
		tbl("T_U32", tbl("F_A", "F_C")),
		tbl("T_U64", "18446744073709551615"),
		tbl("T_S32", float64(-5)),
		tbl("T_BE16", float64(4789)),
		tbl("T_STR", "abc"),
		tbl("T_ZSTR", "v0"),
		tbl("T_BIN", "\x00\x01"),
		tbl("T_IP4", "10.0.0.1"),
		tbl("T_IP", "fe80::1"),
		tbl("T_MAC", "02:00:00:00:00:05"),
		tbl("T_FLAG", true),
		tbl("T_NEST", tbl(tbl("IN_U8", float64(7)), tbl("IN_STR", "x"))),
		tbl("T_PAIR", Table{Map: map[string]any{"a": float64(1), "b": float64(-1)}}),
		tbl("T_ARR", tbl(float64(1), float64(2), float64(3))),
		tbl("T_KIND", "pair"),
		tbl("T_DATA", Table{Map: map[string]any{"a": float64(9)}}),
		tbl("T_RECS", tbl(Table{Map: map[string]any{"x": float64(1), "attrs": tbl(tbl("IN_U8", float64(3)))}})),
		tbl("T_SEL", Table{Map: map[string]any{"n": float64(1), "mask": float64(0xff), "keys": tbl(Table{Map: map[string]any{"v": float64(0x0a000001)}})}}),
		tbl("T_99", "\xde\xad"),
		Table{List: []any{"T_NEST", tbl()}, Map: map[string]any{"nla_flags": float64(NLA_F_NESTED)}},
	)}}
	b, err := EncodeMessage(Header{Type: 0x20, Flags: NLM_F_REQUEST}, tClass, in)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := Split(b)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("Split: %v %d", err, len(msgs))
	}
	r := msgs[0].Decode(tProto)
	if r.Tail != nil {
		t.Fatalf("tail %x", r.Tail)
	}
	want := map[string]any{
		"T_U8": uint64(2), "T_U16": uint64(65535), "T_U32": uint64(5), "T_U64": uint64(1<<64 - 1),
		"T_S32": int64(-5), "T_BE16": uint64(4789), "T_STR": "abc", "T_ZSTR": "v0",
		"T_IP4": netip.MustParseAddr("10.0.0.1"), "T_IP": netip.MustParseAddr("fe80::1"),
		"T_FLAG": true,
	}
	for name, w := range want {
		got, ok := r.Get(name)
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		if diff := cmp.Diff(w, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	if v, _ := r.Get("T_MAC"); v.(HWAddr).String() != "02:00:00:00:00:05" {
		t.Errorf("T_MAC = %v", v)
	}
	if v, _ := r.Field("index"); v != int64(-3) {
		t.Errorf("index = %v", v)
	}
	if v, _ := r.Get("T_DATA"); v.(*StructValue).Values[0] != uint64(9) {
		t.Errorf("T_DATA = %#v", v)
	}
	if v, _ := r.Get("T_99"); !bytes.Equal(v.([]byte), []byte{0xde, 0xad}) {
		t.Errorf("unknown attribute = %#v", v)
	}
	if last := r.Attrs[len(r.Attrs)-1]; last.Flags != NLA_F_NESTED {
		t.Errorf("nla_flags lost: %#x", last.Flags)
	}
	sel, _ := r.Get("T_SEL")
	if sv := sel.(*StructValue); len(sv.Flex) != 1 || sv.Flex[0].Values[0] != uint64(0x0a000001) {
		t.Errorf("flex keys = %#v", sv.Flex)
	}
	// Re-encoding the decoded record gives the same bytes.
	b2, err := EncodeMessage(msgs[0].Header, tClass, r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Errorf("round trip differs:\n%x\n%x", b, b2)
	}
	// Lookup reads single attributes and paths without a full decode.
	if v := msgs[0].Lookup(tProto, []string{"T_NEST", "IN_STR"}, true); len(v) != 1 || v[0] != "x" {
		t.Errorf("Lookup path = %#v", v)
	}
	if v := msgs[0].Lookup(tProto, []string{"T_NEST"}, false); len(v) != 2 {
		t.Errorf("Lookup all = %d values", len(v))
	}
	if v := msgs[0].Lookup(tProto, []string{"T_DATA"}, true); len(v) != 1 {
		t.Errorf("Lookup sub-message = %#v", v)
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Table
		want string
	}{
		{"unknown field", Table{Map: map[string]any{"indx": float64(1)}}, "unknown field 'indx' in thdr (did you mean 'index'?)"},
		{"unknown attr", Table{Map: map[string]any{"attrs": tbl(tbl("T_U61", float64(1)))}}, "unknown attribute 'T_U61' in top attributes"},
		{"bad ip", Table{Map: map[string]any{"attrs": tbl(tbl("T_IP4", "fe80::1"))}}, "T_IP4: expected an IPv4 address"},
		{"range", Table{Map: map[string]any{"attrs": tbl(tbl("T_U8", float64(300)))}}, "T_U8: 300 is out of range for u8 (0..255)"},
		{"enum", Table{Map: map[string]any{"attrs": tbl(tbl("T_U8", "GREEN"))}}, `T_U8: unknown colour value "GREEN"`},
		{"type", Table{Map: map[string]any{"family": "x"}}, `thdr.family: expected an integer (u8, 0..255), got "x"`},
		{"nested path", Table{Map: map[string]any{"attrs": tbl(tbl("T_NEST", tbl(tbl("IN_U8", "z"))))}}, `T_NEST > IN_U8: expected an integer (u8, 0..255), got "z"`},
		{"no selector", Table{Map: map[string]any{"attrs": tbl(tbl("T_DATA", tbl()))}}, "cannot tell this attribute's format without T_KIND"},
		{"not a pair", Table{Map: map[string]any{"attrs": tbl("T_U8")}}, "attribute #1: expected a {name, value} pair"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := EncodeMessage(Header{Type: 0x20}, tClass, tc.in)
			var ee *EncodeError
			if !errors.As(err, &ee) {
				t.Fatalf("err = %v, want an *EncodeError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestDecodeKeepsOddBytes(t *testing.T) {
	// A u16 attribute with 3 bytes, a nest that does not parse, and trailing
	// garbage: all kept as raw bytes and re-encoded identically.
	body, _ := hex.DecodeString("0200000005000000" + "0700020001020300" + "06000e00ffff0000" + "0100")
	m := Message{Header: Header{Length: uint32(HeaderLen + len(body)), Type: 0x20}, Body: body}
	r := m.Decode(tProto)
	if v, _ := r.Get("T_U16"); !bytes.Equal(v.([]byte), []byte{1, 2, 3}) {
		t.Errorf("odd-size u16 = %#v", v)
	}
	if _, ok := r.Attrs[1].Value.([]byte); !ok {
		t.Errorf("bad nest = %#v", r.Attrs[1].Value)
	}
	if !bytes.Equal(r.Tail, []byte{1, 0}) {
		t.Errorf("tail = %x", r.Tail)
	}
	b, err := EncodeMessage(m.Header, tClass, r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b[HeaderLen:], body) {
		t.Errorf("re-encoded\n%x\nwant\n%x", b[HeaderLen:], body)
	}
}

func TestSplitErrors(t *testing.T) {
	ok := make([]byte, 20)
	Header{Length: 20, Type: NLMSG_DONE}.Put(ok)
	for _, tc := range []struct {
		name string
		buf  []byte
		n    int
		want string
	}{
		{"short", ok[:10], 0, "too short for a 16-byte nlmsghdr"},
		{"len past end", append(append([]byte{}, ok...), 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 1, "runs past the end"},
		{"len too small", []byte{4, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, "shorter than the 16-byte header"},
	} {
		msgs, err := Split(tc.buf)
		if err == nil || !strings.Contains(err.Error(), tc.want) || len(msgs) != tc.n {
			t.Errorf("%s: %d msgs, err %v", tc.name, len(msgs), err)
		}
	}
}

func TestReplyErrorPath(t *testing.T) {
	req, err := EncodeMessage(Header{Type: 0x20, Flags: NLM_F_REQUEST | NLM_F_ACK, Seq: 7}, tClass,
		Table{Map: map[string]any{"attrs": tbl(tbl("T_U8", float64(1)), tbl("T_NEST", tbl(tbl("IN_U8", float64(1)), tbl("IN_STR", "bad"))))}})
	if err != nil {
		t.Fatal(err)
	}
	// Offset of IN_STR: header 16 + thdr 8 + T_U8 8 + T_NEST header 4 + IN_U8 8.
	off := 16 + 8 + 8 + 4 + 8
	errBody, _ := EncodeRecord(&Class{Name: "nlmsgerr", Struct: ErrClass.Struct, Attrs: ErrAttrs}, Table{Map: map[string]any{
		"error": float64(-22), "length": float64(len(req)), "type": float64(0x20), "sequence_number": float64(7),
		"attrs": tbl(tbl("NLMSGERR_ATTR_MSG", "bad string"), tbl("NLMSGERR_ATTR_OFFS", float64(off)),
			tbl("NLMSGERR_ATTR_MISS_TYPE", float64(1)), tbl("NLMSGERR_ATTR_MISS_NEST", float64(16+8+8))),
	}})
	if err != nil {
		t.Fatal(err)
	}
	m := Message{Header: Header{Type: NLMSG_ERROR, Flags: NLM_F_CAPPED | NLM_F_ACK_TLVS}, Body: errBody}
	e := ReplyError(tProto, &m, req).(*Error)
	if !errors.Is(e, unix.EINVAL) {
		t.Errorf("errno %v", e.Errno)
	}
	if diff := cmp.Diff([]string{"T_NEST", "IN_STR"}, e.AttrPath); diff != "" {
		t.Errorf("path (-want +got):\n%s", diff)
	}
	if e.Missing != "IN_U8" || e.Msg != "bad string" || e.Op != "T_NEW" {
		t.Errorf("missing %q msg %q op %q", e.Missing, e.Msg, e.Op)
	}
	if s := e.Error(); !strings.Contains(s, "EINVAL") || !strings.Contains(s, "[at T_NEST > IN_STR]") {
		t.Errorf("Error() = %q", s)
	}
}

// TestLookupMatchesDecode: Lookup agrees with a full decode, including a
// sub-message whose selector sits in the enclosing list.
func TestLookupMatchesDecode(t *testing.T) {
	in := Table{Map: map[string]any{"attrs": tbl(
		tbl("T_KIND", "in"),
		tbl("T_NEST", tbl(tbl("IN_U8", float64(1)))),
		tbl("T_DATA", tbl(tbl("IN_STR", "deep"))),
	)}}
	b, err := EncodeMessage(Header{Type: 0x20}, tClass, in)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := Split(b)
	full := msgs[0].Decode(tProto)
	for _, path := range [][]string{{"T_DATA"}, {"T_DATA", "IN_STR"}, {"T_NEST", "IN_U8"}, {"T_KIND"}} {
		got := msgs[0].Lookup(tProto, path, false)
		var want []any
		if len(path) == 1 {
			v, _ := full.Get(path[0])
			want = []any{v}
		} else {
			v, _ := full.Get(path[0])
			want = descend(v, path[1:], false)
		}
		// Descriptions are shared pointers: compare them by identity.
		same := cmp.Comparer(func(a, b *AttrSet) bool { return a == b })
		sameDesc := cmp.Comparer(func(a, b *AttrDesc) bool { return a == b })
		if diff := cmp.Diff(want, got, same, sameDesc); diff != "" {
			t.Errorf("Lookup %v (-decode +lookup):\n%s", path, diff)
		}
	}
}

func TestMessageGet(t *testing.T) {
	b, err := EncodeMessage(Header{Type: 0x20}, tClass, Table{Map: map[string]any{"attrs": tbl(
		tbl("T_KIND", "pair"), tbl("T_DATA", Table{Map: map[string]any{"a": float64(5)}}), tbl("T_U16", float64(7)), tbl("T_77", "\x01"))}})
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := Split(b)
	m := &msgs[0]
	if v, ok := m.Get(tProto, "T_U16"); !ok || v != uint64(7) {
		t.Errorf("T_U16 = %v %v", v, ok)
	}
	if v, ok := m.Get(tProto, "T_DATA"); !ok || v.(*StructValue).Values[0] != uint64(5) {
		t.Errorf("T_DATA = %#v", v)
	}
	if v, ok := m.Get(tProto, "T_77"); !ok || string(v.([]byte)) != "\x01" {
		t.Errorf("T_77 = %#v", v)
	}
	if _, ok := m.Get(tProto, "T_U8"); ok {
		t.Errorf("absent attribute found")
	}
	if _, ok := m.Get(tProto, "NOPE"); ok {
		t.Errorf("unknown name found")
	}
}

// TestLookupSelectorAbove: a sub-message inside a nest finds its selector in
// the enclosing list, through Get and Lookup alike.
func TestLookupSelectorAbove(t *testing.T) {
	b, err := EncodeMessage(Header{Type: 0x20}, tClass, Table{Map: map[string]any{"attrs": tbl(
		tbl("T_KIND", "pair"), tbl("T_WRAP", tbl(tbl("W_DATA", Table{Map: map[string]any{"a": float64(3)}}))))}})
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := Split(b)
	v, ok := msgs[0].Get(tProto, "T_WRAP")
	if !ok {
		t.Fatal("T_WRAP missing")
	}
	if w, _ := v.(*NestValue).Get("W_DATA"); w == nil || w.(*StructValue).Values[0] != uint64(3) {
		t.Errorf("Get: W_DATA = %#v", w)
	}
	if l := msgs[0].Lookup(tProto, []string{"T_WRAP"}, true); len(l) != 1 {
		t.Errorf("Lookup = %#v", l)
	} else if w, _ := l[0].(*NestValue).Get("W_DATA"); w == nil || w.(*StructValue).Values[0] != uint64(3) {
		t.Errorf("Lookup: W_DATA = %#v", w)
	}
}

// TestStructPaddingRoundTrip: a body that is a struct of odd size and its
// zero padding (netconfmsg) re-encodes to the same bytes.
func TestStructPaddingRoundTrip(t *testing.T) {
	c := &Class{Name: "one", Struct: NewStruct("one", Field{Name: "family", Kind: U8}), Attrs: NewAttrSet("none", "N_")}
	p := (&Protocol{Types: []*MsgType{{Name: "ONE", Type: 0x30, Class: c}}}).Build()
	body := []byte{2, 0, 0, 0}
	m := Message{Header: Header{Length: 20, Type: 0x30}, Body: body}
	r := m.Decode(p)
	if r.Tail != nil {
		t.Errorf("zero padding kept as a tail: %x", r.Tail)
	}
	got, err := EncodeMessage(m.Header, c, r)
	if err != nil {
		t.Fatal(err)
	}
	if want := m.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("re-encoded %x, want %x", got, want)
	}
}

// TestFieldSelector: a sub-message chosen by a header field decodes,
// encodes and explains by that field, and other values take the default.
func TestFieldSelector(t *testing.T) {
	for _, tc := range []struct {
		family float64
		value  any
		check  func(v any) bool
	}{
		{7, tbl(tbl("IN_U8", float64(4))), func(v any) bool { n, ok := v.(*NestValue); return ok && len(n.Attrs) == 1 }},
		{2, float64(513), func(v any) bool { return v == uint64(513) }},
	} {
		b, err := EncodeMessage(Header{Type: 0x20}, tClass, Table{Map: map[string]any{"family": tc.family, "attrs": tbl(tbl("T_FAM", tc.value))}})
		if err != nil {
			t.Fatalf("family %v: %v", tc.family, err)
		}
		msgs, _ := Split(b)
		r := msgs[0].Decode(tProto)
		if v, _ := r.Get("T_FAM"); !tc.check(v) {
			t.Errorf("family %v: decoded %#v", tc.family, v)
		}
		if v, _ := msgs[0].Get(tProto, "T_FAM"); !tc.check(v) {
			t.Errorf("family %v: Get %#v", tc.family, v)
		}
		re, _ := EncodeMessage(msgs[0].Header, tClass, r)
		if !bytes.Equal(re, b) {
			t.Errorf("family %v: round trip %x != %x", tc.family, re, b)
		}
		text := FormatExplain(Explain(tProto, b, ExplainOptions{Mark: -1}))
		if strings.Contains(text, "format unknown") {
			t.Errorf("family %v: explain did not find the layout:\n%s", tc.family, text)
		}
	}
}

// TestInnerSet: the set inside a nest is its own; inside records, the
// records' attributes; none inside scalars, structs and sub-messages.
func TestInnerSet(t *testing.T) {
	for name, want := range map[string]*AttrSet{"T_NEST": tInner, "T_RECS": tInner, "T_WRAP": tWrap, "T_U8": nil, "T_PAIR": nil, "T_DATA": nil} {
		d, ok := tSet.ByName(name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		if got := d.InnerSet(); got != want {
			t.Errorf("%s.InnerSet() = %v, want %v", name, got, want)
		}
	}
}
