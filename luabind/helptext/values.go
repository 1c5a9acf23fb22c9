package helptext

import "nlsh/engine"

// How an attribute looks: its kind in words, the form of its value in Lua,
// and a value a script would write.

// kindText names an attribute's wire kind, with its enum or inner layout.
func kindText(d *engine.AttrDesc) string {
	switch d.Kind {
	case engine.Nested:
		return "nested " + setTitle(d.Set)
	case engine.Struct:
		return "struct " + d.Struct.Name
	case engine.Array:
		return "array of " + d.Elem.String()
	case engine.SubMsg:
		return "sub-message chosen by " + d.Sub.Selector
	case engine.Records:
		return "records " + d.Record.Name
	case engine.Embedded:
		return "record " + d.Record.Name
	}
	s := d.Kind.String()
	if d.Enum != nil {
		s += ", " + enumTitle(d.Enum)
	}
	return s
}

func enumTitle(en *engine.Enum) string {
	if en.Flags {
		return "flags " + en.Name
	}
	return "enum " + en.Name
}

func setTitle(s *engine.AttrSet) string {
	if s == nil {
		return "(none)"
	}
	if s.Prefix != "" {
		return s.Name + " (" + s.Prefix + "*)"
	}
	return s.Name
}

// valueForm says how a value of kind d looks in Lua.
func valueForm(d *engine.AttrDesc) string {
	k := d.Kind
	switch {
	case k.IsInt() && d.Enum != nil && d.Enum.Flags:
		return "a number; flag names also work: 'A|B' or {'A', 'B'}"
	case k.IsInt() && d.Enum != nil:
		return "a number; its name (a constant) also works"
	case k == engine.U64 || k == engine.BE64:
		return "a number (beyond 2^53 a decimal string)"
	case k.IsInt():
		return "a number"
	}
	switch k {
	case engine.String, engine.Asciiz:
		return "a string"
	case engine.Binary:
		return "a string of bytes (printed as hex)"
	case engine.IPv4:
		return "an IPv4 address string: '10.0.0.1'"
	case engine.IPv6:
		return "an IPv6 address string: 'fe80::1'"
	case engine.IP:
		return "an address string: '10.0.0.1' or 'fe80::1'"
	case engine.LLAddr:
		return "a link-layer address string: 'aa:bb:cc:dd:ee:ff'"
	case engine.Flag:
		return "true: the attribute has no payload, being present is the value"
	case engine.Nested:
		return "a list of {name, value} pairs of " + setTitle(d.Set)
	case engine.Struct:
		return "a table of the fields of struct " + d.Struct.Name
	case engine.Array:
		return "a list of " + d.Elem.String() + " values"
	case engine.SubMsg:
		return "its layout depends on the value of the sibling attribute " + d.Sub.Selector
	case engine.Records:
		return "a list of records, each a table of the fields of " + d.Record.Name + " plus attrs"
	case engine.Embedded:
		return "a table of the fields of " + d.Record.Name + " plus attrs"
	}
	return "raw bytes"
}

// example is a value of kind d as a script would write it.
func example(d *engine.AttrDesc) string {
	k := d.Kind
	switch {
	case k.IsInt() && d.Enum != nil && len(d.Enum.Values) > 0:
		return "'" + d.Enum.Values[0].Name + "'"
	case k.IsInt():
		return "1"
	}
	switch k {
	case engine.String, engine.Asciiz:
		return "'text'"
	case engine.Binary:
		return "'\\1\\2'"
	case engine.IPv4, engine.IP:
		return "'10.0.0.1'"
	case engine.IPv6:
		return "'fe80::1'"
	case engine.LLAddr:
		return "'02:00:00:00:00:01'"
	case engine.Flag:
		return "true"
	case engine.Nested:
		if d.Set != nil && len(d.Set.Attrs) > 0 {
			return "{{'" + d.Set.Attrs[0].Name + "', " + example(d.Set.Attrs[0]) + "}}"
		}
		return "{}"
	case engine.Struct:
		return "{" + fieldExample(d.Struct) + "}"
	case engine.Array:
		return "{1, 2}"
	case engine.Records:
		return "{" + recordExample(d.Record) + "}"
	case engine.Embedded:
		return recordExample(d.Record)
	}
	return "nl.raw('\\1')"
}

// recordExample is a record table: a field and an attribute.
func recordExample(c *engine.Class) string {
	parts := []string{fieldExample(c.Struct)}
	if c.Attrs != nil && len(c.Attrs.Attrs) > 0 {
		a := c.Attrs.Attrs[0]
		if a.Kind != engine.Records && a.Kind != engine.Embedded {
			parts = append(parts, "attrs = {{'"+a.Name+"', "+example(a)+"}}")
		}
	}
	return "{" + joinNonEmpty(", ", parts...) + "}"
}

func fieldExample(s *engine.StructDesc) string {
	if s == nil {
		return ""
	}
	if i, ok := s.FieldIndex("family"); ok && s.Fields[i].Enum != nil {
		return "family = 'AF_INET'"
	}
	var withEnum *engine.Field
	for i, f := range s.Fields {
		switch {
		case !f.Kind.IsInt() || f.Name == "length":
		case f.Enum == nil:
			return f.Name + " = 1"
		case withEnum == nil && len(f.Enum.Values) > 0:
			withEnum = &s.Fields[i]
		}
	}
	if withEnum != nil {
		return withEnum.Name + " = '" + withEnum.Enum.Values[0].Name + "'"
	}
	return ""
}
