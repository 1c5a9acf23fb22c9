package helptext

import (
	"fmt"
	"strings"

	"nlsh/engine"
)

// bigEnum is the number of names past which a class's help only points at
// an enum instead of listing it.
const bigEnum = 24

// ClassText is help(rtnl.CLASS): the message types, how to build one, the
// struct, the attributes and the value names its fields use. route is the
// protocol c belongs to.
func ClassText(route *engine.Protocol, c *engine.Class) string {
	var b strings.Builder
	fmt.Fprintf(&b, "rtnl.%s — %s\n", c.Name, orDash(c.Doc))
	if len(c.Aliases) > 0 {
		fmt.Fprintf(&b, "  also called: %s\n", "rtnl."+strings.Join(c.Aliases, ", rtnl."))
	}
	var types []string
	for _, t := range append(engine.ControlTypes(), route.Types...) {
		if t.Class == c {
			types = append(types, fmt.Sprintf("%s (%d)", t.Name, t.Type))
		}
	}
	if len(types) > 0 {
		fmt.Fprintf(&b, "  message types: %s\n", strings.Join(types, ", "))
	}
	init := ""
	if c.Struct != nil {
		init = fieldExample(c.Struct)
	}
	fmt.Fprintf(&b, "  build one:     local m = rtnl.%s{%s}\n", c.Name, init)
	if c.Attrs != nil && len(c.Attrs.Attrs) > 0 {
		d := c.Attrs.Attrs[0]
		fmt.Fprintf(&b, "                 m.attrs = {{'%s', %s}}\n", d.Name, example(d))
	}
	if c.Struct != nil {
		b.WriteString("\n" + structText(c.Struct))
	}
	if c.Attrs != nil {
		b.WriteString("\n" + setText(c.Attrs))
	}
	var enums []*engine.Enum
	seen := map[*engine.Enum]bool{}
	addEnum := func(en *engine.Enum) {
		if en != nil && !seen[en] {
			seen[en] = true
			enums = append(enums, en)
		}
	}
	if c.Struct != nil {
		for _, f := range c.Struct.Fields {
			addEnum(f.Enum)
		}
	}
	if c.Attrs != nil {
		for _, d := range c.Attrs.Attrs {
			addEnum(d.Enum)
		}
	}
	if len(enums) > 0 {
		b.WriteString("\nvalue names\n")
		for _, en := range enums {
			if len(en.Values) > bigEnum {
				fmt.Fprintf(&b, "  %s: %d names; help('%s') lists them\n", enumTitle(en), len(en.Values), en.Name)
				continue
			}
			b.WriteString(Indent("  ", enumText(en)))
		}
	}
	b.WriteString("\nhelp('NAME') explains an attribute, a constant or a nested set named here.\n")
	return b.String()
}

// classTable lists the message classes with their docs.
func classTable(route *engine.Protocol) string {
	var rows [][]string
	for _, c := range route.Classes {
		doc := c.Doc
		if len(c.Aliases) > 0 {
			doc += " (also rtnl." + strings.Join(c.Aliases, ", rtnl.") + ")"
		}
		rows = append(rows, []string{"rtnl." + c.Name, doc})
	}
	return Table(nil, rows)
}
