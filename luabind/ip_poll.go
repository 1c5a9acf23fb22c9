package luabind

import (
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
)

// ip.poll(method, cmd, spec [, opts]): call method(cmd, spec) until it
// returns something, as pyroute2's poll does: waiting for a link to come
// up, an address to finish DAD, a route to appear. Something is a value
// other than nil, false and an empty list; a call that raises ends the
// poll with its error. opts: timeout (seconds, 10 by default) and
// interval (seconds between calls, 0.2).

// Defaults of ip.poll, pyroute2's.
const (
	pollTimeout  = 10 * time.Second
	pollInterval = 200 * time.Millisecond
)

// poll is ip.poll(method, cmd, spec [, opts]).
func (i *ipInst) poll(L *lua.LState) int {
	e := i.m.e
	method := L.CheckFunction(1)
	cmd, spec := L.Get(2), L.Get(3)
	timeout, interval := pollTimeout, pollInterval
	forOptions(L, 4, "ip.poll", []string{"interval", "timeout"}, func(k string, v lua.LValue) (err error) {
		switch k {
		case "timeout":
			timeout, err = parseTimeout(v)
		case "interval":
			interval, err = parseTimeout(v)
			if err != nil || interval == noBound {
				err = fmt.Errorf("interval: expected a positive, finite number of seconds, got %s", lua.LVAsString(v))
			}
		}
		return err
	})
	start := time.Now()
	for {
		L.Push(method)
		L.Push(cmd)
		L.Push(spec)
		e.call(L, "ip.poll", 2, 1)
		if got := L.Get(-1); !emptyResult(got) {
			return 1
		}
		L.Pop(1)
		if timeout != noBound && time.Since(start)+interval > timeout {
			ne := &engine.Error{Errno: unix.ETIMEDOUT, Op: "ip.poll",
				Msg: fmt.Sprintf("nothing after %s", timeout), Offset: -1, MissType: -1, MissNest: -1}
			L.Error(e.errorValue(ne, e.route), 1)
		}
		t := time.NewTimer(interval)
		select {
		case <-t.C:
		case <-e.ctx(L).Done():
			t.Stop()
			L.RaiseError("%s", e.ctx(L).Err().Error())
		}
	}
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
