package luabind

import (
	"fmt"
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// netnsTakes says what every netns option and argument accepts, for errors.
const netnsTakes = "takes a network namespace (a name under /run/netns, a path such as /proc/PID/ns/net, or a process id)"

// netnsArg reads a network namespace a script names: a non-empty string (a
// name under /run/netns, or a path when it holds a '/') or a process id,
// which becomes /proc/PID/ns/net. It is the one check behind every netns
// option and argument. Anything else is an error saying what was given: a
// value that names no namespace must never mean nlsh's own, which under
// --netns would let a script escape it.
func netnsArg(v lua.LValue) (string, error) {
	switch v := v.(type) {
	case lua.LString:
		if v == "" {
			return "", fmt.Errorf("got an empty string")
		}
		return string(v), nil
	case lua.LNumber:
		if f := float64(v); f >= 1 && f <= math.MaxInt32 && f == math.Trunc(f) {
			return "/proc/" + strconv.Itoa(int(f)) + "/ns/net", nil
		}
		return "", fmt.Errorf("got %s, which is not a process id", v.String())
	case lua.LBool:
		return "", fmt.Errorf("got %s", v.String())
	case *lua.LNilType:
		return "", fmt.Errorf("got nil")
	}
	return "", fmt.Errorf("got a %s", v.Type().String())
}

// netnsError is the one-line error for a bad namespace given to what (such
// as "nl.socket: option netns").
func netnsError(what string, err error) string {
	return what + " " + netnsTakes + ", " + err.Error()
}

// netnsOption returns the namespace the option value v names, for what's
// error message; nil (the option absent) is the Env's namespace, so nothing
// leaves nlsh's --netns unless the script names another namespace.
func (e *Env) netnsOption(L *lua.LState, what string, v lua.LValue) string {
	if v == lua.LNil {
		return e.NetNS()
	}
	ns, err := netnsArg(v)
	if err != nil {
		L.RaiseError("%s", netnsError(what, err))
	}
	return ns
}

// luaNetnsArg is the ip module's native netns(what, v): the namespace v
// names (nil is an error here: the caller asked for one), or nil and the
// error message, which the Lua caller raises at its caller's line.
func (e *Env) luaNetnsArg(L *lua.LState) int {
	what := L.CheckString(1)
	ns, err := netnsArg(L.Get(2))
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(netnsError(what, err)))
		return 2
	}
	L.Push(lua.LString(ns))
	return 1
}
