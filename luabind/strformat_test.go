package luabind

import (
	"fmt"
	"math"
	"regexp"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// fmtArg builds an argument inside a given state, so tables and functions
// belong to the state that formats them.
type fmtArg func(L *lua.LState) lua.LValue

func fmtNum(v float64) fmtArg { return func(*lua.LState) lua.LValue { return lua.LNumber(v) } }
func fmtStr(v string) fmtArg  { return func(*lua.LState) lua.LValue { return lua.LString(v) } }

var (
	argNil   fmtArg = func(*lua.LState) lua.LValue { return lua.LNil }
	argTrue  fmtArg = func(*lua.LState) lua.LValue { return lua.LTrue }
	argTable fmtArg = func(L *lua.LState) lua.LValue { return L.NewTable() }
	argFunc  fmtArg = func(L *lua.LState) lua.LValue {
		return L.NewFunction(func(*lua.LState) int { return 0 })
	}
)

// fmtPair is an untouched gopher-lua state and one with the fast format.
type fmtPair struct {
	base, fast *lua.LState
	// Lua callers, [0] for string.format(fmt, ...) and [1] for
	// fmt:format(...): baseFns and fastFns call each state's string.format,
	// origFns call, inside the fast state, the original it replaced.
	baseFns, fastFns, origFns [2]*lua.LFunction
}

// Both caller chunks keep the same layout and call the function through a
// field named format, so error positions and names match.
const (
	fmtCallers = `return function(...) local r = string.format(...) return r end,
	function(s, ...) local r = s:format(...) return r end`
	origCallers = `local o = ...; return function(...) local r = o.format(...) return r end,
	function(s, ...) local r = o.format(s, ...) return r end`
)

func loadCallers(tb testing.TB, L *lua.LState, src string, fns *[2]*lua.LFunction, args ...lua.LValue) {
	tb.Helper()
	chunk, err := L.LoadString(src)
	if err != nil {
		tb.Fatal(err)
	}
	if err := L.CallByParam(lua.P{Fn: chunk, NRet: 2, Protect: true}, args...); err != nil {
		tb.Fatal(err)
	}
	fns[0] = L.Get(-2).(*lua.LFunction)
	fns[1] = L.Get(-1).(*lua.LFunction)
	L.Pop(2)
}

func newFmtPair(tb testing.TB) *fmtPair {
	tb.Helper()
	p := &fmtPair{base: lua.NewState(), fast: lua.NewState()}
	orig := p.fast.NewTable()
	orig.RawSetString("format", p.fast.GetField(p.fast.GetGlobal("string"), "format"))
	installFastFormat(p.fast)
	loadCallers(tb, p.base, fmtCallers, &p.baseFns)
	loadCallers(tb, p.fast, fmtCallers, &p.fastFns)
	loadCallers(tb, p.fast, origCallers, &p.origFns, orig)
	return p
}

func (p *fmtPair) close() {
	p.base.Close()
	p.fast.Close()
}

func runFormat(L *lua.LState, fn *lua.LFunction, format lua.LValue, args []lua.LValue) (string, error) {
	L.Push(fn)
	L.Push(format)
	for _, a := range args {
		L.Push(a)
	}
	if err := L.PCall(1+len(args), 1, nil); err != nil {
		return "", err
	}
	v := L.Get(-1)
	L.Pop(1)
	s, ok := v.(lua.LString)
	if !ok {
		return "", fmt.Errorf("non-string result %s %v", v.Type(), v)
	}
	return string(s), nil
}

func sameResult(tb testing.TB, what string, format lua.LValue, want string, werr error, got string, gerr error) {
	tb.Helper()
	if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
		tb.Fatalf("%s, format %q: error mismatch\n want: %v\n got:  %v", what, format, werr, gerr)
	}
	if want != got {
		tb.Fatalf("%s, format %q: output mismatch\n want: %q\n got:  %q", what, format, want, got)
	}
}

// compare requires the fast format to agree (value or error) with the
// original, for both call forms: against untouched gopher-lua in its own
// state, and against the saved original in the same state with the very same
// argument objects. Tables and functions print their addresses (%s, or
// hex-encoded under %x), which differ between states, so only the same-state
// comparison applies to them.
func (p *fmtPair) compare(tb testing.TB, format lua.LValue, args []fmtArg) string {
	tb.Helper()
	var first string
	for form := range 2 {
		if _, ok := format.(lua.LString); form == 1 && !ok {
			continue // method form needs a string receiver
		}
		baseArgs := make([]lua.LValue, len(args))
		fastArgs := make([]lua.LValue, len(args))
		addrs := false
		for k, a := range args {
			baseArgs[k], fastArgs[k] = a(p.base), a(p.fast)
			switch fastArgs[k].(type) {
			case *lua.LTable, *lua.LFunction:
				addrs = true
			}
		}
		got, gerr := runFormat(p.fast, p.fastFns[form], format, fastArgs)
		want, werr := runFormat(p.fast, p.origFns[form], format, fastArgs)
		sameResult(tb, fmt.Sprintf("form %d vs saved original", form), format, want, werr, got, gerr)
		if !addrs {
			want, werr = runFormat(p.base, p.baseFns[form], format, baseArgs)
			sameResult(tb, fmt.Sprintf("form %d vs untouched state", form), format, want, werr, got, gerr)
		}
		if form == 0 {
			first = got
			if gerr != nil {
				first = "ERR " + gerr.Error()
			}
		}
	}
	return first
}

func TestStringFormatInstalled(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	orig := L.GetField(L.GetGlobal("string"), "format")
	installFastFormat(L)
	if err := L.DoString(`
		fast = string.format
		via_method = ("x").format
		a = string.format("10.%d.%d.%d/32", 1, 2, 3)
		b = ("10.%d.%d.%d/32"):format(1, 2, 3)`); err != nil {
		t.Fatal(err)
	}
	fast := L.GetGlobal("fast")
	if fast == orig {
		t.Fatal("string.format was not replaced")
	}
	if L.GetGlobal("via_method") != fast {
		t.Fatal("string metatable __index does not see the replacement")
	}
	for _, g := range []string{"a", "b"} {
		if got := L.GetGlobal(g).String(); got != "10.1.2.3/32" {
			t.Fatalf("%s = %q", g, got)
		}
	}
}

func TestStringFormatDifferential(t *testing.T) {
	p := newFmtPair(t)
	defer p.close()

	nan, inf := math.NaN(), math.Inf(1)
	numbers := []float64{0, 1, -1, 7, 255, 256, -255, 42, 1 << 31, -(1 << 31),
		1 << 53, -(1 << 53), 1<<53 + 2, 1e18, 9.2e18, -9.3e18, 1e19, 1e300, -1e300,
		0.5, -0.5, 2.5, -2.5, 0.1, 1e100, 1e-7, 123456.789, 1e6, 1e21, 5e-324,
		math.MaxFloat64, math.Copysign(0, -1), nan, inf, -inf,
		math.MaxInt64, math.MinInt64}
	strs := []string{"", "a", "abc", "%", "%d", "100%", "a\x00b", "\x00", "héllo", "\xff\xfe", "12", "0x1F", " 3 "}

	type tc struct {
		format string
		args   []fmtArg
	}
	var cases []tc
	add := func(format string, args ...fmtArg) { cases = append(cases, tc{format, args}) }

	for _, f := range []string{"", "plain text", "a\x00b", "héllo", "%%", "%%%%", "100%%", "%% %%"} {
		add(f)
		add(f, fmtNum(1))
		add(f, fmtNum(1), fmtStr("x"))
	}
	for _, verb := range []string{"%d", "%x", "%X", "%s"} {
		for _, n := range numbers {
			add(verb, fmtNum(n))
			add("<"+verb+">", fmtNum(n))
			add(verb+"%%", fmtNum(n))
		}
	}
	for _, verb := range []string{"%s", "%d", "%x", "%X"} {
		for _, s := range strs {
			add(verb, fmtStr(s))
			add("["+verb+"]", fmtStr(s))
		}
	}
	// Format strings containing what looks like directives, NULs and text.
	add("a\x00%s\x00b", fmtStr("x\x00y"))
	add("%s%s%s", fmtStr(""), fmtStr("%"), fmtStr("%%"))
	// Mixed and repeated.
	add("10.%d.%d.%d/32", fmtNum(1), fmtNum(200), fmtNum(3))
	add("%s=%d (0x%x/%X) %%", fmtStr("mtu"), fmtNum(1500), fmtNum(1500), fmtNum(1500))
	add("%d%s%x%X", fmtNum(-1), fmtNum(0.1), fmtNum(-255), fmtNum(-255))
	add("%d%%%d", fmtNum(1), fmtNum(2))
	add("%%%d", fmtNum(1))
	add("%d%%", fmtNum(50))
	// Extra arguments: silently dropped only when there are no %% escapes;
	// with escapes gopher-lua's npat lets fmt see them (%!(EXTRA ...)).
	add("%d", fmtNum(1), fmtNum(2))
	add("%d", fmtNum(1), argTable, argNil)
	add("x", fmtNum(1))
	add("%%", fmtNum(5))
	add("%%", fmtStr("s"))
	add("%% %%", fmtNum(1), fmtNum(2), fmtNum(3))
	add("%d%%", fmtNum(1), fmtNum(2))
	add("%d%%", fmtNum(1), fmtStr("two"), argTrue)
	add("%%%d", fmtNum(1), fmtNum(2), fmtNum(3))
	add("%s %%", fmtStr("a"), argTable)
	// Too few arguments.
	add("%d")
	add("%d %d", fmtNum(1))
	add("%s %s", fmtStr("a"))
	add("%x%%%X", fmtNum(1))
	// Other types.
	for _, a := range []fmtArg{argNil, argTrue, argTable, argFunc} {
		for _, verb := range []string{"%d", "%s", "%x", "%X", "%5d", "%q"} {
			add(verb, a)
			add("a "+verb+" b", a)
		}
	}
	// Flags, width, precision, other verbs.
	for _, f := range []string{"%5d", "%-5d", "%05d", "%+d", "% d", "%-3s", "%5s", "%.2s",
		"%05.2f", "%f", "%.3f", "%q", "%c", "%o", "%e", "%E", "%g", "%G", "%i", "%u",
		"%b", "%U", "%v", "%t", "%p", "%#x", "%08X", "%[1]d", "%*d", "%.*d", "%!", "%é", "%\xff"} {
		add(f, fmtNum(65))
		add(f, fmtNum(-2.5))
		add(f, fmtStr("hi"))
		add(f, fmtNum(65), fmtNum(66))
		add(f)
	}
	// Trailing lone '%'.
	add("%")
	add("abc%")
	add("%d%", fmtNum(1))
	add("%d%", fmtNum(1), fmtNum(2))
	add("%%%", fmtNum(1))

	for _, c := range cases {
		p.compare(t, lua.LString(c.format), c.args)
	}

	// The format itself of another type: numbers are converted by
	// CheckString, everything else is a bad-argument error.
	for _, f := range []lua.LValue{lua.LNumber(12), lua.LNumber(0.5), lua.LNil, lua.LTrue} {
		p.compare(t, f, nil)
		p.compare(t, f, []fmtArg{fmtNum(1)})
	}
	// Nothing at all.
	for _, L := range []*lua.LState{p.base, p.fast} {
		if err := L.DoString(`local ok, e = pcall(string.format) assert(not ok) last = e`); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := p.base.GetGlobal("last").String(), p.fast.GetGlobal("last").String(); a != b {
		t.Fatalf("no-argument error differs: %q vs %q", a, b)
	}

	// Spot checks of the behaviour being mirrored, so a change in gopher-lua
	// shows up as a readable failure rather than only as a mismatch.
	for _, c := range []struct {
		format string
		args   []fmtArg
		want   string
	}{
		{"%d", []fmtArg{fmtNum(-2.5)}, "-2"},
		{"%d", []fmtArg{fmtNum(1e300)}, "-9223372036854775808"},
		{"%x", []fmtArg{fmtNum(-255)}, "-ff"},
		{"%X", []fmtArg{fmtNum(-255)}, "-FF"},
		{"%s", []fmtArg{fmtNum(0.1)}, "0.1"},
		{"%s", []fmtArg{fmtNum(1e100)}, "1e+100"},
		{"%s", []fmtArg{fmtNum(1e6)}, "1000000"},
		{"%s", []fmtArg{fmtNum(1234567.5)}, "1.2345675e+06"},
		{"%s", []fmtArg{fmtNum(1e21)}, "1e+21"},
		{"%s", []fmtArg{fmtNum(math.NaN())}, "NaN"},
		{"%s", []fmtArg{fmtNum(inf)}, "+Inf"},
		{"%d", []fmtArg{fmtNum(1), fmtNum(2)}, "1"},
		{"%%", []fmtArg{fmtNum(5)}, "%%!(EXTRA lua.LNumber=5)"},
		{"%d", []fmtArg{fmtStr("12")}, "12"},
		{"%d", []fmtArg{fmtStr("abc")}, "0"},
		{"%d", nil, "%!d(MISSING)"},
		{"abc%", nil, "abc%!(NOVERB)"},
	} {
		if got := p.compare(t, lua.LString(c.format), c.args); got != c.want {
			t.Errorf("format %q: got %q, want %q", c.format, got, c.want)
		}
	}
}

// fuzzWidthRE finds widths/precisions of four or more digits: fmt accepts up
// to 1e6 and each such directive would make a megabyte of padding.
var fuzzWidthRE = regexp.MustCompile(`[0-9]{4,}`)

// FuzzStringFormat compares the fast state with untouched gopher-lua on
// arbitrary format strings. The original never panicked or hung in fuzzing:
// fmt recovers panics raised inside Format methods and reports bad verbs,
// widths and argument indexes inline (%!d(MISSING), %!(BADWIDTH), ...), and
// the only Lua error is CheckString's on argument 1. Were a Go panic to
// occur, PCall would turn it into an error on both sides and the comparison
// would still apply. The only guard is against huge widths (see fuzzWidthRE).
func FuzzStringFormat(f *testing.F) {
	seeds := []struct {
		format string
		n      float64
		s      string
		i      int64
		sel    uint16
	}{
		{"10.%d.%d.%d/32", 1, "x", 2, 3 | 2<<3 | 2<<5 | 2<<7},
		{"%s=%d", 0.1, "mtu", 1500, 2 | 1<<3 | 2<<5},
		{"%x %X %%", -255, "", -1, 2 | 0<<3 | 2<<5},
		{"%%", 5, "", 0, 1},
		{"%d%%", 1, "a", 2, 2 | 0<<3 | 1<<5},
		{"%s", math.NaN(), "a\x00b", 0, 1},
		{"%d", math.Inf(1), "", 0, 1},
		{"%d", 1e300, "", 0, 1},
		{"%5d%-3s%05.2f", 2.5, "hi", 7, 3 | 0<<3 | 1<<5},
		{"%q%c%o%e%g", 65, "q", 66, 4 | 1<<3 | 2<<5},
		{"%d %s", 0, "", 0, 2 | 3<<3 | 3<<5},
		{"abc%", 0, "", 0, 0},
		{"%", 0, "", 0, 1},
		{"%[2]d %[1]s", 1, "s", 2, 2 | 1<<3},
		{"%*d", 3, "", 4, 2 | 0<<3 | 2<<5},
		{"%d", 0, "12", 0, 1 | 1<<3},
		{"%s", 1e21, "", 0, 1},
	}
	for _, s := range seeds {
		f.Add(s.format, s.n, s.s, s.i, s.sel)
	}
	p := newFmtPair(f)
	f.Cleanup(p.close)
	f.Fuzz(func(t *testing.T, format string, n float64, s string, i int64, sel uint16) {
		if len(format) > 128 || len(s) > 256 || fuzzWidthRE.MatchString(format) {
			t.Skip()
		}
		// sel: bits 0-2 argument count (capped at 5), bits 3-12 two bits of
		// kind per argument, bits 13-15 rotate which odd type kind 3 means.
		nargs := int(sel & 7)
		if nargs > 5 {
			nargs = 5
		}
		args := make([]fmtArg, nargs)
		for k := range args {
			switch (sel >> (3 + 2*k)) & 3 {
			case 0:
				args[k] = fmtNum(n)
			case 1:
				args[k] = fmtStr(s)
			case 2:
				args[k] = fmtNum(float64(i))
			case 3:
				args[k] = []fmtArg{argNil, argTrue, argTable, fmtNum(float64(int64(n)))}[(k+int(sel>>13))%4]
			}
		}
		p.compare(t, lua.LString(format), args)
	})
}

// BenchmarkStringFormat reports ns/format per loop iteration; "loop-only"
// runs the same loop and arithmetic without the call, to show how much of
// that is the Lua loop itself.
func BenchmarkStringFormat(b *testing.B) {
	const loops = 10000
	const body = `
local n = 0
for i = 1, %d do
  local s = %s
  n = n + #s
end
return n`
	call := fmt.Sprintf(body, loops, `('10.%d.%d.%d/32'):format(i % 2, i % 256, i % 7)`)
	noCall := fmt.Sprintf(body, loops, `'10.0.0.0/32' local a, b, c = i % 2, i % 256, i % 7`)
	for _, mode := range []string{"original", "fast", "loop-only"} {
		b.Run(mode, func(b *testing.B) {
			L := lua.NewState()
			defer L.Close()
			src := call
			switch mode {
			case "fast":
				installFastFormat(L)
			case "loop-only":
				src = noCall
			}
			fn, err := L.LoadString(src)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				L.Push(fn)
				if err := L.PCall(0, 1, nil); err != nil {
					b.Fatal(err)
				}
				L.Pop(1)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*loops), "ns/format")
		})
	}
}
