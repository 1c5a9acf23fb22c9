package luabind

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
)

// famSubscribe is f:subscribe(group [, opts]): an iterator over the
// family's notifications to that multicast group, decoded, and a function
// that closes the stream, as nl.events gives. opts: timeout (seconds of
// quiet that end the loop), rcvbuf.
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
		L.ArgError(2, fmt.Sprintf("%s has no group '%s'%s; groups: %s", b.Name, group, suggestion(group, names), strings.Join(names, ", ")))
	}
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = f.g.ns
	cfg.Groups = []uint32{id}
	var timeout time.Duration
	if opts, ok := L.Get(3).(*lua.LTable); ok {
		opts.ForEach(func(k, v lua.LValue) {
			switch k.String() {
			case "timeout":
				n, ok := v.(lua.LNumber)
				if !ok || n <= 0 || n != n {
					L.ArgError(3, "timeout: a positive number of seconds expected")
				}
				timeout = time.Duration(float64(n) * float64(time.Second))
			case "rcvbuf":
				n, ok := v.(lua.LNumber)
				if !ok || n <= 0 {
					L.ArgError(3, "rcvbuf: a positive number of bytes expected")
				}
				cfg.RcvBuf = int(n)
			default:
				L.ArgError(3, fmt.Sprintf("unknown option '%s' (options: timeout, rcvbuf)", k.String()))
			}
		})
	}
	s, err := e.dial(16, f.g.tab.Protocol(), b.Name+" "+group+" events", cfg)
	if err != nil {
		e.raise(L, "subscribe", err)
	}
	iter, closer := e.eventIter(L, s, timeout, "subscribe")
	L.Push(iter)
	L.Push(closer)
	return 2
}

// eventIter iterates over the notifications a socket receives, decoded by
// its protocol. An overrun (the kernel dropped notifications: the
// socket's buffer was full) yields {overrun=true, event='OVERRUN'} and
// the stream goes on. With a timeout the loop ends after that long
// without a notification. The socket closes when the second value is
// called, or when the iterator is collected.
func (e *Env) eventIter(L *lua.LState, s *socket, timeout time.Duration, op string) (*lua.LFunction, *lua.LFunction) {
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
			b, err := s.conn.RecvRaw(ctx)
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
	runtime.AddCleanup(iter, (*socket).close, s)
	closer := L.NewFunction(func(L *lua.LState) int { s.close(); return 0 })
	return iter, closer
}
