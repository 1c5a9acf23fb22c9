package luabind

import (
	"io"

	lua "github.com/yuin/gopher-lua"

	"nlsh/luabind/luajson"
)

// JSON is the subpackage luajson; these are its entries for the shell.

// JSONOptions say how JSON text is laid out.
type JSONOptions = luajson.Options

// JSON returns v as one JSON document.
func (e *Env) JSON(v lua.LValue, opts JSONOptions) ([]byte, error) { return e.json.Marshal(v, opts) }

// WriteJSON writes v to out as one JSON document, in pieces as it goes, so
// that a large dump is never held whole as text.
func (e *Env) WriteJSON(out io.Writer, v lua.LValue, opts JSONOptions) error {
	return e.json.Write(out, v, opts)
}

// FromJSON reads every JSON document in text (one, or several separated by
// white space, as nlsh --json prints them) and returns one Lua value each.
func (e *Env) FromJSON(text string) ([]lua.LValue, error) { return e.json.Read(text) }
