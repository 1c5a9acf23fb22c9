package luabind

import (
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// requestOptions reads argument i of a call that sends a request: nil, or
// a table of options (timeout). fname names the call in errors.
func requestOptions(L *lua.LState, i int, fname string) engine.RequestOptions {
	var o engine.RequestOptions
	luaarg.Options(L, i, fname, []string{"timeout"}, func(k string, v lua.LValue) error {
		d, err := luaarg.Timeout(v)
		o.Idle = d
		return err
	})
	return o
}
