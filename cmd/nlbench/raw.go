package main

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"strconv"

	"nlsh/engine"
	"nlsh/rtnl"
)

// rawMain runs a floor: the least a program can do for the workload with
// netlink, in the same kind of process as the tools measured.
func rawMain(args []string) int {
	var err error
	switch {
	case args[0] == "raw-dump" && len(args) == 2:
		err = rawDump(args[1])
	case (args[0] == "raw-add" || args[0] == "raw-add-sync") && len(args) == 3:
		var n int
		if n, err = strconv.Atoi(args[2]); err == nil {
			err = rawAdd(args[1], n, args[0] == "raw-add-sync")
		}
	default:
		err = fmt.Errorf("usage: nlbench raw-dump NS | raw-add NS N | raw-add-sync NS N")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "nlbench:", err)
		return 1
	}
	return 0
}

func dial(ns string) (*engine.Conn, error) {
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = ns
	return engine.Dial(0, cfg)
}

// rawDump dumps the IPv4 routes and counts them, datagram by datagram as
// they arrive, decoding nothing but the framing and keeping nothing: the
// least any tool does for a dump, in constant memory.
func rawDump(ns string) error {
	c, err := dial(ns)
	if err != nil {
		return err
	}
	defer c.Close()
	req, err := engine.EncodeMessage(engine.Header{Type: 26, Flags: engine.NLM_F_REQUEST | engine.NLM_F_DUMP}, rtnl.RouteClass,
		engine.Table{Map: map[string]any{"family": uint64(2)}})
	if err != nil {
		return err
	}
	ctx := context.Background()
	s, err := c.Stream(ctx, nil, req)
	if err != nil {
		return err
	}
	n := 0
	for {
		msgs, ok, err := s.NextBatch(ctx)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		n += len(msgs)
	}
	fmt.Println(n)
	return nil
}

// rawAdd adds n routes with pre-encoded messages, in batched sendmsg calls,
// or with sync one at a time, each waiting for its acknowledgement (what a
// plain loop of requests does, and ip -batch).
func rawAdd(ns string, n int, sync bool) error {
	c, err := dial(ns)
	if err != nil {
		return err
	}
	defer c.Close()
	gw := netip.MustParseAddr(gateway).As4()
	reqs := make([][]byte, n)
	for i := range reqs {
		b := make([]byte, 44)
		engine.Header{Length: 44, Type: 24, Flags: engine.NLM_F_REQUEST | engine.NLM_F_ACK | engine.NLM_F_CREATE | engine.NLM_F_EXCL}.Put(b)
		copy(b[16:], []byte{2, 32, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0})                     // rtmsg: inet /32 main boot universe unicast
		copy(b[28:], []byte{8, 0, 1, 0, 10, byte(i & 15), byte(i >> 12), byte(i >> 4)}) // dst(i)
		copy(b[36:], []byte{8, 0, 5, 0, gw[0], gw[1], gw[2], gw[3]})
		reqs[i] = b
	}
	if sync {
		for i, r := range reqs {
			if _, err := c.Request(context.Background(), nil, r); err != nil {
				return fmt.Errorf("route %d: %v", i, err)
			}
		}
		return nil
	}
	errs, err := c.RequestBatch(context.Background(), nil, reqs)
	if err != nil {
		return err
	}
	for i, e := range errs {
		if e != nil {
			return fmt.Errorf("route %d: %v", i, e)
		}
	}
	return nil
}
