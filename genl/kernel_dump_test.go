package genl

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
	"nlsh/ynl"
)

// TestKernelDumpsNamed dumps every operation of the families with an
// installed spec that offer dumps, in a namespace with a veth pair, and
// fails on anything in the replies nlsh does not name (nstest.Unnamed):
// the running kernel is newer than the specs, and what it sends beyond
// them would reach a reader of print or nl.explain as bare numbers. Every
// reply also re-encodes to the kernel's bytes.
func TestKernelDumpsNamed(t *testing.T) {
	specs := &Specs{Finder: &ynl.Finder{}}
	if names, err := specs.Finder.List(); err != nil || len(names) == 0 {
		t.Skip("no YNL specs installed") // TestFromSpec fails for it under NLSH_REQUIRE_NETNS
	}
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "link", "set", "v1", "up")
	c := dialGeneric(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tab := NewTable(specs.Describe)
	fams, err := tab.List(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	dumped := map[string]int{}
	for _, b := range fams {
		f := b.Family()
		if b.Err() != nil || f == nil {
			t.Errorf("%s: %v", b.Name, b.Err())
			continue
		}
		if spec, _ := specs.Describe(b.Kernel); spec == nil {
			continue // described by its policy: no names beyond the kernel's numbers
		}
		for _, op := range f.Ops {
			if !op.Dump || op.Req < 0 {
				continue
			}
			req, err := b.Encode(op, engine.NLM_F_REQUEST|engine.NLM_F_DUMP, nil, nil)
			if err != nil {
				t.Errorf("%s %s: %v", b.Name, op.Name, err)
				continue
			}
			msgs, err := c.Request(ctx, tab.Protocol(), req)
			var ne *engine.Error
			if errors.As(err, &ne) && (ne.Errno == unix.EOPNOTSUPP || ne.Errno == unix.EINVAL || ne.Errno == unix.ENODEV || ne.Errno == unix.ENOENT) {
				// Needs a device feature a veth lacks, or a request
				// attribute a bare dump does not give.
				t.Logf("%s %s: %v", b.Name, op.Name, ne.Errno)
				continue
			}
			if err != nil {
				t.Errorf("%s %s: %v", b.Name, op.Name, err)
				continue
			}
			for i := range msgs {
				m := &msgs[i]
				mt := m.Type(tab.Protocol())
				if mt == nil || mt.Class == nil {
					t.Errorf("%s %s: reply %d has no description", b.Name, op.Name, i)
					continue
				}
				rec := m.Decode(tab.Protocol())
				for _, p := range nstest.Unnamed(rec, mt.Title()) {
					t.Error(p)
				}
				if again, err := engine.EncodeMessage(m.Header, mt.Class, rec); err != nil || string(again) != string(m.Bytes()) {
					t.Errorf("%s #%d does not re-encode to its bytes (%v)", mt.Title(), i, err)
				}
				dumped[b.Name+" "+op.Name]++
			}
		}
	}
	t.Logf("replies per dump: %v", dumped)
	// What a veth has for certain: its link, state, channels and features
	// in ethtool, its device and queues in netdev.
	for _, want := range []string{"ethtool linkinfo-get", "ethtool linkstate-get", "ethtool features-get", "ethtool channels-get", "netdev dev-get", "netdev queue-get"} {
		if dumped[want] == 0 {
			t.Errorf("%s dumped nothing", want)
		}
	}
}
