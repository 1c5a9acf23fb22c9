package luabind

import (
	"fmt"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// Guards on gopher-lua's standard library: a few of its functions make
// whatever size they are asked for, and an allocation the Go runtime
// cannot satisfy is a fatal error, not a panic anything can recover; one
// panics on arguments Lua refuses with an error. A script asking for such
// a size or range gets an error instead, so nothing a user types takes
// nlsh down or panics in it.

// maxRepBytes bounds string.rep's result; nothing netlink needs comes near.
const maxRepBytes = 1 << 30

// maxChannelBuffer bounds channel.make's buffer (16 bytes a value).
const maxChannelBuffer = 1 << 20

// guardStdlib wraps the standard library functions that allocate what
// they are told.
func (e *Env) guardStdlib() {
	L := e.L
	if str, ok := L.GetGlobal("string").(*lua.LTable); ok {
		if rep, ok := str.RawGetString("rep").(*lua.LFunction); ok && rep.IsG {
			orig := rep.GFunction
			str.RawSetString("rep", L.NewFunction(func(L *lua.LState) int {
				s := L.CheckString(1)
				n := float64(L.CheckNumber(2))
				if size := float64(len(s)) * n; size > maxRepBytes {
					L.RaiseError("string.rep: the result would be %.0f bytes, more than nlsh makes (%d)", size, maxRepBytes)
				}
				return orig(L)
			}))
		}
	}
	if m, ok := L.GetGlobal("math").(*lua.LTable); ok {
		if rnd, ok := m.RawGetString("random").(*lua.LFunction); ok && rnd.IsG {
			orig := rnd.GFunction
			m.RawSetString("random", L.NewFunction(func(L *lua.LState) int {
				checkRandomRange(L)
				return orig(L)
			}))
		}
	}
	if ch, ok := L.GetGlobal("channel").(*lua.LTable); ok {
		if mk, ok := ch.RawGetString("make").(*lua.LFunction); ok && mk.IsG {
			orig := mk.GFunction
			ch.RawSetString("make", L.NewFunction(func(L *lua.LState) int {
				if n := float64(L.OptNumber(1, 0)); !(n >= 0 && n <= maxChannelBuffer) {
					L.ArgError(1, fmt.Sprintf("a buffer of 0 to %d values expected, got %s", maxChannelBuffer, L.Get(1).String()))
				}
				return orig(L)
			}))
		}
	}
}

// maxRandomRange bounds math.random's interval: gopher-lua draws from it
// with rand.Intn on an int, which panics on an empty or overflowing one.
const maxRandomRange = 1 << 53

// checkRandomRange raises Lua 5.1's errors for math.random(m) with m < 1
// and math.random(m, n) with m > n, and one for an interval too wide to
// draw from, before gopher-lua's math.random would panic on them.
func checkRandomRange(L *lua.LState) {
	switch L.GetTop() {
	case 0:
	case 1:
		m := float64(L.CheckNumber(1))
		if !(m >= 1) {
			L.ArgError(1, "interval is empty")
		}
		if m > maxRandomRange {
			L.ArgError(1, "interval is too large")
		}
	default:
		lo, hi := float64(L.CheckNumber(1)), float64(L.CheckNumber(2))
		if !(math.Trunc(lo) <= math.Trunc(hi)) {
			L.ArgError(2, "interval is empty")
		}
		if math.Abs(lo) > maxRandomRange || math.Abs(hi) > maxRandomRange {
			L.ArgError(2, "interval is too large")
		}
	}
}
