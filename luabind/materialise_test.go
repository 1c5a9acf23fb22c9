package luabind

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// TestMaterialisedTailRoundTrip: bytes past what a message's description
// covers are kept in _tail and go back on encode, once the message has
// been materialised into Lua tables too, not only while it is untouched.
func TestMaterialisedTailRoundTrip(t *testing.T) {
	stats := make([]byte, 4+8*25+4) // rtnl_link_stats64 as the description has it, and 4 bytes more
	binary.LittleEndian.PutUint16(stats, uint16(len(stats)))
	binary.LittleEndian.PutUint16(stats[2:], 23) // IFLA_STATS64
	copy(stats[len(stats)-4:], "\x01\x02\x03\x04")
	tests := []struct {
		name string
		body []byte
	}{
		{"trailing bytes after the attributes", []byte{2, 24, 0, 0, 2, 0, 0, 0, 8, 0, 2, 0, 10, 0, 0, 1, 7, 7}},
		{"a body shorter than its header", []byte{2, 24}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMaterialised(t, fakeMessage(engine.Header{Type: 20}, tt.body))
		})
	}
	t.Run("a struct longer than its description", func(t *testing.T) {
		checkMaterialised(t, fakeMessage(engine.Header{Type: 16}, append(make([]byte, 16), stats...)))
	})
}

// fakeMessage frames body under header h.
func fakeMessage(h engine.Header, body []byte) []byte {
	b := make([]byte, engine.HeaderLen, engine.HeaderLen+len(body))
	h.Length = uint32(engine.HeaderLen + len(body))
	h.Put(b)
	return append(b, body...)
}

// checkMaterialised decodes b, materialises it and encodes it again.
func checkMaterialised(t *testing.T, b []byte) {
	t.Helper()
	e, _ := newEnv(t, "")
	e.L.SetGlobal("b", lua.LString(b))
	out := run(t, e, `local m = rtnl.decode(b)[1]; local _ = m.attrs; return m:encode()`)
	if got := lua.LVAsString(out[0]); got != string(b) {
		t.Errorf("materialised message encodes to\n%x\nwant\n%x", got, b)
	}
}

// TestMaterialisedGenlRoundTrip: the kernel sends some generic netlink
// nests without NLA_F_NESTED (nlctrl's ops and mcast-groups), which the
// encoder would set on them; a materialised message says nla_flags 0
// there, so it re-encodes to the bytes received.
func TestMaterialisedGenlRoundTrip(t *testing.T) {
	for name, b := range kernelMessages(t, "genl") {
		t.Run(name, func(t *testing.T) {
			e, _ := newEnv(t, "")
			e.L.SetGlobal("b", lua.LString(b))
			out := run(t, e, `
local n = 0
for i, m in ipairs(genl.decode(b)) do
  local raw = m:encode()
  local _ = m.attrs
  if m:encode() ~= raw then error(('#%d %s does not re-encode to its bytes'):format(i, m.event)) end
  n = n + 1
end
return n`)
			if int(lua.LVAsNumber(out[0])) == 0 {
				t.Error("no messages")
			}
		})
	}
}

// kernelMessages returns the recordings of testdata/DIR (dumps: rtnetlink,
// genl: generic netlink), each file's bytes by its name.
func kernelMessages(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", dir, "*.bin"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recordings in testdata/%s (%v)", dir, err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}
