package luabind

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"weak"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/genl"
	"nlsh/luabind/luaarg"
)

// socket is the Go side of an nl.socket() userdata.
type socket struct {
	conn   *engine.Conn
	proto  *engine.Protocol
	name   string
	closed atomic.Bool // set once; the garbage collector may close it too
	// inBatch is set while s:batch runs: the batch owns the socket then,
	// and other calls on it would wait for ever.
	inBatch bool
	// stream is the dump being walked by s:each or f:each, if any.
	stream *dumpStream
	// listener reads an event socket ahead (nl.events, f:subscribe).
	listener *engine.Listener
	// netns is the namespace it was opened in ("" = nlsh's own), so a
	// lesson's sockets can be closed with its namespace.
	netns string
	// dropped reports whether the Lua value owning the socket is gone
	// (nil: owned by nlsh itself), for closing sockets a script forgot
	// when descriptors run out.
	dropped func() bool
}

func (s *socket) close() {
	if s.closed.CompareAndSwap(false, true) {
		if s.listener != nil {
			s.listener.Close()
		} else {
			s.conn.Close()
		}
	}
}

// own makes v (the socket's userdata, or the iterator reading it) the
// owner of s: when the garbage collector finds v unreachable, s is closed.
func (e *Env) own(s *socket, v any) {
	switch o := v.(type) {
	case *lua.LUserData:
		runtime.AddCleanup(o, (*socket).close, s)
		w := weak.Make(o)
		s.dropped = func() bool { return w.Value() == nil }
	case *lua.LFunction:
		runtime.AddCleanup(o, (*socket).close, s)
		w := weak.Make(o)
		s.dropped = func() bool { return w.Value() == nil }
	}
}

func (e *Env) setupSocketMeta() {
	L := e.L
	e.sockMeta = L.CreateTable(0, 2)
	methods := funcTable(L, map[string]lua.LGFunction{
		"send":     e.sockSend,
		"recv":     e.sockRecv,
		"recv_raw": e.sockRecvRaw,
		"request":  e.sockRequest,
		"each":     e.sockEach,

		"request_batch": e.sockRequestBatch,
		"batch":         e.sockBatch,
		"close":         e.sockClose,
		"port":          e.sockPort,
		"join":          e.sockJoin,
		"leave":         e.sockLeave,
		"state":         e.sockState,
	})
	e.sockMeta.RawSetString("__index", methods)
	e.sockMeta.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		s := e.checkSocket(L, 1)
		state := "open"
		if s.closed.Load() {
			state = "closed"
		}
		L.Push(lua.LString(fmt.Sprintf("netlink socket (%s, port %d, %s)", s.name, s.conn.PortID(), state)))
		return 1
	}))
}

// luaSocket is nl.socket(proto, opts).
func (e *Env) luaSocket(L *lua.LState) int {
	name := "route"
	family := 0
	switch v := L.Get(1).(type) {
	case lua.LString:
		p := e.reg.ByName(string(v))
		if p == nil {
			L.ArgError(1, fmt.Sprintf("unknown netlink protocol '%s' (known: %s, or a number)", v, strings.Join(e.protocolNames(), ", ")))
		}
		name, family = string(v), p.Number
	case lua.LNumber:
		family = int(v)
		name = fmt.Sprintf("protocol %d", family)
	case *lua.LNilType:
	default:
		L.ArgError(1, "protocol name or number expected")
	}
	cfg := engine.DefaultConnConfig()
	var netns lua.LValue = lua.LNil
	if opts, ok := L.Get(2).(*lua.LTable); ok {
		var bad string
		opts.ForEach(func(k, v lua.LValue) {
			if bad != "" {
				return
			}
			switch k.String() {
			case "netns":
				netns = v
			case "strict":
				cfg.Strict = lua.LVAsBool(v)
			case "ext_ack":
				cfg.ExtAck = lua.LVAsBool(v)
			case "cap_ack":
				cfg.CapAck = lua.LVAsBool(v)
			case "no_enobufs":
				cfg.NoENOBUFS = lua.LVAsBool(v)
			case "rcvbuf":
				n, err := luaarg.RcvBuf(v)
				if err != nil {
					bad = err.Error()
					return
				}
				cfg.RcvBuf = n
			case "groups":
				gt, ok := v.(*lua.LTable)
				if !ok {
					bad = "groups must be a list of group names or numbers"
					return
				}
				for i := 1; i <= gt.Len(); i++ {
					g, err := e.groupNumber(gt.RawGetInt(i))
					if err != nil {
						bad = err.Error()
						return
					}
					cfg.Groups = append(cfg.Groups, g)
				}
			default:
				bad = fmt.Sprintf("unknown option '%s' (options: netns, strict, ext_ack, cap_ack, no_enobufs, rcvbuf, groups)", k.String())
			}
		})
		if bad != "" {
			L.ArgError(2, bad)
		}
	}
	cfg.NetNS = e.netnsOption(L, "nl.socket: option netns", netns)
	s, err := e.dial(family, e.protocolNumbered(family, cfg.NetNS), name, cfg)
	if err != nil {
		e.raise(L, "nl.socket", err)
	}
	ud := L.NewUserData()
	ud.Value = s
	ud.Metatable = e.sockMeta
	// A socket a script drops without closing is closed when collected.
	e.own(s, ud)
	L.Push(ud)
	return 1
}

// dial opens a socket of the Env (traced, closed with it). When the
// process is out of descriptors it closes the sockets scripts dropped
// without closing, which the garbage collector may not have got to, and
// tries once more.
func (e *Env) dial(family int, p *engine.Protocol, name string, cfg engine.ConnConfig) (*socket, error) {
	cfg.Tap = e.tap(family, p)
	cfg.Guard = e.guard(family, p)
	conn, err := e.opts.Dial(family, cfg)
	if errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE) {
		e.closeDropped()
		conn, err = e.opts.Dial(family, cfg)
	}
	if err != nil {
		return nil, err
	}
	s := &socket{conn: conn, proto: p, name: name, netns: cfg.NetNS}
	e.sockets[s] = true
	return s, nil
}

// closeDropped runs the garbage collector and closes the sockets whose
// owners it found unreachable. The cleanups would close them too, but on a
// goroutine of their own, some time later; a weak pointer says at once.
// Sockets already closed are forgotten.
func (e *Env) closeDropped() {
	runtime.GC()
	for s := range e.sockets {
		if s.dropped != nil && s.dropped() {
			s.close()
		}
		if s.closed.Load() {
			delete(e.sockets, s)
		}
	}
}

func (e *Env) groupNumber(v lua.LValue) (uint32, error) {
	if n, ok := v.(lua.LNumber); ok {
		return uint32(n), nil
	}
	s := lua.LVAsString(v)
	var names []string
	for _, g := range e.route.Groups {
		if g.Name == s || g.Const == s {
			return g.Number, nil
		}
		names = append(names, g.Name)
	}
	return 0, fmt.Errorf("unknown multicast group '%s' (groups: %s)", s, strings.Join(names, ", "))
}

func (e *Env) checkSocket(L *lua.LState, i int) *socket {
	ud := L.CheckUserData(i)
	s, ok := ud.Value.(*socket)
	if !ok {
		L.ArgError(i, "netlink socket expected")
	}
	return s
}

func (e *Env) openSocket(L *lua.LState) *socket {
	s := e.checkSocket(L, 1)
	if s.closed.Load() {
		L.RaiseError("socket is closed")
	}
	if s.inBatch {
		L.RaiseError("socket is busy with a batch: use add(), or another socket")
	}
	s.endStream()
	return s
}

// messageBytes reads argument i: a Lua string of bytes or a message table.
func (e *Env) messageBytes(L *lua.LState, i int) []byte {
	b, err := e.bytesOf(L.Get(i))
	if err == errNotMessage {
		L.ArgError(i, err.Error())
	}
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	return b
}

var errNotMessage = errors.New("message table or string of bytes expected")

// bytesOf encodes a message table, or takes a string as the bytes.
func (e *Env) bytesOf(v lua.LValue) ([]byte, error) {
	switch x := v.(type) {
	case lua.LString:
		return []byte(x), nil
	case *lua.LTable:
		b, err := e.encodeTable(x)
		if err != nil {
			return nil, fmt.Errorf("encode: %w", err)
		}
		return b, nil
	}
	return nil, errNotMessage
}

func (e *Env) ctx(L *lua.LState) context.Context {
	if c := L.Context(); c != nil {
		if lc, ok := c.(*luaContext); ok {
			return lc.Context
		}
		return c
	}
	return context.Background()
}

func (e *Env) sockSend(L *lua.LState) int {
	s := e.openSocket(L)
	b := e.messageBytes(L, 2)
	if err := s.conn.Send(b); err != nil {
		e.raiseWith(L, "send", err, s.proto)
	}
	L.Push(lua.LNumber(len(b)))
	return 1
}

func (e *Env) sockRecvRaw(L *lua.LState) int {
	s := e.openSocket(L)
	b, err := s.conn.RecvRaw(e.ctx(L))
	if err != nil {
		e.raiseWith(L, "recv", err, s.proto)
	}
	L.Push(lua.LString(b))
	return 1
}

func (e *Env) sockRecv(L *lua.LState) int {
	s := e.openSocket(L)
	b, err := s.conn.RecvRaw(e.ctx(L))
	if err != nil {
		e.raiseWith(L, "recv", err, s.proto)
	}
	t, err := e.decodeWith(s.proto, b)
	if err != nil {
		L.RaiseError("recv: %s", err.Error())
	}
	L.Push(t)
	return 1
}

// sockRequest is s:request(msg [, opts]); opts: timeout.
func (e *Env) sockRequest(L *lua.LState) int {
	s := e.openSocket(L)
	L.Push(e.request(L, s, L.Get(2), luaarg.RequestOptions(L, 3, "request")))
	return 1
}

// request sends msg (a message table or bytes) on s and returns the list of
// replies; a kernel error is raised as an error value, carrying the replies
// that came before it.
func (e *Env) request(L *lua.LState, s *socket, msg lua.LValue, o engine.RequestOptions) *lua.LTable {
	if s.closed.Load() {
		L.RaiseError("socket is closed")
	}
	if s.inBatch {
		L.RaiseError("socket is busy with a batch: use add(), or another socket")
	}
	s.endStream()
	b, err := e.bytesOf(msg)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	if why := silentRequest(s.proto, b); why != "" {
		L.RaiseError("request: %s", why)
	}
	return e.requestList(L, s, b, o)
}

func (e *Env) sockClose(L *lua.LState) int {
	s := e.checkSocket(L, 1)
	s.close()
	delete(e.sockets, s)
	return 0
}

func (e *Env) sockPort(L *lua.LState) int {
	s := e.checkSocket(L, 1)
	L.Push(lua.LNumber(s.conn.PortID()))
	return 1
}

func (e *Env) sockJoin(L *lua.LState) int {
	s := e.openSocket(L)
	g, err := e.groupNumber(L.Get(2))
	if err != nil {
		L.ArgError(2, err.Error())
	}
	if err := s.conn.JoinGroup(g); err != nil {
		e.raiseWith(L, "join", err, s.proto)
	}
	return 0
}

func (e *Env) sockLeave(L *lua.LState) int {
	s := e.openSocket(L)
	g, err := e.groupNumber(L.Get(2))
	if err != nil {
		L.ArgError(2, err.Error())
	}
	if err := s.conn.LeaveGroup(g); err != nil {
		e.raiseWith(L, "leave", err, s.proto)
	}
	return 0
}

// sockRequestBatch is s:request_batch(list): send many messages (tables or
// encoded strings) packed into few datagrams and wait for every ACK. It
// returns a list with true or an error value per message, and the number
// that failed.
func (e *Env) sockRequestBatch(L *lua.LState) int {
	s := e.openSocket(L)
	list := L.CheckTable(2)
	n := list.Len()
	reqs := make([][]byte, n)
	for i := 1; i <= n; i++ {
		switch v := list.RawGetInt(i).(type) {
		case lua.LString:
			reqs[i-1] = []byte(v)
		case *lua.LTable:
			b, err := e.encodeTable(v)
			if err != nil {
				L.RaiseError("request_batch: message %d: %s", i, err.Error())
			}
			reqs[i-1] = b
		default:
			L.ArgError(2, fmt.Sprintf("message %d: a message table or string of bytes expected", i))
		}
	}
	errs, err := s.conn.RequestBatch(e.ctx(L), s.proto, reqs)
	if err != nil {
		e.raiseWith(L, "request_batch", err, s.proto)
	}
	e.pushBatchResults(L, errs, s.proto)
	return 2
}

// silentRequest says why a request would wait for ever, or "": one that
// changes something (NEW, DEL, SET; in generic netlink an operation whose
// do has no reply) and asks for neither an ACK nor a dump is answered only
// when it fails.
func silentRequest(p *engine.Protocol, b []byte) string {
	ms, err := engine.Split(b)
	if err != nil || len(ms) != 1 {
		return ""
	}
	h := ms[0].Header
	if h.Flags&(engine.NLM_F_ACK|engine.NLM_F_DUMP|engine.NLM_F_ECHO) != 0 || h.Flags&engine.NLM_F_REQUEST == 0 {
		return ""
	}
	mt := p.Resolve(h, ms[0].Body, engine.DirRequest)
	if mt == nil {
		return ""
	}
	silent := mt.Op == engine.OpNew || mt.Op == engine.OpDel || mt.Op == engine.OpSet
	if tab, ok := p.Dynamic.(*genl.Table); ok && mt.Family != "" {
		silent = false
		if b := tab.ByName(mt.Family); b != nil {
			if op := b.Op(mt.Name); op != nil && op.Do && !op.DoReply {
				silent = true
			}
		}
	}
	if !silent {
		return ""
	}
	return fmt.Sprintf("%s has neither NLM_F_ACK nor NLM_F_DUMP: the kernel answers such a request only when it fails, "+
		"so s:request would wait for ever; add NLM_F_ACK to its header.flags (or send it with s:send)", mt.Title())
}

// sockState is s:state(): the socket as the kernel holds it (its netlink
// options, groups and receive buffer), read back with getsockopt.
func (e *Env) sockState(L *lua.LState) int {
	L.Push(socketState(L, e.checkSocket(L, 1)))
	return 1
}
