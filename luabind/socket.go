package luabind

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
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
}

func (s *socket) close() {
	if s.closed.CompareAndSwap(false, true) {
		s.conn.Close()
	}
}

// protocols nl.socket accepts by name.
var protocols = map[string]int{"route": 0, "sock_diag": 4, "netfilter": 12, "generic": 16}

func (e *Env) setupSocketMeta() {
	L := e.L
	e.sockMeta = L.NewTable()
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
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
		f, ok := protocols[string(v)]
		if !ok {
			L.ArgError(1, fmt.Sprintf("unknown netlink protocol '%s' (known: route, generic, sock_diag, netfilter, or a number)", v))
		}
		name, family = string(v), f
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
				cfg.RcvBuf = int(lua.LVAsNumber(v))
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
	p := &engine.Protocol{Name: name}
	switch family {
	case 0:
		p = e.route
	case 16:
		p = e.genlFor(cfg.NetNS).tab.Protocol()
	}
	s, err := e.dial(family, p, name, cfg)
	if err != nil {
		e.raise(L, "nl.socket", err)
	}
	ud := L.NewUserData()
	ud.Value = s
	ud.Metatable = e.sockMeta
	// A socket a script drops without closing is closed when collected.
	runtime.AddCleanup(ud, (*socket).close, s)
	L.Push(ud)
	return 1
}

// dial opens a socket of the Env (traced, closed with it).
func (e *Env) dial(family int, p *engine.Protocol, name string, cfg engine.ConnConfig) (*socket, error) {
	cfg.Tap = e.tap(family, p)
	cfg.Guard = e.guard(family, p)
	conn, err := engine.Dial(family, cfg)
	if err != nil {
		return nil, err
	}
	s := &socket{conn: conn, proto: p, name: name}
	e.sockets[s] = true
	return s, nil
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

func (e *Env) sockRequest(L *lua.LState) int {
	s := e.openSocket(L)
	L.Push(e.request(L, s, L.Get(2)))
	return 1
}

// request sends msg (a message table or bytes) on s and returns the list of
// replies; a kernel error is raised as an error value.
func (e *Env) request(L *lua.LState, s *socket, msg lua.LValue) *lua.LTable {
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
	return e.requestList(L, s, b)
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
