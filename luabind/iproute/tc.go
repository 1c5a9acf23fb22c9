package iproute

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ip.tc(cmd, kind, spec), ip.qdiscs(filter), ip.classes(filter),
// ip.filters(filter), ip.tc_handle(h).
//
// Qdiscs, classes and filters are all one tcmsg:
//
//	index    the device
//	handle   the object's own handle: '1:' for a qdisc, '1:10' for a class,
//	         the u32 node ('800::800') for a filter
//	parent   where it hangs: 'root', a qdisc '1:' or a class '1:1'
//	info     filters only: priority << 16 | protocol (network byte order)
//
// and attributes TCA_KIND ('htb', 'u32', …) and TCA_OPTIONS, whose content
// depends on the kind (tc_kinds.go). The commands follow pyroute2's
// IPRoute.tc:
//
//	'add' 'replace' 'change' 'del'                             qdiscs
//	'add-class' 'replace-class' 'change-class' 'del-class'     classes
//	'add-filter' 'replace-filter' 'change-filter' 'del-filter' filters
//
// and every message is the one `tc qdisc|class|filter add …` sends. A kind
// ip.tc does not describe is sent by name, with options = {…} as its
// TCA_OPTIONS: the kernel says whether it has it.

// The tc keys the builders read, by their place in tcVerb's table.
const (
	tIndex = iota
	tKind
	tHandle
	tParent
	tClassid
	tPrio
	tProtocol
	tOptions
	tFriendly
)

// tcmsg's fields, by index.
var (
	tcIndexField  = fieldIndex(rtnl.TcClass, "index")
	tcHandleField = fieldIndex(rtnl.TcClass, "handle")
	tcParentField = fieldIndex(rtnl.TcClass, "parent")
	tcInfoField   = fieldIndex(rtnl.TcClass, "info")
)

// tcCore are the tc keys a kind's keys of the same name never hide.
var tcCore = map[string]bool{}

// tcVerb is ip.tc's table.
var tcVerb = sync.OnceValue(func() *ipVerb {
	c := rtnl.TcClass
	v := newVerb("ip.tc", c, "TCA_", tcCommandNames(),
		fieldKey(c, "index", vIfindex, useAll, "the device, by index or name").also("ifname", "dev"),
		special("kind", "qdisc, class or filter kind ('htb', 'u32'…)", useAll, "TCA_KIND (also the second argument)"),
		special("handle", "handle ('1:', '1:10', 'root', hex) or number; a filter's u32 node '800::800'", useAll, "the object's own handle"),
		special("parent", "handle ('root', '1:', '1:1', 'ingress', 'egress') or number", useAll, "where it hangs"),
		special("classid", "handle ('1:10') or number", useAll, "a class's handle"),
		tcPrioKey(),
		special("protocol", "'ip', 'ipv6', 'arp', 'all', … or an ETH_P_* number", useAll, "filter protocol: all unless given, as tc"),
		attrKey(c, "options", "TCA_OPTIONS", vRaw, useAll, "TCA_OPTIONS as given, for a kind ip.tc does not describe"),
	)
	for _, k := range v.keys[:tFriendly] {
		if k.name == "classid" || k.name == "prio" {
			continue // a class kind's prio, a filter kind's classid, are the kind's
		}
		tcCore[k.name] = true
		for _, a := range k.alias {
			tcCore[a] = true
		}
	}
	return v
})

// tcPrioKey is a filter's priority.
func tcPrioKey() *ipKey {
	k := numKey("prio", "filter priority").also("pref")
	k.use = useAll
	return k
}

// tcCommand is one ip.tc command: which object, the message type and the
// header flags.
type tcCommand struct {
	object string
	typ    uint16
	flags  uint16
}

var tcCommands = map[string]tcCommand{
	"add":            {"qdisc", unix.RTM_NEWQDISC, reqAck | engine.NLM_F_CREATE | engine.NLM_F_EXCL},
	"replace":        {"qdisc", unix.RTM_NEWQDISC, reqAck | engine.NLM_F_CREATE | engine.NLM_F_REPLACE},
	"change":         {"qdisc", unix.RTM_NEWQDISC, reqAck},
	"del":            {"qdisc", unix.RTM_DELQDISC, reqAck},
	"add-class":      {"class", unix.RTM_NEWTCLASS, reqAck | engine.NLM_F_CREATE | engine.NLM_F_EXCL},
	"replace-class":  {"class", unix.RTM_NEWTCLASS, reqAck | engine.NLM_F_CREATE},
	"change-class":   {"class", unix.RTM_NEWTCLASS, reqAck},
	"del-class":      {"class", unix.RTM_DELTCLASS, reqAck},
	"add-filter":     {"filter", unix.RTM_NEWTFILTER, reqAck | engine.NLM_F_CREATE | engine.NLM_F_EXCL},
	"replace-filter": {"filter", unix.RTM_NEWTFILTER, reqAck | engine.NLM_F_CREATE},
	"change-filter":  {"filter", unix.RTM_NEWTFILTER, reqAck},
	"del-filter":     {"filter", unix.RTM_DELTFILTER, reqAck},
}

// tcCommandNames lists ip.tc's commands, dump last.
func tcCommandNames() []string {
	var names []string
	for n := range tcCommands {
		names = append(names, n)
	}
	sort.Strings(names)
	return append(names, "dump")
}

// Handle words for qdiscs; filters on an ingress or clsact qdisc hang from
// its ingress or egress hook instead.
var (
	handleWords = map[string]uint64{"root": 0xFFFFFFFF, "none": 0, "ingress": 0xFFFFFFF1, "clsact": 0xFFFFFFF1}
	hookWords   = map[string]uint64{"ingress": 0xFFFFFFF2, "egress": 0xFFFFFFF3}
)

// handle reads 'root', '1:', '1:10', ':10', '10' (hex, as tc) or a number;
// hooks lets 'ingress' and 'egress' name a clsact hook.
func (c *ipCall) handle(key string, v lua.LValue, hooks bool) uint64 {
	h, err := parseHandle(v, hooks)
	if err != "" {
		c.fail("%s: %s", key, err)
	}
	return h
}

// parseHandle reads a handle, or says why it cannot.
func parseHandle(v lua.LValue, hooks bool) (uint64, string) {
	switch x := v.(type) {
	case lua.LNumber:
		return uint64(x), ""
	case lua.LString:
		s := string(x)
		if w, ok := hookWords[s]; ok && hooks {
			return w, ""
		}
		if w, ok := handleWords[s]; ok {
			return w, ""
		}
		if strings.Contains(s, ":") {
			if h, ok := rtnl.ParseTCHandle(s); ok {
				return h, ""
			}
		} else if n, err := strconv.ParseUint(s, 16, 32); err == nil {
			return n, ""
		}
		return 0, fmt.Sprintf("bad handle '%s' (use 'root', '1:', '1:10' or a number)", s)
	}
	return 0, fmt.Sprintf("expected a handle such as '1:10' or a number, got %s", v.Type().String())
}

func hexOrZero(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseUint(s, 16, 32)
}

// u32Handle reads a u32 filter handle 'htid:hash:node' ('800::800').
func (c *ipCall) u32Handle(v lua.LValue) uint64 {
	if n, ok := v.(lua.LNumber); ok {
		return uint64(n)
	}
	parts := strings.Split(lua.LVAsString(v), ":")
	var n [3]uint64
	ok := len(parts) <= 3
	for i, p := range parts {
		if !ok {
			break
		}
		var err error
		n[i], err = hexOrZero(p)
		ok = err == nil
	}
	if !ok {
		c.fail("handle: bad u32 handle '%s' (use '800::800' or a number)", v.String())
	}
	return n[0]<<20 | n[1]<<12 | n[2]
}

// tcHandle is ip.tc_handle(h): '1:10' is 0x10010, 0x10010 is '1:10'.
func (i *ipInst) tcHandle(L *lua.LState) int {
	switch v := L.Get(1).(type) {
	case lua.LNumber:
		n := uint64(v)
		if n == 0xFFFFFFFF {
			L.Push(lua.LString("root"))
		} else {
			L.Push(lua.LString(rtnl.TCHandleText(n)))
		}
	default:
		h, err := parseHandle(v, true)
		if err != "" {
			L.RaiseError("ip.tc_handle: %s", err)
		}
		L.Push(lua.LNumber(h))
	}
	return 1
}

// tc is ip.tc(cmd, kind, spec), or ip.tc(cmd, spec) with spec.kind.
func (i *ipInst) tc(L *lua.LState) int {
	v := tcVerb()
	cmd := verbCommand(L, v.name, v.cmds)
	kindArg, spec := L.Get(2), L.Get(3)
	if _, ok := kindArg.(*lua.LTable); ok && spec == lua.LNil {
		kindArg, spec = lua.LNil, kindArg
	}
	if cmd == "dump" {
		if spec == lua.LNil {
			spec = kindArg
		}
		return i.tcList(L, "ip.qdiscs", rtmGetQdisc, spec)
	}
	tc := tcCommands[cmd]
	c := i.call(L, v, cmd, useChange)
	defer c.done()
	// The kind, from the argument or the spec, picks its keys.
	kind := kindArg
	if t, ok := spec.(*lua.LTable); ok {
		if sk := c.index(t, "kind"); sk != lua.LNil {
			if kind != lua.LNil && kind.String() != sk.String() {
				c.fail("kind '%s' and spec.kind '%s' differ", kind.String(), sk.String())
			}
			kind = sk
		}
	}
	var d *tcKind
	if s, ok := kind.(lua.LString); ok {
		var kv *ipVerb
		if kv, d = tcKindVerb(tc.object, string(s)); kv != nil {
			c.sub = i.call(L, kv, cmd, useChange)
			c.sub.name = c.name
			c.core = tcCore
		}
	}
	c.read(spec)
	return c.send(c.tcMsg(tc, kind, d))
}

// tcMsg builds a qdisc's, class's or filter's message.
func (c *ipCall) tcMsg(tc tcCommand, kind lua.LValue, d *tcKind) *ipMsg {
	h := c.m.host
	k := c.verb.keys
	creating := tc.typ != unix.RTM_DELQDISC && tc.typ != unix.RTM_DELTCLASS && tc.typ != unix.RTM_DELTFILTER
	m := newMsg(rtnl.TcClass, tc.typ, tc.flags)
	if !c.has(k[tIndex]) {
		c.fail("give the device as index, ifname or dev")
	}
	m.setField(tcIndexField, h.FromLua(c.ifindex("dev", c.get(k[tIndex]))))
	get := func(x int, def lua.LValue) lua.LValue {
		if v := c.get(k[x]); v != lua.LNil {
			return v
		}
		return def
	}
	switch tc.object {
	case "qdisc":
		hook := d != nil && d.hook
		def, parent := lua.LValue(lua.LNumber(0)), lua.LValue(lua.LString("root"))
		if hook {
			def, parent = lua.LString("ffff:"), lua.LNumber(handleWords["ingress"])
		}
		m.setField(tcHandleField, c.handle("handle", get(tHandle, def), false))
		m.setField(tcParentField, c.handle("parent", get(tParent, parent), false))
	case "class":
		m.setField(tcHandleField, c.handle("classid", or(c.get(k[tClassid]), get(tHandle, lua.LNumber(0))), false))
		m.setField(tcParentField, c.handle("parent", get(tParent, lua.LNumber(0)), false))
	default:
		if h := c.get(k[tHandle]); h != lua.LNil {
			m.setField(tcHandleField, c.u32Handle(h))
		}
		m.setField(tcParentField, c.handle("parent", get(tParent, lua.LNumber(0)), true))
		// A new filter matches every protocol unless told; a del matches any.
		var proto uint64
		switch p := c.get(k[tProtocol]).(type) {
		case *lua.LNilType:
			if creating {
				proto, _ = rtnl.ParseTCProtocol("all")
			}
		case lua.LNumber:
			proto = uint64(p)
		case lua.LString:
			proto = c.protocol(p)
		default:
			c.fail("protocol must be %s or an ETH_P_* number, got %s", protocolWords(), p.Type().String())
		}
		prio := uint64(lua.LVAsNumber(get(tPrio, lua.LNumber(0))))
		m.setField(tcInfoField, rtnl.TCFilterInfo(prio, proto))
	}
	// What tc sends: a del names the kind (the kernel checks it) and no
	// options, except a class del, which tc sends bare.
	if kind != lua.LNil && (creating || tc.object != "class") {
		m.add(attrDesc(rtnl.TcClass, "TCA_KIND"), h.FromLua(kind))
	}
	if creating {
		if o := c.get(k[tOptions]); o != lua.LNil {
			m.add(k[tOptions].attr, h.FromLua(o))
		} else if d != nil && d.options != nil {
			if opts := d.options(c); opts != nil {
				m.add(k[tOptions].attr, opts)
			}
		}
	}
	c.applyRest(m, tFriendly)
	return m
}

// The dump message types of the getters.
const (
	rtmGetQdisc  = unix.RTM_GETQDISC
	rtmGetTclass = unix.RTM_GETTCLASS
	rtmGetFilter = unix.RTM_GETTFILTER
)

// qdiscs is ip.qdiscs(filter).
func (i *ipInst) qdiscs(L *lua.LState) int { return i.tcList(L, "ip.qdiscs", rtmGetQdisc, L.Get(1)) }

// classes is ip.classes(filter): the classes of one device (index, ifname
// or dev in the filter) or of every device.
func (i *ipInst) classes(L *lua.LState) int { return i.tcList(L, "ip.classes", rtmGetTclass, L.Get(1)) }

// filters is ip.filters(filter): the filters of one device or of all; the
// kernel lists one qdisc or class at a time, the parent: the filter's
// parent if it names one, else the root qdisc and the hooks of ingress and
// clsact qdiscs.
func (i *ipInst) filters(L *lua.LState) int { return i.tcList(L, "ip.filters", rtmGetFilter, L.Get(1)) }

// tcList runs a tc getter.
func (i *ipInst) tcList(L *lua.LState, name string, typ uint16, filter lua.LValue) int {
	c := i.getter(L, tcVerb(), name, filter)
	defer c.done()
	h := c.m.host
	k := c.verb.keys
	var index lua.LValue = lua.LNil
	if c.has(k[tIndex]) {
		index = c.ifindex("dev", c.get(k[tIndex]))
	}
	var parent lua.LValue = lua.LNil
	if c.has(k[tParent]) {
		parent = lua.LNumber(c.handle("parent", c.get(k[tParent]), true))
	}
	f := c.compileFilter(nil, func(f *ipFilter, key *ipKey, want lua.LValue, _ *ipMsg) bool {
		_, isFn := want.(*lua.LFunction)
		field := func(i int) func(m *engine.Message) lua.LValue {
			return func(m *engine.Message) lua.LValue { return c.fieldValue(m, i) }
		}
		switch key.index {
		case tIndex:
			if !isFn {
				want = index
			}
			f.compare(field(tcIndexField), want, equal)
		case tParent:
			// The kernel answers for the parent asked (and may name it
			// differently: ffff: for the hooks of an ingress qdisc), so
			// filters do not match it again.
			if isFn || typ != rtmGetFilter {
				if !isFn {
					want = parent
				}
				f.compare(field(tcParentField), want, equal)
			}
		case tHandle:
			if !isFn {
				want = lua.LNumber(c.handle("handle", want, true))
			}
			f.compare(field(tcHandleField), want, equal)
		case tKind:
			f.compare(func(m *engine.Message) lua.LValue { return c.attrValue(m, attrDesc(rtnl.TcClass, "TCA_KIND")) }, want, equal)
		case tClassid:
			get := func(m *engine.Message) lua.LValue {
				if v := m.Lookup(rtnl.Route, []string{"TCA_OPTIONS", "TCA_U32_CLASSID"}, true); len(v) > 0 {
					return h.ToLua(v[0])
				}
				return lua.LNil
			}
			if !isFn {
				want = lua.LNumber(c.handle("classid", want, false))
			}
			f.compare(get, want, equal)
		case tPrio:
			f.compare(func(m *engine.Message) lua.LValue {
				prio, _ := rtnl.SplitTCFilterInfo(uint64(lua.LVAsNumber(c.fieldValue(m, tcInfoField))))
				return lua.LNumber(prio)
			}, want, equal)
		case tProtocol:
			if s, ok := want.(lua.LString); ok {
				want = lua.LNumber(c.protocol(s))
			}
			f.compare(func(m *engine.Message) lua.LValue {
				_, proto := rtnl.SplitTCFilterInfo(uint64(lua.LVAsNumber(c.fieldValue(m, tcInfoField))))
				return lua.LNumber(proto)
			}, want, equal)
		default:
			return false
		}
		return true
	})
	if c.dry {
		req := c.tcDumpMsg(typ, index, lua.LNumber(0))
		L.Push(c.msgTable(req))
		return 1
	}
	// The dumps to make, one per device (classes) or per parent
	// (filters), are known first; then made, or streamed one after the
	// other.
	var reqs [][]byte
	fetch := func(idx, par lua.LValue) {
		reqs = append(reqs, c.encode(c.tcDumpMsg(typ, idx, par)))
	}
	switch typ {
	case rtmGetQdisc:
		fetch(lua.LNumber(0), lua.LNumber(0))
	case rtmGetTclass:
		for _, idx := range i.tcLinks(L, index) {
			fetch(idx, lua.LNumber(0))
		}
	case rtmGetFilter:
		parents := map[lua.LValue][]lua.LValue{}
		links := i.tcLinks(L, index)
		for _, idx := range links {
			parents[idx] = []lua.LValue{lua.LNumber(0)}
			if parent != lua.LNil {
				parents[idx] = []lua.LValue{parent}
			}
		}
		if parent == lua.LNil {
			qs, err := i.dump(L, c.encode(c.tcDumpMsg(rtmGetQdisc, lua.LNumber(0), lua.LNumber(0))), c.opts)
			if err != nil {
				i.raiseDump(L, err, qs)
			}
			for _, q := range qs {
				fv, ok := q.Fields(rtnl.Route)
				if !ok {
					continue
				}
				idx := lua.LNumber(float64(fv.Values[tcIndexField].(int64)))
				p, has := parents[idx]
				kind, _ := q.Get(rtnl.Route, "TCA_KIND")
				if has && (kind == "ingress" || kind == "clsact") {
					p = append(p, lua.LNumber(hookWords["ingress"]))
				}
				if has && kind == "clsact" {
					p = append(p, lua.LNumber(hookWords["egress"]))
				}
				if has {
					parents[idx] = p
				}
			}
		}
		for _, idx := range links {
			for _, p := range parents[idx] {
				fetch(idx, p)
			}
		}
	}
	if c.each {
		return c.eachIter(reqs, f)
	}
	var msgs []engine.Message
	for _, req := range reqs {
		got, err := i.dump(L, req, c.opts)
		if err != nil {
			i.raiseDump(L, err, got)
		}
		msgs = append(msgs, got...)
	}
	L.Push(f.keep(msgs))
	return 1
}

// tcDumpMsg builds a dump request of typ for a device and parent.
func (c *ipCall) tcDumpMsg(typ uint16, index, parent lua.LValue) *ipMsg {
	m := newMsg(rtnl.TcClass, typ, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	if index != lua.LNil {
		m.setField(tcIndexField, c.m.host.FromLua(index))
	}
	m.setField(tcParentField, c.m.host.FromLua(parent))
	return m
}

// tcLinks lists the indexes to dump: the filter's device, or every link.
func (i *ipInst) tcLinks(L *lua.LState, index lua.LValue) []lua.LValue {
	if index != lua.LNil {
		return []lua.LValue{index}
	}
	req := newMsg(rtnl.LinkClass, unix.RTM_GETLINK, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	b, err := engine.EncodeMessage(req.h, req.class, &req.rec)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	msgs, err := i.dump(L, b, engine.RequestOptions{})
	if err != nil {
		i.raiseDump(L, err, msgs)
	}
	var out []lua.LValue
	for _, m := range msgs {
		if fv, ok := m.Fields(rtnl.Route); ok {
			if idx, ok := fv.Values[linkIndexField].(int64); ok {
				out = append(out, lua.LNumber(idx))
			}
		}
	}
	return out
}

// protocol reads a filter protocol's word, failing the call on another.
func (c *ipCall) protocol(s lua.LString) uint64 {
	n, ok := rtnl.ParseTCProtocol(string(s))
	if !ok {
		c.fail("protocol must be %s or an ETH_P_* number, got '%s'", protocolWords(), s.String())
	}
	return n
}

// protocolWords lists the protocol words for errors: 'all', 'ip', ….
func protocolWords() string {
	ws := rtnl.TCProtocolWords()
	for i, w := range ws {
		ws[i] = "'" + w + "'"
	}
	return strings.Join(ws, ", ")
}
