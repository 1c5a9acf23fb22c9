package luabind

import (
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// What crosses between the learner's Env and a lesson's checker.

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
