package iproute

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Host is what the ip module needs of the shell running it (luabind's
// Env): the values it shares with the rest of nlsh (message tables, error
// values), Lua calls made the shell's way, and sockets the shell traces,
// guards and closes with itself. Every message is rtnetlink's.
type Host interface {
	// FromLua reads a script's value as the encoder takes it.
	FromLua(v lua.LValue) any
	// ToLua is a decoded value as scripts see it.
	ToLua(v any) lua.LValue
	// Message is a reply as a (lazily decoded) message table, and
	// Messages a list of them.
	Message(m engine.Message) *lua.LTable
	Messages(msgs []engine.Message) *lua.LTable
	// RequestTable is a request as the message table a script would have
	// built: what dry returns.
	RequestTable(h engine.Header, c *engine.Class, r *engine.Record) *lua.LTable
	// MessageOf is the message behind a message table, when t is one.
	MessageOf(t *lua.LTable) (engine.Message, bool)
	// Nest gives t the metatable of nested values (printed as records).
	Nest(t *lua.LTable)

	// ErrorValue is a kernel error as the error value scripts catch.
	ErrorValue(ne *engine.Error) *lua.LTable
	// Raise raises err as an error value, op naming the call; RaiseReplies
	// also carries the replies that came before the error.
	Raise(L *lua.LState, op string, err error)
	RaiseReplies(L *lua.LState, op string, err error, msgs []engine.Message)
	// Warn writes a warning line where traces go (standard error).
	Warn(format string, args ...any)

	// Context is the running script's context: Ctrl-C ends it.
	Context(L *lua.LState) context.Context
	// Call calls the function under its nargs arguments on L's stack,
	// leaving nret results, raising its error; what names the call in
	// the error a yield inside raises. PCall is Call in protected mode: it
	// returns the error's value, or nil.
	Call(L *lua.LState, what string, nargs, nret int)
	PCall(L *lua.LState, what string, nargs, nret int) lua.LValue

	// NetnsFD opens a network namespace by name or path.
	NetnsFD(ns string) (int, error)
	// RefuseReadOnly raises when the shell runs read-only: what would
	// change the system without a netlink request (a tun/tap device).
	RefuseReadOnly(L *lua.LState, what string)

	// Dial opens a route socket in namespace netns ("" the shell's own),
	// raising on failure; the host closes it with itself, or when the
	// namespace goes.
	Dial(L *lua.LState, netns string) Conn
	// Batch runs fn with requests batched on a socket of its own in netns
	// (s:batch's machinery), op naming it in errors: hold is given the add
	// of requests built in Go while fn runs, and nil after. It pushes the
	// results and the number that failed, or raises.
	Batch(L *lua.LState, netns, op string, fn *lua.LFunction, hold func(add func(*lua.LState, []byte) int))
	// Events returns an iterator over the notifications of the groups (by
	// name) on a socket opened with cfg, op naming it in errors, and the
	// function that closes it (nl.events' machinery).
	Events(L *lua.LState, op string, cfg engine.ConnConfig, groups []string, timeout time.Duration, backlog int) (next *lua.LFunction, close func())
	// Walk pushes an iterator over the replies to w's dumps, as message
	// tables (s:each's machinery).
	Walk(L *lua.LState, w *Walk)
}

// Conn is a route socket the host opened for an instance.
type Conn interface {
	// Request sends b and returns the replies (a stream being walked on
	// the socket ends first).
	Request(ctx context.Context, b []byte, o engine.RequestOptions) ([]engine.Message, error)
	// RequestBatch sends reqs many to a datagram and returns each one's
	// error.
	RequestBatch(ctx context.Context, reqs [][]byte) ([]error, error)
	Closed() bool
	// Close closes the socket, which the host then forgets.
	Close()
}

// Walk is what ip.each streams: dumps sent one after the other on a socket
// of the stream's own in Netns, and the messages of their replies it
// keeps.
type Walk struct {
	Netns string
	Op    string // the call, as errors name it
	Reqs  [][]byte
	Opts  engine.RequestOptions
	// Quiet, if set, says which errors mean "nothing" (the dump ends).
	Quiet func(error) bool
	// Keep returns the messages of a datagram that pass the filter's
	// tests, and Accept says whether a message table passes its
	// functions; nil keeps all.
	Keep   func(L *lua.LState, msgs []engine.Message) []engine.Message
	Accept func(L *lua.LState, t *lua.LTable) bool
}
