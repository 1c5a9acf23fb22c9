package helptext

import (
	"fmt"
	"strings"

	"nlsh/engine"
	"nlsh/genl"
)

// help for generic netlink: a family lists its operations and groups; an
// operation its command numbers, how to call it and its attributes with the
// description's own doc text.

// FamilyText is help of a generic netlink family, as bound in a
// namespace: its id, groups and operations.
func FamilyText(b *genl.Bound) string {
	f := b.Family()
	var s strings.Builder
	fmt.Fprintf(&s, "generic netlink family %s — %s\n", b.Name, orDash(firstLine(f.Doc)))
	fmt.Fprintf(&s, "  id %d, version %d; described by: %s\n", b.ID, b.Kernel.Version, f.Source)
	if err := b.Err(); err != nil {
		fmt.Fprintf(&s, "  (its description failed: %v)\n", err)
	}
	if len(b.Kernel.Groups) > 0 {
		var gs []string
		for _, g := range b.Kernel.Groups {
			gs = append(gs, fmt.Sprintf("%s (%d)", g.Name, g.ID))
		}
		fmt.Fprintf(&s, "  multicast groups: %s\n", strings.Join(gs, ", "))
	}
	fmt.Fprintf(&s, "  local f = genl.family('%s'); f:ops(), f:doit(op, attrs), f:dumpit(op, attrs)\n", b.Name)
	var rows [][]string
	for _, op := range f.Ops {
		if op.Req < 0 {
			continue
		}
		how := []string{}
		fl, known := b.KernelOp(op.Req)
		if known && fl&genl.FlagCapDo != 0 || !known && op.Do {
			how = append(how, "do")
		}
		if known && fl&genl.FlagCapDump != 0 || !known && op.Dump {
			how = append(how, "dump")
		}
		if known && fl&(genl.FlagAdminPerm|genl.FlagUnsAdminPerm) != 0 {
			how = append(how, "admin")
		}
		if !known && len(b.Kernel.Ops) > 0 {
			how = append(how, "not in this kernel")
		}
		rows = append(rows, []string{fmt.Sprint(op.Req), op.Name, strings.Join(how, ","), firstLine(op.Doc)})
	}
	if len(rows) > 0 {
		s.WriteString("\noperations (help('" + b.Name + " OP') for one)\n")
		s.WriteString(Table([]string{"cmd", "name", "offers", "doc"}, rows))
	}
	return s.String()
}

// FamilyOpText is help of one operation of a family: its command numbers,
// how to call it and its attributes.
func FamilyOpText(b *genl.Bound, op *genl.Op) string {
	var s strings.Builder
	fmt.Fprintf(&s, "%s %s — %s\n", b.Name, op.Name, orDash(op.Doc))
	if op.CName != "" {
		fmt.Fprintf(&s, "  C name: %s\n", op.CName)
	}
	switch {
	case op.Req < 0:
		fmt.Fprintf(&s, "  a notification, command %d: f:subscribe(group) delivers it\n", op.Reply)
	case op.Req == op.Reply:
		fmt.Fprintf(&s, "  command %d in requests and replies\n", op.Req)
	case op.Reply < 0:
		fmt.Fprintf(&s, "  command %d in requests; it is answered by an acknowledgement only\n", op.Req)
	default:
		fmt.Fprintf(&s, "  command %d in requests, %d in replies\n", op.Req, op.Reply)
	}
	if op.Req >= 0 {
		call := "doit"
		if !op.Do && op.Dump {
			call = "dumpit"
		}
		fmt.Fprintf(&s, "  call: genl.family('%s'):%s('%s', {%s})\n", b.Name, call, op.Name, keyExample(op))
	}
	if len(op.ReqAttrs) > 0 {
		fmt.Fprintf(&s, "  request attributes: %s\n", strings.Join(op.ReqAttrs, ", "))
	}
	if len(op.ReplyAttrs) > 0 {
		fmt.Fprintf(&s, "  reply attributes:   %s\n", strings.Join(op.ReplyAttrs, ", "))
	}
	if op.Set != nil && len(op.Set.Attrs) > 0 {
		s.WriteString("\n" + setText(op.Set))
	}
	return s.String()
}

// keyExample is the first request attribute as a key = value example.
func keyExample(op *genl.Op) string {
	names := op.ReqAttrs
	if len(names) == 0 {
		return ""
	}
	d, ok := op.Set.ByName(names[0])
	if !ok {
		return ""
	}
	key := strings.ReplaceAll(d.Name, "-", "_")
	if d.Kind == engine.Nested && d.Set != nil && d.Set.Indexed == nil && len(d.Set.Attrs) > 0 {
		in := d.Set.Attrs[0]
		for _, a := range d.Set.Attrs {
			if strings.Contains(a.Name, "name") {
				in = a
				break
			}
		}
		return fmt.Sprintf("%s = {%s = %s}", key, strings.ReplaceAll(in.Name, "-", "_"), example(in))
	}
	return fmt.Sprintf("%s = %s", key, example(d))
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
