package luabind

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ip.route add, replace, append and del build their rtmsg here rather than
// in ip/route.lua: route tables are the objects people load by the hundred
// thousand, and in Lua each route cost several microseconds of table
// building before the kernel saw it. The result is the same message
// iproute2 sends (testdata/iproute2 holds its bytes), attributes in its
// order; dry=true shows it. ip/route.lua keeps the verbs and the getters and
// reads names (proto, type, scope, table, family) through routeValue, so
// each rule lives in one place.

// Names accepted for rtmsg's enums: the constants' suffixes, lower case.
var (
	routeTypeNames = []string{"unicast", "local", "broadcast", "anycast", "multicast", "blackhole",
		"unreachable", "prohibit", "throw", "nat", "xresolve"}
	routeScopeNames = []string{"universe", "global", "site", "link", "host", "nowhere"}
	routeProtoNames = []string{"unspec", "redirect", "kernel", "boot", "static", "gated", "ra", "mrt",
		"zebra", "bird", "dnrouted", "xorp", "ntk", "dhcp", "mrouted", "keepalived", "babel",
		"openr", "bgp", "isis", "ospf", "rip", "eigrp"}
	routeMetricNames = []string{"lock", "mtu", "window", "rtt", "rttvar", "ssthresh", "cwnd", "advmss",
		"reordering", "hoplimit", "initcwnd", "features", "rto_min", "initrwnd", "quickack",
		"cc_algo", "fastopen_no_cookie"}
)

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

// routeFlags are the header flags of each verb, as ip.lua's U.flags.
var routeFlags = map[string]uint16{
	"add":     engine.NLM_F_REQUEST | engine.NLM_F_ACK | engine.NLM_F_CREATE | engine.NLM_F_EXCL,
	"replace": engine.NLM_F_REQUEST | engine.NLM_F_ACK | engine.NLM_F_CREATE | engine.NLM_F_REPLACE,
	"append":  engine.NLM_F_REQUEST | engine.NLM_F_ACK | engine.NLM_F_CREATE | engine.NLM_F_APPEND,
	"del":     engine.NLM_F_REQUEST | engine.NLM_F_ACK,
}

// Values of rtmsg fields the rules below test; rtnl holds them by name too.
const (
	afInet          = 2
	afInet6         = 10
	rtnUnspec       = 0
	rtnUnicast      = 1
	rtnLocal        = 2
	rtnBroadcast    = 3
	rtnAnycast      = 4
	rtnMulticast    = 5
	rtnNat          = 10
	scopeUniverse   = 0
	scopeLink       = 253
	scopeHost       = 254
	scopeNowhere    = 255
	rtprotUnspec    = 0
	rtprotBoot      = 3
	tableUnspec     = 0
	tableMain       = 254
	tableLocal      = 255
	rtnhFOnlink     = 4
	nlmFEcho        = 0x8
	rtmNewRoute     = 24
	rtmDelRoute     = 25
	routeTableBytes = 256 // tables from here on go in RTA_TABLE, not rtm_table
)

// routeError is an argument error; the Lua side raises it at the caller.
type routeError string

func (e routeError) Error() string { return string(e) }

func routeErrorf(format string, args ...any) routeError {
	return routeError(fmt.Sprintf(format, args...))
}

// luaRouteMsg is the ip module's native route(self, cmd, spec, ifindex):
// the encoded request of ip.route add, replace, append or del. ifindex is
// U.ifindex, called for interfaces given by name.
func (e *Env) luaRouteMsg(L *lua.LState) int {
	self := L.Get(1)
	cmd := L.CheckString(2)
	ifindex := L.Get(4)
	b, err := e.routeMsg(L, cmd, L.Get(3), func(v lua.LValue, what string) lua.LValue {
		L.Push(ifindex)
		L.Push(self)
		L.Push(v)
		L.Push(lua.LString(what))
		L.Call(3, 1)
		r := L.Get(-1)
		L.Pop(1)
		return r
	})
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	L.Push(lua.LString(b))
	return 1
}

// routeMsg builds the request; lookup resolves an interface name.
func (e *Env) routeMsg(L *lua.LState, cmd string, specV lua.LValue, lookup func(lua.LValue, string) lua.LValue) ([]byte, error) {
	const fname = "ip.route"
	flags, ok := routeFlags[cmd]
	if !ok {
		return nil, routeErrorf("%s: cannot build a '%s' request", fname, cmd)
	}
	spec, err := checkSpec(fname, specV, routeKeys, routeHints)
	if err != nil {
		return nil, err
	}
	get := func(k string) lua.LValue {
		if spec == nil {
			return lua.LNil
		}
		return spec.RawGetString(k)
	}
	either := func(a, b string) (lua.LValue, string) {
		if v := get(a); truthy(v) {
			return v, a
		}
		return get(b), b
	}

	dstV := get("dst")
	if dstV == lua.LNil {
		return nil, routeErrorf("%s: %s needs dst (a prefix such as '10.8.0.0/16', or 'default')", fname, cmd)
	}
	var (
		dst    string
		hasDst bool
		dstLen any
		fam    int64
	)
	if s, ok := dstV.(lua.LString); !ok || s != "default" {
		a, l, f, err := prefixOf(dstV, fname+": dst")
		if err != nil {
			return nil, err
		}
		dst, hasDst, dstLen, fam = a, l != 0, uint64(l), f
	} else {
		dstLen = uint64(0)
	}
	if v := get("dst_len"); truthy(v) {
		dstLen = e.fromLua(v)
	}
	gw, _ := either("gateway", "via")
	src, _ := either("prefsrc", "src")
	var mp []any
	var firstGW lua.LValue = lua.LNil
	if v := get("multipath"); truthy(v) {
		mp, firstGW, err = e.nexthops(fname, v, lookup)
		if err != nil {
			return nil, err
		}
	}
	// The family: given, or that of the first address in the spec.
	if v := get("family"); v != lua.LNil {
		if fam, err = familyOf(fname, v); err != nil {
			return nil, err
		}
	} else if fam == 0 { // 'default' says nothing of the family
		fam = afInet
		for _, a := range []lua.LValue{gw, firstGW, src} {
			if s, ok := a.(lua.LString); ok {
				fam = addrFamily(string(s))
				break
			}
		}
	}

	del := cmd == "del"
	proto, rtype := int64(rtprotBoot), int64(rtnUnicast)
	if del {
		proto, rtype = rtprotUnspec, rtnUnspec
	}
	if v := get("proto"); truthy(v) {
		if proto, err = e.routeEnum(fname+": proto", v, "RTPROT_", routeProtoNames, nil); err != nil {
			return nil, err
		}
	}
	if v := get("type"); truthy(v) {
		if rtype, err = e.routeEnum(fname+": type", v, "RTN_", routeTypeNames, nil); err != nil {
			return nil, err
		}
	}
	// The scope iproute2 picks: host for local routes, link for device
	// routes without a gateway, universe otherwise (always for IPv6);
	// nowhere (any) when deleting.
	var scope int64
	switch {
	case truthy(get("scope")):
		if scope, err = e.routeEnum(fname+": scope", get("scope"), "RT_SCOPE_", routeScopeNames, scopeAliases); err != nil {
			return nil, err
		}
	case fam == afInet6:
		scope = scopeUniverse
	case rtype == rtnLocal || rtype == rtnNat:
		scope = scopeHost
	case rtype == rtnBroadcast || rtype == rtnMulticast || rtype == rtnAnycast:
		scope = scopeLink
	case rtype == rtnUnicast || rtype == rtnUnspec:
		switch {
		case del:
			scope = scopeNowhere
		case !truthy(gw) && mp == nil:
			scope = scopeLink
		default:
			scope = scopeUniverse
		}
	case del:
		scope = scopeNowhere
	default:
		scope = scopeUniverse
	}
	var rflags uint64
	if lua.LVAsBool(get("onlink")) {
		rflags = rtnhFOnlink
	}

	// Table: in the header when it fits in a byte, else in RTA_TABLE.
	tid := int64(tableMain)
	if rtype == rtnLocal || rtype == rtnBroadcast || rtype == rtnAnycast || rtype == rtnNat {
		tid = tableLocal
	}
	if v := get("table"); truthy(v) {
		if tid, err = e.tableID(fname, v); err != nil {
			return nil, err
		}
	}
	hdrTable := tid
	if tid >= routeTableBytes {
		hdrTable = tableUnspec
	}
	var tos any = uint64(0)
	if v := get("tos"); truthy(v) {
		tos = e.fromLua(v)
	}

	attrs := make([]any, 0, 4)
	pair := func(name string, v any) { attrs = append(attrs, engine.Table{List: []any{name, v}}) }
	if hasDst {
		pair("RTA_DST", dst)
	}
	if truthy(gw) {
		pair("RTA_GATEWAY", e.fromLua(gw))
	}
	if truthy(src) {
		pair("RTA_PREFSRC", e.fromLua(src))
	}
	if prio, _ := either("priority", "metric"); truthy(prio) {
		pair("RTA_PRIORITY", e.fromLua(prio))
	}
	if tid >= routeTableBytes {
		pair("RTA_TABLE", uint64(tid))
	}
	if dev, key := either("oif", "dev"); truthy(dev) {
		idx := dev
		if _, isNum := dev.(lua.LNumber); !isNum {
			idx = lookup(dev, fname+": "+key)
		}
		pair("RTA_OIF", e.fromLua(idx))
	}
	if v := get("metrics"); truthy(v) {
		m, err := e.routeMetrics(fname, v)
		if err != nil {
			return nil, err
		}
		pair("RTA_METRICS", m)
	}
	if mp != nil {
		pair("RTA_MULTIPATH", engine.Table{List: mp})
	}

	if lua.LVAsBool(get("echo")) {
		flags |= nlmFEcho
	}
	typ := uint16(rtmNewRoute)
	if del {
		typ = rtmDelRoute
	}
	body := engine.Table{Map: map[string]any{
		"family": uint64(fam), "dst_len": dstLen, "tos": tos, "table": uint64(hdrTable),
		"proto": uint64(proto), "scope": uint64(scope), "type": uint64(rtype), "flags": rflags,
		"attrs": engine.Table{List: attrs},
	}}
	b, err := engine.EncodeMessage(engine.Header{Type: typ, Flags: flags}, rtnl.RouteClass, body)
	if err != nil {
		return nil, routeErrorf("%s: %s", fname, err.Error())
	}
	return b, nil
}

// checkSpec checks a verb's table of options as ip.lua's U.check does (dry
// and echo are always allowed), hints first. A nil spec is an empty one.
func checkSpec(fname string, v lua.LValue, valid map[string]bool, hints map[string]string) (*lua.LTable, error) {
	if v == lua.LNil {
		return nil, nil
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		return nil, routeErrorf("%s: expected a table of options, got %s", fname, v.Type().String())
	}
	var err error
	if hints != nil {
		t.ForEach(func(k, _ lua.LValue) {
			if ks, ok := k.(lua.LString); ok && err == nil && !valid[string(ks)] {
				if h, ok := hints[string(ks)]; ok {
					err = routeErrorf("%s: unknown key '%s' (did you mean %s?)", fname, ks, h)
				}
			}
		})
	}
	if err != nil {
		return nil, err
	}
	t.ForEach(func(k, _ lua.LValue) {
		if err != nil {
			return
		}
		ks, isStr := k.(lua.LString)
		if isStr && (valid[string(ks)] || ks == "dry" || ks == "echo") {
			return
		}
		names := make([]string, 0, len(valid))
		for n := range valid {
			names = append(names, n)
		}
		sort.Strings(names)
		if isStr {
			if c := engine.Closest(string(ks), names, 1); len(c) > 0 {
				err = routeErrorf("%s: unknown key '%s' (did you mean '%s'?)", fname, ks, c[0])
				return
			}
		}
		err = routeErrorf("%s: unknown key '%s' (valid keys: %s)", fname, k.String(), strings.Join(names, ", "))
	})
	return t, err
}

// prefixOf splits '10.0.0.0/8' into address, length and family, as ip.lua's
// U.prefix: a bare address is a host route.
func prefixOf(v lua.LValue, what string) (string, int, int64, error) {
	s, ok := v.(lua.LString)
	if !ok {
		return "", 0, 0, routeErrorf("%s: expected an address string, got %s", what, v.Type().String())
	}
	a, l := string(s), -1
	if i := strings.IndexByte(a, '/'); i >= 0 {
		if n, ok := luaNumber(a[i+1:]); ok && n >= 0 && n == math.Floor(n) {
			a, l = a[:i], int(n)
		}
	}
	fam := addrFamily(a)
	if l < 0 {
		l = 32
		if fam == afInet6 {
			l = 128
		}
	}
	return a, l, fam, nil
}

// luaNumber reads a string as Lua's tonumber does: decimal or 0x hex,
// spaces around allowed.
func luaNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s != "" && strings.Trim(s, "0123456789.+-eE") == "" {
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return n, true
		}
	}
	if len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") {
		if n, err := strconv.ParseUint(s[2:], 16, 64); err == nil {
			return float64(n), true
		}
	}
	return 0, false
}

func addrFamily(a string) int64 {
	if strings.IndexByte(a, ':') >= 0 {
		return afInet6
	}
	return afInet
}

func familyOf(fname string, v lua.LValue) (int64, error) {
	switch x := v.(type) {
	case lua.LNumber:
		return int64(x), nil
	case lua.LString:
		switch x {
		case "inet", "ipv4":
			return afInet, nil
		case "inet6", "ipv6":
			return afInet6, nil
		}
	}
	return 0, routeErrorf("%s: family must be AF_INET, AF_INET6, 'inet' or 'inet6', got '%s'", fname, v.String())
}

var scopeAliases = map[string]int64{"global": scopeUniverse}

// routeEnum turns a name ('boot' or 'RTPROT_BOOT'), a numeric string or a
// number into the value of the constant prefix+NAME.
func (e *Env) routeEnum(fname string, v lua.LValue, prefix string, names []string, aliases map[string]int64) (int64, error) {
	switch x := v.(type) {
	case lua.LNumber:
		return int64(x), nil
	case lua.LString:
		s := string(x)
		if n, ok := luaNumber(s); ok {
			return int64(n), nil
		}
		if n, ok := aliases[s]; ok {
			return n, nil
		}
		if c, ok := e.constant(prefix + strings.ToUpper(s)); ok {
			return c.Value, nil
		}
		if strings.HasPrefix(s, prefix) {
			if c, ok := e.constant(s); ok {
				return c.Value, nil
			}
		}
		if c := engine.Closest(s, names, 1); len(c) > 0 {
			return 0, routeErrorf("%s: unknown name '%s' (did you mean '%s'?)", fname, s, c[0])
		}
	}
	return 0, routeErrorf("%s: expected a number or one of %s, got '%s'", fname, strings.Join(names, ", "), v.String())
}

// Table names: the kernel's reserved ones, then iproute2's rt_tables files
// (read once, if they exist: nothing fails without them).
var reservedTables = map[string]int64{"unspec": 0, "compat": 252, "default": 253, "main": 254, "local": 255}

func (e *Env) tableID(fname string, v lua.LValue) (int64, error) {
	switch x := v.(type) {
	case lua.LNumber:
		return int64(x), nil
	case lua.LString:
		s := string(x)
		if n, ok := luaNumber(s); ok {
			return int64(n), nil
		}
		if n, ok := reservedTables[s]; ok {
			return n, nil
		}
		if e.rtTables == nil {
			e.rtTables = readRtTables()
		}
		if n, ok := e.rtTables[s]; ok {
			return n, nil
		}
	}
	return 0, routeErrorf("%s: unknown table '%s' (a number, main, local, default, or a name from /etc/iproute2/rt_tables)", fname, v.String())
}

// readRtTables reads the table names iproute2 knows: lines "id name".
func readRtTables() map[string]int64 {
	names := map[string]int64{}
	for _, path := range []string{"/etc/iproute2/rt_tables", "/usr/share/iproute2/rt_tables", "/usr/lib/iproute2/rt_tables"} {
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			if len(fs) < 2 || strings.HasPrefix(fs[0], "#") {
				continue
			}
			id, err := strconv.ParseInt(fs[0], 10, 64)
			if _, taken := names[fs[1]]; err == nil && !taken {
				names[fs[1]] = id
			}
		}
		f.Close()
	}
	return names
}

// routeMetrics builds RTA_METRICS: RTAX_* in the kernel's order, from
// {mtu=1400, …}, or a list of {'RTAX_…', v} pairs taken as it is.
func (e *Env) routeMetrics(fname string, v lua.LValue) (any, error) {
	t, ok := v.(*lua.LTable)
	if !ok {
		return nil, routeErrorf("%s: metrics: expected a table such as {mtu=1400}, got %s", fname, v.Type().String())
	}
	if t.RawGetInt(1) != lua.LNil {
		return e.fromLua(t), nil
	}
	if _, err := checkSpec(fname+": metrics", t, metricKeys, nil); err != nil {
		return nil, err
	}
	var out []any
	for _, k := range routeMetricNames {
		if x := t.RawGetString(k); x != lua.LNil {
			out = append(out, engine.Table{List: []any{"RTAX_" + strings.ToUpper(k), e.fromLua(x)}})
		}
	}
	return engine.Table{List: out}, nil
}

// nexthops builds RTA_MULTIPATH: one rtnexthop per entry (the kernel's
// weight is hops + 1). It also returns the first entry's gateway, which may
// give the route its family.
func (e *Env) nexthops(fname string, v lua.LValue, lookup func(lua.LValue, string) lua.LValue) ([]any, lua.LValue, error) {
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
		hops := e.fromLua(nh.RawGetString("hops"))
		if hops == nil {
			hops = uint64(0)
		}
		if w := nh.RawGetString("weight"); truthy(w) {
			n, ok := w.(lua.LNumber)
			if !ok || n < 1 || n > 256 {
				return nil, lua.LNil, routeErrorf("%s: weight must be a number from 1 to 256", what)
			}
			hops = e.fromLua(n - 1)
		}
		var flags uint64
		if lua.LVAsBool(nh.RawGetString("onlink")) {
			flags = rtnhFOnlink
		}
		var oif any = uint64(0)
		devKey := "oif"
		dev := nh.RawGetString("oif")
		if dev == lua.LNil || dev == lua.LFalse {
			devKey, dev = "dev", nh.RawGetString("dev")
		}
		if truthy(dev) {
			if _, isNum := dev.(lua.LNumber); !isNum {
				dev = lookup(dev, what+": "+devKey)
			}
			oif = e.fromLua(dev)
		}
		gw := nh.RawGetString("gateway")
		if gw == lua.LNil || gw == lua.LFalse {
			gw = nh.RawGetString("via")
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

// luaRouteValue is the ip module's native route_value(kind, fname, v): a
// proto, type, scope, table or family given by name or number, as ip.route
// reads it, for the getters' filters.
func (e *Env) luaRouteValue(L *lua.LState) int {
	kind, fname, v := L.CheckString(1), L.CheckString(2), L.Get(3)
	var (
		n   int64
		err error
	)
	switch kind {
	case "proto":
		n, err = e.routeEnum(fname+": proto", v, "RTPROT_", routeProtoNames, nil)
	case "type":
		n, err = e.routeEnum(fname+": type", v, "RTN_", routeTypeNames, nil)
	case "scope":
		n, err = e.routeEnum(fname+": scope", v, "RT_SCOPE_", routeScopeNames, scopeAliases)
	case "table":
		n, err = e.tableID(fname, v)
	case "family":
		n, err = familyOf(fname, v)
	default:
		L.ArgError(1, "proto, type, scope, table or family expected")
	}
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	L.Push(lua.LNumber(n))
	return 1
}
