package rtnl

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

var captureDir = flag.String("capture", "", "write the dumps of TestKernelRoundTrip to this directory (fuzz seeds)")

// dumpRequests are the dumps a namespace built by nstest.Topology answers.
// Traffic-control classes and filters are dumped per device, so they are
// added by the test once it knows v0's index.
var dumpRequests = []struct {
	name string
	typ  uint16
	body []byte
}{
	{"links", 18, make([]byte, 16)},
	// Per-family link dumps: AF_INET6 carries IFLA_PROTINFO (IFLA_INET6_*),
	// AF_BRIDGE lists bridge ports with IFLA_PROTINFO (IFLA_BRPORT_*) and
	// IFLA_AF_SPEC holding IFLA_BRIDGE_* directly.
	{"links6", 18, append([]byte{10}, make([]byte, 15)...)},
	{"bridge_ports", 18, append([]byte{7}, make([]byte, 15)...)},
	{"addrs", 22, make([]byte, 8)},
	{"routes", 26, make([]byte, 12)},
	{"neighs", 30, make([]byte, 12)},
	{"rules", 34, make([]byte, 12)},
	{"qdiscs", 38, make([]byte, 20)},
	{"neightbls", 66, make([]byte, 4)},
	{"netconf", 82, make([]byte, 4)},
	// The test adds a nexthop and a group of it to the topology.
	{"nexthops", 106, make([]byte, 8)},
	// The same asking for statistics: NHA_OP_FLAGS (14) with
	// NHA_OP_FLAG_DUMP_STATS | NHA_OP_FLAG_DUMP_HW_STATS.
	{"nexthop_stats", 106, append(make([]byte, 8), 8, 0, 14, 0, 3, 0, 0, 0)},
	// RTM_GETSTATS for every link, filter_mask asking for every group:
	// LINK_64, LINK_XSTATS, LINK_XSTATS_SLAVE, LINK_OFFLOAD_XSTATS, AF_SPEC.
	{"stats", 94, statsRequest(1<<0 | 1<<1 | 1<<2 | 1<<3 | 1<<4)},
}

// statsRequest is an if_stats_msg for every link with filter_mask mask.
func statsRequest(mask uint32) []byte {
	b := make([]byte, 12)
	putU32(b[8:], mask)
	return b
}

func dumpMsg(typ uint16, body []byte) []byte {
	b := make([]byte, engine.HeaderLen+len(body))
	engine.Header{Length: uint32(len(b)), Type: typ, Flags: engine.NLM_F_REQUEST | engine.NLM_F_DUMP}.Put(b)
	copy(b[engine.HeaderLen:], body)
	return b
}

// TestKernelRoundTrip dumps every kind of object from a namespace holding one
// of each and checks that each message re-encodes from its decoded form to
// the identical bytes, and that every attribute the running kernel sends,
// at any depth, decodes by name and as its described kind: an attribute
// nlsh does not name fails the test whatever its number.
func TestKernelRoundTrip(t *testing.T) {
	ns := nstest.New(t)
	nstest.Topology(t, ns)
	// A gateway outside every subnet: the route's rtm_flags carry the
	// next hop's RTNH_F_ONLINK, as fib_dump_info copies them there.
	nstest.IP(t, ns, "route", "add", "10.77.0.0/16", "via", "10.99.0.1", "dev", "v0", "onlink")
	nstest.IP(t, ns, "nexthop", "add", "id", "1", "via", "10.0.0.2", "dev", "v0")
	nstest.IP(t, ns, "nexthop", "add", "id", "2", "group", "1")
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = ns
	c, err := engine.Dial(0, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	reqs := append([]struct {
		name string
		typ  uint16
		body []byte
	}{}, dumpRequests...)
	v0 := linkIndex(t, c, "v0")
	filt := make([]byte, 20)
	putU32(filt[4:], v0)
	putU32(filt[12:], 0x10000) // parent 1:
	cls := make([]byte, 20)
	putU32(cls[4:], v0)
	reqs = append(reqs, struct {
		name string
		typ  uint16
		body []byte
	}{"filters", 46, filt}, struct {
		name string
		typ  uint16
		body []byte
	}{"classes", 42, cls})

	counts := map[string]int{}
	for _, rq := range reqs {
		msgs, err := c.Request(context.Background(), Route, dumpMsg(rq.typ, rq.body))
		if err != nil {
			t.Fatalf("%s: %v", rq.name, err)
		}
		if len(msgs) == 0 {
			t.Errorf("%s: empty dump", rq.name)
		}
		var all []byte
		for i := range msgs {
			m := &msgs[i]
			counts[rq.name]++
			raw := m.Bytes()
			all = append(all, raw...)
			for len(all)%4 != 0 {
				all = append(all, 0)
			}
			mt := Route.TypeByNumber(m.Header.Type)
			if mt == nil || mt.Class == nil {
				t.Errorf("%s: message type %d has no description", rq.name, m.Header.Type)
				continue
			}
			rec := m.Decode(Route)
			got, err := engine.EncodeMessage(m.Header, mt.Class, rec)
			if err != nil {
				t.Errorf("%s #%d (%s): re-encode: %v", rq.name, i, mt.Name, err)
				continue
			}
			if !bytes.Equal(got, raw) {
				t.Errorf("%s #%d (%s): round trip differs\n got %x\nwant %x", rq.name, i, mt.Name, got, raw)
			}
			for _, p := range nstest.Unnamed(rec, mt.Name) {
				t.Errorf("%s: %s", rq.name, p)
			}
			if rec.Tail != nil {
				t.Errorf("%s #%d (%s): %d trailing bytes did not parse", rq.name, i, mt.Name, len(rec.Tail))
			}
		}
		if *captureDir != "" {
			if err := os.WriteFile(filepath.Join(*captureDir, rq.name+".bin"), all, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("messages per dump: %v", counts)
	for _, want := range []string{"links", "addrs", "routes", "neighs", "rules", "qdiscs", "classes", "filters", "nexthops", "nexthop_stats", "stats"} {
		if counts[want] == 0 {
			t.Errorf("no %s dumped", want)
		}
	}
}

func linkIndex(t *testing.T, c *engine.Conn, name string) uint32 {
	t.Helper()
	msgs, err := c.Request(context.Background(), Route, dumpMsg(18, make([]byte, 16)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range msgs {
		r := msgs[i].Decode(Route)
		if n, _ := r.Get("IFLA_IFNAME"); n == name {
			idx, _ := r.Field("index")
			return uint32(idx.(int64))
		}
	}
	t.Fatalf("no link %s", name)
	return 0
}

func putU32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}
