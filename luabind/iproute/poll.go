package iproute

import (
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// ip.poll and ip.ensure, as pyroute2's: the kernel applies a change
// before it answers, but what depends on it (an address's route, a link's
// carrier) may show a moment later, so a script waits for the state it
// needs instead of sleeping.
//
// ip.poll(method, cmd, spec [, opts]) calls method(cmd, spec) until it
// returns something (a value other than nil, false and an empty list) and
// returns that; with opts.present = false, until it returns nothing. A
// call that raises ends the poll with its error. opts: timeout (seconds,
// 10 by default), interval (seconds between calls, 0.2), present.
//
// ip.ensure(method, spec [, opts]) makes spec's object be there (or, with
// opts.present = false, not be there) and waits until a dump shows it: it
// adds the object a dump does not find (set when the add says it exists)
// or deletes the one it finds (already gone is fine).

// Defaults of ip.poll and ip.ensure, pyroute2's.
const (
	pollTimeout  = 10 * time.Second
	pollInterval = 200 * time.Millisecond
)

// pollOpts are the options of ip.poll and ip.ensure.
type pollOpts struct {
	timeout, interval time.Duration
	present           bool
}

// readPollOpts reads the options table at stack index n.
func readPollOpts(L *lua.LState, n int, fname string) pollOpts {
	o := pollOpts{timeout: pollTimeout, interval: pollInterval, present: true}
	luaarg.Options(L, n, fname, []string{"interval", "present", "timeout"}, func(k string, v lua.LValue) (err error) {
		switch k {
		case "timeout":
			o.timeout, err = luaarg.Timeout(v)
		case "interval":
			o.interval, err = luaarg.Timeout(v)
			if err != nil || o.interval == luaarg.NoBound {
				err = fmt.Errorf("interval: expected a positive, finite number of seconds, got %s", lua.LVAsString(v))
			}
		case "present":
			b, ok := v.(lua.LBool)
			if !ok {
				return fmt.Errorf("present: expected a boolean, got %s", luaarg.TypeName(v))
			}
			o.present = bool(b)
		}
		return err
	})
	return o
}

// poll is ip.poll(method, cmd, spec [, opts]).
func (i *ipInst) poll(L *lua.LState) int {
	method := L.CheckFunction(1)
	o := readPollOpts(L, 4, "ip.poll")
	return i.pollLoop(L, "ip.poll", method, L.Get(2), L.Get(3), o)
}

// pollLoop calls method(cmd, spec) until its result is there (or, without
// o.present, is not), and pushes it.
func (i *ipInst) pollLoop(L *lua.LState, what string, method *lua.LFunction, cmd, spec lua.LValue, o pollOpts) int {
	h := i.m.host
	start := time.Now()
	for {
		L.Push(method)
		L.Push(cmd)
		L.Push(spec)
		h.Call(L, what, 2, 1)
		if emptyResult(L.Get(-1)) != o.present {
			return 1
		}
		L.Pop(1)
		if o.timeout != luaarg.NoBound && time.Since(start)+o.interval > o.timeout {
			ne := &engine.Error{Errno: unix.ETIMEDOUT, Op: what,
				Msg: fmt.Sprintf("not there after %s", o.timeout), Offset: -1, MissType: -1, MissNest: -1}
			if !o.present {
				ne.Msg = fmt.Sprintf("still there after %s", o.timeout)
			}
			L.Error(h.ErrorValue(ne), 1)
		}
		t := time.NewTimer(o.interval)
		select {
		case <-t.C:
		case <-h.Context(L).Done():
			t.Stop()
			L.RaiseError("%s", h.Context(L).Err().Error())
		}
	}
}

// ensure is ip.ensure(method, spec [, opts]).
func (i *ipInst) ensure(L *lua.LState) int {
	h := i.m.host
	method := L.CheckFunction(1)
	spec := L.Get(2)
	o := readPollOpts(L, 3, "ip.ensure")
	L.Push(method)
	L.Push(lua.LString("dump"))
	L.Push(spec)
	h.Call(L, "ip.ensure", 2, 1)
	if emptyResult(L.Get(-1)) != o.present {
		return 1
	}
	L.Pop(1)
	// The codes that say the work is done already.
	var fine []string
	cmd, other := "add", "set"
	if !o.present {
		cmd, other = "del", ""
		fine = []string{"ENODEV", "ENOENT", "ENONET", "EADDRNOTAVAIL"}
	}
	if code, ev := i.tryVerb(L, method, cmd, spec); ev != nil {
		switch {
		case o.present && code == "EEXIST":
			L.Push(method)
			L.Push(lua.LString(other))
			L.Push(spec)
			h.Call(L, "ip.ensure", 2, 0)
		case !hasString(fine, code):
			L.Error(ev, 0)
		}
	}
	return i.pollLoop(L, "ip.ensure", method, lua.LString("dump"), spec, o)
}

// tryVerb calls method(cmd, spec) in protected mode and returns the
// code of the error value it raised, if any, and what it raised (nil when
// nothing).
func (i *ipInst) tryVerb(L *lua.LState, method *lua.LFunction, cmd string, spec lua.LValue) (string, lua.LValue) {
	h := i.m.host
	L.Push(method)
	L.Push(lua.LString(cmd))
	L.Push(spec)
	ev := h.PCall(L, "ip.ensure", 2, 0)
	if ev == nil {
		return "", nil
	}
	if ctx := L.Context(); ctx != nil && ctx.Err() != nil {
		L.RaiseError("%s", ctx.Err().Error())
	}
	if t, ok := ev.(*lua.LTable); ok {
		return lua.LVAsString(t.RawGetString("code")), ev
	}
	return "", ev
}

// emptyResult says whether a verb's result is nothing: nil, false, or an
// empty list (a table without a metatable: messages have one).
func emptyResult(v lua.LValue) bool {
	switch x := v.(type) {
	case *lua.LNilType:
		return true
	case lua.LBool:
		return !bool(x)
	case *lua.LTable:
		if x.Metatable != lua.LNil {
			return false
		}
		k, _ := x.Next(lua.LNil)
		return k == lua.LNil
	}
	return false
}
