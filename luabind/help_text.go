package luabind

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"nlsh/engine"
	"nlsh/luabind/helptext"
)

// Help texts generated from the descriptions. Each builder returns text
// ending in a newline; help() prints it and docs/reference.md is made of the
// same texts, so the reference cannot drift from what the shell says.

// wrapWidth is where lists of names wrap.
const wrapWidth = 96

// bigEnum is the number of names past which a class's help only points at
// an enum instead of listing it.
const bigEnum = 24

// table renders rows as aligned columns, each line indented by two spaces.
func table(header []string, rows [][]string) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	write := func(cells []string) {
		fmt.Fprintf(tw, "  %s\n", strings.Join(cells, "\t"))
	}
	if header != nil {
		write(header)
	}
	for _, r := range rows {
		write(r)
	}
	tw.Flush()
	// tabwriter pads the last column too when a later row is longer.
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// wrap joins words into lines no longer than wrapWidth, each starting with
// indent.
func wrap(indent string, words []string) string {
	var b strings.Builder
	n := 0
	for _, w := range words {
		if n > 0 && n+1+len(w) > wrapWidth {
			b.WriteString("\n")
			n = 0
		}
		if n == 0 {
			b.WriteString(indent)
			n = len(indent)
		} else {
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	if n > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

// indentText indents every line of s by prefix.
func indentText(prefix, s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// summary is the start of a usage text for lists: its first sentence when
// that ends on the first line, else the first line.
func summary(s string) string {
	first, rest, more := strings.Cut(s, "\n")
	if i := strings.Index(first+" ", ". "); i >= 0 {
		return first[:i+1]
	}
	if more && rest != "" {
		return strings.TrimSuffix(first, ":") + " …"
	}
	return first
}

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
		table([]string{"offset", "size", "field", "type", "names / doc"}, rows)
	if s.Flex != nil {
		out += fmt.Sprintf("  then %s: a list of struct %s filling the rest\n", s.FlexName, s.Flex.Name)
	}
	return out
}

func joinNonEmpty(sep string, parts ...string) string {
	var ps []string
	for _, p := range parts {
		if p != "" {
			ps = append(ps, p)
		}
	}
	return strings.Join(ps, sep)
}

// setText lists the attributes of a set: number, name, kind and doc.
func setText(s *engine.AttrSet) string {
	attrs := append([]*engine.AttrDesc(nil), s.Attrs...)
	sort.SliceStable(attrs, func(i, j int) bool { return attrs[i].Type < attrs[j].Type })
	var rows [][]string
	for _, d := range attrs {
		rows = append(rows, []string{fmt.Sprint(d.Type), d.Name, kindText(d), d.Doc})
	}
	return "attributes " + setTitle(s) + "\n" + table([]string{"type", "name", "kind", "doc"}, rows)
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

// classText is help(rtnl.CLASS): the message types, how to build one, the
// struct, the attributes and the value names its fields use.
func (e *Env) classText(c *engine.Class) string {
	var b strings.Builder
	fmt.Fprintf(&b, "rtnl.%s — %s\n", c.Name, orDash(c.Doc))
	if len(c.Aliases) > 0 {
		fmt.Fprintf(&b, "  also called: %s\n", "rtnl."+strings.Join(c.Aliases, ", rtnl."))
	}
	var types []string
	for _, t := range append(engine.ControlTypes(), e.route.Types...) {
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
			b.WriteString(indentText("  ", enumText(en)))
		}
	}
	b.WriteString("\nhelp('NAME') explains an attribute, a constant or a nested set named here.\n")
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// attrText is help('IFA_LOCAL'): one attribute of one set.
func (e *Env) attrText(cat *catalog, ref attrRef) string {
	d := ref.desc
	var b strings.Builder
	fmt.Fprintf(&b, "%s — attribute %d of %s\n", d.Name, d.Type, setTitle(ref.set))
	if users := cat.setUsers[ref.set]; len(users) > 0 {
		fmt.Fprintf(&b, "  in:    %s\n", listSome(users, 8))
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
		b.WriteString("\nlayouts\n" + table(nil, rows))
	}
	return b.String()
}

// listSome joins up to max items, noting how many more there are.
func listSome(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:max], ", "), len(items)-max)
}

// constText is help('RTM_NEWADDR'): a constant's value and what it names.
func (e *Env) constText(cat *catalog, c engine.Const) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s = %d (0x%x), a global (also nl.%s and rtnl.%s)\n", c.Name, c.Value, c.Value, c.Name, c.Name)
	if t := e.route.TypeByName(c.Name); t != nil {
		what := "a message type (header.type)"
		if t.Class != nil {
			what += " of class rtnl." + t.Class.Name + ": " + orDash(t.Class.Doc)
		}
		fmt.Fprintf(&b, "  %s\n", what)
		if op := opText(t.Op); op != "" {
			fmt.Fprintf(&b, "  operation: %s\n", op)
		}
		b.WriteString(e.typeFlagsText(t))
		b.WriteString(coreText(c.Name))
		return b.String()
	}
	for _, en := range cat.enumsOf(c.Name) {
		if en == cat.enumByName("nlmsg_type") {
			continue
		}
		users := cat.enumUsers[en]
		fmt.Fprintf(&b, "  a name in %s, used by %s\n", enumTitle(en), listSome(users, 6))
		if en == engine.AllFlags {
			b.WriteString("  set it with header.flags = NLM_F_REQUEST + NLM_F_ACK, or 'NLM_F_REQUEST|NLM_F_ACK'\n")
		}
	}
	for _, g := range e.route.Groups {
		if g.Const == c.Name {
			fmt.Fprintf(&b, "  multicast group '%s': nl.events{'%s'} or nl.socket('route', {groups = {'%s'}})\n", g.Name, g.Name, g.Name)
		}
	}
	if _, ok := netlinkConsts[c.Name]; ok {
		if strings.HasPrefix(c.Name, "NETLINK_") && c.Value <= 16 && !isSockOpt(c.Name) {
			b.WriteString("  a netlink protocol number (linux/netlink.h): nl.socket(" + c.Name + ")\n")
		} else {
			b.WriteString("  a SOL_NETLINK socket option (linux/netlink.h)\n")
		}
	}
	b.WriteString(coreText(c.Name))
	return b.String()
}

// isSockOpt tells the socket options of netlinkConsts from the protocols.
func isSockOpt(n string) bool {
	switch n {
	case "NETLINK_ROUTE", "NETLINK_SOCK_DIAG", "NETLINK_NETFILTER", "NETLINK_GENERIC":
		return false
	}
	return true
}

func opText(op engine.Op) string {
	switch op {
	case engine.OpNew:
		return "create or change an object (a request), or report one (from the kernel)"
	case engine.OpDel:
		return "delete an object, or report its deletion"
	case engine.OpGet:
		return "ask for an object, or with NLM_F_DUMP for all of them"
	case engine.OpSet:
		return "change an existing object"
	}
	return ""
}

// enumByName returns the enum called n.
func (c *catalog) enumByName(n string) *engine.Enum { return c.enum(n) }

// usageText is help(nl.socket): the call and what it does.
func usageText(u helptext.Usage) string {
	return u.Name + u.Args + "\n" + indentText("  ", u.Text)
}

// moduleText is help(nl): the functions of a module or method set.
func (e *Env) moduleText(name, doc string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n", name, doc)
	var rows [][]string
	for _, u := range helptext.Usages {
		if moduleOf(u.Name) == name {
			rows = append(rows, []string{u.Name + u.Args, summary(u.Text)})
		}
	}
	b.WriteString(table(nil, rows))
	switch name {
	case "rtnl":
		b.WriteString("\nmessage classes: rtnl.CLASS([init]) builds one\n")
		b.WriteString(e.classTable())
		b.WriteString("\nrtnl.RTM_NEWADDR and every other constant are also globals.\n")
	case "nl":
		b.WriteString("\nnl.RTM_NEWADDR and every other constant are also globals.\n")
	case "sock":
		b.WriteString("\nsockets come from nl.socket(); sock stands for one.\n")
	case "msg":
		b.WriteString("\nmessages come from rtnl.CLASS(), rtnl.decode(), sock:recv() and sock:request();\n" +
			"nested attribute values and records have the same methods.\n")
	}
	return b.String()
}

// moduleOf is the module a usage name belongs to: "nl" for nl.pcap.open.
func moduleOf(name string) string {
	if i := strings.IndexAny(name, ".:"); i >= 0 {
		return name[:i]
	}
	return ""
}

// classTable lists the message classes with their docs.
func (e *Env) classTable() string {
	var rows [][]string
	for _, c := range e.route.Classes {
		doc := c.Doc
		if len(c.Aliases) > 0 {
			doc += " (also rtnl." + strings.Join(c.Aliases, ", rtnl.") + ")"
		}
		rows = append(rows, []string{"rtnl." + c.Name, doc})
	}
	return table(nil, rows)
}

// overviewText is help(): what there is and how to learn more.
func (e *Env) overviewText() string {
	var b strings.Builder
	b.WriteString("nlsh — a netlink shell. Lua 5.1 with these modules:\n")
	var rows [][]string
	for _, m := range helptext.Modules {
		rows = append(rows, []string{m.Name, m.Text})
	}
	b.WriteString(table(nil, rows))
	b.WriteString("help(nl), help('msg') and so on list each one's functions.\n")
	b.WriteString("\nFunctions\n")
	rows = nil
	for _, u := range helptext.Usages {
		if moduleOf(u.Name) == "" {
			rows = append(rows, []string{u.Name + u.Args, summary(u.Text)})
		}
	}
	b.WriteString(table(nil, rows))
	b.WriteString("\nMessage classes: rtnl.CLASS([init]) builds one; help(rtnl.ifaddrmsg) shows its layout\n")
	b.WriteString(e.classTable())
	b.WriteString(`
Constants are globals: RTM_NEWADDR, NLM_F_REQUEST, AF_INET, IFA_F_PERMANENT, RT_SCOPE_LINK, ...
help('NLM_F_ACK') explains one. Attribute names are strings inside pairs:
  m.attrs = {{'IFA_LOCAL', '10.0.0.1'}}      help('IFA_LOCAL') explains one.

At the prompt: an expression prints its value (=expr too); Tab completes names, fields,
attribute names and interface names; Ctrl-R searches the history; Ctrl-C stops a running
chunk; Ctrl-D quits. Top-level locals live on from line to line; a pasted block runs as
one chunk. A list of messages prints a line each (as ip -br); long results are cut short:
show(_) prints the last one whole.

lesson() lists lessons that teach netlink by doing: each sets a task in a namespace of its
own and checks your work against the kernel.
`)
	return b.String()
}
