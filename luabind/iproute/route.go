package iproute

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ip.route(cmd, spec), ip.routes(filter).
//
// A route is one rtmsg: the fixed header holds family, dst_len, table (when
// below 256), proto, scope and type; the attributes hold the rest (RTA_DST,
// RTA_GATEWAY, RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE, RTA_OIF, RTA_METRICS,
// RTA_MULTIPATH…). add, replace, change, append and del build the message
// `ip route add|replace|change|append|del …` sends, attributes in its
// order: proto boot and type unicast unless given (any, when deleting);
// scope host for local routes, link for a device route without a gateway,
// universe otherwise (nowhere, any, when deleting); the table in rtm_table
// below 256, else in RTA_TABLE; the family from the first address given.
// Route tables are the objects people load by the hundred thousand, so the
// message is built straight from the spec's slots.

// The route keys the builders read, by their place in routeVerb's table.
const (
	rDst = iota
	rDstLen
	rGateway
	rPrefsrc
	rSrcChange
	rPriority
	rTable
	rOif
	rMetrics
	rMultipath
	rFamily
	rProto
	rScope
	rType
	rTos
	rFlags
	rOnlink
	rSrc
	rSrcLen
	rIif
	rFibMatch
	rFriendly // the first derived key
)

// routeChanges are the commands that change a route, with their message
// type and header flags.
var routeChanges = map[string]struct {
	typ   uint16
	flags uint16
}{
	"add":     {unix.RTM_NEWROUTE, reqAck | engine.NLM_F_CREATE | engine.NLM_F_EXCL},
	"replace": {unix.RTM_NEWROUTE, reqAck | engine.NLM_F_CREATE | engine.NLM_F_REPLACE},
	"change":  {unix.RTM_NEWROUTE, reqAck | engine.NLM_F_REPLACE},
	"append":  {unix.RTM_NEWROUTE, reqAck | engine.NLM_F_CREATE | engine.NLM_F_APPEND},
	"del":     {unix.RTM_DELROUTE, reqAck},
}

// reqAck are the header flags of a change: a request, acknowledged.
const reqAck uint16 = engine.NLM_F_REQUEST | engine.NLM_F_ACK

// routeVerb is ip.route's table.
var routeVerb = sync.OnceValue(func() *ipVerb {
	c := rtnl.RouteClass
	flags := fieldKey(c, "flags", vFlags, useAll, "rtm_flags: RTM_F_* and RTNH_F_* names ('onlink'), or a number")
	// rtm_flags names RTM_F_* and the next hop's RTNH_F_* bits: a short
	// name drops either prefix, the next hop's first ('offload' is
	// RTNH_F_OFFLOAD, as in ip route's output).
	flags.short = map[string]uint64{}
	for _, ev := range flags.enum.Values {
		s := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(ev.Name, "RTNH_F_"), "RTM_F_"))
		if _, dup := flags.short[s]; !dup {
			flags.short[s] = ev.Value
		}
	}
	scope := fieldKey(c, "scope", vEnum, useAll, "universe (global), site, link, host or nowhere; chosen as iproute2 does when absent")
	scope.short = enumShort(rtnl.Scopes)
	scope.short["global"] = unix.RT_SCOPE_UNIVERSE
	v := newVerb("ip.route", c, "RTA_", []string{"add", "replace", "change", "append", "del", "get", "dump", "flush"},
		special("dst", "prefix or 'default'", useAll, "destination ('10.8.0.0/16'; a bare address is a host); in get, the address to look up"),
		fieldKey(c, "dst_len", vInt, useAll, "prefix length, when dst does not say it"),
		attrKey(c, "gateway", "RTA_GATEWAY", vAddr, useAll, "next hop").also("via"),
		attrKey(c, "prefsrc", "RTA_PREFSRC", vAddr, useAll, "preferred source address"),
		attrKey(c, "src", "RTA_PREFSRC", vAddr, useChange, "preferred source address (RTA_PREFSRC, as ip route add … src); in get and filters, the source prefix"),
		attrKey(c, "priority", "RTA_PRIORITY", vInt, useAll, "metric").also("metric"),
		&ipKey{name: "table", kind: vTable, field: -1, attr: attrDesc(c, "RTA_TABLE"), use: useAll, doc: "routing table: in rtm_table below 256, else in RTA_TABLE"},
		attrKey(c, "oif", "RTA_OIF", vIfindex, useAll, "output interface").also("dev"),
		special("metrics", "{mtu = 1400, …}", useChange, "RTA_METRICS: RTAX_* by short name, or a list of pairs"),
		special("multipath", "list of nexthops", useChange, "RTA_MULTIPATH: {gateway = …, dev = …, weight = …} each"),
		fieldKey(c, "family", vFamily, useAll, "address family; the addresses given say it when absent"),
		fieldKey(c, "proto", vEnum, useAll, "who installed the route (RTPROT_*): boot unless given"),
		scope,
		fieldKey(c, "type", vEnum, useAll, "route type (RTN_*): unicast unless given"),
		fieldKey(c, "tos", vInt, useAll, "type of service"),
		flags,
		special("onlink", "boolean", useChange, "the gateway is on the link even if no prefix says so (RTNH_F_ONLINK)"),
		attrKey(c, "src", "RTA_SRC", vPrefix, useFilter|useGet, "source prefix (ip route get … from)").also("from"),
		fieldKey(c, "src_len", vInt, useAll, "source prefix length"),
		attrKey(c, "iif", "RTA_IIF", vIfindex, useAll, "input interface"),
		special("fib_match", "boolean", useGet, "return the FIB entry that matched rather than the resolved route (RTM_F_FIB_MATCH)"),
	)
	v.hints = map[string]string{"gw": "'gateway'", "nexthop": "'multipath'", "nexthops": "'multipath'",
		"weight": "'multipath' (a list of {gateway=…, weight=…})", "protocol": "'proto'",
		"preference": "'priority'", "pref_src": "'prefsrc'"}
	for _, n := range routeMetricNames() {
		v.hints[n] = "metrics = {" + n + " = …}"
	}
	return v
})

// attrDesc is class c's attribute named name.
func attrDesc(c *engine.Class, name string) *engine.AttrDesc {
	d, ok := c.Attrs.ByName(name)
	if !ok {
		panic("ip: " + c.Name + " has no attribute " + name)
	}
	return d
}

// nexthopClass is the class of RTA_MULTIPATH's records (struct rtnexthop).
func nexthopClass() *engine.Class { return attrDesc(rtnl.RouteClass, "RTA_MULTIPATH").Record }

// routeMetricNames are the RTA_METRICS keys: RTAX_* in lower case.
var routeMetricNames = sync.OnceValue(func() []string {
	var names []string
	for _, a := range attrDesc(rtnl.RouteClass, "RTA_METRICS").Set.Attrs {
		names = append(names, strings.ToLower(strings.TrimPrefix(a.Name, "RTAX_")))
	}
	return names
})

// The keys of a multipath entry, by their place in nexthopVerb's table.
const (
	nhGateway = iota
	nhOif
	nhHops
	nhWeight
	nhFlags
	nhOnlink
	nhAttrs
	nhFriendly
)

// nexthopVerb is the table of one entry of ip.route's multipath.
var nexthopVerb = sync.OnceValue(func() *ipVerb {
	c := nexthopClass()
	return newVerb("ip.route: multipath", c, "RTA_", nil,
		attrKey(c, "gateway", "RTA_GATEWAY", vAddr, useAll, "next hop").also("via"),
		fieldKey(c, "oif", vIfindex, useAll, "output interface").also("dev"),
		fieldKey(c, "hops", vInt, useAll, "weight - 1, as the kernel keeps it"),
		special("weight", "number (1 to 256)", useAll, "share of the traffic, as iproute2's weight (hops + 1)"),
		fieldKey(c, "flags", vFlags, useAll, "RTNH_F_* names ('onlink') or a number"),
		special("onlink", "boolean", useAll, "RTNH_F_ONLINK"),
		special("attrs", "list of pairs", useAll, "attributes of the nexthop ({{'RTA_GATEWAY', …}}), as given"),
	)
})

// route is ip.route(cmd, spec).
func (i *ipInst) route(L *lua.LState) int {
	v := routeVerb()
	cmd := verbCommand(L, v.name, v.cmds)
	switch cmd {
	case "dump":
		return i.routeList(L, "ip.routes", L.Get(2))
	case "flush":
		return i.routeFlush(L, L.Get(2))
	case "get":
		c := i.call(L, v, cmd, useGet)
		defer c.done()
		c.read(L.Get(2))
		return c.ask(c.routeGet())
	}
	c := i.call(L, v, cmd, useChange)
	defer c.done()
	c.read(L.Get(2))
	return c.send(c.routeChange())
}

// routes is ip.routes(filter).
func (i *ipInst) routes(L *lua.LState) int { return i.routeList(L, "ip.routes", L.Get(1)) }

// routeChange builds add, replace, change, append or del.
func (c *ipCall) routeChange() *ipMsg {
	h := c.m.host
	cmd := routeChanges[c.cmd]
	if !c.has(c.verb.keys[rDst]) {
		c.fail("%s needs dst (a prefix such as '10.8.0.0/16', or 'default')", c.cmd)
	}
	del := c.cmd == "del"
	m := c.msg(rtnl.RouteClass, cmd.typ, cmd.flags)
	k := c.verb.keys

	var (
		dst    string
		hasDst bool
		dstLen any = uint64(0)
		fam    int64
	)
	if d := c.get(k[rDst]); d != lua.LString("default") {
		a, l, f, _ := c.prefix("dst", d)
		dst, hasDst, dstLen, fam = a, l != 0, uint64(l), f
	}
	if c.truthy(k[rDstLen]) {
		dstLen = h.FromLua(c.get(k[rDstLen]))
	}
	gw := or(c.get(k[rGateway]), lua.LNil)
	src := or(c.get(k[rPrefsrc]), c.get(k[rSrcChange]))
	var mp []any
	var firstGW lua.LValue = lua.LNil
	if c.truthy(k[rMultipath]) {
		mp, firstGW = c.nexthops(c.get(k[rMultipath]))
	}
	// The family: given, or that of the first address in the spec.
	var family lua.LValue
	if c.has(k[rFamily]) {
		family = c.value(k[rFamily], c.get(k[rFamily]))
	} else if fam == 0 { // 'default' says nothing of the family
		fam = unix.AF_INET
		for _, a := range [...]lua.LValue{gw, firstGW, src} {
			if s, ok := a.(lua.LString); ok {
				fam = addrFamily(string(s))
				break
			}
		}
	}
	if family == nil {
		family = lua.LNumber(fam)
	}
	fam = int64(lua.LVAsNumber(family))

	proto, rtype := lua.LValue(lua.LNumber(unix.RTPROT_BOOT)), lua.LValue(lua.LNumber(unix.RTN_UNICAST))
	if del {
		proto, rtype = lua.LNumber(unix.RTPROT_UNSPEC), lua.LNumber(unix.RTN_UNSPEC)
	}
	if c.truthy(k[rProto]) {
		proto = c.value(k[rProto], c.get(k[rProto]))
	}
	if c.truthy(k[rType]) {
		rtype = c.value(k[rType], c.get(k[rType]))
	}
	t := int64(lua.LVAsNumber(rtype))
	// The scope iproute2 picks: host for local routes, link for device
	// routes without a gateway, universe otherwise (always for IPv6);
	// nowhere (any) when deleting.
	var scope lua.LValue
	switch {
	case c.truthy(k[rScope]):
		scope = c.value(k[rScope], c.get(k[rScope]))
	case fam == unix.AF_INET6:
		scope = lua.LNumber(unix.RT_SCOPE_UNIVERSE)
	case t == unix.RTN_LOCAL || t == unix.RTN_NAT:
		scope = lua.LNumber(unix.RT_SCOPE_HOST)
	case t == unix.RTN_BROADCAST || t == unix.RTN_MULTICAST || t == unix.RTN_ANYCAST:
		scope = lua.LNumber(unix.RT_SCOPE_LINK)
	case del:
		scope = lua.LNumber(unix.RT_SCOPE_NOWHERE)
	case (t == unix.RTN_UNICAST || t == unix.RTN_UNSPEC) && !truthy(gw) && mp == nil:
		scope = lua.LNumber(unix.RT_SCOPE_LINK)
	default:
		scope = lua.LNumber(unix.RT_SCOPE_UNIVERSE)
	}
	var rflags any = uint64(0)
	if c.has(k[rFlags]) {
		rflags = h.FromLua(c.value(k[rFlags], c.get(k[rFlags])))
	}
	if c.truthy(k[rOnlink]) {
		rflags = toUint(rflags) | unix.RTNH_F_ONLINK
	}

	// Table: in the header when it fits in a byte, else in RTA_TABLE.
	tid := int64(unix.RT_TABLE_MAIN)
	if t == unix.RTN_LOCAL || t == unix.RTN_BROADCAST || t == unix.RTN_ANYCAST || t == unix.RTN_NAT {
		tid = unix.RT_TABLE_LOCAL
	}
	var table lua.LValue = lua.LNumber(tid)
	if c.truthy(k[rTable]) {
		table = c.value(k[rTable], c.get(k[rTable]))
	}
	hdrTable := table
	big := false
	if n, ok := table.(lua.LNumber); ok && n >= routeTableBytes {
		hdrTable, big = lua.LNumber(unix.RT_TABLE_UNSPEC), true
	}
	var tos any = uint64(0)
	if c.truthy(k[rTos]) {
		tos = h.FromLua(c.get(k[rTos]))
	}

	if hasDst {
		m.add(k[rDst].attrOr(rtaDst()), dst)
	}
	if truthy(gw) {
		m.add(k[rGateway].attr, h.FromLua(gw))
	}
	if truthy(src) {
		m.add(k[rPrefsrc].attr, h.FromLua(src))
	}
	if p := c.get(k[rPriority]); truthy(p) {
		m.add(k[rPriority].attr, h.FromLua(p))
	}
	if big {
		m.add(k[rTable].attr, h.FromLua(table))
	}
	if dev := c.get(k[rOif]); truthy(dev) {
		m.add(k[rOif].attr, h.FromLua(c.value(k[rOif], dev)))
	}
	if c.truthy(k[rMetrics]) {
		m.add(attrDesc(rtnl.RouteClass, "RTA_METRICS"), c.routeMetrics(c.get(k[rMetrics])))
	}
	if mp != nil {
		m.add(attrDesc(rtnl.RouteClass, "RTA_MULTIPATH"), engine.Table{List: mp})
	}
	m.setField(rtmFamily, h.FromLua(family))
	m.setField(rtmDstLen, dstLen)
	m.setField(rtmTos, tos)
	m.setField(rtmTable, h.FromLua(hdrTable))
	m.setField(rtmProto, h.FromLua(proto))
	m.setField(rtmScope, h.FromLua(scope))
	m.setField(rtmType, h.FromLua(rtype))
	m.setField(rtmFlags, rflags)
	if c.truthy(k[rSrcLen]) {
		m.setField(rtmSrcLen, h.FromLua(c.get(k[rSrcLen])))
	}
	c.applyRest(m, rFriendly)
	return m
}

// rtmsg's fields, by index.
var (
	rtmFamily = fieldIndex(rtnl.RouteClass, "family")
	rtmDstLen = fieldIndex(rtnl.RouteClass, "dst_len")
	rtmSrcLen = fieldIndex(rtnl.RouteClass, "src_len")
	rtmTos    = fieldIndex(rtnl.RouteClass, "tos")
	rtmTable  = fieldIndex(rtnl.RouteClass, "table")
	rtmProto  = fieldIndex(rtnl.RouteClass, "proto")
	rtmScope  = fieldIndex(rtnl.RouteClass, "scope")
	rtmType   = fieldIndex(rtnl.RouteClass, "type")
	rtmFlags  = fieldIndex(rtnl.RouteClass, "flags")
)

// routeTableBytes: tables from here on go in RTA_TABLE, not rtm_table.
const routeTableBytes = 256

// attrOr is the key's attribute, or d.
func (k *ipKey) attrOr(d *engine.AttrDesc) *engine.AttrDesc {
	if k.attr != nil {
		return k.attr
	}
	return d
}

// rtaDst is RTA_DST, which the key dst (a prefix) does not name itself;
// looked up on first use.
var rtaDst = sync.OnceValue(func() *engine.AttrDesc { return attrDesc(rtnl.RouteClass, "RTA_DST") })

// or is Lua's a or b.
func or(a, b lua.LValue) lua.LValue {
	if truthy(a) {
		return a
	}
	return b
}

// toUint reads an encoder's number as an unsigned integer.
func toUint(v any) uint64 {
	switch x := v.(type) {
	case uint64:
		return x
	case int64:
		return uint64(x)
	case float64:
		return uint64(x)
	}
	return 0
}

// applyRest puts the keys from the verb's first derived one on (each a
// field or an attribute as it is), then the raw attributes.
func (c *ipCall) applyRest(m *ipMsg, first int) {
	h := c.m.host
	rest := false
	for _, i := range c.set {
		rest = rest || i >= first
	}
	if rest {
		for _, i := range sortedInts(c.set) {
			if i < first {
				continue
			}
			k := c.verb.keys[i]
			v := c.value(k, c.vals[i])
			switch {
			case v == nil:
			case k.field >= 0:
				m.setField(k.field, h.FromLua(v))
			case k.attr != nil:
				m.add(k.attr, h.FromLua(v))
			}
		}
	}
	for _, r := range c.sortedRaw() {
		m.add(r.d, h.FromLua(r.v))
	}
}

// routeMetrics builds RTA_METRICS: RTAX_* in the kernel's order, from
// {mtu=1400, …}, or a list of {'RTAX_…', v} pairs taken as it is.
func (c *ipCall) routeMetrics(v lua.LValue) any {
	t, ok := v.(*lua.LTable)
	if !ok {
		c.fail("metrics: expected a table such as {mtu=1400}, got %s", v.Type().String())
	}
	h := c.m.host
	if c.indexInt(t, 1) != lua.LNil {
		return h.FromLua(t)
	}
	names := routeMetricNames()
	if t.Metatable == lua.LNil {
		var bad string
		for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
			if ks, ok := k.(lua.LString); !ok || !hasString(names, string(ks)) {
				if s := lua.LVAsString(k); bad == "" || s < bad {
					bad = s
				}
			}
		}
		if bad != "" {
			if cl := engine.Closest(bad, names, 1); len(cl) > 0 {
				c.fail("metrics: unknown key '%s' (did you mean '%s'?)", bad, cl[0])
			}
			c.fail("metrics: unknown key '%s' (valid keys: %s)", bad, strings.Join(names, ", "))
		}
	}
	var out []any
	for _, n := range names {
		if x := c.index(t, n); x != lua.LNil {
			out = append(out, engine.Table{List: []any{"RTAX_" + strings.ToUpper(n), h.FromLua(x)}})
		}
	}
	return engine.Table{List: out}
}

// nexthops builds RTA_MULTIPATH: one rtnexthop per entry (the kernel's
// weight is hops + 1). It also returns the first entry's gateway, which
// may give the route its family.
func (c *ipCall) nexthops(v lua.LValue) ([]any, lua.LValue) {
	list, ok := v.(*lua.LTable)
	if !ok {
		c.fail("multipath: expected a list of nexthops such as {{gateway=…}, …}")
	}
	h := c.m.host
	nv := nexthopVerb()
	out := []any{}
	var first lua.LValue = lua.LNil
	for n := 1; ; n++ {
		entry := c.indexInt(list, n)
		if entry == lua.LNil {
			break
		}
		nc := c.inst.call(c.L, nv, "", useChange)
		nc.name = fmt.Sprintf("ip.route: multipath[%d]", n)
		nc.read(entry)
		if _, ok := entry.(*lua.LTable); !ok {
			nc.fail("expected a table of options, got %s", entry.Type().String())
		}
		k := nv.keys
		var hops any = uint64(0)
		if nc.has(k[nhHops]) {
			hops = h.FromLua(nc.get(k[nhHops]))
		}
		if w := nc.get(k[nhWeight]); truthy(w) {
			wn, ok := w.(lua.LNumber)
			if !ok || wn < 1 || wn > 256 {
				nc.fail("weight must be a number from 1 to 256")
			}
			hops = h.FromLua(wn - 1)
		}
		var flags any = uint64(0)
		if nc.has(k[nhFlags]) {
			flags = h.FromLua(nc.value(k[nhFlags], nc.get(k[nhFlags])))
		}
		if nc.truthy(k[nhOnlink]) {
			flags = toUint(flags) | unix.RTNH_F_ONLINK
		}
		var oif any = uint64(0)
		if dev := nc.get(k[nhOif]); truthy(dev) {
			oif = h.FromLua(nc.value(k[nhOif], dev))
		}
		attrs := []any{}
		if gw := nc.get(k[nhGateway]); truthy(gw) {
			attrs = append(attrs, engine.Table{List: []any{"RTA_GATEWAY", h.FromLua(gw)}})
			if n == 1 {
				first = gw
			}
		}
		if raw := nc.get(k[nhAttrs]); raw != lua.LNil {
			t, ok := h.FromLua(raw).(engine.Table)
			if !ok {
				nc.fail("attrs: expected a list of {'RTA_…', value} pairs, got %s", raw.Type().String())
			}
			for _, p := range t.List {
				attrs = append(attrs, p)
				if pt, ok := p.(engine.Table); ok && n == 1 && first == lua.LNil && len(pt.List) == 2 && pt.List[0] == "RTA_GATEWAY" {
					if s, ok := pt.List[1].(string); ok {
						first = lua.LString(s)
					}
				}
			}
		}
		rest := newMsg(nv.class, 0, 0)
		nc.applyRest(rest, nhFriendly)
		for _, a := range rest.rec.Attrs {
			attrs = append(attrs, engine.Table{List: []any{a.Desc.Name, a.Value}})
		}
		out = append(out, engine.Table{Map: map[string]any{
			"flags": flags, "hops": hops, "oif": oif, "attrs": engine.Table{List: attrs},
		}})
		nc.done()
	}
	return out, first
}

// routeGet builds RTM_GETROUTE without NLM_F_DUMP: the kernel resolves dst
// as it would route a packet (`ip route get`) and answers with one route.
// Every key of the table may be given; the kernel refuses what it does
// not take (an error value, with its reason).
func (c *ipCall) routeGet() *ipMsg {
	h := c.m.host
	k := c.verb.keys
	if _, ok := c.get(k[rDst]).(lua.LString); !ok {
		c.fail("needs dst (an address such as '10.8.1.1')")
	}
	dst, _, fam, _ := c.prefix("dst", c.get(k[rDst]))
	var family lua.LValue = lua.LNumber(fam)
	if c.has(k[rFamily]) {
		family = c.value(k[rFamily], c.get(k[rFamily]))
	}
	full := uint64(32)
	if int64(lua.LVAsNumber(family)) == unix.AF_INET6 {
		full = 128
	}
	m := newMsg(rtnl.RouteClass, unix.RTM_GETROUTE, engine.NLM_F_REQUEST)
	m.setField(rtmFamily, h.FromLua(family))
	m.setField(rtmDstLen, full)
	if c.has(k[rDstLen]) {
		m.setField(rtmDstLen, h.FromLua(c.get(k[rDstLen])))
	}
	var flags any = uint64(0)
	if c.has(k[rFlags]) {
		flags = h.FromLua(c.value(k[rFlags], c.get(k[rFlags])))
	}
	if c.truthy(k[rFibMatch]) {
		flags = toUint(flags) | unix.RTM_F_FIB_MATCH
	}
	m.setField(rtmFlags, flags)
	for _, fk := range [...]int{rProto, rScope, rType, rTos} {
		if c.has(k[fk]) {
			m.setField(k[fk].field, h.FromLua(c.value(k[fk], c.get(k[fk]))))
		}
	}
	m.add(rtaDst(), dst)
	if from := c.get(k[rSrc]); truthy(from) {
		a, _, _, _ := c.prefix("src", from)
		m.setField(rtmSrcLen, full)
		m.add(k[rSrc].attr, a)
	}
	if c.has(k[rSrcLen]) {
		m.setField(rtmSrcLen, h.FromLua(c.get(k[rSrcLen])))
	}
	if iif := c.get(k[rIif]); truthy(iif) {
		m.add(k[rIif].attr, h.FromLua(c.value(k[rIif], iif)))
	}
	if dev := c.get(k[rOif]); truthy(dev) {
		m.add(k[rOif].attr, h.FromLua(c.value(k[rOif], dev)))
	}
	for _, ak := range [...]int{rGateway, rPrefsrc, rPriority} {
		if c.has(k[ak]) {
			m.add(k[ak].attr, h.FromLua(c.get(k[ak])))
		}
	}
	if c.has(k[rTable]) {
		m.add(k[rTable].attr, h.FromLua(c.value(k[rTable], c.get(k[rTable]))))
	}
	c.applyRest(m, rFriendly)
	return m
}

// routeList runs ip.routes(filter): a strict dump. What the kernel can
// filter goes into the request (family and, as rtmsg fields, proto and
// type; table and oif as RTA_TABLE and RTA_OIF: with strict checking the
// kernel sends only the routes they select); the rest is tested here, on
// the raw messages, attributes first.
func (i *ipInst) routeList(L *lua.LState, name string, filter lua.LValue) int {
	c := i.getter(L, routeVerb(), name, filter)
	defer c.done()
	req, f := c.routeFilter()
	// A dump of one family's table that does not exist: no routes.
	c.quiet = func(err error) bool { return errors.Is(err, unix.ENOENT) && req.field(0) != unix.AF_UNSPEC }
	return c.list(req, f)
}

// routeFilter builds the dump request and the filter of a route getter.
func (c *ipCall) routeFilter() (*ipMsg, *ipFilter) {
	h := c.m.host
	req := newMsg(rtnl.RouteClass, unix.RTM_GETROUTE, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	k := c.verb.keys
	f := c.compileFilter(req, func(f *ipFilter, key *ipKey, want lua.LValue, req *ipMsg) bool {
		_, isFn := want.(*lua.LFunction)
		switch key.index {
		case rFamily:
			if isFn {
				return false
			}
			req.setField(key.field, h.FromLua(c.value(key, want)))
		case rTable:
			get := func(m *engine.Message) lua.LValue {
				if t := c.attrValue(m, key.attr); t != lua.LNil {
					return t
				}
				return c.fieldValue(m, 4)
			}
			if isFn {
				f.compare(get, want, nil)
				return true
			}
			id := c.value(key, want)
			if id == lua.LNumber(0) {
				f.test(func(m *engine.Message) bool {
					return c.fieldValue(m, 4) == lua.LNumber(0) && c.attrValue(m, key.attr) == lua.LNil
				})
			} else {
				req.add(key.attr, h.FromLua(id))
			}
		case rOif:
			if isFn {
				return false
			}
			req.add(key.attr, h.FromLua(c.value(key, want)))
		case rProto, rType:
			if isFn {
				return false
			}
			v := c.value(key, want)
			if v == lua.LNumber(0) { // 0 selects nothing in the kernel
				f.compare(func(m *engine.Message) lua.LValue { return c.fieldValue(m, key.field) }, v, equal)
			} else {
				req.setField(key.field, h.FromLua(v))
			}
		case rDst:
			dst := func(m *engine.Message) lua.LValue { return c.attrValue(m, attrDesc(rtnl.RouteClass, "RTA_DST")) }
			if isFn {
				f.compare(dst, want, nil)
				return true
			}
			var addr string
			length := -1
			if want != lua.LString("default") {
				a, l, _, given := c.prefix("dst", want)
				if given {
					length = l
				}
				if length != 0 {
					addr = c.canonAddr("dst", lua.LString(a))
				}
			}
			if addr == "" {
				f.test(func(m *engine.Message) bool { return dst(m) == lua.LNil })
			} else {
				f.test(func(m *engine.Message) bool { return dst(m) == lua.LString(addr) })
				if length >= 0 {
					f.test(func(m *engine.Message) bool { return c.fieldValue(m, 1) == lua.LNumber(length) })
				}
			}
		case rSrc:
			if isFn {
				return false
			}
			a, l, _, given := c.prefix("src", want)
			addr := lua.LString(c.canonAddr("src", lua.LString(a)))
			f.test(func(m *engine.Message) bool { return c.attrValue(m, key.attr) == addr })
			if given {
				f.test(func(m *engine.Message) bool { return c.fieldValue(m, 2) == lua.LNumber(l) })
			}
		case rPriority:
			// IPv4 routes of metric 0 carry no RTA_PRIORITY.
			get := func(m *engine.Message) lua.LValue {
				if p := c.attrValue(m, key.attr); p != lua.LNil {
					return p
				}
				return lua.LNumber(0)
			}
			f.compare(get, want, equal)
		default:
			return false
		}
		return true
	})
	// An IPv4 or IPv6 dst or gateway picks the family, so the kernel skips
	// the other one.
	if !c.has(k[rFamily]) && req.field(0) == unix.AF_UNSPEC {
		for _, a := range [...]lua.LValue{c.get(k[rDst]), c.get(k[rGateway])} {
			if s, ok := a.(lua.LString); ok && s != "default" {
				req.setField(0, uint64(addrFamily(string(s))))
				break
			}
		}
	}
	return req, f
}

// routeFlush deletes every route ip.routes(filter) returns, each by its
// key (family, prefix, tos, table, protocol, scope, type, metric, device,
// gateway), and returns how many it deleted; with dry, the messages.
func (i *ipInst) routeFlush(L *lua.LState, filter lua.LValue) int {
	if t, ok := filter.(*lua.LTable); filter == lua.LNil || ok && t.Metatable == lua.LNil && isEmptyTable(t) {
		L.RaiseError("ip.route flush: give a filter ({table=100}, {dev='v0'}, a function, …); it would flush every route")
	}
	c := i.getter(L, routeVerb(), "ip.route flush", filter)
	defer c.done()
	dry := c.dry
	c.dry = false
	req, f := c.routeFilter()
	c.quiet = func(err error) bool { return errors.Is(err, unix.ENOENT) && req.field(0) != unix.AF_UNSPEC }
	c.list(req, f)
	found := L.Get(-1).(*lua.LTable)
	L.Pop(1)
	return c.flush(found, dry, unix.RTM_DELROUTE, unix.ESRCH, false, func(msg engine.Message, m *ipMsg) {
		rec := msg.Decode(rtnl.Route)
		for j, name := range []string{"family", "dst_len", "src_len", "tos", "table", "proto", "scope", "type"} {
			_ = j
			if v, ok := rec.Field(name); ok {
				fi, _ := rtnl.RouteClass.Struct.FieldIndex(name)
				m.setField(fi, v)
			}
		}
		for _, name := range []string{"RTA_DST", "RTA_SRC", "RTA_TABLE", "RTA_PRIORITY", "RTA_OIF", "RTA_GATEWAY"} {
			if v, ok := rec.Get(name); ok {
				m.add(attrDesc(rtnl.RouteClass, name), v)
			}
		}
	}, true)
}

// isEmptyTable reports whether t has no keys.
func isEmptyTable(t *lua.LTable) bool {
	k, _ := t.Next(lua.LNil)
	return k == lua.LNil
}
