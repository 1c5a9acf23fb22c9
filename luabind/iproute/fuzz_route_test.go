package iproute

import (
	"encoding/binary"
	"math"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/rtnl"
)

// fuzzRouteKeys are the keys a fuzzed spec draws from: ip.route's own, the
// options, and a few it must refuse.
var fuzzRouteKeys = []string{"dst", "dst_len", "gateway", "via", "oif", "dev", "table", "priority",
	"metric", "proto", "scope", "type", "src", "prefsrc", "metrics", "multipath", "family",
	"onlink", "tos", "echo", "dry", "gw", "mtu", "weight", "hops", "lock", "bogus"}

// fuzzValue builds a Lua value from the input: a string, number, boolean or
// a small table (a list of tables for multipath, keyed tables for metrics).
func fuzzValue(L *lua.LState, b []byte, depth int) (lua.LValue, []byte) {
	if len(b) == 0 {
		return lua.LNil, b
	}
	kind, b := b[0], b[1:]
	take := func(n int) []byte {
		n = min(n, len(b))
		out := b[:n]
		b = b[n:]
		return out
	}
	switch kind % 6 {
	case 0:
		n := 0
		if len(b) > 0 {
			n = int(b[0] % 40)
			b = b[1:]
		}
		return lua.LString(take(n)), b
	case 1:
		var p [8]byte
		copy(p[:], take(8))
		return lua.LNumber(math.Float64frombits(binary.LittleEndian.Uint64(p[:]))), b
	case 2:
		var n int8
		if p := take(1); len(p) == 1 {
			n = int8(p[0])
		}
		return lua.LNumber(float64(n)), b
	case 3:
		return lua.LBool(len(b) > 0 && b[0]%2 == 0), b
	default:
		t := L.NewTable()
		if depth > 2 {
			return t, b
		}
		n := 0
		if len(b) > 0 {
			n = int(b[0] % 4)
			b = b[1:]
		}
		for i := 0; i < n; i++ {
			var v lua.LValue
			if kind%6 == 4 {
				v, b = fuzzValue(L, b, depth+1)
				t.Append(v)
				continue
			}
			if len(b) == 0 {
				break
			}
			k := fuzzRouteKeys[int(b[0])%len(fuzzRouteKeys)]
			v, b = fuzzValue(L, b[1:], depth+1)
			t.RawSetString(k, v)
		}
		return t, b
	}
}

// FuzzRouteSpec builds ip.route specs from arbitrary input: the builder
// returns an error or a message that frames and decodes, and never panics.
func FuzzRouteSpec(f *testing.F) {
	f.Add([]byte{0, 0, 11, '1', '0', '.', '8', '.', '0', '.', '0', '/', '1', '6', 2, 0, 8, '1', '0', '.', '0', '.', '0', '.', '2'})
	f.Add([]byte{1, 15, 4, 3, 2, 5, 0, 0, 3, 'f', 'e', '8', 3, 14, 5, 2, 1, 0, 2, 9})
	f.Add([]byte{0, 0, 7, 'd', 'e', 'f', 'a', 'u', 'l', 't', 8, 2, 3, 6, 0, 4, 'm', 'a', 'i', 'n'})
	m, L := newTestModule(f)
	inst := m.root
	inst.lookupFn = func(*lua.LState, string) (int, bool) { return 7, true } // no kernel
	f.Fuzz(func(t *testing.T, in []byte) {
		spec := L.NewTable()
		b := in
		for len(b) > 1 && spec.Len() < 12 {
			k := fuzzRouteKeys[int(b[0])%len(fuzzRouteKeys)]
			var v lua.LValue
			v, b = fuzzValue(L, b[1:], 0)
			spec.RawSetString(k, v)
		}
		cmds := []string{"add", "del", "replace", "append", "change"}
		cmd := cmds[len(in)%len(cmds)]
		spec.RawSetString("dry", lua.LNil)
		L.Push(L.NewFunction(func(L *lua.LState) int {
			c := inst.call(L, routeVerb(), cmd, useChange)
			defer c.done()
			c.read(spec)
			L.Push(lua.LString(c.encode(c.routeChange())))
			return 1
		}))
		if err := L.PCall(0, 1, nil); err != nil {
			return
		}
		msg := []byte(L.Get(-1).(lua.LString))
		L.Pop(1)
		msgs, ferr := engine.Split(msg)
		if ferr != nil || len(msgs) != 1 || int(msgs[0].Header.Length) != len(msg) {
			t.Fatalf("built % x: %d messages, %v", msg, len(msgs), ferr)
		}
		if r := msgs[0].Decode(rtnl.Route); r.Fields == nil {
			t.Fatalf("built % x: no rtmsg", msg)
		}
	})
}
