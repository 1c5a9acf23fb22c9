package luabind

import (
	"bufio"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
)

// How ip.route reads the values of its spec: option tables, prefixes,
// families, enum names and table names. The getters' filters read names
// through luaRouteValue, so ip.route and ip.routes agree.

// commonKeys are the options every verb takes besides its own keys (ip.lua
// hands its U.common to luaCheckOptions; ip.route's Go side uses this).
var commonKeys = keySet("dry", "echo", "timeout")

// checkSpec checks ip.route's table of options: its keys, hints first.
func checkSpec(fname string, v lua.LValue, valid map[string]bool, hints map[string]string) (*lua.LTable, error) {
	return checkKeys(fname, v, func(k string) bool { return valid[k] || commonKeys[k] }, func() []string {
		names := make([]string, 0, len(valid))
		for n := range valid {
			names = append(names, n)
		}
		return names
	}, hints)
}

// luaCheckOptions is the ip module's native check(fname, spec, valid, common),
// ip.lua's U.check: valid and common are sets of keys. It returns the spec,
// or an empty table for nil.
func (e *Env) luaCheckOptions(L *lua.LState) int {
	fname, spec := L.CheckString(1), L.Get(2)
	valid, common := L.CheckTable(3), L.CheckTable(4)
	t, err := checkKeys(fname, spec, func(k string) bool {
		return truthy(valid.RawGetString(k)) || truthy(common.RawGetString(k))
	}, func() []string {
		var names []string
		valid.ForEach(func(k, _ lua.LValue) {
			if ks, ok := k.(lua.LString); ok {
				names = append(names, string(ks))
			}
		})
		return names
	}, nil)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	if t == nil {
		t = L.NewTable()
	}
	L.Push(t)
	return 1
}

// checkKeys checks a verb's table of options: every key must be valid, or
// it is named with the closest valid one (or the hint for it). A nil spec
// is an empty one.
func checkKeys(fname string, v lua.LValue, valid func(string) bool, validNames func() []string, hints map[string]string) (*lua.LTable, error) {
	if v == lua.LNil {
		return nil, nil
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		return nil, routeErrorf("%s: expected a table of options, got %s", fname, v.Type().String())
	}
	// Keys in pairs() order, so that of two bad keys the same one is named
	// every time (ForEach walks Go maps, in no fixed order).
	var keys []lua.LValue
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		keys = append(keys, k)
	}
	for _, k := range keys {
		if ks, ok := k.(lua.LString); ok && !valid(string(ks)) {
			if h, ok := hints[string(ks)]; ok {
				return nil, routeErrorf("%s: unknown key '%s' (did you mean %s?)", fname, ks, h)
			}
		}
	}
	for _, k := range keys {
		ks, isStr := k.(lua.LString)
		if isStr && valid(string(ks)) {
			continue
		}
		names := validNames()
		sort.Strings(names)
		if isStr {
			if c := engine.Closest(string(ks), names, 1); len(c) > 0 {
				return nil, routeErrorf("%s: unknown key '%s' (did you mean '%s'?)", fname, ks, c[0])
			}
		}
		return nil, routeErrorf("%s: unknown key '%s' (valid keys: %s)", fname, k.String(), strings.Join(names, ", "))
	}
	// Every verb, getter and ip.monitor takes timeout: read it as every
	// call does.
	if tv := t.RawGetString("timeout"); tv != lua.LNil {
		if _, err := parseTimeout(tv); err != nil {
			return nil, routeErrorf("%s: %s", fname, err.Error())
		}
	}
	return t, nil
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
		if fam == unix.AF_INET6 {
			l = 128
		}
	}
	return a, l, fam, nil
}

// luaPrefix is the ip module's native prefix(s, what), ip.lua's U.prefix.
func (e *Env) luaPrefix(L *lua.LState) int {
	a, l, fam, err := prefixOf(L.Get(1), L.OptString(2, "address"))
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	L.Push(lua.LString(a))
	L.Push(lua.LNumber(l))
	L.Push(lua.LNumber(fam))
	return 3
}

// luaNumber reads a string as gopher-lua's tonumber does: spaces, tabs and
// newlines around; with a '.', a decimal float; else an integer, in hex
// after 0x.
func luaNumber(s string) (float64, bool) {
	s = strings.Trim(s, " \n\t")
	if strings.Contains(s, ".") {
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	base := 10
	if strings.HasPrefix(strings.ToLower(s), "0x") {
		base, s = 16, s[2:]
	}
	n, err := strconv.ParseInt(s, base, 64)
	return float64(n), err == nil
}

func addrFamily(a string) int64 {
	if strings.IndexByte(a, ':') >= 0 {
		return unix.AF_INET6
	}
	return unix.AF_INET
}

func familyOf(fname string, v lua.LValue) (lua.LNumber, error) {
	switch x := v.(type) {
	case lua.LNumber:
		return x, nil
	case lua.LString:
		switch x {
		case "inet", "ipv4":
			return unix.AF_INET, nil
		case "inet6", "ipv6":
			return unix.AF_INET6, nil
		}
	}
	return 0, routeErrorf("%s: family must be AF_INET, AF_INET6, 'inet' or 'inet6', got '%s'", fname, v.String())
}

var scopeAliases = map[string]int64{"global": unix.RT_SCOPE_UNIVERSE}

// routeEnum turns a name ('boot' or 'RTPROT_BOOT'), a numeric string or a
// number into the value of the constant prefix+NAME. A number comes back as
// it is: the encoder judges it (2.5 is not an integer, -1 does not fit a byte).
func (e *Env) routeEnum(fname string, v lua.LValue, prefix string, names []string, aliases map[string]int64) (lua.LNumber, error) {
	n, s, kind := numberOrName(v)
	switch kind {
	case isNumber:
		return n, nil
	case isName:
		if n, ok := aliases[s]; ok {
			return lua.LNumber(n), nil
		}
		if c, ok := e.constant(prefix + strings.ToUpper(s)); ok {
			return lua.LNumber(c.Value), nil
		}
		if strings.HasPrefix(s, prefix) {
			if c, ok := e.constant(s); ok {
				return lua.LNumber(c.Value), nil
			}
		}
		if c := engine.Closest(s, names, 1); len(c) > 0 {
			return 0, routeErrorf("%s: unknown name '%s' (did you mean '%s'?)", fname, s, c[0])
		}
	}
	return 0, routeErrorf("%s: expected a number or one of %s, got '%s'", fname, strings.Join(names, ", "), v.String())
}

type argKind int

const (
	isOther argKind = iota
	isNumber
	isName
)

// numberOrName reads a number (or a string holding one, as Lua's tonumber)
// or else a name.
func numberOrName(v lua.LValue) (lua.LNumber, string, argKind) {
	switch x := v.(type) {
	case lua.LNumber:
		return x, "", isNumber
	case lua.LString:
		if n, ok := luaNumber(string(x)); ok {
			return lua.LNumber(n), "", isNumber
		}
		return 0, string(x), isName
	}
	return 0, "", isOther
}

// Table names: the kernel's reserved ones, then iproute2's rt_tables files
// (read once, if they exist: nothing fails without them).
var reservedTables = func() map[string]int64 {
	m := map[string]int64{}
	for _, v := range rtmsgEnum("table").Values {
		m[strings.ToLower(strings.TrimPrefix(v.Name, "RT_TABLE_"))] = int64(v.Value)
	}
	return m
}()

func (e *Env) tableID(fname string, v lua.LValue) (lua.LNumber, error) {
	n, s, kind := numberOrName(v)
	switch kind {
	case isNumber:
		return n, nil
	case isName:
		if n, ok := reservedTables[s]; ok {
			return lua.LNumber(n), nil
		}
		if e.rtTables == nil {
			e.rtTables = readRtTables()
		}
		if n, ok := e.rtTables[s]; ok {
			return lua.LNumber(n), nil
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
			name := fs[1]
			if i := strings.IndexFunc(name, func(r rune) bool {
				return !(r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
			}); i >= 0 {
				name = name[:i]
			}
			if _, taken := names[name]; err == nil && name != "" && !taken {
				names[name] = id
			}
		}
		f.Close()
	}
	return names
}

// luaRouteValue is the ip module's native route_value(kind, fname, v): a
// proto, type, scope, table or family given by name or number, as ip.route
// reads it, for the getters' filters.
func (e *Env) luaRouteValue(L *lua.LState) int {
	kind, fname, v := L.CheckString(1), L.CheckString(2), L.Get(3)
	var (
		n   lua.LNumber
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
	L.Push(n)
	return 1
}
