package iproute

import (
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ip.stats(cmd, spec): a link's statistics, as pyroute2's stats and `ip
// stats show`: RTM_GETSTATS with a filter_mask naming the groups to
// answer with (every one unless told: pyroute2's 31). get is one link's
// (RTM_NEWSTATS with IFLA_STATS_LINK_64…), dump every link's, filtered by
// the table's keys.

// The stats keys the builders read.
const (
	sIfindex = iota
	sMask
)

// statsAllGroups asks for IFLA_STATS_LINK_64 through IFLA_STATS_AF_SPEC.
const statsAllGroups = 31

// statsVerb is ip.stats's table.
var statsVerb = sync.OnceValue(func() *ipVerb {
	c := rtnl.StatsClass
	return newVerb("ip.stats", c, "IFLA_STATS_", []string{"get", "dump"},
		fieldKey(c, "ifindex", vIfindex, useAll, "the link, by index or name").also("index", "ifname", "dev"),
		fieldKey(c, "filter_mask", vInt, useAll, "the groups to answer with: bit n-1 for IFLA_STATS_* attribute n (31, all, unless given)"),
	)
})

// if_stats_msg's fields, by index.
var (
	statsIfindexField = fieldIndex(rtnl.StatsClass, "ifindex")
	statsMaskField    = fieldIndex(rtnl.StatsClass, "filter_mask")
)

// stats is ip.stats(cmd, spec).
func (i *ipInst) stats(L *lua.LState) int {
	v := statsVerb()
	cmd := verbCommand(L, v.name, v.cmds)
	k := v.keys
	if cmd == "dump" {
		c := i.getter(L, v, "ip.stats dump", L.Get(2))
		defer c.done()
		return c.list(c.statsFilter())
	}
	c := i.call(L, v, cmd, useGet)
	defer c.done()
	c.read(L.Get(2))
	if !c.has(k[sIfindex]) {
		c.fail("get needs the link: ifindex (or ifname)")
	}
	m := newMsg(rtnl.StatsClass, unix.RTM_GETSTATS, engine.NLM_F_REQUEST)
	c.statsHeader(m)
	m.setField(statsIfindexField, c.m.host.FromLua(c.value(k[sIfindex], c.get(k[sIfindex]))))
	c.applyRest(m, sMask+1)
	return c.ask(m)
}

// statsHeader sets the request's filter_mask: the call's, or every group.
func (c *ipCall) statsHeader(m *ipMsg) {
	mask := uint64(statsAllGroups)
	if k := c.verb.keys[sMask]; c.has(k) {
		if n, ok := c.value(k, c.get(k)).(lua.LNumber); ok {
			mask = uint64(n)
		}
	}
	m.setField(statsMaskField, mask)
}

// statsFilter builds the dump of every link's statistics and its filter.
func (c *ipCall) statsFilter() (*ipMsg, *ipFilter) {
	req := newMsg(rtnl.StatsClass, unix.RTM_GETSTATS, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	c.statsHeader(req)
	f := c.compileFilter(req, func(f *ipFilter, key *ipKey, want lua.LValue, _ *ipMsg) bool {
		_, isFn := want.(*lua.LFunction)
		switch key.index {
		case sMask:
			return !isFn // in the request
		case sIfindex:
			if !isFn {
				want = c.value(key, want)
			}
			f.compare(func(m *engine.Message) lua.LValue { return c.fieldValue(m, statsIfindexField) }, want, equal)
			return true
		}
		return false
	})
	return req, f
}
