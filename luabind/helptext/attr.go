package helptext

import (
	"fmt"
	"strings"

	"nlsh/engine"
)

// attrText is help('IFA_LOCAL'): one attribute of one set.
func (c *Catalog) attrText(ref attrRef) string {
	d := ref.desc
	var b strings.Builder
	fmt.Fprintf(&b, "%s — attribute %d of %s\n", d.Name, d.Type, setTitle(ref.set))
	if users := c.setUsers[ref.set]; len(users) > 0 {
		fmt.Fprintf(&b, "  in:    %s\n", ListSome(users, 8))
	}
	fmt.Fprintf(&b, "  kind:  %s\n", kindText(d))
	fmt.Fprintf(&b, "  value: %s\n", valueForm(d))
	if d.Doc != "" {
		fmt.Fprintf(&b, "  about: %s\n", d.Doc)
	}
	if d.Kind != engine.SubMsg {
		fmt.Fprintf(&b, "  write: {'%s', %s}\n", d.Name, example(d))
	}
	b.WriteString(coreText(d.Name))
	if d.Enum != nil {
		b.WriteString("\n" + enumText(d.Enum))
	}
	switch d.Kind {
	case engine.Nested:
		if d.Set != nil {
			b.WriteString("\n" + setText(d.Set))
		}
	case engine.Struct:
		b.WriteString("\n" + structText(d.Struct))
	case engine.Records, engine.Embedded:
		if d.Record.Struct != nil {
			b.WriteString("\n" + structText(d.Record.Struct))
		}
		if d.Record.Attrs != nil {
			fmt.Fprintf(&b, "  then attrs: %s\n", setTitle(d.Record.Attrs))
		}
	case engine.SubMsg:
		var rows [][]string
		for _, k := range sortedKeys(d.Sub.Formats) {
			rows = append(rows, []string{d.Sub.Selector + " = " + k, kindText(d.Sub.Formats[k])})
		}
		if d.Sub.Default != nil {
			rows = append(rows, []string{"any other " + d.Sub.Selector, kindText(d.Sub.Default)})
		}
		b.WriteString("\nlayouts\n" + Table(nil, rows))
	}
	return b.String()
}
