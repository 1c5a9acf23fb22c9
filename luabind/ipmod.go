package luabind

import (
	"bytes"
	"embed"
	"fmt"
	"sort"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// The ip module is written in Lua (ip/*.lua, embedded) on top of nl and
// rtnl, so users can read how each verb builds its message; ip.route's
// changes are built in Go (ip_route.go), for speed. It is loaded the first
// time a script touches the global ip, which keeps start-up fast.

//go:embed ip/*.lua
var ipFS embed.FS

// luaIPLoad is the loader ip/ip.lua receives: it compiles one embedded part
// (ip/link.lua, ...) and returns it as a function.
func (e *Env) luaIPLoad(L *lua.LState) int {
	name := L.CheckString(1)
	src, err := ipFS.ReadFile("ip/" + name + ".lua")
	if err != nil {
		L.RaiseError("ip: no part %q", name)
	}
	fn, err := L.Load(bytes.NewReader(src), "ip/"+name+".lua")
	if err != nil {
		L.RaiseError("ip/%s.lua: %s", name, err.Error())
	}
	L.Push(fn)
	return 1
}

// loadIP runs ip/ip.lua and returns the module table.
func (e *Env) loadIP(L *lua.LState) lua.LValue {
	if e.ipModule != nil {
		return e.ipModule
	}
	src, err := ipFS.ReadFile("ip/ip.lua")
	if err != nil {
		L.RaiseError("ip: %s", err.Error())
	}
	fn, err := L.Load(bytes.NewReader(src), "ip/ip.lua")
	if err != nil {
		L.RaiseError("ip/ip.lua: %s", err.Error())
	}
	L.Push(fn)
	L.Push(L.NewFunction(e.luaIPLoad))
	L.Push(lua.LString(e.NetNS()))
	// The parts of the ip module written in Go (ip_route.go).
	L.Push(L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"route":       e.luaRouteMsg,
		"route_verb":  e.luaRouteVerb,
		"route_value": e.luaRouteValue,
		"ifindex":     e.luaIfindex,
		"prefix":      e.luaPrefix,
		"check":       e.luaCheckOptions,
		"send":        e.luaSend,
		"dump":        e.luaIPDump,
		"batch":       e.luaIPBatch,
		"netns":       e.luaNetnsArg,
		"pcall":       e.luaNamedPcall,

		"monitor_aliases": e.luaMonitorAliases,
	}))
	L.Call(3, 1)
	mod := L.Get(-1)
	L.Pop(1)
	e.ipModule = mod
	return mod
}

// setupLazyGlobals makes the first read of the global 'ip' load the module.
func (e *Env) setupLazyGlobals() {
	L := e.L
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		if k, ok := L.Get(2).(lua.LString); ok && k == "ip" {
			mod := e.loadIP(L)
			L.GetGlobal("_G").(*lua.LTable).RawSetString("ip", mod)
			L.Push(mod)
			return 1
		}
		return 0
	}))
	L.SetMetatable(L.Get(lua.GlobalsIndex), mt)
	L.PreloadModule("ip", func(L *lua.LState) int { L.Push(e.loadIP(L)); return 1 })
}

// luaClosest is nl.closest(name, candidates): the nearest candidate, or nil.
func (e *Env) luaClosest(L *lua.LState) int {
	n := L.CheckString(1)
	t := L.CheckTable(2)
	var cands []string
	for i := 1; i <= t.Len(); i++ {
		cands = append(cands, lua.LVAsString(t.RawGetInt(i)))
	}
	if c := engine.Closest(n, cands, 1); len(c) > 0 {
		L.Push(lua.LString(c[0]))
		return 1
	}
	return 0
}

func (e *Env) openNetnsModule(L *lua.LState) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"add": func(L *lua.LState) int {
			e.refuseReadOnly(L, "nl.netns.add")
			if err := engine.AddNetNS(L.CheckString(1)); err != nil {
				e.raise(L, "", err)
			}
			return 0
		},
		"del": func(L *lua.LState) int {
			e.refuseReadOnly(L, "nl.netns.del")
			if err := engine.DelNetNS(L.CheckString(1)); err != nil {
				e.raise(L, "", err)
			}
			return 0
		},
		"list": func(L *lua.LState) int {
			names, err := engine.ListNetNS()
			if err != nil {
				e.raise(L, "nl.netns.list", err)
			}
			sort.Strings(names)
			t := L.CreateTable(len(names), 0)
			for _, n := range names {
				t.Append(lua.LString(n))
			}
			L.Push(t)
			return 1
		},
		// fd(name|path|pid) opens a namespace and returns a file descriptor
		// for IFLA_NET_NS_FD; it stays open until the Env closes.
		"fd": func(L *lua.LState) int {
			ns, err := netnsArg(L.Get(1))
			if err != nil {
				L.RaiseError("%s", netnsError("nl.netns.fd", err))
			}
			path := engine.NetNSPath(ns)
			if fd, ok := e.nsFDs[path]; ok {
				// Reuse the open namespace only if the name still means it:
				// a namespace deleted and made again under the same name is
				// another one.
				var have, now unix.Stat_t
				if unix.Fstat(fd, &have) == nil && unix.Stat(path, &now) == nil && have.Ino == now.Ino && have.Dev == now.Dev {
					L.Push(lua.LNumber(fd))
					return 1
				}
				unix.Close(fd)
				delete(e.nsFDs, path)
			}
			fd, err := engine.OpenNetNS(ns)
			if err != nil {
				e.raise(L, "nl.netns.fd", err)
			}
			e.nsFDs[path] = fd
			L.Push(lua.LNumber(fd))
			return 1
		},
	})
}

// luaTuntap is nl.tuntap(name, {mode='tun'|'tap', owner=, group=,
// multi_queue=, pi=, netns=}).
func (e *Env) luaTuntap(L *lua.LState) int {
	e.refuseReadOnly(L, "nl.tuntap")
	t := engine.TunTap{Name: L.CheckString(1), Owner: -1, Group: -1}
	var netns lua.LValue = lua.LNil
	if o, ok := L.Get(2).(*lua.LTable); ok {
		var bad string
		o.ForEach(func(k, v lua.LValue) {
			switch k.String() {
			case "mode":
				switch lua.LVAsString(v) {
				case "tun":
				case "tap":
					t.Tap = true
				default:
					bad = fmt.Sprintf("mode must be 'tun' or 'tap', got '%s'", lua.LVAsString(v))
				}
			case "owner":
				t.Owner = int(lua.LVAsNumber(v))
			case "group":
				t.Group = int(lua.LVAsNumber(v))
			case "multi_queue":
				t.MultiQueue = lua.LVAsBool(v)
			case "pi":
				t.PI = lua.LVAsBool(v)
			case "netns":
				netns = v
			default:
				bad = fmt.Sprintf("unknown option '%s' (options: mode, owner, group, multi_queue, pi, netns)", k.String())
			}
		})
		if bad != "" {
			L.ArgError(2, bad)
		}
	}
	if err := engine.CreateTunTap(e.netnsOption(L, "nl.tuntap: option netns", netns), t); err != nil {
		e.raise(L, "", err)
	}
	return 0
}

// luaMonitorAliases is the ip module's native monitor_aliases(): the
// table of rtnl.MonitorAliases.
func (e *Env) luaMonitorAliases(L *lua.LState) int {
	t := L.NewTable()
	for a, gs := range rtnl.MonitorAliases {
		l := L.CreateTable(len(gs), 0)
		for _, g := range gs {
			l.Append(lua.LString(g))
		}
		t.RawSetString(a, l)
	}
	L.Push(t)
	return 1
}
