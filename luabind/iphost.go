package luabind

import (
	"context"
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/iproute"
)

// ipHost is the Env as the ip module's host (iproute.Host): every message
// it deals in is rtnetlink's, so the protocol is always e.route.
type ipHost struct{ e *Env }

// module returns the Env's ip module, making it on first use.
func (h *ipHost) module() *iproute.Module {
	e := h.e
	if e.ip == nil {
		e.ip = iproute.New(h, e.L, e.NetNS())
	}
	return e.ip
}

func (h *ipHost) FromLua(v lua.LValue) any       { return h.e.fromLua(v) }
func (h *ipHost) ToLua(v any) lua.LValue         { return h.e.toLua(v) }
func (h *ipHost) Nest(t *lua.LTable)             { t.Metatable = h.e.nestMeta }
func (h *ipHost) NetnsFD(ns string) (int, error) { return h.e.netnsFD(ns) }

func (h *ipHost) Message(m engine.Message) *lua.LTable { return h.e.newLazyWith(h.e.route, m) }

func (h *ipHost) Messages(msgs []engine.Message) *lua.LTable {
	return h.e.newLazyList(h.e.route, msgs)
}

func (h *ipHost) RequestTable(hd engine.Header, c *engine.Class, r *engine.Record) *lua.LTable {
	return h.e.recordMessage(hd, c, r)
}

func (h *ipHost) MessageOf(t *lua.LTable) (engine.Message, bool) {
	lm := h.e.lazyOf(t)
	if lm == nil {
		return engine.Message{}, false
	}
	return lm.message(), true
}

func (h *ipHost) ErrorValue(ne *engine.Error) *lua.LTable   { return h.e.errorValue(ne, h.e.route) }
func (h *ipHost) Raise(L *lua.LState, op string, err error) { h.e.raiseWith(L, op, err, h.e.route) }

func (h *ipHost) RaiseReplies(L *lua.LState, op string, err error, msgs []engine.Message) {
	h.e.raiseReplies(L, op, err, h.e.route, msgs)
}

func (h *ipHost) Warn(format string, args ...any) {
	tr := &h.e.trace
	tr.mu.Lock()
	defer tr.mu.Unlock()
	fmt.Fprintf(tr.w, "nlsh: warning: "+format+"\n", args...)
}

func (h *ipHost) Context(L *lua.LState) context.Context { return h.e.ctx(L) }

func (h *ipHost) Call(L *lua.LState, what string, nargs, nret int) { h.e.call(L, what, nargs, nret) }

func (h *ipHost) PCall(L *lua.LState, what string, nargs, nret int) lua.LValue {
	if err := h.e.pcall(L, what, nargs, nret, nil); err != nil {
		return errorObject(err)
	}
	return nil
}

func (h *ipHost) RefuseReadOnly(L *lua.LState, what string) { h.e.refuseReadOnly(L, what) }

// dial opens a route socket in netns, raising op's error value.
func (h *ipHost) dial(L *lua.LState, netns, name, op string, cfg engine.ConnConfig) *socket {
	cfg.NetNS = netns
	s, err := h.e.dial(0, h.e.route, name, cfg)
	if err != nil {
		h.e.raise(L, op, err)
	}
	return s
}

// forget closes a socket the Env need not keep.
func (h *ipHost) forget(s *socket) {
	s.close()
	delete(h.e.sockets, s)
}

func (h *ipHost) Dial(L *lua.LState, netns string) iproute.Conn {
	return &ipConn{h: h, s: h.dial(L, netns, "route", "nl.socket", engine.DefaultConnConfig())}
}

func (h *ipHost) Batch(L *lua.LState, netns, op string, fn *lua.LFunction, hold func(add func(*lua.LState, []byte) int)) {
	s := h.dial(L, netns, "route", op, engine.DefaultConnConfig())
	defer h.forget(s)
	h.e.batch(L, s, fn, op, hold)
}

func (h *ipHost) Events(L *lua.LState, op string, cfg engine.ConnConfig, groups []string, timeout time.Duration, backlog int) (*lua.LFunction, func()) {
	for _, g := range groups {
		num, err := h.e.groupNumber(lua.LString(g))
		if err != nil {
			L.RaiseError("%s: %s", op, err.Error())
		}
		cfg.Groups = append(cfg.Groups, num)
	}
	s := h.dial(L, cfg.NetNS, "route events", op, cfg)
	next, _ := h.e.eventIter(L, s, timeout, backlog, op)
	return next, func() { h.forget(s) }
}

// ipConn is an ip instance's socket.
type ipConn struct {
	h *ipHost
	s *socket
}

func (c *ipConn) Request(ctx context.Context, b []byte, o engine.RequestOptions) ([]engine.Message, error) {
	c.s.endStream()
	return c.s.conn.RequestWith(ctx, c.s.proto, b, o)
}

func (c *ipConn) RequestBatch(ctx context.Context, reqs [][]byte) ([]error, error) {
	c.s.endStream()
	return c.s.conn.RequestBatch(ctx, c.s.proto, reqs)
}

func (c *ipConn) Closed() bool { return c.s.closed.Load() }
func (c *ipConn) Close()       { c.h.forget(c.s) }
