// Package iproute is the ip module: pyroute2's IPRoute for Lua (ip.link,
// ip.addr, ip.route, ip.routes, ip.each.*, ip.tc, ip.batch, ip.monitor,
// …). Each verb reads its spec through its one table of keys (spec.go),
// builds its rtnetlink message from it, and sends it on its instance's
// socket (inst.go); the verbs live in files named after them. What it
// needs of the shell running it (message tables, error values, Lua calls,
// sockets) it asks of a Host, which luabind's Env provides; the module is
// made the first time a script reads the global ip. The same key tables
// give help its key lists (help.go) and completion its names
// (complete.go).
package iproute
