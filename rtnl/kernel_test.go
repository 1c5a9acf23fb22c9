package rtnl

import (
	"bytes"
	"context"
	"flag"
	"fmt"
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
}

func dumpMsg(typ uint16, body []byte) []byte {
	b := make([]byte, engine.HeaderLen+len(body))
	engine.Header{Length: uint32(len(b)), Type: typ, Flags: engine.NLM_F_REQUEST | engine.NLM_F_DUMP}.Put(b)
	copy(b[engine.HeaderLen:], body)
	return b
}

// TestKernelRoundTrip dumps every kind of object from a namespace holding one
// of each and checks that each message re-encodes from its decoded form to
// the identical bytes, and that no attribute the descriptions should know
// decodes as unknown.
func TestKernelRoundTrip(t *testing.T) {
	ns := nstest.New(t)
	nstest.Topology(t, ns)
	// A gateway outside every subnet: the route's rtm_flags carry the
	// next hop's RTNH_F_ONLINK, as fib_dump_info copies them there.
	nstest.IP(t, ns, "route", "add", "10.77.0.0/16", "via", "10.99.0.1", "dev", "v0", "onlink")
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
			for _, p := range undecoded(mt.Class.Attrs, rec.Attrs, mt.Name) {
				t.Errorf("%s: %s", rq.name, p)
			}
			for _, p := range unnamedFlags(rec.Fields, mt.Name) {
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
	for _, want := range []string{"links", "addrs", "routes", "neighs", "rules", "qdiscs", "classes", "filters"} {
		if counts[want] == 0 {
			t.Errorf("no %s dumped", want)
		}
	}
}

// undecoded lists attributes that decoded as unknown although their number is
// within the range the set describes (so the 6.1 headers define them), and
// attributes whose described kind did not match their payload.
func undecoded(set *engine.AttrSet, attrs []engine.Attr, path string) []string {
	var bad []string
	maxType := uint16(0)
	if set != nil {
		for _, a := range set.Attrs {
			maxType = max(maxType, a.Type)
		}
	}
	for _, a := range attrs {
		name := a.Name(set)
		p := path + " > " + name
		if a.Desc == nil {
			if a.Type <= maxType {
				bad = append(bad, p+": decodes as unknown")
			}
			continue
		}
		if raw, ok := a.Value.([]byte); ok && a.Desc.Kind != engine.Binary && a.Desc.Kind != engine.SubMsg {
			bad = append(bad, fmt.Sprintf("%s: %d-byte payload does not match kind %s", p, len(raw), a.Desc.Kind))
		}
		bad = append(bad, undecodedValue(a.Value, p)...)
	}
	return bad
}

func undecodedValue(v any, p string) []string {
	switch x := v.(type) {
	case *engine.NestValue:
		return undecoded(x.Set, x.Attrs, p)
	case *engine.Record:
		return undecoded(x.Class.Attrs, x.Attrs, p)
	case []*engine.Record:
		var bad []string
		for _, r := range x {
			bad = append(bad, undecoded(r.Class.Attrs, r.Attrs, p)...)
		}
		return bad
	case *engine.StructValue:
		if x.Tail != nil {
			return []string{fmt.Sprintf("%s: struct %s has %d bytes more than described", p, x.Desc.Name, len(x.Tail))}
		}
		return unnamedFlags(x, p)
	}
	return nil
}

// unnamedFlags lists the fields of s described as flag sets whose value
// has bits the set does not name: what the kernel sets, a reader of the
// decoded message should see by name.
func unnamedFlags(s *engine.StructValue, path string) []string {
	if s == nil {
		return nil
	}
	var bad []string
	for i, f := range s.Desc.Fields {
		if f.Enum == nil || !f.Enum.Flags || i >= len(s.Values) {
			continue
		}
		n, ok := s.Values[i].(int64)
		if !ok {
			if u, isU := s.Values[i].(uint64); isU {
				n, ok = int64(u), true
			}
		}
		if !ok {
			continue
		}
		rest := uint64(n)
		for _, ev := range f.Enum.Values {
			if ev.Value&(ev.Value-1) == 0 {
				rest &^= ev.Value
			}
		}
		if rest != 0 {
			bad = append(bad, fmt.Sprintf("%s.%s = %#x: bits %#x have no name in %s", path, f.Name, uint64(n), rest, f.Enum.Name))
		}
	}
	return bad
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
