package luabind

import (
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/luabind/iproute"
)

// Completion for the ip module, from its spec tables: the commands of a
// verb in ip.link('…'), the kinds in ip.tc('add', '…'), the keys of the
// table a verb takes (ip.link('add', {…) and ip.links{…), and the names a
// key's value takes (proto = '…', state = '…').

// ipCallee returns the ip function a callee path names ("ip.link",
// "ns.route" for ns = ip.netns(…)), as its name, or "".
func (c *completer) ipCallee(callee string) string {
	i := strings.LastIndexByte(callee, '.')
	if i <= 0 {
		return ""
	}
	name := callee[i+1:]
	if !iproute.IsVerb(name) && !iproute.IsGetter(name) {
		return ""
	}
	recv := callee[:i]
	if r, ok := strings.CutSuffix(recv, ".each"); ok && iproute.IsGetter(name) && iproute.Streams(name) {
		recv = r // ip.each.routes{…} takes what ip.routes{…} takes
	}
	if recv == "ip" {
		return name
	}
	if t, ok := c.lookupPath(splitPath(recv)).(*lua.LTable); ok && c.e.ip != nil && c.e.ip.IsInstance(t) {
		return name
	}
	return ""
}

// ipStringNames proposes what a string argument of an ip call names: a
// verb's command, or ip.tc's kind.
func (c *completer) ipStringNames(top *frame) ([]string, bool) {
	if top == nil || top.open != '(' {
		return nil, false
	}
	name := c.ipCallee(top.callee)
	switch {
	case !iproute.IsVerb(name):
		return nil, false
	case top.elem == 0:
		return iproute.Commands(name), true
	case top.elem == 1 && name == "tc":
		return iproute.TCKinds(top.strs[0])
	}
	return nil, false
}

// ipSpecAt returns the keys of the ip call whose spec or filter table the
// frame at i is, if it is one.
func (c *completer) ipSpecAt(sc *scan, i int) (iproute.Keys, bool) {
	if i < 0 || sc.frames[i].open != '{' {
		return iproute.Keys{}, false
	}
	f := sc.frames[i]
	// ip.links{…}: the table opens right after the callee.
	if name := c.ipCallee(f.callee); iproute.IsGetter(name) {
		return iproute.KeysOf(name, "", ipKindAt(sc, ""))
	}
	if i == 0 {
		return iproute.Keys{}, false
	}
	p := sc.frames[i-1]
	if p.open != '(' {
		return iproute.Keys{}, false
	}
	name := c.ipCallee(p.callee)
	if iproute.IsGetter(name) && p.elem == 0 {
		return iproute.KeysOf(name, "", ipKindAt(sc, ""))
	}
	if !iproute.IsVerb(name) || p.elem == 0 {
		return iproute.Keys{}, false
	}
	kind := ""
	if name == "tc" && p.elem == 2 {
		kind = p.strs[1]
	}
	return iproute.KeysOf(name, p.strs[0], ipKindAt(sc, kind))
}

// ipKindAt is the kind a spec names: ip.tc's kind argument, or the last
// kind = '…' typed.
func ipKindAt(sc *scan, kind string) string {
	if m := reKindKey().FindAllStringSubmatch(sc.text, -1); kind == "" && m != nil {
		kind = m[len(m)-1][1]
	}
	return kind
}

var reKindKey = lazyRE(`\bkind\s*=\s*['"]([A-Za-z_0-9]+)['"]`)

// ipKeyNames lists the keys the table at the cursor takes, when it is an
// ip verb's spec or filter.
func (c *completer) ipKeyNames(sc *scan) []string {
	keys, ok := c.ipSpecAt(sc, len(sc.frames)-1)
	if !ok {
		return nil
	}
	return keys.Names()
}

// reKeyValue finds the key a string value is being typed for: "proto = '".
var reKeyValue = lazyRE(`\b([A-Za-z_][A-Za-z0-9_]*)\s*=\s*$`)

// ipValueNames proposes the names a key's value takes (proto = 'st…),
// when the string is a value in an ip verb's table.
func (c *completer) ipValueNames(sc *scan, ctx string) ([]string, bool) {
	m := reKeyValue().FindStringSubmatch(ctx)
	if m == nil {
		return nil, false
	}
	keys, ok := c.ipSpecAt(sc, len(sc.frames)-1)
	if !ok {
		return nil, false
	}
	return keys.Values(m[1], c.linkNames)
}
