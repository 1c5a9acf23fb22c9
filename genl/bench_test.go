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

// routeLike is a generic netlink family whose one operation carries what
// an IPv4 route does (a table, a destination, a gateway, an output
// interface, a priority), so a dump of it and an rtnetlink route dump
// decode the same attributes: the difference is what finding a generic
// message's family and command costs.
func routeLike(b *testing.B) (*engine.Protocol, []byte) {
	set := engine.NewAttrSet("route-like", "")
	for i, a := range []struct {
		name string
		k    engine.Kind
	}{{"table", engine.U32}, {"dst", engine.IPv4}, {"gateway", engine.IPv4}, {"oif", engine.U32}, {"priority", engine.U32}} {
		set.Add(&engine.AttrDesc{Name: a.name, Type: uint16(i + 1), Kind: a.k})
	}
	f := &Family{Name: "routes", Version: 1, Ops: []*Op{{Name: "get", Req: 1, Reply: 1, Set: set, Dump: true}}}
	if err := f.Build(); err != nil {
		b.Fatal(err)
	}
	tab := NewTable(func(Info) (*Family, error) { return f, nil })
	bound := tab.Bind(Info{Name: "routes", ID: 40, Version: 1})
	pair := func(n string, v any) engine.Table { return engine.Table{List: []any{n, v}} }
	msg, err := bound.Encode(bound.Op("get"), engine.NLM_F_MULTI, nil, engine.Table{List: []any{
		pair("table", uint64(254)), pair("dst", "10.1.2.0"), pair("gateway", "10.0.0.1"), pair("oif", uint64(2)), pair("priority", uint64(100)),
	}})
	if err != nil {
		b.Fatal(err)
	}
	msg[6] &^= byte(engine.NLM_F_REQUEST) // a reply, as the kernel sends it
	var dump []byte
	for range 10000 {
		dump = append(dump, msg...)
	}
	return tab.Protocol(), dump
}

// BenchmarkDecodeGenlDump10k decodes a 10,000-message generic dump of
// route-sized messages; rtnl's BenchmarkDecodeDump10k is the same work for
// routes.
func BenchmarkDecodeGenlDump10k(b *testing.B) {
	p, dump := routeLike(b)
	b.ReportAllocs()
	for b.Loop() {
		msgs, err := engine.Split(dump)
		if err != nil {
			b.Fatal(err)
		}
		for i := range msgs {
			msgs[i].Decode(p)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*10000), "ns/msg")
}
