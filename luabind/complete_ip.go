package luabind

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Completion for the ip module, from its spec tables: the commands of a
// verb in ip.link('…'), the kinds in ip.tc('add', '…'), the keys of the
// table a verb takes (ip.link('add', {…) and ip.links{…), and the names a
// key's value takes (proto = '…', state = '…').

// ipGetters are the getters, by name, and the verb whose filter each
// takes.
var ipGetters = map[string]func() *ipVerb{
	"links": linkVerb, "addrs": addrVerb, "routes": routeVerb, "neighs": neighVerb,
	"rules": ruleVerb, "qdiscs": tcVerb, "classes": tcVerb, "filters": tcVerb, "ntables": ntableVerb, "route_dumps": routeVerb,
}

// ipVerbs are the verbs taking a command, by name.
var ipVerbs = map[string]func() *ipVerb{
	"link": linkVerb, "addr": addrVerb, "route": routeVerb, "neigh": neighVerb, "fdb": neighVerb,
	"rule": ruleVerb, "tc": tcVerb, "brport": brportVerb, "stats": statsVerb,
}

// ipCallee returns the ip function a callee path names ("ip.link",
// "ns.route" for ns = ip.netns(…)), as its name, or "".
func (c *completer) ipCallee(callee string) string {
	i := strings.LastIndexByte(callee, '.')
	if i <= 0 {
		return ""
	}
	name := callee[i+1:]
	if ipVerbs[name] == nil && ipGetters[name] == nil {
		return ""
	}
	recv := callee[:i]
	if r, ok := strings.CutSuffix(recv, ".each"); ok && ipGetters[name] != nil && ipEachGetters[name] != nil {
		recv = r // ip.each.routes{…} takes what ip.routes{…} takes
	}
	if recv == "ip" {
		return name
	}
	if t, ok := c.lookupPath(splitPath(recv)).(*lua.LTable); ok && c.e.ip != nil && c.e.ip.instOf(t) != nil {
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
	verb := ipVerbs[name]
	switch {
	case verb == nil:
		return nil, false
	case top.elem == 0:
		return verb().cmds, true
	case top.elem == 1 && name == "tc":
		tc, ok := tcCommands[top.strs[0]]
		if !ok {
			return nil, false
		}
		var kinds []string
		for k := range tcKinds(tc.object) {
			kinds = append(kinds, k)
		}
		return kinds, true
	}
	return nil, false
}

// ipSpecAt returns the call whose spec or filter table the frame at i is,
// with the keys it takes: the verb, the use, and the kind's table, if any.
func (c *completer) ipSpecAt(sc *scan, i int) (*ipVerb, keyUse, *ipVerb) {
	if i < 0 || sc.frames[i].open != '{' {
		return nil, 0, nil
	}
	f := sc.frames[i]
	// ip.links{…}: the table opens right after the callee.
	if g := ipGetters[c.ipCallee(f.callee)]; g != nil {
		return g(), useFilter, ipKindAt(sc, c.ipCallee(f.callee), "", "")
	}
	if i == 0 {
		return nil, 0, nil
	}
	p := sc.frames[i-1]
	if p.open != '(' {
		return nil, 0, nil
	}
	name := c.ipCallee(p.callee)
	if g := ipGetters[name]; g != nil && p.elem == 0 {
		return g(), useFilter, ipKindAt(sc, name, "", "")
	}
	verb := ipVerbs[name]
	if verb == nil || p.elem == 0 {
		return nil, 0, nil
	}
	cmd := p.strs[0]
	use := useChange
	switch cmd {
	case "get":
		use = useGet
	case "dump", "show", "flush":
		use = useFilter
	}
	kind := ""
	if name == "tc" && p.elem == 2 {
		kind = p.strs[1]
	}
	return verb(), use, ipKindAt(sc, name, cmd, kind)
}

// ipKindAt is the table of the kind a spec names (ip.tc's kind
// argument, or the last kind = '…' typed), or nil.
func ipKindAt(sc *scan, name, cmd, kind string) *ipVerb {
	if m := reKindKey().FindAllStringSubmatch(sc.text, -1); kind == "" && m != nil {
		kind = m[len(m)-1][1]
	}
	if kind == "" {
		return nil
	}
	switch name {
	case "link", "links":
		return linkKindVerb(kind)
	case "tc":
		if tc, ok := tcCommands[cmd]; ok {
			v, _ := tcKindVerb(tc.object, kind)
			return v
		}
	}
	return nil
}

var reKindKey = lazyRE(`\bkind\s*=\s*['"]([A-Za-z_0-9]+)['"]`)

// ipKeyNames lists the keys the table at the cursor takes, when it is an
// ip verb's spec or filter.
func (c *completer) ipKeyNames(sc *scan) []string {
	verb, use, kind := c.ipSpecAt(sc, len(sc.frames)-1)
	if verb == nil {
		return nil
	}
	names := verb.keyNames(use)
	if kind != nil {
		names = append(names, kind.keyNames(useChange)...)
	}
	for n := range options {
		names = append(names, n)
	}
	return names
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
	verb, use, kind := c.ipSpecAt(sc, len(sc.frames)-1)
	if verb == nil {
		return nil, false
	}
	k := verb.key(m[1], use)
	if kind != nil {
		if kk := kind.key(m[1], useChange); kk != nil {
			k = kk
		}
	}
	if k == nil {
		return nil, false
	}
	switch k.kind {
	case vEnum, vFlags:
		return k.shortNames(), true
	case vFamily:
		return []string{"inet", "inet6", "bridge"}, true
	case vTable:
		return []string{"main", "local", "default"}, true
	case vIfindex, vIfname:
		return c.linkNames(), true
	}
	switch k.name {
	case "state":
		return []string{"up", "down"}, true
	case "kind":
		if verb == linkVerb() {
			return linkKindNames(), true
		}
	}
	return nil, false
}

// linkKindNames are the kinds ip.link describes.
func linkKindNames() []string {
	info := attrDesc(linkVerb().class, "IFLA_LINKINFO").Set
	d, _ := info.ByName("IFLA_INFO_DATA")
	names := []string{"tun", "tap", "ifb"}
	for k := range d.Sub.Formats {
		names = append(names, k)
	}
	return names
}
