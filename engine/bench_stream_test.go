package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// BenchmarkStreamDump walks a dump of 100,000 routes datagram by datagram
// (Stream.NextBatch) and decodes nothing: the floor every form of a dump in
// nlsh builds on, per message, kernel included.
func BenchmarkStreamDump(b *testing.B) {
	const routes = 100000
	ns := nstest.New(b)
	nstest.IP(b, ns, "link", "set", "lo", "up")
	var sb strings.Builder
	for i := range routes {
		fmt.Fprintf(&sb, "route add local 10.%d.%d.%d/32 dev lo table 100\n", i>>16&1, i>>8&255, i&255)
	}
	f := filepath.Join(b.TempDir(), "routes")
	if err := os.WriteFile(f, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	nstest.IP(b, ns, "-batch", f)
	b.Cleanup(func() { nstest.IP(b, ns, "route", "flush", "table", "100") })
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = ns
	c, err := engine.Dial(unix.NETLINK_ROUTE, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	rtm := make([]byte, 12)
	rtm[0] = unix.AF_INET
	req := nlmsg(rtmGetRoute, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, 0, rtm)
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		s, err := c.Stream(ctx, testProto, req)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			msgs, ok, err := s.NextBatch(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if !ok {
				break
			}
			n += len(msgs)
		}
		if n < routes {
			b.Fatalf("streamed %d routes, want at least %d", n, routes)
		}
	}
	runtime.ReadMemStats(&after)
	msgs := float64(b.N * routes)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/msgs, "ns/msg")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/msgs, "B/msg")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/msgs, "allocs/msg")
}
