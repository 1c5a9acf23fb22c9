package luabind

import (
	"context"
	"fmt"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// What crosses between the learner's Env and a lesson's checker, and the
// lesson that changes links behind a dump's back.

// maxHandOverDepth bounds how deep handOver copies plain tables (a cycle
// would otherwise never end).
const maxHandOverDepth = 6

// handOver copies v from Env src to Env dst. Numbers, strings and booleans
// are values in both; a message becomes its bytes decoded in dst, so the
// check reads what was on (or would go on) the wire; an error value is
// copied field by field with kind = 'error'; a socket becomes a table of
// what the kernel says of it (kind = 'socket'); a plain table is copied;
// anything else is a table that names its kind.
func handOver(src, dst *Env, v lua.LValue, depth int) lua.LValue {
	L := dst.L
	switch x := v.(type) {
	case *lua.LNilType, lua.LBool, lua.LNumber, lua.LString:
		return v
	case *lua.LTable:
		if depth > maxHandOverDepth {
			return kindTable(L, "too deep")
		}
		if src.isMessage(x) {
			b, err := src.bytesOf(x)
			if err != nil {
				t := kindTable(L, "unencodable message")
				t.RawSetString("error", lua.LString(err.Error()))
				return t
			}
			list, err := dst.decodeWith(dst.route, b)
			if err != nil || list.Len() == 0 {
				return lua.LString(b)
			}
			return list.RawGetInt(1)
		}
		t := L.NewTable()
		x.ForEach(func(k, val lua.LValue) {
			switch k.(type) {
			case lua.LString, lua.LNumber:
				t.RawSet(k, handOver(src, dst, val, depth+1))
			}
		})
		if x.Metatable == src.errMeta {
			t.RawSetString("kind", lua.LString("error"))
		}
		return t
	case *lua.LUserData:
		if s, ok := x.Value.(*socket); ok {
			return socketState(L, s)
		}
		return kindTable(L, "userdata")
	case *lua.LFunction:
		return kindTable(L, "function")
	}
	return kindTable(L, v.Type().String())
}

func kindTable(L *lua.LState, kind string) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("kind", lua.LString(kind))
	return t
}

// socketState describes a socket as the kernel holds it: its port, the
// netlink options on it, the groups it joined and its receive buffer.
func socketState(L *lua.LState, s *socket) *lua.LTable {
	t := kindTable(L, "socket")
	t.RawSetString("protocol", lua.LString(s.name))
	t.RawSetString("netns", lua.LString(s.netns))
	if s.closed.Load() || s.conn == nil {
		t.RawSetString("closed", lua.LTrue)
		return t
	}
	t.RawSetString("port", lua.LNumber(s.conn.PortID()))
	for name, opt := range map[string]int{
		"cap_ack": unix.NETLINK_CAP_ACK, "ext_ack": unix.NETLINK_EXT_ACK,
		"strict": unix.NETLINK_GET_STRICT_CHK, "no_enobufs": unix.NETLINK_NO_ENOBUFS,
	} {
		if v, err := s.conn.Option(opt); err == nil {
			t.RawSetString(name, lua.LBool(v != 0))
		}
	}
	if n, err := s.conn.ReadBuffer(); err == nil {
		t.RawSetString("rcvbuf", lua.LNumber(n))
	}
	groups := L.NewTable()
	if gs, err := s.conn.Memberships(); err == nil {
		for _, g := range gs {
			groups.Append(lua.LNumber(g))
		}
	}
	t.RawSetString("groups", groups)
	return t
}

// dumpInterrupter plays the other program of the NLM_F_DUMP_INTR lesson:
// when the learner's socket has read the first datagram of a link dump,
// it adds a link to the namespace, so the kernel flags what it writes
// next. It also keeps the flagged messages the kernel sent, so the check
// can tell one handed over from one made up. It runs in the socket's tap,
// on whichever goroutine receives.
type dumpInterrupter struct {
	ns string

	mu      sync.Mutex
	seen    map[[2]uint32]bool // dumps (port, seq) already interrupted
	added   []string
	flagged [][]byte
}

// maxFlagged bounds the flagged messages kept.
const maxFlagged = 512

// onReceive looks at a datagram the learner's socket received.
func (d *dumpInterrupter) onReceive(data []byte) {
	msgs, _ := engine.Split(data)
	if len(msgs) == 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range msgs {
		if msgs[i].Header.Flags&engine.NLM_F_DUMP_INTR != 0 && len(d.flagged) < maxFlagged {
			d.flagged = append(d.flagged, append([]byte(nil), msgs[i].Bytes()...))
		}
	}
	h := msgs[0].Header
	key := [2]uint32{h.PID, h.Seq}
	if h.Type != unix.RTM_NEWLINK || h.Flags&engine.NLM_F_MULTI == 0 || d.seen[key] {
		return
	}
	if d.seen == nil {
		d.seen = map[[2]uint32]bool{}
	}
	d.seen[key] = true
	name := fmt.Sprintf("intr%d", len(d.added)+1)
	if err := addBridge(d.ns, name); err == nil {
		d.added = append(d.added, name)
	}
}

// addBridge creates a bridge called name in namespace ns.
func addBridge(ns, name string) error {
	pair := func(k string, v any) engine.Table { return engine.Table{List: []any{k, v}} }
	req, err := engine.EncodeMessage(engine.Header{Type: unix.RTM_NEWLINK,
		Flags: engine.NLM_F_REQUEST | engine.NLM_F_ACK | engine.NLM_F_CREATE | engine.NLM_F_EXCL},
		rtnl.LinkClass, engine.Table{Map: map[string]any{"attrs": engine.Table{List: []any{
			pair("IFLA_IFNAME", name),
			pair("IFLA_LINKINFO", engine.Table{List: []any{pair("IFLA_INFO_KIND", "bridge")}}),
		}}}})
	if err != nil {
		return err
	}
	c, err := engine.Dial(unix.NETLINK_ROUTE, engine.ConnConfig{NetNS: ns, ExtAck: true})
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = c.Request(ctx, rtnl.Route, req)
	return err
}

// flaggedList is the flagged messages' bytes, as a Lua list.
func (d *dumpInterrupter) flaggedList(L *lua.LState) *lua.LTable {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := L.NewTable()
	for _, b := range d.flagged {
		t.Append(lua.LString(b))
	}
	return t
}

// addedList is the names of the links added, as a Lua list.
func (d *dumpInterrupter) addedList(L *lua.LState) *lua.LTable {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := L.NewTable()
	for _, n := range d.added {
		t.Append(lua.LString(n))
	}
	return t
}
