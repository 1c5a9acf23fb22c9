package lessons

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
