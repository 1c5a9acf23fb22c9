package lessons

import (
	"context"
	"io"

	lua "github.com/yuin/gopher-lua"
)

// Host is what lessons need of the shell they run in (luabind's Env):
// where to print, the script's context, its default namespace, which a
// lesson moves, and a private shell of the same kind to run a lesson's
// setup and checks in.
type Host interface {
	// Stdout is where lesson() and its functions print.
	Stdout() io.Writer
	// Context is the running script's context: Ctrl-C ends it.
	Context(L *lua.LState) context.Context
	// RefuseReadOnly raises when the shell runs read-only: a lesson
	// makes a namespace.
	RefuseReadOnly(L *lua.LState, what string)
	// Raise raises err as an error value, op naming the call.
	Raise(L *lua.LState, op string, err error)

	// NetNS is the default namespace ("" nlsh's own), and SetNetNS moves
	// it (and all that opens sockets without naming one) into ns.
	NetNS() string
	SetNetNS(ns string) error
	// Return moves the default namespace back to prev, even if that has
	// gone meanwhile (falling back to nlsh's own would leave a --netns),
	// and closes all the shell opened in left, before it is deleted.
	Return(prev, left string)
	// OnReceive has f see every datagram the shell's sockets receive,
	// from whichever goroutine receives it; nil stops it.
	OnReceive(f func([]byte))
	// Checker makes a private shell in namespace ns.
	Checker(ns string) Checker
}

// Checker is a lesson's private shell, bound to its namespace: the
// lesson's setup and checks run there, where nothing the learner does to
// the globals can break them and they never show in the learner's trace.
type Checker interface {
	State() *lua.LState
	// Run runs a chunk, returning its results.
	Run(ctx context.Context, name, src string) ([]lua.LValue, error)
	// Call calls fn with args under ctx, in protected mode, and returns
	// its results; what names it in errors.
	Call(ctx context.Context, what string, fn *lua.LFunction, args ...lua.LValue) ([]lua.LValue, error)
	// ErrorText is an error of Run or Call as scripts show it.
	ErrorText(err error) string
	// In copies v, a value of the learner's shell, into the checker, and
	// Out a value of the checker's into the learner's: a message as its
	// bytes decoded again, a socket as what the kernel says of it, plain
	// values and tables as they are.
	In(v lua.LValue) lua.LValue
	Out(v lua.LValue) lua.LValue
	Close()
}
