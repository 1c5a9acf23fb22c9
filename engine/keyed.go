package engine

import (
	"fmt"
	"sort"
)

// Keyed turns attributes given as a table keyed by name ({["dev-name"] =
// "v0"}, the way generic netlink calls take them) into the list of pairs
// the encoder reads, in ascending attribute number, as the kernel's own
// tools send them. Names may be the set's, its C names or use '_' for '-'.
// Nested attributes given keyed are keyed in turn; a list where a multi-attr
// attribute goes is one attribute per element; a list where an array set
// goes is its elements, numbered from 1. A value that is already a list of
// pairs is kept as it is.
func Keyed(set *AttrSet, v Table) (Table, error) {
	return keyed(set, v, nil)
}

func keyed(set *AttrSet, v Table, path []string) (Table, error) {
	if len(v.Map) == 0 {
		return v, nil // a list of pairs, or nothing
	}
	if len(v.List) > 0 {
		return Table{}, keyErr(path, "attributes are given either keyed by name or as a list of {name, value} pairs, not both")
	}
	type item struct {
		d *AttrDesc
		p Table
	}
	var items []item
	keys := make([]string, 0, len(v.Map))
	for k := range v.Map {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "nla_flags" {
			continue
		}
		d, ok := set.ByName(k)
		if !ok {
			return Table{}, keyErr(path, fmt.Sprintf("unknown attribute '%s' in %s%s", k, setName(set), didYouMean(k, namesOf(set))))
		}
		val := v.Map[k]
		if b, isBool := val.(bool); isBool && !b && d.Kind == Flag {
			continue // a flag set to false is absent
		}
		inner := append(path, d.Name)
		if list, isList := val.(Table); isList && d.Multi && len(list.Map) == 0 && !isPairs(list) {
			for _, el := range list.List {
				x, err := keyedValue(set, d, el, v, inner)
				if err != nil {
					return Table{}, err
				}
				items = append(items, item{d, Table{List: []any{d.Name, x}}})
			}
			continue
		}
		x, err := keyedValue(set, d, val, v, inner)
		if err != nil {
			return Table{}, err
		}
		items = append(items, item{d, Table{List: []any{d.Name, x}}})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].d.Type < items[j].d.Type })
	out := Table{List: make([]any, len(items))}
	for i, it := range items {
		out.List[i] = it.p
	}
	return out, nil
}

// keyedValue converts one attribute's value: nests keyed in turn, array
// sets from lists, the rest as given.
func keyedValue(set *AttrSet, d *AttrDesc, val any, siblings Table, path []string) (any, error) {
	f := d
	if d.Kind == SubMsg {
		// The format is chosen by a sibling given in the same table.
		sel, ok := selectorFrom(set, d.Sub.Selector, siblings)
		if f = d.Sub.Format(sel, ok); f == nil {
			return val, nil
		}
	}
	t, isTable := val.(Table)
	if !isTable || f.Kind != Nested || f.Set == nil {
		return val, nil
	}
	if f.Set.Indexed != nil && len(t.Map) == 0 && !isPairs(t) {
		out := Table{List: make([]any, len(t.List))}
		for i, el := range t.List {
			x, err := keyedValue(f.Set, f.Set.ByType(uint16(i+1)), el, Table{}, append(path, fmt.Sprint(i+1)))
			if err != nil {
				return nil, err
			}
			out.List[i] = Table{List: []any{uint64(i + 1), x}}
		}
		return out, nil
	}
	return keyed(f.Set, t, path)
}

// isPairs reports whether a list is already {name, value} pairs.
func isPairs(t Table) bool {
	if len(t.List) == 0 {
		return false
	}
	p, ok := t.List[0].(Table)
	if !ok || len(p.List) != 2 {
		return false
	}
	switch p.List[0].(type) {
	case string, uint64, int64, float64:
		return true
	}
	return false
}

// selectorFrom reads a sub-message's selector from keyed siblings.
func selectorFrom(set *AttrSet, name string, siblings Table) (string, bool) {
	for k, v := range siblings.Map {
		if d, ok := set.ByName(k); ok && d.Name == name {
			return selectorOf(d, v)
		}
	}
	return "", false
}

func setName(set *AttrSet) string {
	if set == nil {
		return "this message (it has no attribute description)"
	}
	return set.Name
}

func keyErr(path []string, msg string) error {
	return &EncodeError{Path: append([]string(nil), path...), Msg: msg}
}
