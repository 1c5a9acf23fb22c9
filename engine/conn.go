package engine

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// ConnConfig says how Dial opens a netlink socket.
type ConnConfig struct {
	NetNS     string   // network namespace: a name under /run/netns, or a path such as /proc/PID/ns/net; "" = the caller's
	Strict    bool     // NETLINK_GET_STRICT_CHK: the kernel rejects malformed GET requests instead of ignoring fields
	ExtAck    bool     // NETLINK_EXT_ACK: errors carry the kernel's explanation and the offending attribute's offset
	CapAck    bool     // NETLINK_CAP_ACK: errors echo only the request's header, not its whole payload
	NoENOBUFS bool     // NETLINK_NO_ENOBUFS: do not report receive-buffer overruns
	RcvBuf    int      // SO_RCVBUF in bytes (0 = kernel default); SO_RCVBUFFORCE is tried first, for root
	Groups    []uint32 // multicast groups to join at dial, by number (RTNLGRP_*)
	// Idle bounds the silence while a request awaits its replies: 0 is
	// DefaultIdle, a negative value no bound. RequestOptions override it.
	Idle time.Duration
	// Tap, if set, sees every datagram sent (out=true) and received, as it is
	// on the wire, for tracing and pcap. It must not keep data after returning
	// unless it copies it. A Batch calls it from its own goroutine, so a Tap
	// shared with other sockets must be safe for concurrent use.
	Tap func(out bool, data []byte)
	// Guard, if set, sees every message before it is sent; an error
	// refuses the whole datagram, which is then not sent. nlsh's
	// read-only mode is a Guard. It is called from a Batch's goroutine
	// too. It must not keep m after returning unless it copies it.
	Guard func(m *Message) error
}

// DefaultConnConfig is the configuration nlsh uses unless told otherwise:
// strict checking and extended acknowledgements on, as iproute2 does, so that
// mistakes are reported rather than silently ignored.
func DefaultConnConfig() ConnConfig {
	return ConnConfig{Strict: true, ExtAck: true}
}

// Conn is a netlink socket. It keeps every received datagram's bytes as they
// came, so replies can be decoded lazily and traced exactly.
//
// Request serialises whole exchanges and RecvRaw serialises reads, but a Conn
// used for requests should not also be read by another goroutine at the same
// time: that reader would take replies the request is waiting for.
type Conn struct {
	sock Socket
	rc   syscall.RawConn
	port uint32
	seq  atomic.Uint32
	tap  func(bool, []byte)
	// guard checks each message before it is sent (ConnConfig.Guard).
	guard     func(*Message) error
	checkMu   sync.Mutex
	checkRoom []Message     // check's messages, reused
	idle      time.Duration // ConnConfig.Idle, resolved

	reqMu sync.Mutex // one Request at a time, so replies are not interleaved
	// streaming is set while a Stream holds reqMu: a request on the same
	// goroutine would wait for ever, so it fails instead.
	streaming atomic.Bool
	readMu    sync.Mutex // one datagram read at a time: peek and read must pair up
	groupMu   sync.Mutex
	groups    map[uint32]bool // the multicast groups joined
	peek      []byte          // recvOne's scratch buffer, under readMu
	smallBuf  bool            // the receive buffer was set too small for 32 KiB datagrams
	rd        reading         // the read under way, under readMu
	snd       sending         // the send under way

	// backlog holds multicast datagrams a Request read while waiting for
	// its reply, for RecvRaw to return next, so a listener that also sends
	// requests on its socket loses no notifications. Past backlogMax bytes
	// they are dropped and RecvRaw reports ENOBUFS, as the kernel would.
	backMu   sync.Mutex
	backlog  [][]byte
	backSize int
	backLost bool

	// pendingDump is the sequence number of a dump abandoned by a cancelled
	// Request (0 = none). The kernel refuses a new dump with EBUSY while an
	// old one is unfinished, so the next Request drains it first.
	pendingDump uint32
}

// Dial opens a netlink socket of the given protocol family (unix.NETLINK_ROUTE,
// unix.NETLINK_GENERIC, ...) configured by cfg.
func Dial(family int, cfg ConnConfig) (*Conn, error) {
	var ncfg netlink.Config
	if cfg.NetNS != "" {
		fd, err := OpenNetNS(cfg.NetNS)
		if err != nil {
			return nil, err
		}
		// netlink.Dial enters the namespace in a locked thread just long
		// enough to create the socket; the socket stays in the namespace
		// after the descriptor is closed.
		defer unix.Close(fd)
		if !isCurrentNetNS(fd) {
			ncfg.NetNS = fd
		}
	}
	nc, err := netlink.Dial(family, &ncfg)
	if err != nil {
		op := "dial netlink"
		if cfg.NetNS != "" {
			// Most likely setns failed: say which namespace.
			op = "netns " + cfg.NetNS + ": dial netlink in " + NetNSPath(cfg.NetNS)
		}
		return nil, sysError(op, err)
	}
	c, err := newConn(nc, cfg)
	if err != nil {
		nc.Close()
		return nil, sysError("dial netlink", err)
	}
	opts := []struct {
		on  bool
		opt int
	}{
		{cfg.Strict, unix.NETLINK_GET_STRICT_CHK},
		{cfg.ExtAck, unix.NETLINK_EXT_ACK},
		{cfg.CapAck, unix.NETLINK_CAP_ACK},
		{cfg.NoENOBUFS, unix.NETLINK_NO_ENOBUFS},
	}
	for _, o := range opts {
		if !o.on {
			continue
		}
		if err := c.SetOption(o.opt, true); err != nil {
			c.Close()
			return nil, err
		}
	}
	if err := c.configure(cfg); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Socket is what a Conn needs of its socket besides the descriptor's
// reads and writes: *netlink.Conn (github.com/mdlayher/netlink) for the
// sockets Dial opens, or a stand-in for tests (package nltest).
type Socket interface {
	// SyscallConn gives the descriptor the Conn sends and receives on,
	// one datagram per call, registered with the runtime's poller.
	SyscallConn() (syscall.RawConn, error)
	PID() uint32 // the port id replies are addressed to
	Close() error
	JoinGroup(group uint32) error
	LeaveGroup(group uint32) error
	SetReadBuffer(bytes int) error
	SetReadDeadline(t time.Time) error
}

// NewConn makes a Conn of a socket opened by other means than Dial: it is
// how package nltest's fake kernel hands out its sockets. Of cfg it uses
// Tap, Guard, Idle, RcvBuf and Groups (through sock); the netlink socket
// options (Strict, ExtAck, CapAck, NoENOBUFS) and NetNS are Dial's alone,
// and ignored here. Closing the Conn closes sock.
func NewConn(sock Socket, cfg ConnConfig) (*Conn, error) {
	c, err := newConn(sock, cfg)
	if err != nil {
		return nil, sysError("new conn", err)
	}
	if err := c.configure(cfg); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// newConn wraps sock, readied for reading and sending, but configures
// nothing of the socket.
func newConn(sock Socket, cfg ConnConfig) (*Conn, error) {
	rc, err := sock.SyscallConn()
	if err != nil {
		return nil, err
	}
	c := &Conn{sock: sock, rc: rc, port: sock.PID(), tap: cfg.Tap, guard: cfg.Guard, idle: resolveIdle(cfg.Idle, DefaultIdle)}
	c.initRead()
	c.initSend()
	return c, nil
}

// configure sets the receive buffer and joins the groups cfg asks for.
func (c *Conn) configure(cfg ConnConfig) error {
	if cfg.RcvBuf > 0 {
		if err := c.SetReadBuffer(cfg.RcvBuf); err != nil {
			return err
		}
	}
	for _, g := range cfg.Groups {
		if err := c.JoinGroup(g); err != nil {
			return err
		}
	}
	return nil
}

// sysError wraps a system call failure as an *Error naming what was being
// done, so errors.Is(err, unix.EPERM) and friends work and the message says
// which step failed.
func sysError(op string, err error) error {
	if err == nil {
		return nil
	}
	var errno unix.Errno
	if errors.As(err, &errno) {
		return &Error{Errno: errno, Op: op, Offset: -1, MissType: -1, MissNest: -1}
	}
	return &Error{Err: err, Op: op, Offset: -1, MissType: -1, MissNest: -1}
}

// PortID is the socket's netlink port id (nl_pid), which the kernel puts in
// the pid field of its unicast replies.
func (c *Conn) PortID() uint32 { return c.port }

// Close closes the socket, waking any blocked read.
func (c *Conn) Close() error {
	return sysError("close", c.sock.Close())
}

// JoinGroup subscribes to a multicast group by number (RTNLGRP_LINK, ...).
// Numbers above 31 work too, unlike the bind-time bitmask.
func (c *Conn) JoinGroup(g uint32) error {
	if err := c.sock.JoinGroup(g); err != nil {
		return sysError("join group", err)
	}
	c.groupMu.Lock()
	if c.groups == nil {
		c.groups = map[uint32]bool{}
	}
	c.groups[g] = true
	c.groupMu.Unlock()
	return nil
}

// LeaveGroup unsubscribes from a multicast group.
func (c *Conn) LeaveGroup(g uint32) error {
	if err := c.sock.LeaveGroup(g); err != nil {
		return sysError("leave group", err)
	}
	c.groupMu.Lock()
	delete(c.groups, g)
	c.groupMu.Unlock()
	return nil
}

// listening reports whether the socket has joined a multicast group.
func (c *Conn) listening() bool {
	c.groupMu.Lock()
	defer c.groupMu.Unlock()
	return len(c.groups) > 0
}

// ackRoom is what an acknowledgement may need beyond the request it
// echoes: its own header and error code, and the extended ACK's
// attributes (a message, an offset, a policy).
const ackRoom = 4 << 10

// ackOnly reports whether the only datagram the kernel will send this
// socket in answer to the request with header h (n bytes long) is its
// acknowledgement, small enough for the scratch buffer: a change (new,
// delete, set) that asks for an ACK and no echo, in a protocol whose
// changes answer so (Protocol.AckOnly), on a socket that joined no group
// (which would deliver notifications of any size meanwhile). Such an
// answer is read in one system call, without peeking at its size.
func (c *Conn) ackOnly(p *Protocol, h Header, n int) bool {
	if p == nil || !p.AckOnly || h.Flags&NLM_F_ACK == 0 || h.Flags&NLM_F_ECHO != 0 || n+ackRoom > peekSize || c.listening() {
		return false
	}
	t := p.staticType(h.Type)
	return t != nil && (t.Op == OpNew || t.Op == OpDel || t.Op == OpSet)
}

// SetReadBuffer sets the socket's receive buffer (SO_RCVBUFFORCE when
// permitted, so root can exceed net.core.rmem_max; SO_RCVBUF otherwise).
// Busy multicast listeners need a large one to avoid ENOBUFS.
func (c *Conn) SetReadBuffer(n int) error {
	if err := c.sock.SetReadBuffer(n); err != nil {
		return sysError("set receive buffer", err)
	}
	c.readMu.Lock()
	c.smallBuf = n < smallRcvBuf
	c.readMu.Unlock()
	return nil
}

// SetOption turns a SOL_NETLINK socket option (unix.NETLINK_EXT_ACK,
// NETLINK_CAP_ACK, NETLINK_GET_STRICT_CHK, ...) on or off by number, so a
// learner can watch how each changes the kernel's replies.
func (c *Conn) SetOption(opt int, on bool) error {
	v := 0
	if on {
		v = 1
	}
	var serr error
	err := c.rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_NETLINK, opt, v)
	})
	if err == nil {
		err = serr
	}
	return sysError("set netlink option "+netlinkOptionName(opt), err)
}

func netlinkOptionName(opt int) string {
	switch opt {
	case unix.NETLINK_ADD_MEMBERSHIP:
		return "NETLINK_ADD_MEMBERSHIP"
	case unix.NETLINK_DROP_MEMBERSHIP:
		return "NETLINK_DROP_MEMBERSHIP"
	case unix.NETLINK_PKTINFO:
		return "NETLINK_PKTINFO"
	case unix.NETLINK_BROADCAST_ERROR:
		return "NETLINK_BROADCAST_ERROR"
	case unix.NETLINK_NO_ENOBUFS:
		return "NETLINK_NO_ENOBUFS"
	case unix.NETLINK_LISTEN_ALL_NSID:
		return "NETLINK_LISTEN_ALL_NSID"
	case unix.NETLINK_CAP_ACK:
		return "NETLINK_CAP_ACK"
	case unix.NETLINK_EXT_ACK:
		return "NETLINK_EXT_ACK"
	case unix.NETLINK_GET_STRICT_CHK:
		return "NETLINK_GET_STRICT_CHK"
	}
	return strconv.Itoa(opt)
}

// RecvRaw receives exactly one datagram, whatever its size, and returns its
// bytes (owned by the caller). It blocks until one arrives, ctx is done (it
// then returns ctx.Err()) or the socket is closed. A receive-buffer overrun
// comes back as an error for which errors.Is(err, unix.ENOBUFS) holds: some
// messages were dropped, and a listener should resynchronise with a dump.
func (c *Conn) RecvRaw(ctx context.Context) ([]byte, error) {
	if b, ok, err := c.unqueue(); ok {
		return b, err
	}
	b, _, err := c.recv(ctx, 0)
	return b, err
}

// backlogMax bounds the multicast datagrams kept while requests run.
const backlogMax = 4 << 20

// queue keeps a multicast datagram read by a Request.
func (c *Conn) queue(b []byte) {
	c.backMu.Lock()
	defer c.backMu.Unlock()
	if c.backSize+len(b) > backlogMax {
		c.backLost = true
		return
	}
	c.backlog = append(c.backlog, b)
	c.backSize += len(b)
}

// lose records that a multicast datagram could not be kept whole: RecvRaw
// reports ENOBUFS once the kept ones are returned, as the kernel would.
func (c *Conn) lose() {
	c.backMu.Lock()
	c.backLost = true
	c.backMu.Unlock()
}

// unqueue returns the oldest kept datagram, or once they are all returned
// an ENOBUFS error if some had to be dropped.
func (c *Conn) unqueue() ([]byte, bool, error) {
	c.backMu.Lock()
	defer c.backMu.Unlock()
	if len(c.backlog) > 0 {
		b := c.backlog[0]
		c.backlog[0] = nil
		c.backlog = c.backlog[1:]
		c.backSize -= len(b)
		return b, true, nil
	}
	if c.backLost {
		c.backLost = false
		return nil, true, sysError("recv (notifications dropped while a request ran)", unix.ENOBUFS)
	}
	return nil, false, nil
}

// Request sends one request message and collects its replies: every message
// with the request's sequence number up to the ACK or NLMSG_DONE (which are
// not returned), or the first reply of a request that asked for neither an ACK
// nor a dump. req is not modified: a zero sequence number is replaced by the
// Conn's next one (counting from 1) and a zero pid by the port id, in a copy.
// Messages for other requests are skipped; multicast notifications read
// meanwhile are kept for RecvRaw.
//
// The wait is bounded by the Conn's idle time (ConnConfig.Idle, by default
// DefaultIdle): when no reply has come for that long, Request fails with an
// *Error wrapping an *IdleError. The kernel drops a request whose header
// lies about its length without a word, and a request that wants neither an
// ACK nor a reply (RTM_NEWLINK without NLM_F_ACK) gets none: set NLM_F_ACK.
//
// A kernel error is returned as an *Error (built by ReplyError with p, which
// may be nil, naming the attribute an extended ACK points at). If the dump was
// interrupted by concurrent changes the complete reply is still read and
// returned, with an *Error wrapping ErrDumpInterrupted. If receiving fails
// (ctx done, no reply for the idle time, ENOBUFS, socket closed) the replies
// read so far are returned with the error; a dump abandoned so is drained by
// the next Request.
func (c *Conn) Request(ctx context.Context, p *Protocol, req []byte) ([]Message, error) {
	return c.RequestWith(ctx, p, req, RequestOptions{})
}

// RequestOptions adjust one request.
type RequestOptions struct {
	// Idle bounds the time without a reply: 0 is the Conn's own
	// (ConnConfig.Idle), a negative value no bound.
	Idle time.Duration
}

// DefaultIdle is how long a request waits without a reply before it fails.
// The kernel answers a request it accepted within milliseconds, and sends
// each datagram of a dump as soon as the last one is read, so a healthy
// exchange is never silent for long: seconds at worst, when the request
// queues behind another holding the RTNL lock (a namespace with thousands
// of devices being deleted). Silence for this long means the request was
// dropped. It bounds the gap between replies, not their total, so a dump
// of a million routes is never cut short.
const DefaultIdle = 30 * time.Second

// resolveIdle turns an idle setting into the bound to apply: 0 takes def,
// a negative value means none (0 in the result).
func resolveIdle(idle, def time.Duration) time.Duration {
	switch {
	case idle == 0:
		return def
	case idle < 0:
		return 0
	}
	return idle
}

// RequestWith is Request with options.
func (c *Conn) RequestWith(ctx context.Context, p *Protocol, req []byte, o RequestOptions) ([]Message, error) {
	h, req, err := c.prepare(ctx, req)
	if err != nil {
		return nil, err
	}
	if c.streaming.Load() {
		return nil, &Error{Err: ErrStreamOpen, Op: "request", Offset: -1, MissType: -1, MissNest: -1}
	}
	c.reqMu.Lock()
	defer c.reqMu.Unlock()
	if c.pendingDump != 0 {
		if err := c.drain(ctx, c.pendingDump); err != nil {
			return nil, err
		}
		c.pendingDump = 0
	}
	if err := c.Send(req); err != nil {
		return nil, err
	}
	var col Collector
	col.start(p, req)
	w := makeReplyWait(resolveIdle(o.Idle, c.idle))
	direct := c.ackOnly(p, h, len(req))
	for {
		b, acked, full, group, err := c.recvReply(ctx, w.left(), direct, h.Seq)
		if err == nil && full > len(b) {
			// Read without peeking, and larger than any acknowledgement:
			// a late reply to an earlier request given up on, which no
			// one awaits, or against what ackOnly relies on, this one's.
			if ParseHeader(b).Seq != h.Seq {
				continue
			}
			err = &Error{Err: fmt.Errorf("reply of %d bytes to a change cut to %d: the kernel sent more than an acknowledgement", full, len(b)), Op: col.op(), Request: col.req, Offset: -1, MissType: -1, MissNest: -1}
		}
		if err != nil {
			// Whatever stopped the reading (ctx, ENOBUFS), the kernel
			// goes on dumping: the next request drains the rest first.
			if col.multi || h.Flags&NLM_F_DUMP == NLM_F_DUMP {
				c.pendingDump = h.Seq
			}
			return col.msgs, w.err(err, &col)
		}
		if acked {
			col.finish(nil)
			return col.Result()
		}
		done := col.Feed(b, group)
		w.fed(&col)
		// Notifications wait for RecvRaw, except the echo this request
		// asked for, which is its reply.
		if group != 0 && !col.echoed {
			c.queue(b)
		}
		if done {
			return col.Result()
		}
	}
}

// replyWait tracks the idle bound of one request: it restarts whenever a
// datagram brings replies to the request, and notifications for the
// socket's groups do not count, so a busy group cannot keep a dropped
// request waiting.
type replyWait struct {
	idle     time.Duration // 0: no bound
	deadline time.Time
}

func newReplyWait(idle time.Duration) *replyWait {
	w := makeReplyWait(idle)
	return &w
}

func makeReplyWait(idle time.Duration) replyWait {
	w := replyWait{idle: idle}
	if idle > 0 {
		w.deadline = time.Now().Add(idle)
	}
	return w
}

// left is the wait allowed for the next datagram (0: no bound).
func (w *replyWait) left() time.Duration {
	if w.idle <= 0 {
		return 0
	}
	// At least a moment, so that a bound already passed still fails
	// through the read's deadline rather than waiting for ever.
	return max(time.Until(w.deadline), time.Nanosecond)
}

// fed restarts the bound if the datagram just fed to col held replies.
func (w *replyWait) fed(col *Collector) {
	if col.progress && w.idle > 0 {
		w.deadline = time.Now().Add(w.idle)
	}
	col.progress = false
}

// err turns a read's errIdle into the request's error.
func (w *replyWait) err(err error, col *Collector) error {
	if err != errIdle {
		return err
	}
	return &Error{Err: &IdleError{Idle: w.idle}, Errno: unix.ETIMEDOUT, Op: col.op(), Request: col.req, Offset: -1, MissType: -1, MissNest: -1}
}

// prepare checks a request and returns a copy with its sequence number
// and pid filled in where they are zero.
func (c *Conn) prepare(ctx context.Context, req []byte) (Header, []byte, error) {
	if len(req) < HeaderLen {
		return Header{}, nil, &Error{Err: errors.New("request shorter than the 16-byte netlink header"), Op: "request", Offset: -1, MissType: -1, MissNest: -1}
	}
	if err := ctx.Err(); err != nil {
		return Header{}, nil, err
	}
	req = append([]byte(nil), req...)
	h := ParseHeader(req)
	if h.Seq == 0 {
		h.Seq = c.nextSeq()
	}
	if h.PID == 0 {
		h.PID = c.port
	}
	h.Put(req)
	return h, req, nil
}

// drainIdle bounds how long drain waits for the rest of an abandoned dump.
// The kernel queues the next dump datagram as each one is read, so a live
// dump never leaves the socket idle this long; silence means it is over (or
// never started).
const drainIdle = 100 * time.Millisecond

// drain reads and discards the rest of an abandoned dump.
func (c *Conn) drain(ctx context.Context, seq uint32) error {
	col := &Collector{seq: seq, dump: true, discard: true}
	for {
		rctx, cancel := context.WithTimeout(ctx, drainIdle)
		b, group, err := c.recv(rctx, 0)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			return nil
		case err != nil:
			return err
		}
		if group != 0 {
			c.queue(b)
		}
		if col.Feed(b, group) {
			return nil
		}
	}
}

// nextSeq returns the next sequence number, skipping 0 (which means "unset").
func (c *Conn) nextSeq() uint32 {
	for {
		if s := c.seq.Add(1); s != 0 {
			return s
		}
	}
}

// Collector gathers the replies to one request from the datagrams that
// follow it. It does no I/O, so the rules deciding which messages belong to a
// request and when the reply is complete can be tested with hand-made bytes.
type Collector struct {
	p       *Protocol
	req     []byte
	seq     uint32
	ack     bool // the request asked for an ACK
	dump    bool // the request asked for a dump
	echo    bool // the request asked for NLM_F_ECHO
	echoed  bool // the last datagram fed was a multicast copy taken as the echo
	discard bool // drop the replies (draining an abandoned dump)

	multi    bool // a multipart reply was seen: the kernel is dumping
	progress bool // a datagram fed held a message of the request
	intr     bool
	done     bool
	msgs     []Message
	err      error
	// spare is room for the next datagram's messages, given back by a
	// Stream's consumer.
	spare []Message
}

// NewCollector starts collecting the replies to req (one encoded message,
// with its sequence number already filled in). p names message types and
// attributes in errors; it may be nil.
func NewCollector(p *Protocol, req []byte) *Collector {
	c := new(Collector)
	c.start(p, req)
	return c
}

// start readies a zero Collector, which a request keeps on its stack.
func (c *Collector) start(p *Protocol, req []byte) {
	h := ParseHeader(req)
	*c = Collector{
		p: p, req: req, seq: h.Seq,
		ack:  h.Flags&NLM_F_ACK != 0,
		dump: h.Flags&NLM_F_DUMP == NLM_F_DUMP,
		echo: h.Flags&NLM_F_ECHO != 0 && h.Flags&NLM_F_DUMP != NLM_F_DUMP,
	}
}

// isAck reports whether dgram is exactly one message: the acknowledgement
// (NLMSG_ERROR with error 0) of the request numbered seq.
func isAck(dgram []byte, seq uint32) bool {
	if len(dgram) < HeaderLen+4 {
		return false
	}
	h := ParseHeader(dgram)
	return int(h.Length) == len(dgram) && h.Type == NLMSG_ERROR && h.Seq == seq &&
		binary.LittleEndian.Uint32(dgram[HeaderLen:]) == 0
}

// Feed takes one received datagram and the multicast group it was delivered
// to (0 for unicast), and reports whether the reply is complete. Multicast
// copies are ignored even when they carry the request's sequence number, as
// the notification the kernel sends about a change does: it is not a reply.
func (c *Collector) Feed(dgram []byte, group uint32) bool {
	if c.done {
		return true
	}
	// The echo of an NLM_F_ECHO request is the notification itself, sent
	// to the requester alone but still marked with its group.
	c.echoed = false
	if group != 0 && !c.echo {
		return false
	}
	msgs, ferr := splitInto(c.spare, dgram)
	c.spare = nil
	if c.msgs == nil {
		// Replies are kept in Split's slice itself (appending never
		// overtakes the message being read): a stream takes them after
		// every datagram, and copying would double its allocations.
		c.msgs = msgs[:0]
	}
	for i := range msgs {
		m := &msgs[i]
		if m.Header.Seq != c.seq {
			continue // a stale reply to an abandoned request
		}
		c.progress = true
		switch m.Header.Type {
		case NLMSG_NOOP, NLMSG_OVERRUN:
			continue
		case NLMSG_ERROR:
			// An ACK (error 0) needs no decoding.
			if len(m.Body) >= 4 && binary.LittleEndian.Uint32(m.Body) == 0 {
				c.finish(nil)
			} else {
				c.finish(ReplyError(c.p, m, c.req))
			}
			return true
		case NLMSG_DONE:
			if m.Header.Flags&NLM_F_DUMP_INTR != 0 {
				c.intr = true
			}
			c.finish(ReplyError(c.p, m, c.req))
			return true
		}
		if m.Header.Flags&NLM_F_DUMP_INTR != 0 {
			c.intr = true
		}
		if m.Header.Flags&NLM_F_MULTI != 0 {
			c.multi = true
		}
		if !c.discard {
			c.msgs = append(c.msgs, *m)
		}
		if group != 0 {
			c.echoed = true
		}
		if m.Header.Flags&NLM_F_MULTI == 0 && !c.ack && !c.dump {
			c.finish(nil)
			return true
		}
	}
	if ferr != nil {
		c.finish(&Error{Err: ferr, Op: c.op(), Request: c.req, Offset: -1, MissType: -1, MissNest: -1})
		return true
	}
	return false
}

func (c *Collector) finish(err error) {
	c.done = true
	if err == nil && c.intr {
		err = &Error{Err: ErrDumpInterrupted, Op: c.op(), Request: c.req, Offset: -1, MissType: -1, MissNest: -1}
	}
	c.err = err
}

// op names the request's message type, for errors.
func (c *Collector) op() string {
	if len(c.req) >= HeaderLen {
		if t := RequestType(c.p, c.req); t != nil {
			return t.Title()
		}
	}
	return ""
}

// take hands over the replies collected so far, for a Stream.
func (c *Collector) take() []Message {
	m := c.msgs
	c.msgs = nil
	return m
}

// Done reports whether the reply is complete.
func (c *Collector) Done() bool { return c.done }

// Result returns the replies collected (without the final ACK or
// NLMSG_DONE) and the request's error, if any. Bodies alias the datagrams fed.
func (c *Collector) Result() ([]Message, error) {
	return c.msgs, c.err
}
