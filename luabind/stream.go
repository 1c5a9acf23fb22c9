package luabind

import (
	"errors"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Streams: a dump walked as it arrives (s:each, f:each). Nothing is kept
// once the loop moves on: each datagram's messages become lazy tables
// sharing one group, and the iterator holds only those not yet handed out.
//
// A stream owns its socket's replies. Lua runs one thing at a time, so a
// later call on the same socket means the loop is over (it broke out) or
// is being interleaved: either way the later call ends the stream, and an
// iterator called after that says so.

var errStreamEnded = errors.New("this dump stream was ended by a later call on the same socket (finish the loop before using the socket again)")

// endStream abandons the socket's open stream, if any: the kernel's rest
// of the dump is drained by the next request.
func (s *socket) endStream() {
	if s.stream != nil {
		s.stream.Close()
		s.stream = nil
	}
}

// streamIter sends req on s and returns an iterator over its replies,
// read as protocol p; op names the request in errors.
func (e *Env) streamIter(L *lua.LState, s *socket, p *engine.Protocol, req []byte, op string, o engine.RequestOptions) *lua.LFunction {
	s.endStream()
	st, err := s.conn.StreamWith(e.ctx(L), p, req, o)
	if err != nil {
		e.raiseWith(L, op, err, p)
	}
	s.stream = st
	var pending []*lua.LTable
	return L.NewFunction(func(L *lua.LState) int {
		if st != nil && s.stream != st {
			L.RaiseError("%s: %s", op, errStreamEnded.Error())
		}
		for len(pending) == 0 {
			if st == nil {
				return 0 // the replies are over
			}
			msgs, ok, err := st.NextBatch(e.ctx(L))
			if !ok {
				s.stream, st = nil, nil
				if err != nil {
					e.raiseWith(L, op, err, p)
				}
				return 0
			}
			pending = e.newLazyGroup(p, msgs, nil)
		}
		t := pending[0]
		pending[0] = nil
		pending = pending[1:]
		L.Push(t)
		return 1
	})
}

// sockEach is s:each(msg [, opts]): an iterator over the replies to msg
// (a dump) as they arrive; opts: timeout.
func (e *Env) sockEach(L *lua.LState) int {
	s := e.openSocket(L)
	b := e.messageBytes(L, 2)
	L.Push(e.streamIter(L, s, s.proto, b, "each", requestOptions(L, 3, "each")))
	return 1
}
