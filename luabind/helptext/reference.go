package helptext

import (
	"fmt"
	"sort"
	"strings"

	"nlsh/engine"
)

// Reference renders docs/reference.md: the texts help() prints for every
// module, function, message class, attribute set and group of constants,
// assembled into one Markdown page. ipKeys(name) lists the keys of the ip
// function called name ("" when it takes none): the ip module knows them.
func (c *Catalog) Reference(ipKeys func(name string) string) string {
	var b strings.Builder
	route := c.src.Route
	block := func(text string) {
		b.WriteString("```text\n" + strings.TrimRight(text, "\n") + "\n```\n\n")
	}
	b.WriteString("# nlsh reference\n\n")
	b.WriteString("<!-- Generated from the descriptions by `go test ./luabind -run TestReferenceIsCurrent -update`. Do not edit. -->\n\n")
	b.WriteString("Everything here is also what `help()` prints inside nlsh: `help(nl.socket)`,\n" +
		"`help(rtnl.ifaddrmsg)`, `help('IFA_LOCAL')`, `help('RTM_NEWADDR')`. The\n" +
		"[Lua API guide](lua-api.md) explains the same things with examples.\n\n")
	b.WriteString("- [Overview](#overview)\n- [Functions](#functions)\n- [The ip module's keys](#the-ip-modules-keys)\n- [Message classes](#message-classes)\n" +
		"- [Attribute sets](#attribute-sets)\n- [Value names](#value-names)\n- [Message types](#message-types)\n" +
		"- [Multicast groups](#multicast-groups)\n\n")

	b.WriteString("## Overview\n\n")
	block(Overview(route))

	b.WriteString("## Functions\n\n")
	for _, m := range Modules {
		var texts []string
		for _, u := range Usages {
			if moduleOf(u.Name) == m.Name {
				texts = append(texts, usageText(u))
			}
		}
		if len(texts) == 0 {
			continue
		}
		fmt.Fprintf(&b, "### %s\n\n%s.\n\n", m.Name, upperFirst(m.Text))
		block(strings.Join(texts, "\n"))
	}
	var globals []string
	for _, u := range Usages {
		if moduleOf(u.Name) == "" {
			globals = append(globals, usageText(u))
		}
	}
	b.WriteString("### Global functions\n\n")
	block(strings.Join(globals, "\n"))

	b.WriteString("## The ip module's keys\n\n")
	b.WriteString("The keys each ip function's table takes, from the one table each verb checks,\n" +
		"builds and filters with (`help('ip.link')` shows the same).\n\n")
	for _, u := range Usages {
		if keys := ipKeys(u.Name); keys != "" {
			fmt.Fprintf(&b, "### %s\n\n", u.Name)
			block(strings.TrimPrefix(keys, "\n"))
		}
	}

	b.WriteString("## Message classes\n\n")
	for _, cl := range route.Classes {
		fmt.Fprintf(&b, "### rtnl.%s\n\n", cl.Name)
		block(ClassText(route, cl))
	}

	b.WriteString("## Attribute sets\n\n")
	b.WriteString("Every set of attributes, top-level and nested, sorted by name.\n\n")
	sets := append([]*engine.AttrSet(nil), c.sets...)
	sort.SliceStable(sets, func(i, j int) bool { return sets[i].Name < sets[j].Name })
	for _, s := range sets {
		fmt.Fprintf(&b, "### %s\n\n", s.Name)
		block(setText(s) + "  used by: " + ListSome(c.setUsers[s], 8) + "\n")
	}

	b.WriteString("## Value names\n\n")
	b.WriteString("Names of the values of fields and attributes. Each name is also a global constant.\n\n")
	enums := append([]*engine.Enum(nil), c.enums...)
	sort.SliceStable(enums, func(i, j int) bool { return enums[i].Name < enums[j].Name })
	for _, en := range enums {
		if en.Name == "nlmsg_type" {
			continue // the message types table below
		}
		fmt.Fprintf(&b, "### %s\n\n", en.Name)
		block(enumText(en) + "  used by: " + ListSome(c.enumUsers[en], 8) + "\n")
	}

	b.WriteString("## Message types\n\n")
	var rows [][]string
	for _, t := range append(engine.ControlTypes(), route.Types...) {
		class := "-"
		if t.Class != nil {
			class = "rtnl." + t.Class.Name
		}
		rows = append(rows, []string{t.Name, fmt.Sprint(t.Type), class})
	}
	block(Table([]string{"name", "number", "class"}, rows))

	b.WriteString("## Multicast groups\n\n")
	rows = nil
	for _, g := range route.Groups {
		rows = append(rows, []string{g.Name, g.Const, fmt.Sprint(g.Number)})
	}
	block(Table([]string{"name", "constant", "number"}, rows))
	return strings.TrimRight(b.String(), "\n") + "\n"
}
