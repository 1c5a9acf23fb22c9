package engine

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Reading a socket's state back from the kernel: what a program set is
// what the kernel holds, so a teacher (nlsh's lessons) can ask the kernel
// instead of trusting the program.

// Option reads a SOL_NETLINK socket option (unix.NETLINK_CAP_ACK,
// NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, NETLINK_NO_ENOBUFS, ...) as
// the kernel holds it.
func (c *Conn) Option(opt int) (int, error) {
	var v int
	var serr error
	err := c.rc.Control(func(fd uintptr) {
		v, serr = unix.GetsockoptInt(int(fd), unix.SOL_NETLINK, opt)
	})
	if err == nil {
		err = serr
	}
	return v, sysError("get netlink option "+netlinkOptionName(opt), err)
}

// ReadBuffer is the socket's SO_RCVBUF as the kernel holds it: twice what
// was asked (the kernel counts its bookkeeping too), never less than its
// minimum.
func (c *Conn) ReadBuffer() (int, error) {
	var v int
	var serr error
	err := c.rc.Control(func(fd uintptr) {
		v, serr = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF)
	})
	if err == nil {
		err = serr
	}
	return v, sysError("get receive buffer", err)
}

// Memberships lists the multicast groups the socket has joined, by
// number, as NETLINK_LIST_MEMBERSHIPS reports them: a bitmap of 32-bit
// words whose bit n-1 stands for group n.
func (c *Conn) Memberships() ([]uint32, error) {
	buf := make([]uint32, 32) // room for 1024 groups; the kernel says how many words it has
	n := uint32(len(buf) * 4)
	var errno unix.Errno
	err := c.rc.Control(func(fd uintptr) {
		_, _, errno = unix.Syscall6(unix.SYS_GETSOCKOPT, fd, unix.SOL_NETLINK, unix.NETLINK_LIST_MEMBERSHIPS,
			uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)), 0)
	})
	if err == nil && errno != 0 {
		err = errno
	}
	if err != nil {
		return nil, sysError("get netlink option NETLINK_LIST_MEMBERSHIPS", err)
	}
	var groups []uint32
	for w := 0; w < len(buf) && uint32(w*4) < n; w++ {
		for bit := 0; bit < 32; bit++ {
			if buf[w]&(1<<bit) != 0 {
				groups = append(groups, uint32(w*32+bit+1))
			}
		}
	}
	return groups, nil
}
