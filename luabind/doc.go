// Package luabind connects Lua (gopher-lua) to the engine: the modules nl,
// rtnl and bit, message tables with lazy decoding, sockets, constants and
// error values. It knows the engine's descriptions and codec but not
// how sockets work inside; it holds no package-level mutable state: all of it
// lives in an Env, one per Lua state. The texts help() prints and
// docs/reference.md holds are written by the subpackage helptext, from the
// descriptions alone; help.go picks the one a value or a name asks for.
// Tab completion is the completer type (complete*.go), which reads an Env
// but keeps nothing in it. The ip module is the subpackage iproute, which
// asks what it needs of the Env through iproute.Host (iphost*.go); its key
// tables also give help its key lists and completion its names
// (complete_ip.go). The genl module is the subpackage genlmod, behind
// genlmod.Host (genlhost.go); it also keeps generic netlink's family
// tables per namespace, which nl.socket('generic') and nl.from_json read
// with, and tells help and completion which family a name or value means
// (help_genl.go, complete_genl.go). The lessons are the subpackage
// lessons, behind lessons.Host (lessonhost.go), whose checks run in a
// private Env that values are handed over to (handover.go). The
// subpackage luaarg reads the arguments they all take alike: options
// tables, timeouts, namespaces. Printing is the subpackage show, and JSON
// (nl.json, nl.from_json) the subpackage luajson; both ask what a table is
// through their Host, which valueHost provides (valuehost.go), and luabind
// keeps only their entries (print.go, json.go).
package luabind
