package luajson

import (
	"fmt"
	"io"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// Codec writes and reads the JSON of one Lua state's values.
type Codec struct {
	L *lua.LState
	h Host
	// protos are the protocols read back by name that nlsh does not
	// describe (sock_diag, …), one each.
	protos map[string]*engine.Protocol
}

// New returns the codec of L's values, asking h what they are.
func New(L *lua.LState, h Host) *Codec { return &Codec{L: L, h: h} }

// Options say how JSON text is laid out.
type Options struct {
	// Indent, when not empty, puts each array element and object member
	// on a line of its own, indented by Indent per level.
	Indent string
}

// Marshal returns v as one JSON document.
func (c *Codec) Marshal(v lua.LValue, opts Options) ([]byte, error) {
	w := c.newWriter(nil, opts)
	if err := w.value(v); err != nil {
		return nil, err
	}
	return w.buf, nil
}

// Write writes v to out as one JSON document, in pieces as it goes, so
// that a large dump is never held whole as text.
func (c *Codec) Write(out io.Writer, v lua.LValue, opts Options) error {
	w := c.newWriter(out, opts)
	if err := w.value(v); err != nil {
		return err
	}
	w.flush(0)
	return w.werr
}

// isRaw reports whether v is an nl.raw value.
func (c *Codec) isRaw(v lua.LValue) bool {
	t, ok := v.(*lua.LTable)
	if !ok {
		return false
	}
	_, raw := c.h.Raw(t)
	return raw
}

// LuaJSON is nl.json(value [, options]).
func (c *Codec) LuaJSON(L *lua.LState) int {
	opts := Options{}
	if o, ok := L.Get(2).(*lua.LTable); ok {
		o.ForEach(func(k, v lua.LValue) {
			if k.String() != "indent" {
				L.ArgError(2, fmt.Sprintf("unknown option '%s' (options: indent)", k.String()))
			}
			switch x := v.(type) {
			case lua.LBool:
				if x {
					opts.Indent = "  "
				}
			case lua.LNumber:
				if x < 0 || x > 16 || x != lua.LNumber(int(x)) {
					L.ArgError(2, "indent takes true, a number of spaces (0 to 16) or a string of spaces and tabs")
				}
				opts.Indent = strings.Repeat(" ", int(x))
			case lua.LString:
				if strings.Trim(string(x), " \t") != "" {
					L.ArgError(2, "indent takes true, a number of spaces (0 to 16) or a string of spaces and tabs")
				}
				opts.Indent = string(x)
			case *lua.LNilType:
			default:
				L.ArgError(2, "indent takes true, a number of spaces (0 to 16) or a string of spaces and tabs")
			}
		})
	} else if L.Get(2) != lua.LNil {
		L.ArgError(2, "options table expected")
	}
	b, err := c.Marshal(L.Get(1), opts)
	if err != nil {
		L.RaiseError("nl.json: %s", err.Error())
	}
	L.Push(lua.LString(b))
	return 1
}

// LuaFromJSON is nl.from_json(text): one value per JSON document.
func (c *Codec) LuaFromJSON(L *lua.LState) int {
	vals, err := c.Read(L.CheckString(1))
	if err != nil {
		L.RaiseError("nl.from_json: %s", err.Error())
	}
	for _, v := range vals {
		L.Push(v)
	}
	return len(vals)
}
