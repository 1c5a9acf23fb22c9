package luabind

import (
	"context"
	"encoding/binary"
	"io"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

const benchRoutes = 10000

// benchRouteDump builds the answer to an IPv4 route dump of n routes as the
// kernel lays it out: rtmsg, RTA_TABLE, RTA_DST 10.x.y.0/24, RTA_PRIORITY
// (on every other route), RTA_GATEWAY, RTA_OIF. Every attribute here has a
// 4-byte payload, so none needs padding.
func benchRouteDump(n int) []byte {
	var buf []byte
	attr := func(b []byte, typ uint16, p []byte) []byte {
		b = binary.LittleEndian.AppendUint16(b, uint16(4+len(p)))
		b = binary.LittleEndian.AppendUint16(b, typ)
		return append(b, p...)
	}
	u32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	for i := range n {
		start := len(buf)
		buf = append(buf, make([]byte, engine.HeaderLen)...)
		buf = append(buf, 2, 24, 0, 0, 254, 4, 0, 1, 0, 0, 0, 0) // AF_INET /24 main static universe unicast
		buf = attr(buf, 15, u32(254))
		buf = attr(buf, 1, []byte{10, byte(i >> 8), byte(i), 0})
		if i%2 == 0 {
			buf = attr(buf, 6, u32(100))
		}
		buf = attr(buf, 5, []byte{10, 0, 0, 1})
		buf = attr(buf, 4, u32(2))
		engine.Header{Length: uint32(len(buf) - start), Type: 24, Flags: engine.NLM_F_MULTI, Seq: 1}.Put(buf[start:])
	}
	return buf
}

// BenchmarkLuaDecodeDump10k is the DESIGN §5 headline workload in-process:
// decode a 10,000-route dump into Lua and count the routes whose RTA_DST
// starts with '10.1.', reading each through r:get (the lazy path).
func BenchmarkLuaDecodeDump10k(b *testing.B) {
	e := New(Options{Stdout: io.Discard})
	defer e.Close()
	e.L.SetGlobal("dump", lua.LString(benchRouteDump(benchRoutes)))
	const src = `
local n = 0
for _, r in ipairs(rtnl.decode(dump)) do
  local dst = r:get('RTA_DST')
  if dst and dst:sub(1, 5) == '10.1.' then n = n + 1 end
end
return n`
	perMsg(b, benchRoutes, func() {
		out, err := e.Run(context.Background(), "bench", src, nil)
		if err != nil {
			b.Fatal(e.FormatError(err))
		}
		if n := lua.LVAsNumber(out[0]); n != 256 { // 10.1.0.0/24 … 10.1.255.0/24
			b.Fatalf("counted %v routes, want 256", n)
		}
	})
}
