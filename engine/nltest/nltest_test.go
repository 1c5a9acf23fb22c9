package nltest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nltest"
)

// request is a bare change asking for an ACK, with seq and pid set.
func request(seq uint32) engine.Message {
	return engine.Message{Header: engine.Header{Length: engine.HeaderLen + 4, Type: 16,
		Flags: engine.NLM_F_REQUEST | engine.NLM_F_ACK, Seq: seq, PID: 77}, Body: []byte{1, 2, 3, 4}}
}

// The builders' messages read back, through the engine's decoder, as the
// kernel's would.
func TestFakeBuilders(t *testing.T) {
	m := request(9)
	ack, err := engine.Split(nltest.Ack(m))
	if err != nil || len(ack) != 1 || ack[0].Header.Seq != 9 || ack[0].Header.PID != 77 || engine.ReplyError(nil, &ack[0], m.Bytes()) != nil {
		t.Errorf("Ack: %v, %+v", err, ack)
	}
	for _, capped := range []bool{false, true} {
		msgs, err := engine.Split(nltest.Error(m, unix.EINVAL, nltest.ExtAck{Msg: "no", Offset: 16, Capped: capped}))
		if err != nil || len(msgs) != 1 {
			t.Fatalf("Error: %v, %d messages", err, len(msgs))
		}
		var e *engine.Error
		if !errors.As(engine.ReplyError(nil, &msgs[0], m.Bytes()), &e) || e.Errno != unix.EINVAL || e.Msg != "no" || e.Offset != 16 {
			t.Errorf("capped %v: %+v", capped, e)
		}
		if r := msgs[0].Decode(nil); (len(r.Payload) == 0) != capped {
			t.Errorf("capped %v: echoed payload % x", capped, r.Payload)
		}
	}
	msgs, err := engine.Split(nltest.Datagram(nltest.Multi(m, 16, 0, []byte{1}, []byte{2, 3}), nltest.Done(m, engine.NLM_F_DUMP_INTR)))
	if err != nil || len(msgs) != 3 || msgs[0].Header.Flags != engine.NLM_F_MULTI || msgs[2].Header.Type != engine.NLMSG_DONE ||
		msgs[2].Header.Flags != engine.NLM_F_MULTI|engine.NLM_F_DUMP_INTR {
		t.Errorf("Multi and Done: %v, %+v", err, msgs)
	}
}

// Closing the kernel ends its goroutines; a Conn left open then fails to
// send rather than wait, and the kernel dials no more.
func TestFakeKernelClose(t *testing.T) {
	k := nltest.New(nil)
	c, err := k.Dial(unix.NETLINK_ROUTE, engine.ConnConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Request(context.Background(), nil, reqBytes()); err != nil {
		t.Fatalf("request: %v", err)
	}
	k.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := c.Request(ctx, nil, reqBytes()); err == nil {
		t.Error("a request after the kernel closed succeeded")
	}
	if _, err := k.Dial(unix.NETLINK_ROUTE, engine.ConnConfig{}); err == nil {
		t.Error("Dial after Close succeeded")
	}
}

func reqBytes() []byte {
	m := request(0)
	return m.Bytes()
}
