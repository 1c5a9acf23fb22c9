package helptext

import (
	"fmt"
	"sort"

	"nlsh/engine"
)

// structText is a struct's layout: offset, size, name, type and value names
// of every field.
func structText(s *engine.StructDesc) string {
	var rows [][]string
	for _, f := range s.Fields {
		typ := f.Kind.String()
		if f.Kind == engine.Pad {
			typ = "padding"
		} else if f.Kind.Size() != f.Size {
			typ = fmt.Sprintf("%s[%d]", typ, f.Size)
		}
		names := ""
		if f.Enum != nil {
			names = enumTitle(f.Enum)
		}
		rows = append(rows, []string{fmt.Sprint(f.Offset), fmt.Sprint(f.Size), f.Label(), typ, joinNonEmpty("; ", names, f.Doc)})
	}
	out := fmt.Sprintf("struct %s, %d bytes\n", s.Name, s.Size) +
		Table([]string{"offset", "size", "field", "type", "names / doc"}, rows)
	if s.Flex != nil {
		out += fmt.Sprintf("  then %s: a list of struct %s filling the rest\n", s.FlexName, s.Flex.Name)
	}
	return out
}

// setText lists the attributes of a set: number, name, kind and doc.
func setText(s *engine.AttrSet) string {
	attrs := append([]*engine.AttrDesc(nil), s.Attrs...)
	sort.SliceStable(attrs, func(i, j int) bool { return attrs[i].Type < attrs[j].Type })
	var rows [][]string
	for _, d := range attrs {
		rows = append(rows, []string{fmt.Sprint(d.Type), d.Name, kindText(d), d.Doc})
	}
	return "attributes " + setTitle(s) + "\n" + Table([]string{"type", "name", "kind", "doc"}, rows)
}

// enumText lists an enum's names and values.
func enumText(en *engine.Enum) string {
	words := make([]string, 0, len(en.Values))
	for _, v := range en.Values {
		if en.Flags {
			words = append(words, fmt.Sprintf("%s=0x%x", v.Name, v.Value))
		} else {
			words = append(words, fmt.Sprintf("%s=%d", v.Name, v.Value))
		}
	}
	return enumTitle(en) + "\n" + wrap("  ", words)
}
