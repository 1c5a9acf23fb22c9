package nltest

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"nlsh/engine"
)

// Request is one datagram a Conn sent to the fake kernel.
type Request struct {
	Family int    // the protocol family the Conn was dialled with
	Port   uint32 // the Conn's port id
	Data   []byte // the datagram as sent
	// Messages are Data framed, bodies aliasing Data; nil if Data does not
	// frame as netlink messages (Data is then still answered).
	Messages []engine.Message
}

// A Handler answers one datagram: it returns the datagrams to send back,
// in order (none: no answer, as the kernel gives a request that wants
// neither a reply nor an ACK). It is called from the socket's kernel
// goroutine, one datagram at a time per socket; a Handler shared by
// several sockets must be safe for concurrent use.
type Handler func(r Request) [][]byte

// Kernel is a fake netlink kernel serving the Conns it dials.
type Kernel struct {
	h Handler

	mu     sync.Mutex
	socks  []*socket
	got    []Request
	port   uint32
	closed bool
	wg     sync.WaitGroup
}

// New returns a Kernel answering with h (nil: every message with a
// request's NLM_F_ACK is acknowledged, nothing else is answered).
func New(h Handler) *Kernel {
	if h == nil {
		h = AckAll
	}
	return &Kernel{h: h, port: 1000}
}

// Start is New for a test, closing the Kernel when the test ends.
func Start(tb testing.TB, h Handler) *Kernel {
	tb.Helper()
	k := New(h)
	tb.Cleanup(func() { k.Close() })
	return k
}

// Dial opens a Conn to the fake kernel. Of cfg it uses what engine.NewConn
// does (Tap, Guard, Idle, RcvBuf, Groups); family is only recorded with
// each Request. Its signature is engine.Dial's, so a front end can take it
// in its place.
func (k *Kernel) Dial(family int, cfg engine.ConnConfig) (*engine.Conn, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("nltest: socketpair: %w", err)
	}
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		unix.Close(fds[0])
		unix.Close(fds[1])
		return nil, errors.New("nltest: kernel closed")
	}
	k.port++
	s := &socket{
		k: k, family: family, port: k.port,
		f:    os.NewFile(uintptr(fds[0]), "nltest-conn"),
		peer: os.NewFile(uintptr(fds[1]), "nltest-kernel"),
	}
	k.socks = append(k.socks, s)
	k.wg.Add(1)
	k.mu.Unlock()
	go s.serve()
	c, err := engine.NewConn(s, cfg)
	if err != nil {
		s.f.Close()
		return nil, err
	}
	return c, nil
}

// Requests returns every datagram sent to the kernel so far, in order.
func (k *Kernel) Requests() []Request {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]Request(nil), k.got...)
}

// Notify sends dgram unasked to every open Conn of the given protocol
// family, as the kernel sends a notification (but as unicast: see the
// package documentation). It returns once every Conn has it queued.
func (k *Kernel) Notify(family int, dgram []byte) error {
	k.mu.Lock()
	socks := append([]*socket(nil), k.socks...)
	k.mu.Unlock()
	var errs []error
	for _, s := range socks {
		if s.family != family {
			continue
		}
		s.wmu.Lock()
		_, err := s.peer.Write(dgram)
		s.wmu.Unlock()
		if err != nil && !errors.Is(err, os.ErrClosed) && !errors.Is(err, unix.ECONNREFUSED) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Close stops the kernel: its side of every socket is closed (a Conn still
// open then sees its reads fail or wait), and Close returns when every
// kernel goroutine has ended.
func (k *Kernel) Close() error {
	k.mu.Lock()
	k.closed = true
	socks := k.socks
	k.socks = nil
	k.mu.Unlock()
	for _, s := range socks {
		s.peer.Close()
	}
	k.wg.Wait()
	return nil
}

// socket is one Conn's socket: the engine's end of the pair (f), which it
// reads and writes through f's syscall.RawConn, and the kernel's (peer).
type socket struct {
	k      *Kernel
	family int
	port   uint32
	f      *os.File
	peer   *os.File
	wmu    sync.Mutex // one writer of peer at a time: replies and notifications
}

func (s *socket) SyscallConn() (syscall.RawConn, error) { return s.f.SyscallConn() }
func (s *socket) PID() uint32                           { return s.port }
func (s *socket) Close() error                          { return s.f.Close() }
func (s *socket) JoinGroup(uint32) error                { return nil }
func (s *socket) LeaveGroup(uint32) error               { return nil }
func (s *socket) SetReadDeadline(t time.Time) error     { return s.f.SetReadDeadline(t) }

func (s *socket) SetReadBuffer(n int) error {
	rc, err := s.f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, n)
	}); err != nil {
		return err
	}
	return serr
}

// serve plays the kernel: it reads each datagram the Conn sends and writes
// the Handler's answers, until the kernel's end is closed.
func (s *socket) serve() {
	defer s.k.wg.Done()
	rc, err := s.peer.SyscallConn()
	if err != nil {
		return
	}
	for {
		var (
			b    []byte
			rerr error
		)
		err := rc.Read(func(fd uintptr) bool {
			b, rerr = readDatagram(int(fd))
			return rerr != unix.EAGAIN
		})
		if err == nil {
			err = rerr
		}
		if err != nil {
			return // the kernel's end was closed
		}
		r := Request{Family: s.family, Port: s.port, Data: b}
		if msgs, err := engine.Split(b); err == nil {
			r.Messages = msgs
		}
		s.k.mu.Lock()
		s.k.got = append(s.k.got, r)
		s.k.mu.Unlock()
		for _, d := range s.k.h(r) {
			s.wmu.Lock()
			_, err := s.peer.Write(d)
			s.wmu.Unlock()
			if errors.Is(err, os.ErrClosed) {
				return
			}
			// Other failures (the Conn closed: ECONNREFUSED) lose the
			// answer, as the kernel's would be lost.
		}
	}
}

// readDatagram reads one whole datagram, however large: MSG_PEEK|MSG_TRUNC
// tells an AF_UNIX datagram socket's length too.
func readDatagram(fd int) ([]byte, error) {
	n, err := recv(fd, nil, unix.MSG_PEEK|unix.MSG_TRUNC|unix.MSG_DONTWAIT)
	if err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if _, err := recv(fd, b, unix.MSG_DONTWAIT); err != nil {
		return nil, err
	}
	return b, nil
}

func recv(fd int, p []byte, flags int) (int, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	for {
		n, _, errno := unix.Syscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(ptr), uintptr(len(p)), uintptr(flags), 0, 0)
		switch errno {
		case 0:
			return int(n), nil
		case unix.EINTR:
			continue
		}
		return 0, errno
	}
}
