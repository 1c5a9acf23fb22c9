package iproute

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ip.addr(cmd, spec), ip.addrs(filter).
//
// An address is one RTM_NEWADDR message: struct ifaddrmsg (family,
// prefixlen, flags, scope, index) and IFA_* attributes. IFA_LOCAL is the
// address of this host; IFA_ADDRESS is the prefix address, which is the
// same except on point-to-point links, where it is the peer. add, replace
// and del build what `ip addr add|replace|del` sends, attributes in its
// order.

// The address keys the builders read, by their place in addrVerb's table.
const (
	aIndex = iota
	aIfname
	aAddress
	aPrefixlen
	aLocal
	aLabel
	aFlags
	aBroadcast
	aScope
	aValid
	aPreferred
	aFamily
	aFriendly
)

// addrVerb is ip.addr's table.
var addrVerb = sync.OnceValue(func() *ipVerb {
	c := rtnl.AddrClass
	scope := fieldKey(c, "scope", vEnum, useAll, "universe (global), site, link, host or nowhere")
	scope.short = enumShort(rtnl.Scopes)
	scope.short["global"] = unix.RT_SCOPE_UNIVERSE
	v := newVerb("ip.addr", c, "IFA_", []string{"add", "replace", "del", "flush", "get", "dump"},
		fieldKey(c, "index", vIfindex, useAll, "the link, by index (or name)"),
		(&ipKey{name: "ifname", kind: vIfindex, field: 4, use: useAll, doc: "the link, by name"}).also("dev"),
		special("address", "address or prefix", useAll,
			"the address, with its length ('10.0.0.1/24') or without (IFA_ADDRESS, and IFA_LOCAL unless local is given); a filter matches either"),
		fieldKey(c, "prefixlen", vInt, useAll, "prefix length, when address does not say it"),
		attrKey(c, "local", "IFA_LOCAL", vAddr, useAll, "this host's address, when address is the peer's"),
		attrKey(c, "label", "IFA_LABEL", vString, useAll, "label ('v0:1')"),
		fieldKey(c, "flags", vFlags, useAll, "IFA_F_* names ('nodad', 'noprefixroute'…): in ifa_flags, or IFA_FLAGS when they do not fit; a filter matches when all are set"),
		attrKey(c, "broadcast", "IFA_BROADCAST", vAddr, useAll, "broadcast address; true computes it (every host bit set)"),
		scope,
		special("valid_lft", "seconds or 'forever'", useChange, "valid lifetime (IFA_CACHEINFO)"),
		special("preferred_lft", "seconds or 'forever'", useChange, "preferred lifetime (IFA_CACHEINFO); valid_lft's when absent"),
		fieldKey(c, "family", vFamily, useAll, "address family; the address says it when absent"),
	)
	v.hints = map[string]string{"mask": "'prefixlen'", "netmask": "'prefixlen'", "peer": "'address'",
		"brd": "'broadcast'", "valid": "'valid_lft'", "preferred": "'preferred_lft'", "ifindex": "'index'"}
	return v
})

// addrIndexField is ifaddrmsg's index field; addrFlagsAttr is IFA_FLAGS.
// Both are looked up on first use: looking them up indexes the
// descriptions, which start-up need not do.
var (
	addrIndexField = sync.OnceValue(func() int { i, _ := rtnl.AddrClass.Struct.FieldIndex("index"); return i })
	addrFlagsAttr  = sync.OnceValue(func() *engine.AttrDesc { return attrDesc(rtnl.AddrClass, "IFA_FLAGS") })
)

// forever is the kernel's "no expiry" lifetime.
const forever = 0xffffffff

// addr is ip.addr(cmd, spec).
func (i *ipInst) addr(L *lua.LState) int {
	v := addrVerb()
	cmd := verbCommand(L, v.name, v.cmds)
	switch cmd {
	case "dump":
		return i.addrList(L, "ip.addrs", L.Get(2))
	case "get":
		// IPv4 has no RTM_GETADDR for one address, so get is a filtered
		// dump: the first address matching spec, or nil.
		c := i.getter(L, v, "ip.addr get", L.Get(2))
		defer c.done()
		n := c.list(c.addrFilter())
		if !c.dry {
			list := L.Get(-1).(*lua.LTable)
			L.Pop(1)
			L.Push(list.RawGetInt(1))
		}
		return n
	case "flush":
		return i.addrFlush(L, L.Get(2))
	}
	c := i.call(L, v, cmd, useChange)
	defer c.done()
	c.read(L.Get(2))
	return c.send(c.addrChange())
}

// addrs is ip.addrs(filter).
func (i *ipInst) addrs(L *lua.LState) int { return i.addrList(L, "ip.addrs", L.Get(1)) }

// addrLink returns the link a spec names: index, or ifname/dev looked up.
func (c *ipCall) addrLink() lua.LValue {
	k := c.verb.keys
	for _, x := range [...]int{aIndex, aIfname} {
		if v := c.get(k[x]); v != lua.LNil {
			return c.value(k[x], v)
		}
	}
	return nil
}

// addrChange builds add, replace or del.
func (c *ipCall) addrChange() *ipMsg {
	h := c.m.host
	k := c.verb.keys
	if !c.has(k[aAddress]) {
		c.failCmd("give address")
	}
	idx := c.addrLink()
	if idx == nil {
		c.failCmd("give index (or ifname)")
	}
	spec := c.get(k[aAddress])
	addr, length, fam, given := c.prefix("address", spec)
	if p := c.get(k[aPrefixlen]); p != lua.LNil {
		n, ok := p.(lua.LNumber)
		if given && (!ok || int(n) != length) {
			c.fail("address '%s' and prefixlen %s disagree", spec.String(), p.String())
		}
		if ok {
			length, given = int(n), true
		}
	}
	var family lua.LValue = lua.LNumber(fam)
	if c.has(k[aFamily]) {
		family = c.value(k[aFamily], c.get(k[aFamily]))
	}
	typ := uint16(unix.RTM_NEWADDR)
	if c.cmd == "del" {
		typ = unix.RTM_DELADDR
	}
	flags := reqAck | engine.NLM_F_CREATE | engine.NLM_F_EXCL
	switch c.cmd {
	case "replace":
		flags = reqAck | engine.NLM_F_CREATE | engine.NLM_F_REPLACE
	case "del":
		flags = reqAck
	}
	m := c.msg(rtnl.AddrClass, typ, flags)
	m.setField(0, h.FromLua(family))
	m.setField(1, uint64(length))
	if p := c.get(k[aPrefixlen]); p != lua.LNil && !given {
		m.setField(1, h.FromLua(p))
	}
	var scope any = uint64(0)
	if c.has(k[aScope]) {
		scope = h.FromLua(c.value(k[aScope], c.get(k[aScope])))
	}
	m.setField(3, scope)
	m.setField(addrIndexField(), h.FromLua(idx))

	// IFA_LOCAL is this host's address; without local it is the address.
	local := or(c.get(k[aLocal]), lua.LString(addr))
	m.add(k[aLocal].attr, h.FromLua(local))
	if l := c.get(k[aLabel]); l != lua.LNil {
		m.add(k[aLabel].attr, h.FromLua(l))
	}
	// ifa_flags has 8 bits; larger flag sets go whole into IFA_FLAGS,
	// which the kernel then reads instead.
	if c.has(k[aFlags]) {
		f := c.value(k[aFlags], c.get(k[aFlags]))
		if n, ok := f.(lua.LNumber); ok && n > 0xff {
			m.add(addrFlagsAttr(), h.FromLua(f))
		} else {
			m.setField(2, h.FromLua(f))
		}
	}
	// IFA_ADDRESS is the prefix (or the peer, when local differs). To
	// delete an IPv4 address given without a length, leave it out: the
	// kernel then matches on IFA_LOCAL alone, whatever the prefix length.
	if !(c.cmd == "del" && int64(lua.LVAsNumber(family)) == unix.AF_INET && !given) {
		m.add(attrDesc(rtnl.AddrClass, "IFA_ADDRESS"), addr)
	}
	if b := c.get(k[aBroadcast]); truthy(b) && c.cmd != "del" {
		if int64(lua.LVAsNumber(family)) != unix.AF_INET {
			c.fail("broadcast is for IPv4 addresses")
		}
		// true asks for the usual one: every host bit set.
		if b == lua.LTrue {
			b = lua.LNil
			if brd, ok := ipv4Broadcast(lua.LVAsString(local), length); ok {
				b = lua.LString(brd)
			}
		}
		if b != lua.LNil {
			m.add(k[aBroadcast].attr, h.FromLua(b))
		}
	}
	// Lifetimes in seconds. A missing valid_lft means forever; a missing
	// preferred_lft follows valid_lft, since the kernel refuses an address
	// preferred for longer than it is valid.
	if c.has(k[aValid]) || c.has(k[aPreferred]) {
		valid := c.lifetime("valid_lft", c.get(k[aValid]))
		preferred := valid
		if c.has(k[aPreferred]) {
			preferred = c.lifetime("preferred_lft", c.get(k[aPreferred]))
		}
		m.add(attrDesc(rtnl.AddrClass, "IFA_CACHEINFO"), engine.Table{Map: map[string]any{
			"ifa_preferred": preferred, "ifa_valid": valid, "cstamp": uint64(0), "tstamp": uint64(0)}})
	}
	c.applyRest(m, aFriendly)
	return m
}

// lifetime reads seconds or 'forever' (nil is forever).
func (c *ipCall) lifetime(key string, v lua.LValue) any {
	switch x := v.(type) {
	case *lua.LNilType:
		return uint64(forever)
	case lua.LString:
		if x == "forever" {
			return uint64(forever)
		}
	case lua.LNumber:
		if x >= 0 {
			return c.m.host.FromLua(x)
		}
	}
	c.fail("%s: expected seconds or 'forever', got %s", key, v.String())
	return nil
}

// ipv4Broadcast computes the broadcast address of addr/length as
// iproute2's `brd +` does: the prefix with every host bit set (none for
// /31 and /32).
func ipv4Broadcast(addr string, length int) (string, bool) {
	if length > 30 {
		return "", false
	}
	parts := strings.Split(addr, ".")
	if len(parts) != 4 {
		return "", false
	}
	var n uint32
	for _, p := range parts {
		b, err := strconv.Atoi(p)
		if err != nil || b < 0 || b > 255 {
			return "", false
		}
		n = n<<8 | uint32(b)
	}
	n |= 1<<(32-length) - 1
	return fmt.Sprintf("%d.%d.%d.%d", n>>24, n>>16&0xff, n>>8&0xff, n&0xff), true
}

// addrList runs ip.addrs(filter): the kernel filters by index and family
// (a strict dump), the rest is tested here.
func (i *ipInst) addrList(L *lua.LState, name string, filter lua.LValue) int {
	c := i.getter(L, addrVerb(), name, filter)
	defer c.done()
	return c.list(c.addrFilter())
}

// addrFilter builds the dump request and the filter of an address getter.
func (c *ipCall) addrFilter() (*ipMsg, *ipFilter) {
	h := c.m.host
	req := newMsg(rtnl.AddrClass, unix.RTM_GETADDR, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	f := c.compileFilter(req, func(f *ipFilter, key *ipKey, want lua.LValue, req *ipMsg) bool {
		_, isFn := want.(*lua.LFunction)
		switch key.index {
		case aIndex, aIfname, aFamily:
			if isFn {
				return false
			}
			req.setField(key.field, h.FromLua(c.value(key, want)))
		case aAddress:
			// address matches either attribute, so a peer address is
			// found too; '10.0.0.1/24' also asks for that prefix length.
			addr, local := attrDesc(rtnl.AddrClass, "IFA_ADDRESS"), attrDesc(rtnl.AddrClass, "IFA_LOCAL")
			if isFn {
				f.test(func(m *engine.Message) bool {
					return c.calls(want, c.attrValue(m, addr)) || c.calls(want, c.attrValue(m, local))
				})
				return true
			}
			a, l, _, given := c.prefix("address", want)
			s := lua.LString(c.canonAddr("address", lua.LString(a)))
			f.test(func(m *engine.Message) bool {
				if given && c.fieldValue(m, 1) != lua.LNumber(l) {
					return false
				}
				return c.attrValue(m, addr) == s || c.attrValue(m, local) == s
			})
		case aFlags:
			// Bits in IFA_FLAGS when present (it holds all of them), else
			// ifa_flags.
			get := func(m *engine.Message) lua.LValue {
				if v := c.attrValue(m, addrFlagsAttr()); v != lua.LNil {
					return v
				}
				return c.fieldValue(m, 2)
			}
			if isFn {
				f.compare(get, want, nil)
				return true
			}
			bits, _ := c.flagsValue(key, want)
			w := uint64(bits.(lua.LNumber))
			f.test(func(m *engine.Message) bool {
				n, ok := get(m).(lua.LNumber)
				return ok && uint64(n)&w == w
			})
		default:
			return false
		}
		return true
	})
	return req, f
}

// addrFlush deletes every address ip.addrs(filter) finds, and returns
// those deleted (with dry, the messages it would send). Flushing a whole
// namespace would take its loopback address too: a filter must name the
// link or the label, as `ip addr flush` asks for a device.
func (i *ipInst) addrFlush(L *lua.LState, filter lua.LValue) int {
	c := i.getter(L, addrVerb(), "ip.addr flush", filter)
	defer c.done()
	k := c.verb.keys
	if _, ok := filter.(*lua.LTable); ok && !c.has(k[aIndex]) && !c.has(k[aIfname]) && !c.has(k[aLabel]) {
		c.fail("give index, ifname or label (and optionally family, address, scope…)")
	}
	dry := c.dry
	c.dry = false
	c.list(c.addrFilter())
	found := L.Get(-1).(*lua.LTable)
	L.Pop(1)
	// Deleting a primary IPv4 address also deletes its secondaries
	// (unless promote_secondaries is set), so some may be gone already.
	return c.flush(found, dry, unix.RTM_DELADDR, unix.EADDRNOTAVAIL, true, func(msg engine.Message, m *ipMsg) {
		p := rtnl.Route
		fv, _ := msg.Fields(p)
		for _, name := range []string{"family", "prefixlen", "scope", "index"} {
			fi, _ := rtnl.AddrClass.Struct.FieldIndex(name)
			m.setField(fi, fv.Values[fi])
		}
		for _, name := range []string{"IFA_LOCAL", "IFA_ADDRESS"} {
			if v, ok := msg.Get(p, name); ok {
				m.add(attrDesc(rtnl.AddrClass, name), v)
			}
		}
	}, false)
}
