package luabind

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
)

// help for generic netlink: a family (help(f), help('ethtool')) lists its
// operations and groups; an operation (help('ethtool linkinfo-get'), or
// help(m) of one of its messages) its command numbers, how to call it and
// its attributes with the description's own doc text.

// familyText is help of a family.
func (e *Env) familyText(b *genl.Bound) string {
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
		s.WriteString(table([]string{"cmd", "name", "offers", "doc"}, rows))
	}
	return s.String()
}

// opText is help of one operation.
func (e *Env) opText(b *genl.Bound, op *genl.Op) string {
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

// genlHelpTopic explains 'FAMILY' or 'FAMILY OP'; ok is false when the
// topic names no family of the Env's namespace.
func (e *Env) genlHelpTopic(topic string) (string, bool) {
	fam, opName, _ := strings.Cut(topic, " ")
	if fam == "" || strings.ContainsAny(fam, "'\"(){}") {
		return "", false
	}
	b := e.boundForCompletion(e.genlFor(""), fam)
	if b == nil {
		return "", false
	}
	if opName == "" {
		return e.familyText(b), true
	}
	op := b.Op(strings.TrimSpace(opName))
	if op == nil {
		return fmt.Sprintf("%s has no operation %s%s; operations: %s\n", b.Name, quoteTopic(opName),
			suggestion(opName, b.Family().OpNames()), strings.Join(b.Family().OpNames(), ", ")), true
	}
	return e.opText(b, op), true
}

// genlHelpValue explains a family object or a generic netlink message.
func (e *Env) genlHelpValue(v lua.LValue) (string, bool) {
	switch x := v.(type) {
	case *lua.LUserData:
		if f, ok := x.Value.(*genlFamily); ok {
			if b := e.boundForCompletion(f.g, f.name); b != nil {
				return e.familyText(b), true
			}
		}
	case *lua.LTable:
		mt := e.typeOf(x)
		if mt == nil || mt.Family == "" {
			return "", false
		}
		tab, ok := e.protoOf(x).Dynamic.(*genl.Table)
		if !ok {
			return "", false
		}
		b := tab.ByName(mt.Family)
		if b == nil {
			return "", false
		}
		if op := b.Op(mt.Name); op != nil {
			return e.opText(b, op), true
		}
		return e.familyText(b), true
	}
	return "", false
}
