package iproute

import (
	"bufio"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"

	"nlsh/luabind/luaarg"
	"nlsh/rtnl"
)

// Module is the ip module of one Lua state.
type Module struct {
	host Host
	L    *lua.LState
	root *ipInst     // the instance the global ip is, in the host's namespace
	meta *lua.LTable // metatable of instance tables
	// insts maps instance tables to their instances.
	insts map[*lua.LTable]*ipInst
	// free holds calls whose slots the next calls reuse, and msgs the
	// messages they gave back.
	free []*ipCall
	msgs []*ipMsg
	// enc holds a request encoded for a batch until the batch copies it.
	enc []byte
	// rtTables are iproute2's routing table names, read on first use.
	rtTables map[string]int64
}

// ipFunc is a function of an instance's table.
type ipFunc func(i *ipInst, L *lua.LState) int

// ipFuncs are the functions every instance's table holds, by name (set in
// init: ip.netns makes instances, which hold ipFuncs).
var ipFuncs map[string]ipFunc

func init() {
	ipFuncs = map[string]ipFunc{
		"link":        (*ipInst).link,
		"links":       (*ipInst).links,
		"link_lookup": (*ipInst).linkLookup,
		"brport":      (*ipInst).brport,
		"addr":        (*ipInst).addr,
		"addrs":       (*ipInst).addrs,
		"route":       (*ipInst).route,
		"routes":      (*ipInst).routes,
		"neigh":       (*ipInst).neigh,
		"neighs":      (*ipInst).neighs,
		"fdb":         (*ipInst).fdb,
		"rule":        (*ipInst).rule,
		"rules":       (*ipInst).rules,
		"tc":          (*ipInst).tc,
		"tc_handle":   (*ipInst).tcHandle,
		"qdiscs":      (*ipInst).qdiscs,
		"classes":     (*ipInst).classes,
		"filters":     (*ipInst).filters,
		"monitor":     (*ipInst).monitor,
		"batch":       (*ipInst).batchFn,
		"netns":       (*ipInst).netnsFn,
		"close":       (*ipInst).closeFn,

		"get_netns_info": (*ipInst).getNetnsInfo,
		"get_netnsid":    (*ipInst).getNetnsid,
		"set_netnsid":    (*ipInst).setNetnsid,
		"ntables":        (*ipInst).ntables,
		"stats":          (*ipInst).stats,
		"poll":           (*ipInst).poll,
		"ensure":         (*ipInst).ensure,
		"route_dumps":    (*ipInst).routeDumps,
		"route_loads":    (*ipInst).routeLoads,
		"dump":           (*ipInst).dumpAll,
	}
}

// New makes the ip module of L, its global instance working in netns ("":
// the host's own namespace).
func New(h Host, L *lua.LState, netns string) *Module {
	m := &Module{host: h, L: L, meta: L.NewTable(), insts: map[*lua.LTable]*ipInst{}}
	m.meta.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		ns := "current"
		if i := m.instOf(L.CheckTable(1)); i != nil && i.netns != "" {
			ns = i.netns
		}
		L.Push(lua.LString("ip module (netns " + ns + ")"))
		return 1
	}))
	m.meta.RawSetString("__metatable", lua.LString("ip module"))
	m.root = m.newInst(netns)
	return m
}

// Table is the global instance's table: the global ip.
func (m *Module) Table() *lua.LTable { return m.root.table }

// IsInstance reports whether t is an instance's table (ip, or what
// ip.netns returned).
func (m *Module) IsInstance(t *lua.LTable) bool { return m.instOf(t) != nil }

// SetNetNS points the global instance (not those ip.netns returns) at
// namespace ns: its socket is closed, and its next sockets, batches and
// monitors open in ns.
func (m *Module) SetNetNS(ns string) {
	m.root.close()
	m.root.netns = ns
}

// newInst makes an instance working in netns and its table of functions,
// each closing over the instance's userdata.
func (m *Module) newInst(netns string) *ipInst {
	L := m.L
	i := &ipInst{m: m, netns: netns}
	ud := L.NewUserData()
	ud.Value = i
	t := L.CreateTable(0, len(ipFuncs))
	for name, fn := range ipFuncs {
		t.RawSetString(name, L.NewClosure(bindIP(fn), ud))
	}
	t.RawSetString("each", m.eachTable(ud))
	t.Metatable = m.meta
	i.table = t
	m.insts[t] = i
	return i
}

// bindIP makes fn a Lua function of the instance in its first upvalue.
func bindIP(fn ipFunc) lua.LGFunction {
	return func(L *lua.LState) int {
		i := L.Get(lua.UpvalueIndex(1)).(*lua.LUserData).Value.(*ipInst)
		return fn(i, L)
	}
}

// instOf returns the instance behind an instance's table, or nil.
func (m *Module) instOf(t *lua.LTable) *ipInst { return m.insts[t] }

// netnsFn is ip.netns(name): the same API bound to another network
// namespace (a name, a path or a process id); asking twice gives the same
// instance, and socket.
func (i *ipInst) netnsFn(L *lua.LState) int {
	ns, err := luaarg.Netns(L.Get(1))
	if err != nil {
		L.RaiseError("%s", luaarg.NetnsError("ip.netns", err))
	}
	if i.bound == nil {
		i.bound = map[string]*lua.LTable{}
	}
	t, ok := i.bound[ns]
	if !ok {
		t = i.m.newInst(ns).table
		i.bound[ns] = t
	}
	L.Push(t)
	return 1
}

// closeFn is ip.close(): closes the instance's socket (the next call opens
// another).
func (i *ipInst) closeFn(L *lua.LState) int {
	i.close()
	return 0
}

// tableID reads a routing table's name: a reserved one, or one of
// iproute2's rt_tables files (read once, if they exist: nothing fails
// without them).
func (m *Module) tableID(s string) (int64, bool) {
	if n, ok := reservedTables()[s]; ok {
		return n, true
	}
	if m.rtTables == nil {
		m.rtTables = readRtTables()
	}
	n, ok := m.rtTables[s]
	return n, ok
}

// reservedTables are the kernel's table names: main, local, default…
var reservedTables = sync.OnceValue(func() map[string]int64 {
	m := map[string]int64{}
	i, _ := rtnl.RouteClass.Struct.FieldIndex("table")
	for _, v := range rtnl.RouteClass.Struct.Fields[i].Enum.Values {
		m[strings.ToLower(strings.TrimPrefix(v.Name, "RT_TABLE_"))] = int64(v.Value)
	}
	return m
})

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

// truthy is Lua's test: anything but nil and false.
func truthy(v lua.LValue) bool {
	switch x := v.(type) {
	case nil, *lua.LNilType:
		return false
	case lua.LBool:
		return bool(x)
	}
	return true
}

// verbCommand reads a verb's command, the first argument, raising an error
// that lists the commands for one it lacks. pyroute2's other names for
// commands (remove and delete for del, show for dump) are taken too.
func verbCommand(L *lua.LState, name string, cmds []string) string {
	v := L.Get(1)
	cmd, _ := v.(lua.LString)
	s := string(cmd)
	switch s {
	case "remove", "delete":
		s = "del"
	case "show":
		s = "dump"
	}
	for _, c := range cmds {
		if c == s {
			return s
		}
	}
	sorted := append([]string(nil), cmds...)
	sort.Strings(sorted)
	L.RaiseError("%s: unknown command '%s' (commands: %s)", name, lua.LVAsString(v), strings.Join(sorted, ", "))
	return ""
}

// lazyRE is a regular expression compiled on first use: most scripts
// never read a tc rate or a u32 key.
func lazyRE(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
