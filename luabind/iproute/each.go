package iproute

import (
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// ip.each: the streaming form of every getter. ip.each.routes{table = 254}
// takes what ip.routes takes and returns an iterator instead of a list:
// the dump is walked as the kernel sends it, the filter applied to each
// datagram's messages on arrival, and nothing is kept once the loop moves
// on (s:each's machinery, which the host runs: Host.Walk).
//
// Each stream has a socket of its own, closed when the dump ends (or when
// the iterator is collected), so the loop's body may call the ip module
// freely, ip.route('del', r) included, without ending the walk.

// ipEachGetters are the getters ip.each holds, by name.
var ipEachGetters = map[string]ipFunc{
	"links":   (*ipInst).links,
	"addrs":   (*ipInst).addrs,
	"routes":  (*ipInst).routes,
	"neighs":  (*ipInst).neighs,
	"rules":   (*ipInst).rules,
	"qdiscs":  (*ipInst).qdiscs,
	"classes": (*ipInst).classes,
	"filters": (*ipInst).filters,
}

// eachTable makes an instance's ip.each table.
func (m *Module) eachTable(ud *lua.LUserData) *lua.LTable {
	L := m.L
	t := L.CreateTable(0, len(ipEachGetters))
	for name, fn := range ipEachGetters {
		t.RawSetString(name, L.NewClosure(bindIP(streaming(fn)), ud))
	}
	return t
}

// streaming runs a getter in its streaming form: the getter's call reads
// the instance's each flag once, when it starts (so calls its filter
// functions make are plain calls).
func streaming(fn ipFunc) ipFunc {
	return func(i *ipInst, L *lua.LState) int {
		i.each = true
		defer func() { i.each = false }()
		return fn(i, L)
	}
}

// eachIter pushes an iterator over the replies to reqs, dumps sent one
// after the other on a socket of the stream's own: the messages that pass
// f's tests (all, with no f), as lazy message tables.
func (c *ipCall) eachIter(reqs [][]byte, f *ipFilter) int {
	L := c.L
	if len(reqs) == 0 {
		L.Push(L.NewFunction(func(L *lua.LState) int { return 0 }))
		return 1
	}
	w := &Walk{Netns: c.inst.netns, Op: c.what(), Reqs: reqs, Opts: c.opts, Quiet: c.quiet}
	if f != nil {
		// The filter calls Lua on the thread iterating.
		w.Keep = func(L *lua.LState, msgs []engine.Message) []engine.Message {
			f.c.L = L
			return f.passing(msgs)
		}
		w.Accept = func(L *lua.LState, t *lua.LTable) bool {
			f.c.L = L
			return f.accepts(t)
		}
	}
	c.m.host.Walk(L, w)
	return 1
}

// passing returns the messages that pass every test, leaving msgs as it is.
func (f *ipFilter) passing(msgs []engine.Message) []engine.Message {
	if len(f.tests) == 0 {
		return msgs
	}
	var kept []engine.Message
next:
	for i := range msgs {
		m := &msgs[i]
		for _, t := range f.tests {
			if !t(m) {
				continue next
			}
		}
		kept = append(kept, *m)
	}
	return kept
}

// accepts reports whether the functions of the whole message keep t.
func (f *ipFilter) accepts(t *lua.LTable) bool {
	for _, fn := range f.fns {
		if !f.c.calls(fn, t) {
			return false
		}
	}
	return true
}
