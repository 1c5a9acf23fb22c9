package luabind

import (
	"errors"
	"runtime"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// ip.each: the streaming form of every getter. ip.each.routes{table = 254}
// takes what ip.routes takes and returns an iterator instead of a list:
// the dump is walked as the kernel sends it, the filter applied to each
// datagram's messages on arrival, and nothing is kept once the loop moves
// on (s:each's machinery, stream.go).
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
func (m *ipModule) eachTable(ud *lua.LUserData) *lua.LTable {
	L := m.e.L
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
	L, e := c.L, c.m.e
	if len(reqs) == 0 {
		L.Push(L.NewFunction(func(L *lua.LState) int { return 0 }))
		return 1
	}
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = c.inst.netns
	s, err := e.dial(0, e.route, "route", cfg)
	if err != nil {
		e.raise(L, "nl.socket", err)
	}
	p, op, quiet := e.route, c.what(), c.quiet
	cur := &eachCursor{}
	var g *lazyGroup // the datagram being handed out
	next := 0
	end := func() {
		if cur.d != nil {
			cur.d.close()
			cur.d, s.stream = nil, nil
		}
	}
	finish := func() {
		end()
		reqs = nil
		s.close()
		delete(e.sockets, s)
	}
	open := func(L *lua.LState) {
		cur.d = e.openStream(L, s, p, reqs[0], op, true, c.opts)
		reqs = reqs[1:]
	}
	defer func() {
		// A request that cannot be sent leaves no socket behind.
		if r := recover(); r != nil {
			finish()
			panic(r)
		}
	}()
	open(L)
	var iter *lua.LFunction
	iter = L.NewFunction(func(L *lua.LState) int {
		if f != nil {
			f.c.L = L
		}
		for {
			for g != nil && next < len(g.entries) {
				t := &g.entries[next].t
				next++
				if f == nil || f.accepts(t) {
					L.Push(t)
					return 1
				}
			}
			g = nil
			d := cur.d
			if d == nil {
				return 0 // the replies are over
			}
			msgs, ok, err := d.next(e.ctx(L))
			if !ok {
				if err != nil && errors.Is(err, e.ctx(L).Err()) {
					// Ctrl-C: the wait stops, the stream may go on.
					e.raiseWith(L, op, err, p)
				}
				end()
				switch {
				case err != nil && quiet != nil && quiet(err):
				case err != nil:
					finish()
					e.raiseWith(L, op, err, p)
				}
				if len(reqs) == 0 {
					finish()
					return 0
				}
				open(L)
				continue
			}
			kept := msgs
			if f != nil {
				kept = f.passing(msgs)
			}
			if len(kept) > 0 {
				g, next = e.newLazyEntries(p, kept), 0
			}
			d.st.Recycle(msgs)
		}
	})
	// An iterator dropped half way closes its socket and stops its reader
	// when collected.
	e.own(s, iter)
	runtime.AddCleanup(iter, func(cur *eachCursor) {
		if cur.d != nil && cur.d.cancel != nil {
			cur.d.cancel()
		}
	}, cur)
	L.Push(iter)
	return 1
}

// eachCursor is the stream an iterator is reading, which its cleanup
// stops.
type eachCursor struct{ d *dumpStream }

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
