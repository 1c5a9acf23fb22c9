package luaarg

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

// NoBound is what Timeout returns for math.huge: wait for ever (the
// engine's negative idle).
const NoBound = time.Duration(-1)

// Timeout reads a timeout in seconds: a positive number, or math.huge
// for no bound (NoBound). NaN, zero, negative numbers and anything that is
// not a number are errors, never a wait for ever nor none at all.
func Timeout(v lua.LValue) (time.Duration, error) {
	n, ok := v.(lua.LNumber)
	if !ok {
		return 0, fmt.Errorf("timeout: expected a positive number of seconds (math.huge for no bound), got %s", TypeName(v))
	}
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return 0, fmt.Errorf("timeout: expected a positive number of seconds (math.huge for no bound), got NaN")
	case f <= 0:
		return 0, fmt.Errorf("timeout: expected a positive number of seconds (math.huge for no bound), got %s", lua.LNumber(f).String())
	case math.IsInf(f, 1) || f*float64(time.Second) >= math.MaxInt64:
		return NoBound, nil
	}
	// A bound too small to measure is still a bound.
	return max(time.Duration(f*float64(time.Second)), time.Nanosecond), nil
}

// RcvBuf reads a receive buffer size in bytes: a positive integer
// that fits an int (the socket option's type).
func RcvBuf(v lua.LValue) (int, error) { return Bytes("rcvbuf", v) }

// Bytes reads a size in bytes, named name in errors: a positive
// integer up to 2^31-1.
func Bytes(name string, v lua.LValue) (int, error) {
	n, ok := v.(lua.LNumber)
	f := float64(n)
	if !ok || f != math.Trunc(f) || f <= 0 || f > math.MaxInt32 {
		got := TypeName(v)
		if ok {
			got = n.String()
		}
		return 0, fmt.Errorf("%s: expected a positive whole number of bytes, got %s", name, got)
	}
	return int(f), nil
}

// Options calls fn for each key of the options table at argument i (nil
// is no options), raising an argument error for a key not in keys, for
// anything but a table, and for what fn returns.
func Options(L *lua.LState, i int, fname string, keys []string, fn func(k string, v lua.LValue) error) {
	v := L.Get(i)
	if v == lua.LNil {
		return
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		L.ArgError(i, fmt.Sprintf("%s: options must be a table (%s), got %s", fname, optionList(keys), TypeName(v)))
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
			L.ArgError(i, fmt.Sprintf("%s: unknown option '%s'%s (options: %s)", fname, k, Suggestion(k, keys), optionList(keys)))
		}
		if err := fn(k, t.RawGetString(k)); err != nil {
			L.ArgError(i, fmt.Sprintf("%s: %s", fname, err.Error()))
		}
	}
}

func optionList(keys []string) string { return strings.Join(keys, ", ") }

// RequestOptions reads argument i of a call that sends a request: nil, or
// a table of options (timeout). fname names the call in errors.
func RequestOptions(L *lua.LState, i int, fname string) engine.RequestOptions {
	var o engine.RequestOptions
	Options(L, i, fname, []string{"timeout"}, func(k string, v lua.LValue) error {
		d, err := Timeout(v)
		o.Idle = d
		return err
	})
	return o
}

// EventOptions reads the options table at index i of fname, a stream of
// notifications: backlog, rcvbuf (into cfg, engine.EventRcvBuf unless
// given), timeout and, where netns is not nil, netns.
func EventOptions(L *lua.LState, i int, fname string, cfg *engine.ConnConfig, netns *lua.LValue) (timeout time.Duration, backlog int) {
	keys := []string{"backlog", "rcvbuf", "timeout"}
	if netns != nil {
		keys = []string{"backlog", "netns", "rcvbuf", "timeout"}
	}
	Options(L, i, fname, keys, func(k string, v lua.LValue) (err error) {
		switch k {
		case "backlog":
			backlog, err = Bytes("backlog", v)
		case "rcvbuf":
			cfg.RcvBuf, err = RcvBuf(v)
		case "netns":
			*netns = v
		case "timeout":
			timeout, err = Timeout(v)
		}
		return err
	})
	if cfg.RcvBuf == 0 {
		cfg.RcvBuf = engine.EventRcvBuf
	}
	return timeout, backlog
}

// Suggestion is " (did you mean 'x'?)" for the name in names closest to
// n, or "" when none is close.
func Suggestion(n string, names []string) string {
	if c := engine.Closest(n, names, 1); len(c) > 0 {
		return fmt.Sprintf(" (did you mean '%s'?)", c[0])
	}
	return ""
}
