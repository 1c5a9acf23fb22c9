package iproute

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
	"nlsh/rtnl"
)

// ipCall is one call of a verb: the instance it runs on, its spec read
// into the verb's table (a slot per key), and its options.
type ipCall struct {
	m    *Module
	inst *ipInst
	L    *lua.LState
	verb *ipVerb
	cmd  string
	use  keyUse
	name string // the call, as errors name it: "ip.route", "ip.routes"

	vals []lua.LValue // by key index; nil when absent
	rank []int8       // which name gave each value: the key's own name beats an alias
	set  []int        // the keys given, in the order they were read
	raw  []rawValue   // attributes given by their whole names

	dry, echo bool
	opts      engine.RequestOptions
	match     lua.LValue // getters: a function, or a table of more keys

	bad, hinted string           // the first unknown key, and the first with a hint
	quiet       func(error) bool // a getter's errors that mean "none"
	// each: the getter streams (ip.each); its call then lives as long as
	// its iterator, whose filter uses it, and is not reused.
	each bool

	// sub holds the keys of a kind (ip.link's kind data), which take
	// precedence over the verb's own except those core names.
	sub  *ipCall
	core map[string]bool

	owned []*ipMsg // messages taken with msg, given back by done
}

// rawValue is an attribute a spec names by its whole name.
type rawValue struct {
	d *engine.AttrDesc
	v lua.LValue
}

// call starts a call of verb's command cmd, whose keys serve use.
func (i *ipInst) call(L *lua.LState, verb *ipVerb, cmd string, use keyUse) *ipCall {
	m := i.m
	var c *ipCall
	if n := len(m.free); n > 0 {
		c, m.free = m.free[n-1], m.free[:n-1]
	} else {
		c = &ipCall{}
	}
	*c = ipCall{m: m, inst: i, L: L, verb: verb, cmd: cmd, use: use, name: verb.name,
		vals: c.vals[:0], rank: c.rank[:0], set: c.set[:0], raw: c.raw[:0], owned: c.owned[:0]}
	if cmd == "get" || cmd == "flush" {
		c.name = verb.name + " " + cmd
	}
	if n := len(verb.keys); cap(c.vals) < n {
		c.vals, c.rank = make([]lua.LValue, n), make([]int8, n)
	} else {
		c.vals, c.rank = c.vals[:n], c.rank[:n]
	}
	return c
}

// done returns the call's slots for the next call; only the keys given
// need clearing.
func (c *ipCall) done() {
	if c.each {
		return
	}
	for _, i := range c.set {
		c.vals[i] = nil
	}
	for i := range c.raw {
		c.raw[i] = rawValue{}
	}
	c.match = nil
	if c.sub != nil {
		c.sub.done()
		c.sub = nil
	}
	c.m.msgs = append(c.m.msgs, c.owned...)
	clear(c.owned)
	c.L, c.inst = nil, nil
	c.m.free = append(c.m.free, c)
}

// fail raises an argument error at the script's line, named by the verb.
func (c *ipCall) fail(format string, args ...any) {
	c.L.RaiseError("%s: %s", c.what(), fmt.Sprintf(format, args...))
}

// failCmd raises an argument error naming the command too: "ip.addr add:
// give address".
func (c *ipCall) failCmd(format string, args ...any) {
	c.L.RaiseError("%s %s: %s", c.verb.name, c.cmd, fmt.Sprintf(format, args...))
}

// what names the call in errors: "ip.route", "ip.route get", "ip.routes".
func (c *ipCall) what() string { return c.name }

// get returns the value of key k, or nil.
func (c *ipCall) get(k *ipKey) lua.LValue {
	if v := c.vals[k.index]; v != nil {
		return v
	}
	return lua.LNil
}

// has reports whether key k was given (false counts).
func (c *ipCall) has(k *ipKey) bool { return c.vals[k.index] != nil }

// truthy reports whether key k was given and is neither nil nor false.
func (c *ipCall) truthy(k *ipKey) bool { return truthy(c.get(k)) }

// read takes a spec table into the call's slots and checks its keys.
func (c *ipCall) read(spec lua.LValue) {
	t, ok := spec.(*lua.LTable)
	switch {
	case spec == lua.LNil:
		return
	case !ok:
		c.fail("expected a table of options, got %s", spec.Type().String())
	}
	if t.Metatable != lua.LNil {
		c.readInherited(t)
	} else {
		for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
			c.take(k, v)
		}
	}
	c.checked()
}

// readInherited reads a spec with a metatable, whose keys may come
// through __index (as spec.k reads them in Lua): every name the verb
// takes is looked up. That may run Lua, so it runs as a call of its own,
// where a yield is refused.
func (c *ipCall) readInherited(t *lua.LTable) {
	names := c.verb.names[modeOf(c.use)]
	c.L.Push(c.L.NewFunction(func(L *lua.LState) int {
		for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
			c.take(k, v)
		}
		for n := range names {
			if v := L.GetField(t, n); v != lua.LNil {
				c.take(lua.LString(n), v)
			}
		}
		for n := range options {
			if v := L.GetField(t, n); v != lua.LNil {
				c.take(lua.LString(n), v)
			}
		}
		return 0
	}))
	c.m.host.Call(c.L, c.verb.name, 0, 0)
}

// take reads one key of a spec.
func (c *ipCall) take(k, v lua.LValue) {
	ks, ok := k.(lua.LString)
	if !ok {
		if c.bad == "" {
			c.bad = k.String()
		}
		return
	}
	name := string(ks)
	switch {
	case options[name]:
		c.option(name, v)
	case name == "match" && c.use == useFilter:
		c.match = v
	default:
		// A kind's own keys (ip.link's with kind) come before the verb's,
		// except the verb's core ones.
		if s := c.sub; s != nil && !c.core[name] {
			if key := s.verb.names[modeOf(s.use)][name]; key != nil {
				s.put(key, name, v)
				return
			}
			if d := s.verb.raw[name]; d != nil {
				s.raw = append(s.raw, rawValue{d, v})
				return
			}
		}
		if key := c.verb.names[modeOf(c.use)][name]; key != nil {
			c.put(key, name, v)
			return
		}
		if d := c.verb.raw[name]; d != nil {
			c.raw = append(c.raw, rawValue{d, v})
			return
		}
		if _, ok := c.verb.hints[name]; ok && c.hinted == "" {
			c.hinted = name
		}
		if c.bad == "" || name < c.bad {
			c.bad = name // the same key is named every run
		}
	}
}

// put sets key's slot from name: the key's own name beats an alias, an
// earlier alias a later one.
func (c *ipCall) put(key *ipKey, name string, v lua.LValue) {
	rank := int8(0)
	if name != key.name {
		rank = 1 + int8(indexOf(key.alias, name))
	}
	if c.vals[key.index] == nil {
		c.set = append(c.set, key.index)
	} else if rank >= c.rank[key.index] {
		return
	}
	c.vals[key.index], c.rank[key.index] = v, rank
}

// option reads dry, echo or timeout.
func (c *ipCall) option(name string, v lua.LValue) {
	switch name {
	case "dry":
		c.dry = truthy(v)
	case "echo":
		c.echo = truthy(v)
	case "timeout":
		d, err := luaarg.Timeout(v)
		if err != nil {
			c.fail("%s", err.Error())
		}
		c.opts.Idle = d
	}
}

// checked raises the error for an unknown key: the hint for a name from
// another tool, else the closest valid name.
func (c *ipCall) checked() {
	if c.bad == "" {
		return
	}
	if c.hinted != "" {
		c.fail("unknown key '%s' (did you mean %s?)", c.hinted, c.verb.hints[c.hinted])
	}
	names := c.verb.keyNames(c.use)
	if c.sub != nil {
		names = append(names, c.sub.verb.keyNames(c.sub.use)...)
		sort.Strings(names)
	}
	if cl := engine.Closest(c.bad, names, 1); len(cl) > 0 {
		c.fail("unknown key '%s' (did you mean '%s'?)", c.bad, cl[0])
	}
	c.fail("unknown key '%s' (valid keys: %s)", c.bad, strings.Join(names, ", "))
}

// sortedRaw returns the raw attributes given, in attribute-number order
// (a spec's keys have none of their own).
func (c *ipCall) sortedRaw() []rawValue {
	sort.Slice(c.raw, func(a, b int) bool { return c.raw[a].d.Type < c.raw[b].d.Type })
	return c.raw
}

// index reads t[k] as Lua code would: raw, or through the metatable on a
// call of its own, where a yield is refused.
func (c *ipCall) index(t *lua.LTable, k string) lua.LValue {
	if t.Metatable == lua.LNil {
		return t.RawGetString(k)
	}
	var v lua.LValue = lua.LNil
	c.L.Push(c.L.NewFunction(func(L *lua.LState) int {
		v = L.GetField(t, k)
		return 0
	}))
	c.m.host.Call(c.L, c.verb.name, 0, 0)
	return v
}

// indexOf is the position of s in list, or len(list).
func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}

// Values. value reads key k's value as the key's kind says, into what the
// encoder takes (numbers for names, indexes for interface names); what
// names the key in errors.

// value returns the value of key k as sent, or nil when it sends nothing
// (a false flag).
func (c *ipCall) value(k *ipKey, v lua.LValue) lua.LValue {
	switch k.kind {
	case vInt:
		if b, ok := v.(lua.LBool); ok && k.byteSized() {
			if b {
				return lua.LNumber(1)
			}
			return lua.LNumber(0)
		}
	case vFlag:
		if !truthy(v) {
			return nil
		}
		return lua.LTrue
	case vEnum:
		return c.enumValue(k, v)
	case vFlags:
		set, _ := c.flagsValue(k, v)
		return set
	case vIfindex:
		return c.ifindex(c.given(k), v)
	case vIfname:
		return c.ifname(c.given(k), v)
	case vTable:
		return c.table(c.given(k), v)
	case vFamily:
		return c.family(v)
	}
	return v
}

// given is the name key k was given by: its own, or an alias.
func (c *ipCall) given(k *ipKey) string {
	if r := int(c.rank[k.index]); r > 0 && r <= len(k.alias) && c.vals[k.index] != nil {
		return k.alias[r-1]
	}
	return k.name
}

// byteSized reports whether the key's value is one byte: a kernel boolean.
func (k *ipKey) byteSized() bool {
	switch {
	case k.attr != nil:
		return k.attr.Kind == engine.U8
	case k.field >= 0:
		return true // every header field read as a boolean is a byte
	}
	return false
}

// numberOrName reads a number, or a string holding one (as Lua's tonumber
// reads it), or else a name.
func numberOrName(v lua.LValue) (lua.LNumber, string, bool) {
	switch x := v.(type) {
	case lua.LNumber:
		return x, "", true
	case lua.LString:
		if n, ok := luaNumber(string(x)); ok {
			return lua.LNumber(n), "", true
		}
		return 0, string(x), false
	}
	return 0, "", false
}

// enumValue reads a name of k's enum ('boot', 'RTPROT_BOOT') or a number.
// A number stays as given: the encoder judges it (2.5 is no integer, 300
// no byte).
func (c *ipCall) enumValue(k *ipKey, v lua.LValue) lua.LValue {
	n, s, isNum := numberOrName(v)
	if isNum {
		return n
	}
	if _, ok := v.(lua.LString); ok {
		if x, ok := c.enumName(k, s); ok {
			return lua.LNumber(x)
		}
		if cl := engine.Closest(strings.ToLower(s), k.shortNames(), 1); len(cl) > 0 {
			c.fail("%s: unknown name '%s' (did you mean '%s'?)", k.name, s, cl[0])
		}
	}
	c.fail("%s: expected a number or one of %s, got '%s'", k.name, strings.Join(k.shortNames(), ", "), v.String())
	return nil
}

// enumName looks a name up in k's enum: short, any case, or whole.
func (c *ipCall) enumName(k *ipKey, s string) (uint64, bool) {
	if x, ok := k.short[strings.ToLower(s)]; ok {
		return x, true
	}
	if x, ok := k.enum.Lookup(s); ok {
		return x, true
	}
	if x, ok := k.enum.Lookup(strings.ToUpper(s)); ok {
		return x, true
	}
	return 0, false
}

// shortNames lists the short names of k's enum, sorted.
func (k *ipKey) shortNames() []string {
	names := make([]string, 0, len(k.short))
	for s := range k.short {
		names = append(names, s)
	}
	sort.Strings(names)
	return names
}

// flagsValue reads flags: a number, a name, 'a|b', or a list of names; a
// name written '!a' clears that flag. It returns the bits to set and the
// bits named (set or cleared), as numbers.
func (c *ipCall) flagsValue(k *ipKey, v lua.LValue) (lua.LValue, lua.LValue) {
	if n, ok := v.(lua.LNumber); ok {
		return n, n
	}
	var names []lua.LValue
	switch x := v.(type) {
	case lua.LString:
		if n, ok := luaNumber(string(x)); ok {
			return lua.LNumber(n), lua.LNumber(n)
		}
		for _, s := range strings.FieldsFunc(string(x), func(r rune) bool { return r == '|' || r == ' ' || r == '\t' }) {
			names = append(names, lua.LString(s))
		}
	case *lua.LTable:
		for i := 1; ; i++ {
			e := c.indexInt(x, i)
			if e == lua.LNil {
				break
			}
			names = append(names, e)
		}
	default:
		c.fail("%s: expected flag names or a number, got %s", k.name, luaarg.TypeName(v))
	}
	var set, mask uint64
	for _, n := range names {
		if num, ok := n.(lua.LNumber); ok {
			set |= uint64(num)
			mask |= uint64(num)
			continue
		}
		s := lua.LVAsString(n)
		clear := strings.HasPrefix(s, "!")
		bits, ok := c.enumName(k, strings.TrimPrefix(s, "!"))
		if !ok {
			if cl := engine.Closest(strings.ToLower(strings.TrimPrefix(s, "!")), k.shortNames(), 1); len(cl) > 0 {
				c.fail("%s: unknown name '%s' (did you mean '%s'?)", k.name, s, cl[0])
			}
			c.fail("%s: unknown name '%s' (%s, or a number)", k.name, s, strings.Join(k.shortNames(), ", "))
		}
		mask |= bits
		if clear {
			set &^= bits
		} else {
			set |= bits
		}
	}
	return lua.LNumber(set), lua.LNumber(mask)
}

// indexInt reads t[i] as Lua code would.
func (c *ipCall) indexInt(t *lua.LTable, i int) lua.LValue {
	if t.Metatable == lua.LNil {
		return t.RawGetInt(i)
	}
	var v lua.LValue = lua.LNil
	c.L.Push(c.L.NewFunction(func(L *lua.LState) int {
		v = L.GetTable(t, lua.LNumber(i))
		return 0
	}))
	c.m.host.Call(c.L, c.verb.name, 0, 0)
	return v
}

// ifindex reads an interface given by index or name (or, as pyroute2
// takes it, a list of one): a name is looked up, and one that names no
// interface raises ENODEV, as the kernel does for an index.
func (c *ipCall) ifindex(key string, v lua.LValue) lua.LValue {
	if t, ok := v.(*lua.LTable); ok && t.Len() == 1 {
		v = c.indexInt(t, 1)
	}
	switch x := v.(type) {
	case lua.LNumber:
		return x
	case lua.LString:
		if n, ok := luaNumber(string(x)); ok {
			return lua.LNumber(n)
		}
		if i, ok := c.inst.lookup(c.L, string(x)); ok {
			return lua.LNumber(i)
		}
		c.noDevice(key, string(x))
	}
	c.fail("%s: expected a name or an index, got %s", key, v.Type().String())
	return nil
}

// noDevice raises the error value of a name that is no interface: ENODEV,
// shaped as the kernel's own errors are.
func (c *ipCall) noDevice(key, name string) {
	ne := &engine.Error{Errno: unix.ENODEV, Op: c.name, Msg: fmt.Sprintf("%s: no interface named '%s'", key, name),
		Offset: -1, MissType: -1, MissNest: -1}
	c.L.Error(c.m.host.ErrorValue(ne), 1)
}

// ifname reads an interface given by name or index, as its name.
func (c *ipCall) ifname(key string, v lua.LValue) lua.LValue {
	switch x := v.(type) {
	case lua.LString:
		return x
	case lua.LNumber:
		if name, ok := c.inst.nameOf(c.L, int(x)); ok {
			return lua.LString(name)
		}
		ne := &engine.Error{Errno: unix.ENODEV, Op: c.name, Msg: fmt.Sprintf("%s: no interface with index %s", key, x.String()),
			Offset: -1, MissType: -1, MissNest: -1}
		c.L.Error(c.m.host.ErrorValue(ne), 1)
	}
	c.fail("%s must be an interface name or index, got %s", key, v.Type().String())
	return nil
}

// table reads a routing table: a number, a reserved name, or a name from
// iproute2's rt_tables files.
func (c *ipCall) table(key string, v lua.LValue) lua.LValue {
	n, s, isNum := numberOrName(v)
	if isNum {
		return n
	}
	if s != "" {
		if id, ok := c.m.tableID(s); ok {
			return lua.LNumber(id)
		}
	}
	c.fail("unknown table '%s' (a number, main, local, default, or a name from /etc/iproute2/rt_tables)", v.String())
	return nil
}

// family reads an address family.
func (c *ipCall) family(v lua.LValue) lua.LValue {
	if n, ok := familyOf(v); ok {
		return n
	}
	c.fail("family must be AF_INET, AF_INET6, 'inet' or 'inet6', got '%s'", v.String())
	return nil
}

// familyNames are the families a family key takes by a short name.
var familyNames = map[string]lua.LNumber{"inet": unix.AF_INET, "ipv4": unix.AF_INET, "inet6": unix.AF_INET6,
	"ipv6": unix.AF_INET6, "bridge": unix.AF_BRIDGE, "unspec": unix.AF_UNSPEC}

func familyOf(v lua.LValue) (lua.LNumber, bool) {
	switch x := v.(type) {
	case lua.LNumber:
		return x, true
	case lua.LString:
		if n, ok := familyNames[strings.ToLower(string(x))]; ok {
			return n, true
		}
		for _, ev := range rtnl.Families.Values {
			if ev.Name == string(x) {
				return lua.LNumber(ev.Value), true
			}
		}
	}
	return 0, false
}

// addrFamily is the family of an address written as text.
func addrFamily(a string) int64 {
	if strings.IndexByte(a, ':') >= 0 {
		return unix.AF_INET6
	}
	return unix.AF_INET
}

// prefixOf splits '10.0.0.0/8' into address, length and family; a bare
// address is a host prefix (/32 or /128), and given says whether the
// length was written.
func prefixOf(v lua.LValue) (addr string, length int, fam int64, given, ok bool) {
	s, isStr := v.(lua.LString)
	if !isStr {
		return "", 0, 0, false, false
	}
	a, l := string(s), -1
	if i := strings.IndexByte(a, '/'); i >= 0 {
		if n, ok := luaNumber(a[i+1:]); ok && n >= 0 && n == float64(int(n)) {
			a, l = a[:i], int(n)
		}
	}
	fam = addrFamily(a)
	given = l >= 0
	if !given {
		l = 32
		if fam == unix.AF_INET6 {
			l = 128
		}
	}
	return a, l, fam, given, true
}

// prefix reads key's prefix, or raises.
func (c *ipCall) prefix(key string, v lua.LValue) (string, int, int64, bool) {
	a, l, fam, given, ok := prefixOf(v)
	if !ok {
		c.fail("%s: expected an address string, got %s", key, v.Type().String())
	}
	return a, l, fam, given
}

// canonAddr writes an address as the decoder does ('2001:0db8::1' is
// '2001:db8::1'), for filters to compare with decoded messages.
func (c *ipCall) canonAddr(key string, v lua.LValue) string {
	a, err := netip.ParseAddr(lua.LVAsString(v))
	if err != nil {
		c.fail("%s: '%s' is not an IP address", key, v.String())
	}
	return a.String()
}
