package iproute

import (
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ip.neigh(cmd, spec), ip.neighs(filter), and ip.fdb(cmd, spec) for
// bridge forwarding-database entries.
//
// A neighbour is one RTM_NEWNEIGH message: struct ndmsg (family, ifindex,
// state, flags, ndm_type) and NDA_* attributes. ARP and NDP entries map an
// IP address (NDA_DST) to a link-layer address (NDA_LLADDR); bridge FDB
// entries (family AF_BRIDGE) map a MAC address to a bridge port.

// The neighbour keys the builders read, by their place in neighVerb's table.
const (
	nDst = iota
	nLladdr
	nIfindex
	nState
	nFlags
	nFamily
	nProxy
	nMaster
	nVlan
	nPort
	nVni
	nFriendly
)

// ndmsg's fields, by index.
var (
	ndmFamily  = fieldIndex(rtnl.NeighClass, "family")
	ndmIfindex = fieldIndex(rtnl.NeighClass, "ifindex")
	ndmState   = fieldIndex(rtnl.NeighClass, "state")
	ndmFlags   = fieldIndex(rtnl.NeighClass, "flags")
)

// neighVerb is ip.neigh's table.
var neighVerb = sync.OnceValue(func() *ipVerb {
	c := rtnl.NeighClass
	flags := fieldKey(c, "flags", vFlags, useAll, "NTF_* names ('self', 'master', 'router'…); a filter matches when all are set")
	flags.short = enumShort(flags.enum)
	flags.short["extern_learn"] = unix.NTF_EXT_LEARNED
	v := newVerb("ip.neigh", c, "NDA_", []string{"add", "replace", "del", "get", "dump", "flush"},
		attrKey(c, "dst", "NDA_DST", vAddr, useAll, "the neighbour's IP address; a VXLAN FDB entry's remote"),
		attrKey(c, "lladdr", "NDA_LLADDR", vMAC, useAll, "link-layer address"),
		fieldKey(c, "ifindex", vIfindex, useAll, "the link (a bridge port for FDB entries)").also("index", "ifname", "dev"),
		fieldKey(c, "state", vFlags, useAll, "NUD_* state ('permanent' unless given; 'reachable', 'stale', 'noarp'…); a filter matches when all its bits are set").also("nud"),
		flags,
		fieldKey(c, "family", vFamily, useAll, "AF_INET, AF_INET6, or AF_BRIDGE for FDB entries; dst (or lladdr alone) says it when absent"),
		special("proxy", "boolean", useAll, "a proxy entry (NTF_PROXY)"),
		special("master", "boolean; in get and filters also an interface", useAll, "NTF_MASTER: the bridge above the port holds the entry; in get and filters, the bridge (NDA_MASTER)"),
		attrKey(c, "vlan", "NDA_VLAN", vInt, useAll, "VLAN of an FDB entry"),
		attrKey(c, "port", "NDA_PORT", vInt, useAll, "UDP port of a VXLAN FDB entry"),
		attrKey(c, "vni", "NDA_VNI", vInt, useAll, "VNI of a VXLAN FDB entry"),
	)
	v.hints = map[string]string{"mac": "'lladdr'", "address": "'dst'", "addr": "'dst'", "ip": "'dst'", "vid": "'vlan'"}
	return v
})

// neigh is ip.neigh(cmd, spec).
func (i *ipInst) neigh(L *lua.LState) int { return i.neighVerbFn(L, false) }

// fdb is ip.fdb(cmd, spec): ip.neigh with family AF_BRIDGE, as pyroute2's
// fdb().
func (i *ipInst) fdb(L *lua.LState) int { return i.neighVerbFn(L, true) }

func (i *ipInst) neighVerbFn(L *lua.LState, fdb bool) int {
	v := neighVerb()
	cmd := verbCommand(L, v.name, v.cmds)
	switch cmd {
	case "dump":
		return i.neighList(L, "ip.neighs", L.Get(2), fdb)
	case "flush":
		return i.neighFlush(L, L.Get(2))
	}
	use := useChange
	if cmd == "get" {
		use = useGet
	}
	c := i.call(L, v, cmd, use)
	defer c.done()
	c.read(L.Get(2))
	if fdb {
		c.fdbFamily()
	}
	if cmd == "get" {
		return c.ask(c.neighQuery())
	}
	m := c.neighEntry()
	if !c.echo || c.dry || cmd == "del" {
		return c.send(m)
	}
	if i.batch != nil {
		c.fail("echo is not available inside ip.batch")
	}
	// The kernel's neighbour code ignores NLM_F_ECHO (its notifications do
	// not carry the request), so echo reads the entry back instead.
	c.echo = false
	c.send(m)
	if m.field(ndmFamily) == unix.AF_BRIDGE {
		k := c.verb.keys
		f := L.NewTable()
		f.RawSetString("family", lua.LNumber(unix.AF_BRIDGE))
		f.RawSetString("ifindex", lua.LNumber(m.field(ndmIfindex)))
		for _, x := range [...]int{nLladdr, nVlan, nDst} {
			if v := c.get(k[x]); v != lua.LNil {
				f.RawSetString(k[x].name, v)
			}
		}
		i.neighList(L, "ip.neighs", f, false)
		L.Push(L.Get(-1).(*lua.LTable).RawGetInt(1))
		return 1
	}
	return c.ask(c.neighQuery())
}

// fdbFamily makes AF_BRIDGE the family when the spec gives none.
func (c *ipCall) fdbFamily() {
	k := c.verb.keys[nFamily]
	if !c.has(k) {
		c.vals[nFamily] = lua.LNumber(unix.AF_BRIDGE)
		c.set = append(c.set, nFamily)
	}
}

// neighs is ip.neighs(filter).
func (i *ipInst) neighs(L *lua.LState) int { return i.neighList(L, "ip.neighs", L.Get(1), false) }

// neighFamily is the spec's family, else inferred: from dst for ARP/NDP
// entries, and AF_BRIDGE for an entry that has only a MAC address.
func (c *ipCall) neighFamily() lua.LNumber {
	k := c.verb.keys
	if c.has(k[nFamily]) {
		return c.value(k[nFamily], c.get(k[nFamily])).(lua.LNumber)
	}
	if d, ok := c.get(k[nDst]).(lua.LString); ok {
		return lua.LNumber(addrFamily(string(d)))
	}
	if c.has(k[nLladdr]) {
		return unix.AF_BRIDGE
	}
	return unix.AF_UNSPEC
}

// neighBits returns a flags key's bits, 0 when absent.
func (c *ipCall) neighBits(x int) uint64 {
	k := c.verb.keys[x]
	if !c.has(k) {
		return 0
	}
	set, _ := c.flagsValue(k, c.get(k))
	return uint64(set.(lua.LNumber))
}

// neighEntry builds the RTM_NEWNEIGH or RTM_DELNEIGH message of add,
// replace and del, with iproute2's defaults and attribute order.
func (c *ipCall) neighEntry() *ipMsg {
	h := c.m.host
	k := c.verb.keys
	fam := c.neighFamily()
	if !c.has(k[nIfindex]) {
		c.failCmd("give index (or ifname)")
	}
	idx := c.value(k[nIfindex], c.get(k[nIfindex]))
	state, stateGiven := c.neighBits(nState), c.has(k[nState])
	flags := c.neighBits(nFlags)
	if c.truthy(k[nProxy]) {
		flags |= unix.NTF_PROXY
	}
	if c.truthy(k[nMaster]) {
		flags |= unix.NTF_MASTER
	}
	typ, hflags := uint16(unix.RTM_NEWNEIGH), reqAck|engine.NLM_F_CREATE|engine.NLM_F_EXCL
	switch c.cmd {
	case "replace":
		hflags = reqAck | engine.NLM_F_CREATE | engine.NLM_F_REPLACE
	case "del":
		typ, hflags = unix.RTM_DELNEIGH, reqAck
	}
	m := c.msg(rtnl.NeighClass, typ, hflags)
	m.setField(ndmFamily, h.FromLua(fam))
	m.setField(ndmIfindex, h.FromLua(idx))
	if fam == unix.AF_BRIDGE {
		// As `bridge fdb` and pyroute2's fdb(): an FDB entry is always
		// NOARP, permanent unless said reachable, and goes to the port
		// itself (self) unless master asks the bridge above it to hold it.
		state |= unix.NUD_NOARP
		if state&(unix.NUD_PERMANENT|unix.NUD_REACHABLE) == 0 {
			state |= unix.NUD_PERMANENT
		}
		if flags&(unix.NTF_SELF|unix.NTF_MASTER) == 0 {
			flags |= unix.NTF_SELF
		}
		stateGiven = true
		if !c.has(k[nLladdr]) {
			c.failCmd("a bridge FDB entry needs lladdr")
		}
		m.add(k[nLladdr].attr, h.FromLua(c.get(k[nLladdr])))
		// dst, port and vni address the remote end of a VXLAN entry.
		for _, x := range [...]int{nDst, nVlan, nPort, nVni} {
			if v := c.get(k[x]); v != lua.LNil {
				m.add(k[x].attr, h.FromLua(v))
			}
		}
	} else {
		// An ARP or NDP entry: permanent unless said otherwise, as in iproute2.
		if !c.has(k[nDst]) {
			c.failCmd("give dst")
		}
		m.add(k[nDst].attr, h.FromLua(c.get(k[nDst])))
		if v := c.get(k[nLladdr]); v != lua.LNil {
			m.add(k[nLladdr].attr, h.FromLua(v))
		}
		if c.has(k[nVlan]) || c.has(k[nPort]) || c.has(k[nVni]) {
			c.fail("vlan, port and vni are for bridge FDB entries (family AF_BRIDGE)")
		}
	}
	if !stateGiven {
		state = unix.NUD_PERMANENT
	}
	m.setField(ndmState, state)
	m.setField(ndmFlags, flags)
	c.applyRest(m, nFriendly)
	return m
}

// neighQuery builds the RTM_GETNEIGH message that asks for one entry: the
// kernel wants the link and NDA_DST (NTF_PROXY for a proxy entry), or for
// FDB entries NDA_LLADDR with the port or the bridge (NDA_MASTER).
func (c *ipCall) neighQuery() *ipMsg {
	h := c.m.host
	k := c.verb.keys
	fam := c.neighFamily()
	m := newMsg(rtnl.NeighClass, unix.RTM_GETNEIGH, engine.NLM_F_REQUEST)
	m.setField(ndmFamily, h.FromLua(fam))
	if c.has(k[nIfindex]) {
		m.setField(ndmIfindex, h.FromLua(c.value(k[nIfindex], c.get(k[nIfindex]))))
	}
	flags := c.neighBits(nFlags)
	if c.truthy(k[nProxy]) {
		flags |= unix.NTF_PROXY
	}
	master := c.get(k[nMaster])
	if truthy(master) {
		flags |= unix.NTF_MASTER
	}
	if fam == unix.AF_BRIDGE {
		if !c.has(k[nLladdr]) {
			c.fail("a bridge FDB entry needs lladdr")
		}
		m.add(k[nLladdr].attr, h.FromLua(c.get(k[nLladdr])))
		if v := c.get(k[nVlan]); v != lua.LNil {
			m.add(k[nVlan].attr, h.FromLua(v))
		}
		// master='br0' names the bridge instead of a port.
		if truthy(master) && master != lua.LTrue {
			m.add(attrDesc(rtnl.NeighClass, "NDA_MASTER"), h.FromLua(c.ifindex("master", master)))
			flags &^= unix.NTF_MASTER
		}
	} else {
		if !c.has(k[nDst]) {
			c.fail("give dst")
		}
		m.add(k[nDst].attr, h.FromLua(c.get(k[nDst])))
	}
	m.setField(ndmFlags, flags)
	c.applyRest(m, nFriendly)
	return m
}

// neighList runs ip.neighs(filter): every ARP and NDP entry (family
// AF_BRIDGE for the FDB, proxy=true for proxy entries), or those matching
// filter. The kernel filters by family, link (NDA_IFINDEX; the port for FDB
// entries), master bridge (NDA_MASTER) and proxy; the rest is tested here.
func (i *ipInst) neighList(L *lua.LState, name string, filter lua.LValue, fdb bool) int {
	c := i.getter(L, neighVerb(), name, filter)
	defer c.done()
	if fdb {
		c.fdbFamily()
	}
	return c.list(c.neighFilter())
}

// neighFilter builds the dump request and the filter of a neighbour getter.
func (c *ipCall) neighFilter() (*ipMsg, *ipFilter) {
	h := c.m.host
	k := c.verb.keys
	req := newMsg(rtnl.NeighClass, unix.RTM_GETNEIGH, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	if c.has(k[nFamily]) {
		if _, isFn := c.get(k[nFamily]).(*lua.LFunction); !isFn {
			req.setField(ndmFamily, h.FromLua(c.value(k[nFamily], c.get(k[nFamily]))))
		}
	}
	f := c.compileFilter(req, func(f *ipFilter, key *ipKey, want lua.LValue, req *ipMsg) bool {
		_, isFn := want.(*lua.LFunction)
		switch key.index {
		case nFamily:
			return !isFn
		case nIfindex:
			if isFn {
				return false
			}
			idx := h.FromLua(c.value(key, want))
			// FDB dumps take the port in the header (as `bridge fdb show
			// dev`); neighbour dumps refuse that and take NDA_IFINDEX.
			if req.field(ndmFamily) == unix.AF_BRIDGE {
				req.setField(ndmIfindex, idx)
			} else {
				req.add(attrDesc(rtnl.NeighClass, "NDA_IFINDEX"), idx)
			}
		case nMaster:
			if isFn {
				return false
			}
			req.add(attrDesc(rtnl.NeighClass, "NDA_MASTER"), h.FromLua(c.ifindex("master", want)))
		case nProxy:
			// Proxy entries live in their own table, dumped when NTF_PROXY
			// is set.
			if truthy(want) {
				req.setField(ndmFlags, uint64(unix.NTF_PROXY))
			}
		case nState:
			if isFn {
				return false
			}
			// state matches when every bit asked for is set ('permanent'
			// finds FDB entries, which are NOARP|PERMANENT); 'none' wants
			// no bit at all.
			bits, _ := c.flagsValue(key, want)
			w := uint64(bits.(lua.LNumber))
			f.test(func(m *engine.Message) bool {
				s := uint64(lua.LVAsNumber(c.fieldValue(m, ndmState)))
				if w == 0 {
					return s == 0
				}
				return s&w == w
			})
		default:
			return false
		}
		return true
	})
	return req, f
}

// neighFlush deletes the ARP and NDP entries matching filter (as
// ip.neighs takes it), returning those deleted; with dry, the
// RTM_DELNEIGH messages it would send.
func (i *ipInst) neighFlush(L *lua.LState, filter lua.LValue) int {
	c := i.getter(L, neighVerb(), "ip.neigh flush", filter)
	defer c.done()
	k := c.verb.keys
	if !c.has(k[nIfindex]) {
		c.fail("give index or ifname")
	}
	if c.has(k[nFamily]) && c.get(k[nFamily]) == lua.LNumber(unix.AF_BRIDGE) {
		c.fail("FDB entries are not flushed here; delete them with ip.fdb('del', …)")
	}
	dry := c.dry
	c.dry = false
	c.list(c.neighFilter())
	found := L.Get(-1).(*lua.LTable)
	L.Pop(1)
	// An entry may go away by itself meanwhile (garbage collection).
	return c.flush(found, dry, unix.RTM_DELNEIGH, unix.ENOENT, false, func(msg engine.Message, m *ipMsg) {
		p := rtnl.Route
		fv, _ := msg.Fields(p)
		m.setField(ndmFamily, fv.Values[ndmFamily])
		m.setField(ndmIfindex, fv.Values[ndmIfindex])
		m.setField(ndmFlags, toUint(fv.Values[ndmFlags])&unix.NTF_PROXY)
		if v, ok := msg.Get(p, "NDA_DST"); ok {
			m.add(attrDesc(rtnl.NeighClass, "NDA_DST"), v)
		}
	}, false)
}
