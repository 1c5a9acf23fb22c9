package genl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nlsh/engine"
)

// recordedTable describes the recorded families from their recorded
// policies, as nlsh does live for a family without a spec.
func recordedTable(t testing.TB) *Table {
	t.Helper()
	pols := map[string]*Policy{}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "genl", "policy-*.bin"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := engine.Split(b)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "policy-"), ".bin")
		pols[name] = ParsePolicy(NewTable(nil).Protocol(), msgs)
	}
	tab := NewTable(func(in Info) (*Family, error) {
		if p := pols[in.Name]; p != nil {
			return PolicyFamily(in, p)
		}
		return nil, nil
	})
	tab.Learn(familiesDump(t))
	return tab
}

// FuzzGenlDecode decodes generic netlink messages by family and command,
// in both directions: decoding never fails, what it decodes re-encodes,
// and re-encoding is stable; the kernel's own messages come back byte for
// byte. Seeds: the recorded family and policy dumps.
func FuzzGenlDecode(f *testing.F) {
	real := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "genl", "*.bin"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		msgs, _ := engine.Split(b)
		for i := range msgs {
			m := msgs[i].Bytes()
			real[string(m)] = true
			f.Add(m)
		}
	}
	tab := recordedTable(f)
	p := tab.Protocol()
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, _ := engine.Split(data)
		for i := range msgs {
			m := &msgs[i]
			orig := m.Bytes()
			for _, dir := range []engine.Direction{engine.DirRequest, engine.DirReply} {
				mt := p.Resolve(m.Header, m.Body, dir)
				var c *engine.Class
				if mt != nil {
					c = mt.Class
				}
				var rec any = m.Body
				if c != nil {
					rec = engine.DecodeRecord(c, m.Body)
				}
				b1, err := engine.EncodeMessage(m.Header, c, rec)
				if err != nil {
					t.Fatalf("message %d as %s: re-encoding: %v\ninput %x", i, dir, err, orig)
				}
				if real[string(orig)] && !bytes.Equal(b1, orig) {
					t.Fatalf("message %d as %s: kernel message changed\n got %x\nwant %x", i, dir, b1, orig)
				}
				again, err := engine.Split(b1)
				if err != nil || len(again) != 1 {
					t.Fatalf("re-encoded bytes frame as %d messages (%v)", len(again), err)
				}
				var rec2 any = again[0].Body
				if c != nil {
					rec2 = engine.DecodeRecord(c, again[0].Body)
				}
				b2, err := engine.EncodeMessage(again[0].Header, c, rec2)
				if err != nil || !bytes.Equal(b1, b2) {
					t.Fatalf("encode∘decode not stable (%v)\npass 1 %x\npass 2 %x", err, b1, b2)
				}
				engine.Explain(p, orig, engine.ExplainOptions{Mark: -1, Dir: dir})
				engine.Summary(p, m)
			}
		}
	})
}
