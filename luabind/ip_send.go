package luabind

import (
	"errors"
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// luaSend is the ip module's native send(self, msg, spec, socket), ip.lua's
// U.send: every verb's message goes out here. msg is a message table, or
// the bytes of one whose header already says what spec asks (ip.route's
// builder sets NLM_F_ECHO itself, and returns a table for dry); socket is
// U.socket, which opens the instance's socket on first use.
func (e *Env) luaSend(L *lua.LState) int {
	return e.send(L, L.CheckTable(1), L.Get(2), L.Get(3), L.Get(4))
}

// send sends msg unless spec.dry (which returns it unsent); with spec.echo
// it asks for the created object back and returns it, else the replies
// (nothing when there are none, as for an acknowledged change).
// Inside ip.batch the message joins the batch instead.
func (e *Env) send(L *lua.LState, self *lua.LTable, msg, spec, socketFn lua.LValue) int {
	get := func(k string) lua.LValue { return getOpt(L, spec, k) }
	echo := truthy(get("echo"))
	var o engine.RequestOptions
	if v := get("timeout"); v != lua.LNil {
		d, err := parseTimeout(v)
		if err != nil {
			L.RaiseError("%s", err.Error())
		}
		o.Idle = d
	}
	if t, ok := msg.(*lua.LTable); ok && echo {
		if ht, ok := luaIndex(L, t, lua.LString("header")).(*lua.LTable); ok {
			f, err := engine.ParseInt(engine.U16, engine.AllFlags, e.fromLua(ht.RawGetString("flags")))
			if err != nil {
				L.RaiseError("header.flags: %s", err.Error())
			}
			ht.RawSetString("flags", lua.LNumber(f|engine.NLM_F_ECHO))
		}
	}
	if truthy(get("dry")) {
		L.Push(msg)
		return 1
	}
	if add := self.RawGetString("_batch"); add != lua.LNil {
		if echo {
			L.RaiseError("echo is not available inside ip.batch")
		}
		L.Push(add)
		L.Push(msg)
		e.call(L, "ip.batch", 1, 0)
		return 0
	}
	sock := e.ipSocket(L, self, socketFn)
	var replies lua.LValue
	if s := asSocket(sock); s != nil {
		replies = e.request(L, s, msg, o)
	}
	if replies == nil { // a socket-like object of the script's own
		L.Push(L.GetField(sock, "request"))
		L.Push(sock)
		L.Push(msg)
		nargs := 2
		if o.Idle != 0 {
			opts := L.CreateTable(0, 1)
			opts.RawSetString("timeout", get("timeout"))
			L.Push(opts)
			nargs++
		}
		if err := e.pcall(L, "request", nargs, 1, nil); err != nil {
			rethrow(L, err)
		}
		replies = L.Get(-1)
		L.Pop(1)
	}
	if echo {
		L.Push(L.GetTable(replies, lua.LNumber(1)))
		return 1
	}
	if t, ok := replies.(*lua.LTable); ok && t.Len() == 0 {
		// An acknowledged change has nothing to give back: the shell
		// prints nothing rather than {}.
		return 0
	}
	L.Push(replies)
	return 1
}

// ipSocket returns the ip instance's socket, opening it (socketFn is
// U.socket) on first use.
func (e *Env) ipSocket(L *lua.LState, self *lua.LTable, socketFn lua.LValue) lua.LValue {
	sock := self.RawGetString("_sock")
	if sock == lua.LNil {
		L.Push(socketFn)
		L.Push(self)
		if err := e.pcall(L, "nl.socket", 1, 1, nil); err != nil {
			rethrow(L, err)
		}
		sock = L.Get(-1)
		L.Pop(1)
	}
	return sock
}

// asSocket returns the socket behind a nl.socket value, or nil for
// anything else (a socket-like table of the script's own).
func asSocket(v lua.LValue) *socket {
	if ud, ok := v.(*lua.LUserData); ok {
		if s, ok := ud.Value.(*socket); ok {
			return s
		}
	}
	return nil
}

// The ip getters' policy for dumps the kernel flags as interrupted by
// concurrent changes (NLM_F_DUMP_INTR): ask again, up to dumpTries times
// in all, waiting dumpBackoff, then twice as long each time, for the
// changes to settle; if every try was interrupted, return the last
// result with a warning on standard error, as iproute2 does ("Dump was
// interrupted and may be inconsistent."). A getter under constant churn
// then still answers, as `ip` does, rather than failing.
const (
	dumpTries   = 5
	dumpBackoff = 5 * time.Millisecond
)

// luaIPDump is the ip module's native dump(self, msg, timeout, socket),
// ip.lua's U.fetch: it sends a dump request on the instance's socket and
// returns every reply, under the policy above.
func (e *Env) luaIPDump(L *lua.LState) int {
	self, msg := L.CheckTable(1), L.Get(2)
	var o engine.RequestOptions
	if v := L.Get(3); v != lua.LNil {
		d, err := parseTimeout(v)
		if err != nil {
			L.RaiseError("%s", err.Error())
		}
		o.Idle = d
	}
	sock := e.ipSocket(L, self, L.Get(4))
	s := asSocket(sock)
	if s == nil { // a socket-like object of the script's own
		L.Push(L.GetField(sock, "request"))
		L.Push(sock)
		L.Push(msg)
		if err := e.pcall(L, "request", 2, 1, nil); err != nil {
			rethrow(L, err)
		}
		return 1
	}
	if s.closed.Load() {
		L.RaiseError("socket is closed")
	}
	s.endStream()
	b, err := e.bytesOf(msg)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	ctx := e.ctx(L)
	wait := dumpBackoff
	for try := 1; ; try++ {
		msgs, err := s.conn.RequestWith(ctx, s.proto, b, o)
		if err == nil {
			L.Push(e.newLazyList(s.proto, msgs))
			return 1
		}
		if !errors.Is(err, engine.ErrDumpInterrupted) {
			e.raiseReplies(L, "request", err, s.proto, msgs)
		}
		if try == dumpTries {
			op := "dump"
			var ne *engine.Error
			if errors.As(err, &ne) && ne.Op != "" {
				op = ne.Op + " dump"
			}
			e.warn("%s interrupted by concurrent changes (NLM_F_DUMP_INTR) %d times in a row: returning the last result, which may be inconsistent", op, dumpTries)
			L.Push(e.newLazyList(s.proto, msgs))
			return 1
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			L.RaiseError("interrupted")
		}
		wait *= 2
	}
}

// warn writes a warning line to standard error (where traces go).
func (e *Env) warn(format string, args ...any) {
	e.trace.mu.Lock()
	defer e.trace.mu.Unlock()
	fmt.Fprintf(e.trace.w, "nlsh: warning: "+format+"\n", args...)
}
