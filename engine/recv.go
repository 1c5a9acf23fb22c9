package engine

import (
	"context"
	"errors"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// reading is the read under way (readMu held), kept in the Conn with the
// functions the runtime's poller runs, made once (initRead): closures made
// per read, capturing their results, cost an allocation for each of them.
type reading struct {
	fn      func(fd int) bool // the read to run, until it returns true
	ready   bool              // fn returned true in the fast path
	control func(fd uintptr)  // runs fn once, for rc.Control
	poll    func(fd uintptr) bool

	// One datagram, read by one with recvOne.
	one     func(fd int) bool
	scratch []byte
	mode    readMode
	b       []byte
	full    int
	group   uint32
	err     error
}

func (c *Conn) initRead() {
	r := &c.rd
	r.control = func(fd uintptr) { r.ready = r.fn(int(fd)) }
	r.poll = func(fd uintptr) bool { return r.fn(int(fd)) }
	r.one = func(fd int) bool {
		r.b, r.full, r.group, r.err = recvOne(fd, r.scratch, r.mode)
		return r.err != unix.EAGAIN
	}
}

// recvLocked reads one datagram with recvOne as mode says, into the scratch
// buffer unless the mode copies, and returns what it read (see reading);
// readMu is held.
func (c *Conn) recvLocked(ctx context.Context, idle time.Duration, mode readMode) (b []byte, full int, group uint32, err error) {
	r := &c.rd
	r.scratch, r.mode = c.peekBuf(), mode
	if r.scratch == nil && mode == readDirect {
		r.mode = readBorrow
	}
	err = c.readLocked(ctx, idle, r.one, &r.err)
	b, full, group = r.b, r.full, r.group
	r.b, r.err = nil, nil
	return b, full, group, err
}

// recv reads one datagram and the multicast group it was sent to (0 for a
// unicast reply). idle, if positive, bounds the wait: past it recv fails
// with errIdle.
func (c *Conn) recv(ctx context.Context, idle time.Duration) ([]byte, uint32, error) {
	c.readMu.Lock()
	buf, _, group, err := c.recvLocked(ctx, idle, readCopy)
	c.readMu.Unlock()
	if err != nil {
		return nil, 0, err
	}
	if c.tap != nil {
		c.tap(false, buf)
	}
	return buf, group, nil
}

// recvReply reads the next datagram for the request numbered seq. Its
// lone acknowledgement, the usual answer to a change, is read into the
// scratch buffer and reported by acked (b is then nil), with no copy
// made; any other datagram is returned in a buffer of its own. With
// direct (see ackOnly) the datagram is read at once, without peeking at
// its size first; full is then its length, which is more than len(b) if
// it did not fit the scratch buffer and lost its tail.
func (c *Conn) recvReply(ctx context.Context, idle time.Duration, direct bool, seq uint32) (b []byte, acked bool, full int, group uint32, err error) {
	mode := readBorrow
	if direct {
		mode = readDirect
	}
	// The scratch buffer is the next read's too: what is in it is judged,
	// shown to the tap and copied before readMu is let go.
	c.readMu.Lock()
	defer c.readMu.Unlock()
	b, full, group, err = c.recvLocked(ctx, idle, mode)
	if err != nil {
		return nil, false, 0, 0, err
	}
	if c.tap != nil {
		c.tap(false, b)
	}
	if s := c.rd.scratch; len(b) > 0 && len(s) > 0 && &b[0] == &s[0] {
		if group == 0 && full == len(b) && isAck(b, seq) {
			return nil, true, 0, 0, nil
		}
		b = append([]byte(nil), b...)
	}
	return b, false, full, group, nil
}

// peekBuf is the buffer recvOne peeks with (see peekSize); readMu is held.
func (c *Conn) peekBuf() []byte {
	if c.smallBuf {
		return nil
	}
	if c.peek == nil {
		c.peek = make([]byte, peekSize)
	}
	return c.peek
}

// read runs fn when the socket is readable, until it returns true; fn leaves
// its system call's error in *rerr. It holds readMu throughout, and ends the
// wait when ctx does, or after idle (if positive) with errIdle.
func (c *Conn) read(ctx context.Context, idle time.Duration, fn func(fd int) bool, rerr *error) error {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	return c.readLocked(ctx, idle, fn, rerr)
}

// readLocked is read with readMu held.
func (c *Conn) readLocked(ctx context.Context, idle time.Duration, fn func(fd int) bool, rerr *error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.rd.fn = fn
	defer func() { c.rd.fn = nil }()

	// The kernel answers most requests inside the send: try the socket
	// once before arming a deadline and a cancellation hook, which cost a
	// timer and wake the poller's thread on every read.
	c.rd.ready = false
	if err := c.rc.Control(c.rd.control); err != nil {
		return sysError("recv", err)
	}
	if c.rd.ready {
		if *rerr != nil {
			return sysError("recv", *rerr)
		}
		return nil
	}
	// The runtime poller wakes a blocked read when its deadline passes, so
	// cancellation moves the deadline into the past. A context deadline is
	// set directly, which is more precise than waiting for the AfterFunc;
	// so is the idle bound, which needs no timer of its own.
	dl, hasDL := ctx.Deadline()
	idleDL := false
	if idle > 0 {
		if t := time.Now().Add(idle); !hasDL || t.Before(dl) {
			dl, idleDL = t, true
		}
	}
	if err := c.sock.SetReadDeadline(dl); err != nil {
		return sysError("recv", err)
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		c.sock.SetReadDeadline(time.Unix(1, 0))
		close(fired)
	})
	defer func() {
		if !stop() {
			// The AfterFunc ran (or is running): wait for it, so that its
			// deadline cannot land on top of the next read's.
			<-fired
		}
	}()

	err := c.rc.Read(c.rd.poll)
	if err == nil {
		err = *rerr
	}
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if idleDL {
				return errIdle
			}
			// Only ctx and idle set read deadlines, and the poller can
			// wake a moment before ctx's own timer marks it done.
			return context.DeadlineExceeded
		}
		return sysError("recv", err)
	}
	return nil
}

// peekSize is the buffer recvOne peeks with. The kernel sizes the
// datagrams of a dump by the largest buffer the socket has read with (up to
// 32 KiB), and a message that does not fit its datagram is left out of the
// dump without a word: peeking into no buffer at all kept dumps to about
// 4 KiB a datagram and lost the links larger than that.
//
// A receive buffer set below smallRcvBuf cannot hold a 32 KiB datagram
// (with the kernel's overhead), so such a socket peeks with no buffer and
// gets the kernel's smallest dump datagrams, as before.
const (
	peekSize    = 32 << 10
	smallRcvBuf = 64 << 10
)

// How recvOne reads a datagram.
type readMode uint8

const (
	// readCopy peeks at the datagram's size (MSG_TRUNC makes recvfrom
	// report the full length, however little of it fits), then reads it
	// into a buffer of exactly that size. Two system calls per datagram
	// are cheap next to the kernel's work filling a 32 KiB dump datagram,
	// and no reply can be truncated, however large (an NLMSG_ERROR
	// echoing a big request, a link with many VFs).
	readCopy readMode = iota
	// readBorrow peeks likewise, into the scratch buffer: a datagram that
	// fit is already there, so it is taken off the socket without copying
	// it again and returned in place.
	readBorrow
	// readDirect reads into the scratch buffer at once, in one system
	// call, for an answer known to fit (a lone acknowledgement).
	readDirect
)

// recvOne reads one datagram as mode says, with scratch space of peekSize
// bytes (nil: peek at the size alone), and returns its bytes, its full
// length (more than len(b) only if readDirect cut it short) and the
// multicast group it was sent to.
func recvOne(fd int, scratch []byte, mode readMode) (b []byte, full int, group uint32, err error) {
	if mode == readDirect {
		n, group, err := recvfrom(fd, scratch, unix.MSG_TRUNC|unix.MSG_DONTWAIT)
		if err != nil {
			return nil, 0, 0, err
		}
		return scratch[:min(n, len(scratch))], n, group, nil
	}
	n, _, err := recvfrom(fd, scratch, unix.MSG_PEEK|unix.MSG_TRUNC|unix.MSG_DONTWAIT)
	if err != nil {
		return nil, 0, 0, err
	}
	into := scratch
	if mode == readBorrow && n <= len(scratch) {
		b = scratch[:n]
		into = nil // read nothing: the bytes are there
	} else {
		b = make([]byte, n)
		into = b
	}
	got, group, err := recvfrom(fd, into, unix.MSG_TRUNC|unix.MSG_DONTWAIT)
	if err != nil {
		return nil, 0, 0, err
	}
	if got != n {
		// Only possible if someone else read the peeked datagram through
		// the same descriptor; the rest of this one is lost.
		return nil, 0, 0, &Error{Err: errors.New("datagram truncated: socket read concurrently"), Op: "recv", Offset: -1, MissType: -1, MissNest: -1}
	}
	return b, n, group, nil
}

// recvfrom reads a datagram into p and returns its full length and the
// multicast group it was sent to (0 for a unicast reply). Its flags must
// include MSG_DONTWAIT: the call never blocks, so it need not tell the
// scheduler, and the sender's address is read into a local structure
// rather than a new one per call.
func recvfrom(fd int, p []byte, flags int) (int, uint32, error) {
	var (
		sa    unix.RawSockaddrNetlink
		salen = uint32(unix.SizeofSockaddrNetlink)
		ptr   unsafe.Pointer
	)
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	for {
		n, _, errno := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(ptr), uintptr(len(p)), uintptr(flags),
			uintptr(unsafe.Pointer(&sa)), uintptr(unsafe.Pointer(&salen)))
		switch errno {
		case 0:
			return int(n), sa.Groups, nil
		case unix.EINTR:
			continue
		}
		return 0, 0, errno
	}
}
