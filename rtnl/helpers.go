package rtnl

import "nlsh/engine"

// Short constructors keep the attribute tables one line per attribute.
//
// Attribute sets and enums are composite literals, and these helpers are
// ones the compiler inlines into them, so that the descriptions are laid
// out as static data rather than built by package initialisation at every
// start (engine.NewAttrSet and engine.NewEnum, being variadic, would be).
// Structs (engine.NewStruct computes offsets), sub-message maps and the
// helpers that change their argument are still built at start-up.

func attr(name string, t uint16, k engine.Kind) *engine.AttrDesc {
	return &engine.AttrDesc{Name: name, Type: t, Kind: k}
}

func enumAttr(name string, t uint16, k engine.Kind, e *engine.Enum) *engine.AttrDesc {
	return &engine.AttrDesc{Name: name, Type: t, Kind: k, Enum: e}
}

func nest(name string, t uint16, set *engine.AttrSet) *engine.AttrDesc {
	return &engine.AttrDesc{Name: name, Type: t, Kind: engine.Nested, Set: set}
}

// nestFlagged marks a nest (or a sub-message format) that is sent with
// NLA_F_NESTED: iproute2 sets it there, and where the kernel parses the nest
// strictly it refuses the nest without it.
func nestFlagged(a *engine.AttrDesc) *engine.AttrDesc {
	a.NestFlag = true
	return a
}

func strct(name string, t uint16, s *engine.StructDesc) *engine.AttrDesc {
	return &engine.AttrDesc{Name: name, Type: t, Kind: engine.Struct, Struct: s}
}

func array(name string, t uint16, elem engine.Kind) *engine.AttrDesc {
	return &engine.AttrDesc{Name: name, Type: t, Kind: engine.Array, Elem: elem}
}

func sub(name string, t uint16, selector string, formats map[string]*engine.AttrDesc) *engine.AttrDesc {
	return &engine.AttrDesc{Name: name, Type: t, Kind: engine.SubMsg, Sub: &engine.SubMessage{Selector: selector, Formats: formats}}
}

// withDefault gives a sub-message the format for selector values it does
// not list.
func withDefault(a *engine.AttrDesc, def *engine.AttrDesc) *engine.AttrDesc {
	a.Sub.Default = def
	return a
}

func records(name string, t uint16, c *engine.Class) *engine.AttrDesc {
	return &engine.AttrDesc{Name: name, Type: t, Kind: engine.Records, Record: c}
}

// f is a struct field; fe a field with value names; pad an unnamed gap.
func f(name string, k engine.Kind) engine.Field { return engine.Field{Name: name, Kind: k} }

func fe(name string, k engine.Kind, e *engine.Enum) engine.Field {
	return engine.Field{Name: name, Kind: k, Enum: e}
}

// c gives a field its C name where pyroute2's differs (see engine.Field.CName).
// inHex shows a field's value in hex: a mask or a mark, as tc and ip write
// them.
func inHex(fl engine.Field) engine.Field {
	fl.Hint = engine.HintHex
	return fl
}

func c(cname string, fl engine.Field) engine.Field {
	fl.CName = cname
	return fl
}

func fsize(name string, k engine.Kind, size int) engine.Field {
	return engine.Field{Name: name, Kind: k, Size: size}
}

func pad(name string, size int) engine.Field {
	return engine.Field{Name: name, Kind: engine.Pad, Size: size}
}

// ev is one named enum value.
func ev(name string, v uint64) engine.EnumValue { return engine.EnumValue{Name: name, Value: v} }

func embedded(name string, t uint16, c *engine.Class) *engine.AttrDesc {
	return &engine.AttrDesc{Name: name, Type: t, Kind: engine.Embedded, Record: c}
}
