package engine

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sys/unix"
)

// batchBytes and batchMsgs bound one datagram of a batch. Each
// acknowledgement is its own socket buffer in the kernel (about 1 KiB of
// receive-buffer space each), so a datagram is kept small enough for its
// acknowledgements to fit a default receive buffer, and they are read back
// before the next datagram is sent. batchQueue bounds the filled datagrams
// waiting for the sender, so a script faster than the kernel waits rather
// than piling up memory.
const (
	batchBytes = 64 << 10
	batchMsgs  = 128
	batchQueue = 4
)

// A Batch sends requests as they are added, packed many to a datagram, and
// checks the acknowledgement of each. A goroutine of its own sends every
// filled datagram and reads its acknowledgements, so the caller builds the
// next requests while the kernel applies the previous ones. NLM_F_ACK is set
// on each request; the kernel handles the messages of a datagram in order and
// carries on past failures, so every request gets its own result.
//
// While a Batch is open its Conn does nothing else: Request and another
// Batch wait until Wait returns, and RecvRaw must not be called (it would
// take acknowledgements the batch is waiting for).
type Batch struct {
	c   *Conn
	p   *Protocol
	ctx context.Context

	n      int    // requests added
	cur    *chunk // the datagram being filled
	full   chan *chunk
	free   chan *chunk
	done   chan struct{}
	closed bool
	msg    Message   // the request the guard is shown
	acks   []Message // the messages of a datagram of acknowledgements

	mu      sync.Mutex
	failed  map[int]error // by request index
	err     error         // the socket's own failure, which ends the batch
	applied int           // requests acknowledged with success
}

// chunk is one datagram of a batch and where each of its requests starts.
type chunk struct {
	buf  []byte
	idx  []int    // request index of each message
	off  []int    // its offset in buf
	seq  []uint32 // its sequence number
	got  []bool   // its acknowledgement has arrived
	size int      // the longest request, which bounds an acknowledgement's size
}

func (ch *chunk) reset() {
	ch.buf, ch.idx, ch.off, ch.seq, ch.got = ch.buf[:0], ch.idx[:0], ch.off[:0], ch.seq[:0], ch.got[:0]
	ch.size = 0
}

// Batch starts a batch on c. p names message types and attributes in the
// errors; it may be nil. ctx bounds the whole batch: when it ends, sending
// stops and Add and Wait report ctx's error.
func (c *Conn) Batch(ctx context.Context, p *Protocol) *Batch {
	c.reqMu.Lock()
	b := &Batch{
		c: c, p: p, ctx: ctx,
		full: make(chan *chunk, batchQueue),
		free: make(chan *chunk, batchQueue+2),
		done: make(chan struct{}),
	}
	go b.run()
	return b
}

// Add queues one request (an encoded message) and returns its index in the
// batch, counting from 0. req is copied: the caller may reuse it. A request
// too short to be a netlink message fails on its own without being sent. The
// error is the socket's failure (or ctx's) that ended the batch early; the
// request is then not sent.
func (b *Batch) Add(req []byte) (int, error) {
	if b.closed {
		return 0, errors.New("batch: already finished")
	}
	if err := b.failure(); err != nil {
		return 0, err
	}
	i := b.n
	b.n++
	if len(req) < HeaderLen {
		b.fail(i, &Error{Err: errors.New("request shorter than the 16-byte netlink header"), Op: "batch", Offset: -1, MissType: -1, MissNest: -1})
		return i, nil
	}
	// One message per request: a length that disagrees would make the
	// kernel read other messages than those whose answers are awaited.
	// And no dumps: their end is NLMSG_DONE, never an acknowledgement.
	h := ParseHeader(req)
	if h.Flags&NLM_F_DUMP == NLM_F_DUMP {
		b.fail(i, &Error{Err: errors.New("a dump cannot go in a batch (it ends with NLMSG_DONE, not an acknowledgement): send it on its own"), Op: "batch", Request: append([]byte(nil), req...), Offset: -1, MissType: -1, MissNest: -1})
		return i, nil
	}
	if b.c.guard != nil {
		// The request as the one message it should be; one whose length
		// disagrees is split as the kernel would read it.
		b.msg = Message{Header: h, Body: req[HeaderLen:len(req):len(req)]}
		ok := int(h.Length) == len(req)
		if !ok {
			if ms, err := Split(req); err == nil && len(ms) == 1 {
				b.msg, ok = ms[0], true
			}
		}
		if ok {
			err := b.c.guard(&b.msg)
			b.msg = Message{}
			if err != nil {
				b.fail(i, err)
				return i, nil
			}
		}
	}
	if l := h.Length; int(l) != len(req) {
		b.fail(i, &Error{Err: fmt.Errorf("request of %d bytes says it is %d (nlmsg_len): one message per request", len(req), l), Op: "batch", Request: append([]byte(nil), req...), Offset: -1, MissType: -1, MissNest: -1})
		return i, nil
	}
	if ch := b.cur; ch != nil && len(ch.buf) > 0 && (len(ch.buf)+align4(len(req)) > batchBytes || len(ch.idx) >= batchMsgs) {
		if err := b.flush(); err != nil {
			return i, err
		}
	}
	if b.cur == nil {
		select {
		case b.cur = <-b.free:
		default:
			b.cur = &chunk{buf: make([]byte, 0, batchBytes)}
		}
	}
	ch := b.cur
	start := len(ch.buf)
	ch.buf = append(ch.buf, req...)
	for len(ch.buf)%4 != 0 {
		ch.buf = append(ch.buf, 0)
	}
	h.Flags |= NLM_F_ACK
	h.Seq = b.c.nextSeq()
	if h.PID == 0 {
		h.PID = b.c.port
	}
	h.Put(ch.buf[start:])
	ch.idx = append(ch.idx, i)
	ch.off = append(ch.off, start)
	ch.seq = append(ch.seq, h.Seq)
	ch.got = append(ch.got, false)
	ch.size = max(ch.size, len(req))
	return i, nil
}

// flush hands the datagram being filled to the sender.
func (b *Batch) flush() error {
	ch := b.cur
	if ch == nil || len(ch.idx) == 0 {
		return nil
	}
	b.cur = nil
	select {
	case b.full <- ch:
		return nil
	case <-b.ctx.Done():
		// The datagram is dropped unsent: the batch has failed.
		b.setErr(b.ctx.Err())
		return b.ctx.Err()
	}
}

// Len returns the number of requests added so far.
func (b *Batch) Len() int { return b.n }

// Wait sends what is still queued, waits for every acknowledgement and ends
// the batch, freeing its Conn. It returns one error per request added (nil
// for success), and the socket's own failure, if one ended the batch early:
// the requests from then on were not sent (or their results are unknown) and
// have no error of their own.
func (b *Batch) Wait() ([]error, error) {
	if !b.closed {
		b.closed = true
		ferr := b.flush()
		close(b.full)
		<-b.done
		b.c.reqMu.Unlock()
		if ferr != nil {
			b.setErr(ferr)
		}
	}
	errs := make([]error, b.n)
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, err := range b.failed {
		errs[i] = err
	}
	return errs, b.err
}

func (b *Batch) failure() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

func (b *Batch) setErr(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
}

func (b *Batch) fail(i int, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failed == nil {
		b.failed = map[int]error{}
	}
	b.failed[i] = err
}

// run is the sender: it sends each filled datagram and reads its
// acknowledgements before the next, until Wait closes the queue. After a
// socket failure it only drains the queue.
func (b *Batch) run() {
	defer close(b.done)
	// The kernel refuses nothing for an unfinished dump here, but its
	// replies would be read as this batch's: drain them first.
	if b.c.pendingDump != 0 {
		if err := b.c.drain(b.ctx, b.c.pendingDump); err != nil {
			b.setErr(err) // still pending: the next request drains it
		} else {
			b.c.pendingDump = 0
		}
	}
	var r multiReader
	for ch := range b.full {
		if b.failure() == nil {
			if err := b.send(ch, &r); err != nil {
				b.setErr(err)
			}
		}
		ch.reset()
		select {
		case b.free <- ch:
		default:
		}
	}
}

// send sends one datagram and reads until every request in it is
// acknowledged.
//
// The kernel handles every message of a datagram within the system call
// that sends it, so once Send returns each request has been applied or
// refused and its acknowledgement is queued on the socket. If ctx ends
// while they are read, they are still read (they are there, or never will
// be), so that Applied counts exactly what the kernel did.
func (b *Batch) send(ch *chunk, r *multiReader) error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	if err := b.c.sendKernel(ch.buf); err != nil {
		return err
	}
	// An acknowledgement holds the request after its own header and error
	// code, and the extended ACK's attributes: room for the longest request
	// and a generous explanation.
	r.ensure(len(ch.idx), align4(ch.size)+4096)
	pending, next := len(ch.idx), 0
	var stopped error // ctx's error, once it ended
	for pending > 0 {
		ctx, idle := b.ctx, b.c.idle
		if stopped != nil {
			ctx, idle = context.Background(), drainIdle
		}
		n, err := b.c.recvMany(ctx, idle, r)
		switch {
		case err == nil:
		case stopped == nil && b.ctx.Err() != nil:
			stopped = b.ctx.Err()
			continue
		case stopped != nil:
			return stopped
		case err == errIdle:
			return &Error{Err: &IdleError{Idle: idle}, Errno: unix.ETIMEDOUT, Op: "batch", Offset: -1, MissType: -1, MissNest: -1}
		default:
			return err
		}
		for d := range n {
			dgram, group, trunc := r.datagram(d)
			if group != 0 {
				if trunc {
					b.c.lose() // cut short: report it as a dropped notification
				} else {
					b.c.queue(append([]byte(nil), dgram...))
				}
				continue
			}
			if trunc {
				// Split would drop the cut message: its header still says
				// which request it answers.
				if len(dgram) >= HeaderLen {
					h := ParseHeader(dgram)
					if h.Type != NLMSG_ERROR {
						continue // a large reply before the acknowledgement
					}
					if k := ch.find(h.Seq, next); k >= 0 && !ch.got[k] {
						ch.got[k] = true
						pending--
						if k == next {
							next++
						}
						b.fail(ch.idx[k], b.replyError(ch, k, nil, true))
					}
				}
				continue
			}
			msgs, _ := splitInto(b.acks, dgram)
			b.acks = msgs[:0]
			for m := range msgs {
				msg := &msgs[m]
				if msg.Header.Type != NLMSG_ERROR {
					continue
				}
				k := ch.find(msg.Header.Seq, next)
				if k < 0 || ch.got[k] {
					continue // a reply to something else: not this batch's
				}
				ch.got[k] = true
				pending--
				if k == next {
					next++
				}
				if len(msg.Body) >= 4 && int32(binary.LittleEndian.Uint32(msg.Body)) == 0 {
					b.mu.Lock()
					b.applied++
					b.mu.Unlock()
					continue
				}
				b.fail(ch.idx[k], b.replyError(ch, k, msg, false))
			}
		}
	}
	return stopped
}

// Applied returns how many requests the kernel acknowledged with success so
// far: after Wait, how many the batch applied, whether or not it was cut
// short (by ctx or a socket failure).
func (b *Batch) Applied() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.applied
}

// find returns the position of the request with sequence number seq, looking
// at the expected one first: the kernel acknowledges in order.
func (ch *chunk) find(seq uint32, next int) int {
	if next < len(ch.seq) && ch.seq[next] == seq {
		return next
	}
	for k, s := range ch.seq {
		if s == seq {
			return k
		}
	}
	return -1
}

// replyError builds a failed request's error from copies of the request and
// of its acknowledgement, which outlive the buffers being reused.
func (b *Batch) replyError(ch *chunk, k int, msg *Message, trunc bool) error {
	start := ch.off[k]
	req := ch.buf[start:]
	req = append([]byte(nil), req[:ParseHeader(req).Length]...)
	if trunc {
		return &Error{Err: errors.New("acknowledgement truncated: larger than the room kept for it"), Op: "batch", Request: req, Offset: -1, MissType: -1, MissNest: -1}
	}
	m := Message{Header: msg.Header, Body: append([]byte(nil), msg.Body...)}
	return ReplyError(b.p, &m, req)
}

// RequestBatch sends many requests (each one encoded message) packed into as
// few datagrams as fit and waits for every acknowledgement, through a Batch.
// The result has one error per request (nil for success), each naming its
// own request. The second result reports a failure of the socket itself.
func (c *Conn) RequestBatch(ctx context.Context, p *Protocol, reqs [][]byte) ([]error, error) {
	b := c.Batch(ctx, p)
	for _, r := range reqs {
		if _, err := b.Add(r); err != nil {
			break
		}
	}
	errs, err := b.Wait()
	if len(errs) < len(reqs) {
		errs = append(errs, make([]error, len(reqs)-len(errs))...)
	}
	return errs, err
}

// sendKernel sends a datagram of requests as Send does, but in a raw
// system call, which the scheduler does not count as one that may block.
// The kernel applies the requests inside sendto, a millisecond or so per
// datagram, and the scheduler hands the processor of a goroutine that long
// in a system call to another thread, waking one, every time: work that
// competes with the script and the kernel for the machine's CPUs. The
// goroutine keeps its processor instead (a collection that stops the world
// waits for the call to end). Sending to the kernel never waits for room in
// the socket; should it say EAGAIN all the same, Send waits as usual.
func (c *Conn) sendKernel(b []byte) error {
	if len(b) == 0 {
		return c.Send(b)
	}
	if err := c.check(b); err != nil {
		return err
	}
	var serr error
	err := c.rc.Control(func(fd uintptr) { serr = sendto(fd, b, true) })
	if err == nil && serr == unix.EAGAIN {
		return c.Send(b)
	}
	if err == nil {
		err = serr
	}
	return c.sent(b, err)
}
