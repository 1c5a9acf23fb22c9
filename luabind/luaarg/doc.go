// Package luaarg reads the values scripts pass to nlsh's Lua functions the
// one way every function reads them: tables of options, timeouts, sizes
// in bytes and network namespaces, with the errors that say what was
// given. Both luabind and its ip module (luabind/iproute) use it, so a
// timeout or a namespace means the same everywhere.
package luaarg
