package engine_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// ackProto is testProto with Protocol.AckOnly: its changes are answered
// by their acknowledgement alone, which a request reads without peeking.
var ackProto = func() *engine.Protocol {
	p := &engine.Protocol{Name: testProto.Name, Number: testProto.Number, Classes: testProto.Classes, Types: testProto.Types, AckOnly: true}
	return p.Build()
}()

// setMTU asks to set lo's MTU, acknowledged.
func setMTU(mtu uint32) []byte {
	return nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, 0, ifinfomsg(1), attr(4, u32(mtu)))
}

// bigBadRequest is a change the kernel refuses, echoing all of it (the
// socket does not set NETLINK_CAP_ACK) in an error larger than the 32 KiB
// an acknowledgement is read with.
func bigBadRequest(seq uint32) []byte {
	return nlmsg(rtmNewLink, engine.NLM_F_REQUEST|engine.NLM_F_ACK, seq, ifinfomsg(1), attr(3, make([]byte, 40<<10)))
}

// ackOnlyChild, set in a child test process, makes TestAckOnlyReadsOnce's
// requests in the namespace it names.
const ackOnlyChild = "NLSH_TEST_ACKONLY_NS"

// TestAckOnlyReadsOnce counts the system calls: the acknowledgement of a
// change in an AckOnly protocol is read with one recvfrom and no peek;
// without AckOnly every answer is peeked at first.
func TestAckOnlyReadsOnce(t *testing.T) {
	if ns := os.Getenv(ackOnlyChild); ns != "" {
		cfg := engine.DefaultConnConfig()
		cfg.NetNS = ns
		if os.Getenv(ackOnlyChild+"_GROUP") == "1" {
			cfg.Groups = []uint32{unix.RTNLGRP_LINK}
		}
		c, err := engine.Dial(unix.NETLINK_ROUTE, cfg)
		if err != nil {
			t.Fatal(err)
		}
		p := testProto
		if os.Getenv(ackOnlyChild+"_ON") == "1" {
			p = ackProto
		}
		for i := range 10 {
			if _, err := c.Request(context.Background(), p, setMTU(uint32(1500+i))); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatal("strace is needed (install Debian's strace)")
		}
		t.Skip("strace is not installed")
	}
	ns := nstest.New(t)
	calls := func(on, group string) (peeks, reads int) {
		log := filepath.Join(t.TempDir(), "strace.log")
		cmd := exec.Command(strace, "-f", "-o", log, "-e", "trace=recvfrom", os.Args[0], "-test.run=^TestAckOnlyReadsOnce$", "-test.count=1")
		cmd.Env = append(os.Environ(), ackOnlyChild+"="+ns, ackOnlyChild+"_ON="+on, ackOnlyChild+"_GROUP="+group)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		text, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(text), "\n") {
			if strings.Contains(line, "recvfrom(") && !strings.Contains(line, "EAGAIN") {
				reads++
				if strings.Contains(line, "MSG_PEEK") {
					peeks++
				}
			}
		}
		return peeks, reads
	}
	if peeks, reads := calls("1", "0"); peeks != 0 || reads < 10 {
		t.Errorf("AckOnly: 10 changes read with %d recvfrom, %d of them peeks; want 10 or so, none", reads, peeks)
	}
	if peeks, reads := calls("0", "0"); peeks < 10 || reads < 20 {
		t.Errorf("without AckOnly: 10 changes read with %d recvfrom, %d of them peeks; want each peeked at", reads, peeks)
	}
	// A socket in a group gets notifications of any size among the
	// answers, so it peeks at each datagram whatever the protocol says.
	if peeks, reads := calls("1", "1"); peeks < 10 || reads < 20 {
		t.Errorf("AckOnly in RTNLGRP_LINK: 10 changes read with %d recvfrom, %d of them peeks; want each peeked at", reads, peeks)
	}
}

// A change's round trip allocates the copy of the request it numbers, and
// nothing more: no closure per system call, no buffer for the
// acknowledgement, on a socket guarded as nlsh guards all of its own.
func TestRequestAllocations(t *testing.T) {
	cfg := engine.DefaultConnConfig()
	cfg.Guard = func(*engine.Message) error { return nil }
	c, _ := dialNS(t, cfg)
	ctx := context.Background()
	req := setMTU(1500)
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := c.Request(ctx, ackProto, req); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("a change's round trip made %.1f allocations, want 1", allocs)
	}
}
