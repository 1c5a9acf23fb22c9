package engine

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// pcap files in the Linux cooked-capture format (LINKTYPE_LINUX_SLL) with
// ARPHRD_NETLINK as the link type and the netlink family as the protocol:
// what Wireshark and tshark dissect as they do an nlmon capture.

const (
	pcapMagic      = 0xa1b2c3d4
	pcapMagicNano  = 0xa1b23c4d // timestamps in nanoseconds
	linktypeSLL    = 113
	linktypeNLMON  = 253 // LINKTYPE_NETLINK: an nlmon capture, the same cooked header
	arphrdNetlink  = 824
	sllHeaderLen   = 16
	pcapSnaplen    = 1 << 18
	packetHost     = 0 // received by us
	packetOutgoing = 4 // sent by us
)

// PcapWriter writes netlink datagrams to a pcap stream.
type PcapWriter struct {
	w   io.Writer
	now func() time.Time
}

// NewPcapWriter writes the file header and returns a writer.
func NewPcapWriter(w io.Writer) (*PcapWriter, error) {
	h := make([]byte, 24)
	binary.LittleEndian.PutUint32(h[0:], pcapMagic)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], pcapSnaplen)
	binary.LittleEndian.PutUint32(h[20:], linktypeSLL)
	if _, err := w.Write(h); err != nil {
		return nil, err
	}
	return &PcapWriter{w: w, now: time.Now}, nil
}

// Write records one datagram of netlink family family, sent (out) or received.
func (p *PcapWriter) Write(family int, out bool, data []byte) error {
	t := p.now()
	rec := make([]byte, 16+sllHeaderLen+len(data))
	binary.LittleEndian.PutUint32(rec[0:], uint32(t.Unix()))
	binary.LittleEndian.PutUint32(rec[4:], uint32(t.Nanosecond()/1000))
	binary.LittleEndian.PutUint32(rec[8:], uint32(sllHeaderLen+len(data)))
	binary.LittleEndian.PutUint32(rec[12:], uint32(sllHeaderLen+len(data)))
	sll := rec[16:]
	pt := uint16(packetHost)
	if out {
		pt = packetOutgoing
	}
	binary.BigEndian.PutUint16(sll[0:], pt)
	binary.BigEndian.PutUint16(sll[2:], arphrdNetlink)
	binary.BigEndian.PutUint16(sll[4:], 0) // no link-layer address
	binary.BigEndian.PutUint16(sll[14:], uint16(family))
	copy(sll[sllHeaderLen:], data)
	_, err := p.w.Write(rec)
	return err
}

// Packet is one datagram read back from a capture. A hex dump or raw bytes
// have no times, directions or families: their packets are received
// NETLINK_ROUTE messages at time zero, as are a pcapng simple packet's.
type Packet struct {
	Time   time.Time
	Out    bool
	Family int
	Data   []byte
}

// CaptureFormat names what a capture file holds.
type CaptureFormat string

// The formats a CaptureReader reads.
const (
	FormatPcap   CaptureFormat = "pcap"          // libpcap, either byte order, micro- or nanoseconds
	FormatPcapNG CaptureFormat = "pcapng"        // what tshark and dumpcap write by default
	FormatHex    CaptureFormat = "hex dump"      // text of hex bytes, as in testdata/iproute2
	FormatRaw    CaptureFormat = "netlink bytes" // netlink messages one after another
)

// MaxCapturePacket bounds one packet, one pcapng block and one message of
// a capture. The kernel's datagrams are far smaller (nlsh's batches are 64
// KiB); a bigger length is a corrupt or foreign file, and reading on would
// cost memory for nothing.
const MaxCapturePacket = 16 << 20

// rawGroup is how many bytes of a hex dump or of raw netlink messages a
// Packet gathers: whole messages, so a small file is one packet, as a
// datagram would be, and a big one streams in pieces of about this size.
const rawGroup = 64 << 10

// maxHexWord bounds one word of a hex dump (strace's "\x28\x00…" strings
// are one word per message).
const maxHexWord = 1 << 20

// ErrNotCapture is what a CaptureError wraps when the input is none of the
// formats nlsh reads.
var ErrNotCapture = errors.New("not a capture nlsh reads (pcap, pcapng, a hex dump or netlink messages)")

// CaptureError says where a capture cannot be read on, and why. It wraps
// io.ErrUnexpectedEOF when the input is cut short, ErrNotCapture when it is
// no capture at all, and a read error when reading failed.
type CaptureError struct {
	Format CaptureFormat // "" when the input is no capture
	Packet int           // the packet (in a hex dump or raw bytes: the message) being read, from 1; 0 for none
	Offset int64         // where in the input that packet, record or block starts (in a hex dump: in its bytes)
	Reason string
	Err    error
}

// Error says what, where and why in a line: "pcap: packet 4, offset 276:
// truncated: 8 of the packet's 152 bytes".
func (e *CaptureError) Error() string {
	if e.Format == "" {
		return ErrNotCapture.Error() + ": " + e.Reason
	}
	var b strings.Builder
	b.WriteString(string(e.Format) + ": ")
	if e.Packet > 0 {
		what := "packet"
		if e.Format == FormatHex || e.Format == FormatRaw {
			what = "message"
		}
		fmt.Fprintf(&b, "%s %d, ", what, e.Packet)
	}
	fmt.Fprintf(&b, "offset %d: %s", e.Offset, e.Reason)
	if e.Err != nil && e.Err != ErrNotCapture && e.Err != io.ErrUnexpectedEOF {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns io.ErrUnexpectedEOF, ErrNotCapture, a read error or nil.
func (e *CaptureError) Unwrap() error { return e.Err }

// CaptureReader reads a capture one packet at a time, so a file of any
// size decodes in the memory of one packet: a pcap written by PcapWriter or
// an nlmon capture (either byte order, micro- or nanosecond timestamps), a
// pcapng file, a hex dump (whitespace-separated hex bytes, '#' comments,
// leading offsets ending in ':') or raw netlink messages.
type CaptureReader struct {
	r       *bufio.Reader
	format  CaptureFormat
	off     int64 // bytes of the input consumed
	n       int   // packets (raw and hex: messages) begun
	err     error // sticky: every Next after an error returns it
	pending error // an error found while gathering a packet, returned after it
	next    func() (Packet, error)

	order binary.ByteOrder // pcap and pcapng
	unit  time.Duration    // pcap

	ifaces []ngIface // pcapng: the current section's interfaces

	src  io.Reader  // raw and hex: where the message bytes come from
	hex  *hexReader // hex: the text being read, for line numbers
	moff int64      // raw and hex: message bytes consumed
}

// NewCaptureReader reads just enough of r to tell its format (and, for
// pcap, the file header). An input that is none of the formats is a
// *CaptureError wrapping ErrNotCapture.
func NewCaptureReader(r io.Reader) (*CaptureReader, error) {
	c := &CaptureReader{r: bufio.NewReaderSize(r, 64<<10)}
	head, err := c.r.Peek(4)
	if len(head) == 0 {
		if err == io.EOF {
			return nil, &CaptureError{Reason: "the input is empty", Err: ErrNotCapture}
		}
		return nil, err
	}
	if len(head) == 4 {
		le, be := binary.LittleEndian.Uint32(head), binary.BigEndian.Uint32(head)
		switch {
		case le == pcapMagic || be == pcapMagic:
			if err := c.startPcap(le == pcapMagic, time.Microsecond); err != nil {
				return nil, err
			}
			return c, nil
		case le == pcapMagicNano || be == pcapMagicNano:
			if err := c.startPcap(le == pcapMagicNano, time.Nanosecond); err != nil {
				return nil, err
			}
			return c, nil
		case le == ngSHB:
			c.format, c.next = FormatPcapNG, c.nextPcapNG
			return c, nil
		}
	}
	// A netlink message starts with its length, little-endian and far
	// below 16 MiB: its fourth byte is 0, which no text has.
	start, _ := c.r.Peek(512)
	if isText(start) {
		c.format, c.next = FormatHex, c.nextMessages
		c.hex = &hexReader{r: c.r, line: 1}
		c.src = c.hex
	} else {
		c.format, c.next = FormatRaw, c.nextMessages
		c.src = c.r
	}
	return c, nil
}

// Format says what the capture is.
func (c *CaptureReader) Format() CaptureFormat { return c.format }

// Next returns the next packet, or io.EOF after the last one. Its Data is
// its own. After an error (a *CaptureError, or the input's read error)
// every call returns that error.
func (c *CaptureReader) Next() (Packet, error) {
	if c.err != nil {
		return Packet{}, c.err
	}
	p, err := c.next()
	if err != nil {
		c.err = err
	}
	return p, err
}

// ReadCapture reads every packet of a capture (see CaptureReader); on an
// error it returns the packets before it with the error. It keeps them all:
// a big capture is read with a CaptureReader instead.
func ReadCapture(r io.Reader) ([]Packet, error) {
	c, err := NewCaptureReader(r)
	if err != nil {
		return nil, err
	}
	var ps []Packet
	for {
		p, err := c.Next()
		if err == io.EOF {
			return ps, nil
		}
		if err != nil {
			return ps, err
		}
		ps = append(ps, p)
	}
}

// errorAt is a CaptureError of c's format at off, in the current packet
// when inPacket.
func (c *CaptureReader) errorAt(off int64, inPacket bool, err error, format string, args ...any) *CaptureError {
	e := &CaptureError{Format: c.format, Offset: off, Reason: fmt.Sprintf(format, args...), Err: err}
	if inPacket {
		e.Packet = c.n
	}
	return e
}

// readFull reads len(b) bytes, counting them; it reports how many it got
// and, when short, io.ErrUnexpectedEOF or the read error.
func (c *CaptureReader) readFull(b []byte) (int, error) {
	k, err := io.ReadFull(c.r, b)
	c.off += int64(k)
	return k, short(err)
}

// readN appends n bytes from src to b, growing b as the bytes arrive, so
// a length field that lies costs no more memory than the input holds. A
// short read is io.ErrUnexpectedEOF (or the read error).
func readN(src io.Reader, b []byte, n int) ([]byte, error) {
	want := len(b) + n
	for len(b) < want {
		if len(b) == cap(b) {
			b = append(make([]byte, 0, min(want, max(2*cap(b), rawGroup))), b...)
		}
		k, err := io.ReadFull(src, b[len(b):min(cap(b), want)])
		b = b[:len(b)+k]
		if err != nil {
			return b, short(err)
		}
	}
	return b, nil
}

// short is the Err of a CaptureError for a read that came up short.
func short(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// startPcap reads a pcap file header.
func (c *CaptureReader) startPcap(little bool, unit time.Duration) error {
	c.format, c.next, c.unit = FormatPcap, c.nextPcap, unit
	c.order = binary.ByteOrder(binary.BigEndian)
	if little {
		c.order = binary.LittleEndian
	}
	var h [24]byte
	if k, err := c.readFull(h[:]); err != nil {
		return c.errorAt(0, false, err, "truncated: the file header has %d of 24 bytes", k)
	}
	// The upper bits of the link type field may say how frames end (FCS).
	if lt := c.order.Uint32(h[20:]) & 0x03ffffff; lt != linktypeSLL && lt != linktypeNLMON {
		return c.errorAt(20, false, nil, "link type %d: only netlink captures are read (Linux cooked, 113, or nlmon, 253)", lt)
	}
	return nil
}

// nextPcap reads pcap records until one holds a netlink datagram.
func (c *CaptureReader) nextPcap() (Packet, error) {
	for {
		start := c.off
		var h [16]byte
		k, err := c.readFull(h[:])
		if k == 0 && err == io.ErrUnexpectedEOF {
			return Packet{}, io.EOF
		}
		c.n++
		if err != nil {
			return Packet{}, c.errorAt(start, true, err, "truncated: the record header has %d of 16 bytes", k)
		}
		incl := c.order.Uint32(h[8:])
		if incl > MaxCapturePacket {
			return Packet{}, c.errorAt(start, true, nil, "captured length %d is more than %d: a corrupt capture", incl, MaxCapturePacket)
		}
		data, err := readN(c.r, nil, int(incl))
		c.off += int64(len(data))
		if err != nil {
			return Packet{}, c.errorAt(start, true, err, "truncated: %d of the packet's %d bytes", len(data), incl)
		}
		if incl < sllHeaderLen {
			return Packet{}, c.errorAt(start, true, nil, "captured length %d is shorter than the 16-byte cooked header", incl)
		}
		if binary.BigEndian.Uint16(data[2:]) != arphrdNetlink {
			continue
		}
		return cooked(data, time.Unix(int64(c.order.Uint32(h[0:])), int64(time.Duration(c.order.Uint32(h[4:]))*c.unit))), nil
	}
}

// cooked reads the Linux cooked header (always big-endian) before a
// netlink datagram.
func cooked(data []byte, t time.Time) Packet {
	return Packet{
		Time:   t,
		Out:    binary.BigEndian.Uint16(data[0:]) == packetOutgoing,
		Family: int(binary.BigEndian.Uint16(data[14:])),
		Data:   data[sllHeaderLen:],
	}
}

// nextMessages gathers whole netlink messages of a hex dump or raw bytes
// into a packet of about rawGroup bytes. An error after some messages is
// returned by the next call, so those messages are not lost.
func (c *CaptureReader) nextMessages() (Packet, error) {
	if c.pending != nil {
		return Packet{}, c.pending
	}
	var data []byte
	for len(data) < rawGroup {
		var err error
		if data, err = c.readMessage(data); err == io.EOF {
			break
		} else if err != nil {
			if len(data) == 0 {
				return Packet{}, err
			}
			c.pending = err
			break
		}
	}
	if len(data) == 0 {
		return Packet{}, io.EOF
	}
	return Packet{Data: data}, nil
}

// readMessage appends one netlink message to dst, and the padding after it
// (which the last message may lack). On an error dst is as it was.
func (c *CaptureReader) readMessage(dst []byte) ([]byte, error) {
	start, was := c.moff, len(dst)
	var h [HeaderLen]byte
	k, err := io.ReadFull(c.src, h[:])
	c.moff += int64(k)
	if k == 0 && err == io.EOF {
		return dst, io.EOF
	}
	c.n++
	if err != nil {
		if _, ok := err.(*CaptureError); ok {
			return dst, err
		}
		return dst, c.messageError(start, short(err), "truncated: the message header has %d of 16 bytes", k)
	}
	l := int(binary.LittleEndian.Uint32(h[:]))
	switch {
	case l < HeaderLen:
		return dst, c.messageError(start, nil, "nlmsg_len %d is shorter than the 16-byte header", l)
	case l > MaxCapturePacket:
		return dst, c.messageError(start, nil, "nlmsg_len %d is more than %d", l, MaxCapturePacket)
	}
	if dst == nil {
		dst = make([]byte, 0, min(align4(l), rawGroup))
	}
	m, err := readN(c.src, append(dst, h[:]...), l-HeaderLen)
	c.moff += int64(len(m) - was - HeaderLen)
	if err != nil {
		if _, ok := err.(*CaptureError); ok {
			return dst[:was], err
		}
		return dst[:was], c.messageError(start, err, "truncated: %d of the message's %d bytes (nlmsg_len)", len(m)-was, l)
	}
	// The padding to the next message, which the last one may lack.
	var pad [3]byte
	k, err = io.ReadFull(c.src, pad[:align4(l)-l])
	c.moff += int64(k)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return dst[:was], err
	}
	return append(m, pad[:k]...), nil
}

// messageError is a CaptureError in message n of a hex dump or raw bytes;
// a first message that is no netlink message means the input is no capture.
func (c *CaptureReader) messageError(start int64, err error, format string, args ...any) error {
	e := c.errorAt(start, true, err, format, args...)
	if c.hex != nil {
		e.Reason += fmt.Sprintf(" (line %d of the dump)", c.hex.last)
	}
	if c.n == 1 && err == nil && c.hex == nil {
		// /dev/zero, an image, a tarball: nothing here is netlink.
		e.Format, e.Err = "", ErrNotCapture
		e.Reason = "read as netlink messages: the first message's " + e.Reason
	}
	return e
}

// isText reports whether b, the start of the input, looks like text: UTF-8
// (comments may be in any language) without control characters but spaces.
func isText(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 && (len(b) >= utf8.UTFMax || utf8.FullRune(b)) {
			return false // not UTF-8, unless a character is cut at the end
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\v' && r != '\f' && r != '\r' || r == 0x7f {
			return false
		}
		b = b[size:]
	}
	return true
}

// hexReader turns a hex dump into the bytes it writes out, a word at a
// time: it holds no more than one word.
type hexReader struct {
	r    *bufio.Reader
	line int   // the line being read, from 1
	last int   // the line of the last byte read
	pos  int64 // text bytes read
	word []byte
	buf  []byte // the last word's bytes
	out  []byte // what of them is not yet returned
	n    int64  // bytes decoded
	err  error
}

func (h *hexReader) Read(p []byte) (int, error) {
	for len(h.out) == 0 {
		if h.err != nil {
			return 0, h.err
		}
		h.err = h.fill()
	}
	k := copy(p, h.out)
	h.out = h.out[k:]
	return k, nil
}

// fill reads the next word that holds bytes.
func (h *hexReader) fill() error {
	for {
		b, err := h.r.ReadByte()
		if err != nil {
			return err
		}
		h.pos++
		switch {
		case b == '\n':
			h.line++
			continue
		case b == '#':
			// A comment, to the end of the line.
			for b != '\n' {
				if b, err = h.r.ReadByte(); err != nil {
					return err
				}
				h.pos++
			}
			h.line++
			continue
		case b == ' ' || b == '\t' || b == '\r' || b == '\v' || b == '\f':
			continue
		}
		start := h.pos - 1
		h.word = append(h.word[:0], b)
		for {
			b, err := h.r.ReadByte()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			if b == '#' || b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f' {
				h.r.UnreadByte()
				break
			}
			h.pos++
			if len(h.word) == maxHexWord {
				return h.error(start, "a word of more than %d characters is no hex", maxHexWord)
			}
			h.word = append(h.word, b)
		}
		w := h.word
		if w[len(w)-1] == ':' {
			continue // an offset column
		}
		w = bytes.TrimPrefix(bytes.TrimPrefix(w, []byte("0x")), []byte(`\x`))
		w = bytes.ReplaceAll(w, []byte(`\x`), nil)
		if len(w)%2 != 0 && bytes.IndexFunc(w, notHexDigit) < 0 {
			return h.error(start, "%s has an odd number of hex digits", quoteWord(h.word))
		}
		if cap(h.buf) < len(w)/2 {
			h.buf = make([]byte, len(w)/2)
		}
		out := h.buf[:len(w)/2]
		if _, err := hex.Decode(out, w); err != nil || len(w)%2 != 0 {
			return h.error(start, "%s is not hex bytes", quoteWord(h.word))
		}
		h.n += int64(len(out))
		h.out, h.last = out, h.line
		if len(out) > 0 {
			return nil
		}
	}
}

// error is a CaptureError at text offset off; text that starts with no hex
// at all is no capture.
func (h *hexReader) error(off int64, format string, args ...any) error {
	e := &CaptureError{Format: FormatHex, Offset: off, Reason: fmt.Sprintf("line %d: ", h.line) + fmt.Sprintf(format, args...)}
	if h.n == 0 {
		e.Format, e.Err = "", ErrNotCapture
		e.Reason = "read as a hex dump: " + e.Reason
	}
	return e
}

func notHexDigit(r rune) bool {
	return !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F')
}

// quoteWord quotes a word of a hex dump for an error, cut short.
func quoteWord(w []byte) string {
	if len(w) > 40 {
		return fmt.Sprintf("%q… (%d characters)", w[:40], len(w))
	}
	return fmt.Sprintf("%q", w)
}
