// Package luaarg reads the values scripts pass to nlsh's Lua functions the
// one way every function reads them: tables of options, timeouts, sizes
// in bytes and network namespaces, with the errors that say what was
// given. luabind and its ip and genl modules (luabind/iproute,
// luabind/genlmod) use it, so a timeout or a namespace means the same
// everywhere.
package luaarg
