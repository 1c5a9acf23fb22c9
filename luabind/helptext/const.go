package helptext

import (
	"fmt"
	"strings"

	"nlsh/engine"
)

// constText is help('RTM_NEWADDR'): a constant's value and what it names.
func (c *Catalog) constText(k engine.Const) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s = %d (0x%x), a global (also nl.%s and rtnl.%s)\n", k.Name, k.Value, k.Value, k.Name, k.Name)
	if t := c.src.Route.TypeByName(k.Name); t != nil {
		what := "a message type (header.type)"
		if t.Class != nil {
			what += " of class rtnl." + t.Class.Name + ": " + orDash(t.Class.Doc)
		}
		fmt.Fprintf(&b, "  %s\n", what)
		if op := opText(t.Op); op != "" {
			fmt.Fprintf(&b, "  operation: %s\n", op)
		}
		b.WriteString(typeFlagsText(c.src.Route, t))
		b.WriteString(coreText(k.Name))
		return b.String()
	}
	for _, en := range c.enumsOf(k.Name) {
		if en == c.enum("nlmsg_type") {
			continue
		}
		users := c.enumUsers[en]
		fmt.Fprintf(&b, "  a name in %s, used by %s\n", enumTitle(en), ListSome(users, 6))
		if en == engine.AllFlags {
			b.WriteString("  set it with header.flags = NLM_F_REQUEST + NLM_F_ACK, or 'NLM_F_REQUEST|NLM_F_ACK'\n")
		}
	}
	for _, g := range c.src.Route.Groups {
		if g.Const == k.Name {
			fmt.Fprintf(&b, "  multicast group '%s': nl.events{'%s'} or nl.socket('route', {groups = {'%s'}})\n", g.Name, g.Name, g.Name)
		}
	}
	if _, ok := c.src.NetlinkH[k.Name]; ok {
		if strings.HasPrefix(k.Name, "NETLINK_") && k.Value <= 16 && !isSockOpt(k.Name) {
			b.WriteString("  a netlink protocol number (linux/netlink.h): nl.socket(" + k.Name + ")\n")
		} else {
			b.WriteString("  a SOL_NETLINK socket option (linux/netlink.h)\n")
		}
	}
	b.WriteString(coreText(k.Name))
	return b.String()
}

// isSockOpt tells the socket options of linux/netlink.h from the protocols.
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

// replyOnly are the header flags only the kernel sets, on what it sends.
var replyOnly = map[string]bool{
	"NLM_F_MULTI": true, "NLM_F_DUMP_INTR": true, "NLM_F_DUMP_FILTERED": true,
	"NLM_F_CAPPED": true, "NLM_F_ACK_TLVS": true,
}

// typeFlagsText says which header flags a message type takes as a request
// and which it carries from the kernel.
func typeFlagsText(route *engine.Protocol, t *engine.MsgType) string {
	var req []string
	for _, v := range engine.FlagsFor(t).Values {
		if !replyOnly[v.Name] {
			req = append(req, v.Name)
		}
	}
	var b strings.Builder
	switch {
	case t.Type == engine.NLMSG_ERROR:
		b.WriteString("  sent by the kernel only; the flags it carries:\n" + wrap("    ", []string{"NLM_F_CAPPED", "NLM_F_ACK_TLVS"}))
	case t.Type == engine.NLMSG_DONE:
		b.WriteString("  sent by the kernel only; the flags it carries:\n" +
			wrap("    ", []string{"NLM_F_MULTI", "NLM_F_DUMP_INTR", "NLM_F_ACK_TLVS"}))
	case t.Op == engine.OpGet:
		b.WriteString("  as a request it takes:\n" + wrap("    ", req))
		if n := newTypeOf(route, t); n != nil {
			fmt.Fprintf(&b, "  the kernel answers with %s messages (help('%s')), a dump ending with NLMSG_DONE\n", n.Name, n.Name)
		}
	case t.Op == engine.OpNew:
		b.WriteString("  as a request it takes:\n" + wrap("    ", req))
		b.WriteString("  from the kernel (a GET's answer, a dump, a notification) it carries:\n" +
			wrap("    ", []string{"NLM_F_MULTI (in a dump)", "NLM_F_DUMP_INTR", "NLM_F_DUMP_FILTERED"}))
	case t.Op == engine.OpDel:
		b.WriteString("  as a request it takes:\n" + wrap("    ", req))
		b.WriteString("  from the kernel (a notification of a deletion) it carries no flags\n")
	default:
		b.WriteString("  as a request it takes:\n" + wrap("    ", req))
	}
	return b.String()
}

// newTypeOf is the NEW type that answers GET type t: the one of the same
// class whose operation is OpNew.
func newTypeOf(route *engine.Protocol, t *engine.MsgType) *engine.MsgType {
	for _, n := range route.Types {
		if n.Class == t.Class && n.Op == engine.OpNew && n.Type+2 == t.Type {
			return n
		}
	}
	return nil
}
