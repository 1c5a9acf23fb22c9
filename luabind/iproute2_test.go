package luabind

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestIproute2Golden encodes each request of testdata/iproute2, built in Lua
// attribute by attribute as iproute2 orders them, and compares the bytes with
// those iproute2 itself sent (captured with strace), sequence number and port
// id aside.
func TestIproute2Golden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "iproute2", "*.lua"))
	if err != nil || len(files) < 9 {
		t.Fatalf("golden requests: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".lua")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			e, _ := newEnv(t, "")
			vals, err := e.Run(context.Background(), f, string(src), nil)
			if err != nil {
				t.Fatal(e.FormatError(err))
			}
			m, ok := vals[0].(*lua.LTable)
			if !ok {
				t.Fatalf("%s returned %v, want a message table", f, vals)
			}
			wantIproute2Bytes(t, e, m, strings.TrimSuffix(f, ".lua")+".hex")
		})
	}
}

// wantIproute2Bytes fails unless message table m encodes to the bytes
// iproute2 sent (the golden hex file), sequence number and port id aside.
func wantIproute2Bytes(t *testing.T, e *Env, m *lua.LTable, golden string) {
	t.Helper()
	got, err := e.encodeTable(m)
	if err != nil {
		t.Fatal(err)
	}
	sameWire(t, filepath.Base(golden), got, readHexGolden(t, golden))
}

func readHexGolden(t *testing.T, path string) []byte {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	for _, line := range strings.Split(string(text), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, f := range strings.Fields(line) {
			v, err := hex.DecodeString(f)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			b = append(b, v...)
		}
	}
	return b
}
