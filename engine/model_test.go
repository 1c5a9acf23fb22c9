package engine

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The parts of the model that YNL specs need and rtnetlink did not:
// variable-width integers, structs inside structs, array sets, NLA_F_NESTED
// by description, names in several forms, and builders that report errors.
var (
	mInner = NewStruct("inner", Field{Name: "lo", Kind: U16}, Field{Name: "hi", Kind: U16})
	mOuter = NewStruct("outer", Field{Name: "tag", Kind: U32}, Field{Name: "in", Kind: Struct, Struct: mInner})
	mElems = NewIndexedSet("elems", &AttrDesc{Kind: U32})
	mKids  = NewAttrSet("kids", "", &AttrDesc{Name: "kid-name", CName: "M_A_KID_NAME", Type: 1, Kind: Asciiz})
	mSet   = NewAttrSet("mset", "",
		&AttrDesc{Name: "big", Type: 1, Kind: Uint},
		&AttrDesc{Name: "neg", Type: 2, Kind: Sint},
		&AttrDesc{Name: "outer", Type: 3, Kind: Struct, Struct: mOuter},
		&AttrDesc{Name: "list", Type: 4, Kind: Nested, Set: mElems, NestFlag: true},
		&AttrDesc{Name: "kids", Type: 5, Kind: Nested, Set: mKids, NestFlag: true},
		&AttrDesc{Name: "plain", Type: 6, Kind: Nested, Set: mKids},
	)
	mClass = &Class{Name: "mmsg", Attrs: mSet}
)

func TestModelRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		attrs []any
		hex   string
	}{
		{"uint fits u32", []any{pairT("big", uint64(7))}, "08000100 07000000"},
		{"uint needs u64", []any{pairT("big", uint64(1<<40))}, "0c000100 00000000 00010000"},
		{"sint negative", []any{pairT("neg", int64(-2))}, "08000200 feffffff"},
		{"sint needs s64", []any{pairT("neg", int64(-1<<40))}, "0c000200 00000000 00ffffff"},
		{"struct in struct", []any{pairT("outer", Table{Map: map[string]any{"tag": uint64(1), "in": Table{Map: map[string]any{"lo": uint64(2), "hi": uint64(3)}}}})},
			"0c000300 01000000 02000300"},
		{"array set with NLA_F_NESTED", []any{pairT("list", Table{List: []any{pairT("1", uint64(5)), pairT("2", uint64(6))}})},
			"14000480 08000100 05000000 08000200 06000000"},
		{"C name and underscores", []any{pairT("kids", Table{List: []any{pairT("M_A_KID_NAME", "a")}}), pairT("plain", Table{List: []any{pairT("kid_name", "b")}})},
			"0c000580 06000100 61000000 0c000600 06000100 62000000"},
		{"nla_flags given wins over NestFlag", []any{Table{List: []any{"kids", Table{}}, Map: map[string]any{"nla_flags": uint64(0)}}},
			"04000500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := EncodeRecord(mClass, Table{Map: map[string]any{"attrs": Table{List: tc.attrs}}})
			if err != nil {
				t.Fatal(err)
			}
			want := unhex(t, tc.hex)
			if !bytes.Equal(b, want) {
				t.Fatalf("encoded\n got %x\nwant %x", b, want)
			}
			r := DecodeRecord(mClass, b)
			if r.Tail != nil {
				t.Fatalf("tail %x", r.Tail)
			}
			again, err := EncodeRecord(mClass, r)
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("re-encoded %x, %v; want %x", again, err, b)
			}
		})
	}
}

func pairT(name string, v any) Table { return Table{List: []any{name, v}} }

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	var b []byte
	s = strings.ReplaceAll(s, " ", "")
	for i := 0; i+1 < len(s); i += 2 {
		var c byte
		for _, d := range []byte(s[i : i+2]) {
			v, ok := hexDigit(d)
			if !ok {
				t.Fatalf("bad hex %q", s)
			}
			c = c<<4 | v
		}
		b = append(b, c)
	}
	return b
}

func TestModelDecodedValues(t *testing.T) {
	b := unhex(t, "0c000100 00000000 00010000 08000200 feffffff 0c000300 01000000 02000300 14000480 08000100 05000000 08000300 06000000")
	r := DecodeRecord(mClass, b)
	got := map[string]any{}
	for _, a := range r.Attrs {
		got[a.Name(mSet)] = a.Value
	}
	if got["big"] != uint64(1<<40) || got["neg"] != int64(-2) {
		t.Errorf("uint/sint decoded as %v, %v", got["big"], got["neg"])
	}
	in, _ := got["outer"].(*StructValue).Get("in")
	if hi, _ := in.(*StructValue).Get("hi"); hi != uint64(3) {
		t.Errorf("outer.in.hi = %v, want 3", hi)
	}
	list := got["list"].(*NestValue)
	var names []string
	for _, a := range list.Attrs {
		names = append(names, a.Name(list.Set))
	}
	if diff := cmp.Diff([]string{"1", "3"}, names); diff != "" {
		t.Errorf("array elements named by index (-want +got):\n%s", diff)
	}
}

func TestBuildersReportErrors(t *testing.T) {
	if _, err := MakeStruct("s", Field{Name: "a", Kind: Binary}); err == nil || !strings.Contains(err.Error(), "field a (binary) has no size") {
		t.Errorf("sizeless field: %v", err)
	}
	if _, err := MakeStruct("s", Field{Name: "a", Kind: U8}, Field{Name: "a", Kind: U8}); err == nil {
		t.Error("a field named twice was accepted")
	}
	if _, err := MakeStruct("s", Field{Name: "a", Kind: Struct}); err == nil {
		t.Error("a struct field without a layout was accepted")
	}
	s := NewAttrSet("s", "")
	if err := s.Insert(&AttrDesc{Name: "a", Type: 1, Kind: U8}); err != nil {
		t.Fatal(err)
	}
	if err := s.Insert(&AttrDesc{Name: "b", Type: 1, Kind: U8}); err == nil || !strings.Contains(err.Error(), "a and b are both number 1") {
		t.Errorf("duplicate number: %v", err)
	}
	if err := s.Insert(&AttrDesc{Name: "a", Type: 2, Kind: U8}); err == nil {
		t.Error("duplicate name accepted")
	}
}

// dirResolver answers for type 0x30 only, differently by direction, as a
// generic netlink family with directional command numbers does.
type dirResolver struct{}

func (dirResolver) Resolve(h Header, body []byte, dir Direction) *MsgType {
	if h.Type != 0x30 {
		return nil
	}
	return &MsgType{Name: dir.String(), Family: "fam", Type: 0x30}
}

func TestResolve(t *testing.T) {
	p := (&Protocol{Name: "dyn", Dynamic: dirResolver{}, Types: []*MsgType{{Name: "STATIC", Type: 0x20}}}).Build()
	for _, tc := range []struct {
		h    Header
		dir  Direction
		want string
	}{
		{Header{Type: NLMSG_ERROR}, DirAuto, "NLMSG_ERROR"},
		{Header{Type: 0x20}, DirAuto, "STATIC"},
		{Header{Type: 0x30, Flags: NLM_F_REQUEST}, DirAuto, "fam request"},
		{Header{Type: 0x30}, DirAuto, "fam reply"},
		{Header{Type: 0x30}, DirRequest, "fam request"},
		{Header{Type: 0x31}, DirAuto, ""},
	} {
		got := ""
		if mt := p.Resolve(tc.h, nil, tc.dir); mt != nil {
			got = mt.Title()
		}
		if got != tc.want {
			t.Errorf("Resolve(type %#x flags %#x, %s) = %q, want %q", tc.h.Type, tc.h.Flags, tc.dir, got, tc.want)
		}
	}
	r := NewRegistry(p)
	if r.ByName("dyn") != p || r.ByNumber(0) != p {
		t.Error("registry lookups failed")
	}
}

// TestWithEnum: a struct read with other value names keeps its bytes and
// leaves the original alone, and only a message type of the struct's
// class reads it so.
func TestWithEnum(t *testing.T) {
	s := NewStruct("s", Field{Name: "a", Kind: U8}, Field{Name: "pad", Kind: Pad, Size: 3}, Field{Name: "b", Kind: U32}, Field{Name: "addr", Kind: IPv4})
	en := NewEnum("b_names", EnumValue{Name: "B_ONE", Value: 1})
	w, err := s.WithEnum("b", en)
	if err != nil {
		t.Fatal(err)
	}
	if w.Size != s.Size || len(w.Fields) != len(s.Fields) || w.Fields[2].Offset != s.Fields[2].Offset || w.Fields[2].Enum != en {
		t.Errorf("WithEnum changed the layout or missed the field: %+v", w.Fields)
	}
	if s.Fields[2].Enum != nil {
		t.Error("WithEnum changed the original")
	}
	if i, ok := w.FieldIndex("addr"); !ok || i != 3 {
		t.Errorf("the copy finds addr at %d, %v", i, ok)
	}
	for _, bad := range []string{"nope", "addr"} {
		if _, err := s.WithEnum(bad, en); err == nil {
			t.Errorf("WithEnum(%q) gave no error", bad)
		}
	}

	c, other := &Class{Name: "c", Struct: s}, &Class{Name: "o", Struct: s}
	mt := &MsgType{Name: "T", Type: 16, Class: c, Fixed: w}
	for _, x := range []struct {
		c    *Class
		t    *MsgType
		want *StructDesc
	}{{c, mt, w}, {c, nil, s}, {other, mt, s}, {c, &MsgType{Class: c}, s}, {nil, mt, nil}} {
		if got := x.c.Layout(x.t); got != x.want {
			t.Errorf("Layout: got %p, want %p", got, x.want)
		}
	}
	b := []byte{7, 0, 0, 0, 1, 0, 0, 0, 10, 0, 0, 1}
	p := (&Protocol{Name: "p", Types: []*MsgType{mt}, Classes: []*Class{c}}).Build()
	r := (&Message{Header: Header{Type: 16}, Body: b}).Decode(p)
	if r.Fields == nil || r.Fields.Desc != w {
		t.Error("a message of type T decodes with its class's struct, not its own")
	}
}
