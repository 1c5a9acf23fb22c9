package engine

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"time"
)

// pcapng, the format tshark and dumpcap write by default: a file of blocks,
// each section opened by a Section Header Block that sets the byte order,
// then Interface Description Blocks (link type and timestamp resolution)
// and the packets, in Enhanced or Simple Packet Blocks. Other blocks
// (name resolution, statistics, comments, custom) are skipped.

// Block types and the byte-order magic.
const (
	ngSHB   = 0x0a0d0d0a // the same in either byte order
	ngIDB   = 1
	ngSPB   = 3
	ngEPB   = 6
	ngMagic = 0x1a2b3c4d

	maxBlock = MaxCapturePacket + 1<<16 // a packet and its options

	ngOptEnd      = 0
	ngOptTsresol  = 9
	ngOptTsoffset = 14
)

// ngIface is what an Interface Description Block says of the packets that
// name it.
type ngIface struct {
	snaplen  uint32
	binary   bool  // timestamps in units of 2^-exp s, not 10^-exp s
	exp      uint8 // if_tsresol's exponent
	tsoffset int64 // if_tsoffset, seconds added to every timestamp
}

// nextPcapNG reads blocks until one holds a netlink packet.
func (c *CaptureReader) nextPcapNG() (Packet, error) {
	for {
		start := c.off
		var h [8]byte
		k, err := c.readFull(h[:])
		if k == 0 && err == io.ErrUnexpectedEOF {
			return Packet{}, io.EOF
		}
		if err != nil {
			return Packet{}, c.errorAt(start, false, err, "truncated: the block header has %d of 8 bytes", k)
		}
		typ := binary.LittleEndian.Uint32(h[0:]) // ngSHB reads the same either way
		if typ == ngSHB {
			// A section sets the byte order of every block up to the next.
			var m [4]byte
			if k, err := c.readFull(m[:]); err != nil {
				return Packet{}, c.errorAt(start, false, err, "truncated: the section header has %d of 12 bytes", 8+k)
			}
			switch {
			case binary.LittleEndian.Uint32(m[:]) == ngMagic:
				c.order = binary.LittleEndian
			case binary.BigEndian.Uint32(m[:]) == ngMagic:
				c.order = binary.BigEndian
			default:
				return Packet{}, c.errorAt(start, false, nil, "section header's byte-order magic is % x, not 1a 2b 3c 4d in either order", m)
			}
			c.ifaces = c.ifaces[:0]
		} else if c.order == nil {
			return Packet{}, c.errorAt(start, false, nil, "block type %#x before any section header", typ)
		} else {
			typ = c.order.Uint32(h[0:])
		}
		length := c.order.Uint32(h[4:])
		name := ngBlockName(typ)
		// Type, length, the length repeated at the end, and what the block
		// must hold: a section its magic, version and section length.
		head, least := uint32(12), uint32(12)
		if typ == ngSHB {
			head, least = 16, 28
		}
		if length < least || length%4 != 0 || length > maxBlock {
			return Packet{}, c.errorAt(start, false, nil, "%s's length %d is no block length (a multiple of 4 from %d to %d)", name, length, least, maxBlock)
		}
		inPacket := typ == ngEPB || typ == ngSPB
		if inPacket {
			c.n++
		}
		bodyLen := int(length - head)
		var body []byte
		var got int64 // of the body
		if typ == ngSHB || typ == ngIDB || inPacket {
			body, err = readN(c.r, nil, bodyLen)
			got = int64(len(body))
		} else {
			got, err = io.CopyN(io.Discard, c.r, int64(bodyLen))
			err = short(err)
		}
		c.off += got
		if err != nil {
			return Packet{}, c.errorAt(start, inPacket, err, "truncated: %d of the %s's %d bytes", int64(head)-4+got, name, length)
		}
		var tail [4]byte
		if k, err := c.readFull(tail[:]); err != nil {
			return Packet{}, c.errorAt(start, inPacket, err, "truncated: %s's closing length has %d of 4 bytes", name, k)
		}
		if l := c.order.Uint32(tail[:]); l != length {
			return Packet{}, c.errorAt(start, inPacket, nil, "%s's closing length %d differs from its length %d", name, l, length)
		}
		switch typ {
		case ngSHB:
			if major := c.order.Uint16(body[0:]); major != 1 {
				return Packet{}, c.errorAt(start, false, nil, "pcapng version %d.%d: only version 1 is read", major, c.order.Uint16(body[2:]))
			}
		case ngIDB:
			if err := c.readIDB(start, body); err != nil {
				return Packet{}, err
			}
		case ngEPB, ngSPB:
			p, err := c.readPacketBlock(typ, start, body)
			if err != nil || p.Data != nil {
				return p, err
			}
		}
	}
}

// ngBlockName names a block type for errors.
func ngBlockName(typ uint32) string {
	switch typ {
	case ngSHB:
		return "section header block"
	case ngIDB:
		return "interface description block"
	case ngSPB:
		return "simple packet block"
	case ngEPB:
		return "enhanced packet block"
	}
	return fmt.Sprintf("block of type %#x", typ)
}

// readIDB reads an Interface Description Block: its link type must be
// netlink; its options may set the timestamps' resolution and offset.
func (c *CaptureReader) readIDB(start int64, body []byte) error {
	id := len(c.ifaces)
	if len(body) < 8 {
		return c.errorAt(start, false, nil, "interface description block %d has %d bytes, fewer than 8", id, len(body))
	}
	if lt := uint32(c.order.Uint16(body[0:])); lt != linktypeSLL && lt != linktypeNLMON {
		return c.errorAt(start, false, nil, "interface %d has link type %d: only netlink captures are read (nlmon, 253, or Linux cooked, 113)", id, lt)
	}
	in := ngIface{snaplen: c.order.Uint32(body[4:]), exp: 6}
	for opts := body[8:]; len(opts) >= 4; {
		code, l := c.order.Uint16(opts[0:]), int(c.order.Uint16(opts[2:]))
		if code == ngOptEnd {
			break
		}
		if 4+l > len(opts) {
			return c.errorAt(start, false, nil, "interface %d: option %d's %d bytes run past the block", id, code, l)
		}
		v := opts[4 : 4+l]
		switch {
		case code == ngOptTsresol && l == 1:
			in.binary, in.exp = v[0]&0x80 != 0, v[0]&0x7f
			if !in.binary && in.exp > 19 {
				return c.errorAt(start, false, nil, "interface %d: if_tsresol 10^-%d is finer than nlsh reads (10^-19)", id, in.exp)
			}
		case code == ngOptTsoffset && l == 8:
			in.tsoffset = int64(c.order.Uint64(v))
		}
		opts = opts[min(len(opts), 4+align4(l)):]
	}
	c.ifaces = append(c.ifaces, in)
	return nil
}

// readPacketBlock reads an Enhanced or a Simple Packet Block. A packet
// that is not netlink has no Data.
func (c *CaptureReader) readPacketBlock(typ uint32, start int64, body []byte) (Packet, error) {
	if typ == ngSPB {
		return c.readSPB(start, body)
	}
	if len(body) < 20 {
		return Packet{}, c.errorAt(start, true, nil, "enhanced packet block has %d bytes, fewer than 20", len(body))
	}
	id := c.order.Uint32(body[0:])
	if id >= uint32(len(c.ifaces)) {
		return Packet{}, c.errorAt(start, true, nil, "packet on interface %d, which no interface description block declared", id)
	}
	in := c.ifaces[id]
	ts := uint64(c.order.Uint32(body[4:]))<<32 | uint64(c.order.Uint32(body[8:]))
	caplen := c.order.Uint32(body[12:])
	if caplen > uint32(len(body)-20) {
		return Packet{}, c.errorAt(start, true, nil, "captured length %d runs past the block (%d bytes)", caplen, len(body)-20)
	}
	return c.ngPacket(start, body[20:20+caplen], in.time(ts))
}

// readSPB reads a Simple Packet Block: interface 0, no timestamp.
func (c *CaptureReader) readSPB(start int64, body []byte) (Packet, error) {
	if len(c.ifaces) == 0 {
		return Packet{}, c.errorAt(start, true, nil, "simple packet block, but no interface description block declared interface 0")
	}
	if len(body) < 4 {
		return Packet{}, c.errorAt(start, true, nil, "simple packet block has %d bytes, fewer than 4", len(body))
	}
	n := min(c.order.Uint32(body[0:]), uint32(len(body)-4))
	if s := c.ifaces[0].snaplen; s != 0 {
		n = min(n, s)
	}
	return c.ngPacket(start, body[4:4+n], time.Time{})
}

// ngPacket reads the cooked header of a packet's data.
func (c *CaptureReader) ngPacket(start int64, data []byte, t time.Time) (Packet, error) {
	if len(data) < sllHeaderLen {
		return Packet{}, c.errorAt(start, true, nil, "captured length %d is shorter than the 16-byte cooked header", len(data))
	}
	if binary.BigEndian.Uint16(data[2:]) != arphrdNetlink {
		return Packet{}, nil
	}
	return cooked(data, t), nil
}

// time turns a timestamp in the interface's units into a time.
func (in ngIface) time(ts uint64) time.Time {
	var sec, frac, unit uint64
	if in.binary {
		if in.exp >= 64 {
			sec, frac, unit = 0, ts, 0
		} else {
			sec, frac, unit = ts>>in.exp, ts&(1<<in.exp-1), 1<<in.exp
		}
	} else {
		unit = 1
		for range in.exp {
			unit *= 10
		}
		sec, frac = ts/unit, ts%unit
	}
	var ns uint64
	if unit != 0 {
		// frac < unit, so frac*1e9/unit < 1e9 and the division cannot overflow.
		hi, lo := bits.Mul64(frac, 1e9)
		ns, _ = bits.Div64(hi, lo, unit)
	} else {
		// 2^-64 s and finer: whole seconds are beyond 64 bits.
		hi, _ := bits.Mul64(frac, 1e9)
		ns = hi >> (in.exp - 64)
	}
	return time.Unix(int64(sec)+in.tsoffset, int64(ns))
}
