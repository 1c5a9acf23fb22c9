package luajson

import (
	"fmt"
	"net/netip"

	"nlsh/engine"
)

// Decoded values, straight from the engine.

// attrs writes decoded attributes as [name, value] pairs.
func (w *writer) attrs(set *engine.AttrSet, attrs []engine.Attr) {
	w.begin('[')
	for i := range attrs {
		a := &attrs[i]
		w.sep()
		short := isShortDecoded(a.Value)
		if short {
			w.inline++
		}
		w.begin('[')
		w.sep()
		if a.Desc != nil {
			w.str(a.Desc.Name)
		} else {
			w.str(set.UnknownName(a.Type))
		}
		w.sep()
		w.decoded(a.Value, a.Desc)
		if a.Flags != 0 || a.Desc.AddsNestFlag() {
			w.nlaFlags(uint64(a.Flags))
		}
		w.end(']')
		if short {
			w.inline--
		}
	}
	w.end(']')
}

// isShortDecoded reports whether a decoded value is written on one line.
func isShortDecoded(v any) bool {
	switch v.(type) {
	case *engine.NestValue, *engine.StructValue, []any, []*engine.Record, *engine.Record:
		return false
	}
	return true
}

// nlaFlags writes the third element of a pair: {"nla_flags": n}.
func (w *writer) nlaFlags(n uint64) {
	w.sep()
	w.begin('{')
	w.key("nla_flags")
	w.uint(n)
	w.end('}')
}

// decoded writes a value the engine decoded for an attribute described by
// d (nil when unknown).
func (w *writer) decoded(v any, d *engine.AttrDesc) {
	switch x := v.(type) {
	case nil:
		w.buf = append(w.buf, "null"...)
	case uint64:
		w.uint(x)
	case int64:
		w.int(x)
	case bool:
		w.boolean(x)
	case string:
		w.text(x, textKind(d), 0)
	case []byte:
		// Binary, or a payload that did not match its description: either
		// way bytes, which read back as nl.raw re-encode verbatim.
		w.hexBytes(string(x))
	case netip.Addr:
		w.buf = append(w.buf, '"')
		w.buf = x.AppendTo(w.buf)
		w.buf = append(w.buf, '"')
	case engine.HWAddr:
		w.hwaddr(x)
	case *engine.NestValue:
		w.begin('{')
		w.key("attrs")
		w.attrs(x.Set, x.Attrs)
		w.end('}')
	case *engine.StructValue:
		w.begin('{')
		w.structFields(x)
		w.end('}')
	case []any:
		w.begin('[')
		for _, el := range x {
			w.sep()
			w.decoded(el, nil)
		}
		w.end(']')
	case []*engine.Record:
		w.begin('[')
		for _, r := range x {
			w.sep()
			w.decodedRecord(r)
		}
		w.end(']')
	case *engine.Record:
		w.decodedRecord(x)
	default:
		// Every type the decoder makes is above; should another appear,
		// its text is better than nothing.
		w.str(fmt.Sprint(x))
	}
}

func (w *writer) hwaddr(h engine.HWAddr) {
	w.buf = append(w.buf, '"')
	for i, c := range h {
		if i > 0 {
			w.buf = append(w.buf, ':')
		}
		w.buf = append(w.buf, hexDigits[c>>4], hexDigits[c&0xf])
	}
	w.buf = append(w.buf, '"')
}

// textKind is the text kind an attribute's string value was decoded as:
// String or Asciiz (for a sub-message, Asciiz if any of its formats is).
func textKind(d *engine.AttrDesc) engine.Kind {
	if d == nil {
		return engine.String
	}
	if d.Kind == engine.SubMsg {
		for _, f := range d.Sub.Formats {
			if f.Kind == engine.Asciiz {
				return engine.Asciiz
			}
		}
		if d.Sub.Default != nil && d.Sub.Default.Kind == engine.Asciiz {
			return engine.Asciiz
		}
		return engine.String
	}
	return d.Kind
}

// structFields writes a decoded struct's fields as members of the object
// being written.
func (w *writer) structFields(s *engine.StructValue) {
	for i, f := range s.Desc.Fields {
		if f.Kind == engine.Pad || i >= len(s.Values) {
			continue
		}
		w.key(f.Name)
		switch x := s.Values[i].(type) {
		case string:
			w.text(x, f.Kind, f.Size)
		case []byte:
			w.hexBytes(string(x))
		default:
			w.decoded(x, nil)
		}
	}
	if s.Desc.Flex != nil {
		w.key(s.Desc.FlexName)
		w.begin('[')
		for _, fl := range s.Flex {
			w.sep()
			w.begin('{')
			w.structFields(fl)
			w.end('}')
		}
		w.end(']')
	}
	if s.Tail != nil {
		w.key("_tail")
		w.hexBytes(string(s.Tail))
	}
}

// decodedRecord writes a record (an rtnexthop, a VETH_INFO_PEER): its
// struct's fields and its attributes.
func (w *writer) decodedRecord(r *engine.Record) {
	w.begin('{')
	if r.Fields != nil {
		w.structFields(r.Fields)
	}
	var set *engine.AttrSet
	if r.Class != nil {
		set = r.Class.Attrs
	}
	w.key("attrs")
	w.attrs(set, r.Attrs)
	if r.Tail != nil {
		w.key("_tail")
		w.hexBytes(string(r.Tail))
	}
	w.end('}')
}
