package iproute

import (
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
	"nlsh/rtnl"
)

// ip.link(cmd, spec), ip.links(filter), ip.link_lookup(name).
//
// A link is one ifinfomsg (family, ifi_type, index, flags, change) and
// IFLA_* attributes; its kind and the kind's own attributes go in
// IFLA_LINKINFO (IFLA_INFO_KIND, IFLA_INFO_DATA). A spec with a kind takes
// the kind's keys too, derived from its IFLA_INFO_DATA set (stp_state for
// IFLA_BR_STP_STATE, also pyroute2's br_stp_state), which win over the
// link's own apart from the link's core keys (linkCore).

// The link keys the builders read, by their place in linkVerb's table.
const (
	lIndex = iota
	lIfname
	lAltname
	lKind
	lState
	lFlags
	lChange
	lArp
	lNoarp
	lLink
	lMtu
	lAddress
	lBroadcast
	lTxqlen
	lAlias
	lGroup
	lMaster
	lNetns
	lPeer
	lData
	lFamily
	lFriendly
)

// ifinfomsg's fields, by index.
var (
	linkIndexField  = fieldIndex(rtnl.LinkClass, "index")
	linkFlagsField  = fieldIndex(rtnl.LinkClass, "flags")
	linkChangeField = fieldIndex(rtnl.LinkClass, "change")
	linkFamilyField = fieldIndex(rtnl.LinkClass, "family")
)

// linkCore are the link keys a kind's keys of the same name never hide.
var linkCore = map[string]bool{}

// linkVerb is ip.link's table.
var linkVerb = sync.OnceValue(func() *ipVerb {
	c := rtnl.LinkClass
	v := newVerb("ip.link", c, "IFLA_", []string{"add", "set", "replace", "del", "get", "dump", "property_add", "property_del"},
		fieldKey(c, "index", vIfindex, useAll, "the link, by index"),
		attrKey(c, "ifname", "IFLA_IFNAME", vString, useAll, "the link's name; in set with index, the new name"),
		special("altname", "name, or a list of names", useAll, "alternative names (property_add, property_del), or the name to get by"),
		special("kind", "link kind ('veth', 'bridge', 'vxlan'…)", useAll, "IFLA_INFO_KIND; a kind's own keys come with it"),
		special("state", "'up' or 'down'", useAll, "IFF_UP, as a change"),
		fieldKey(c, "flags", vFlags, useAll, "IFF_* names to set, '!IFF_NOARP' to clear (only those named change), or a number"),
		fieldKey(c, "change", vFlags, useAll, "the flags to change (ifi_change); flags, state, arp and noarp set it"),
		special("arp", "boolean", useChange, "false sets IFF_NOARP, true clears it"),
		special("noarp", "boolean", useChange, "true sets IFF_NOARP, false clears it"),
		attrKey(c, "link", "IFLA_LINK", vIfindex, useAll, "the lower link, by name or index"),
		attrKey(c, "mtu", "IFLA_MTU", vInt, useAll, ""),
		attrKey(c, "address", "IFLA_ADDRESS", vMAC, useAll, ""),
		attrKey(c, "broadcast", "IFLA_BROADCAST", vMAC, useAll, ""),
		attrKey(c, "txqlen", "IFLA_TXQLEN", vInt, useAll, "transmit queue length"),
		attrKey(c, "alias", "IFLA_IFALIAS", vString, useAll, "description").also("ifalias"),
		attrKey(c, "group", "IFLA_GROUP", vInt, useAll, "device group"),
		attrKey(c, "master", "IFLA_MASTER", vSpecial, useAll, "the bridge (or bond) above, by name or index; false, 0 or 'none' detaches"),
		special("netns", "namespace name, path or process id", useChange, "move the link there (IFLA_NET_NS_FD, or IFLA_NET_NS_PID for a number)"),
		special("peer", "name, or a table of link keys", useChange, "a veth's other end (VETH_INFO_PEER); netns puts it in another namespace"),
		special("data", "list of {'IFLA_…', value} pairs", useChange, "IFLA_INFO_DATA pairs for what the kind's keys do not cover"),
		fieldKey(c, "family", vFamily, useAll, ""),
	)
	v.keys[lMaster].typ = "interface (name or index), or false"
	for _, k := range v.keys[:lFriendly] {
		linkCore[k.name] = true
		for _, a := range k.alias {
			linkCore[a] = true
		}
	}
	delete(linkCore, "link")
	delete(linkCore, "group")
	return v
})

// linkKinds are the kinds' tables, made on first use.
var linkKinds sync.Map // kind -> *ipVerb

// linkKindVerb returns the table of kind's own keys: one per attribute of
// its IFLA_INFO_DATA set, by short name and by pyroute2's prefixed name
// (br_stp_state), with friendly keys where the attributes are awkward; nil
// for a kind nlsh does not describe.
func linkKindVerb(kind string) *ipVerb {
	if v, ok := linkKinds.Load(kind); ok {
		return v.(*ipVerb)
	}
	data := kindDataSet(kind)
	if data == nil && kind != "tap" {
		return nil
	}
	var friendly []*ipKey
	switch kind {
	case "vxlan":
		friendly = []*ipKey{
			special("group", "address (IPv4 or IPv6)", useAll, "multicast group or remote (IFLA_VXLAN_GROUP or GROUP6)").also("remote", "vxlan_group"),
			special("local", "address (IPv4 or IPv6)", useAll, "local address (IFLA_VXLAN_LOCAL or LOCAL6)").also("vxlan_local"),
			setKey(data, "dev", "IFLA_VXLAN_LINK", vIfindex, useAll, "the underlying link, by name or index").also("link", "vxlan_link"),
		}
	case "tun", "tap":
		data = kindDataSet("tun")
		friendly = []*ipKey{special("mode", "'tun' or 'tap'", useChange, "made through /dev/net/tun, as pyroute2 does")}
	}
	v := newVerbSet("ip.link: "+kind, nil, data, data.Prefix, nil, friendly...)
	// pyroute2's names: the set's prefix (br_ for IFLA_BR_) or the kind's.
	prefixes := []string{strings.ToLower(strings.TrimPrefix(data.Prefix, "IFLA_")), kind + "_"}
	for _, k := range v.keys {
		if k.attr == nil {
			continue
		}
		short := shortName(k.attr.Name, data.Prefix)
		for _, p := range prefixes {
			if n := p + short; n != k.name && !hasString(k.alias, n) {
				k.alias = append(k.alias, n)
			}
		}
	}
	v.index()
	w, _ := linkKinds.LoadOrStore(kind, v)
	return w.(*ipVerb)
}

// kindDataSet is the IFLA_INFO_DATA set of kind, or nil.
func kindDataSet(kind string) *engine.AttrSet {
	info := attrDesc(rtnl.LinkClass, "IFLA_LINKINFO").Set
	d, _ := info.ByName("IFLA_INFO_DATA")
	if f := d.Sub.Formats[kind]; f != nil {
		return f.Set
	}
	return nil
}

// link is ip.link(cmd, spec).
func (i *ipInst) link(L *lua.LState) int {
	v := linkVerb()
	cmd := verbCommand(L, v.name, v.cmds)
	if cmd == "dump" {
		return i.linkList(L, "ip.links", L.Get(2))
	}
	use := useChange
	if cmd == "get" {
		use = useGet
	}
	c := i.call(L, v, cmd, use)
	defer c.done()
	c.readLink(L.Get(2))
	switch cmd {
	case "get":
		return c.ask(c.linkGet())
	case "del":
		m := newMsg(rtnl.LinkClass, unix.RTM_DELLINK, reqAck)
		m.setField(linkIndexField, c.linkWhich())
		c.applyRest(m, lFriendly)
		return c.send(m)
	case "property_add", "property_del":
		return c.send(c.linkProperty())
	case "add", "replace":
		return c.linkAdd()
	}
	return c.send(c.linkSet())
}

// readLink reads a link spec, with the keys of its kind.
func (c *ipCall) readLink(spec lua.LValue) {
	if t, ok := spec.(*lua.LTable); ok {
		if kind, ok := c.index(t, "kind").(lua.LString); ok {
			if kv := linkKindVerb(string(kind)); kv != nil {
				c.sub = c.inst.call(c.L, kv, c.cmd, c.use)
				c.sub.name = c.name
				c.core = linkCore
			}
		}
	}
	c.read(spec)
}

// linkWhich returns the index a spec names: index, or ifname looked up.
func (c *ipCall) linkWhich() any {
	k := c.verb.keys
	switch {
	case c.has(k[lIndex]):
		return c.m.host.FromLua(c.value(k[lIndex], c.get(k[lIndex])))
	case c.has(k[lIfname]):
		return c.m.host.FromLua(c.ifindex("ifname", c.get(k[lIfname])))
	}
	c.L.RaiseError("ip.link %s: give index or ifname", c.cmd)
	return nil
}

// linkFlags sets ifi_flags and ifi_change from state, flags, change, arp
// and noarp: each names the flags it changes.
func (c *ipCall) linkFlags(m *ipMsg) {
	h := c.m.host
	k := c.verb.keys
	var set, mask uint64
	if s := c.get(k[lState]); s != lua.LNil {
		switch s {
		case lua.LString("up"):
			set |= unix.IFF_UP
		case lua.LString("down"):
		default:
			c.fail("state must be 'up' or 'down', got '%s'", s.String())
		}
		mask |= unix.IFF_UP
	}
	if c.has(k[lFlags]) {
		s, mk := c.flagsValue(k[lFlags], c.get(k[lFlags]))
		set, mask = set|uint64(s.(lua.LNumber)), mask|uint64(mk.(lua.LNumber))
	}
	for _, x := range [...]struct {
		key   int
		noarp bool
	}{{lArp, false}, {lNoarp, true}} {
		if v := c.get(k[x.key]); v != lua.LNil {
			mask |= unix.IFF_NOARP
			if truthy(v) == x.noarp {
				set |= unix.IFF_NOARP
			}
		}
	}
	if c.has(k[lChange]) {
		ch, _ := c.flagsValue(k[lChange], c.get(k[lChange]))
		mask = uint64(ch.(lua.LNumber))
	}
	if mask != 0 || set != 0 {
		m.setField(linkFlagsField, set)
		m.setField(linkChangeField, mask)
	}
	if c.has(k[lFamily]) {
		m.setField(linkFamilyField, h.FromLua(c.value(k[lFamily], c.get(k[lFamily]))))
	}
}

// linkAttrs appends the attributes of the link keys given, in iproute2's
// order; rename says whether ifname is sent (a new link's name, or with
// index the new name).
func (c *ipCall) linkAttrs(m *ipMsg, rename bool) {
	h := c.m.host
	k := c.verb.keys
	if v := c.get(k[lIfname]); rename && v != lua.LNil {
		m.add(k[lIfname].attr, h.FromLua(v))
	}
	for _, x := range [...]int{lMtu, lAddress, lBroadcast, lTxqlen, lAlias, lGroup} {
		if v := c.get(k[x]); v != lua.LNil {
			m.add(k[x].attr, h.FromLua(c.value(k[x], v)))
		}
	}
	if v := c.get(k[lMaster]); v != lua.LNil {
		var idx any = uint64(0) // false, 0 or 'none' detach from the master
		if truthy(v) && v != lua.LNumber(0) && v != lua.LString("none") {
			idx = h.FromLua(c.ifindex("master", v))
		}
		m.add(k[lMaster].attr, idx)
	}
	if v := c.get(k[lLink]); v != lua.LNil && c.cmd != "add" && c.cmd != "replace" {
		m.add(k[lLink].attr, h.FromLua(c.value(k[lLink], v)))
	}
	if v := c.get(k[lNetns]); v != lua.LNil {
		c.linkNetns(m, v)
	}
}

// linkNetns moves the link to another namespace: a number is a process
// id (IFLA_NET_NS_PID), a name or path is opened (IFLA_NET_NS_FD).
func (c *ipCall) linkNetns(m *ipMsg, v lua.LValue) {
	ns, err := luaarg.Netns(v)
	if err != nil {
		what := c.name + ": netns"
		if strings.HasSuffix(c.name, ": peer") {
			what = c.name + " netns" // "ip.link: peer netns"
		}
		c.L.RaiseError("%s", luaarg.NetnsError(what, err))
	}
	if n, ok := v.(lua.LNumber); ok {
		m.add(attrDesc(rtnl.LinkClass, "IFLA_NET_NS_PID"), c.m.host.FromLua(n))
		return
	}
	fd, err := c.m.host.NetnsFD(ns)
	if err != nil {
		c.m.host.Raise(c.L, c.name, err)
	}
	m.add(attrDesc(rtnl.LinkClass, "IFLA_NET_NS_FD"), uint64(fd))
}

// linkInfo builds IFLA_LINKINFO: the kind, and its data from the kind's
// keys (and data's pairs).
func (c *ipCall) linkInfo(kind lua.LValue) any {
	h := c.m.host
	info := []any{engine.Table{List: []any{"IFLA_INFO_KIND", h.FromLua(kind)}}}
	var data []any
	pair := func(name string, v any) { data = append(data, engine.Table{List: []any{name, v}}) }
	if s := c.sub; s != nil {
		k := s.verb.keys
		friendly := 0
		switch kind {
		case lua.LString("vxlan"):
			friendly = 3
			for j, n := range [...]string{"GROUP", "LOCAL"} {
				if a, ok := s.get(k[j]).(lua.LString); ok {
					name := "IFLA_VXLAN_" + n
					if strings.Contains(string(a), ":") {
						name += "6"
					}
					pair(name, string(a))
				} else if s.has(k[j]) {
					s.fail("%s: expected an address, got %s", k[j].name, s.get(k[j]).Type().String())
				}
			}
			if d := s.get(k[2]); d != lua.LNil {
				pair("IFLA_VXLAN_LINK", h.FromLua(s.value(k[2], d)))
			}
		}
		for _, j := range sortedInts(s.set) {
			if j < friendly {
				continue
			}
			key := k[j]
			if v := s.value(key, s.vals[j]); v != nil && key.attr != nil {
				pair(key.attr.Name, h.FromLua(v))
			}
		}
		for _, r := range s.sortedRaw() {
			pair(r.d.Name, h.FromLua(r.v))
		}
	}
	if kind == lua.LString("veth") {
		if p := c.get(c.verb.keys[lPeer]); p != lua.LNil {
			pair("VETH_INFO_PEER", c.linkPeer(p))
		}
	}
	if d := c.get(c.verb.keys[lData]); d != lua.LNil {
		t, ok := h.FromLua(d).(engine.Table)
		if !ok {
			c.fail("data: expected a list of {'IFLA_…', value} pairs, got %s", d.Type().String())
		}
		data = append(data, t.List...)
	}
	if len(data) > 0 {
		info = append(info, engine.Table{List: []any{"IFLA_INFO_DATA", engine.Table{List: data}}})
	}
	return engine.Table{List: info}
}

// linkPeer builds a veth's VETH_INFO_PEER from a name or a table of link
// keys.
func (c *ipCall) linkPeer(p lua.LValue) any {
	if s, ok := p.(lua.LString); ok {
		t := c.L.NewTable()
		t.RawSetString("ifname", s)
		p = t
	}
	pc := c.inst.call(c.L, c.verb, "add", useChange)
	defer pc.done()
	pc.name = c.name + ": peer"
	pc.read(p)
	m := newMsg(rtnl.LinkClass, 0, 0)
	pc.linkFlags(m)
	pc.linkAttrs(m, true)
	if v := pc.get(pc.verb.keys[lLink]); v != lua.LNil {
		m.add(pc.verb.keys[lLink].attr, c.m.host.FromLua(pc.value(pc.verb.keys[lLink], v)))
	}
	pc.applyRest(m, lFriendly)
	return &m.rec
}

// linkAdd builds add and replace. tun and tap devices are made through
// /dev/net/tun (the kernel makes them no other way), then set as asked.
func (c *ipCall) linkAdd() int {
	h := c.m.host
	k := c.verb.keys
	if !c.has(k[lIfname]) {
		c.fail("add needs ifname")
	}
	kind := c.get(k[lKind])
	if kind == lua.LNil {
		c.fail("add needs kind (veth, bridge, macvlan, macvtap, vxlan, tun, tap, ifb, …)")
	}
	if kind == lua.LString("tun") || kind == lua.LString("tap") {
		return c.linkTuntap(string(kind.(lua.LString)))
	}
	flags := reqAck | engine.NLM_F_CREATE | engine.NLM_F_EXCL
	if c.cmd == "replace" {
		flags = reqAck | engine.NLM_F_CREATE | engine.NLM_F_REPLACE
	}
	m := newMsg(rtnl.LinkClass, unix.RTM_NEWLINK, flags)
	c.linkFlags(m)
	if v := c.get(k[lLink]); v != lua.LNil {
		m.add(k[lLink].attr, h.FromLua(c.value(k[lLink], v)))
	}
	c.linkAttrs(m, true)
	c.applyRest(m, lFriendly)
	m.add(attrDesc(rtnl.LinkClass, "IFLA_LINKINFO"), c.linkInfo(kind))
	return c.send(m)
}

// linkTuntap makes a tun or tap device and sets what else the spec asks.
func (c *ipCall) linkTuntap(kind string) int {
	if c.dry {
		c.fail("tun/tap devices are made with ioctls, not a message; dry has nothing to show")
	}
	t := engine.TunTap{Name: lua.LVAsString(c.get(c.verb.keys[lIfname])), Owner: -1, Group: -1, Tap: kind == "tap"}
	if s := c.sub; s != nil {
		for _, j := range s.set {
			key, v := s.verb.keys[j], s.vals[j]
			switch key.name {
			case "mode":
				switch v {
				case lua.LString("tun"):
					t.Tap = false
				case lua.LString("tap"):
					t.Tap = true
				default:
					c.fail("mode must be 'tun' or 'tap', got '%s'", v.String())
				}
			case "owner":
				t.Owner = int(lua.LVAsNumber(v))
			case "group":
				t.Group = int(lua.LVAsNumber(v))
			case "multi_queue":
				t.MultiQueue = truthy(v) && v != lua.LNumber(0)
			case "pi":
				t.PI = truthy(v) && v != lua.LNumber(0)
			default:
				c.fail("%s: not taken when making a tun/tap device", key.name)
			}
		}
	}
	h := c.m.host
	h.RefuseReadOnly(c.L, "ip.link add tun/tap")
	if err := engine.CreateTunTap(c.inst.netns, t); err != nil {
		h.Raise(c.L, "", err)
	}
	m := newMsg(rtnl.LinkClass, unix.RTM_NEWLINK, reqAck)
	c.linkFlags(m)
	c.linkAttrs(m, false)
	c.applyRest(m, lFriendly)
	if len(m.rec.Attrs) > 0 || m.fields.Values[linkChangeField] != nil {
		m.setField(linkIndexField, c.m.host.FromLua(c.ifindex("ifname", c.get(c.verb.keys[lIfname]))))
		c.echo = false
		c.send(m)
	}
	return 0
}

// linkSet builds set: the link by index (then ifname renames it) or by
// ifname.
func (c *ipCall) linkSet() *ipMsg {
	k := c.verb.keys
	m := newMsg(rtnl.LinkClass, unix.RTM_NEWLINK, reqAck)
	m.setField(linkIndexField, c.linkWhich())
	c.linkFlags(m)
	// With an index, ifname renames the link.
	c.linkAttrs(m, c.has(k[lIndex]))
	c.applyRest(m, lFriendly)
	if kind := c.get(k[lKind]); kind != lua.LNil {
		m.add(attrDesc(rtnl.LinkClass, "IFLA_LINKINFO"), c.linkInfo(kind))
	}
	return m
}

// linkGet builds RTM_GETLINK for one link: by index, name or alternative
// name.
func (c *ipCall) linkGet() *ipMsg {
	h := c.m.host
	k := c.verb.keys
	m := newMsg(rtnl.LinkClass, unix.RTM_GETLINK, engine.NLM_F_REQUEST)
	switch {
	case c.has(k[lIndex]):
		m.setField(linkIndexField, h.FromLua(c.value(k[lIndex], c.get(k[lIndex]))))
	case c.has(k[lIfname]):
		name := lua.LVAsString(c.get(k[lIfname]))
		attr := "IFLA_IFNAME"
		if len(name) > 15 {
			attr = "IFLA_ALT_IFNAME"
		}
		m.add(attrDesc(rtnl.LinkClass, attr), name)
	case c.has(k[lAltname]):
		m.add(attrDesc(rtnl.LinkClass, "IFLA_ALT_IFNAME"), lua.LVAsString(c.get(k[lAltname])))
	default:
		c.fail("give index, ifname or altname")
	}
	c.linkFlags(m)
	c.applyRest(m, lFriendly)
	return m
}

// linkProperty builds property_add and property_del: RTM_NEWLINKPROP (or
// DELLINKPROP) with the alternative names in IFLA_PROP_LIST.
func (c *ipCall) linkProperty() *ipMsg {
	k := c.verb.keys
	typ, flags := uint16(unix.RTM_NEWLINKPROP), reqAck|engine.NLM_F_CREATE|engine.NLM_F_EXCL|engine.NLM_F_APPEND
	if c.cmd == "property_del" {
		typ, flags = unix.RTM_DELLINKPROP, reqAck
	}
	m := newMsg(rtnl.LinkClass, typ, flags)
	m.setField(linkIndexField, c.linkWhich())
	names := c.get(k[lAltname])
	var list []any
	switch x := names.(type) {
	case lua.LString:
		list = append(list, engine.Table{List: []any{"IFLA_ALT_IFNAME", string(x)}})
	case *lua.LTable:
		for j := 1; ; j++ {
			v := c.indexInt(x, j)
			if v == lua.LNil {
				break
			}
			list = append(list, engine.Table{List: []any{"IFLA_ALT_IFNAME", lua.LVAsString(v)}})
		}
	default:
		c.L.RaiseError("ip.link %s: give altname (a name or a list of names)", c.cmd)
	}
	m.add(attrDesc(rtnl.LinkClass, "IFLA_PROP_LIST"), engine.Table{List: list})
	c.applyRest(m, lFriendly)
	return m
}

// links is ip.links(filter).
func (i *ipInst) links(L *lua.LState) int { return i.linkList(L, "ip.links", L.Get(1)) }

// linkList runs ip.links(filter): the kernel filters by master and kind
// (a strict dump), the rest is tested here.
func (i *ipInst) linkList(L *lua.LState, name string, filter lua.LValue) int {
	c := i.getter(L, linkVerb(), name, lua.LNil)
	defer c.done()
	if _, ok := filter.(*lua.LFunction); ok {
		c.match = filter
	} else {
		c.readLink(filter)
	}
	return c.list(c.linkFilter())
}

// linkFilter builds the dump request and the filter of a link getter.
func (c *ipCall) linkFilter() (*ipMsg, *ipFilter) {
	h := c.m.host
	p := rtnl.Route
	req := newMsg(rtnl.LinkClass, unix.RTM_GETLINK, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	f := c.compileFilter(req, func(f *ipFilter, key *ipKey, want lua.LValue, req *ipMsg) bool {
		_, isFn := want.(*lua.LFunction)
		switch key.index {
		case lKind:
			get := func(m *engine.Message) lua.LValue {
				if v := m.Lookup(p, []string{"IFLA_LINKINFO", "IFLA_INFO_KIND"}, true); len(v) > 0 {
					return h.ToLua(v[0])
				}
				return lua.LNil
			}
			if isFn {
				f.compare(get, want, nil)
				return true
			}
			req.add(attrDesc(rtnl.LinkClass, "IFLA_LINKINFO"), engine.Table{List: []any{engine.Table{List: []any{"IFLA_INFO_KIND", lua.LVAsString(want)}}}})
			f.compare(get, want, equal)
		case lMaster:
			if isFn {
				f.compare(func(m *engine.Message) lua.LValue { return c.attrValue(m, key.attr) }, want, nil)
				return true
			}
			idx := c.ifindex("master", want)
			req.add(key.attr, h.FromLua(idx))
			f.compare(func(m *engine.Message) lua.LValue { return c.attrValue(m, key.attr) }, idx, equal)
		case lState:
			get := func(m *engine.Message) lua.LValue {
				if uint64(lua.LVAsNumber(c.fieldValue(m, linkFlagsField)))&unix.IFF_UP != 0 {
					return lua.LString("up")
				}
				return lua.LString("down")
			}
			f.compare(get, want, equal)
		case lAltname:
			names := func(m *engine.Message) []any {
				return m.Lookup(p, []string{"IFLA_PROP_LIST", "IFLA_ALT_IFNAME"}, false)
			}
			f.test(func(m *engine.Message) bool {
				for _, n := range names(m) {
					if isFn && c.calls(want, h.ToLua(n)) || !isFn && h.ToLua(n) == want {
						return true
					}
				}
				return false
			})
		default:
			return false
		}
		return true
	})
	// A kind's keys compare with IFLA_INFO_DATA.
	if s := c.sub; s != nil {
		for _, j := range sortedInts(s.set) {
			key, want := s.verb.keys[j], s.vals[j]
			if key.attr == nil {
				continue
			}
			path := []string{"IFLA_LINKINFO", "IFLA_INFO_DATA", key.attr.Name}
			get := func(m *engine.Message) lua.LValue {
				if v := m.Lookup(p, path, true); len(v) > 0 {
					return h.ToLua(v[0])
				}
				return lua.LNil
			}
			if _, isFn := want.(*lua.LFunction); isFn {
				f.compare(get, want, nil)
			} else {
				f.compare(get, s.value(key, want), equal)
			}
		}
	}
	return req, f
}

// linkLookup is ip.link_lookup(name): the index of the link called name
// (an alternative name too), or nil. A table is a filter, as
// ip.links takes it: the index of the first link it finds.
func (i *ipInst) linkLookup(L *lua.LState) int {
	switch v := L.Get(1).(type) {
	case lua.LString:
		if idx, ok := i.lookup(L, string(v)); ok {
			L.Push(lua.LNumber(idx))
			return 1
		}
	case *lua.LTable, *lua.LFunction:
		i.linkList(L, "ip.link_lookup", v)
		if l, ok := L.Get(-1).(*lua.LTable).RawGetInt(1).(*lua.LTable); ok {
			L.Push(L.GetField(l, "index"))
			return 1
		}
	default:
		L.RaiseError("ip.link_lookup: expected a name or a filter table, got %s", v.Type().String())
	}
	L.Push(lua.LNil)
	return 1
}
