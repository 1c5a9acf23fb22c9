// Package luajson is nlsh's JSON, for jq: nl.json and nlsh --json write
// any value nlsh produces, messages in pyroute2's shape (write*.go), and
// nl.from_json reads it back, messages as decoded messages of the bytes
// they encode to (read.go). A decoded message nobody has read is written
// from its bytes; message tables a script built or changed are read by
// their descriptions (write_described.go). What a table is, and the values
// only the shell makes (decoded messages, nl.raw values, message tables of
// a class), it asks of a Host, which luabind's Env provides. Keys are
// written in the order the printer (package show) shows them.
package luajson
