package iproute

import "sort"

// What the shell's completion reads of the ip module (complete_ip.go in
// luabind): which functions take a command or a table, the commands, the
// kinds ip.tc sends, and the keys and value names of a call's table, from
// the same tables the verbs check and build with.

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

// IsVerb reports whether an instance's function name takes a command and
// a spec (ip.link('add', {…})), IsGetter whether it takes a filter
// (ip.links{…}), and Streams whether ip.each holds it too.
func IsVerb(name string) bool   { return ipVerbs[name] != nil }
func IsGetter(name string) bool { return ipGetters[name] != nil }
func Streams(name string) bool  { return ipEachGetters[name] != nil }

// Commands are the commands the verb name takes, or nil.
func Commands(name string) []string {
	if v := ipVerbs[name]; v != nil {
		return v().cmds
	}
	return nil
}

// TCKinds are the kinds ip.tc's command cmd takes ('htb' for 'add'),
// false for a command it lacks.
func TCKinds(cmd string) ([]string, bool) {
	tc, ok := tcCommands[cmd]
	if !ok {
		return nil, false
	}
	var kinds []string
	for k := range tcKinds(tc.object) {
		kinds = append(kinds, k)
	}
	return kinds, true
}

// Keys is the table one call takes: a verb's spec or a getter's filter,
// and the keys of the kind it names (ip.link's kind, ip.tc's), if any.
type Keys struct {
	verb *ipVerb
	use  keyUse
	kind *ipVerb
}

// KeysOf returns the table the function name takes: a getter's filter,
// or the spec of verb's command cmd; kind is the kind named (ip.tc's
// argument, or kind = '…' in the table), "" for none.
func KeysOf(name, cmd, kind string) (Keys, bool) {
	var k Keys
	if g := ipGetters[name]; g != nil {
		k.verb, k.use = g(), useFilter
	} else if v := ipVerbs[name]; v != nil {
		k.verb, k.use = v(), useChange
		switch cmd {
		case "get":
			k.use = useGet
		case "dump", "show", "flush":
			k.use = useFilter
		}
	} else {
		return Keys{}, false
	}
	if kind != "" {
		switch name {
		case "link", "links":
			k.kind = linkKindVerb(kind)
		case "tc":
			if tc, ok := tcCommands[cmd]; ok {
				k.kind, _ = tcKindVerb(tc.object, kind)
			}
		}
	}
	return k, true
}

// Names are the keys the table takes, the call's options (dry, echo,
// timeout) among them.
func (k Keys) Names() []string {
	names := k.verb.keyNames(k.use)
	if k.kind != nil {
		names = append(names, k.kind.keyNames(useChange)...)
	}
	for n := range options {
		names = append(names, n)
	}
	return names
}

// Values are the names key's value takes (proto = 'static'), false when
// it takes none by name; links gives the interface names.
func (k Keys) Values(key string, links func() []string) ([]string, bool) {
	ky := k.verb.key(key, k.use)
	if k.kind != nil {
		if kk := k.kind.key(key, useChange); kk != nil {
			ky = kk
		}
	}
	if ky == nil {
		return nil, false
	}
	switch ky.kind {
	case vEnum, vFlags:
		return ky.shortNames(), true
	case vFamily:
		return []string{"inet", "inet6", "bridge"}, true
	case vTable:
		return []string{"main", "local", "default"}, true
	case vIfindex, vIfname:
		return links(), true
	}
	switch ky.name {
	case "state":
		return []string{"up", "down"}, true
	case "kind":
		if k.verb == linkVerb() {
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

// sortedStrings returns s sorted.
func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
