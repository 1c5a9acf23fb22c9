package rtnl

import (
	"fmt"
	"testing"

	"nlsh/engine"
)

// TestIndexes looks every attribute, enum value, struct field and message
// type of the protocol up, by number and by name. The engine builds these
// indexes on first use, so a number or name described twice would only
// panic when a program first looked at that set: here, every set is looked
// at.
func TestIndexes(t *testing.T) {
	w := &walker{want: map[string]uint64{}, seenSets: map[*engine.AttrSet]bool{}, seenStructs: map[*engine.StructDesc]bool{}}
	for _, c := range Route.Classes {
		w.class(c)
	}
	check := func(what string, fn func() error) {
		t.Helper()
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("%s: %v", what, r)
			}
		}()
		if err := fn(); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	enums := map[*engine.Enum]bool{}
	for _, e := range Route.Enums {
		enums[e] = true
	}
	for s := range w.seenSets {
		check("set "+s.Name, func() error {
			for _, a := range s.Attrs {
				if got := s.ByType(a.Type); got != a {
					return fmt.Errorf("ByType(%d) = %v, want %s", a.Type, got, a.Name)
				}
				if got, ok := s.ByName(a.Name); !ok || got != a {
					return fmt.Errorf("ByName(%s) = %v", a.Name, got)
				}
				if a.Enum != nil {
					enums[a.Enum] = true
				}
			}
			return nil
		})
	}
	for s := range w.seenStructs {
		check("struct "+s.Name, func() error {
			for i, f := range s.Fields {
				if f.Enum != nil {
					enums[f.Enum] = true
				}
				if f.Kind == engine.Pad {
					continue
				}
				if got, ok := s.FieldIndex(f.Name); !ok || got != i {
					return fmt.Errorf("FieldIndex(%s) = %d, %v, want %d", f.Name, got, ok, i)
				}
			}
			return nil
		})
	}
	for e := range enums {
		check("enum "+e.Name, func() error {
			for _, v := range e.Values {
				if got, ok := e.Lookup(v.Name); !ok || got != v.Value {
					return fmt.Errorf("Lookup(%s) = %d, %v, want %d", v.Name, got, ok, v.Value)
				}
				if n, ok := e.NameOf(v.Value); !ok {
					return fmt.Errorf("NameOf(%d) found no name (%s has it)", v.Value, v.Name)
				} else if got, _ := e.Lookup(n); got != v.Value {
					return fmt.Errorf("NameOf(%d) = %s, which is %d", v.Value, n, got)
				}
			}
			return nil
		})
	}
	for _, mt := range Route.Types {
		if got := Route.TypeByNumber(mt.Type); got != mt {
			t.Errorf("TypeByNumber(%d) = %v, want %s", mt.Type, got, mt.Name)
		}
		if got := Route.TypeByName(mt.Name); got != mt {
			t.Errorf("TypeByName(%s) = %v", mt.Name, got)
		}
	}
	for _, c := range Route.Classes {
		if Route.Class(c.Name) != c {
			t.Errorf("Class(%s) is not the class", c.Name)
		}
	}
	if len(w.seenSets) < 50 {
		t.Errorf("walked only %d attribute sets", len(w.seenSets))
	}
}
