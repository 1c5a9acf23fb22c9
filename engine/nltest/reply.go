package nltest

import (
	"fmt"

	"golang.org/x/sys/unix"

	"nlsh/engine"
)

// The builders below answer one request message m: their messages carry
// m's sequence number and port id, as the kernel's replies do. Each
// returns one datagram; Datagram joins several messages into one.

// AckAll is the Handler that acknowledges every message of a datagram
// that asks for it (NLM_F_ACK), each in a datagram of its own, and answers
// nothing else.
func AckAll(r Request) [][]byte {
	var out [][]byte
	for _, m := range r.Messages {
		if m.Header.Flags&engine.NLM_F_ACK != 0 {
			out = append(out, Ack(m))
		}
	}
	return out
}

// Ack is the acknowledgement of m: NLMSG_ERROR with error 0, echoing m's
// header alone (NLM_F_CAPPED), as the kernel acknowledges.
func Ack(m engine.Message) []byte {
	return errorMessage(m, 0, ExtAck{Capped: true})
}

// ExtAck is what an error says beyond its errno.
type ExtAck struct {
	Msg    string // NLMSGERR_ATTR_MSG, if not ""
	Offset int    // NLMSGERR_ATTR_OFFS, if positive: a byte offset into m, from its header
	// Capped echoes only m's header (NETLINK_CAP_ACK); otherwise its
	// payload follows, as by default.
	Capped bool
}

// Error is the kernel refusing m with errno: NLMSG_ERROR with -errno, m
// echoed, and the extended acknowledgement's attributes when ext has any
// (NLM_F_ACK_TLVS).
func Error(m engine.Message, errno unix.Errno, ext ExtAck) []byte {
	return errorMessage(m, -int64(errno), ext)
}

func errorMessage(m engine.Message, code int64, ext ExtAck) []byte {
	var attrs []any
	if ext.Msg != "" {
		attrs = append(attrs, pair("NLMSGERR_ATTR_MSG", ext.Msg))
	}
	if ext.Offset > 0 {
		attrs = append(attrs, pair("NLMSGERR_ATTR_OFFS", uint64(ext.Offset)))
	}
	var flags uint16
	if ext.Capped {
		flags |= engine.NLM_F_CAPPED
	}
	if len(attrs) > 0 {
		flags |= engine.NLM_F_ACK_TLVS
	}
	h := m.Header
	h.Length = uint32(engine.HeaderLen + len(m.Body))
	msg := map[string]any{
		"error": code, "length": uint64(h.Length), "type": uint64(h.Type), "flags": uint64(h.Flags),
		"sequence_number": uint64(h.Seq), "pid": uint64(h.PID),
		"attrs": engine.Table{List: attrs},
	}
	if !ext.Capped {
		// The echoed payload, which the encoder places between struct
		// nlmsgerr and the attributes.
		msg["payload"] = m.Body
	}
	return encode(engine.Header{Type: engine.NLMSG_ERROR, Flags: flags, Seq: m.Header.Seq, PID: m.Header.PID}, engine.ErrClass,
		engine.Table{Map: msg})
}

// Done ends a dump answering m: NLMSG_DONE with error 0, NLM_F_MULTI and
// the extra flags (NLM_F_DUMP_INTR for a dump the kernel saw change).
func Done(m engine.Message, flags uint16) []byte {
	return encode(engine.Header{Type: engine.NLMSG_DONE, Flags: engine.NLM_F_MULTI | flags, Seq: m.Header.Seq, PID: m.Header.PID},
		engine.DoneClass, engine.Table{Map: map[string]any{"error": int64(0)}})
}

// Multi is one datagram of a dump answering m: a message of type typ for
// each body, with NLM_F_MULTI and the extra flags.
func Multi(m engine.Message, typ, flags uint16, bodies ...[]byte) []byte {
	msgs := make([][]byte, len(bodies))
	for i, body := range bodies {
		msgs[i] = Reply(m, typ, engine.NLM_F_MULTI|flags, body)
	}
	return Datagram(msgs...)
}

// Reply is one message of type typ answering m, with the given flags and
// body (an encoded record: engine.EncodeRecord makes one from a Table).
func Reply(m engine.Message, typ, flags uint16, body []byte) []byte {
	b := make([]byte, engine.HeaderLen+len(body))
	engine.Header{Length: uint32(len(b)), Type: typ, Flags: flags, Seq: m.Header.Seq, PID: m.Header.PID}.Put(b)
	copy(b[engine.HeaderLen:], body)
	return b
}

// Datagram joins messages into one datagram, each starting on a 4-byte
// boundary as NLMSG_ALIGN places them.
func Datagram(msgs ...[]byte) []byte {
	var b []byte
	for _, m := range msgs {
		b = align(append(b, m...))
	}
	return b
}

func pair(name string, v any) engine.Table { return engine.Table{List: []any{name, v}} }

// encode is engine.EncodeMessage for messages this package describes
// itself, which always encode.
func encode(h engine.Header, c *engine.Class, v any) []byte {
	b, err := engine.EncodeMessage(h, c, v)
	if err != nil {
		panic(fmt.Sprintf("nltest: encoding %s: %v", c.Name, err))
	}
	return b
}

func align(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}
