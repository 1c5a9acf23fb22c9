package engine

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// intKinds are the integer kinds with their ranges, written out rather
// than computed the way the encoder computes them.
var intKinds = []struct {
	k      Kind
	lo, hi string
}{
	{U8, "0", "255"},
	{U16, "0", "65535"},
	{U32, "0", "4294967295"},
	{U64, "0", "18446744073709551615"},
	{S8, "-128", "127"},
	{S16, "-32768", "32767"},
	{S32, "-2147483648", "2147483647"},
	{S64, "-9223372036854775808", "9223372036854775807"},
	{BE16, "0", "65535"},
	{BE32, "0", "4294967295"},
	{BE64, "0", "18446744073709551615"},
}

// A message class with one attribute and one header field per integer kind.
var (
	rangeStruct, rangeSet = func() (*StructDesc, *AttrSet) {
		var fs []Field
		var as []*AttrDesc
		for i, c := range intKinds {
			fs = append(fs, Field{Name: c.k.String(), Kind: c.k})
			as = append(as, &AttrDesc{Name: "K_" + strings.ToUpper(c.k.String()), Type: uint16(i + 1), Kind: c.k})
		}
		return NewStruct("kstruct", fs...), NewAttrSet("kinds", "K_", as...)
	}()
	rangeClass = &Class{Name: "kmsg", Struct: rangeStruct, Attrs: rangeSet}
)

// encodeAs encodes v as kind k's header field (field true) or attribute,
// and returns that field's or attribute payload's bytes.
func encodeAs(k Kind, field bool, v any) ([]byte, error) {
	in := Table{Map: map[string]any{}}
	name := "K_" + strings.ToUpper(k.String())
	if field {
		in.Map[k.String()] = v
	} else {
		in.Map["attrs"] = tbl(tbl(name, v))
	}
	b, err := EncodeRecord(rangeClass, in)
	if err != nil {
		return nil, err
	}
	if field {
		i, _ := rangeStruct.FieldIndex(k.String())
		f := rangeStruct.Fields[i]
		return b[f.Offset : f.Offset+f.Size], nil
	}
	return b[rangeStruct.Size+4 : rangeStruct.Size+4+k.Size()], nil
}

// wireOf is v in k's width and byte order, two's complement.
func wireOf(k Kind, v *big.Int) []byte {
	n := k.Size()
	x := new(big.Int).Set(v)
	if x.Sign() < 0 {
		x.Add(x, new(big.Int).Lsh(big.NewInt(1), uint(8*n)))
	}
	b := x.FillBytes(make([]byte, n))
	if k == BE16 || k == BE32 || k == BE64 {
		return b
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return b
}

// forms are the ways a script value of v reaches the encoder: the
// integers luabind makes of Lua numbers up to 2^53, a float64 beyond (when
// v is one exactly), and text.
func forms(v *big.Int) map[string]any {
	out := map[string]any{"string": v.String()}
	if v.IsInt64() {
		out["int64"] = v.Int64()
	}
	if v.IsUint64() {
		out["uint64"] = v.Uint64()
	}
	if f, acc := new(big.Float).SetInt(v).Float64(); acc == big.Exact {
		out["float64"] = f
	}
	return out
}

func bigOf(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return v
}

// TestIntRanges gives every integer kind, as a header field and as an
// attribute, its smallest and largest values (which encode exactly) and
// the values one beyond (which are refused, never wrapped).
func TestIntRanges(t *testing.T) {
	one := big.NewInt(1)
	for _, c := range intKinds {
		lo, hi := bigOf(c.lo), bigOf(c.hi)
		for _, field := range []bool{true, false} {
			path := "K_" + strings.ToUpper(c.k.String())
			if field {
				path = "kstruct." + c.k.String()
			}
			for _, v := range []*big.Int{lo, hi} {
				for form, x := range forms(v) {
					t.Run(fmt.Sprintf("%s/%s/%s", path, v, form), func(t *testing.T) {
						got, err := encodeAs(c.k, field, x)
						if err != nil {
							t.Fatal(err)
						}
						if diff := cmp.Diff(wireOf(c.k, v), got); diff != "" {
							t.Errorf("bytes (-want +got):\n%s", diff)
						}
					})
				}
			}
			for _, v := range []*big.Int{new(big.Int).Sub(lo, one), new(big.Int).Add(hi, one)} {
				for form, x := range forms(v) {
					t.Run(fmt.Sprintf("%s/%s/%s", path, v, form), func(t *testing.T) {
						_, err := encodeAs(c.k, field, x)
						want := fmt.Sprintf("%s: %s is out of range for %s (%s..%s)", path, v, c.k, c.lo, c.hi)
						checkEncodeErr(t, err, want)
					})
				}
			}
		}
	}
}

// TestIntNotNumbers gives every integer kind values that are not integers,
// or not numbers at all: each is refused with what the kind takes.
func TestIntNotNumbers(t *testing.T) {
	for _, c := range intKinds {
		takes := fmt.Sprintf("(%s, %s..%s)", c.k, c.lo, c.hi)
		rng := fmt.Sprintf("%s (%s..%s)", c.k, c.lo, c.hi)
		for _, tc := range []struct {
			name string
			v    any
			want string // after the path
		}{
			{"fraction", 1.5, "1.5 is not an integer " + takes},
			{"negative fraction", -0.5, "-0.5 is not an integer " + takes},
			{"nan", math.NaN(), "nan is not an integer " + takes},
			{"inf", math.Inf(1), "inf is not an integer " + takes},
			{"-inf", math.Inf(-1), "-inf is not an integer " + takes},
			{"huge", 1e300, "1e+300 is out of range for " + rng},
			{"true", true, "expected an integer " + takes + ", got a boolean"},
			{"false", false, "expected an integer " + takes + ", got a boolean"},
			{"text", "ten", `expected an integer ` + takes + `, got "ten"`},
			{"decimal text", "1.5", `expected an integer ` + takes + `, got "1.5"`},
			{"empty table", Table{}, "expected an integer " + takes + ", got a table"},
			{"map", Table{Map: map[string]any{"a": uint64(1)}}, "expected an integer " + takes + ", got a table"},
			{"list", tbl(uint64(1)), "expected an integer " + takes + ", got a table"},
			{"function", Opaque{Type: "a function"}, "expected an integer " + takes + ", got a function"},
			{"coroutine", Opaque{Type: "a coroutine"}, "expected an integer " + takes + ", got a coroutine"},
			{"userdata", Opaque{Type: "userdata"}, "expected an integer " + takes + ", got userdata"},
		} {
			for _, field := range []bool{true, false} {
				path := "K_" + strings.ToUpper(c.k.String())
				if field {
					path = "kstruct." + c.k.String()
				}
				t.Run(path+"/"+tc.name, func(t *testing.T) {
					_, err := encodeAs(c.k, field, tc.v)
					checkEncodeErr(t, err, path+": "+tc.want)
				})
			}
		}
	}
}

func checkEncodeErr(t *testing.T, err error, want string) {
	t.Helper()
	var ee *EncodeError
	if !errors.As(err, &ee) {
		t.Fatalf("err = %v, want an *EncodeError %q", err, want)
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}

// TestEncodeShapes checks values of the wrong shape: each is refused with
// its path instead of being dropped or read as something else.
func TestEncodeShapes(t *testing.T) {
	pairs := func(ps ...any) Table { return Table{Map: map[string]any{"attrs": tbl(ps...)}} }
	for _, tc := range []struct {
		name string
		in   Table
		want string
	}{
		{"attrs as a map", Table{Map: map[string]any{"attrs": Table{Map: map[string]any{"T_U16": uint64(1)}}}},
			"attrs: expected a list of {name, value} pairs, got a table with keys T_U16"},
		{"attrs with keys besides the list", Table{Map: map[string]any{"attrs": Table{List: []any{tbl("T_U16", uint64(1))}, Map: map[string]any{"T_U64": uint64(2)}}}},
			"attrs: expected a list of {name, value} pairs, got a table with keys T_U64 besides its list"},
		{"attrs not a table", Table{Map: map[string]any{"attrs": uint64(3)}},
			"attrs: expected a list of {name, value} pairs, got a number"},
		{"nest as a map", pairs(tbl("T_NEST", Table{Map: map[string]any{"IN_U8": uint64(1), "IN_STR": "x"}})),
			"T_NEST: expected a list of {name, value} pairs, got a table with keys IN_STR, IN_U8"},
		{"nest's attrs as a map", pairs(tbl("T_NEST", Table{Map: map[string]any{"attrs": Table{Map: map[string]any{"IN_U8": uint64(1)}}}})),
			"T_NEST > attrs: expected a list of {name, value} pairs, got a table with keys IN_U8"},
		{"nest's attrs beside other keys", pairs(tbl("T_NEST", Table{Map: map[string]any{"attrs": tbl(), "IN_U8": uint64(1)}})),
			"T_NEST: expected a list of {name, value} pairs, got a table with keys IN_U8, attrs"},
		{"pair with an unknown key", pairs(Table{List: []any{"T_U16", uint64(1)}, Map: map[string]any{"flags": uint64(1)}}),
			"attribute #1: expected {name, value} and at most nla_flags, got keys flags"},
		{"struct as a list", pairs(tbl("T_PAIR", tbl(uint64(1), uint64(2)))),
			"T_PAIR: pair: expected a table of fields by name, got a list"},
		{"record as a list", pairs(tbl("T_RECS", tbl(tbl(tbl("IN_U8", uint64(1)))))),
			"T_RECS > #1: rec: expected a table of fields and attrs, got a list"},
		{"records as a map", pairs(tbl("T_RECS", Table{Map: map[string]any{"x": uint64(1)}})),
			"T_RECS: expected a list of rec records, got a table with keys x"},
		{"array as a map", pairs(tbl("T_ARR", Table{Map: map[string]any{"a": uint64(1)}})),
			"T_ARR: expected a list of u16 values, got a table with keys a"},
		{"array item out of range", pairs(tbl("T_ARR", tbl(uint64(1), int64(-1)))),
			"T_ARR: -1 is out of range for u16 (0..65535)"},
		{"flex as a map", pairs(tbl("T_SEL", Table{Map: map[string]any{"keys": Table{Map: map[string]any{"v": uint64(1)}}}})),
			"T_SEL: sel.keys: expected a list of key tables, got a table with keys v"},
		{"enum as a list", Table{Map: map[string]any{"attrs": tbl(tbl("T_U8", tbl("RED")))}},
			"T_U8: expected an integer (u8, 0..255) or a colour name, got a table"},
		{"flags as a map", pairs(tbl("T_U32", Table{Map: map[string]any{"F_A": true}})),
			"T_U32: expected an integer (u32, 0..4294967295), opts flag names or a list of them, got a table"},
		{"flag list with a boolean", pairs(tbl("T_U32", tbl("F_A", true))),
			"T_U32: list item 2: expected an integer (u32, 0..4294967295), got a boolean"},
		{"flag list with a negative number", pairs(tbl("T_U32", tbl("F_A", int64(-1)))),
			"T_U32: list item 2: -1 is out of range for u32 (0..4294967295)"},
		{"flag attribute as -1", pairs(tbl("T_FLAG", int64(-1))),
			"T_FLAG: -1 is out of range for u8 (0..255)"},
		{"flag attribute as a function", pairs(tbl("T_FLAG", Opaque{Type: "a function"})),
			"T_FLAG: flag attribute takes true or false, got a function"},
		{"text as a function", pairs(tbl("T_STR", Opaque{Type: "a function"})),
			"T_STR: expected a string, got a function"},
		{"address as a coroutine", pairs(tbl("T_IP4", Opaque{Type: "a coroutine"})),
			"T_IP4: expected an IP address string, got a coroutine"},
		{"attribute number negative", pairs(tbl(int64(-1), "x")),
			"attribute #1: name must be a string or a number: -1 is out of range for u16 (0..65535)"},
		{"nla_flags negative", pairs(Table{List: []any{"T_U16", uint64(1)}, Map: map[string]any{"nla_flags": int64(-1)}}),
			"attribute #1: nla_flags: -1 is out of range for u16 (0..65535)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := EncodeMessage(Header{Type: 0x20}, tClass, tc.in)
			checkEncodeErr(t, err, tc.want)
		})
	}
}

// TestEncodeShapesAccepted: the forms the checks must leave alone.
func TestEncodeShapesAccepted(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Table
	}{
		{"nest as {attrs = …}", Table{Map: map[string]any{"attrs": tbl(tbl("T_NEST", Table{Map: map[string]any{"attrs": tbl(tbl("IN_U8", uint64(1)))}}))}}},
		{"script's own keys", Table{Map: map[string]any{"_note": "x", "attrs": Table{List: []any{tbl("T_U16", uint64(1))}, Map: map[string]any{"_n": uint64(1)}}}}},
		{"empty attrs", Table{Map: map[string]any{"attrs": Table{}}}},
		{"empty flag list", Table{Map: map[string]any{"attrs": tbl(tbl("T_U32", Table{}))}}},
		{"flag list of names and numbers", Table{Map: map[string]any{"attrs": tbl(tbl("T_U32", tbl("F_A", uint64(4))))}}},
		{"nla_flags", Table{Map: map[string]any{"attrs": tbl(Table{List: []any{"T_NEST", tbl()}, Map: map[string]any{"nla_flags": float64(NLA_F_NESTED)}})}}},
		{"flag attribute", Table{Map: map[string]any{"attrs": tbl(tbl("T_FLAG", true), tbl("T_FLAG", false), tbl("T_FLAG", uint64(1)))}}},
		{"struct by field name", Table{Map: map[string]any{"family": uint64(7), "index": int64(-1)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := EncodeMessage(Header{Type: 0x20}, tClass, tc.in); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestEnumNamesInRange: a name's value is checked against the kind too,
// and a signed kind's name may hold its value in the kind's width.
func TestEnumNamesInRange(t *testing.T) {
	en := NewEnum("magic", EnumValue{"ALL", 0xffffffff}, EnumValue{"NEG", uint64(math.MaxUint64)}, EnumValue{"BIG", 1 << 40})
	for _, tc := range []struct {
		k    Kind
		name string
		want uint64
		err  string
	}{
		{S32, "ALL", 0xffffffff, ""},
		{S32, "NEG", 0xffffffff, ""},
		{U32, "ALL", 0xffffffff, ""},
		{U32, "NEG", 0, "NEG (18446744073709551615) is out of range for u32 (0..4294967295)"},
		{U8, "ALL", 0, "ALL (4294967295) is out of range for u8 (0..255)"},
		{S64, "BIG", 1 << 40, ""},
		{S32, "BIG", 0, "BIG (1099511627776) is out of range for s32 (-2147483648..2147483647)"},
	} {
		got, err := ParseInt(tc.k, en, tc.name)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tc.want || gotErr != tc.err {
			t.Errorf("ParseInt(%s, %s) = %#x, %q; want %#x, %q", tc.k, tc.name, got, gotErr, tc.want, tc.err)
		}
	}
}

// FuzzParseInt checks that a value ParseInt accepts is the value the
// decoder reads back from its bytes: nothing is wrapped or rounded.
func FuzzParseInt(f *testing.F) {
	f.Add(uint8(0), "255", -1.0, int64(-1))
	f.Add(uint8(7), "-129", 1e19, int64(math.MinInt64))
	f.Add(uint8(3), "18446744073709551615", math.Pow(2, 64), int64(math.MaxInt64))
	f.Add(uint8(10), "0x10000", 0.5, int64(65536))
	f.Fuzz(func(t *testing.T, ki uint8, s string, x float64, i int64) {
		k := intKinds[int(ki)%len(intKinds)].k
		want := map[string]*big.Int{}
		if v, ok := new(big.Int).SetString(strings.TrimSpace(s), 0); ok {
			want["string"] = v
		}
		if !math.IsNaN(x) && !math.IsInf(x, 0) && x == math.Trunc(x) {
			want["float64"], _ = new(big.Float).SetFloat64(x).Int(nil)
		}
		want["int64"] = big.NewInt(i)
		for form, v := range map[string]any{"string": s, "float64": x, "int64": i} {
			n, err := ParseInt(k, nil, v)
			if err != nil {
				continue
			}
			w, ok := want[form]
			if !ok {
				t.Fatalf("%s: ParseInt accepted %s %#v, which is not an integer", k, form, v)
			}
			p := appendInt(nil, k, n)
			d, ok := decodeScalar(k, 0, p)
			if !ok {
				t.Fatalf("%s: %x does not decode", k, p)
			}
			var got *big.Int
			switch dv := d.(type) {
			case uint64:
				got = new(big.Int).SetUint64(dv)
			case int64:
				got = big.NewInt(dv)
			default:
				t.Fatalf("%s decodes to %T", k, d)
			}
			if got.Cmp(w) != 0 {
				t.Fatalf("%s: %s %#v encodes to %x, which decodes to %s", k, form, v, p, got)
			}
		}
	})
}
