package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"
)

func TestPcapRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewPcapWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1700000000, 123456000)
	w.now = func() time.Time { return at }
	for _, p := range []struct {
		out  bool
		data []byte
	}{{true, []byte{1, 2, 3}}, {false, []byte{4, 5}}} {
		if err := w.Write(16, p.out, p.data); err != nil {
			t.Fatal(err)
		}
	}
	pkts, err := ReadCapture(bytes.NewReader(buf.Bytes()))
	if err != nil || len(pkts) != 2 {
		t.Fatalf("read %d packets: %v", len(pkts), err)
	}
	if !pkts[0].Out || pkts[1].Out || pkts[0].Family != 16 || !bytes.Equal(pkts[1].Data, []byte{4, 5}) || !pkts[0].Time.Equal(at) {
		t.Errorf("packets %+v", pkts)
	}
	// An nlmon capture (link type 253) with nanosecond timestamps reads too.
	b := append([]byte{}, buf.Bytes()...)
	binary.LittleEndian.PutUint32(b[0:], pcapMagicNano)
	binary.LittleEndian.PutUint32(b[20:], linktypeNLMON)
	binary.LittleEndian.PutUint32(b[24+4:], 123456000)
	pkts, err = ReadCapture(bytes.NewReader(b))
	if err != nil || len(pkts) != 2 || !pkts[0].Time.Equal(at) {
		t.Errorf("nlmon capture: %d packets, %v, %v", len(pkts), err, pkts)
	}
	// Hex dumps, with comments and offsets, and raw bytes (capture_test.go
	// has more).
	pkts, _ = ReadCapture(bytes.NewReader([]byte("# a message\n0000: 10 00 00 00\n03 00 00 00 0x01 \\x02 00 00 00 00 00 00\n")))
	if len(pkts) != 1 || !bytes.Equal(pkts[0].Data, []byte{16, 0, 0, 0, 3, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0}) {
		t.Errorf("hex dump: %+v", pkts)
	}
	raw := []byte{0xff, 0xfe, 0x00}
	if pkts, err := ReadCapture(bytes.NewReader(raw)); len(pkts) != 0 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("3 raw bytes: %+v, %v", pkts, err)
	}
}
