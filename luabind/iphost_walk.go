package luabind

import (
	"errors"
	"runtime"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/iproute"
)

// Walk is ip.each's iterator: w's dumps, sent one after the other on a
// socket of the stream's own, walked as the kernel sends them (s:each's
// machinery), each datagram's messages filtered on arrival and nothing
// kept once the loop moves on. The socket closes when the dumps end, or
// when the iterator is collected.
func (h *ipHost) Walk(L *lua.LState, w *iproute.Walk) {
	e := h.e
	reqs := w.Reqs
	s := h.dial(L, w.Netns, "route", "nl.socket", engine.DefaultConnConfig())
	p, op, quiet := e.route, w.Op, w.Quiet
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
		h.forget(s)
	}
	open := func(L *lua.LState) {
		cur.d = e.openStream(L, s, p, reqs[0], op, true, w.Opts)
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
		for {
			for g != nil && next < len(g.entries) {
				t := &g.entries[next].t
				next++
				if w.Accept == nil || w.Accept(L, t) {
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
			if w.Keep != nil {
				kept = w.Keep(L, msgs)
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
}

// eachCursor is the stream an iterator is reading, which its cleanup
// stops.
type eachCursor struct{ d *dumpStream }
