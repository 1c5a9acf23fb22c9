package luabind

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// famSubscribe is f:subscribe(group [, opts]): an iterator over the
// family's notifications to that multicast group, decoded, and a function
// that closes the stream, as nl.events gives. opts: timeout (seconds of
// quiet that end the loop), rcvbuf (default engine.EventRcvBuf), backlog
// (bytes read ahead; default engine.ListenBacklog).
func (e *Env) famSubscribe(L *lua.LState) int {
	f := e.checkFamily(L, 1)
	b := e.famBound(L, f)
	group := L.CheckString(2)
	id, ok := b.GroupID(group)
	if !ok {
		var names []string
		for _, g := range b.Kernel.Groups {
			names = append(names, g.Name)
		}
		if len(names) == 0 {
			L.ArgError(2, fmt.Sprintf("%s has no multicast groups", b.Name))
		}
		L.ArgError(2, fmt.Sprintf("%s has no group '%s'%s; groups: %s", b.Name, group, luaarg.Suggestion(group, names), strings.Join(names, ", ")))
	}
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = f.g.ns
	cfg.Groups = []uint32{id}
	timeout, backlog := luaarg.EventOptions(L, 3, "subscribe", &cfg, nil)
	s, err := e.dial(16, f.g.tab.Protocol(), b.Name+" "+group+" events", cfg)
	if err != nil {
		e.raise(L, "subscribe", err)
	}
	iter, closer := e.eventIter(L, s, timeout, backlog, "subscribe")
	L.Push(iter)
	L.Push(closer)
	return 2
}

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
