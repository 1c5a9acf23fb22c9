package iproute

import (
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ip.ntables(filter): the neighbour tables (arp_cache, ndisc_cache) with
// their parameters and statistics, as pyroute2's get_ntables and
// `ip ntable show`: one message for each table and one for each device's
// parameters of it (NDTA_PARMS with NDTPA_IFINDEX).

// ntableVerb is ip.ntables's table: ndtmsg's family and a key per NDTA_*
// attribute (name for NDTA_NAME).
var ntableVerb = sync.OnceValue(func() *ipVerb {
	c := rtnl.NeighTblClass
	return newVerb("ip.ntables", c, "NDTA_", []string{"dump"},
		fieldKey(c, "family", vFamily, useFilter, "AF_INET (arp_cache) or AF_INET6 (ndisc_cache); the kernel filters by it"),
	)
})

// ntableFamilyField is ndtmsg's family, looked up on first use.
var ntableFamilyField = sync.OnceValue(func() int { return fieldIndex(rtnl.NeighTblClass, "family") })

// ntables is ip.ntables(filter).
func (i *ipInst) ntables(L *lua.LState) int {
	c := i.getter(L, ntableVerb(), "ip.ntables", L.Get(1))
	defer c.done()
	h := c.m.host
	req := newMsg(rtnl.NeighTblClass, unix.RTM_GETNEIGHTBL, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	f := c.compileFilter(req, func(f *ipFilter, key *ipKey, want lua.LValue, req *ipMsg) bool {
		if key.field != ntableFamilyField() {
			return false
		}
		if _, isFn := want.(*lua.LFunction); isFn {
			return false
		}
		fam := c.value(key, want)
		req.setField(ntableFamilyField(), h.FromLua(fam))
		f.compare(func(m *engine.Message) lua.LValue { return c.fieldValue(m, ntableFamilyField()) }, fam, equal)
		return true
	})
	return c.list(req, f)
}
