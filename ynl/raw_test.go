package ynl

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
)

// TestRawStructs checks struct layouts: packed members, pad members, a
// struct inside a struct, byte order and display hints.
func TestRawStructs(t *testing.T) {
	s := testSpec(t, "pipes")
	type f struct {
		Name         string
		Kind         string
		Offset, Size int
		Hint, Enum   string
	}
	var got []f
	for _, x := range s.Struct("pipemsg").Fields {
		g := f{x.Name, x.Kind.String(), x.Offset, x.Size, x.Hint, ""}
		if x.Enum != nil {
			g.Enum = x.Enum.Name
		}
		got = append(got, g)
	}
	want := []f{
		{"family", "u8", 0, 1, "", "family"},
		{"pad", "pad", 1, 3, "", ""},
		{"index", "s32", 4, 4, "", ""},
		{"flow", "struct", 8, 8, "", ""},
		{"gateway", "ipv4", 16, 4, "", ""},
		{"hw", "lladdr", 20, 6, "", ""},
		{"tag", "binary", 26, 2, "hex", ""},
		{"name", "asciiz", 28, 8, "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pipemsg (-want +got):\n%s", diff)
	}
	if st := s.Struct("pipemsg"); st.Size != 36 || st.Fields[3].Struct != s.Struct("flow") {
		t.Errorf("pipemsg is %d bytes, flow field %v", st.Size, st.Fields[3].Struct)
	}
	if k := s.Struct("flow").Fields[1].Kind; k != engine.BE16 {
		t.Errorf("flow.port is %s, want be16", k)
	}
	var names []string
	for _, st := range s.Structs {
		names = append(names, st.Name)
	}
	if diff := cmp.Diff([]string{"flow", "pipemsg", "valve-hdr"}, names); diff != "" {
		t.Errorf("structs in spec order (-want +got):\n%s", diff)
	}
}

// TestRawSubMessages encodes sub-messages chosen each way the engine
// looks for a selector (a sibling attribute, an attribute of an
// enclosing set, a field of the fixed header), in each format (a set, a
// fixed header, both, neither), and checks the exact bytes. netlink-raw
// nests carry no NLA_F_NESTED.
func TestRawSubMessages(t *testing.T) {
	s := testSpec(t, "pipes")
	p, err := s.RawProtocol()
	if err != nil {
		t.Fatal(err)
	}
	c := p.Class("pipemsg")
	if c == nil {
		t.Fatalf("no class pipemsg; classes %v", p.ClassNames())
	}
	header := map[string]any{
		"family": "water", "index": int64(-1),
		"flow":    fields(map[string]any{"rate": uint64(1), "port": uint64(0x1234), "flags": "open|stuck"}),
		"gateway": "192.0.2.1", "hw": "02:00:00:00:00:01", "tag": []byte{0xbe, 0xef}, "name": "p1",
	}
	const headerHex = "02000000 ffffffff 01000000 12340300 c0000201 02000000 0001beef 70310000 00000000"
	kind := func(k string) engine.Table { return pair("kind", k) }
	for _, tc := range []struct {
		name  string
		attrs engine.Table
		hex   string
	}{
		{"sibling selects a set", list(kind("brass"), pair("data", list(pair("diameter", uint64(10)), pair("polished", true)))),
			"0a000100 62726173 73000000 10000200 08000100 0a000000 04000200"},
		{"sibling selects a fixed header", list(kind("steel"), pair("data", fields(map[string]any{"turns": uint64(5)}))),
			"0a000100 73746565 6c000000 08000200 05000000"},
		{"sibling selects both", list(kind("copper"), pair("data", fields(map[string]any{"turns": uint64(1), "attrs": list(pair("diameter", uint64(2)))}))),
			"0b000100 636f7070 65720000 10000200 01000000 08000100 02000000"},
		{"sibling selects nothing", list(kind("plastic"), pair("data", []byte{9})),
			"0c000100 706c6173 74696300 05000200 09000000"},
		{"header field selects", list(pair("extra", list(pair("hardness", uint64(7))))),
			"0c000300 05000100 07000000"},
		{"outer attribute selects", list(kind("brass"), pair("valves", list(pair("stats", fields(map[string]any{"rate": uint64(2), "port": uint64(80)}))))),
			"0a000100 62726173 73000000 10000400 0c000100 02000000 00500000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := fields(map[string]any{"attrs": tc.attrs})
			for k, x := range header {
				v.Map[k] = x
			}
			r := roundTrip(t, c, v, headerHex+tc.hex)
			if len(r.Attrs) == 0 {
				t.Fatal("no attributes decoded")
			}
			for _, a := range r.Attrs {
				if _, raw := a.Value.([]byte); raw && tc.name != "sibling selects nothing" {
					t.Errorf("%s decoded as raw bytes %x", a.Name(c.Attrs), a.Value)
				}
			}
		})
	}
}

// TestRawProtocol checks the protocol a netlink-raw spec makes: message
// types told apart by direction, classes, groups.
func TestRawProtocol(t *testing.T) {
	s := testSpec(t, "pipes")
	p, err := s.RawProtocol()
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "pipes" || p.Number != 29 {
		t.Errorf("protocol %s %d", p.Name, p.Number)
	}
	type mt struct {
		Name  string
		Type  uint16
		Class string
		Op    engine.Op
	}
	describe := func(x *engine.MsgType) mt {
		if x == nil {
			return mt{}
		}
		m := mt{Name: x.Name, Type: x.Type, Op: x.Op}
		if x.Class != nil {
			m.Class = x.Class.Name
		}
		return m
	}
	var types []mt
	for _, x := range p.Types {
		types = append(types, describe(x))
	}
	if diff := cmp.Diff([]mt{
		{"newpipe", 40, "pipemsg", engine.OpNew},
		{"delpipe", 41, "pipemsg", engine.OpDel},
		{"getpipe", 42, "pipemsg", engine.OpGet},
		{"getvalve", 44, "valve-hdr", engine.OpGet},
		{"getvalve-reply", 45, "valve-hdr", engine.OpGet},
	}, types); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
	resolved := map[string]mt{}
	for _, tc := range []struct {
		typ uint16
		dir engine.Direction
	}{{40, engine.DirRequest}, {40, engine.DirReply}, {42, engine.DirRequest}, {42, engine.DirReply}, {45, engine.DirReply}, {44, engine.DirReply}} {
		resolved[tc.dir.String()+" "+string(rune('0'+tc.typ/10))+string(rune('0'+tc.typ%10))] = describe(p.Resolve(engine.Header{Type: tc.typ}, nil, tc.dir))
	}
	if diff := cmp.Diff(map[string]mt{
		"request 40": {"newpipe", 40, "pipemsg", engine.OpNew},
		"reply 40":   {"newpipe", 40, "pipemsg", engine.OpNew}, // getpipe's reply is a newpipe message
		"request 42": {"getpipe", 42, "pipemsg", engine.OpGet},
		"reply 42":   {"getpipe", 42, "pipemsg", engine.OpGet}, // no reply is 42: the request's type
		"reply 45":   {"getvalve-reply", 45, "valve-hdr", engine.OpGet},
		"reply 44":   {"getvalve", 44, "valve-hdr", engine.OpGet},
	}, resolved); diff != "" {
		t.Errorf("resolved by direction (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]engine.Group{{Name: "pipes", Const: "PIPES_MCGRP_PIPES", Number: 3}, {Name: "valves", Const: "PIPES_MCGRP_VALVES", Number: 7}}, p.Groups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if _, err := testSpec(t, "kinds").RawProtocol(); err == nil {
		t.Error("a genetlink spec made a raw protocol")
	}
}

// TestRawDecodesKernelDumps decodes the rtnetlink dumps captured from
// the kernel (testdata/dumps) with the protocols the installed rt-*
// specs make: every message resolves to a type with a class, encodes
// back to the same bytes, and every attribute the spec describes
// decodes as described, but for the spec bugs listed in dumpMisfits.
func TestRawDecodesKernelDumps(t *testing.T) {
	specs := map[string]string{"links": "rt_link", "addrs": "rt_addr", "routes": "rt_route", "qdiscs": "tc", "classes": "tc", "filters": "tc"}
	bad := map[string]bool{}
	defer func() {
		if t.Failed() {
			return
		}
		var got []string
		for k := range bad {
			got = append(got, k)
		}
		sort.Strings(got)
		var want []string
		for k := range dumpMisfits {
			want = append(want, k)
		}
		sort.Strings(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("attributes the kernel sends unlike the spec says (-want +got):\n%s", diff)
		}
	}()
	for dump, name := range specs {
		t.Run(dump, func(t *testing.T) {
			p, err := installed(t, name).RawProtocol()
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join("..", "testdata", "dumps", dump+".bin"))
			if err != nil {
				t.Fatal(err)
			}
			msgs, err := engine.Split(b)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, m := range msgs {
				mt := p.Resolve(m.Header, m.Body, engine.DirReply)
				if mt == nil || mt.Class == nil {
					if m.Header.Type == engine.NLMSG_DONE {
						continue
					}
					t.Fatalf("type %d: no message type", m.Header.Type)
				}
				r := engine.DecodeRecord(mt.Class, m.Body)
				misfits(mt.Class.Attrs, r.Attrs, name, bad)
				again, err := engine.EncodeRecord(mt.Class, r)
				if err != nil || !bytes.Equal(again, m.Body) {
					t.Fatalf("%s: re-encoded %d bytes, %v; want %d", mt.Name, len(again), err, len(m.Body))
				}
				n++
			}
			if n == 0 {
				t.Fatal("no messages")
			}
		})
	}
}

// dumpMisfits are attributes in the captured dumps whose bytes do not
// fit the spec's description: spec bugs, each with the reason.
var dumpMisfits = map[string]string{}

// misfits records, by spec and attribute path, every described
// attribute whose payload did not decode as its description says.
func misfits(set *engine.AttrSet, attrs []engine.Attr, path string, bad map[string]bool) {
	for _, a := range attrs {
		p := path + " " + a.Name(set)
		if set != nil && set.Indexed != nil {
			p = path + " #"
		}
		if a.Desc == nil {
			continue
		}
		switch v := a.Value.(type) {
		case []byte:
			if a.Desc.Kind != engine.Binary && a.Desc.Kind != engine.Pad && a.Desc.Kind != engine.SubMsg {
				bad[p] = true
			}
		case *engine.NestValue:
			misfits(v.Set, v.Attrs, p, bad)
		case *engine.Record:
			misfits(v.Class.Attrs, v.Attrs, p, bad)
		}
	}
}
