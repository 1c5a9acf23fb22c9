package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEncodeTailKey: the trailing bytes a decoded message or struct kept
// go back after everything else when the value comes as a script's table
// (TailKey), as they do from a *Record; other keys starting with '_' are
// still never sent.
func TestEncodeTailKey(t *testing.T) {
	hdr := []byte{2, 0, 0, 0, 5, 0, 0, 0}
	pair := []byte{1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff}
	tests := []struct {
		name string
		v    Table
		want []byte
	}{{
		name: "after the attributes",
		v: Table{Map: map[string]any{"family": uint64(2), "index": uint64(5), "_tail": "\x07\x07",
			"attrs": tbl(pairT("T_U8", uint64(1)))}},
		want: cat(hdr, []byte{5, 0, 1, 0, 1, 0, 0, 0}, []byte{7, 7}),
	}, {
		name: "a struct's, after its fields",
		v: Table{Map: map[string]any{"family": uint64(2), "index": uint64(5),
			"attrs": tbl(pairT("T_PAIR", Table{Map: map[string]any{"a": uint64(1), "b": int64(-2), "_tail": []byte{9}}}))}},
		want: cat(hdr, []byte{13, 0, 15, 0}, pair, []byte{9, 0, 0, 0}),
	}, {
		name: "a body too short for its header",
		v:    Table{Map: map[string]any{"_tail": "\x01\x02", "attrs": Table{}}},
		want: []byte{1, 2},
	}, {
		name: "other underscore keys stay the script's",
		v:    Table{Map: map[string]any{"family": uint64(2), "index": uint64(5), "_mine": "x"}},
		want: hdr,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeRecord(tClass, tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := EncodeRecord(tClass, Table{Map: map[string]any{"_tail": uint64(1)}}); err == nil {
		t.Error("a _tail that is not bytes encoded")
	}
}
