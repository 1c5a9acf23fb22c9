package engine

import (
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sending is the send under way, kept in the Conn with the function the
// runtime's poller runs, made once (initSend): a closure made per send,
// capturing its datagram and result, cost two allocations a request.
type sending struct {
	mu sync.Mutex
	b  []byte
	// err is sendto's error.
	err error
	fn  func(fd uintptr) bool
}

func (c *Conn) initSend() {
	c.snd.fn = func(fd uintptr) bool {
		c.snd.err = sendto(fd, c.snd.b, false)
		return c.snd.err != unix.EAGAIN
	}
}

// Send sends one datagram, which may hold several messages, to the kernel
// exactly as given.
func (c *Conn) Send(b []byte) error {
	if err := c.check(b); err != nil {
		return err
	}
	c.snd.mu.Lock()
	c.snd.b = b
	err := c.rc.Write(c.snd.fn)
	if err == nil {
		err = c.snd.err
	}
	c.snd.b, c.snd.err = nil, nil
	c.snd.mu.Unlock()
	return c.sent(b, err)
}

// sendto sends b to the kernel. An unconnected netlink socket sends to the
// kernel when given no address, which spares building one per call. raw
// makes it a system call the scheduler does not hear of (see sendKernel).
func sendto(fd uintptr, b []byte, raw bool) error {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	call := unix.Syscall6
	if raw {
		call = unix.RawSyscall6
	}
	for {
		_, _, errno := call(unix.SYS_SENDTO, fd, uintptr(p), uintptr(len(b)), 0, 0, 0)
		switch errno {
		case 0:
			return nil
		case unix.EINTR:
			continue
		}
		return errno
	}
}

// sent ends a send of b that err says how it went: the error as nlsh
// reports it, or b shown to the tap (trace, capture).
func (c *Conn) sent(b []byte, err error) error {
	if err != nil {
		return sysError("send", err)
	}
	if c.tap != nil {
		c.tap(true, b)
	}
	return nil
}

// check runs the guard over every message of a datagram. Bytes that do not
// frame as messages are refused too: the guard cannot tell what they
// would do.
func (c *Conn) check(b []byte) error {
	if c.guard == nil {
		return nil
	}
	// The messages are split into room kept for the purpose rather than
	// a new slice per send: nlsh guards every socket.
	c.checkMu.Lock()
	defer c.checkMu.Unlock()
	msgs, err := splitInto(c.checkRoom, b)
	defer func() {
		clear(msgs) // the room keeps no datagram alive
		c.checkRoom = msgs[:0]
	}()
	if err != nil {
		return c.guard(&Message{Header: Header{Type: 0xffff, Flags: NLM_F_REQUEST}, Body: b})
	}
	for i := range msgs {
		if err := c.guard(&msgs[i]); err != nil {
			return err
		}
	}
	return nil
}
