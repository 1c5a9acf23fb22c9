// Package genl is generic netlink for nlsh: the nlctrl family described in
// Go (the bootstrap every other family is found through), families and
// their operations as descriptions for the engine's codec, and the table
// that maps the ids the kernel gave out in a namespace to those
// descriptions.
//
// A generic netlink message's type is its family's id, given out at run
// time, and the first byte of its payload (genlmsghdr.cmd) is the
// operation; some families number an operation differently in requests and
// in replies. A Table is the engine.Resolver that knows this: bound to the
// families it has been told about (by the kernel's CTRL_CMD_GETFAMILY
// replies, or by those seen in a capture), it gives each message the class
// of its operation.
//
// Where a family's layout comes from is the caller's choice (a Describer):
// a YNL spec, the kernel's policy dump (numbers and types only), or
// nothing but the operation numbers.
package genl
