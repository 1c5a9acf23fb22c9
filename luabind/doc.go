// Package luabind connects Lua (gopher-lua) to the engine: the modules nl,
// rtnl and bit, message tables with lazy decoding, sockets, constants, error
// values and printing. It knows the engine's descriptions and codec but not
// how sockets work inside; it holds no package-level mutable state: all of it
// lives in an Env, one per Lua state.
package luabind
