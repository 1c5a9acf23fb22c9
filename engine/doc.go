// Package engine is the protocol-independent core of nlsh.
//
// A netlink protocol is described as data (see desc.go): message classes made of
// a fixed header struct and an attribute set, attribute sets whose members carry a
// value kind, nested sets, structs, enums, flag sets and sub-messages chosen by a
// sibling attribute. One generic codec (decode.go, encode.go) turns bytes into
// Records and Records back into bytes for every protocol so described; nothing
// in this package knows a particular netlink family.
//
// Messages are framed by Split and decoded lazily: a Message keeps its raw body
// and is only decoded when asked (Message.Decode, Message.Lookup), which keeps
// large dumps cheap.
//
// The package also holds the sockets (conn.go: requests, whose waits are
// bounded by an idle time, DefaultIdle unless told; send.go and recv.go,
// the system calls under them; batch.go; listen.go, a
// multicast reader that keeps up with any storm and reports what it loses),
// network-namespace handling (netns.go) and the error type (errors.go) that
// wraps unix.Errno together with the kernel's extended acknowledgement.
package engine
