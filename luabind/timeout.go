package luabind

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Options that bound waits, read the same way by every call that takes
// them: s:request, s:each, the genl calls, nl.events, f:subscribe and the
// ip verbs.

// noBound is what parseTimeout returns for math.huge: wait for ever (the
// engine's negative idle).
const noBound = time.Duration(-1)

// parseTimeout reads a timeout in seconds: a positive number, or math.huge
// for no bound (noBound). NaN, zero, negative numbers and anything that is
// not a number are errors, never a wait for ever nor none at all.
func parseTimeout(v lua.LValue) (time.Duration, error) {
	n, ok := v.(lua.LNumber)
	if !ok {
		return 0, fmt.Errorf("timeout: expected a positive number of seconds (math.huge for no bound), got %s", luaTypeName(v))
	}
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return 0, fmt.Errorf("timeout: expected a positive number of seconds (math.huge for no bound), got NaN")
	case f <= 0:
		return 0, fmt.Errorf("timeout: expected a positive number of seconds (math.huge for no bound), got %s", lua.LNumber(f).String())
	case math.IsInf(f, 1) || f*float64(time.Second) >= math.MaxInt64:
		return noBound, nil
	}
	// A bound too small to measure is still a bound.
	return max(time.Duration(f*float64(time.Second)), time.Nanosecond), nil
}

// parseRcvBuf reads a receive buffer size in bytes: a positive integer
// that fits an int (the socket option's type).
func parseRcvBuf(v lua.LValue) (int, error) { return parseBytes("rcvbuf", v) }

// parseBytes reads a size in bytes, named name in errors: a positive
// integer up to 2^31-1.
func parseBytes(name string, v lua.LValue) (int, error) {
	n, ok := v.(lua.LNumber)
	f := float64(n)
	if !ok || f != math.Trunc(f) || f <= 0 || f > math.MaxInt32 {
		got := luaTypeName(v)
		if ok {
			got = n.String()
		}
		return 0, fmt.Errorf("%s: expected a positive whole number of bytes, got %s", name, got)
	}
	return int(f), nil
}

// requestOptions reads argument i of a call that sends a request: nil, or
// a table of options (timeout). fname names the call in errors.
func requestOptions(L *lua.LState, i int, fname string) engine.RequestOptions {
	var o engine.RequestOptions
	forOptions(L, i, fname, []string{"timeout"}, func(k string, v lua.LValue) error {
		d, err := parseTimeout(v)
		o.Idle = d
		return err
	})
	return o
}

// forOptions calls fn for each key of the options table at argument i (nil
// is no options), raising an argument error for a key not in keys, for
// anything but a table, and for what fn returns.
func forOptions(L *lua.LState, i int, fname string, keys []string, fn func(k string, v lua.LValue) error) {
	v := L.Get(i)
	if v == lua.LNil {
		return
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		L.ArgError(i, fmt.Sprintf("%s: options must be a table (%s), got %s", fname, optionList(keys), luaTypeName(v)))
	}
	var names []string
	t.ForEach(func(k, _ lua.LValue) { names = append(names, lua.LVAsString(k)) })
	sort.Strings(names) // the first bad key is the same every run
	for _, k := range names {
		known := false
		for _, want := range keys {
			known = known || k == want
		}
		if !known {
			L.ArgError(i, fmt.Sprintf("%s: unknown option '%s'%s (options: %s)", fname, k, suggestion(k, keys), optionList(keys)))
		}
		if err := fn(k, t.RawGetString(k)); err != nil {
			L.ArgError(i, fmt.Sprintf("%s: %s", fname, err.Error()))
		}
	}
}

func optionList(keys []string) string { return strings.Join(keys, ", ") }
