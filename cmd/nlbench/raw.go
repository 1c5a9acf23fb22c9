package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"

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
	gw := netip.MustParseAddr(gateway).As4()
	reqs := make([][]byte, n)
	for i := range reqs {
		b := make([]byte, 44)
		engine.Header{Length: 44, Type: 24, Flags: engine.NLM_F_REQUEST | engine.NLM_F_ACK | engine.NLM_F_CREATE | engine.NLM_F_EXCL, Seq: uint32(i + 1)}.Put(b)
		copy(b[16:], []byte{2, 32, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0})                     // rtmsg: inet /32 main boot universe unicast
		copy(b[28:], []byte{8, 0, 1, 0, 10, byte(i & 15), byte(i >> 12), byte(i >> 4)}) // dst(i)
		copy(b[36:], []byte{8, 0, 5, 0, gw[0], gw[1], gw[2], gw[3]})
		reqs[i] = b
	}
	if sync {
		return rawAddSync(ns, reqs)
	}
	c, err := dial(ns)
	if err != nil {
		return err
	}
	defer c.Close()
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

// rawAddSync sends each request and reads its acknowledgement in turn, in
// blocking system calls on a plain socket: one sendto and one recvfrom a
// route, the least a loop that waits for each answer can do.
func rawAddSync(ns string, reqs [][]byte) error {
	fd, err := rawSocket(ns)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	buf := make([]byte, 32<<10)
	for i, r := range reqs {
		if err := unix.Sendto(fd, r, 0, nil); err != nil {
			return fmt.Errorf("route %d: send: %v", i, err)
		}
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			return fmt.Errorf("route %d: recv: %v", i, err)
		}
		msgs, err := engine.Split(buf[:n])
		if err != nil || len(msgs) != 1 || msgs[0].Header.Type != engine.NLMSG_ERROR || len(msgs[0].Body) < 4 {
			return fmt.Errorf("route %d: answered by % x, not an acknowledgement", i, buf[:n])
		}
		if errno := int32(binary.LittleEndian.Uint32(msgs[0].Body)); errno != 0 {
			return fmt.Errorf("route %d: %v", i, unix.Errno(-errno))
		}
	}
	return nil
}

// rawSocket opens a NETLINK_ROUTE socket in namespace ns, from a thread
// that enters it: the socket stays there. The thread stays locked, and
// this process does nothing else.
func rawSocket(ns string) (int, error) {
	runtime.LockOSThread()
	nsfd, err := engine.OpenNetNS(ns)
	if err != nil {
		return -1, err
	}
	defer unix.Close(nsfd)
	if err := unix.Setns(nsfd, unix.CLONE_NEWNET); err != nil {
		return -1, fmt.Errorf("setns %s: %v", ns, err)
	}
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return -1, err
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}
