package helptext

import (
	"fmt"
	"strings"

	"nlsh/engine"
)

// UsageText is help(nl.socket): the call and what it does, for the
// function called name; ok is false when no function is.
func UsageText(name string) (text string, ok bool) {
	for _, u := range Usages {
		if u.Name == name {
			return usageText(u), true
		}
	}
	return "", false
}

// moduleAliases maps other words for the method sets to their names.
var moduleAliases = map[string]string{
	"socket": "sock", "sockets": "sock", "message": "msg", "messages": "msg",
}

// ModuleText is help(nl): the functions of the module or method set called
// name (or one of its other words, 'socket' for sock); ok is false when
// none is. route is NETLINK_ROUTE, whose classes help(rtnl) lists.
func ModuleText(route *engine.Protocol, name string) (text string, ok bool) {
	if m, found := moduleAliases[name]; found {
		name = m
	}
	for _, m := range Modules {
		if m.Name == name {
			return moduleText(route, m.Name, m.Text), true
		}
	}
	return "", false
}

// usageText is help(nl.socket): the call and what it does.
func usageText(u Usage) string {
	return u.Name + u.Args + "\n" + Indent("  ", u.Text)
}

// moduleText is help(nl): the functions of a module or method set.
func moduleText(route *engine.Protocol, name, doc string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n", name, doc)
	var rows [][]string
	for _, u := range Usages {
		if moduleOf(u.Name) == name {
			rows = append(rows, []string{u.Name + u.Args, summary(u.Text)})
		}
	}
	b.WriteString(Table(nil, rows))
	switch name {
	case "rtnl":
		b.WriteString("\nmessage classes: rtnl.CLASS([init]) builds one\n")
		b.WriteString(classTable(route))
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

// Overview is help(): what there is and how to learn more. route is
// NETLINK_ROUTE, whose message classes it lists.
func Overview(route *engine.Protocol) string {
	var b strings.Builder
	b.WriteString("nlsh — a netlink shell. Lua 5.1 with these modules:\n")
	var rows [][]string
	for _, m := range Modules {
		rows = append(rows, []string{m.Name, m.Text})
	}
	b.WriteString(Table(nil, rows))
	b.WriteString("help(nl), help('msg') and so on list each one's functions.\n")
	b.WriteString("\nFunctions\n")
	rows = nil
	for _, u := range Usages {
		if moduleOf(u.Name) == "" {
			rows = append(rows, []string{u.Name + u.Args, summary(u.Text)})
		}
	}
	b.WriteString(Table(nil, rows))
	b.WriteString("\nMessage classes: rtnl.CLASS([init]) builds one; help(rtnl.ifaddrmsg) shows its layout\n")
	b.WriteString(classTable(route))
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
