package luaarg

import "math"

// MaxExact is the largest integer a Lua number (a float64) holds exactly,
// with every smaller one: 2^53. Larger u64 values travel as decimal
// strings.
const MaxExact = 1 << 53

// Number is a Lua number as the encoder takes it: an integer (uint64, or
// int64 when negative) when it is a whole number held exactly, else the
// float.
func Number(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) <= MaxExact {
		if f < 0 {
			return int64(f)
		}
		return uint64(f)
	}
	return f
}
