package iproute

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
	"nlsh/rtnl"
)

// ip.monitor(groups, fn [, opts]) and ip.batch(fn).

// monitor is ip.monitor(groups, fn [, opts]): it calls fn(ev) for every
// notification of the groups ('link', 'addr', 'route', 'neigh', 'rule',
// 'tc', or any rtnetlink group name such as 'ipv4-ifaddr') until fn
// returns false, the timeout (seconds of quiet) passes, or Ctrl-C. An
// overrun (the kernel dropped notifications) arrives as {overrun=true};
// dump again to resynchronise. opts: rcvbuf, backlog, timeout, as
// nl.events takes them.
func (i *ipInst) monitor(L *lua.LState) int {
	h := i.m.host
	var groups []string
	switch g := L.Get(1).(type) {
	case lua.LString:
		groups = []string{string(g)}
	case *lua.LTable:
		for j := 1; j <= g.Len(); j++ {
			groups = append(groups, lua.LVAsString(g.RawGetInt(j)))
		}
	}
	fn, ok := L.Get(2).(*lua.LFunction)
	if groups == nil || !ok {
		L.RaiseError(`ip.monitor: usage ip.monitor({"link", "addr", …}, function(ev) … end [, opts])`)
	}
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = i.netns
	timeout, backlog := luaarg.EventOptions(L, 3, "ip.monitor", &cfg, nil)
	var names []string
	for _, g := range groups {
		if aliases, ok := rtnl.MonitorAliases[g]; ok {
			names = append(names, aliases...)
		} else {
			names = append(names, g)
		}
	}
	next, closeFn := h.Events(L, "ip.monitor", cfg, names, timeout, backlog)
	// Close the subscription however the loop ends: fn returning false,
	// an error in fn, Ctrl-C.
	defer closeFn()
	for {
		L.Push(next)
		h.Call(L, "ip.monitor", 0, 1)
		ev := L.Get(-1)
		L.Pop(1)
		if ev == lua.LNil {
			return 0
		}
		L.Push(fn)
		L.Push(ev)
		h.Call(L, "ip.monitor", 1, 1)
		r := L.Get(-1)
		L.Pop(1)
		if r == lua.LFalse {
			return 0
		}
	}
}

// batchFn is ip.batch(fn): it runs fn with every request the ip verbs
// make going into a batch (s:batch) instead of being sent and
// acknowledged one by one: the requests leave packed many to a datagram
// while fn builds the next ones, and every acknowledgement is checked.
// fn is called with the batch's add function too, which queues any
// message. The batch has a socket of its own in the instance's namespace,
// so verbs inside fn can still look things up (an interface by name). If
// fn raises, the requests queued before are still sent and fn's error is
// raised; otherwise, if any request failed, the first failure's error
// value is raised, saying which request it was (index) and how many
// failed, and how many were applied. It returns the number of requests.
// Cut short (Ctrl-C, a socket failure) it raises an error value whose
// applied says how many requests the kernel applied.
func (i *ipInst) batchFn(L *lua.LState) int {
	h := i.m.host
	fn, ok := L.Get(1).(*lua.LFunction)
	if !ok {
		L.RaiseError("ip.batch: usage ip.batch(function() … end)")
	}
	if i.batch != nil {
		L.RaiseError("ip.batch: already inside a batch")
	}
	h.Batch(L, i.netns, "ip.batch", fn, func(add func(*lua.LState, []byte) int) { i.batch = add })
	results := L.Get(-2).(*lua.LTable)
	failed := int(lua.LVAsNumber(L.Get(-1)))
	L.Pop(2)
	n := results.Len()
	if failed > 0 {
		for j := 1; j <= n; j++ {
			r := results.RawGetInt(j)
			if r == lua.LTrue {
				continue
			}
			if t, ok := r.(*lua.LTable); ok {
				t.RawSetString("index", lua.LNumber(j))
				t.RawSetString("failed", lua.LNumber(failed))
				t.RawSetString("applied", lua.LNumber(n-failed))
				t.RawSetString("line", lua.LString(fmt.Sprintf("ip.batch: request %d of %d failed (%d failed in all): %s",
					j, n, failed, lua.LVAsString(t.RawGetString("line")))))
			}
			L.Error(r, 0)
		}
	}
	L.Push(lua.LNumber(n))
	return 1
}
