package iproute

import (
	"errors"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ipInst is one instance of the ip module: the namespace its verbs work
// in, its socket (opened on first use) and, while ip.batch runs, the
// batch its changes join. Lua holds it as the userdata every function of
// the instance's table closes over.
type ipInst struct {
	m     *Module
	netns string // "" for nlsh's own namespace (the host's --netns)
	sock  Conn
	// batch queues a request while ip.batch runs (nil otherwise).
	batch func(*lua.LState, []byte) int
	bound map[string]*lua.LTable // ip.netns(name) of this instance, by name
	table *lua.LTable            // the instance's table of functions
	// lookupFn, when set, looks interface names up instead of the kernel
	// (tests that build messages without one).
	lookupFn func(L *lua.LState, name string) (int, bool)
	// each is set while ip.each's getter starts its call (each.go).
	each bool
}

// socket returns the instance's route socket, opening it on first use.
func (i *ipInst) socket(L *lua.LState) Conn {
	if i.sock != nil && !i.sock.Closed() {
		return i.sock
	}
	i.sock = i.m.host.Dial(L, i.netns)
	return i.sock
}

// close closes the instance's socket; the next call opens another.
func (i *ipInst) close() {
	if i.sock != nil {
		i.sock.Close()
		i.sock = nil
	}
}

// request sends b and returns the replies; a kernel error is raised as an
// error value carrying the replies before it.
func (i *ipInst) request(L *lua.LState, b []byte, o engine.RequestOptions) []engine.Message {
	msgs, err := i.socket(L).Request(i.m.host.Context(L), b, o)
	if err != nil {
		i.m.host.RaiseReplies(L, "request", err, msgs)
	}
	return msgs
}

// The getters' policy for dumps the kernel flags as interrupted by
// concurrent changes (NLM_F_DUMP_INTR): ask again, up to dumpTries times
// in all, waiting dumpBackoff, then twice as long each time, for the
// changes to settle; if every try was interrupted, return the last
// result with a warning on standard error, as iproute2 does ("Dump was
// interrupted and may be inconsistent."). A getter under constant churn
// then still answers, as `ip` does, rather than failing.
const (
	dumpTries   = 5
	dumpBackoff = 5 * time.Millisecond
)

// dump sends a dump request and returns every reply, under the policy
// above; a kernel error is returned, for the getter to judge.
func (i *ipInst) dump(L *lua.LState, b []byte, o engine.RequestOptions) ([]engine.Message, error) {
	h := i.m.host
	s := i.socket(L)
	ctx := h.Context(L)
	wait := dumpBackoff
	for try := 1; ; try++ {
		msgs, err := s.Request(ctx, b, o)
		if err == nil {
			return msgs, nil
		}
		if !errors.Is(err, engine.ErrDumpInterrupted) {
			return msgs, err
		}
		if try == dumpTries {
			op := "dump"
			var ne *engine.Error
			if errors.As(err, &ne) && ne.Op != "" {
				op = ne.Op + " dump"
			}
			i.m.warn("%s interrupted by concurrent changes (NLM_F_DUMP_INTR) %d times in a row: returning the last result, which may be inconsistent", op, dumpTries)
			return msgs, nil
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			L.RaiseError("interrupted")
		}
		wait *= 2
	}
}

// raiseDump raises a dump's error as the error value it is.
func (i *ipInst) raiseDump(L *lua.LState, err error, msgs []engine.Message) {
	i.m.host.RaiseReplies(L, "request", err, msgs)
}

// lookup returns the index of the link named name (an alternative name
// too), and false when there is none.
func (i *ipInst) lookup(L *lua.LState, name string) (int, bool) {
	if i.lookupFn != nil {
		return i.lookupFn(L, name)
	}
	// The kernel refuses names longer than it keeps (ERANGE) rather
	// than say there is none: 15 bytes, 127 for an alternative name.
	if len(name) == 0 || len(name) > 127 {
		return 0, false
	}
	attr := "IFLA_IFNAME"
	if len(name) > 15 {
		attr = "IFLA_ALT_IFNAME"
	}
	l, ok := i.getLink(L, -1, attr, name)
	if !ok {
		return 0, false
	}
	return l.index, true
}

// nameOf returns the name of the link with index idx.
func (i *ipInst) nameOf(L *lua.LState, idx int) (string, bool) {
	l, ok := i.getLink(L, idx, "", "")
	return l.name, ok
}

// linkID is what a link lookup returns.
type linkID struct {
	index int
	name  string
}

// getLink asks the kernel for one link, by index or by a name attribute;
// false when there is none (ENODEV).
func (i *ipInst) getLink(L *lua.LState, idx int, attr, name string) (linkID, bool) {
	c := rtnl.LinkClass
	vals := make([]any, len(c.Struct.Fields))
	r := &engine.Record{Class: c, Fields: &engine.StructValue{Desc: c.Struct, Values: vals}}
	if idx >= 0 {
		vals[linkIndexField] = int64(idx)
	}
	if attr != "" {
		d, _ := c.Attrs.ByName(attr)
		r.Attrs = []engine.Attr{{Type: d.Type, Desc: d, Value: name}}
	}
	b, err := engine.EncodeMessage(engine.Header{Type: unix.RTM_GETLINK, Flags: engine.NLM_F_REQUEST}, c, r)
	if err != nil {
		L.RaiseError("link lookup: %s", err.Error())
	}
	msgs, err := i.socket(L).Request(i.m.host.Context(L), b, engine.RequestOptions{})
	if err != nil {
		var ne *engine.Error
		if errors.As(err, &ne) && ne.Errno == unix.ENODEV {
			return linkID{}, false
		}
		i.m.host.RaiseReplies(L, "request", err, msgs)
	}
	for _, m := range msgs {
		if m.Header.Type != unix.RTM_NEWLINK {
			continue
		}
		fv, ok := m.Fields(rtnl.Route)
		if !ok {
			continue
		}
		idx, _ := fv.Values[linkIndexField].(int64)
		id := linkID{index: int(idx)}
		if v, ok := m.Get(rtnl.Route, "IFLA_IFNAME"); ok {
			id.name, _ = v.(string)
		}
		return id, true
	}
	return linkID{}, false
}

// ipMsg is a request a verb builds: its header, fields and attributes,
// in one allocation.
type ipMsg struct {
	h      engine.Header
	class  *engine.Class
	rec    engine.Record
	fields engine.StructValue
	vals   [12]any
	buf    [12]engine.Attr
}

// newMsg starts a request of class c, every field zero.
func newMsg(c *engine.Class, typ, flags uint16) *ipMsg {
	m := &ipMsg{}
	m.init(c, typ, flags)
	return m
}

// msg is newMsg for a request that lives no longer than the call: it is
// one the call's verb gave back before, which the call gives back when it
// is done.
func (c *ipCall) msg(cl *engine.Class, typ, flags uint16) *ipMsg {
	if c.each {
		return newMsg(cl, typ, flags) // its call is never done
	}
	var m *ipMsg
	if n := len(c.m.msgs); n > 0 {
		m, c.m.msgs = c.m.msgs[n-1], c.m.msgs[:n-1]
		*m = ipMsg{}
	} else {
		m = &ipMsg{}
	}
	m.init(cl, typ, flags)
	c.owned = append(c.owned, m)
	return m
}

// init starts m as a request of class c, every field zero; m is zero.
func (m *ipMsg) init(c *engine.Class, typ, flags uint16) {
	m.h, m.class = engine.Header{Type: typ, Flags: flags}, c
	n := 0
	if c.Struct != nil {
		n = len(c.Struct.Fields)
	}
	var vals []any
	if n <= len(m.vals) {
		vals = m.vals[:n]
	} else {
		vals = make([]any, n)
	}
	m.fields = engine.StructValue{Desc: c.Struct, Values: vals}
	m.rec = engine.Record{Class: c, Attrs: m.buf[:0]}
	if c.Struct != nil {
		m.rec.Fields = &m.fields
	}
}

// setField sets header field i.
func (m *ipMsg) setField(i int, v any) { m.fields.Values[i] = v }

// field is header field i's value as a number (0 when unset).
func (m *ipMsg) field(i int) uint64 { return toUint(m.fields.Values[i]) }

// add appends an attribute, with NLA_F_NESTED when its description asks
// for it. (A sub-message is given by the format it takes.)
func (m *ipMsg) add(d *engine.AttrDesc, v any) {
	var flags uint16
	if d.NestFlag {
		flags = engine.NLA_F_NESTED
	}
	m.rec.Attrs = append(m.rec.Attrs, engine.Attr{Type: d.Type, Flags: flags, Desc: d, Value: v})
}

// encode returns the request's bytes.
func (c *ipCall) encode(m *ipMsg) []byte {
	b, err := engine.EncodeMessage(m.h, m.class, &m.rec)
	if err != nil {
		c.fail("%s", err.Error())
	}
	return b
}

// msgTable is the request as the message table a script would have
// built: what dry returns.
func (c *ipCall) msgTable(m *ipMsg) *lua.LTable {
	return c.m.host.RequestTable(m.h, m.class, &m.rec)
}

// send sends a change and pushes what the verb returns: with dry the
// message unsent; inside ip.batch nothing (the request joins the batch);
// with echo the object the kernel made (NLM_F_ECHO); else nothing, as
// for an acknowledged change.
func (c *ipCall) send(m *ipMsg) int {
	L := c.L
	if c.echo {
		m.h.Flags |= engine.NLM_F_ECHO
	}
	if c.dry {
		L.Push(c.msgTable(m))
		return 1
	}
	// The request is encoded into the module's buffer: the batch and the
	// request both copy it at once.
	b, err := engine.AppendMessage(c.m.enc[:0], m.h, m.class, &m.rec)
	if err != nil {
		c.fail("%s", err.Error())
	}
	c.m.enc = b
	if c.inst.batch != nil {
		if c.echo {
			c.fail("echo is not available inside ip.batch")
		}
		c.inst.batch(L, b)
		return 0
	}
	msgs := c.inst.request(L, b, c.opts)
	if !c.echo {
		return 0
	}
	// The object itself: adding a root qdisc reports the deletion of the
	// one it replaces first, so the reply of the request's own type.
	h := c.m.host
	for _, r := range msgs {
		if r.Header.Type == m.h.Type {
			L.Push(h.Message(r))
			return 1
		}
	}
	if len(msgs) > 0 {
		L.Push(h.Message(msgs[0]))
		return 1
	}
	return 0
}

// ask sends a get request and pushes the one message it answers with (or
// with dry, the request).
func (c *ipCall) ask(m *ipMsg) int {
	L := c.L
	if c.dry {
		L.Push(c.msgTable(m))
		return 1
	}
	msgs := c.inst.request(L, c.encode(m), c.opts)
	h := c.m.host
	for _, r := range msgs {
		if r.Header.Type != engine.NLMSG_ERROR && r.Header.Type != engine.NLMSG_DONE {
			L.Push(h.Message(r))
			return 1
		}
	}
	L.Push(lua.LNil)
	return 1
}

// warn writes a warning line to standard error (where traces go).
func (m *Module) warn(format string, args ...any) { m.host.Warn(format, args...) }
