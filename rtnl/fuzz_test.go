package rtnl

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// Fuzz targets, one per decoder entry point: framing (Split), decoding and
// re-encoding (Message.Decode with EncodeMessage), path lookup
// (Message.Lookup) and error replies (ReplyError, AttrPathAt). Each is seeded
// with every message of the kernel dumps in ../testdata/dumps plus a few
// hand-corrupted ones, so the fuzzer starts from real rtnetlink shapes.

// nla builds one attribute with its alignment padding.
func nla(typ uint16, payload []byte) []byte {
	b := make([]byte, 4, 4+len(payload)+3)
	binary.LittleEndian.PutUint16(b, uint16(4+len(payload)))
	binary.LittleEndian.PutUint16(b[2:], typ)
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// nlmsg frames a body as one message.
func nlmsg(typ, flags uint16, body ...[]byte) []byte {
	b := make([]byte, engine.HeaderLen)
	for _, p := range body {
		b = append(b, p...)
	}
	engine.Header{Length: uint32(len(b)), Type: typ, Flags: flags, Seq: 1}.Put(b)
	return b
}

func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// seedRoute is an RTM_NEWROUTE the corrupt seeds start from: rtmsg, then
// RTA_TABLE, RTA_DST, RTA_OIF, then extra, which is appended inside the
// message.
func seedRoute(extra ...[]byte) []byte {
	rtm := []byte{2, 24, 0, 0, 254, 4, 0, 1, 0, 0, 0, 0} // AF_INET /24 main static universe unicast
	parts := append([][]byte{rtm, nla(15, u32(254)), nla(1, []byte{10, 1, 2, 0}), nla(4, u32(2))}, extra...)
	return nlmsg(24, 0, parts...)
}

// corruptSeeds are malformed inputs the kernel never sends but a file or a
// buggy peer might: each breaks one framing rule.
func corruptSeeds() [][]byte {
	route := seedRoute()
	const firstAttr = engine.HeaderLen + 12 // after nlmsghdr and rtmsg
	edit := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), route...))
	}
	return [][]byte{
		// A header cut short.
		route[:10],
		// nlmsg_len shorter than the header.
		edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b, 8); return b }),
		// nlmsg_len past the end of the buffer.
		edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b, uint32(len(b)+4)); return b }),
		// An attribute whose nla_len is 0.
		edit(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[firstAttr:], 0); return b }),
		// An attribute whose nla_len runs past the end of the message.
		edit(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[firstAttr:], 0xffff); return b }),
		// nla_len 3: shorter than the attribute header.
		edit(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[firstAttr:], 3); return b }),
		// A body cut inside the rtmsg.
		nlmsg(24, 0, []byte{2, 24, 0}),
		// Odd padding: a 5-byte attribute whose padding bytes are not zero;
		// then a message whose length is not a multiple of 4, padded to the
		// next one.
		nlmsg(24, 0, make([]byte, 12), []byte{5, 0, 99, 0, 7, 0xff, 0xff, 0xff}, nla(4, u32(3))),
		bytes.Join([][]byte{nlmsg(24, 0, make([]byte, 12), []byte{5, 0, 99, 0, 7}), {0, 0, 0}, route}, nil),
		// Bytes after the last attribute that do not parse as one.
		seedRoute([]byte{1, 2}),
		// A multipath route whose rtnexthop claims more than the attribute holds.
		nlmsg(24, 0, make([]byte, 12), nla(9, []byte{0xff, 0, 0, 0, 2, 0, 0, 0})),
		// Nested attributes: RTA_METRICS holding a truncated RTAX_MTU.
		nlmsg(24, 0, make([]byte, 12), nla(8|engine.NLA_F_NESTED, []byte{8, 0, 2, 0, 0xdc, 5})),
	}
}

// addSeeds adds every dump message, and the corrupt ones, to f as single
// []byte seeds. It returns the set of real messages, keyed by their bytes.
func addSeeds(f *testing.F) map[string]bool {
	real := map[string]bool{}
	for _, m := range nstest.KernelMessages(f, filepath.Join("..", "testdata", "dumps")) {
		real[string(m)] = true
		f.Add(m)
	}
	for _, m := range corruptSeeds() {
		f.Add(m)
	}
	return real
}

// FuzzSplit checks framing: Split never panics, every message it returns is
// the slice of the input its header says, in order, and it stops exactly where
// the bytes stop framing.
func FuzzSplit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, err := engine.Split(data)
		off := 0
		for i := range msgs {
			m := &msgs[i]
			if int(m.Header.Length) != engine.HeaderLen+len(m.Body) {
				t.Fatalf("message %d: nlmsg_len %d, body %d bytes", i, m.Header.Length, len(m.Body))
			}
			if off+int(m.Header.Length) > len(data) {
				t.Fatalf("message %d at %d: %d bytes run past the %d-byte input", i, off, m.Header.Length, len(data))
			}
			if h := engine.ParseHeader(data[off:]); h != m.Header {
				t.Fatalf("message %d at %d: header %+v, input says %+v", i, off, m.Header, h)
			}
			// The body aliases the input (Split promises no copy) ...
			if len(m.Body) > 0 && &m.Body[0] != &data[off+engine.HeaderLen] {
				t.Fatalf("message %d: body does not alias input offset %d", i, off+engine.HeaderLen)
			}
			// ... and is capped, so appending to it cannot overwrite the
			// next message.
			if cap(m.Body) != len(m.Body) {
				t.Fatalf("message %d: body cap %d > len %d", i, cap(m.Body), len(m.Body))
			}
			off += (int(m.Header.Length) + 3) &^ 3
		}
		if err == nil {
			if off < len(data) {
				t.Fatalf("no error, but %d of %d bytes were not framed", len(data)-off, len(data))
			}
			return
		}
		fe, ok := err.(*engine.FrameError)
		if !ok {
			t.Fatalf("error %T %v, want *engine.FrameError", err, err)
		}
		if fe.Offset != off {
			t.Fatalf("framing error at offset %d, want %d (after %d messages): %v", fe.Offset, off, len(msgs), err)
		}
	})
}

// reencode decodes m by Route and encodes the record again, the way a script
// that reads a message and sends it back does. The length is recomputed,
// since the first pass may drop or add bytes (non-zero padding, a short
// struct filled out).
func reencode(m *engine.Message) ([]byte, error) {
	rec := m.Decode(Route)
	h := m.Header
	h.Length = 0
	if t := Route.TypeByNumber(h.Type); t != nil && t.Class != nil {
		return engine.EncodeMessage(h, t.Class, rec)
	}
	// A type without a payload description decodes to its raw body.
	return engine.EncodeMessage(h, nil, rec.Tail)
}

// FuzzDecode checks Message.Decode: it never panics, its record always
// re-encodes, and encode∘decode is idempotent after one pass (the first pass
// may normalise padding). Real kernel messages must survive the first pass
// unchanged.
func FuzzDecode(f *testing.F) {
	real := addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, _ := engine.Split(data)
		for i := range msgs {
			m := &msgs[i]
			orig := m.Bytes()
			b1, err := reencode(m)
			if err != nil {
				t.Fatalf("message %d (type %d): re-encoding its decoded record: %v\ninput %x", i, m.Header.Type, err, orig)
			}
			if real[string(orig)] && !bytes.Equal(b1, orig) {
				t.Fatalf("message %d (type %d): kernel message changed on re-encoding\n got %x\nwant %x", i, m.Header.Type, b1, orig)
			}
			again, err := engine.Split(b1)
			if err != nil || len(again) != 1 {
				t.Fatalf("message %d: re-encoded bytes frame as %d messages (%v): %x", i, len(again), err, b1)
			}
			b2, err := reencode(&again[0])
			if err != nil {
				t.Fatalf("message %d (type %d): second re-encoding: %v\nfirst pass %x", i, m.Header.Type, err, b1)
			}
			if !bytes.Equal(b1, b2) {
				t.Fatalf("message %d (type %d): encode∘decode not stable\ninput  %x\npass 1 %x\npass 2 %x", i, m.Header.Type, orig, b1, b2)
			}
		}
	})
}

// lookupPath turns fuzzed bytes into a path of attribute names. Each byte
// picks a member of the set the path has reached, following nests, records
// and sub-message formats (a sub-message takes one more byte to choose its
// format), so the fuzzer walks paths that exist; one past the last member
// picks a number the set does not describe, named as Lookup names unknown
// attributes.
func lookupPath(typ uint16, pick []byte) []string {
	const maxDepth = 8
	var set *engine.AttrSet
	if t := Route.TypeByNumber(typ); t != nil && t.Class != nil {
		set = t.Class.Attrs
	}
	var path []string
	for i := 0; i < len(pick) && len(path) < maxDepth; i++ {
		if set == nil || len(set.Attrs) == 0 {
			// Past a leaf: a name that cannot match, to exercise descend.
			path = append(path, "X")
			continue
		}
		k := int(pick[i]) % (len(set.Attrs) + 1)
		if k == len(set.Attrs) {
			path = append(path, set.UnknownName(uint16(pick[i])+1000))
			set = nil
			continue
		}
		d := set.Attrs[k]
		path = append(path, d.Name)
		if d.Kind == engine.SubMsg && i+1 < len(pick) {
			i++
			d = subFormat(d, pick[i])
		}
		set = d.InnerSet()
	}
	return path
}

// subFormat picks one of a sub-message's formats by a fuzzed byte.
func subFormat(d *engine.AttrDesc, b byte) *engine.AttrDesc {
	keys := make([]string, 0, len(d.Sub.Formats))
	for k := range d.Sub.Formats {
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return d
	}
	sort.Strings(keys) // map order would make the path depend on the run
	return d.Sub.Formats[keys[int(b)%len(keys)]]
}

// FuzzLookup checks Message.Lookup on paths through the message class's
// attribute sets: it never panics, and asking for the first match gives the
// first of all matches.
func FuzzLookup(f *testing.F) {
	for _, m := range nstest.KernelMessages(f, filepath.Join("..", "testdata", "dumps")) {
		f.Add(m, []byte{0}, true)
		f.Add(m, []byte{1, 2, 3}, false)
	}
	for _, m := range corruptSeeds() {
		f.Add(m, []byte{0, 0}, true)
	}
	f.Fuzz(func(t *testing.T, data, pick []byte, first bool) {
		msgs, _ := engine.Split(data)
		for i := range msgs {
			m := &msgs[i]
			path := lookupPath(m.Header.Type, pick)
			got := m.Lookup(Route, path, first)
			if !first {
				continue
			}
			all := m.Lookup(Route, path, false)
			switch {
			case len(got) > 1:
				t.Fatalf("message %d: Lookup(%q, first) returned %d values", i, path, len(got))
			case len(got) != min(len(all), 1):
				t.Fatalf("message %d: Lookup(%q): %d values, but first gives %d", i, path, len(all), len(got))
			case len(got) == 1 && !reflect.DeepEqual(got[0], all[0]):
				t.Fatalf("message %d: Lookup(%q, first) = %#v, first of all = %#v", i, path, got[0], all[0])
			}
		}
	})
}

// errBody builds an NLMSG_ERROR payload: the error code, the request (whole,
// or only its header when capped), then extended-ACK attributes.
func errBody(code int32, req []byte, capped bool, tlvs ...[]byte) []byte {
	b := u32(uint32(code))
	if capped {
		b = append(b, req[:engine.HeaderLen]...)
	} else {
		b = append(b, req...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	for _, a := range tlvs {
		b = append(b, a...)
	}
	return b
}

// FuzzReplyError checks engine.ReplyError on NLMSG_ERROR (and NLMSG_DONE)
// messages built from fuzzed bodies and flags, answering a fuzzed request,
// and engine.AttrPathAt on that request at a fuzzed offset. Neither may
// panic, nor may formatting the error.
func FuzzReplyError(f *testing.F) {
	req := seedRoute()
	nested := nlmsg(24, engine.NLM_F_REQUEST, make([]byte, 12),
		nla(8|engine.NLA_F_NESTED, nla(2, u32(1500))),
		nla(9, append([]byte{16, 0, 0, 0, 2, 0, 0, 0}, nla(5, []byte{10, 0, 0, 1})...)))
	msg := nla(1, []byte("Invalid argument\x00"))
	ackTLVs := uint16(engine.NLM_F_ACK_TLVS)
	capped := uint16(engine.NLM_F_CAPPED)
	for _, s := range []struct {
		body  []byte
		flags uint16
		done  bool
		req   []byte
		off   int
	}{
		{errBody(0, req, true), capped, false, req, 0},                                          // ACK
		{errBody(-17, req, false), 0, false, req, 20},                                           // EEXIST, request echoed
		{errBody(-22, req, false, msg, nla(2, u32(28))), ackTLVs, false, req, 28},               // offset at RTA_TABLE
		{errBody(-22, nested, true, msg, nla(2, u32(36))), capped | ackTLVs, false, nested, 36}, // inside RTA_METRICS
		{errBody(-22, nested, true, nla(5, u32(5)), nla(6, u32(28))), capped | ackTLVs, false, nested, 28},
		{errBody(-22, nested, true, nla(4|engine.NLA_F_NESTED, nla(1, u32(4)))), capped | ackTLVs, false, nested, 48},
		{errBody(-22, nested, false, nla(2, u32(52))), ackTLVs, false, nested, 52}, // inside an rtnexthop
		{append(u32(uint32(0xfffffff9)), msg...), ackTLVs, true, nil, -1},          // NLMSG_DONE carrying E2BIG
		{[]byte{0xea, 0xff}, 0, false, req[:10], 3},                                // truncated everything
	} {
		f.Add(s.body, s.flags, s.done, s.req, s.off)
	}
	f.Fuzz(func(t *testing.T, body []byte, flags uint16, done bool, req []byte, off int) {
		typ := uint16(engine.NLMSG_ERROR)
		if done {
			typ = engine.NLMSG_DONE
		}
		if len(req) == 0 {
			req = nil // the path where the request is not known
		}
		m := engine.Message{Header: engine.Header{Length: uint32(engine.HeaderLen + len(body)), Type: typ, Flags: flags}, Body: body}
		if err := engine.ReplyError(Route, &m, req); err != nil {
			_ = err.Error()
		}
		engine.AttrPathAt(Route, req, off)
	})
}

// FuzzExplain: explaining any bytes never panics, accounts for each byte at
// most once and in order, and either covers every byte or ends by naming the
// break.
func FuzzExplain(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		lines := engine.Explain(Route, b, engine.ExplainOptions{Mark: len(b) / 2})
		checkExplained(t, b, lines)
		_ = engine.FormatExplain(lines)
	})
}

// FuzzReadCapture: reading any file as a capture (pcap, hex dump or raw
// bytes) never panics, and every packet's data lies within the input.
func FuzzReadCapture(f *testing.F) {
	f.Add([]byte("28 00 00 00 14 00 05 06\n# comment\n"))
	pcap := []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 113, 0, 0, 0}
	f.Add(pcap)
	rec := append(append([]byte{}, pcap...), 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 20, 0, 0, 0,
		0, 4, 3, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4)
	f.Add(rec)
	f.Fuzz(func(t *testing.T, b []byte) {
		pkts, _ := engine.ReadCapture(bytes.NewReader(b))
		total := 0
		for _, p := range pkts {
			total += len(p.Data)
		}
		if total > len(b) {
			t.Fatalf("%d bytes of packets from %d bytes of input", total, len(b))
		}
	})
}
