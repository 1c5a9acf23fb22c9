package engine

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrStreamOpen is returned by a request on a socket whose Stream is still
// open: the stream owns the socket's replies until it ends or is closed.
var ErrStreamOpen = errors.New("a streamed dump is still open on this socket: finish or close it first")

// Stream is the replies to one request, handed out as their datagrams
// arrive, so a dump of any size is walked in the memory of one datagram.
// It owns its Conn's request lock until it ends or is closed.
type Stream struct {
	c      *Conn
	col    *Collector
	idle   time.Duration // 0: no bound
	seq    uint32
	dump   bool
	queue  []Message
	done   bool
	err    error
	closed atomic.Bool

	spareMu sync.Mutex
	spare   [][]Message // slices given back by Recycle
}

// Stream sends req (as Request does: sequence number and pid filled in a
// copy) and returns the stream of its replies. The Conn's idle bound
// applies to each wait for the next reply, as in Request; the time the
// caller spends between calls does not count.
func (c *Conn) Stream(ctx context.Context, p *Protocol, req []byte) (*Stream, error) {
	return c.StreamWith(ctx, p, req, RequestOptions{})
}

// StreamWith is Stream with options.
func (c *Conn) StreamWith(ctx context.Context, p *Protocol, req []byte, o RequestOptions) (*Stream, error) {
	h, req, err := c.prepare(ctx, req)
	if err != nil {
		return nil, err
	}
	if !c.reqMu.TryLock() {
		if c.streaming.Load() {
			return nil, &Error{Err: ErrStreamOpen, Op: "request", Offset: -1, MissType: -1, MissNest: -1}
		}
		c.reqMu.Lock()
	}
	c.streaming.Store(true)
	s := &Stream{c: c, col: NewCollector(p, req), idle: resolveIdle(o.Idle, c.idle), seq: h.Seq, dump: h.Flags&NLM_F_DUMP == NLM_F_DUMP}
	if c.pendingDump != 0 {
		if err := c.drain(ctx, c.pendingDump); err != nil {
			s.release()
			return nil, err
		}
		c.pendingDump = 0
	}
	if err := c.Send(req); err != nil {
		s.release()
		return nil, err
	}
	return s, nil
}

// Next returns the next reply. ok is false once the replies are over;
// err is then the request's error, if any (a kernel error, or
// ErrDumpInterrupted after the last message of an interrupted dump).
// Messages alias their datagram, which the stream no longer holds.
func (s *Stream) Next(ctx context.Context) (m Message, ok bool, err error) {
	if ok, err := s.fill(ctx); !ok {
		return Message{}, false, err
	}
	m = s.queue[0]
	s.queue[0] = Message{}
	s.queue = s.queue[1:]
	return m, true, nil
}

// NextBatch returns the replies of the next datagram (at least one
// message; what Next has not yet handed out of it), with ok and err as
// Next has them: a caller that wraps messages per datagram shares one
// allocation among them.
func (s *Stream) NextBatch(ctx context.Context) ([]Message, bool, error) {
	if ok, err := s.fill(ctx); !ok {
		return nil, false, err
	}
	q := s.queue
	s.queue = nil
	return q, true, nil
}

// Recycle gives back a slice NextBatch returned, once the caller is done
// with it (what it needs of the messages is copied; their bodies' bytes
// may still be used, they are not reused): a later datagram's messages
// reuse its array, so walking a dump allocates no slice per datagram. It
// may be called from another goroutine than NextBatch's.
func (s *Stream) Recycle(msgs []Message) {
	if cap(msgs) == 0 {
		return
	}
	clear(msgs[:cap(msgs)]) // nothing kept alive through it
	s.spareMu.Lock()
	if len(s.spare) < 4 {
		s.spare = append(s.spare, msgs[:0])
	}
	s.spareMu.Unlock()
}

// fill reads datagrams until a reply is queued or the replies are over.
func (s *Stream) fill(ctx context.Context) (bool, error) {
	w := newReplyWait(s.idle)
	for len(s.queue) == 0 {
		if s.done {
			return false, s.err
		}
		if s.closed.Load() {
			return false, &Error{Err: errors.New("stream closed"), Op: "recv", Offset: -1, MissType: -1, MissNest: -1}
		}
		b, group, err := s.c.recv(ctx, w.left())
		if err != nil {
			s.abandon()
			return false, w.err(err, s.col)
		}
		s.spareMu.Lock()
		if n := len(s.spare); n > 0 {
			s.col.spare, s.spare = s.spare[n-1], s.spare[:n-1]
		}
		s.spareMu.Unlock()
		done := s.col.Feed(b, group)
		w.fed(s.col)
		if group != 0 && !s.col.echoed {
			s.c.queue(b)
		}
		s.queue = s.col.take()
		if done {
			_, s.err = s.col.Result()
			s.done = true
			s.release()
		}
	}
	return true, nil
}

// Close abandons the stream: a dump still running is drained by the
// socket's next request. Closing an ended stream does nothing.
func (s *Stream) Close() {
	if !s.done {
		s.abandon()
	}
	s.closed.Store(true)
}

func (s *Stream) abandon() {
	if s.done {
		return
	}
	if s.col.multi || s.dump {
		s.c.pendingDump = s.seq
	}
	s.done = true
	s.release()
}

func (s *Stream) release() {
	if s.c.streaming.CompareAndSwap(true, false) {
		s.c.reqMu.Unlock()
	}
}
