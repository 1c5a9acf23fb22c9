package luabind

import (
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
// it asks for the created object back and returns it, else the replies.
// Inside ip.batch the message joins the batch instead.
func (e *Env) send(L *lua.LState, self *lua.LTable, msg, spec, socketFn lua.LValue) int {
	get := func(k string) lua.LValue { return getOpt(L, spec, k) }
	echo := truthy(get("echo"))
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
	var replies lua.LValue
	if ud, ok := sock.(*lua.LUserData); ok {
		if s, ok := ud.Value.(*socket); ok {
			replies = e.request(L, s, msg)
		}
	}
	if replies == nil { // a socket-like object of the script's own
		L.Push(L.GetField(sock, "request"))
		L.Push(sock)
		L.Push(msg)
		if err := e.pcall(L, "request", 2, 1, nil); err != nil {
			rethrow(L, err)
		}
		replies = L.Get(-1)
		L.Pop(1)
	}
	if echo {
		L.Push(L.GetTable(replies, lua.LNumber(1)))
		return 1
	}
	L.Push(replies)
	return 1
}
