package luabind

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/genlmod"
)

// genlHost is the Env as the genl module's host (genlmod.Host): its
// messages are generic netlink's, read as the protocol of the namespace's
// family table the module names. A value: it holds only the Env's
// pointer, so making it a Host allocates nothing.
type genlHost struct{ e *Env }

func (h genlHost) NetNS() string                         { return h.e.NetNS() }
func (h genlHost) FromLua(v lua.LValue, depth int) any   { return h.e.fromLuaDepth(v, depth) }
func (h genlHost) ToLua(v any) lua.LValue                { return h.e.toLua(v) }
func (h genlHost) Context(L *lua.LState) context.Context { return h.e.ctx(L) }

func (h genlHost) Messages(p *engine.Protocol, msgs []engine.Message) *lua.LTable {
	return h.e.newLazyList(p, msgs)
}

func (h genlHost) RequestTable(p *engine.Protocol, m engine.Message) *lua.LTable {
	t := h.e.newLazyWith(p, m)
	h.e.materialize(t)
	return t
}

func (h genlHost) Raise(L *lua.LState, op string, err error, p *engine.Protocol) {
	h.e.raiseWith(L, op, err, p)
}

func (h genlHost) RaiseReplies(L *lua.LState, op string, err error, p *engine.Protocol, msgs []engine.Message) {
	h.e.raiseReplies(L, op, err, p, msgs)
}

func (h genlHost) Dial(ns string, p *engine.Protocol) (genlmod.Conn, error) {
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = ns
	s, err := h.e.dial(16, p, "generic", cfg)
	if err != nil {
		return nil, err
	}
	return &genlConn{e: h.e, s: s}, nil
}

func (h genlHost) DialUntraced(ns string, p *engine.Protocol) (*engine.Conn, error) {
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = ns
	cfg.Guard = h.e.guard(16, p)
	return h.e.opts.Dial(16, cfg)
}

func (h genlHost) Events(L *lua.LState, op, name string, p *engine.Protocol, cfg engine.ConnConfig, timeout time.Duration, backlog int) (*lua.LFunction, *lua.LFunction) {
	s, err := h.e.dial(16, p, name, cfg)
	if err != nil {
		h.e.raise(L, op, err)
	}
	return h.e.eventIter(L, s, timeout, backlog, op)
}

// genlConn is a namespace's generic socket.
type genlConn struct {
	e *Env
	s *socket
}

func (c *genlConn) Request(ctx context.Context, p *engine.Protocol, b []byte) ([]engine.Message, error) {
	return c.s.conn.Request(ctx, p, b)
}

func (c *genlConn) RequestWith(ctx context.Context, p *engine.Protocol, b []byte, o engine.RequestOptions) ([]engine.Message, error) {
	return c.s.conn.RequestWith(ctx, p, b, o)
}

func (c *genlConn) Each(L *lua.LState, b []byte, op string, o engine.RequestOptions) *lua.LFunction {
	return c.e.streamIter(L, c.s, c.s.proto, b, op, o)
}

func (c *genlConn) EndStream()   { c.s.endStream() }
func (c *genlConn) Closed() bool { return c.s.closed.Load() }

func (c *genlConn) Close() {
	c.s.close()
	delete(c.e.sockets, c.s)
}
