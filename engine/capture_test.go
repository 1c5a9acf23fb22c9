package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Test captures, written here in every form the reader takes.

// newAddr is an RTM_NEWADDR request (40 bytes); done is NLMSG_DONE with a
// 4-byte body; odd is a message whose length is no multiple of 4.
var (
	newAddr = mustHexBytes("28000000140005060100000000000000" + "0218000003000000" + "080002000a000001" + "080001000a000001")
	done    = mustHexBytes("14000000030002000200000000000000" + "00000000")
	odd     = mustHexBytes("1500000012000100030000000000000000000000ff")
)

func mustHexBytes(s string) []byte {
	var b []byte
	if _, err := fmt.Sscanf(s, "%x", &b); err != nil {
		panic(err)
	}
	return b
}

// testPackets are what every capture below holds; their times have whole
// microseconds, so every resolution keeps them.
var testPackets = []Packet{
	{Time: time.Unix(1700000000, 123456000), Out: true, Family: 0, Data: newAddr},
	{Time: time.Unix(1700000001, 0), Out: false, Family: 16, Data: append(append([]byte{}, done...), done...)},
	{Time: time.Unix(1700000002, 999999000), Out: false, Family: 0, Data: odd},
}

// cookedHeader is the Linux cooked header before a datagram; arphrd other
// than netlink makes a packet the reader skips.
func cookedHeader(p Packet, arphrd uint16) []byte {
	h := make([]byte, sllHeaderLen)
	if p.Out {
		binary.BigEndian.PutUint16(h[0:], packetOutgoing)
	}
	binary.BigEndian.PutUint16(h[2:], arphrd)
	binary.BigEndian.PutUint16(h[14:], uint16(p.Family))
	return append(h, p.Data...)
}

// pcapFile writes pkts as a pcap file in a byte order, with micro- or
// nanosecond timestamps.
func pcapFile(o binary.ByteOrder, nano bool, linktype uint32, pkts []Packet) []byte {
	h := make([]byte, 24)
	magic, unit := uint32(pcapMagic), int64(time.Microsecond)
	if nano {
		magic, unit = pcapMagicNano, 1
	}
	o.PutUint32(h[0:], magic)
	o.PutUint16(h[4:], 2)
	o.PutUint16(h[6:], 4)
	o.PutUint32(h[16:], pcapSnaplen)
	o.PutUint32(h[20:], linktype)
	for _, p := range pkts {
		rec := make([]byte, 16)
		data := cookedHeader(p, arphrdNetlink)
		if p.Data == nil {
			data = cookedHeader(p, 1) // Ethernet: skipped
		}
		o.PutUint32(rec[0:], uint32(p.Time.Unix()))
		o.PutUint32(rec[4:], uint32(int64(p.Time.Nanosecond())/unit))
		o.PutUint32(rec[8:], uint32(len(data)))
		o.PutUint32(rec[12:], uint32(len(data)))
		h = append(append(h, rec...), data...)
	}
	return h
}

// ng builds pcapng blocks in one byte order.
type ng struct {
	o interface {
		binary.ByteOrder
		binary.AppendByteOrder
	}
}

func (n ng) block(typ uint32, body []byte) []byte {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	b := make([]byte, 8, 12+len(body))
	n.o.PutUint32(b[0:], typ)
	n.o.PutUint32(b[4:], uint32(12+len(body)))
	b = append(b, body...)
	return n.o.AppendUint32(b, uint32(12+len(body)))
}

func (n ng) option(code uint16, v []byte) []byte {
	b := n.o.AppendUint16(nil, code)
	b = n.o.AppendUint16(b, uint16(len(v)))
	b = append(b, v...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func (n ng) section(opts ...[]byte) []byte {
	b := n.o.AppendUint32(nil, ngMagic)
	b = n.o.AppendUint16(b, 1)
	b = n.o.AppendUint16(b, 0)
	b = n.o.AppendUint64(b, ^uint64(0)) // section length unknown
	for _, o := range opts {
		b = append(b, o...)
	}
	return n.block(ngSHB, b)
}

func (n ng) iface(linktype uint16, snaplen uint32, opts ...[]byte) []byte {
	b := n.o.AppendUint16(nil, linktype)
	b = n.o.AppendUint16(b, 0)
	b = n.o.AppendUint32(b, snaplen)
	for _, o := range opts {
		b = append(b, o...)
	}
	if len(opts) > 0 {
		b = append(b, n.option(ngOptEnd, nil)...)
	}
	return n.block(ngIDB, b)
}

func (n ng) packet(id uint32, ts uint64, p Packet, opts ...[]byte) []byte {
	data := cookedHeader(p, arphrdNetlink)
	if p.Data == nil {
		data = cookedHeader(p, 1)
	}
	b := n.o.AppendUint32(nil, id)
	b = n.o.AppendUint32(b, uint32(ts>>32))
	b = n.o.AppendUint32(b, uint32(ts))
	b = n.o.AppendUint32(b, uint32(len(data)))
	b = n.o.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	for _, o := range opts {
		b = append(b, o...)
	}
	return n.block(ngEPB, b)
}

func (n ng) simple(p Packet) []byte {
	data := cookedHeader(p, arphrdNetlink)
	return n.block(ngSPB, append(n.o.AppendUint32(nil, uint32(len(data))), data...))
}

// micros is p's time in microseconds, as a pcapng timestamp of the
// default resolution.
func micros(p Packet) uint64 { return uint64(p.Time.UnixMicro()) }

func cat(bs ...[]byte) []byte { return bytes.Join(bs, nil) }

var le, be = ng{binary.LittleEndian}, ng{binary.BigEndian}

func TestCaptureFormats(t *testing.T) {
	p0, p1, p2 := testPackets[0], testPackets[1], testPackets[2]
	nanos := p2
	nanos.Time = time.Unix(1700000002, 999999999)
	noTime := func(p Packet) Packet { p.Time = time.Time{}; return p }
	ethernet := Packet{Time: p0.Time}
	var written bytes.Buffer
	w, err := NewPcapWriter(&written)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range testPackets {
		w.now = func() time.Time { return p.Time }
		if err := w.Write(p.Family, p.Out, p.Data); err != nil {
			t.Fatal(err)
		}
	}
	hexDump := "# RTM_NEWADDR, then NLMSG_DONE\n0000: 28 00 00 00 14 00 05 06 01 00 00 00 00 00 00 00\n" +
		"0x0010: 0x02 0x18 00 00 03000000   # offsets and 0x\n\\x08\\x00\\x02\\x00 \\x0a\\x00\\x00\\x01\n" +
		"08 00 01 00 0a 00 00 01\r\n\n" + "14000000030002000200000000000000 00000000"
	for _, tc := range []struct {
		name   string
		in     []byte
		format CaptureFormat
		want   []Packet
	}{
		{"pcap from PcapWriter", written.Bytes(), FormatPcap, testPackets},
		{"pcap big-endian", pcapFile(binary.BigEndian, false, linktypeSLL, testPackets), FormatPcap, testPackets},
		{"pcap nanoseconds", pcapFile(binary.LittleEndian, true, linktypeSLL, []Packet{p0, nanos}), FormatPcap, []Packet{p0, nanos}},
		{"pcap big-endian nanoseconds", pcapFile(binary.BigEndian, true, linktypeNLMON, []Packet{nanos}), FormatPcap, []Packet{nanos}},
		{"pcap skips other link layers", pcapFile(binary.LittleEndian, false, linktypeNLMON, []Packet{ethernet, p1}), FormatPcap, []Packet{p1}},
		{"pcapng", cat(le.section(), le.iface(linktypeNLMON, 0), le.packet(0, micros(p0), p0), le.packet(0, micros(p1), p1), le.packet(0, micros(p2), p2)), FormatPcapNG, testPackets},
		{"pcapng big-endian", cat(be.section(), be.iface(linktypeSLL, 0), be.packet(0, micros(p0), p0), be.packet(0, micros(p1), p1), be.packet(0, micros(p2), p2)), FormatPcapNG, testPackets},
		{"pcapng nanoseconds and an offset", cat(be.section(), be.iface(linktypeNLMON, 0, be.option(ngOptTsresol, []byte{9}), be.option(ngOptTsoffset, be.o.AppendUint64(nil, 1700000000))),
			be.packet(0, 2999999999, nanos)), FormatPcapNG, []Packet{nanos}},
		{"pcapng binary resolution", cat(le.section(), le.iface(linktypeNLMON, 0, le.option(ngOptTsresol, []byte{0x80 | 20})),
			le.packet(0, 1700000001<<20|1<<19, p1)), FormatPcapNG, []Packet{{Time: time.Unix(1700000001, 5e8), Family: 16, Data: p1.Data}}},
		{"pcapng skips blocks and options it does not need", cat(
			le.section(le.option(4, []byte("a shell")), le.option(0, nil)),
			le.block(4, []byte{0, 0, 0, 0}), // name resolution
			le.iface(linktypeNLMON, 1<<18, le.option(2, []byte("nlmon0"))),
			le.block(0x40000bad, []byte("a custom block")),
			le.packet(0, micros(p0), p0, le.option(1, []byte("a comment")), le.option(0, nil)),
			le.packet(0, micros(ethernet), ethernet),
			le.block(5, make([]byte, 12)), // interface statistics
			le.packet(0, micros(p2), p2)), FormatPcapNG, []Packet{p0, p2}},
		{"pcapng simple packets, cut to the snap length", cat(le.section(), le.iface(linktypeNLMON, 16+16), le.simple(p0), le.simple(p1)), FormatPcapNG,
			[]Packet{{Out: true, Data: newAddr[:16]}, {Family: 16, Data: p1.Data[:16]}}},
		{"pcapng two sections, two byte orders", cat(le.section(), le.iface(linktypeNLMON, 0), le.iface(linktypeNLMON, 0, le.option(ngOptTsresol, []byte{3})),
			le.packet(1, uint64(p1.Time.UnixMilli()), p1), be.section(), be.iface(linktypeNLMON, 0), be.packet(0, micros(p0), p0), be.simple(p2)),
			FormatPcapNG, []Packet{p1, p0, noTime(p2)}},
		{"hex dump", []byte(hexDump), FormatHex, []Packet{{Data: cat(newAddr, done)}}},
		{"raw messages", cat(newAddr, odd, []byte{0, 0, 0}, done), FormatRaw, []Packet{{Data: cat(newAddr, odd, []byte{0, 0, 0}, done)}}},
		{"raw, the last unpadded", cat(newAddr, odd), FormatRaw, []Packet{{Data: cat(newAddr, odd)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewCaptureReader(bytes.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if c.Format() != tc.format {
				t.Errorf("format %q, want %q", c.Format(), tc.format)
			}
			var got []Packet
			for {
				p, err := c.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("after %d packets: %v", len(got), err)
				}
				got = append(got, p)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("packets (-want +got):\n%s", diff)
			}
			if _, err := c.Next(); err != io.EOF {
				t.Errorf("Next after the end: %v, want io.EOF", err)
			}
		})
	}
}

// TestCaptureGroups: raw messages stream in packets of whole messages,
// about 64 KiB each.
func TestCaptureGroups(t *testing.T) {
	var in []byte
	for range 5000 { // 200,000 bytes
		in = append(in, newAddr...)
	}
	pkts, err := ReadCapture(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	var all []byte
	for _, p := range pkts {
		sizes = append(sizes, len(p.Data))
		all = append(all, p.Data...)
	}
	if diff := cmp.Diff([]int{65560, 65560, 65560, 3320}, sizes); diff != "" {
		t.Errorf("packet sizes (-want +got):\n%s", diff)
	}
	if !bytes.Equal(all, in) {
		t.Error("the packets do not add up to the input")
	}
}

func TestCaptureErrors(t *testing.T) {
	pcap := pcapFile(binary.LittleEndian, false, linktypeSLL, testPackets)
	rec2 := 24 + 16 + 16 + len(newAddr) // where the second record starts
	ngFile := cat(le.section(), le.iface(linktypeNLMON, 0), le.packet(0, 1, testPackets[0]), le.packet(0, 2, testPackets[1]))
	ng2 := len(ngFile) - len(le.packet(0, 2, testPackets[1]))
	bigLen := append([]byte{}, pcap[:rec2]...)
	bigLen = append(bigLen, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0)
	badTail := append([]byte{}, ngFile...)
	badTail[len(badTail)-1] = 9
	for _, tc := range []struct {
		name    string
		in      []byte
		packets int
		is      error
		want    string
	}{
		{"empty", nil, 0, ErrNotCapture,
			"not a capture nlsh reads (pcap, pcapng, a hex dump or netlink messages): the input is empty"},
		{"pcap half a file header", pcap[:10], 0, io.ErrUnexpectedEOF,
			"pcap: offset 0: truncated: the file header has 10 of 24 bytes"},
		{"pcap of Ethernet", pcapFile(binary.BigEndian, false, 1, nil), 0, nil,
			"pcap: offset 20: link type 1: only netlink captures are read (Linux cooked, 113, or nlmon, 253)"},
		{"pcap half a record header", pcap[:rec2+7], 1, io.ErrUnexpectedEOF,
			fmt.Sprintf("pcap: packet 2, offset %d: truncated: the record header has 7 of 16 bytes", rec2)},
		{"pcap packet cut short", pcap[:rec2+16+20], 1, io.ErrUnexpectedEOF,
			fmt.Sprintf("pcap: packet 2, offset %d: truncated: 20 of the packet's 56 bytes", rec2)},
		{"pcap length beyond reason", bigLen, 1, nil,
			fmt.Sprintf("pcap: packet 2, offset %d: captured length 2147483647 is more than 16777216: a corrupt capture", rec2)},
		{"pcap record shorter than its cooked header", cat(pcap[:24], []byte{0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 1, 2, 3}), 0, nil,
			"pcap: packet 1, offset 24: captured length 3 is shorter than the 16-byte cooked header"},
		{"pcapng half a block header", ngFile[:ng2+5], 1, io.ErrUnexpectedEOF,
			fmt.Sprintf("pcapng: offset %d: truncated: the block header has 5 of 8 bytes", ng2)},
		{"pcapng packet cut short", ngFile[:ng2+30], 1, io.ErrUnexpectedEOF,
			fmt.Sprintf("pcapng: packet 2, offset %d: truncated: 30 of the enhanced packet block's 88 bytes", ng2)},
		{"pcapng closing length lost", ngFile[:len(ngFile)-2], 1, io.ErrUnexpectedEOF,
			fmt.Sprintf("pcapng: packet 2, offset %d: truncated: enhanced packet block's closing length has 2 of 4 bytes", ng2)},
		{"pcapng closing length wrong", badTail, 1, nil,
			fmt.Sprintf("pcapng: packet 2, offset %d: enhanced packet block's closing length 150995032 differs from its length 88", ng2)},
		{"pcapng half a section header", le.section()[:10], 0, io.ErrUnexpectedEOF,
			"pcapng: offset 0: truncated: the section header has 10 of 12 bytes"},
		{"pcapng bad byte-order magic", cat([]byte{0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 1, 2, 3, 4}, make([]byte, 16)), 0, nil,
			"pcapng: offset 0: section header's byte-order magic is 01 02 03 04, not 1a 2b 3c 4d in either order"},
		{"pcapng version 2", func() []byte { b := le.section(); b[12] = 2; return b }(), 0, nil,
			"pcapng: offset 0: pcapng version 2.0: only version 1 is read"},
		{"pcapng block length not a multiple of 4", cat(le.section(), []byte{1, 0, 0, 0, 13, 0, 0, 0}), 0, nil,
			"pcapng: offset 28: interface description block's length 13 is no block length (a multiple of 4 from 12 to 16842752)"},
		{"pcapng Ethernet interface", cat(le.section(), le.iface(1, 0)), 0, nil,
			"pcapng: offset 28: interface 0 has link type 1: only netlink captures are read (nlmon, 253, or Linux cooked, 113)"},
		{"pcapng undeclared interface", cat(le.section(), le.iface(linktypeNLMON, 0), le.packet(1, 0, testPackets[0])), 0, nil,
			"pcapng: packet 1, offset 48: packet on interface 1, which no interface description block declared"},
		{"pcapng simple packet without an interface", cat(le.section(), le.simple(testPackets[0])), 0, nil,
			"pcapng: packet 1, offset 28: simple packet block, but no interface description block declared interface 0"},
		{"pcapng option past its block", cat(le.section(), le.block(ngIDB, []byte{253, 0, 0, 0, 0, 0, 0, 0, 9, 0, 8, 0, 6, 0, 0, 0})), 0, nil,
			"pcapng: offset 28: interface 0: option 9's 8 bytes run past the block"},
		{"pcapng captured length past its block", cat(le.section(), le.iface(linktypeNLMON, 0), le.block(ngEPB, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 0, 99, 0, 0, 0})), 0, nil,
			"pcapng: packet 1, offset 48: captured length 99 runs past the block (0 bytes)"},
		{"raw half a header", cat(newAddr, newAddr[:9]), 1, io.ErrUnexpectedEOF,
			"netlink bytes: message 2, offset 40: truncated: the message header has 9 of 16 bytes"},
		{"raw message cut short", cat(newAddr, newAddr[:30]), 1, io.ErrUnexpectedEOF,
			"netlink bytes: message 2, offset 40: truncated: 30 of the message's 40 bytes (nlmsg_len)"},
		{"raw bad length later", cat(newAddr, []byte{4, 0, 0, 0}, make([]byte, 12)), 1, nil,
			"netlink bytes: message 2, offset 40: nlmsg_len 4 is shorter than the 16-byte header"},
		{"zeros", make([]byte, 1000), 0, ErrNotCapture,
			"not a capture nlsh reads (pcap, pcapng, a hex dump or netlink messages): read as netlink messages: the first message's nlmsg_len 0 is shorter than the 16-byte header"},
		{"an ELF file", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"), 0, ErrNotCapture,
			"not a capture nlsh reads (pcap, pcapng, a hex dump or netlink messages): read as netlink messages: the first message's nlmsg_len 1179403647 is more than 16777216"},
		{"text", []byte("print('hello')\n"), 0, ErrNotCapture,
			"not a capture nlsh reads (pcap, pcapng, a hex dump or netlink messages): read as a hex dump: line 1: \"print('hello')\" is not hex bytes"},
		{"hex then text", []byte("28 00 00 00\n14 00 05 06 # ok\nzz\n"), 0, nil,
			"hex dump: offset 29: line 3: \"zz\" is not hex bytes"},
		{"hex odd digits", []byte("28 00 00 00 140\n"), 0, nil,
			"hex dump: offset 12: line 1: \"140\" has an odd number of hex digits"},
		{"hex header cut short", []byte("# two messages, the second cut short\n" + strings.Repeat("28 00 00 00 14 00 05 06\n", 6) + "\n\n"), 1, io.ErrUnexpectedEOF,
			"hex dump: message 2, offset 40: truncated: the message header has 8 of 16 bytes (line 7 of the dump)"},
		{"hex message cut short", []byte("28 00 00 00 14 00 05 06\n01 00 00 00 00 00 00 00\n02 18 00 00\n"), 0, io.ErrUnexpectedEOF,
			"hex dump: message 1, offset 0: truncated: 20 of the message's 40 bytes (nlmsg_len) (line 3 of the dump)"},
		{"hex word without end", []byte(strings.Repeat("a", maxHexWord+2)), 0, ErrNotCapture,
			"not a capture nlsh reads (pcap, pcapng, a hex dump or netlink messages): read as a hex dump: line 1: a word of more than 1048576 characters is no hex"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkts, err := ReadCapture(bytes.NewReader(tc.in))
			if len(pkts) != tc.packets {
				t.Errorf("%d packets before the error, want %d", len(pkts), tc.packets)
			}
			var ce *CaptureError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T), want a *CaptureError", err, err)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error is not %v", tc.is)
			}
		})
	}
}

// endless is an input that never ends: a prefix, then a pattern again and
// again. It counts what is read of it.
type endless struct {
	prefix, pattern []byte
	read            int
}

func (e *endless) Read(p []byte) (int, error) {
	if len(e.prefix) > 0 {
		k := copy(p, e.prefix)
		e.prefix = e.prefix[k:]
		e.read += k
		return k, nil
	}
	for i := range p {
		p[i] = e.pattern[(e.read+i)%len(e.pattern)]
	}
	e.read += len(p)
	return len(p), nil
}

// TestCaptureEndless: input that goes on for ever and is no capture stops
// the reader at once, having read about one buffer of it.
func TestCaptureEndless(t *testing.T) {
	for _, tc := range []struct {
		name            string
		prefix, pattern []byte
		is              error
	}{
		{"zeros (/dev/zero)", nil, []byte{0}, ErrNotCapture},
		{"0xff", nil, []byte{0xff}, ErrNotCapture},
		{"hex zeros", nil, []byte("00 "), nil},
		{"one endless word", nil, []byte("a"), ErrNotCapture},
		{"a pcap header, then zeros", pcapFile(binary.LittleEndian, false, linktypeSLL, nil), []byte{0}, nil},
		{"a pcap header, then 0xff", pcapFile(binary.LittleEndian, false, linktypeSLL, nil), []byte{0xff}, nil},
		{"a section header, then zeros", le.section(), []byte{0}, nil},
		{"a section header, then 0xff", le.section(), []byte{0xff}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &endless{prefix: tc.prefix, pattern: tc.pattern}
			c, err := NewCaptureReader(in)
			for n := 0; err == nil; n++ {
				if n > 1000 {
					t.Fatalf("still reading after %d packets, %d bytes", n, in.read)
				}
				_, err = c.Next()
			}
			if err == io.EOF || tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v, want %v", err, tc.is)
			}
			if in.read > 2<<20 {
				t.Errorf("read %d bytes before the error %v", in.read, err)
			}
			t.Logf("%d bytes read: %v", in.read, err)
		})
	}
}

// pcapStream is a pcap of n copies of one record, made as it is read.
type pcapStream struct {
	head, rec []byte
	n, done   int
	pos       int
}

func newPcapStream(data []byte, n int) *pcapStream {
	f := pcapFile(binary.LittleEndian, false, linktypeSLL, []Packet{{Time: time.Unix(1, 0), Data: data}})
	return &pcapStream{head: f[:24], rec: f[24:], n: n}
}

func (s *pcapStream) Read(p []byte) (int, error) {
	if len(s.head) > 0 {
		k := copy(p, s.head)
		s.head = s.head[k:]
		return k, nil
	}
	if s.done == s.n {
		return 0, io.EOF
	}
	k := copy(p, s.rec[s.pos:])
	if s.pos += k; s.pos == len(s.rec) {
		s.pos, s.done = 0, s.done+1
	}
	return k, nil
}

// TestCaptureMemory: reading a 256 MiB capture keeps about one packet in
// memory and allocates about what it reads.
func TestCaptureMemory(t *testing.T) {
	data := bytes.Repeat(newAddr, 1600) // 64,000 bytes a packet
	const n = 4096                      // 256 MiB in all
	in := newPcapStream(data, n)
	c, err := NewCaptureReader(in)
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, alloc0 := ms.HeapAlloc, ms.TotalAlloc
	var peak uint64
	got := 0
	for ; ; got++ {
		p, err := c.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Data) != len(data) {
			t.Fatalf("packet %d has %d bytes", got, len(p.Data))
		}
		if got%256 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc-min(base, ms.HeapAlloc))
		}
	}
	runtime.ReadMemStats(&ms)
	perPacket := (ms.TotalAlloc - alloc0) / n
	t.Logf("%d packets, %d MiB: heap grew at most %d KiB; %d bytes allocated a packet", got, n*len(in.rec)>>20, peak>>10, perPacket)
	if got != n {
		t.Errorf("%d packets, want %d", got, n)
	}
	// The collector's pacing lets the heap run ahead of what is live by
	// some megabytes; what matters is that it does not follow the input.
	if peak > 32<<20 {
		t.Errorf("the heap grew by %d MiB reading %d MiB", peak>>20, n*len(in.rec)>>20)
	}
	if perPacket > 2*uint64(len(in.rec)) {
		t.Errorf("%d bytes allocated a packet of %d", perPacket, len(in.rec))
	}
}

// FuzzCaptureReader: reading any input as a capture never panics, ends
// with io.EOF or a *CaptureError, hands out no more packet bytes than the
// input holds, and allocates in proportion to the input, whatever lengths
// it claims.
func FuzzCaptureReader(f *testing.F) {
	p0, p1, p2 := testPackets[0], testPackets[1], testPackets[2]
	for _, seed := range [][]byte{
		pcapFile(binary.LittleEndian, false, linktypeSLL, testPackets),
		pcapFile(binary.BigEndian, true, linktypeNLMON, testPackets),
		cat(le.section(), le.iface(linktypeNLMON, 0, le.option(ngOptTsresol, []byte{9})), le.packet(0, 1, p0, le.option(1, []byte("c"))), le.simple(p1)),
		cat(be.section(), be.iface(linktypeSLL, 20, be.option(ngOptTsresol, []byte{0x90}), be.option(ngOptTsoffset, make([]byte, 8))), be.block(5, make([]byte, 12)), be.packet(0, 1, p2), be.simple(p0)),
		cat(le.section(), le.iface(linktypeNLMON, 0), be.section(), be.iface(linktypeNLMON, 0), be.packet(0, 7, p1)),
		[]byte("# hex\n0000: 28 00 00 00 14 00 05 06 0x01 \\x00\\x00\\x00 00000000\n"),
		cat(newAddr, odd, []byte{0, 0, 0}, done),
		cat(newAddr, newAddr[:20]),
		{0xff, 0xff, 0xff, 0xff},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		c, err := NewCaptureReader(bytes.NewReader(b))
		total, n := 0, 0
		for err == nil {
			var p Packet
			if p, err = c.Next(); err == nil {
				n++
				total += len(p.Data)
			}
			if n > len(b)/12 {
				t.Fatalf("%d packets from %d bytes", n, len(b))
			}
		}
		var ce *CaptureError
		if err != io.EOF && !errors.As(err, &ce) {
			t.Fatalf("error %v (%T), want io.EOF or a *CaptureError", err, err)
		}
		_ = err.Error()
		if total > len(b) {
			t.Fatalf("%d bytes of packets from %d bytes of input", total, len(b))
		}
		runtime.ReadMemStats(&ms)
		if a := ms.TotalAlloc - before; a > 16*uint64(len(b))+1<<20 {
			t.Fatalf("%d bytes allocated reading %d bytes", a, len(b))
		}
	})
}
