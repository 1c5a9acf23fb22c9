package engine

import (
	"context"
	"errors"
)

// batchBytes and batchMsgs bound one datagram of a batch. Each
// acknowledgement is its own socket buffer in the kernel (about 1 KiB of
// receive-buffer space each), so a batch is kept small enough for its
// acknowledgements to fit a default receive buffer, and they are read back
// before the next batch is sent.
const (
	batchBytes = 64 << 10
	batchMsgs  = 128
)

// RequestBatch sends many requests (each one encoded message) packed into as
// few datagrams as fit, and waits for every acknowledgement; NLM_F_ACK is set
// on each. The kernel handles the messages of a datagram one after the other
// and acknowledges each, carrying on past failures, so the result has one
// error per request (nil for success), each naming its own request. The
// second result reports a failure of the socket itself.
func (c *Conn) RequestBatch(ctx context.Context, p *Protocol, reqs [][]byte) ([]error, error) {
	errs := make([]error, len(reqs))
	reqs = append([][]byte(nil), reqs...) // entries are replaced by their sent form
	c.reqMu.Lock()
	defer c.reqMu.Unlock()
	if c.pendingDump != 0 {
		if err := c.drain(ctx, c.pendingDump); err != nil {
			return errs, err
		}
		c.pendingDump = 0
	}
	buf := make([]byte, 0, batchBytes)
	pending := map[uint32]int{}
	first := 0
	for first < len(reqs) {
		buf = buf[:0]
		n := first
		for ; n < len(reqs); n++ {
			r := reqs[n]
			if len(r) < HeaderLen {
				errs[n] = &Error{Err: errors.New("request shorter than the 16-byte netlink header"), Op: "batch", Offset: -1, MissType: -1, MissNest: -1}
				continue
			}
			if len(buf) > 0 && (len(buf)+align4(len(r)) > batchBytes || len(pending) >= batchMsgs) {
				break
			}
			start := len(buf)
			buf = append(buf, r...)
			for len(buf)%4 != 0 {
				buf = append(buf, 0)
			}
			h := ParseHeader(buf[start:])
			h.Flags |= NLM_F_ACK
			h.Seq = c.nextSeq()
			if h.PID == 0 {
				h.PID = c.port
			}
			h.Put(buf[start:])
			reqs[n] = buf[start : start+len(r)]
			pending[h.Seq] = n
		}
		if len(buf) > 0 {
			if err := c.Send(buf); err != nil {
				return errs, err
			}
		}
		for len(pending) > 0 {
			b, group, err := c.recv(ctx)
			if err != nil {
				return errs, err
			}
			if group != 0 {
				c.queue(b)
				continue
			}
			msgs, _ := Split(b)
			for i := range msgs {
				m := &msgs[i]
				idx, ok := pending[m.Header.Seq]
				if !ok || m.Header.Type != NLMSG_ERROR {
					continue
				}
				delete(pending, m.Header.Seq)
				// Keep the request's bytes: buf is reused by the next batch.
				req := append([]byte(nil), reqs[idx]...)
				reqs[idx] = req
				errs[idx] = ReplyError(p, m, req)
			}
		}
		first = n
	}
	return errs, nil
}
