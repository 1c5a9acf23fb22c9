package luabind

import (
	"context"
	"errors"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
)

// eventIter iterates over the notifications a socket receives, decoded by
// its protocol, read ahead by an engine.Listener so that slow work per
// notification loses none. An overrun (the kernel dropped notifications:
// the socket's buffer was full, or the Listener's backlog) yields
// {overrun=true, event='OVERRUN'} and the stream goes on. With a timeout
// (luaarg.NoBound is none) the loop ends after that long without a notification.
// backlog bounds the bytes read ahead (0: engine.ListenBacklog).
// The socket closes when the second value is called, or when the iterator
// is collected.
func (e *Env) eventIter(L *lua.LState, s *socket, timeout time.Duration, backlog int, op string) (*lua.LFunction, *lua.LFunction) {
	l := s.conn.Listen(backlog)
	s.listener = l
	var pending []*lua.LTable
	iter := L.NewFunction(func(L *lua.LState) int {
		for len(pending) == 0 {
			if s.closed.Load() {
				return 0
			}
			ctx := e.ctx(L)
			if timeout > 0 {
				var cancel func()
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			b, err := l.Next(ctx)
			if errors.Is(err, unix.ENOBUFS) {
				t := L.NewTable()
				t.RawSetString("overrun", lua.LTrue)
				t.RawSetString("event", lua.LString("OVERRUN"))
				L.Push(t)
				return 1
			}
			if err != nil {
				switch {
				case e.ctx(L).Err() != nil:
					L.RaiseError("interrupted")
				case timeout > 0 && errors.Is(err, context.DeadlineExceeded):
					return 0 // quiet for timeout: the loop ends (call again to go on)
				case s.closed.Load():
					return 0
				}
				e.raiseWith(L, op, err, s.proto)
			}
			msgs, _ := engine.Split(b)
			pending = e.newLazyGroup(s.proto, msgs, nil)
		}
		t := pending[0]
		pending = pending[1:]
		L.Push(t)
		return 1
	})
	e.own(s, iter)
	closer := L.NewFunction(func(L *lua.LState) int { s.close(); return 0 })
	return iter, closer
}
