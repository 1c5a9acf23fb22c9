package luabind

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ip.route add, replace, append and del build their rtmsg here rather than
// in ip/route.lua: route tables are the objects people load by the hundred
// thousand, and in Lua each route cost several microseconds of table
// building before the kernel saw it. The result is the same message
// iproute2 sends (testdata/iproute2 holds its bytes), attributes in its
// order; dry=true shows it. ip/route.lua keeps the other commands and the
// getters, and reads names (proto, type, scope, table, family) through
// luaRouteValue, so each rule lives in one place.

// Names accepted for rtmsg's enums and the RTA_METRICS keys: the
// constants' suffixes, lower case ('boot' for RTPROT_BOOT), read from
// rtnl's descriptions.
var (
	routeTypeNames   = enumShortNames("type", "RTN_")
	routeScopeNames  = enumShortNames("scope", "RT_SCOPE_")
	routeProtoNames  = enumShortNames("proto", "RTPROT_")
	routeMetricNames = func() []string {
		d, _ := rtnl.RouteClass.Attrs.ByName("RTA_METRICS")
		var names []string
		for _, a := range d.Set.Attrs {
			names = append(names, strings.ToLower(strings.TrimPrefix(a.Name, "RTAX_")))
		}
		return names
	}()
)

// enumShortNames lists the values of an rtmsg field's enum by short name.
func enumShortNames(field, prefix string) []string {
	var names []string
	for _, v := range rtmsgEnum(field).Values {
		names = append(names, strings.ToLower(strings.TrimPrefix(v.Name, prefix)))
	}
	return names
}

// rtmsgEnum is the enum naming an rtmsg field's values.
func rtmsgEnum(field string) *engine.Enum {
	i, _ := rtnl.RouteClass.Struct.FieldIndex(field)
	return rtnl.RouteClass.Struct.Fields[i].Enum
}

// Keys of ip.route's spec (besides dry and echo), and of a multipath entry.
var (
	routeKeys = keySet("dst", "dst_len", "gateway", "via", "oif", "dev", "table",
		"priority", "metric", "proto", "scope", "type", "src", "prefsrc", "metrics", "multipath",
		"family", "onlink", "tos")
	nexthopKeys = keySet("gateway", "via", "oif", "dev", "hops", "weight", "onlink")
	metricKeys  = keySet(routeMetricNames...)
)

// routeHints names what nlsh calls the keys people bring from other tools;
// edit distance alone would not find these ('gw' is closer to 'dev').
var routeHints = func() map[string]string {
	h := map[string]string{"gw": "'gateway'", "nexthop": "'multipath'", "nexthops": "'multipath'",
		"weight": "'multipath' (a list of {gateway=…, weight=…})", "protocol": "'proto'",
		"preference": "'priority'", "pref_src": "'prefsrc'"}
	for _, k := range routeMetricNames {
		h[k] = "metrics = {" + k + " = …}"
	}
	return h
}()

// truthy is Lua's test: anything but nil and false.
func truthy(v lua.LValue) bool { return v != lua.LNil && v != lua.LFalse }

func keySet(names ...string) map[string]bool {
	s := make(map[string]bool, len(names))
	for _, n := range names {
		s[n] = true
	}
	return s
}

// routeChanges are the commands built here; their header flags are ip.lua's
// U.flags, which every verb shares.
var routeChanges = keySet("add", "replace", "append", "del")

// routeRecord holds what routeRequest builds, allocated at once.
type routeRecord struct {
	rec    engine.Record
	fields engine.StructValue
	vals   [16]any        // rtmsg's fields (9)
	attrs  [8]engine.Attr // at most 8: DST, GATEWAY, PREFSRC, PRIORITY, TABLE, OIF, METRICS, MULTIPATH
}

// routeTableBytes: tables from here on go in RTA_TABLE, not rtm_table.
const routeTableBytes = 256

// routeError is an argument error, raised at the script's line.
type routeError string

func (e routeError) Error() string { return string(e) }

func routeErrorf(format string, args ...any) routeError {
	return routeError(fmt.Sprintf(format, args...))
}

// luaRouteMsg is the ip module's native route(IP, self, cmd, spec, flags):
// the encoded request of ip.route add, replace, append or del (or with dry
// the message table), with the header flags given.
func (e *Env) luaRouteMsg(L *lua.LState) int {
	ipT, self := L.CheckTable(1), L.Get(2)
	b, err := e.routeMsg(L, L.CheckString(3), uint16(L.CheckInt(5)), L.Get(4), func(v lua.LValue, what string) lua.LValue {
		return e.ifindex(L, ipT, self, v, what)
	})
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	L.Push(b)
	return 1
}

// luaRouteVerb is native.route_verb(IP, inst, fallback, socket, flags): the
// function bound as inst.route. It builds add, replace, append and del
// here and sends them as U.send does (socket is U.socket); other commands
// go to fallback, the usual wrapper of IP.route. Called straight from a
// script, it raises its errors at the script's line without the wrapper's
// pcall.
func (e *Env) luaRouteVerb(L *lua.LState) int {
	ipT, inst := L.CheckTable(1), L.CheckTable(2)
	fallback, socketFn, flags := L.CheckFunction(3), L.CheckFunction(4), L.CheckTable(5)
	L.Push(L.NewFunction(func(L *lua.LState) int {
		top := L.GetTop()
		cmd, _ := L.Get(1).(lua.LString)
		// A spec with a metatable may run Lua as it is read: the wrapper
		// reads it on a call thread of its own, where a yield is refused.
		if spec, ok := L.Get(2).(*lua.LTable); !routeChanges[string(cmd)] || ok && spec.Metatable != lua.LNil {
			L.Push(fallback)
			for i := 1; i <= top; i++ {
				L.Push(L.Get(i))
			}
			L.Call(top, lua.MultRet)
			return L.GetTop() - top
		}
		spec := L.Get(2)
		f, _ := flags.RawGetString(string(cmd)).(lua.LNumber)
		dry, b, err := e.routeBuild(L, string(cmd), uint16(f), spec, func(v lua.LValue, what string) lua.LValue {
			return e.ifindex(L, ipT, inst, v, what)
		})
		if err != nil {
			L.RaiseError("%s", err.Error())
		}
		if dry != nil {
			L.Push(dry)
			return 1
		}
		// Inside ip.batch the bytes go straight to the batch (U.send would
		// refuse echo there: it says so).
		if fn, ok := inst.RawGetString("_batch").(*lua.LFunction); ok {
			if add := e.batchAdds[fn]; add != nil && !truthy(getOpt(L, spec, "echo")) {
				add(L, b)
				return 0
			}
		}
		return e.send(L, inst, lua.LString(b), spec, socketFn)
	}))
	return 1
}

// modulePos is the position an error raised inside the ip module starts
// with; the caller's own replaces it, as ip.lua's rethrow does.
var modulePos = regexp.MustCompile(`^ip/[A-Za-z0-9_]+\.lua:\d+: `)

// rethrow re-raises an error from inside the ip module at the script's
// line: text without the module's position, error values unchanged.
func rethrow(L *lua.LState, err error) {
	var ae *lua.ApiError
	if errors.As(err, &ae) {
		if s, ok := ae.Object.(lua.LString); ok {
			L.RaiseError("%s", modulePos.ReplaceAllString(string(s), ""))
		}
		L.Error(ae.Object, 0)
	}
	L.RaiseError("%s", err.Error())
}

// luaIfindex is native.ifindex(IP, self, v, what), ip.lua's U.ifindex.
func (e *Env) luaIfindex(L *lua.LState) int {
	L.Push(e.ifindex(L, L.CheckTable(1), L.Get(2), L.Get(3), L.OptString(4, "interface")))
	return 1
}

// ifindex turns an interface name or index into an index, asking
// IP.link_lookup for a name, and raises a clear error for a name that does
// not exist.
func (e *Env) ifindex(L *lua.LState, ipT *lua.LTable, self, v lua.LValue, what string) lua.LValue {
	switch v.(type) {
	case lua.LNumber:
		return v
	case lua.LString:
	default:
		L.RaiseError("%s: expected a name or an index, got %s", what, v.Type().String())
	}
	L.Push(L.GetField(ipT, "link_lookup"))
	L.Push(self)
	L.Push(v)
	if err := e.pcall(L, "ip.link_lookup", 2, 1, nil); err != nil {
		rethrow(L, err)
	}
	i := L.Get(-1)
	L.Pop(1)
	if i == lua.LNil {
		L.RaiseError("%s: no interface named '%s'", what, v.String())
	}
	return i
}

// routeSpec holds the keys of ip.route's spec table, read in one pass.
type routeSpec struct {
	dst, dstLen, gateway, via, oif, dev, table, priority, metric, proto, scope,
	typ, src, prefsrc, metrics, multipath, family, onlink, tos, echo, dry lua.LValue
}

// read takes the spec's keys; it reports false if one is not ip.route's,
// for checkSpec to name it.
func (r *routeSpec) read(L *lua.LState, t *lua.LTable) bool {
	*r = routeSpec{dst: lua.LNil, dstLen: lua.LNil, gateway: lua.LNil, via: lua.LNil, oif: lua.LNil,
		dev: lua.LNil, table: lua.LNil, priority: lua.LNil, metric: lua.LNil, proto: lua.LNil,
		scope: lua.LNil, typ: lua.LNil, src: lua.LNil, prefsrc: lua.LNil, metrics: lua.LNil,
		multipath: lua.LNil, family: lua.LNil, onlink: lua.LNil, tos: lua.LNil, echo: lua.LNil, dry: lua.LNil}
	if t == nil {
		return true
	}
	ok := true
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		ks, isStr := k.(lua.LString)
		if !isStr {
			ok = false
			continue
		}
		switch ks {
		case "dst":
			r.dst = v
		case "dst_len":
			r.dstLen = v
		case "gateway":
			r.gateway = v
		case "via":
			r.via = v
		case "oif":
			r.oif = v
		case "dev":
			r.dev = v
		case "table":
			r.table = v
		case "priority":
			r.priority = v
		case "metric":
			r.metric = v
		case "proto":
			r.proto = v
		case "scope":
			r.scope = v
		case "type":
			r.typ = v
		case "src":
			r.src = v
		case "prefsrc":
			r.prefsrc = v
		case "metrics":
			r.metrics = v
		case "multipath":
			r.multipath = v
		case "family":
			r.family = v
		case "onlink":
			r.onlink = v
		case "tos":
			r.tos = v
		case "echo":
			r.echo = v
		case "dry":
			r.dry = v
		default:
			ok = false
		}
	}
	if t.Metatable != lua.LNil {
		// Keys the table inherits (__index) count, as spec.k reads them.
		for _, p := range []struct {
			k string
			v *lua.LValue
		}{{"dst", &r.dst}, {"dst_len", &r.dstLen}, {"gateway", &r.gateway}, {"via", &r.via},
			{"oif", &r.oif}, {"dev", &r.dev}, {"table", &r.table}, {"priority", &r.priority},
			{"metric", &r.metric}, {"proto", &r.proto}, {"scope", &r.scope}, {"type", &r.typ},
			{"src", &r.src}, {"prefsrc", &r.prefsrc}, {"metrics", &r.metrics}, {"multipath", &r.multipath},
			{"family", &r.family}, {"onlink", &r.onlink}, {"tos", &r.tos}, {"echo", &r.echo}, {"dry", &r.dry}} {
			*p.v = L.GetField(t, p.k)
		}
	}
	return ok
}

// firstString returns the first of a, b, c that is a string.
func firstString(a, b, c lua.LValue) (string, bool) {
	for _, v := range [3]lua.LValue{a, b, c} {
		if s, ok := v.(lua.LString); ok {
			return string(s), true
		}
	}
	return "", false
}

// luaIndex reads t[k] as Lua code would: raw, unless t has a metatable.
func luaIndex(L *lua.LState, t *lua.LTable, k lua.LValue) lua.LValue {
	if t.Metatable == lua.LNil {
		return t.RawGet(k)
	}
	return L.GetTable(t, k)
}

// or is Lua's a or b.
func or(a, b lua.LValue) lua.LValue {
	if truthy(a) {
		return a
	}
	return b
}

// rtmsg's description, resolved once: the fields by index and the
// attributes ip.route sends.
var (
	rtmsgFields = func() map[string]int {
		m := map[string]int{}
		for i, f := range rtnl.RouteClass.Struct.Fields {
			m[f.Name] = i
		}
		return m
	}()
	rtaDesc = func() map[string]*engine.AttrDesc {
		m := map[string]*engine.AttrDesc{}
		for _, n := range []string{"RTA_DST", "RTA_GATEWAY", "RTA_PREFSRC", "RTA_PRIORITY", "RTA_TABLE", "RTA_OIF", "RTA_METRICS", "RTA_MULTIPATH"} {
			d, ok := rtnl.RouteClass.Attrs.ByName(n)
			if !ok {
				panic("rtnl has no " + n)
			}
			m[n] = d
		}
		return m
	}()
)

// routeMsg builds the request: its bytes, or with dry the message table
// a script would have built (its values as given, header length 0).
func (e *Env) routeMsg(L *lua.LState, cmd string, flags uint16, specV lua.LValue, lookup func(lua.LValue, string) lua.LValue) (lua.LValue, error) {
	dry, b, err := e.routeBuild(L, cmd, flags, specV, lookup)
	if err != nil || dry != nil {
		return dry, err
	}
	return lua.LString(b), nil
}

// routeBuild is routeMsg with the bytes as they are: the message table for
// a dry run, else the encoded request.
func (e *Env) routeBuild(L *lua.LState, cmd string, flags uint16, specV lua.LValue, lookup func(lua.LValue, string) lua.LValue) (lua.LValue, []byte, error) {
	h, rec, dry, err := e.routeRequest(L, cmd, flags, specV, lookup)
	if err != nil {
		return nil, nil, err
	}
	if dry {
		return e.recordMessage(h, rtnl.RouteClass, rec), nil, nil
	}
	b, err := engine.EncodeMessage(h, rtnl.RouteClass, rec)
	if err != nil {
		return nil, nil, routeErrorf("ip.route: %s", err.Error())
	}
	return nil, b, nil
}

// getOpt reads spec[k] from an options value that may be nil.
func getOpt(L *lua.LState, spec lua.LValue, k string) lua.LValue {
	t, ok := spec.(*lua.LTable)
	if !ok {
		return lua.LNil
	}
	return luaIndex(L, t, lua.LString(k))
}

// routeRequest reads the spec into the request's header and record, and
// says whether it is a dry run; lookup resolves an interface name.
func (e *Env) routeRequest(L *lua.LState, cmd string, flags uint16, specV lua.LValue, lookup func(lua.LValue, string) lua.LValue) (engine.Header, *engine.Record, bool, error) {
	const fname = "ip.route"
	var h engine.Header
	if !routeChanges[cmd] {
		return h, nil, false, routeErrorf("%s: cannot build a '%s' request", fname, cmd)
	}
	t, isTable := specV.(*lua.LTable)
	var sp routeSpec
	if (specV != lua.LNil && !isTable) || !sp.read(L, t) {
		if _, err := checkSpec(fname, specV, routeKeys, routeHints); err != nil {
			return h, nil, false, err
		}
	}

	if sp.dst == lua.LNil {
		return h, nil, false, routeErrorf("%s: %s needs dst (a prefix such as '10.8.0.0/16', or 'default')", fname, cmd)
	}
	var (
		dst    string
		hasDst bool
		dstLen any         = uint64(0)
		fam    lua.LNumber // numbers stay Lua numbers: the encoder judges them
		err    error
	)
	if s, ok := sp.dst.(lua.LString); !ok || s != "default" {
		a, l, f, err := prefixOf(sp.dst, fname+": dst")
		if err != nil {
			return h, nil, false, err
		}
		dst, hasDst, dstLen, fam = a, l != 0, uint64(l), lua.LNumber(f)
	}
	if truthy(sp.dstLen) {
		dstLen = e.fromLua(sp.dstLen)
	}
	gw := or(sp.gateway, sp.via)
	src := or(sp.prefsrc, sp.src)
	var mp []any
	var firstGW lua.LValue = lua.LNil
	if truthy(sp.multipath) {
		if mp, firstGW, err = e.nexthops(L, fname, sp.multipath, lookup); err != nil {
			return h, nil, false, err
		}
	}
	// The family: given, or that of the first address in the spec.
	if sp.family != lua.LNil {
		if fam, err = familyOf(fname, sp.family); err != nil {
			return h, nil, false, err
		}
	} else if fam == 0 { // 'default' says nothing of the family
		fam = unix.AF_INET
		if s, ok := firstString(gw, firstGW, src); ok {
			fam = lua.LNumber(addrFamily(s))
		}
	}

	del := cmd == "del"
	proto, rtype := lua.LNumber(unix.RTPROT_BOOT), lua.LNumber(unix.RTN_UNICAST)
	if del {
		proto, rtype = unix.RTPROT_UNSPEC, unix.RTN_UNSPEC
	}
	if truthy(sp.proto) {
		if proto, err = e.routeEnum(fname+": proto", sp.proto, "RTPROT_", routeProtoNames, nil); err != nil {
			return h, nil, false, err
		}
	}
	if truthy(sp.typ) {
		if rtype, err = e.routeEnum(fname+": type", sp.typ, "RTN_", routeTypeNames, nil); err != nil {
			return h, nil, false, err
		}
	}
	// The scope iproute2 picks: host for local routes, link for device
	// routes without a gateway, universe otherwise (always for IPv6);
	// nowhere (any) when deleting.
	var scope lua.LNumber
	switch {
	case truthy(sp.scope):
		if scope, err = e.routeEnum(fname+": scope", sp.scope, "RT_SCOPE_", routeScopeNames, scopeAliases); err != nil {
			return h, nil, false, err
		}
	case fam == unix.AF_INET6:
		scope = unix.RT_SCOPE_UNIVERSE
	case rtype == unix.RTN_LOCAL || rtype == unix.RTN_NAT:
		scope = unix.RT_SCOPE_HOST
	case rtype == unix.RTN_BROADCAST || rtype == unix.RTN_MULTICAST || rtype == unix.RTN_ANYCAST:
		scope = unix.RT_SCOPE_LINK
	case rtype == unix.RTN_UNICAST || rtype == unix.RTN_UNSPEC:
		switch {
		case del:
			scope = unix.RT_SCOPE_NOWHERE
		case !truthy(gw) && mp == nil:
			scope = unix.RT_SCOPE_LINK
		default:
			scope = unix.RT_SCOPE_UNIVERSE
		}
	case del:
		scope = unix.RT_SCOPE_NOWHERE
	default:
		scope = unix.RT_SCOPE_UNIVERSE
	}
	var rflags uint64
	if truthy(sp.onlink) {
		rflags = unix.RTNH_F_ONLINK
	}

	// Table: in the header when it fits in a byte, else in RTA_TABLE.
	tid := lua.LNumber(unix.RT_TABLE_MAIN)
	if rtype == unix.RTN_LOCAL || rtype == unix.RTN_BROADCAST || rtype == unix.RTN_ANYCAST || rtype == unix.RTN_NAT {
		tid = unix.RT_TABLE_LOCAL
	}
	if truthy(sp.table) {
		if tid, err = e.tableID(fname, sp.table); err != nil {
			return h, nil, false, err
		}
	}
	hdrTable := tid
	if tid >= routeTableBytes {
		hdrTable = unix.RT_TABLE_UNSPEC
	}
	var tos any = uint64(0)
	if truthy(sp.tos) {
		tos = e.fromLua(sp.tos)
	}

	// The record, its fields and its attributes in one allocation.
	rr := &routeRecord{}
	attrs := rr.attrs[:0]
	add := func(name string, v any) {
		d := rtaDesc[name]
		attrs = append(attrs, engine.Attr{Type: d.Type, Desc: d, Value: v})
	}
	if hasDst {
		add("RTA_DST", dst)
	}
	if truthy(gw) {
		add("RTA_GATEWAY", e.fromLua(gw))
	}
	if truthy(src) {
		add("RTA_PREFSRC", e.fromLua(src))
	}
	if prio := or(sp.priority, sp.metric); truthy(prio) {
		add("RTA_PRIORITY", e.fromLua(prio))
	}
	if tid >= routeTableBytes {
		add("RTA_TABLE", e.fromLua(tid))
	}
	if dev := or(sp.oif, sp.dev); truthy(dev) {
		if _, isNum := dev.(lua.LNumber); !isNum {
			key := "dev"
			if truthy(sp.oif) {
				key = "oif"
			}
			dev = lookup(dev, fname+": "+key)
		}
		add("RTA_OIF", e.fromLua(dev))
	}
	if truthy(sp.metrics) {
		m, err := e.routeMetrics(L, fname, sp.metrics)
		if err != nil {
			return h, nil, false, err
		}
		add("RTA_METRICS", m)
	}
	if mp != nil {
		add("RTA_MULTIPATH", engine.Table{List: mp})
	}

	if truthy(sp.echo) {
		flags |= unix.NLM_F_ECHO
	}
	typ := uint16(unix.RTM_NEWROUTE)
	if del {
		typ = unix.RTM_DELROUTE
	}
	vals := rr.vals[:len(rtnl.RouteClass.Struct.Fields)]
	set := func(name string, v any) { vals[rtmsgFields[name]] = v }
	set("family", e.fromLua(fam))
	set("dst_len", dstLen)
	set("tos", tos)
	set("table", e.fromLua(hdrTable))
	set("proto", e.fromLua(proto))
	set("scope", e.fromLua(scope))
	set("type", e.fromLua(rtype))
	set("flags", rflags)
	rr.fields = engine.StructValue{Desc: rtnl.RouteClass.Struct, Values: vals}
	rr.rec = engine.Record{Class: rtnl.RouteClass, Fields: &rr.fields, Attrs: attrs}
	rec := &rr.rec
	return engine.Header{Type: typ, Flags: flags}, rec, truthy(sp.dry), nil
}

// routeMetrics builds RTA_METRICS: RTAX_* in the kernel's order, from
// {mtu=1400, …}, or a list of {'RTAX_…', v} pairs taken as it is.
func (e *Env) routeMetrics(L *lua.LState, fname string, v lua.LValue) (any, error) {
	t, ok := v.(*lua.LTable)
	if !ok {
		return nil, routeErrorf("%s: metrics: expected a table such as {mtu=1400}, got %s", fname, v.Type().String())
	}
	if luaIndex(L, t, lua.LNumber(1)) != lua.LNil {
		return e.fromLua(t), nil
	}
	if _, err := checkSpec(fname+": metrics", t, metricKeys, nil); err != nil {
		return nil, err
	}
	var out []any
	for _, k := range routeMetricNames {
		if x := luaIndex(L, t, lua.LString(k)); x != lua.LNil {
			out = append(out, engine.Table{List: []any{"RTAX_" + strings.ToUpper(k), e.fromLua(x)}})
		}
	}
	return engine.Table{List: out}, nil
}

// nexthops builds RTA_MULTIPATH: one rtnexthop per entry (the kernel's
// weight is hops + 1). It also returns the first entry's gateway, which may
// give the route its family.
func (e *Env) nexthops(L *lua.LState, fname string, v lua.LValue, lookup func(lua.LValue, string) lua.LValue) ([]any, lua.LValue, error) {
	list, ok := v.(*lua.LTable)
	if !ok {
		return nil, lua.LNil, routeErrorf("%s: multipath: expected a list of nexthops such as {{gateway=…}, …}", fname)
	}
	out := []any{}
	var first lua.LValue = lua.LNil
	for i := 1; ; i++ {
		nhV := list.RawGetInt(i)
		if nhV == lua.LNil {
			break
		}
		what := fmt.Sprintf("%s: multipath[%d]", fname, i)
		nh, err := checkSpec(what, nhV, nexthopKeys, nil)
		if err != nil {
			return nil, lua.LNil, err
		}
		hops := e.fromLua(luaIndex(L, nh, lua.LString("hops")))
		if hops == nil {
			hops = uint64(0)
		}
		if w := luaIndex(L, nh, lua.LString("weight")); truthy(w) {
			n, ok := w.(lua.LNumber)
			if !ok || n < 1 || n > 256 {
				return nil, lua.LNil, routeErrorf("%s: weight must be a number from 1 to 256", what)
			}
			hops = e.fromLua(n - 1)
		}
		var flags uint64
		if truthy(luaIndex(L, nh, lua.LString("onlink"))) {
			flags = unix.RTNH_F_ONLINK
		}
		var oif any = uint64(0)
		devKey := "oif"
		dev := luaIndex(L, nh, lua.LString("oif"))
		if dev == lua.LNil || dev == lua.LFalse {
			devKey, dev = "dev", luaIndex(L, nh, lua.LString("dev"))
		}
		if truthy(dev) {
			if _, isNum := dev.(lua.LNumber); !isNum {
				dev = lookup(dev, what+": "+devKey)
			}
			oif = e.fromLua(dev)
		}
		gw := luaIndex(L, nh, lua.LString("gateway"))
		if gw == lua.LNil || gw == lua.LFalse {
			gw = luaIndex(L, nh, lua.LString("via"))
		}
		attrs := []any{}
		if truthy(gw) {
			attrs = append(attrs, engine.Table{List: []any{"RTA_GATEWAY", e.fromLua(gw)}})
			if i == 1 {
				first = gw
			}
		}
		out = append(out, engine.Table{Map: map[string]any{
			"flags": flags, "hops": hops, "oif": oif, "attrs": engine.Table{List: attrs},
		}})
	}
	return out, first, nil
}
