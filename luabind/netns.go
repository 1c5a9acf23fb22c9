package luabind

import (
	"fmt"
	"sort"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// netnsOption returns the namespace the option value v names, for what's
// error message; nil (the option absent) is the Env's namespace, so nothing
// leaves nlsh's --netns unless the script names another namespace.
func (e *Env) netnsOption(L *lua.LState, what string, v lua.LValue) string {
	if v == lua.LNil {
		return e.NetNS()
	}
	ns, err := luaarg.Netns(v)
	if err != nil {
		L.RaiseError("%s", luaarg.NetnsError(what, err))
	}
	return ns
}

// openNetnsModule is nl.netns: add, del, list and fd.
func (e *Env) openNetnsModule(L *lua.LState) *lua.LTable {
	return funcTable(L, map[string]lua.LGFunction{
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
			ns, err := luaarg.Netns(L.Get(1))
			if err != nil {
				L.RaiseError("%s", luaarg.NetnsError("nl.netns.fd", err))
			}
			fd, err := e.netnsFD(ns)
			if err != nil {
				e.raise(L, "nl.netns.fd", err)
			}
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

// netnsFD opens a namespace (a name under /run/netns, or a path) and
// returns a file descriptor for IFLA_NET_NS_FD; it stays open until the
// Env closes, and serves again while the name still means the same
// namespace.
func (e *Env) netnsFD(ns string) (int, error) {
	path := engine.NetNSPath(ns)
	if fd, ok := e.nsFDs[path]; ok {
		// Reuse the open namespace only if the name still means it: a
		// namespace deleted and made again under the same name is
		// another one.
		var have, now unix.Stat_t
		if unix.Fstat(fd, &have) == nil && unix.Stat(path, &now) == nil && have.Ino == now.Ino && have.Dev == now.Dev {
			return fd, nil
		}
		unix.Close(fd)
		delete(e.nsFDs, path)
	}
	fd, err := engine.OpenNetNS(ns)
	if err != nil {
		return 0, err
	}
	e.nsFDs[path] = fd
	return fd, nil
}
