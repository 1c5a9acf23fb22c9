package genlmod

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// famSubscribe is f:subscribe(group [, opts]): an iterator over the
// family's notifications to that multicast group, decoded, and a function
// that closes the stream, as nl.events gives. opts: timeout (seconds of
// quiet that end the loop), rcvbuf (default engine.EventRcvBuf), backlog
// (bytes read ahead; default engine.ListenBacklog).
func (m *Module) famSubscribe(L *lua.LState) int {
	f := m.checkFamily(L, 1)
	b := m.famBound(L, f)
	group := L.CheckString(2)
	id, ok := b.GroupID(group)
	if !ok {
		var names []string
		for _, g := range b.Kernel.Groups {
			names = append(names, g.Name)
		}
		if len(names) == 0 {
			L.ArgError(2, fmt.Sprintf("%s has no multicast groups", b.Name))
		}
		L.ArgError(2, fmt.Sprintf("%s has no group '%s'%s; groups: %s", b.Name, group, luaarg.Suggestion(group, names), strings.Join(names, ", ")))
	}
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = f.g.ns
	cfg.Groups = []uint32{id}
	timeout, backlog := luaarg.EventOptions(L, 3, "subscribe", &cfg, nil)
	iter, closer := m.host.Events(L, "subscribe", b.Name+" "+group+" events", f.g.tab.Protocol(), cfg, timeout, backlog)
	L.Push(iter)
	L.Push(closer)
	return 2
}
