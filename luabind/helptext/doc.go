// Package helptext writes the texts of nlsh's help: the usage of every
// function and module (usage.go, module.go), and the descriptions of
// NETLINK_ROUTE and of generic netlink families rendered for people:
// message classes, attributes, structs, enums and constants (class.go,
// attr.go, desc.go, const.go, core.go), indexed by a Catalog (catalog.go)
// and assembled into docs/reference.md (reference.go). It knows the
// engine's descriptions but not Lua: luabind decides which text a help()
// call asks for.
package helptext
