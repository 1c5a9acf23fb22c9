// Package show renders Lua values for people: what print, show and the
// REPL write. A message table shows one field or attribute per line, with
// names from its descriptions (print.go); a list of messages shows each in
// turn, or one line each when the REPL cuts it short (brief.go); any other
// table shows its entries with sorted keys (table.go). Errors from running
// a chunk become a line and a short traceback (errors.go). What a table is
// (a message, of which class) it asks of a Host, which luabind's Env
// provides. The spelling of keys, numbers and bytes it exports is shared
// with the JSON writer, help and completion.
package show
