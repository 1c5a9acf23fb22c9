package iproute

import (
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ip.brport(cmd, spec): a bridge port's settings, as `bridge link` and
// pyroute2's brport(). set is RTM_SETLINK of family AF_BRIDGE with the
// IFLA_BRPORT_* attributes nested in IFLA_PROTINFO; dump (show) lists the
// bridge ports with theirs; get is one port's.

// The brport keys the builders read.
const (
	bIndex = iota
	bFriendly
)

// brportVerb is ip.brport's table: the link, and a key per IFLA_BRPORT_*
// attribute (cost for IFLA_BRPORT_COST).
var brportVerb = sync.OnceValue(func() *ipVerb {
	c := rtnl.LinkClass
	set := brportSet()
	return newVerbSet("ip.brport", c, set, set.Prefix, []string{"set", "get", "dump"},
		fieldKey(c, "index", vIfindex, useAll, "the port, by index or name").also("ifindex", "ifname", "dev"),
	)
})

// brportSet is IFLA_PROTINFO's set in AF_BRIDGE messages: IFLA_BRPORT_*.
func brportSet() *engine.AttrSet {
	return attrDesc(rtnl.LinkClass, "IFLA_PROTINFO").Sub.Formats["AF_BRIDGE"].Set
}

// brport is ip.brport(cmd, spec).
func (i *ipInst) brport(L *lua.LState) int {
	v := brportVerb()
	cmd := verbCommand(L, v.name, v.cmds)
	if cmd != "set" {
		c := i.getter(L, v, "ip.brport "+cmd, L.Get(2))
		defer c.done()
		n := c.list(c.brportFilter())
		if cmd == "get" && !c.dry {
			list := L.Get(-1).(*lua.LTable)
			L.Pop(1)
			L.Push(list.RawGetInt(1))
		}
		return n
	}
	c := i.call(L, v, cmd, useChange)
	defer c.done()
	c.read(L.Get(2))
	h := c.m.host
	k := v.keys
	if !c.has(k[bIndex]) {
		c.fail("give the port as index or ifname")
	}
	m := newMsg(rtnl.LinkClass, unix.RTM_SETLINK, reqAck)
	m.setField(linkFamilyField, uint64(unix.AF_BRIDGE))
	m.setField(linkIndexField, h.FromLua(c.value(k[bIndex], c.get(k[bIndex]))))
	var attrs []any
	for _, j := range sortedInts(c.set) {
		key := k[j]
		if j < bFriendly || key.attr == nil {
			continue
		}
		if val := c.value(key, c.vals[j]); val != nil {
			attrs = append(attrs, pair(key.attr.Name, h.FromLua(val)))
		}
	}
	for _, r := range c.sortedRaw() {
		attrs = append(attrs, pair(r.d.Name, h.FromLua(r.v)))
	}
	m.add(attrDesc(rtnl.LinkClass, "IFLA_PROTINFO").Sub.Formats["AF_BRIDGE"], engine.Table{List: attrs})
	return c.send(m)
}

// brportFilter builds the dump of bridge ports (RTM_GETLINK of family
// AF_BRIDGE) and its filter: the port's index, and IFLA_BRPORT_* values
// inside IFLA_PROTINFO.
func (c *ipCall) brportFilter() (*ipMsg, *ipFilter) {
	h := c.m.host
	req := newMsg(rtnl.LinkClass, unix.RTM_GETLINK, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	req.setField(linkFamilyField, uint64(unix.AF_BRIDGE))
	f := c.compileFilter(req, func(f *ipFilter, key *ipKey, want lua.LValue, _ *ipMsg) bool {
		if key.index == bIndex {
			get := func(m *engine.Message) lua.LValue { return c.fieldValue(m, linkIndexField) }
			if _, isFn := want.(*lua.LFunction); !isFn {
				want = c.value(key, want)
			}
			f.compare(get, want, equal)
			return true
		}
		if key.attr == nil {
			return false
		}
		path := []string{"IFLA_PROTINFO", key.attr.Name}
		get := func(m *engine.Message) lua.LValue {
			if v := m.Lookup(rtnl.Route, path, true); len(v) > 0 {
				return h.ToLua(v[0])
			}
			return lua.LNil
		}
		if _, isFn := want.(*lua.LFunction); isFn {
			f.compare(get, want, nil)
		} else {
			f.compare(get, c.value(key, want), equal)
		}
		return true
	})
	return req, f
}
