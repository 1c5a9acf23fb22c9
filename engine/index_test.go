package engine

import (
	"strings"
	"sync"
	"testing"
)

// TestLazyIndexConcurrent looks a fresh set, enum, struct and protocol up
// from many goroutines at once: the indexes are built on first use, and
// under -race any unsynchronised build shows.
func TestLazyIndexConcurrent(t *testing.T) {
	for range 20 {
		en := NewEnum("e", EnumValue{"A", 1}, EnumValue{"B", 300}, EnumValue{"C", 2})
		set := NewAttrSet("s", "S_", &AttrDesc{Name: "S_A", Type: 1, Kind: U32}, &AttrDesc{Name: "S_B", Type: 1000, Kind: U8, Enum: en})
		var fields []Field
		for _, n := range strings.Fields("a b c d e f g h i j k l m n o p q r s") {
			fields = append(fields, Field{Name: n, Kind: U8})
		}
		st := NewStruct("big", fields...)
		c := &Class{Name: "c", Attrs: set}
		p := (&Protocol{Name: "p", Types: []*MsgType{{Name: "T", Type: 20, Class: c}, {Name: "U", Type: 4000, Class: c}}, Classes: []*Class{c}}).Build()
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if d := set.ByType(1000); d == nil || d.Name != "S_B" {
					t.Errorf("ByType(1000) = %v", d)
				}
				if d, ok := set.ByName("S_A"); !ok || d.Type != 1 {
					t.Errorf("ByName(S_A) = %v", d)
				}
				if n, ok := en.NameOf(300); !ok || n != "B" {
					t.Errorf("NameOf(300) = %q", n)
				}
				if v, ok := en.Lookup("C"); !ok || v != 2 {
					t.Errorf("Lookup(C) = %d", v)
				}
				if i, ok := st.FieldIndex("r"); !ok || i != 17 {
					t.Errorf("FieldIndex(r) = %d, %v", i, ok)
				}
				if p.TypeByNumber(4000) == nil || p.TypeByNumber(20) == nil || p.Class("c") != c {
					t.Error("protocol lookups failed")
				}
			}()
		}
		wg.Wait()
	}
}

// TestAttrSetDuplicates: Insert refuses a number or name already taken,
// before and after the set is first used; Add's duplicates (a mistake in
// a description written in Go) panic when the set is first looked up.
func TestAttrSetDuplicates(t *testing.T) {
	s := NewAttrSet("s", "S_", &AttrDesc{Name: "S_A", Type: 1, Kind: U32})
	if err := s.Insert(&AttrDesc{Name: "S_B", Type: 1, Kind: U32}); err == nil || !strings.Contains(err.Error(), "both number 1") {
		t.Errorf("Insert of a taken number: %v", err)
	}
	if err := s.Insert(&AttrDesc{Name: "S_A", Type: 2, Kind: U32}); err == nil || !strings.Contains(err.Error(), "two attributes named S_A") {
		t.Errorf("Insert of a taken name: %v", err)
	}
	if err := s.Insert(&AttrDesc{Name: "S_C", Type: 3, Kind: U32, CName: "S_CEE"}); err != nil {
		t.Fatal(err)
	}
	if d, ok := s.ByName("S_CEE"); !ok || d.Type != 3 {
		t.Errorf("ByName(C name) after Insert = %v", d)
	}
	s.Add(&AttrDesc{Name: "S_D", Type: 4, Kind: U32})
	if d := s.ByType(4); d == nil || d.Name != "S_D" {
		t.Errorf("ByType after Add on a used set = %v", d)
	}

	bad := NewAttrSet("bad", "B_", &AttrDesc{Name: "B_A", Type: 1, Kind: U32})
	bad.Add(&AttrDesc{Name: "B_B", Type: 1, Kind: U32})
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "both number 1") {
			t.Errorf("looking up a set with a duplicate number: recover() = %v", r)
		}
	}()
	bad.ByType(1)
}

// TestMakeStructDuplicate: a field name used twice is refused.
func TestMakeStructDuplicate(t *testing.T) {
	if _, err := MakeStruct("s", Field{Name: "a", Kind: U8}, Field{Name: "_", Kind: Pad, Size: 1}, Field{Name: "_", Kind: Pad, Size: 2}, Field{Name: "a", Kind: U8}); err == nil || !strings.Contains(err.Error(), "field a appears twice") {
		t.Errorf("MakeStruct with a name twice: %v", err)
	}
}
