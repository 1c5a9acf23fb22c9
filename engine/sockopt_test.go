package engine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// TestSocketStateFromKernel reads back what Dial set: the options, the
// groups joined and the receive buffer, as the kernel holds them.
func TestSocketStateFromKernel(t *testing.T) {
	ns := nstest.New(t)
	for _, tc := range []struct {
		name   string
		cfg    engine.ConnConfig
		opts   map[int]int
		groups []uint32
	}{
		{"defaults", engine.DefaultConnConfig(),
			map[int]int{unix.NETLINK_CAP_ACK: 0, unix.NETLINK_EXT_ACK: 1, unix.NETLINK_GET_STRICT_CHK: 1, unix.NETLINK_NO_ENOBUFS: 0}, nil},
		{"cap_ack and groups", engine.ConnConfig{CapAck: true, NoENOBUFS: true, Groups: []uint32{unix.RTNLGRP_LINK, unix.RTNLGRP_IPV4_ROUTE, 33}},
			map[int]int{unix.NETLINK_CAP_ACK: 1, unix.NETLINK_EXT_ACK: 0, unix.NETLINK_GET_STRICT_CHK: 0, unix.NETLINK_NO_ENOBUFS: 1},
			[]uint32{unix.RTNLGRP_LINK, unix.RTNLGRP_IPV4_ROUTE, 33}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.NetNS = ns
			c, err := engine.Dial(unix.NETLINK_ROUTE, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			got := map[int]int{}
			for opt := range tc.opts {
				if got[opt], err = c.Option(opt); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tc.opts, got); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
			groups, err := c.Memberships()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.groups, groups); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
		})
	}
	c, err := engine.Dial(unix.NETLINK_ROUTE, engine.ConnConfig{NetNS: ns, RcvBuf: 1024})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// The kernel doubles what it is given and has a floor of its own.
	if n, err := c.ReadBuffer(); err != nil || n < 2048 || n > 8192 {
		t.Errorf("ReadBuffer() = %d, %v; want the kernel's doubled 1024 or its floor", n, err)
	}
}
