package genlmod

import (
	"context"
	"errors"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// stubHost opens sockets that are only counted: what the namespace state
// does with them is what is tested here; calls go through luabind's tests.
type stubHost struct {
	netns string
	conns []*stubConn
}

func (h *stubHost) NetNS() string                                             { return h.netns }
func (h *stubHost) FromLua(v lua.LValue, depth int) any                       { return nil }
func (h *stubHost) ToLua(v any) lua.LValue                                    { return lua.LNil }
func (h *stubHost) Messages(*engine.Protocol, []engine.Message) *lua.LTable   { return nil }
func (h *stubHost) RequestTable(*engine.Protocol, engine.Message) *lua.LTable { return nil }
func (h *stubHost) Raise(L *lua.LState, op string, err error, p *engine.Protocol) {
	L.RaiseError("%s: %s", op, err)
}
func (h *stubHost) RaiseReplies(L *lua.LState, op string, err error, p *engine.Protocol, _ []engine.Message) {
	h.Raise(L, op, err, p)
}
func (h *stubHost) Context(*lua.LState) context.Context { return context.Background() }

func (h *stubHost) Dial(ns string, p *engine.Protocol) (Conn, error) {
	c := &stubConn{ns: ns}
	h.conns = append(h.conns, c)
	return c, nil
}

func (h *stubHost) DialUntraced(string, *engine.Protocol) (*engine.Conn, error) {
	return nil, errors.New("no kernel here")
}

func (h *stubHost) Events(*lua.LState, string, string, *engine.Protocol, engine.ConnConfig, time.Duration, int) (*lua.LFunction, *lua.LFunction) {
	return nil, nil
}

type stubConn struct {
	ns            string
	ended, closed int
}

func (c *stubConn) Request(context.Context, *engine.Protocol, []byte) ([]engine.Message, error) {
	return nil, errors.New("no kernel here")
}

func (c *stubConn) RequestWith(context.Context, *engine.Protocol, []byte, engine.RequestOptions) ([]engine.Message, error) {
	return nil, errors.New("no kernel here")
}

func (c *stubConn) Each(*lua.LState, []byte, string, engine.RequestOptions) *lua.LFunction {
	return nil
}
func (c *stubConn) EndStream()   { c.ended++ }
func (c *stubConn) Closed() bool { return c.closed > 0 }
func (c *stubConn) Close()       { c.closed++ }

// The default namespace is the host's at each call (a lesson moves it),
// each namespace has its own family table and socket, reused until
// Forget closes it with the namespace.
func TestNamespaces(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	h := &stubHost{}
	m := New(h, L, nil)
	own := m.Families("")
	if m.Families("") != own {
		t.Fatal("the default namespace's table changed between calls")
	}
	h.netns = "lesson"
	if m.Families("") == own || m.Families("") != m.Families("lesson") {
		t.Fatal("the default namespace does not follow the host's")
	}
	g := m.namespaceOf("lesson")
	for range 2 {
		if _, err := m.conn(g); err != nil {
			t.Fatal(err)
		}
	}
	if len(h.conns) != 1 || h.conns[0].ns != "lesson" || h.conns[0].ended != 1 {
		t.Fatalf("sockets %+v: want one in lesson, its stream ended on reuse", h.conns)
	}
	m.Forget("lesson")
	if h.conns[0].closed != 1 {
		t.Fatal("Forget left the namespace's socket open")
	}
	if m.Families("lesson") == g.tab {
		t.Fatal("Forget kept the namespace's families")
	}
}

// Help and completion ask about any value: only family objects are ones.
func TestNotAFamily(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	m := New(&stubHost{}, L, nil)
	for _, v := range []lua.LValue{lua.LNil, lua.LString("ethtool"), L.NewTable(), L.NewUserData()} {
		if _, ok := m.Keys(v, false); ok {
			t.Errorf("Keys(%s) is a family's", v.Type())
		}
		if _, ok := m.FamilyBound(v, time.Millisecond); ok {
			t.Errorf("FamilyBound(%s) is a family's", v.Type())
		}
	}
	f := m.newFamily(L, m.namespaceOf(""), "ethtool")
	names, ok := m.Keys(f, true)
	if !ok || len(names) != countKeys(m.Methods()) {
		t.Errorf("Keys(family, methods) = %v, %v", names, ok)
	}
}

func countKeys(t *lua.LTable) int {
	n := 0
	t.ForEach(func(lua.LValue, lua.LValue) { n++ })
	return n
}
