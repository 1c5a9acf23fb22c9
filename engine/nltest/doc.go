// Package nltest is a fake kernel at the socket seam, as mdlayher/netlink's
// nltest is for that package: tests exchange messages with an engine.Conn
// without root or a network namespace.
//
// A Kernel hands out engine.Conns (Kernel.Dial, the signature of
// engine.Dial) whose socket is one end of an AF_UNIX datagram socketpair,
// driven by the runtime's poller exactly as a netlink descriptor is: the
// Conn's own send and receive path (sendto, peeking recvfrom, the direct
// read of an acknowledgement) runs unchanged. A goroutine plays the kernel
// on the other end: it reads each datagram sent, records it, asks the
// Handler for the answer and writes the datagrams it returns, each one
// datagram on the wire, in order. Ack, Error, Multi, Done and Datagram build
// such answers with the engine's own encoder.
//
// What the fake cannot judge stays with the tests in network namespaces
// (package nstest): what the kernel accepts, what it answers, its sizes of
// dump datagrams, socket options (Strict, ExtAck, CapAck and NoENOBUFS mean
// nothing here: the Handler decides what to answer), and multicast.
// Kernel.Notify sends a datagram unasked, as a notification comes, but it
// arrives as unicast does (group 0): an AF_UNIX peer has no netlink address
// to carry a group. JoinGroup and LeaveGroup are accepted and do nothing
// but make the Conn read as a listening socket does.
package nltest
