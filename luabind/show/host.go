package show

import (
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Host is what the printer needs of the shell whose values it renders
// (luabind's Env): which tables are messages and what they are, and the
// two things only the shell can do with one.
type Host interface {
	// IsMessage reports whether t is a message table (built by a script
	// or decoded), which prints as a message rather than as a table.
	IsMessage(t *lua.LTable) bool
	// Identity is what a message table is: its protocol, its class and
	// its message type as its header says (each nil when not known).
	Identity(t *lua.LTable) (p *engine.Protocol, c *engine.Class, mt *engine.MsgType)
	// Materialize reads a decoded message's fields and attributes into
	// its table, which the printer then reads as any other.
	Materialize(t *lua.LTable)
	// Encode is a message table as wire bytes (a brief line is the
	// engine's summary of them).
	Encode(t *lua.LTable) ([]byte, error)
	// ToString is tostring(v) in protected mode: a __tostring that fails
	// gives v's plain text.
	ToString(v lua.LValue) string
}

// Printer renders the values of one Lua state.
type Printer struct {
	L *lua.LState
	h Host
}

// New returns the printer of L's values, asking h what they are.
func New(L *lua.LState, h Host) *Printer { return &Printer{L: L, h: h} }
