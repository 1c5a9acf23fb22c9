package engine

import (
	"encoding/binary"
	"fmt"
)

// HeaderLen is the size of struct nlmsghdr.
const HeaderLen = 16

// Header is struct nlmsghdr.
type Header struct {
	Length uint32
	Type   uint16
	Flags  uint16
	Seq    uint32
	PID    uint32
}

// Put writes h into the first 16 bytes of b.
func (h Header) Put(b []byte) {
	binary.LittleEndian.PutUint32(b[0:], h.Length)
	binary.LittleEndian.PutUint16(b[4:], h.Type)
	binary.LittleEndian.PutUint16(b[6:], h.Flags)
	binary.LittleEndian.PutUint32(b[8:], h.Seq)
	binary.LittleEndian.PutUint32(b[12:], h.PID)
}

// ParseHeader reads a Header from the first 16 bytes of b.
func ParseHeader(b []byte) Header {
	return Header{
		Length: binary.LittleEndian.Uint32(b[0:]),
		Type:   binary.LittleEndian.Uint16(b[4:]),
		Flags:  binary.LittleEndian.Uint16(b[6:]),
		Seq:    binary.LittleEndian.Uint32(b[8:]),
		PID:    binary.LittleEndian.Uint32(b[12:]),
	}
}

// Message is one framed netlink message. Body is the payload after the header,
// not decoded until asked: Decode and Lookup read it on demand, so splitting a
// large dump costs one small allocation per message.
type Message struct {
	Header Header
	Body   []byte
}

// Bytes returns the message as it was on the wire (header and body, without
// trailing alignment padding).
func (m *Message) Bytes() []byte {
	b := make([]byte, HeaderLen+len(m.Body))
	m.Header.Put(b)
	copy(b[HeaderLen:], m.Body)
	return b
}

// FrameError reports bytes that do not frame as netlink messages.
type FrameError struct {
	Offset int
	Reason string
}

func (e *FrameError) Error() string {
	return fmt.Sprintf("netlink framing at offset %d: %s", e.Offset, e.Reason)
}

// Split frames a buffer (one datagram, or a file of messages) into messages.
// Bodies alias buf. Each message starts at a 4-byte boundary, as NLMSG_ALIGN
// places them. On a framing error the messages before it are returned with it.
func Split(buf []byte) ([]Message, error) { return splitInto(nil, buf) }

// splitInto is Split, reusing room's array when it is large enough.
func splitInto(room []Message, buf []byte) ([]Message, error) {
	n := 0
	for off := 0; off+HeaderLen <= len(buf); {
		l := int(binary.LittleEndian.Uint32(buf[off:]))
		if l < HeaderLen || l > len(buf)-off {
			break
		}
		n++
		off += align4(l)
	}
	msgs := room[:0]
	if cap(msgs) < n {
		msgs = make([]Message, 0, n)
	}
	off := 0
	for off < len(buf) {
		rest := buf[off:]
		if len(rest) < HeaderLen {
			return msgs, &FrameError{off, fmt.Sprintf("%d bytes left, too short for a 16-byte nlmsghdr", len(rest))}
		}
		h := ParseHeader(rest)
		if h.Length < HeaderLen {
			return msgs, &FrameError{off, fmt.Sprintf("nlmsg_len %d is shorter than the 16-byte header", h.Length)}
		}
		if int(h.Length) > len(rest) {
			return msgs, &FrameError{off, fmt.Sprintf("nlmsg_len %d runs past the end of the buffer (%d bytes left)", h.Length, len(rest))}
		}
		msgs = append(msgs, Message{Header: h, Body: rest[HeaderLen:h.Length:h.Length]})
		off += align4(int(h.Length))
	}
	return msgs, nil
}

func align4(n int) int { return (n + 3) &^ 3 }
