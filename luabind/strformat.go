package luabind

import (
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// installFastFormat replaces string.format with a version that renders the
// common directive subset (%d %s %x %X %%) directly. gopher-lua's own
// implementation goes through fmt.Sprintf and, per LNumber argument, through
// defaultFormat, which rebuilds a format string and calls fmt again; that
// dominates scripts that build addresses with ('10.%d.%d.%d'):format(...).
// Everything outside the subset is handed to the original unchanged, so the
// output stays byte-for-byte what gopher-lua produces.
//
// The string metatable's __index is the string module table itself, so
// replacing the field also covers method calls like ('%d'):format(1).
func installFastFormat(L *lua.LState) {
	mod, ok := L.GetGlobal("string").(*lua.LTable)
	if !ok {
		return
	}
	orig, ok := mod.RawGetString("format").(*lua.LFunction)
	if !ok || !orig.IsG || orig.GFunction == nil {
		return
	}
	mod.RawSetString("format", L.NewFunction(func(L *lua.LState) int {
		if s, ok := fastFormat(L); ok {
			L.Push(lua.LString(s))
			return 1
		}
		// Same frame and same stack, so argument errors are reported exactly
		// as if the original had been called.
		return orig.GFunction(L)
	}))
}

// fastFormat renders string.format's arguments (stack 1..top) if the format
// only uses the supported subset; ok is false when the caller must fall back.
func fastFormat(L *lua.LState) (string, bool) {
	top := L.GetTop()
	fs, ok := L.Get(1).(lua.LString)
	if !ok {
		return "", false // includes numbers, which CheckString would convert
	}
	f := string(fs)
	nargs := top - 1
	var b strings.Builder
	b.Grow(len(f) + 16)
	var scratch [32]byte
	directives, escapes := 0, 0
	for i := 0; i < len(f); {
		j := strings.IndexByte(f[i:], '%')
		if j < 0 {
			b.WriteString(f[i:])
			break
		}
		b.WriteString(f[i : i+j])
		i += j + 1
		if i >= len(f) {
			return "", false // lone trailing '%': fmt prints %!(NOVERB)
		}
		verb := f[i]
		i++
		if verb == '%' {
			b.WriteByte('%')
			escapes++
			continue
		}
		if verb != 'd' && verb != 's' && verb != 'x' && verb != 'X' {
			return "", false // flags, width, precision, other verbs
		}
		directives++
		if directives > nargs {
			return "", false // fmt prints %!d(MISSING)
		}
		switch v := L.Get(directives + 1).(type) {
		case lua.LNumber:
			switch verb {
			case 'd':
				// LNumber.Format truncates to int64 for integer verbs.
				b.Write(strconv.AppendInt(scratch[:0], int64(v), 10))
			case 'x', 'X':
				// Negative values print as -hex, like fmt with an int64.
				out := strconv.AppendInt(scratch[:0], int64(v), 16)
				if verb == 'X' {
					for k, c := range out {
						if c >= 'a' && c <= 'f' {
							out[k] = c - 'a' + 'A'
						}
					}
				}
				b.Write(out)
			case 's':
				b.Write(appendNumberString(scratch[:0], v))
			}
		case lua.LString:
			if verb != 's' {
				// LString.Format has its own quirks for %d (numeric strings
				// print as-is, others as 0) and %x hex-dumps bytes.
				return "", false
			}
			b.WriteString(string(v))
		default:
			return "", false
		}
	}
	// The original passes min(npat, nargs) arguments to fmt.Sprintf, where
	// npat = count("%") - count("%%") = directives + escapes; anything fmt
	// does not consume is printed as %!(EXTRA ...). Only the exact-fit case
	// (or escapes == 0, where surplus arguments are cut off) is silent.
	if nargs != directives && escapes > 0 {
		return "", false
	}
	return b.String(), true
}

// appendNumberString mirrors LNumber.String: fmt.Sprint of the int64 when the
// value round-trips through int64, otherwise of the float64 (which equals the
// shortest 'g' form).
func appendNumberString(dst []byte, v lua.LNumber) []byte {
	if float64(v) == float64(int64(v)) {
		return strconv.AppendInt(dst, int64(v), 10)
	}
	return strconv.AppendFloat(dst, float64(v), 'g', -1, 64)
}
