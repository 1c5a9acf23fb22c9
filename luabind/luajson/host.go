package luajson

import (
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
)

// Host is what JSON needs of the shell whose values it writes and reads
// (luabind's Env): what a table is, and the values only the shell makes.
type Host interface {
	// IsMessage reports whether t is a message table (built by a script
	// or decoded).
	IsMessage(t *lua.LTable) bool
	// Identity is what a message table is: its protocol, its class and
	// its message type as its header says (each nil when not known).
	Identity(t *lua.LTable) (p *engine.Protocol, c *engine.Class, mt *engine.MsgType)
	// Undecoded is the message behind a decoded message table whose
	// attributes are still only bytes (ok), and its protocol; fieldsRead
	// says its header and fields are in the table, where a script may have
	// changed them. Such a message is written from its bytes.
	Undecoded(t *lua.LTable) (m engine.Message, p *engine.Protocol, fieldsRead, ok bool)
	// Raw is the bytes of an nl.raw value (ok), written as {"hex": …}.
	Raw(t *lua.LTable) (b string, ok bool)
	// IsError reports whether t is an error value, whose request_bytes
	// are bytes.
	IsError(t *lua.LTable) bool
	// Header reads a message table's header as encoding does (type and
	// flags may be names).
	Header(ht *lua.LTable) (engine.Header, error)

	// Route is rtnetlink, the protocol of a message that names none.
	Route() *engine.Protocol
	// ProtocolNamed is a protocol nlsh describes, by name.
	ProtocolNamed(name string) (*engine.Protocol, bool)
	// Families are the generic netlink families of the shell's namespace,
	// whose ids a message read back takes by its family's name.
	Families() *genl.Table

	// Messages are decoded message tables of msgs, one group, as if
	// received.
	Messages(p *engine.Protocol, msgs []engine.Message) []*lua.LTable
	// MakeMessage makes t a message table of class c of protocol p (c nil:
	// a payload nothing describes), as a script builds one.
	MakeMessage(t *lua.LTable, p *engine.Protocol, c *engine.Class)
	// Nest gives t the metatable of nested values (their methods).
	Nest(t *lua.LTable)
	// RawValue is the nl.raw value of b.
	RawValue(b []byte) *lua.LTable
	// Encode is a message table as wire bytes.
	Encode(t *lua.LTable) ([]byte, error)
}
