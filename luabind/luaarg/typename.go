package luaarg

import lua "github.com/yuin/gopher-lua"

// TypeName names a Lua value's type for an error: "a function".
func TypeName(v lua.LValue) string {
	switch v.Type() {
	case lua.LTFunction:
		return "a function"
	case lua.LTThread:
		return "a coroutine"
	case lua.LTUserData:
		return "userdata"
	case lua.LTChannel:
		return "a channel"
	}
	return "a " + v.Type().String()
}
