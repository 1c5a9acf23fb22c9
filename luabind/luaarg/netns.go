package luaarg

import (
	"fmt"
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// NetnsTakes says what every netns option and argument accepts, for errors.
const NetnsTakes = "takes a network namespace (a name under /run/netns, a path such as /proc/PID/ns/net, or a process id)"

// Netns reads a network namespace a script names: a non-empty string (a
// name under /run/netns, or a path when it holds a '/') or a process id,
// which becomes /proc/PID/ns/net. It is the one check behind every netns
// option and argument. Anything else is an error saying what was given: a
// value that names no namespace must never mean nlsh's own, which under
// --netns would let a script escape it.
func Netns(v lua.LValue) (string, error) {
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

// NetnsError is the one-line error for a bad namespace given to what (such
// as "nl.socket: option netns").
func NetnsError(what string, err error) string {
	return what + " " + NetnsTakes + ", " + err.Error()
}
