package luabind

import lua "github.com/yuin/gopher-lua"

// The bit module: Lua 5.1 has no bitwise operators. Operands are integers up
// to 2^53; bnot and the shifts work on 32 bits, the width of netlink flags.

func bitInt(L *lua.LState, i int) uint64 {
	n := L.CheckNumber(i)
	if n < 0 {
		return uint64(int64(n))
	}
	return uint64(n)
}

func bitResult(L *lua.LState, v uint64) int {
	L.Push(lua.LNumber(float64(v & (1<<53 - 1))))
	return 1
}

func openBit(L *lua.LState) *lua.LTable {
	fold := func(op func(a, b uint64) uint64) lua.LGFunction {
		return func(L *lua.LState) int {
			v := bitInt(L, 1)
			for i := 2; i <= L.GetTop(); i++ {
				v = op(v, bitInt(L, i))
			}
			return bitResult(L, v)
		}
	}
	return funcTable(L, map[string]lua.LGFunction{
		"bor":  fold(func(a, b uint64) uint64 { return a | b }),
		"band": fold(func(a, b uint64) uint64 { return a & b }),
		"bxor": fold(func(a, b uint64) uint64 { return a ^ b }),
		"bnot": func(L *lua.LState) int { return bitResult(L, ^bitInt(L, 1)&0xffffffff) },
		"lshift": func(L *lua.LState) int {
			return bitResult(L, (bitInt(L, 1)<<(bitInt(L, 2)&31))&0xffffffff)
		},
		"rshift": func(L *lua.LState) int {
			return bitResult(L, (bitInt(L, 1)&0xffffffff)>>(bitInt(L, 2)&31))
		},
		"btest": func(L *lua.LState) int {
			L.Push(lua.LBool(bitInt(L, 1)&bitInt(L, 2) != 0))
			return 1
		},
	})
}
