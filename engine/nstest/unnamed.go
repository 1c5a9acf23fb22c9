package nstest

import (
	"fmt"

	"nlsh/engine"
)

// Unnamed lists what a message decoded from the kernel holds that nlsh's
// descriptions do not name, at any depth: attributes known only by their
// number, payloads that do not decode as their described kind, flag bits
// with no name, struct bytes past the described layout. Each is what
// print or nl.explain would show a reader as a bare number or raw bytes;
// path begins each line (the message type's name).
func Unnamed(rec *engine.Record, path string) []string {
	var bad []string
	if rec.Class != nil {
		bad = undecoded(rec.Class.Attrs, rec.Attrs, path)
	}
	return append(unnamedFlags(rec.Fields, path), bad...)
}

// undecoded lists the attributes that decoded as unknown (the set has no
// name for their number), those whose payload did not decode as their
// described kind (raw bytes where the kind is not Binary), and integer
// attributes described as flag sets whose value has bits without a name.
func undecoded(set *engine.AttrSet, attrs []engine.Attr, path string) []string {
	var bad []string
	for _, a := range attrs {
		name := a.Name(set)
		p := path + " > " + name
		if a.Desc == nil {
			bad = append(bad, fmt.Sprintf("%s: the running kernel sends an attribute nlsh does not name (number %d, %s)", p, a.Type, payloadSize(a.Value)))
			continue
		}
		if raw, ok := a.Value.([]byte); ok && a.Desc.Kind != engine.Binary && a.Desc.Kind != engine.Pad {
			bad = append(bad, fmt.Sprintf("%s: the running kernel sends a %d-byte payload that does not decode as kind %s", p, len(raw), a.Desc.Kind))
		}
		if e := a.Desc.Enum; e != nil && e.Flags {
			if rest := unnamedBits(e, a.Value); rest != 0 {
				bad = append(bad, fmt.Sprintf("%s = %#x: bits %#x have no name in %s", p, a.Value, rest, e.Name))
			}
		}
		bad = append(bad, undecodedValue(a.Value, p)...)
	}
	return bad
}

func payloadSize(v any) string {
	if b, ok := v.([]byte); ok {
		return fmt.Sprintf("%d bytes", len(b))
	}
	return "payload"
}

func undecodedValue(v any, p string) []string {
	switch x := v.(type) {
	case *engine.NestValue:
		return undecoded(x.Set, x.Attrs, p)
	case *engine.Record:
		return undecoded(x.Class.Attrs, x.Attrs, p)
	case []*engine.Record:
		var bad []string
		for _, r := range x {
			bad = append(bad, undecoded(r.Class.Attrs, r.Attrs, p)...)
		}
		return bad
	case *engine.StructValue:
		if x.Tail != nil {
			return []string{fmt.Sprintf("%s: struct %s has %d bytes more than described", p, x.Desc.Name, len(x.Tail))}
		}
		return unnamedFlags(x, p)
	}
	return nil
}

// unnamedFlags lists the fields of s described as flag sets whose value
// has bits the set does not name: what the kernel sets, a reader of the
// decoded message should see by name.
func unnamedFlags(s *engine.StructValue, path string) []string {
	if s == nil {
		return nil
	}
	var bad []string
	for i, f := range s.Desc.Fields {
		if f.Enum == nil || !f.Enum.Flags || i >= len(s.Values) {
			continue
		}
		rest := unnamedBits(f.Enum, s.Values[i])
		if rest != 0 {
			bad = append(bad, fmt.Sprintf("%s.%s = %#x: bits %#x have no name in %s", path, f.Name, s.Values[i], rest, f.Enum.Name))
		}
	}
	return bad
}

// unnamedBits returns the bits of an integer value that flag set e does
// not name (0 for a value that is no integer).
func unnamedBits(e *engine.Enum, v any) uint64 {
	var rest uint64
	switch n := v.(type) {
	case int64:
		rest = uint64(n)
	case uint64:
		rest = n
	default:
		return 0
	}
	for _, ev := range e.Values {
		if ev.Value&(ev.Value-1) == 0 {
			rest &^= ev.Value
		}
	}
	return rest
}
