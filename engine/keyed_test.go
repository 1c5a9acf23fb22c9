package engine

import (
	"bytes"
	"strings"
	"testing"
)

func TestKeyed(t *testing.T) {
	hdr := NewAttrSet("header", "", &AttrDesc{Name: "dev-index", Type: 1, Kind: U32}, &AttrDesc{Name: "dev-name", CName: "K_A_HEADER_DEV_NAME", Type: 2, Kind: Asciiz})
	elems := NewIndexedSet("vals", &AttrDesc{Kind: U16})
	set := NewAttrSet("top", "",
		&AttrDesc{Name: "header", Type: 1, Kind: Nested, Set: hdr, NestFlag: true},
		&AttrDesc{Name: "on", Type: 2, Kind: Flag},
		&AttrDesc{Name: "addr", Type: 3, Kind: U32, Multi: true},
		&AttrDesc{Name: "vals", Type: 4, Kind: Nested, Set: elems, NestFlag: true},
		&AttrDesc{Name: "kind", Type: 5, Kind: Asciiz},
		&AttrDesc{Name: "data", Type: 6, Kind: SubMsg, Sub: &SubMessage{Selector: "kind", Formats: map[string]*AttrDesc{"hdr": {Kind: Nested, Set: hdr}}}},
	)
	c := &Class{Name: "k", Attrs: set}
	for _, tc := range []struct {
		name string
		in   map[string]any
		hex  string
		err  string
	}{
		{"ascending numbers, nests keyed, Lua-style and C names", map[string]any{
			"on":     true,
			"header": Table{Map: map[string]any{"dev_name": "v0", "dev-index": uint64(3)}},
		}, "14000180 08000100 03000000 07000200 76300000 04000200", ""},
		{"a false flag is absent; multi-attr from a list", map[string]any{"on": false, "addr": Table{List: []any{uint64(1), uint64(2)}}},
			"08000300 01000000 08000300 02000000", ""},
		{"array set from a list, numbered from 1", map[string]any{"vals": Table{List: []any{uint64(7), uint64(8)}}},
			"14000480 06000100 07000000 06000200 08000000", ""},
		{"sub-message keyed by its selector", map[string]any{"kind": "hdr", "data": Table{Map: map[string]any{"K_A_HEADER_DEV_NAME": "x"}}},
			"08000500 68647200 0c000600 06000200 78000000", ""},
		{"unknown name", map[string]any{"headr": Table{}}, "", "unknown attribute 'headr' in top (did you mean 'header'?)"},
		{"unknown nested name", map[string]any{"header": Table{Map: map[string]any{"dev": "x"}}}, "", "header: unknown attribute 'dev' in header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pairs, err := Keyed(set, Table{Map: tc.in})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, err := EncodeRecord(c, Table{Map: map[string]any{"attrs": pairs}})
			if err != nil {
				t.Fatal(err)
			}
			if want := unhex(t, tc.hex); !bytes.Equal(b, want) {
				t.Errorf("got  %x\nwant %x", b, want)
			}
		})
	}
}
