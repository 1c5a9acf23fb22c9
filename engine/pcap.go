package engine

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
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

// Packet is one datagram read back from a capture.
type Packet struct {
	Time   time.Time
	Out    bool
	Family int
	Data   []byte
}

// ReadCapture reads datagrams from a pcap written by PcapWriter (or an nlmon
// capture), from a hex dump (whitespace-separated hex bytes, '#' comments,
// optional leading offsets ending in ':'), or from raw netlink bytes.
func ReadCapture(r io.Reader) ([]Packet, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if len(data) >= 24 {
		switch binary.LittleEndian.Uint32(data) {
		case pcapMagic:
			return readPcap(data, time.Microsecond)
		case pcapMagicNano:
			return readPcap(data, time.Nanosecond)
		}
	}
	if b, ok := parseHexDump(data); ok {
		return []Packet{{Data: b}}, nil
	}
	return []Packet{{Data: data}}, nil
}

func readPcap(data []byte, unit time.Duration) ([]Packet, error) {
	lt := binary.LittleEndian.Uint32(data[20:])
	if lt != linktypeSLL && lt != linktypeNLMON {
		return nil, fmt.Errorf("pcap link type %d: only netlink captures are read (Linux cooked, 113, or nlmon, 253)", lt)
	}
	var ps []Packet
	for off := 24; off < len(data); {
		if len(data)-off < 16 {
			return ps, fmt.Errorf("pcap record header truncated at offset %d", off)
		}
		incl := int(binary.LittleEndian.Uint32(data[off+8:]))
		sec := binary.LittleEndian.Uint32(data[off:])
		usec := binary.LittleEndian.Uint32(data[off+4:])
		off += 16
		if incl > len(data)-off || incl < sllHeaderLen {
			return ps, fmt.Errorf("pcap record at offset %d: length %d does not fit", off-16, incl)
		}
		rec := data[off : off+incl]
		off += incl
		if binary.BigEndian.Uint16(rec[2:]) != arphrdNetlink {
			continue
		}
		ps = append(ps, Packet{
			Time:   time.Unix(int64(sec), int64(time.Duration(usec)*unit)),
			Out:    binary.BigEndian.Uint16(rec[0:]) == packetOutgoing,
			Family: int(binary.BigEndian.Uint16(rec[14:])),
			Data:   rec[sllHeaderLen:],
		})
	}
	return ps, nil
}

// parseHexDump reads text of hex byte pairs. It reports false for anything
// that is not such text, so binary input is taken as raw bytes.
func parseHexDump(data []byte) ([]byte, bool) {
	var out []byte
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, f := range strings.Fields(line) {
			if strings.HasSuffix(f, ":") {
				continue // an offset column
			}
			f = strings.TrimPrefix(strings.TrimPrefix(f, "0x"), "\\x")
			b, err := hex.DecodeString(strings.ReplaceAll(f, "\\x", ""))
			if err != nil {
				return nil, false
			}
			out = append(out, b...)
		}
	}
	if sc.Err() != nil || len(out) == 0 {
		return nil, false
	}
	return out, true
}
