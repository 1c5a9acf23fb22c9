package luabind

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/genl"
	"nlsh/luabind/helptext"
	"nlsh/luabind/luaarg"
)

// help for generic netlink: which family (help(f), help('ethtool')) or
// operation (help('ethtool linkinfo-get'), or help(m) of one of its
// messages) a name or value means, found in the Env's namespace; helptext
// writes their texts.

// genlHelpTopic explains 'FAMILY' or 'FAMILY OP'; ok is false when the
// topic names no family of the Env's namespace.
func (e *Env) genlHelpTopic(topic string) (string, bool) {
	fam, opName, _ := strings.Cut(topic, " ")
	if fam == "" || strings.ContainsAny(fam, "'\"(){}") {
		return "", false
	}
	b := e.genl.Bound(fam, linkTimeout)
	if b == nil {
		return "", false
	}
	if opName == "" {
		return helptext.FamilyText(b), true
	}
	op := b.Op(strings.TrimSpace(opName))
	if op == nil {
		return fmt.Sprintf("%s has no operation %s%s; operations: %s\n", b.Name, helptext.QuoteTopic(opName),
			luaarg.Suggestion(opName, b.Family().OpNames()), strings.Join(b.Family().OpNames(), ", ")), true
	}
	return helptext.FamilyOpText(b, op), true
}

// genlHelpValue explains a family object or a generic netlink message.
func (e *Env) genlHelpValue(v lua.LValue) (string, bool) {
	switch x := v.(type) {
	case *lua.LUserData:
		if b, ok := e.genl.FamilyBound(x, linkTimeout); ok && b != nil {
			return helptext.FamilyText(b), true
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
			return helptext.FamilyOpText(b, op), true
		}
		return helptext.FamilyText(b), true
	}
	return "", false
}
