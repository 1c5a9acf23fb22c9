package genlmod

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
)

// Host is what the genl module needs of the shell running it (luabind's
// Env): the values it shares with the rest of nlsh (message tables, error
// values), the script's context, and sockets the shell traces, guards and
// closes with itself. Every message is generic netlink's, read as p: the
// protocol of the namespace it came from (its family table's).
type Host interface {
	// NetNS is the shell's default namespace ("" its own), where calls
	// without a netns option go; a lesson moves it.
	NetNS() string
	// FromLua reads a script's value, depth levels inside a message, as
	// the encoder takes it; ToLua is a decoded value as scripts see it.
	FromLua(v lua.LValue, depth int) any
	ToLua(v any) lua.LValue
	// Messages is replies as a list of (lazily decoded) message tables.
	Messages(p *engine.Protocol, msgs []engine.Message) *lua.LTable
	// RequestTable is a request as a message table decoded in full, for
	// editing: what f:message returns.
	RequestTable(p *engine.Protocol, m engine.Message) *lua.LTable

	// Raise raises err as an error value, op naming the call; RaiseReplies
	// also carries the replies that came before the error.
	Raise(L *lua.LState, op string, err error, p *engine.Protocol)
	RaiseReplies(L *lua.LState, op string, err error, p *engine.Protocol, msgs []engine.Message)
	// Context is the running script's context: Ctrl-C ends it.
	Context(L *lua.LState) context.Context

	// Dial opens the generic socket calls in namespace ns go through.
	Dial(ns string, p *engine.Protocol) (Conn, error)
	// DialUntraced opens a generic socket that is guarded but not traced,
	// which the module closes itself: a family is described (its policy
	// asked for) when first needed, which may be while a trace prints.
	DialUntraced(ns string, p *engine.Protocol) (*engine.Conn, error)
	// Events opens a socket with cfg (its groups joined), name naming it
	// in traces, and returns an iterator over its notifications and the
	// function that closes it (nl.events' machinery); op names it in
	// errors.
	Events(L *lua.LState, op, name string, p *engine.Protocol, cfg engine.ConnConfig, timeout time.Duration, backlog int) (next, close *lua.LFunction)
}

// Conn is a generic socket the host opened for a namespace.
type Conn interface {
	genl.Requester
	RequestWith(ctx context.Context, p *engine.Protocol, b []byte, o engine.RequestOptions) ([]engine.Message, error)
	// Each sends the dump b and returns an iterator over its replies as
	// they arrive (s:each's machinery), op naming it in errors.
	Each(L *lua.LState, b []byte, op string, o engine.RequestOptions) *lua.LFunction
	// EndStream ends the dump an Each iterator is walking, as the socket
	// is used again.
	EndStream()
	Closed() bool
	// Close closes the socket, which the host then forgets.
	Close()
}
