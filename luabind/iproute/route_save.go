package iproute

import (
	"encoding/binary"
	"errors"
	"fmt"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind/luaarg"
)

// ip.route_dumps(filter [, opts]) and ip.route_loads(data [, opts]):
// routes saved as bytes and loaded back, as pyroute2's route_dumps and
// route_loads, and in the format of `ip route save` and `ip route
// restore`: the route messages as the kernel sent them, after a magic
// number (opts.fmt = 'raw': without it). Loading sends each route back as
// a replace.

// iproute2DumpMagic starts the files `ip route save` writes, in host
// byte order.
const iproute2DumpMagic = 0x45311224

// readDumpFormat reads opts.fmt at stack index n: true for iproute2's,
// false for raw.
func readDumpFormat(L *lua.LState, n int, fname string) bool {
	magic := true
	luaarg.Options(L, n, fname, []string{"fmt"}, func(k string, v lua.LValue) error {
		switch v {
		case lua.LString("iproute2"):
		case lua.LString("raw"):
			magic = false
		default:
			return fmt.Errorf("fmt: expected 'iproute2' or 'raw', got %s", lua.LVAsString(v))
		}
		return nil
	})
	return magic
}

// routeDumps is ip.route_dumps(filter [, opts]): the routes ip.routes
// (filter) finds, as bytes.
func (i *ipInst) routeDumps(L *lua.LState) int {
	magic := readDumpFormat(L, 2, "ip.route_dumps")
	c := i.getter(L, routeVerb(), "ip.route_dumps", L.Get(1))
	defer c.done()
	if c.dry {
		c.fail("dry is not available here")
	}
	req, f := c.routeFilter()
	msgs, err := i.dump(L, c.encode(req), c.opts)
	if err != nil {
		if !errors.Is(err, unix.ENOENT) || req.field(0) == unix.AF_UNSPEC {
			i.raiseDump(L, err, msgs)
		}
		msgs = nil
	}
	var b []byte
	if magic {
		b = binary.NativeEndian.AppendUint32(b, iproute2DumpMagic)
	}
	for _, m := range f.passed(msgs) {
		if m.Header.Type == unix.RTM_NEWROUTE {
			b = append(b, m.Bytes()...)
			for len(b)%4 != 0 { // the next message starts aligned
				b = append(b, 0)
			}
		}
	}
	L.Push(lua.LString(b))
	return 1
}

// routeLoads is ip.route_loads(data [, opts]): each route of data sent
// back as a replace (RTM_NEWROUTE, NLM_F_CREATE|NLM_F_REPLACE), packed
// into few datagrams. It returns how many it loaded; if some failed, it
// raises the first failure's error value, with index (which route),
// failed and applied, once all were tried, as pyroute2 does.
func (i *ipInst) routeLoads(L *lua.LState) int {
	h := i.m.host
	data := []byte(L.CheckString(1))
	if readDumpFormat(L, 2, "ip.route_loads") {
		if len(data) < 4 || binary.NativeEndian.Uint32(data) != iproute2DumpMagic {
			L.RaiseError("ip.route_loads: not a route dump (no iproute2 magic; fmt = 'raw' reads one without)")
		}
		data = data[4:]
	}
	msgs, err := engine.Split(data)
	if err != nil {
		L.RaiseError("ip.route_loads: %s", err.Error())
	}
	var reqs [][]byte
	for _, m := range msgs {
		if m.Header.Type != unix.RTM_NEWROUTE {
			continue
		}
		m.Header = engine.Header{Length: m.Header.Length, Type: unix.RTM_NEWROUTE, Flags: reqAck | engine.NLM_F_CREATE | engine.NLM_F_REPLACE}
		reqs = append(reqs, m.Bytes())
	}
	errs, err := i.socket(L).RequestBatch(h.Context(L), reqs)
	if err != nil {
		h.Raise(L, "ip.route_loads", err)
	}
	first, failed := -1, 0
	for j, err := range errs {
		if err != nil {
			failed++
			if first < 0 {
				first = j
			}
		}
	}
	if failed > 0 {
		var ne *engine.Error
		if !errors.As(errs[first], &ne) {
			L.RaiseError("ip.route_loads: route %d: %s", first+1, errs[first].Error())
		}
		t := h.ErrorValue(ne)
		t.RawSetString("index", lua.LNumber(first+1))
		t.RawSetString("failed", lua.LNumber(failed))
		t.RawSetString("applied", lua.LNumber(len(reqs)-failed))
		L.Error(t, 1)
	}
	L.Push(lua.LNumber(len(reqs)))
	return 1
}
