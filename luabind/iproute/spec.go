package iproute

import (
	"sort"
	"strings"

	"nlsh/engine"
)

// The ip module's spec tables. Every verb (ip.link, ip.addr, ip.route, …)
// has one table of keys, each naming what it sets: a field of the
// message's fixed header or an attribute, and the kind of value it takes.
// The table is derived from rtnl's descriptions — every header field by its
// name, every attribute by its short name (ifname for IFLA_IFNAME) — with
// the friendly keys people bring from pyroute2 and iproute2 laid over it
// (dev for RTA_OIF, given by name). The same table checks a call's keys
// (an unknown one is an error naming the closest), builds its message,
// reads its filter, completes its keys at the prompt and lists them in
// help. Raw attribute names (RTA_GATEWAY = '10.0.0.2') are keys too, for
// what no friendly key covers: their values go to the encoder as given.

// keyUse says which commands a key serves.
type keyUse uint8

const (
	useChange keyUse = 1 << iota // add, set, replace, del…: builds the request
	useFilter                    // dump, the getters and flush: selects messages
	useGet                       // get: names one object
	useAll    = useChange | useFilter | useGet
)

// useModes are the key uses a call reads its table for, one per mode.
var useModes = [...]keyUse{useChange, useFilter, useGet}

// modeOf is the index of use in useModes.
func modeOf(use keyUse) int {
	switch use {
	case useFilter:
		return 1
	case useGet:
		return 2
	}
	return 0
}

// valKind says how a key's value is read.
type valKind uint8

const (
	vRaw     valKind = iota // as the encoder takes it (a table for a nest or struct)
	vInt                    // a number (true and false are 1 and 0 for a one-byte value)
	vFlag                   // a flag attribute: present when true
	vBool                   // true or false, read by the verb
	vAddr                   // an IP address
	vPrefix                 // an address with its length, '10.0.0.0/8'
	vMAC                    // a link-layer address
	vString                 // text
	vEnum                   // a name of the key's enum, short or whole, or a number
	vFlags                  // names of the key's flags ('a|b', a list, '!a' clears), or a number
	vIfindex                // an interface, by name or index: sent as the index
	vIfname                 // an interface, by name or index: sent as the name
	vTable                  // a routing table: a number, main, local, default or an rt_tables name
	vFamily                 // an address family: AF_INET, 'inet6', …
	vSpecial                // read by the verb itself; typ says what it takes
)

// ipKey is one key of a verb's table.
type ipKey struct {
	name  string
	alias []string
	kind  valKind
	enum  *engine.Enum     // vEnum, vFlags: the names it takes
	field int              // the header field it sets, or -1
	attr  *engine.AttrDesc // the attribute it sets, or nil
	use   keyUse
	typ   string // vSpecial: what it takes, for help
	doc   string

	index int // its position in the verb's table
	short map[string]uint64
}

// ipVerb is one verb of the ip module and its table of keys.
type ipVerb struct {
	name   string        // "ip.route"
	class  *engine.Class // the message class it builds and reads
	prefix string        // its attributes' prefix, "RTA_"
	cmds   []string      // its commands, in help's order
	keys   []*ipKey      // the friendly keys first, in the order they go on the wire
	names  [3]map[string]*ipKey
	raw    map[string]*engine.AttrDesc // attributes by their whole names
	hints  map[string]string           // names from other tools, and what to use instead
}

// options are the keys every call takes besides its verb's: dry returns
// the message unsent, echo the object the kernel made, timeout bounds the
// wait; getters also take match, a function or a table of more keys.
var options = map[string]bool{"dry": true, "echo": true, "timeout": true}

// fieldKey is the key of a header field, named as the field.
func fieldKey(c *engine.Class, name string, kind valKind, use keyUse, doc string) *ipKey {
	i, ok := c.Struct.FieldIndex(name)
	if !ok {
		panic("ip: " + c.Name + " has no field " + name)
	}
	k := &ipKey{name: name, kind: kind, field: i, use: use, doc: doc}
	if kind == vEnum || kind == vFlags {
		k.enum = c.Struct.Fields[i].Enum
	}
	return k
}

// attrKey is the key of an attribute of c.
func attrKey(c *engine.Class, name, attr string, kind valKind, use keyUse, doc string) *ipKey {
	return setKey(c.Attrs, name, attr, kind, use, doc)
}

// setKey is the key of an attribute of set.
func setKey(set *engine.AttrSet, name, attr string, kind valKind, use keyUse, doc string) *ipKey {
	d, ok := set.ByName(attr)
	if !ok {
		panic("ip: " + set.Name + " has no attribute " + attr)
	}
	k := &ipKey{name: name, kind: kind, field: -1, attr: d, use: use, doc: doc}
	if kind == vEnum || kind == vFlags {
		k.enum = d.Enum
	}
	return k
}

// special is a key the verb reads itself.
func special(name, typ string, use keyUse, doc string) *ipKey {
	return &ipKey{name: name, kind: vSpecial, field: -1, use: use, typ: typ, doc: doc}
}

// also gives a key other names.
func (k *ipKey) also(names ...string) *ipKey {
	k.alias = append(k.alias, names...)
	return k
}

// valKindOf is how a field or attribute of wire kind k, named by en, is read.
func valKindOf(k engine.Kind, en *engine.Enum) valKind {
	switch {
	case en != nil && en.Flags:
		return vFlags
	case en != nil:
		return vEnum
	case k.IsInt():
		return vInt
	}
	switch k {
	case engine.IP, engine.IPv4, engine.IPv6:
		return vAddr
	case engine.LLAddr:
		return vMAC
	case engine.String, engine.Asciiz:
		return vString
	case engine.Flag:
		return vFlag
	}
	return vRaw
}

// shortName is an attribute's name without its set's prefix, in lower
// case: ifname for IFLA_IFNAME.
func shortName(name, prefix string) string {
	return strings.ToLower(strings.TrimPrefix(name, prefix))
}

// unsent names attributes no request carries: padding and unused numbers.
func unsent(name string) bool {
	return strings.HasSuffix(name, "_PAD") || strings.Contains(name, "_UNUSED") || strings.HasSuffix(name, "_UNSPEC")
}

// newVerb builds a verb's table: its friendly keys, then a key for every
// header field and every attribute of its class that no friendly key
// names already, in the class's order.
func newVerb(name string, c *engine.Class, prefix string, cmds []string, friendly ...*ipKey) *ipVerb {
	return newVerbSet(name, c, c.Attrs, prefix, cmds, friendly...)
}

// newVerbSet is newVerb deriving the attribute keys from set (a nest the
// verb fills, such as a link kind's IFLA_INFO_DATA) and the field keys
// from c, if any.
func newVerbSet(name string, c *engine.Class, set *engine.AttrSet, prefix string, cmds []string, friendly ...*ipKey) *ipVerb {
	v := &ipVerb{name: name, class: c, prefix: prefix, cmds: cmds, raw: map[string]*engine.AttrDesc{}}
	for _, k := range friendly {
		v.keys = append(v.keys, k)
	}
	// free is what a derived key named n may still serve: the uses no
	// key before it takes under that name.
	free := func(n string) keyUse {
		use := useAll
		for _, k := range v.keys {
			if k.name == n || hasString(k.alias, n) {
				use &^= k.use
			}
		}
		return use
	}
	if c != nil && c.Struct != nil {
		for i, f := range c.Struct.Fields {
			if f.Kind == engine.Pad {
				continue
			}
			if use := free(f.Name); use != 0 {
				v.keys = append(v.keys, &ipKey{name: f.Name, kind: valKindOf(f.Kind, f.Enum), enum: f.Enum, field: i, use: use, doc: f.Doc})
			}
		}
	}
	for _, d := range set.Attrs {
		if unsent(d.Name) {
			continue
		}
		v.raw[d.Name] = d
		n := shortName(d.Name, prefix)
		if use := free(n); use != 0 {
			v.keys = append(v.keys, &ipKey{name: n, kind: valKindOf(d.Kind, d.Enum), enum: d.Enum, field: -1, attr: d, use: use, doc: d.Doc})
		}
	}
	v.index()
	return v
}

// index numbers the keys and maps each name and alias, per mode.
func (v *ipVerb) index() {
	for m := range v.names {
		v.names[m] = map[string]*ipKey{}
	}
	for i, k := range v.keys {
		k.index = i
		if k.enum != nil && k.short == nil {
			k.short = enumShort(k.enum)
		}
		for m, use := range useModes {
			if k.use&use == 0 {
				continue
			}
			for _, n := range append([]string{k.name}, k.alias...) {
				if _, dup := v.names[m][n]; !dup {
					v.names[m][n] = k
				}
			}
		}
	}
}

// key returns the key named n in mode use, or nil.
func (v *ipVerb) key(n string, use keyUse) *ipKey { return v.names[modeOf(use)][n] }

// keyNames lists the names a call of mode use takes, sorted: for
// did-you-mean and completion. Raw attribute names are left out.
func (v *ipVerb) keyNames(use keyUse) []string {
	var names []string
	for n := range v.names[modeOf(use)] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// enumShort maps the short names of an enum's values to them: 'boot' for
// RTPROT_BOOT, the prefix common to all its names taken off.
func enumShort(en *engine.Enum) map[string]uint64 {
	prefix := ""
	if len(en.Values) > 1 {
		prefix = en.Values[0].Name
		for _, ev := range en.Values[1:] {
			for !strings.HasPrefix(ev.Name, prefix) {
				prefix = prefix[:len(prefix)-1]
			}
		}
		if i := strings.LastIndexByte(prefix, '_'); i >= 0 {
			prefix = prefix[:i+1]
		} else {
			prefix = ""
		}
	}
	m := make(map[string]uint64, len(en.Values))
	for _, ev := range en.Values {
		s := strings.ToLower(strings.TrimPrefix(ev.Name, prefix))
		if _, dup := m[s]; !dup {
			m[s] = ev.Value
		}
	}
	return m
}

// typeName says what a key takes, for help.
func (k *ipKey) typeName() string {
	switch k.kind {
	case vSpecial:
		return k.typ
	case vInt:
		if k.attr != nil && k.attr.Kind == engine.U8 {
			return "number or boolean"
		}
		return "number"
	case vFlag, vBool:
		return "boolean"
	case vAddr:
		return "address"
	case vPrefix:
		return "prefix"
	case vMAC:
		return "MAC address"
	case vString:
		return "string"
	case vEnum:
		return "name (" + someNames(k.short, 3) + ") or number"
	case vFlags:
		return "flag names (" + someNames(k.short, 3) + ") or number"
	case vIfindex:
		return "interface (name or index)"
	case vIfname:
		return "interface name (or index)"
	case vTable:
		return "table (number or name)"
	case vFamily:
		return "family (AF_INET, 'inet6', …)"
	}
	if k.attr != nil {
		switch k.attr.Kind {
		case engine.Nested, engine.SubMsg:
			return "table of attributes"
		case engine.Struct:
			return "table of fields"
		case engine.Records:
			return "list of records"
		case engine.Array:
			return "list"
		}
	}
	return "bytes"
}

// someNames lists up to n of a map's keys, sorted, with '…' if there are more.
func someNames(m map[string]uint64, n int) string {
	names := make([]string, 0, len(m))
	for s := range m {
		names = append(names, s)
	}
	sort.Strings(names)
	if len(names) > n {
		return strings.Join(names[:n], ", ") + ", …"
	}
	return strings.Join(names, ", ")
}

// sets names what a key sets, for help: IFLA_MTU, or the header's field.
func (k *ipKey) sets() string {
	switch {
	case k.attr != nil:
		return k.attr.Name
	case k.field >= 0:
		return "field"
	}
	return ""
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fieldIndex is the index of class c's header field name.
func fieldIndex(c *engine.Class, name string) int {
	i, ok := c.Struct.FieldIndex(name)
	if !ok {
		panic("ip: " + c.Name + " has no field " + name)
	}
	return i
}
