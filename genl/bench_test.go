package genl

import (
	"os"
	"path/filepath"
	"testing"

	"nlsh/engine"
)

// BenchmarkDecodeEthtoolPolicy decodes the replies of ethtool's policy
// dump (nests three deep, 300 messages): per message, what resolving the
// family and command adds to the codec's work. Compare with rtnl's
// BenchmarkDecodeDump10k per route.
func BenchmarkDecodeEthtoolPolicy(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "genl", "policy-ethtool.bin"))
	if err != nil {
		b.Fatal(err)
	}
	msgs, err := engine.Split(data)
	if err != nil {
		b.Fatal(err)
	}
	p := NewTable(nil).Protocol()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i := range msgs {
			msgs[i].Decode(p)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(msgs)), "ns/msg")
}

// BenchmarkResolve is the cost of finding a generic message's layout.
func BenchmarkResolve(b *testing.B) {
	tab := recordedTable(b)
	p := tab.Protocol()
	h := engine.Header{Type: tab.ByName("ethtool").ID}
	body := []byte{2, 1, 0, 0}
	tab.ByName("ethtool").Family()
	b.ReportAllocs()
	for range b.N {
		p.Resolve(h, body, engine.DirReply)
	}
}
