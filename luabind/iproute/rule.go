package iproute

import (
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/rtnl"
)

// ip.rule(cmd, spec), ip.rules(filter).
//
// A rule is one fib_rule_hdr: the fixed header holds family, dst_len,
// src_len, tos, table (when below 256) and action; the attributes hold the
// rest (FRA_SRC, FRA_DST, FRA_TABLE, FRA_PRIORITY, FRA_FWMARK, FRA_FWMASK,
// FRA_IIFNAME, FRA_OIFNAME, FRA_GOTO, FRA_SUPPRESS_PREFIXLEN,
// FRA_PROTOCOL…). add and del build the message `ip rule add|del` sends.

// The rule keys the builders read, by their place in ruleVerb's table.
const (
	uFrom = iota
	uSrcLen
	uTo
	uDstLen
	uTable
	uPriority
	uFwmark
	uFwmask
	uIif
	uOif
	uAction
	uGoto
	uFamily
	uTos
	uSuppress
	uProtocol
	uFriendly
)

// fib_rule_hdr's fields, by index.
var (
	ruleFamilyField = fieldIndex(rtnl.RuleClass, "family")
	ruleDstLenField = fieldIndex(rtnl.RuleClass, "dst_len")
	ruleSrcLenField = fieldIndex(rtnl.RuleClass, "src_len")
	ruleTableField  = fieldIndex(rtnl.RuleClass, "table")
)

// ruleVerb is ip.rule's table.
var ruleVerb = sync.OnceValue(func() *ipVerb {
	c := rtnl.RuleClass
	action := fieldKey(c, "action", vEnum, useAll, "FR_ACT_*: lookup (to_tbl, the default), goto, nop, blackhole, unreachable, prohibit")
	action.short = enumShort(action.enum)
	action.short["lookup"] = unix.FR_ACT_TO_TBL
	action.short["table"] = unix.FR_ACT_TO_TBL
	v := newVerb("ip.rule", c, "FRA_", []string{"add", "del", "dump", "flush"},
		(&ipKey{name: "from", kind: vPrefix, field: -1, attr: attrDesc(c, "FRA_SRC"), use: useAll, doc: "source prefix ('all' is any)"}).also("src"),
		fieldKey(c, "src_len", vInt, useAll, "source prefix length, when from does not say it"),
		(&ipKey{name: "to", kind: vPrefix, field: -1, attr: attrDesc(c, "FRA_DST"), use: useAll, doc: "destination prefix ('all' is any)"}).also("dst"),
		fieldKey(c, "dst_len", vInt, useAll, "destination prefix length"),
		&ipKey{name: "table", kind: vTable, field: -1, attr: attrDesc(c, "FRA_TABLE"), use: useAll, doc: "the table to look up: in the header below 256, else in FRA_TABLE"},
		attrKey(c, "priority", "FRA_PRIORITY", vInt, useAll, "the rule's priority (preference); the kernel picks one when absent"),
		special("fwmark", "number, or 'mark/mask'", useAll, "firewall mark to match (FRA_FWMARK, and FRA_FWMASK)"),
		attrKey(c, "fwmask", "FRA_FWMASK", vInt, useAll, "mask of the firewall mark"),
		attrKey(c, "iif", "FRA_IIFNAME", vIfname, useAll, "input interface, by name (or index)").also("iifname"),
		attrKey(c, "oif", "FRA_OIFNAME", vIfname, useAll, "output interface, by name (or index)").also("oifname"),
		action,
		attrKey(c, "goto", "FRA_GOTO", vInt, useAll, "priority of the rule to jump to (implies action goto)"),
		fieldKey(c, "family", vFamily, useAll, "AF_INET unless the addresses say otherwise"),
		fieldKey(c, "tos", vInt, useAll, ""),
		attrKey(c, "suppress_prefixlength", "FRA_SUPPRESS_PREFIXLEN", vInt, useAll, "reject lookup results with a prefix this short or shorter").also("suppress_prefixlen"),
		attrKey(c, "protocol", "FRA_PROTOCOL", vEnum, useAll, "who installed the rule (RTPROT_*)"),
	)
	return v
})

// rule is ip.rule(cmd, spec).
func (i *ipInst) rule(L *lua.LState) int {
	v := ruleVerb()
	cmd := verbCommand(L, v.name, v.cmds)
	switch cmd {
	case "dump":
		return i.ruleList(L, "ip.rules", L.Get(2))
	case "flush":
		return i.ruleFlush(L, L.Get(2))
	}
	c := i.call(L, v, cmd, useChange)
	defer c.done()
	c.read(L.Get(2))
	return c.send(c.ruleChange())
}

// rules is ip.rules(filter).
func (i *ipInst) rules(L *lua.LState) int { return i.ruleList(L, "ip.rules", L.Get(1)) }

// ruleChange builds add or del.
func (c *ipCall) ruleChange() *ipMsg {
	h := c.m.host
	k := c.verb.keys
	typ, flags := uint16(unix.RTM_NEWRULE), reqAck|engine.NLM_F_CREATE|engine.NLM_F_EXCL
	if c.cmd == "del" {
		typ, flags = unix.RTM_DELRULE, reqAck
	}
	m := newMsg(rtnl.RuleClass, typ, flags)
	// Addresses give the family; without any it is IPv4, as for `ip rule`.
	var family int64
	for _, x := range [...]struct {
		key, lenKey, field int
		what               string
	}{{uFrom, uSrcLen, ruleSrcLenField, "from"}, {uTo, uDstLen, ruleDstLenField, "to"}} {
		v := c.get(k[x.key])
		if v == lua.LNil || v == lua.LString("all") { // iproute2's 'from all': no attribute
			continue
		}
		a, l, fam, _ := c.prefix(x.what, v)
		var length any = uint64(l)
		if c.has(k[x.lenKey]) {
			length = h.FromLua(c.get(k[x.lenKey]))
		}
		if family != 0 && family != fam {
			c.fail("from and to are of different families")
		}
		family = fam
		m.setField(x.field, length)
		m.add(k[x.key].attr, a)
	}
	if family == 0 {
		family = unix.AF_INET
	}
	fam := h.FromLua(lua.LNumber(family))
	if c.has(k[uFamily]) {
		fam = h.FromLua(c.value(k[uFamily], c.get(k[uFamily])))
	}
	m.setField(ruleFamilyField, fam)
	if c.has(k[uTos]) {
		m.setField(k[uTos].field, h.FromLua(c.get(k[uTos])))
	}

	// The action: lookup in a table unless told otherwise (goto=N implies
	// goto). A del names the action only when given, so it matches any.
	var action lua.LValue
	switch {
	case c.truthy(k[uAction]):
		action = c.value(k[uAction], c.get(k[uAction]))
	case c.truthy(k[uGoto]):
		action = lua.LNumber(unix.FR_ACT_GOTO)
	case c.cmd == "add":
		action = lua.LNumber(unix.FR_ACT_TO_TBL)
	default:
		action = lua.LNumber(unix.FR_ACT_UNSPEC)
	}
	m.setField(k[uAction].field, h.FromLua(action))

	// Tables below 256 fit the header; bigger ids go in FRA_TABLE.
	var table lua.LValue
	if c.truthy(k[uTable]) {
		table = c.value(k[uTable], c.get(k[uTable]))
	} else if c.cmd == "add" && action == lua.LNumber(unix.FR_ACT_TO_TBL) {
		table = lua.LNumber(unix.RT_TABLE_MAIN)
	}
	if n, ok := table.(lua.LNumber); ok && n >= 256 {
		m.setField(ruleTableField, uint64(unix.RT_TABLE_UNSPEC))
		m.add(k[uTable].attr, h.FromLua(n))
	} else if table != nil {
		m.setField(ruleTableField, h.FromLua(table))
	}
	if p := c.get(k[uPriority]); p != lua.LNil {
		m.add(k[uPriority].attr, h.FromLua(p))
	}
	mask := c.get(k[uFwmask])
	if mk := c.get(k[uFwmark]); mk != lua.LNil {
		mark, markMask := c.fwmark(mk)
		m.add(attrDesc(rtnl.RuleClass, "FRA_FWMARK"), h.FromLua(mark))
		if mask == lua.LNil {
			mask = markMask
		}
	}
	if mask != lua.LNil {
		m.add(k[uFwmask].attr, h.FromLua(mask))
	}
	for _, x := range [...]int{uIif, uOif} {
		if v := c.get(k[x]); v != lua.LNil {
			m.add(k[x].attr, h.FromLua(c.value(k[x], v)))
		}
	}
	for _, x := range [...]int{uGoto, uSuppress} {
		if v := c.get(k[x]); v != lua.LNil {
			m.add(k[x].attr, h.FromLua(v))
		}
	}
	if v := c.get(k[uProtocol]); v != lua.LNil {
		m.add(k[uProtocol].attr, h.FromLua(c.value(k[uProtocol], v)))
	}
	c.applyRest(m, uFriendly)
	return m
}

// fwmark reads a mark: a number, or 'mark/mask' (the mask nil when not
// given).
func (c *ipCall) fwmark(v lua.LValue) (lua.LValue, lua.LValue) {
	n, s, isNum := numberOrName(v)
	if isNum {
		return n, lua.LNil
	}
	if mark, mask, ok := strings.Cut(s, "/"); ok {
		a, aok := luaNumber(mark)
		b, bok := luaNumber(mask)
		if aok && bok {
			return lua.LNumber(a), lua.LNumber(b)
		}
	}
	c.fail("fwmark must be a number or 'mark/mask', got '%s'", v.String())
	return nil, nil
}

// ruleList runs ip.rules(filter): a family is asked of the kernel; the
// rest is matched here.
func (i *ipInst) ruleList(L *lua.LState, name string, filter lua.LValue) int {
	c := i.getter(L, ruleVerb(), name, filter)
	defer c.done()
	return c.list(c.ruleFilter())
}

// ruleFilter builds the dump request and the filter of a rule getter.
func (c *ipCall) ruleFilter() (*ipMsg, *ipFilter) {
	h := c.m.host
	req := newMsg(rtnl.RuleClass, unix.RTM_GETRULE, engine.NLM_F_REQUEST|engine.NLM_F_DUMP)
	f := c.compileFilter(req, func(f *ipFilter, key *ipKey, want lua.LValue, req *ipMsg) bool {
		_, isFn := want.(*lua.LFunction)
		switch key.index {
		case uFamily:
			if isFn {
				return false
			}
			fam := c.value(key, want)
			req.setField(ruleFamilyField, h.FromLua(fam))
			f.compare(func(m *engine.Message) lua.LValue { return c.fieldValue(m, ruleFamilyField) }, fam, equal)
		case uTable:
			get := func(m *engine.Message) lua.LValue {
				if t := c.attrValue(m, key.attr); t != lua.LNil {
					return t
				}
				return c.fieldValue(m, ruleTableField)
			}
			if isFn {
				f.compare(get, want, nil)
			} else {
				f.compare(get, c.value(key, want), equal)
			}
		case uPriority:
			// The rule of priority 0 carries no FRA_PRIORITY.
			get := func(m *engine.Message) lua.LValue {
				if p := c.attrValue(m, key.attr); p != lua.LNil {
					return p
				}
				return lua.LNumber(0)
			}
			f.compare(get, want, equal)
		case uFrom, uTo:
			lenField := ruleSrcLenField
			if key.index == uTo {
				lenField = ruleDstLenField
			}
			get := func(m *engine.Message) lua.LValue { return c.attrValue(m, key.attr) }
			if isFn {
				f.compare(get, want, nil)
				return true
			}
			a, l, _, given := c.prefix(key.name, want)
			addr := lua.LString(c.canonAddr(key.name, lua.LString(a)))
			f.test(func(m *engine.Message) bool {
				return get(m) == addr && (!given || c.fieldValue(m, lenField) == lua.LNumber(l))
			})
		case uFwmark:
			get := func(m *engine.Message) lua.LValue { return c.attrValue(m, attrDesc(rtnl.RuleClass, "FRA_FWMARK")) }
			if isFn {
				f.compare(get, want, nil)
				return true
			}
			mark, _ := c.fwmark(want)
			f.compare(get, mark, equal)
		default:
			return false
		}
		return true
	})
	return req, f
}

// ruleFlush deletes every rule ip.rules(filter) finds, each by sending
// the rule back as RTM_DELRULE, as pyroute2's flush_rules does, and
// returns how many it deleted (with dry, the messages). A filter is
// needed: flushing every rule would take the local and main lookups
// with it.
func (i *ipInst) ruleFlush(L *lua.LState, filter lua.LValue) int {
	if t, ok := filter.(*lua.LTable); filter == lua.LNil || ok && t.Metatable == lua.LNil && isEmptyTable(t) {
		L.RaiseError("ip.rule flush: give a filter ({priority = function(p) return p > 100 end}, {table=100}, …); it would flush every rule, the local and main lookups too")
	}
	c := i.getter(L, ruleVerb(), "ip.rule flush", filter)
	defer c.done()
	dry := c.dry
	c.dry = false
	c.list(c.ruleFilter())
	found := L.Get(-1).(*lua.LTable)
	L.Pop(1)
	return c.flush(found, dry, unix.RTM_DELRULE, unix.ENOENT, false, func(msg engine.Message, m *ipMsg) {
		rec := msg.Decode(rtnl.Route)
		if rec.Fields != nil {
			copy(m.fields.Values, rec.Fields.Values)
		}
		m.rec.Attrs = append(m.rec.Attrs, rec.Attrs...)
	}, true)
}
