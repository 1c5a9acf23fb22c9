package luabind

import (
	"context"

	lua "github.com/yuin/gopher-lua"
)

// gopher-lua's channel operations wait on the Lua state's context:
// channel.select and ch:receive add its Done to what they wait for, and
// ch:send waits on nothing else. A chunk's state runs under a luaContext,
// whose Done is nil until the chunk ends (it is read before every
// instruction), so none of them woke for Ctrl-C or a timeout: a script
// blocked on a channel could not be stopped. guardChannels makes each wait
// on the chunk's own context as well.
func (e *Env) guardChannels() {
	L := e.L
	if ch, ok := L.GetGlobal("channel").(*lua.LTable); ok {
		if sel, ok := ch.RawGetString("select").(*lua.LFunction); ok && sel.IsG {
			ch.RawSetString("select", L.NewFunction(e.underChunkContext(sel.GFunction)))
		}
	}
	mt, ok := L.GetMetatable(lua.LChannel(make(chan lua.LValue))).(*lua.LTable)
	if !ok {
		return
	}
	methods, ok := mt.RawGetString("__index").(*lua.LTable)
	if !ok {
		return
	}
	if recv, ok := methods.RawGetString("receive").(*lua.LFunction); ok && recv.IsG {
		methods.RawSetString("receive", L.NewFunction(e.underChunkContext(recv.GFunction)))
	}
	if _, ok := methods.RawGetString("send").(*lua.LFunction); ok {
		methods.RawSetString("send", L.NewFunction(e.channelSend))
	}
}

// underChunkContext runs fn with the state's context swapped for the
// chunk's own, whose Done is ready as soon as the chunk is stopped.
func (e *Env) underChunkContext(fn lua.LGFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		lc, ok := L.Context().(*luaContext)
		if !ok {
			return fn(L)
		}
		L.SetContext(lc.Context)
		n := func() int {
			defer L.SetContext(lc)
			return fn(L)
		}()
		stopped(L, lc.Context)
		return n
	}
}

// stopped raises the error the state's own check raises when ctx has
// ended: the wait ended for it, and the state may not look again before
// the chunk returns (the luaContext learns of the end a moment later).
func stopped(L *lua.LState, ctx context.Context) {
	if err := ctx.Err(); err != nil {
		L.RaiseError("%s", err.Error())
	}
}

// channelSend is ch:send(v), which also ends when the chunk is stopped.
// It takes the values gopher-lua's does: none that another goroutine's
// state could not share (functions, userdata, threads, tables with a
// metatable).
func (e *Env) channelSend(L *lua.LState) int {
	ch := L.CheckChannel(1)
	v := L.CheckAny(2)
	switch x := v.(type) {
	case *lua.LFunction, *lua.LUserData, *lua.LState:
		L.ArgError(2, "can not send a function, userdata, thread or table that has a metatable")
	case *lua.LTable:
		if x.Metatable != lua.LNil {
			L.ArgError(2, "can not send a function, userdata, thread or table that has a metatable")
		}
	}
	ctx := e.ctx(L)
	select {
	case ch <- v:
	case <-ctx.Done():
		stopped(L, ctx)
	}
	return 0
}
