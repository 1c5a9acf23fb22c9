package engine

import (
	"context"
	"errors"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// multiReader holds the buffers for reading many datagrams in one system
// call (recvmmsg). A batch's acknowledgements come one datagram each, all
// queued by the time the kernel has handled the request datagram, so reading
// them a hundred at a time saves a system call (two, with recvOne's peek)
// per request.
type multiReader struct {
	hdrs  []unix.Mmsghdr
	iovs  []unix.Iovec
	names []unix.RawSockaddrNetlink
	slab  []byte
	slot  int
}

// ensure makes room for n datagrams of up to size bytes each. The room is
// made for this shape, not the largest of all seen: many small requests
// then a few large ones must not cost their product.
func (r *multiReader) ensure(n, size int) {
	if n <= len(r.hdrs) && size <= r.slot {
		return
	}
	r.hdrs = make([]unix.Mmsghdr, n)
	r.iovs = make([]unix.Iovec, n)
	r.names = make([]unix.RawSockaddrNetlink, n)
	r.slab = make([]byte, n*size)
	r.slot = size
	for i := range r.hdrs {
		r.iovs[i].Base = &r.slab[i*size]
		r.iovs[i].SetLen(size)
		h := &r.hdrs[i].Hdr
		h.Name = (*byte)(unsafe.Pointer(&r.names[i]))
		h.Namelen = unix.SizeofSockaddrNetlink
		h.Iov = &r.iovs[i]
		h.Iovlen = 1
	}
}

// datagram returns the d-th datagram of the last read, its multicast group,
// and whether it was cut short for want of room.
func (r *multiReader) datagram(d int) ([]byte, uint32, bool) {
	h := &r.hdrs[d]
	n := int(h.Len)
	trunc := h.Hdr.Flags&unix.MSG_TRUNC != 0 || n > r.slot
	n = min(n, r.slot)
	return r.slab[d*r.slot : d*r.slot+n], r.names[d].Groups, trunc
}

// recvMany reads as many datagrams as are queued, at least one, up to the
// room r has, and returns how many it read. The data stays in r until the
// next read. idle, if positive, bounds the wait (errIdle past it).
func (c *Conn) recvMany(ctx context.Context, idle time.Duration, r *multiReader) (int, error) {
	if len(r.hdrs) == 0 {
		return 0, errors.New("recvMany: no buffers")
	}
	var (
		n    int
		rerr error
	)
	for i := range r.hdrs {
		r.hdrs[i].Hdr.Namelen = unix.SizeofSockaddrNetlink
		r.hdrs[i].Hdr.Flags = 0
		r.hdrs[i].Len = 0
	}
	err := c.read(ctx, idle, func(fd int) bool {
		for {
			m, _, errno := unix.Syscall6(unix.SYS_RECVMMSG, uintptr(fd), uintptr(unsafe.Pointer(&r.hdrs[0])),
				uintptr(len(r.hdrs)), unix.MSG_DONTWAIT, 0, 0)
			if errno == unix.EINTR {
				continue
			}
			n, rerr = int(m), nil
			if errno != 0 {
				rerr = errno
			}
			return errno != unix.EAGAIN
		}
	}, &rerr)
	if err != nil {
		return 0, err
	}
	if c.tap != nil {
		for d := range n {
			b, _, _ := r.datagram(d)
			c.tap(false, b)
		}
	}
	return n, nil
}
