// Package helptext is the text of nlsh's help: the usage of every function
// and the modules help() lists. It knows no Lua: luabind decides which text
// a help() call wants.
package helptext
