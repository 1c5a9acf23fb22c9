// Package genlmod is the genl module: generic netlink for Lua scripts
// (genl.families, genl.family, genl.decode, and a family object's doit,
// dumpit, each, policy, check, message and subscribe). A family object
// names a family in a namespace; the module keeps, per namespace, the
// family table (nlsh/genl) binding the kernel's ids to descriptions, from
// YNL specs or the kernel's policies, and the socket its calls go
// through. The protocol itself (encoding, descriptions, policies) is
// nlsh/genl's. What it needs of the shell running it (message tables,
// error values, the script's context, sockets) it asks of a Host, which
// luabind's Env provides; help and completion ask it which family a name
// or a value means (complete.go).
package genlmod
