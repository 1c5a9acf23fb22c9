package luabind

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// Streams: a dump walked as it arrives (s:each, f:each). Nothing is kept
// once the loop moves on: each datagram's messages become lazy tables
// sharing one group, and the iterator holds only those not yet handed out.
//
// While the script works on one datagram's messages, a goroutine receives
// the next ones, so the kernel's dumping and the script's work overlap. It
// runs at most readAhead datagrams ahead and touches nothing of Lua: it
// only reads the socket. The memory of a stream stays that of a few
// datagrams, whatever the size of the dump.
//
// A stream owns its socket's replies. Lua runs one thing at a time, so a
// later call on the same socket means the loop is over (it broke out) or
// is being interleaved: either way the later call ends the stream (and its
// reader), and an iterator called after that says so. A loop that breaks
// and leaves the socket alone leaves the reader waiting with its few
// datagrams until the socket is used again, closed, or the iterator is
// collected.

var errStreamEnded = errors.New("this dump stream was ended by a later call on the same socket (finish the loop before using the socket again)")

// readAhead is how many datagrams the reader may hold beyond the one the
// script is on: enough to keep the kernel busy while the script works.
const readAhead = 2

// dumpStream is a socket's open stream and its reader, if it has one.
type dumpStream struct {
	st *engine.Stream
	// ahead carries what the reader received; nil when the stream is read
	// in the iterator itself.
	ahead  chan dumpBatch
	cancel context.CancelFunc // stops the reader
	done   chan struct{}      // closed when the reader has returned
	read   atomic.Int64       // datagrams the reader has received (for tests)
}

// dumpBatch is what one NextBatch returned.
type dumpBatch struct {
	msgs []engine.Message
	ok   bool
	err  error
}

// startReader reads the stream's datagrams in a goroutine from now on.
func (d *dumpStream) startReader() {
	ctx, cancel := context.WithCancel(context.Background())
	d.ahead, d.cancel, d.done = make(chan dumpBatch, readAhead), cancel, make(chan struct{})
	go func() {
		defer close(d.done)
		for {
			msgs, ok, err := d.st.NextBatch(ctx)
			if ok {
				d.read.Add(1)
			}
			select {
			case d.ahead <- dumpBatch{msgs, ok, err}:
			case <-ctx.Done():
				return
			}
			if !ok {
				return
			}
		}
	}()
}

// next returns the replies of the next datagram, as Stream.NextBatch does;
// ctx (the script's) interrupts the wait, not the reader.
func (d *dumpStream) next(ctx context.Context) ([]engine.Message, bool, error) {
	if d.ahead == nil {
		return d.st.NextBatch(ctx)
	}
	select {
	case b := <-d.ahead:
		return b.msgs, b.ok, b.err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// stopReader stops the reader, if any, and waits for it: the stream is
// the caller's alone afterwards.
func (d *dumpStream) stopReader() {
	if d.cancel != nil {
		d.cancel()
		<-d.done
	}
}

// close ends the stream: the kernel's rest of a dump is drained by the
// socket's next request.
func (d *dumpStream) close() {
	d.stopReader()
	d.st.Close()
}

// endStream abandons the socket's open stream, if any.
func (s *socket) endStream() {
	if s.stream != nil {
		s.stream.close()
		s.stream = nil
	}
}

// openStream sends req on s and returns its stream, with a reader unless
// replies are being traced: a trace then prints each reply as the script
// gets to it.
func (e *Env) openStream(L *lua.LState, s *socket, p *engine.Protocol, req []byte, op string, ahead bool, o engine.RequestOptions) *dumpStream {
	s.endStream()
	st, err := s.conn.StreamWith(e.ctx(L), p, req, o)
	if err != nil {
		e.raiseWith(L, op, err, p)
	}
	d := &dumpStream{st: st}
	if ahead && !e.tracing() {
		d.startReader()
	}
	s.stream = d
	return d
}

// tracing reports whether replies are printed as they are received.
func (e *Env) tracing() bool {
	t := &e.trace
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.mode != TraceOff && t.mode != ""
}

// streamIter sends req on s and returns an iterator over its replies,
// read as protocol p; op names the request in errors; o bounds each wait.
func (e *Env) streamIter(L *lua.LState, s *socket, p *engine.Protocol, req []byte, op string, o engine.RequestOptions) *lua.LFunction {
	d := e.openStream(L, s, p, req, op, true, o)
	var g *lazyGroup // the datagram being handed out
	next := 0
	iter := L.NewFunction(func(L *lua.LState) int {
		if d != nil && s.stream != d {
			L.RaiseError("%s: %s", op, errStreamEnded.Error())
		}
		if g != nil && next < len(g.entries) {
			t := &g.entries[next].t
			next++
			L.Push(t)
			return 1
		}
		for {
			if d == nil {
				return 0 // the replies are over
			}
			msgs, ok, err := d.next(e.ctx(L))
			if !ok {
				if err == nil || !errors.Is(err, e.ctx(L).Err()) {
					// Over, or failed: either way the stream is done
					// (an interrupted wait leaves it to go on).
					d.close()
					s.stream, d = nil, nil
				}
				g = nil
				if err != nil {
					e.raiseWith(L, op, err, p)
				}
				return 0
			}
			if len(msgs) > 0 {
				g, next = e.newLazyEntries(p, msgs), 1
				d.st.Recycle(msgs)
				L.Push(&g.entries[0].t)
				return 1
			}
		}
	})
	// An iterator dropped half way stops its reader when collected.
	if d.cancel != nil {
		runtime.AddCleanup(iter, func(cancel context.CancelFunc) { cancel() }, d.cancel)
	}
	return iter
}

// sockEach is s:each(msg [, opts]): an iterator over the replies to msg
// (a dump) as they arrive; opts: timeout.
func (e *Env) sockEach(L *lua.LState) int {
	s := e.openSocket(L)
	b := e.messageBytes(L, 2)
	L.Push(e.streamIter(L, s, s.proto, b, "each", luaarg.RequestOptions(L, 3, "each")))
	return 1
}

// requestList sends req on s and returns the list of its replies. A dump
// is built a datagram at a time, read ahead as a stream is: each
// datagram's messages are one group, so a large dump costs its tables and
// raw bytes and nothing in between, and a table kept from it keeps its
// datagram alive, not the dump. Other requests (a change and its ACK, a
// get) are answered at once and need no reader.
func (e *Env) requestList(L *lua.LState, s *socket, req []byte, o engine.RequestOptions) *lua.LTable {
	if len(req) < engine.HeaderLen || engine.ParseHeader(req).Flags&engine.NLM_F_DUMP != engine.NLM_F_DUMP {
		msgs, err := s.conn.RequestWith(e.ctx(L), s.proto, req, o)
		if err != nil {
			e.raiseReplies(L, "request", err, s.proto, msgs)
		}
		return e.newLazyList(s.proto, msgs)
	}
	d := e.openStream(L, s, s.proto, req, "request", true, o)
	defer func() {
		if s.stream == d {
			s.stream = nil
		}
		d.close()
	}()
	// The list is made once its length is known: growing it as datagrams
	// come would leave each smaller copy behind as garbage.
	var groups []*lazyGroup
	n := 0
	var failed error
	for {
		msgs, ok, err := d.next(e.ctx(L))
		if !ok {
			failed = err
			break
		}
		g := e.newLazyEntries(s.proto, msgs)
		d.st.Recycle(msgs)
		groups = append(groups, g)
		n += len(g.entries)
	}
	list := L.CreateTable(n, 0)
	for _, g := range groups {
		e.appendLazy(list, g)
	}
	if failed != nil {
		// What arrived goes with the error (e.replies), as for an
		// interrupted dump: the script decides what to make of it.
		e.raiseRepliesList(L, "request", failed, s.proto, list)
	}
	return list
}
