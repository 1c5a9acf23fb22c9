package iproute

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// The kinds ip.tc describes: each qdisc, class and filter kind has a table
// of its keys and builds its TCA_OPTIONS from them, as tc builds them
// (rate tables included). Units are read as tc reads them:
//
//	rates  a number is bytes per second (the kernel's unit, as in pyroute2
//	       and in `tc -j` output); a string is tc's: '256kbit', '1mbit',
//	       '10mbps' (megabytes), '2gibit'; a bare '1000' is bit/s
//	sizes  a number is bytes; a string may end in b, k/kb, m/mb, g/gb, or
//	       kbit/mbit/gbit
//	times  a number is microseconds; a string may end in s, ms or us

// tcKind is one kind of qdisc, class or filter.
type tcKind struct {
	keys []*ipKey
	// options builds TCA_OPTIONS from the kind's keys (nil: none sent).
	options func(c *ipCall) any
	// hook: ingress and clsact hang from the ingress point with handle ffff:.
	hook bool
}

// Key constructors of the kinds' tables.
func rateKey(name, doc string) *ipKey {
	return special(name, "rate (bytes/s, or '1mbit')", useChange, doc)
}
func sizeKey(name, doc string) *ipKey {
	return special(name, "size (bytes, or '32kb')", useChange, doc)
}
func timeKey(name, doc string) *ipKey {
	return special(name, "time (µs, or '50ms')", useChange, doc)
}
func numKey(name, doc string) *ipKey {
	return &ipKey{name: name, kind: vInt, field: -1, use: useChange, doc: doc}
}

// tcQdiscKinds, tcClassKinds and tcFilterKinds are the kinds by name.
var (
	tcQdiscKinds = map[string]*tcKind{
		"htb": {keys: []*ipKey{
			special("default", "class minor number (a string is hex, as tc reads 'default 10')", useChange, "the class of unclassified traffic (0 when absent, as tc)"),
			numKey("r2q", "rate to quantum divisor (10)"),
			numKey("direct_qlen", "queue length of unclassified traffic when default is 0"),
		}, options: htbQdiscOptions},
		"tbf": {keys: []*ipKey{
			rateKey("rate", "token rate"), sizeKey("burst", "bucket size"), timeKey("latency", "longest wait in the queue (or limit)"),
			sizeKey("limit", "queue size in bytes (or latency)"), rateKey("peakrate", "peak rate (needs mtu)"),
			sizeKey("mtu", "peak bucket size"), numKey("mpu", "minimum packet unit"), numKey("overhead", "bytes added to each packet"),
		}, options: tbfOptions},
		"pfifo":           {keys: []*ipKey{numKey("limit", "queue length in packets (the link's txqueuelen when absent)")}, options: fifoOptions(false)},
		"pfifo_head_drop": {keys: []*ipKey{numKey("limit", "queue length in packets")}, options: fifoOptions(false)},
		"bfifo":           {keys: []*ipKey{sizeKey("limit", "queue length in bytes")}, options: fifoOptions(true)},
		"pfifo_fast":      {},
		"mq":              {},
		"blackhole":       {},
		"noqueue":         {},
		"ingress":         {hook: true},
		"clsact":          {hook: true},
	}
	tcClassKinds = map[string]*tcKind{
		"htb": {keys: []*ipKey{
			rateKey("rate", "guaranteed rate"), rateKey("ceil", "rate it may borrow up to (rate when absent)"),
			sizeKey("burst", "bytes sent at ceil speed (as tc computes it when absent)"), sizeKey("cburst", "bytes sent at line speed"),
			numKey("prio", "priority in borrowing"), numKey("quantum", "bytes served per round"),
			sizeKey("mtu", "largest packet (1600)"), numKey("mpu", "minimum packet unit"), numKey("overhead", "bytes added to each packet"),
		}, options: htbClassOptions},
	}
	tcFilterKinds = map[string]*tcKind{
		"u32": {keys: []*ipKey{
			special("match", "table {src=, dst=, tos=, ip_proto=, sport=, dport=}", useChange, "IPv4 header fields to match"),
			special("keys", "list of 'VAL/MASK+OFF' strings or {val=, mask=, off=, offmask=} tables", useChange, "raw u32 keys, as pyroute2's"),
			special("classid", "handle ('1:10') or number", useChange, "the class of matching packets").also("flowid", "target"),
			special("action", "action table {kind='mirred', …}, or a list of them", useChange, "actions (TCA_U32_ACT); this kernel has mirred"),
		}, options: u32Options},
	}
)

// tcKindVerbs are the kinds' tables of keys, made on first use.
var tcKindVerbs sync.Map // object + " " + kind -> *ipVerb

// tcKindVerb returns the table of a kind's keys, or nil for a kind ip.tc
// does not describe.
func tcKindVerb(object, kind string) (*ipVerb, *tcKind) {
	d := tcKinds(object)[kind]
	if d == nil {
		return nil, nil
	}
	id := object + " " + kind
	if v, ok := tcKindVerbs.Load(id); ok {
		return v.(*ipVerb), d
	}
	v := &ipVerb{name: "ip.tc", keys: d.keys, raw: map[string]*engine.AttrDesc{}}
	v.index()
	w, _ := tcKindVerbs.LoadOrStore(id, v)
	return w.(*ipVerb), d
}

// tcKinds are the kinds of object: qdisc, class or filter.
func tcKinds(object string) map[string]*tcKind {
	switch object {
	case "class":
		return tcClassKinds
	case "filter":
		return tcFilterKinds
	}
	return tcQdiscKinds
}

// kv returns the value of the kind's key n, or nil.
func (c *ipCall) kv(n string) lua.LValue {
	if c.sub == nil {
		return lua.LNil
	}
	if k := c.sub.verb.names[0][n]; k != nil {
		return c.sub.get(k)
	}
	return lua.LNil
}

// kn is kind key n as a number, or def when absent.
func (c *ipCall) kn(n string, def float64) float64 {
	switch v := c.kv(n).(type) {
	case lua.LNumber:
		return float64(v)
	case *lua.LNilType:
		return def
	case lua.LString:
		if f, ok := luaNumber(string(v)); ok {
			return f
		}
	}
	c.fail("%s: expected a number, got %s", n, c.kv(n).Type().String())
	return 0
}

// Units, as tc's get_rate64, get_size and get_time read them.
var (
	rateUnits = map[string]float64{"bit": 1, "kibit": 1024, "kbit": 1e3, "mibit": 1024 * 1024, "mbit": 1e6,
		"gibit": 1 << 30, "gbit": 1e9, "tibit": 1 << 40, "tbit": 1e12,
		"bps": 8, "kibps": 8 * 1024, "kbps": 8e3, "mibps": 8 * 1024 * 1024, "mbps": 8e6,
		"gibps": 8 << 30, "gbps": 8e9, "tibps": 8 << 40, "tbps": 8e12}
	sizeUnits = map[string]float64{"b": 1, "k": 1024, "kb": 1024, "m": 1 << 20, "mb": 1 << 20,
		"g": 1 << 30, "gb": 1 << 30, "kbit": 1024 / 8, "mbit": (1 << 20) / 8, "gbit": (1 << 30) / 8}
	timeUnits = map[string]float64{"s": 1e6, "sec": 1e6, "secs": 1e6, "ms": 1e3, "msec": 1e3, "msecs": 1e3,
		"us": 1, "usec": 1, "usecs": 1}
	unitRE = lazyRE(`^\s*([\d.]+)\s*([A-Za-z]*)\s*$`)
)

// unit reads '<number><suffix>' with a table of suffixes (case ignored).
func (c *ipCall) unit(key string, v lua.LValue, units map[string]float64, example string) float64 {
	if n, ok := v.(lua.LNumber); ok {
		return float64(n)
	}
	if m := unitRE().FindStringSubmatch(lua.LVAsString(v)); m != nil {
		scale, ok := 1.0, true
		if m[2] != "" {
			scale, ok = units[strings.ToLower(m[2])]
		}
		if n, nok := luaNumber(m[1]); nok && ok {
			return n * scale
		}
	}
	c.fail("%s: cannot read '%s' (e.g. %s)", key, v.String(), example)
	return 0
}

// rate returns bytes per second: numbers as they are, strings as tc reads
// them (bits unless the suffix says bytes).
func (c *ipCall) rate(key string) float64 {
	v := c.kv(key)
	r := 0.0
	if n, ok := v.(lua.LNumber); ok {
		r = float64(n)
	} else {
		r = math.Floor(c.unit(key, v, rateUnits, "'256kbit', '1mbit', '10mbps'") / 8)
	}
	if r <= 0 {
		c.fail("%s: must be more than 0", key)
	}
	return r
}

func (c *ipCall) size(key string) float64 {
	return math.Floor(c.unit(key, c.kv(key), sizeUnits, "1600, '32kb', '1m'"))
}

func (c *ipCall) duration(key string) float64 {
	return math.Floor(c.unit(key, c.kv(key), timeUnits, "'50ms', '1s', 400000"))
}

// psched is the packet scheduler clock, from /proc/net/psched as tc
// reads it: ticks per microsecond and the timer frequency.
var psched = sync.OnceValue(func() struct{ tickInUsec, hz float64 } {
	p := struct{ tickInUsec, hz float64 }{1000.0 / 64, 1e9} // what every recent kernel says
	b, err := os.ReadFile("/proc/net/psched")
	if err != nil {
		return p
	}
	var t2us, us2t, res, hz uint64
	if n, _ := fmt.Sscanf(string(b), "%x %x %x %x", &t2us, &us2t, &res, &hz); n == 4 && us2t != 0 {
		p.tickInUsec = float64(t2us) / float64(us2t) * (float64(res) / 1e6)
		p.hz = 100
		if res == 1000000 {
			p.hz = float64(hz)
		}
	}
	return p
})

// luaMod is Lua's a % b: the remainder with the sign of b.
func luaMod(a, b float64) float64 { return a - math.Floor(a/b)*b }

// xmittime is tc_calc_xmittime: the time, in scheduler ticks, to send size
// bytes at rate bytes/s.
func xmittime(rate, size float64) float64 {
	usec := luaMod(math.Floor(1e6*(size/rate)), 1<<32) // in tc's order, for the same rounding
	return luaMod(math.Floor(usec*psched().tickInUsec), 1<<32)
}

// rtable is tc_calc_rtable for an Ethernet link: 256 transmission times,
// one per size cell of 2^cellLog bytes, the cell chosen so mtu fits in 256
// cells, as the kernel reads them (host byte order).
func rtable(rate, mtu, mpu float64) (string, int) {
	if mtu == 0 {
		mtu = 2047
	}
	cellLog := 0
	for math.Floor(mtu/math.Pow(2, float64(cellLog))) > 255 {
		cellLog++
	}
	t := make([]byte, 0, 1024)
	for i := 0; i < 256; i++ {
		sz := math.Max(float64(i+1)*math.Pow(2, float64(cellLog)), mpu)
		t = binary.NativeEndian.AppendUint32(t, uint32(xmittime(rate, sz)))
	}
	return string(t), cellLog
}

// ratespec fills the prefix_* fields of a struct tc_ratespec embedded in a
// tc_htb_opt or tc_tbf_qopt, and returns the rate table.
func ratespec(opt map[string]any, prefix string, rate, mtu, mpu, overhead float64) string {
	r := math.Min(rate, 0xFFFFFFFF)
	tab, cellLog := rtable(r, mtu, mpu)
	opt[prefix+"_cell_log"] = uint64(cellLog)
	opt[prefix+"_linklayer"] = uint64(1) // TC_LINKLAYER_ETHERNET
	opt[prefix+"_overhead"] = luaarg.Number(overhead)
	opt[prefix+"_cell_align"] = int64(-1)
	opt[prefix+"_mpu"] = luaarg.Number(mpu)
	opt[prefix+"_rate"] = luaarg.Number(r)
	return tab
}

// pair is an attribute as a {name, value} list.
func pair(name string, v any) engine.Table { return engine.Table{List: []any{name, v}} }

// htbQdiscOptions: default is the minor number of the class for unclassified
// traffic (0x10 for class 1:10; a string is hex, as tc reads 'default 10').
func htbQdiscOptions(c *ipCall) any {
	var defcls any = uint64(0)
	switch d := c.kv("default").(type) {
	case lua.LString:
		s := string(d)
		if !strings.Contains(s, ":") {
			s = ":" + s
		}
		defcls = uint64(c.handle("default", lua.LString(s), false)) % 0x10000
	case lua.LNumber:
		defcls = c.m.host.FromLua(d)
	}
	opts := []any{pair("TCA_HTB_INIT", engine.Table{Map: map[string]any{"version": uint64(3),
		"rate2quantum": luaarg.Number(c.kn("r2q", 10)), "defcls": defcls, "debug": uint64(0), "direct_pkts": uint64(0)}})}
	if v := c.kv("direct_qlen"); v != lua.LNil {
		opts = append(opts, pair("TCA_HTB_DIRECT_QLEN", c.m.host.FromLua(v)))
	}
	return engine.Table{List: opts}
}

// tbfOptions: rate and burst, and either latency or limit (bytes of queue).
// peakrate needs mtu, the size of the peak bucket.
func tbfOptions(c *ipCall) any {
	switch {
	case c.kv("rate") == lua.LNil:
		c.fail("tbf needs rate")
	case c.kv("burst") == lua.LNil:
		c.fail("tbf needs burst (bytes, or a size such as '32kbit')")
	case c.kv("latency") == lua.LNil && c.kv("limit") == lua.LNil:
		c.fail("tbf needs latency or limit")
	}
	r, burst := c.rate("rate"), c.size("burst")
	var peak float64
	if c.kv("peakrate") != lua.LNil {
		peak = c.rate("peakrate")
	}
	mtu := 0.0
	if c.kv("mtu") != lua.LNil {
		mtu = c.size("mtu")
	}
	if peak > 0 && mtu == 0 {
		c.fail("tbf with peakrate needs mtu")
	}
	mpu, overhead := c.kn("mpu", 0), c.kn("overhead", 0)
	var limit float64
	if c.kv("limit") != lua.LNil {
		limit = c.size("limit")
	} else {
		// The queue holds what the bucket lets through in latency, plus
		// burst.
		lat := c.duration("latency")
		limit = r*lat/1e6 + burst
		if peak > 0 {
			limit = math.Min(limit, peak*lat/1e6+mtu)
		}
		limit = math.Floor(limit)
	}
	parms := map[string]any{"limit": luaarg.Number(limit), "mtu": uint64(0)}
	rtab := ratespec(parms, "rate", r, mtu, mpu, overhead)
	parms["buffer"] = luaarg.Number(xmittime(math.Min(r, 0xFFFFFFFF), burst))
	var ptab string
	if peak > 0 {
		ptab = ratespec(parms, "peakrate", peak, mtu, mpu, overhead)
		parms["mtu"] = luaarg.Number(xmittime(math.Min(peak, 0xFFFFFFFF), mtu))
	}
	opts := []any{pair("TCA_TBF_PARMS", engine.Table{Map: parms}), pair("TCA_TBF_BURST", luaarg.Number(burst))}
	if r >= 1<<32 {
		opts = append(opts, pair("TCA_TBF_RATE64", luaarg.Number(r)))
	}
	opts = append(opts, pair("TCA_TBF_RTAB", rtab))
	if peak > 0 {
		if peak >= 1<<32 {
			opts = append(opts, pair("TCA_TBF_PRATE64", luaarg.Number(peak)))
		}
		opts = append(opts, pair("TCA_TBF_PBURST", luaarg.Number(mtu)), pair("TCA_TBF_PTAB", ptab))
	}
	return engine.Table{List: opts}
}

// fifoOptions: TCA_OPTIONS is the bare struct tc_fifo_qopt (limit in
// packets, or bytes); without limit the kernel takes txqueuelen.
func fifoOptions(bytes bool) func(c *ipCall) any {
	return func(c *ipCall) any {
		v := c.kv("limit")
		switch {
		case v == lua.LNil:
			return nil
		case bytes:
			return engine.Table{Map: map[string]any{"limit": luaarg.Number(c.size("limit"))}}
		}
		return engine.Table{Map: map[string]any{"limit": c.m.host.FromLua(v)}}
	}
}

// htbClassOptions: rate (needed) and ceil (default: rate); burst and cburst
// default to what one timer tick sends plus an MTU, as tc computes them.
func htbClassOptions(c *ipCall) any {
	if c.kv("rate") == lua.LNil {
		c.fail("an htb class needs rate")
	}
	r := c.rate("rate")
	ceil := r
	if c.kv("ceil") != lua.LNil {
		ceil = c.rate("ceil")
	}
	mtu := 1600.0
	if c.kv("mtu") != lua.LNil {
		mtu = c.size("mtu")
	}
	mpu, overhead := c.kn("mpu", 0), c.kn("overhead", 0)
	hz := psched().hz
	burst := math.Floor(r/hz) + mtu
	if c.kv("burst") != lua.LNil {
		burst = c.size("burst")
	}
	cburst := math.Floor(ceil/hz) + mtu
	if c.kv("cburst") != lua.LNil {
		cburst = c.size("cburst")
	}
	parms := map[string]any{"quantum": luaarg.Number(c.kn("quantum", 0)), "level": uint64(0), "prio": luaarg.Number(c.kn("prio", 0))}
	rtab := ratespec(parms, "rate", r, mtu, mpu, overhead)
	ctab := ratespec(parms, "ceil", ceil, mtu, mpu, overhead)
	parms["buffer"] = luaarg.Number(xmittime(r, burst)) // burst and cburst as sending times
	parms["cbuffer"] = luaarg.Number(xmittime(ceil, cburst))
	var opts []any
	if r >= 1<<32 {
		opts = append(opts, pair("TCA_HTB_RATE64", luaarg.Number(r)))
	}
	if ceil >= 1<<32 {
		opts = append(opts, pair("TCA_HTB_CEIL64", luaarg.Number(ceil)))
	}
	opts = append(opts, pair("TCA_HTB_PARMS", engine.Table{Map: parms}), pair("TCA_HTB_RTAB", rtab), pair("TCA_HTB_CTAB", ctab))
	return engine.Table{List: opts}
}

// u32Key is one key of a u32 selector: a 32-bit word of the packet
// (network order) at an offset.
type u32Key struct {
	val, mask uint32
	off       int64
	offmask   int64
}

// u32Keys packs matches into keys as tc's pack_key does: narrower
// matches share an aligned word.
type u32Keys struct {
	c    *ipCall
	keys []u32Key
}

func (k *u32Keys) pack(val, mask uint32, off int64, what string) {
	val &= mask
	for i := range k.keys {
		x := &k.keys[i]
		if x.off == off && x.offmask == 0 {
			if (x.val^val)&(x.mask&mask) != 0 {
				k.c.fail("%s: conflicts with another match on the same bytes", what)
			}
			x.val, x.mask = x.val|val, x.mask|mask
			return
		}
	}
	if len(k.keys) >= 128 {
		k.c.fail("%s: more than 128 keys", what)
	}
	k.keys = append(k.keys, u32Key{val: val, mask: mask, off: off})
}

// field packs a match on width bytes at byte offset off, byte by byte.
func (k *u32Keys) field(val, mask uint64, off int64, width int, what string) {
	if mask == 0 { // matches everything: an empty key, as 'match u32 0 0'
		k.pack(0, 0, off-luaMod64(off, 4), what)
		return
	}
	for i := width - 1; i >= 0; i-- {
		bm := uint32(mask>>(8*i)) & 0xff
		if bm != 0 {
			at := off + int64(width-1-i)
			shift := 8 * (3 - luaMod64(at, 4))
			k.pack((uint32(val>>(8*i))&0xff)<<shift, bm<<shift, at-luaMod64(at, 4), what)
		}
	}
}

// luaMod64 is Lua's % for integers.
func luaMod64(a, b int64) int64 { return ((a % b) + b) % b }

// ipProtos are the IP protocols a match names.
var ipProtos = map[string]uint64{"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51,
	"icmpv6": 58, "sctp": 132}

// ipFields are the IPv4 header fields a match table may name, by offset
// (options absent for the ports, as tc assumes).
var ipFields = []struct {
	name       string
	off, width int
}{{"tos", 1, 1}, {"ip_proto", 9, 1}, {"src", 12, 4}, {"dst", 16, 4}, {"sport", 20, 2}, {"dport", 22, 2}}

// matchIP packs a match table's IPv4 fields.
func (k *u32Keys) matchIP(t *lua.LTable) {
	c := k.c
	var names []string
	for _, f := range ipFields {
		names = append(names, f.name)
	}
	if t.Metatable == lua.LNil {
		for key := range tableKeys2(t) {
			if !hasString(names, key) {
				if cl := engine.Closest(key, names, 1); len(cl) > 0 {
					c.fail("match: unknown key '%s' (did you mean '%s'?)", key, cl[0])
				}
				c.fail("match: unknown key '%s' (valid keys: %s)", key, strings.Join(names, ", "))
			}
		}
	}
	for _, f := range ipFields {
		v := c.index(t, f.name)
		if v == lua.LNil {
			continue
		}
		what := "match " + f.name
		var val, mask uint64
		switch f.name {
		case "src", "dst":
			a, l, fam, _ := c.prefix(what, v)
			if fam != unix.AF_INET || l > 32 {
				c.fail("%s: expected an IPv4 prefix, got '%s'", what, v.String())
			}
			val = uint64(ipv4Number(c, what, a))
			mask = uint64(math.Pow(2, 32) - math.Pow(2, float64(32-l)))
		case "ip_proto":
			n, s, isNum := numberOrName(v)
			p, ok := ipProtos[s]
			switch {
			case isNum:
				val = uint64(n)
			case ok:
				val = p
			default:
				c.fail("%s: unknown protocol '%s'", what, v.String())
			}
			mask = 0xff
		default:
			n, _, isNum := numberOrName(v)
			if !isNum {
				c.fail("%s: expected a number, got '%s'", what, v.String())
			}
			val, mask = uint64(n), 1<<(8*f.width)-1
		}
		k.field(val, mask, int64(f.off), f.width, what)
	}
}

// tableKeys2 returns a table's string keys.
func tableKeys2(t *lua.LTable) map[string]bool {
	m := map[string]bool{}
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		m[lua.LVAsString(k)] = true
	}
	return m
}

// ipv4Number reads an IPv4 address as a number.
func ipv4Number(c *ipCall, what, a string) uint32 {
	var b [4]int
	if n, err := fmt.Sscanf(a, "%d.%d.%d.%d", &b[0], &b[1], &b[2], &b[3]); n != 4 || err != nil {
		c.fail("%s: expected an IPv4 address, got '%s'", what, a)
	}
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// rawKeyRE reads pyroute2's 'VAL/MASK+OFF'.
var rawKeyRE = lazyRE(`^\s*([^/\s]+)\s*/\s*([^+\s]+)\s*\+?\s*(-?\w*)\s*$`)

// rawKey packs a raw key: a table {val=, mask=, off=, offmask=} (a whole
// aligned word) or pyroute2's 'VAL/MASK+OFF' string: a field as wide as
// MASK is written ('0x00ff' is two bytes), at byte offset OFF.
func (k *u32Keys) rawKey(v lua.LValue, what string) {
	c := k.c
	if t, ok := v.(*lua.LTable); ok {
		get := func(n string) float64 {
			x := c.index(t, n)
			if x == lua.LNil {
				return 0
			}
			f, ok := x.(lua.LNumber)
			if !ok {
				c.fail("%s: %s: expected a number, got %s", what, n, x.Type().String())
			}
			return float64(f)
		}
		for key := range tableKeys2(t) {
			if !hasString([]string{"val", "mask", "off", "offmask"}, key) {
				c.fail("%s: unknown key '%s' (valid keys: mask, off, offmask, val)", what, key)
			}
		}
		val, mask, off, offmask := uint32(get("val")), uint32(get("mask")), int64(get("off")), int64(get("offmask"))
		if luaMod64(off, 4) != 0 || offmask != 0 {
			k.keys = append(k.keys, u32Key{val: val & mask, mask: mask, off: off, offmask: offmask})
			return
		}
		k.pack(val, mask, off, what)
		return
	}
	m := rawKeyRE().FindStringSubmatch(lua.LVAsString(v))
	var val, mask, off float64
	ok := m != nil
	if ok {
		var vok, mok, ook bool
		val, vok = luaNumber(m[1])
		mask, mok = luaNumber(m[2])
		o := m[3]
		if o == "" {
			o = "0"
		}
		off, ook = luaNumber(o)
		ok = vok && mok && ook
	}
	if !ok {
		c.fail("%s: cannot read '%s' (use 'VAL/MASK+OFF', e.g. '0x0006/0x00ff+8')", what, v.String())
	}
	width := 1
	if hex, isHex := strings.CutPrefix(strings.ToLower(m[2]), "0x"); isHex {
		width = (len(hex) + 1) / 2
	} else {
		for mask >= math.Pow(256, float64(width)) {
			width++
		}
	}
	if width > 4 {
		c.fail("%s: a key is at most 4 bytes wide", what)
	}
	k.field(uint64(val), uint64(mask), int64(off), width, what)
}

// u32Options: match (IPv4 fields by name) and keys (raw) make the selector;
// classid (or flowid, or pyroute2's target) is the class packets go to;
// action the actions.
func u32Options(c *ipCall) any {
	k := &u32Keys{c: c}
	if m := c.kv("match"); m != lua.LNil {
		t, ok := m.(*lua.LTable)
		if !ok {
			c.fail("match: expected a table of fields, got %s", m.Type().String())
		}
		k.matchIP(t)
	}
	if ks := c.kv("keys"); ks != lua.LNil {
		t, ok := ks.(*lua.LTable)
		if !ok {
			c.fail("keys: expected a list of keys, got %s", ks.Type().String())
		}
		for i := 1; ; i++ {
			v := c.indexInt(t, i)
			if v == lua.LNil {
				break
			}
			k.rawKey(v, fmt.Sprintf("keys[%d]", i))
		}
	}
	if len(k.keys) == 0 {
		k.keys = append(k.keys, u32Key{}) // match all
	}
	var opts []any
	var flags uint64
	if target := c.kv("classid"); target != lua.LNil {
		opts = append(opts, pair("TCA_U32_CLASSID", uint64(c.handle("classid", target, false))))
		flags = 1 // TC_U32_TERMINAL
	}
	if a := c.kv("action"); a != lua.LNil {
		opts = append(opts, pair("TCA_U32_ACT", c.actions(a)))
	}
	keys := make([]any, len(k.keys))
	for i, x := range k.keys {
		keys[i] = engine.Table{Map: map[string]any{"val": uint64(x.val), "mask": uint64(x.mask), "off": luaarg.Number(float64(x.off)), "offmask": luaarg.Number(float64(x.offmask))}}
	}
	opts = append(opts, pair("TCA_U32_SEL", engine.Table{Map: map[string]any{"flags": flags, "offshift": uint64(0),
		"nkeys": uint64(len(k.keys)), "offmask": uint64(0), "off": uint64(0), "offoff": uint64(0), "hoff": uint64(0),
		"hmask": uint64(0), "keys": engine.Table{List: keys}}}))
	return engine.Table{List: opts}
}

// Actions. A filter's actions are a list of nests numbered from 1, each
// an action kind and its options. This kernel has mirred (act_mirred):
// mirror or redirect packets to a link.

// mirredActions are mirred's actions: the tcm_mirred eaction and the
// verdict tc gives each.
var mirredActions = map[string]struct{ egress, ingress, verdict uint64 }{
	"mirror":   {2, 4, 3}, // TCA_EGRESS_MIRROR, TCA_INGRESS_MIRROR, TC_ACT_PIPE
	"redirect": {1, 3, 4}, // TCA_EGRESS_REDIR, TCA_INGRESS_REDIR, TC_ACT_STOLEN
}

// actionKeys are the keys of an action table.
var actionKeys = []string{"kind", "direction", "action", "ifindex", "dev", "index"}

// actions builds TCA_U32_ACT from one action table or a list of them.
func (c *ipCall) actions(v lua.LValue) any {
	t, ok := v.(*lua.LTable)
	if !ok {
		c.fail("action: expected an action table {kind='mirred', …} or a list of them, got %s", v.Type().String())
	}
	list := []lua.LValue{t}
	if c.indexInt(t, 1) != lua.LNil {
		list = list[:0]
		for i := 1; ; i++ {
			a := c.indexInt(t, i)
			if a == lua.LNil {
				break
			}
			list = append(list, a)
		}
	}
	var out []any
	for i, a := range list {
		at, ok := a.(*lua.LTable)
		what := fmt.Sprintf("action[%d]", i+1)
		if !ok {
			c.fail("%s: expected a table, got %s", what, a.Type().String())
		}
		for key := range tableKeys2(at) {
			if !hasString(actionKeys, key) {
				if cl := engine.Closest(key, actionKeys, 1); len(cl) > 0 {
					c.fail("%s: unknown key '%s' (did you mean '%s'?)", what, key, cl[0])
				}
				c.fail("%s: unknown key '%s'", what, key)
			}
		}
		kind := lua.LVAsString(c.index(at, "kind"))
		if kind != "mirred" {
			c.fail("%s: kind '%s': ip.tc knows mirred (this kernel has no other action)", what, kind)
		}
		act, ok := mirredActions[lua.LVAsString(c.index(at, "action"))]
		if !ok {
			c.fail("%s: action must be 'mirror' or 'redirect', got '%s'", what, c.index(at, "action").String())
		}
		eaction := act.egress
		switch d := c.index(at, "direction"); d {
		case lua.LString("egress"), lua.LNil:
		case lua.LString("ingress"):
			eaction = act.ingress
		default:
			c.fail("%s: direction must be 'egress' or 'ingress', got '%s'", what, d.String())
		}
		dev := or(c.index(at, "ifindex"), c.index(at, "dev"))
		if dev == lua.LNil {
			c.fail("%s: mirred needs ifindex (or dev)", what)
		}
		idx := c.m.host.FromLua(c.ifindex("dev", dev))
		var index any = uint64(0)
		if n := c.index(at, "index"); n != lua.LNil {
			index = c.m.host.FromLua(n)
		}
		parms := engine.Table{Map: map[string]any{"index": index, "capab": uint64(0), "action": act.verdict,
			"refcnt": uint64(0), "bindcnt": uint64(0), "eaction": eaction, "ifindex": idx}}
		out = append(out, pair(fmt.Sprintf("TCA_ACT_PRIO_%d", i+1), engine.Table{List: []any{
			pair("TCA_ACT_KIND", "mirred"),
			pair("TCA_ACT_OPTIONS", engine.Table{List: []any{pair("TCA_MIRRED_PARMS", parms)}}),
		}}))
	}
	return engine.Table{List: out}
}
