package engine

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sys/unix"
)

// EventRcvBuf is the receive buffer nlsh gives sockets that listen to
// multicast groups unless told otherwise. The kernel drops notifications
// (and reports ENOBUFS) when a listener's buffer is full, and each
// notification is charged about a kilobyte there, whatever its size: the
// default of about 200 KiB holds a couple of hundred. iproute2's `ip
// monitor` asks for 1 MiB; a Listener drains the socket from a goroutine
// of its own, which the Go scheduler may hold back a moment (a collection,
// a busy Lua loop on a small machine), so it asks for four times that. The
// memory is only used while notifications wait.
const EventRcvBuf = 4 << 20

// ListenBacklog bounds the bytes of notifications a Listener keeps read
// ahead of its consumer: about two hundred thousand route notifications.
// Past it, notifications are dropped and reported as an overrun.
const ListenBacklog = 32 << 20

// Listener reads a multicast socket ahead of its consumer: a goroutine of
// its own takes every datagram as soon as the kernel queues it and keeps it
// in memory for Next, so a consumer that does slow work per notification
// (a Lua callback, printing) does not let the kernel's receive buffer fill
// and drop notifications. Losses are never silent: an ENOBUFS from the
// kernel, or notifications dropped because the backlog is full, come out
// of Next as an error for which errors.Is(err, unix.ENOBUFS) holds, at the
// point of the stream where they happened.
//
// A Listener owns its Conn: nothing else may read or send on it.
type Listener struct {
	c    *Conn
	max  int
	wake chan struct{} // signalled (never blocking) when the queue grows
	done chan struct{} // closed when the reader has ended

	mu    sync.Mutex
	queue [][]byte // nil marks an overrun
	size  int
	err   error // why the reader ended
}

// Listen starts reading c ahead, keeping up to max bytes of datagrams (0:
// ListenBacklog). Close the Listener, not c, to stop it.
func (c *Conn) Listen(max int) *Listener {
	if max <= 0 {
		max = ListenBacklog
	}
	l := &Listener{c: c, max: max, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go l.run()
	return l
}

// run is the reader. The datagrams are tapped (traced, captured) when Next
// hands them out, on the consumer's goroutine, as if read then.
func (l *Listener) run() {
	defer close(l.done)
	var rerr error
	for {
		var b []byte
		err := l.c.read(context.Background(), 0, func(fd int) bool {
			b, _, _, rerr = recvOne(fd, l.c.peekBuf(), readCopy)
			return rerr != unix.EAGAIN
		}, &rerr)
		l.mu.Lock()
		switch {
		case err == nil && l.size+len(b) <= l.max:
			l.queue = append(l.queue, b)
			l.size += len(b)
		case err == nil, errors.Is(err, unix.ENOBUFS):
			l.overrun()
		default:
			l.err = err
		}
		end := l.err != nil
		l.mu.Unlock()
		select {
		case l.wake <- struct{}{}:
		default:
		}
		if end {
			return
		}
	}
}

// overrun marks lost datagrams at the end of the queue, once for a run of
// them. l.mu is held.
func (l *Listener) overrun() {
	if n := len(l.queue); n > 0 && l.queue[n-1] == nil {
		return
	}
	l.queue = append(l.queue, nil)
}

// Next returns the next datagram, waiting until one arrives or ctx ends. An
// overrun comes back as an *Error for which errors.Is(err, unix.ENOBUFS)
// holds, and the stream goes on. Once the socket is closed, Next returns
// the error that ended the reading.
func (l *Listener) Next(ctx context.Context) ([]byte, error) {
	for {
		l.mu.Lock()
		if len(l.queue) > 0 {
			b := l.queue[0]
			l.queue[0] = nil
			l.queue = l.queue[1:]
			l.size -= len(b)
			l.mu.Unlock()
			if b == nil {
				return nil, sysError("recv (the kernel dropped notifications: the socket's receive buffer or nlsh's backlog was full)", unix.ENOBUFS)
			}
			if l.c.tap != nil {
				l.c.tap(false, b)
			}
			return b, nil
		}
		err := l.err
		l.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-l.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Close closes the socket and waits for the reader to end.
func (l *Listener) Close() error {
	err := l.c.Close()
	<-l.done
	return err
}
