package luabind

import (
	"context"
	"sync/atomic"
)

// luaContext is the context a chunk's Lua state runs under. gopher-lua
// asks it for Done before every instruction it executes, which for the
// contexts Ctrl-C cancels (signal.NotifyContext) is a locked channel read:
// a tenth of a tight loop. luaContext's Done is an atomic load, nil (never
// ready) until the chunk's context ends and its closed channel after.
// Only the Lua state sees it: Go code under a chunk waits on the chunk's
// own context (Env.ctx unwraps this one), for which Done never changes.
type luaContext struct {
	context.Context
	done atomic.Pointer[<-chan struct{}]
	stop func() bool
}

func newLuaContext(ctx context.Context) *luaContext {
	lc := &luaContext{Context: ctx}
	if d := ctx.Done(); d != nil {
		lc.stop = context.AfterFunc(ctx, func() { lc.done.Store(&d) })
	} else {
		lc.stop = func() bool { return false }
	}
	return lc
}

// Done is nil while the chunk's context runs, its closed channel after.
func (lc *luaContext) Done() <-chan struct{} {
	if d := lc.done.Load(); d != nil {
		return *d
	}
	return nil
}
