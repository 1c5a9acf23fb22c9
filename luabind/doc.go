// Package luabind connects Lua (gopher-lua) to the engine: the modules nl,
// rtnl and bit, message tables with lazy decoding, sockets, constants, error
// values and printing. It knows the engine's descriptions and codec but not
// how sockets work inside; it holds no package-level mutable state: all of it
// lives in an Env, one per Lua state. The texts help() prints and
// docs/reference.md holds are written by the subpackage helptext, from the
// descriptions alone; help.go picks the one a value or a name asks for.
// Tab completion is the completer type (complete*.go), which reads an Env
// but keeps nothing in it; the ip module is its own types (ip*.go) over one.
package luabind
