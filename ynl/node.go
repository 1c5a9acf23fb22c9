package ynl

import (
	"fmt"
	"strconv"
)

// node is a YAML node together with the path of keys that led to it, so
// that every error can say where it is.
type node struct {
	y    *yamlNode
	path string
}

// at names the key k of a mapping at path.
func at(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// A reader reads one spec's YAML. Its getters record the first error and
// carry on with zero values, so the code that walks the spec reads as
// the spec does; callers check r.err where a zero value could mislead.
type reader struct {
	file string
	err  error
}

func (r *reader) failf(n node, format string, args ...any) {
	if r.err != nil {
		return
	}
	line := 0
	if n.y != nil {
		line = n.y.line
	}
	r.err = &Error{File: r.file, Line: line, Path: n.path, Msg: fmt.Sprintf(format, args...)}
}

func isNull(y *yamlNode) bool { return y == nil || y.isScalar(typeNull) }

func kindName(y *yamlNode) string {
	switch {
	case y == nil:
		return "nothing"
	case y.kind == yamlMapping:
		return "a mapping"
	case y.kind == yamlSequence:
		return "a list"
	}
	switch y.typ {
	case typeNull:
		return "null"
	case typeInt:
		return "an integer"
	case typeBool:
		return "a boolean"
	case typeFloat:
		return "a number"
	}
	return fmt.Sprintf("%q", y.value)
}

// mapping is a YAML mapping whose keys have been checked to be distinct
// scalars.
type mapping struct {
	node
	ok bool // false for a node that is not a mapping (an error has been recorded)
}

// mapping reads n as a mapping. null reads as an empty one: "do:" with
// nothing under it says as little as "do: {}".
func (r *reader) mapping(n node) mapping {
	y := n.y
	if isNull(y) {
		return mapping{node: n, ok: true}
	}
	if y.kind != yamlMapping {
		r.failf(n, "expected a mapping, got %s", kindName(y))
		return mapping{node: n}
	}
	for i := 0; i+1 < len(y.items); i += 2 {
		k := y.items[i]
		if k.kind != yamlScalar {
			r.failf(node{k, n.path}, "a key must be a plain word, got %s", kindName(k))
			return mapping{node: n}
		}
		for j := 0; j < i; j += 2 {
			if y.items[j].value == k.value {
				r.failf(node{k, at(n.path, k.value)}, "key given twice")
				return mapping{node: n}
			}
		}
	}
	return mapping{node: n, ok: true}
}

// get returns the value of key k.
func (m mapping) get(k string) (node, bool) {
	if !m.ok || !m.y.isMap() {
		return node{}, false
	}
	c := m.y.items
	for i := 0; i+1 < len(c); i += 2 {
		if c[i].value == k {
			return node{c[i+1], at(m.path, k)}, true
		}
	}
	return node{}, false
}

// has reports whether key k is given (null counts as given).
func (m mapping) has(k string) bool {
	_, ok := m.get(k)
	return ok
}

// missing reports that key k is absent, at the mapping.
func (m mapping) missing(r *reader, k string) {
	r.failf(node{m.y, m.path}, "missing %s", k)
}

// scalarText reads n as a scalar of any tag, as text: names such as
// "8021q" or a sub-message format's "1" are text whatever YAML would
// call them.
func (r *reader) scalarText(n node) string {
	if n.y == nil || n.y.kind != yamlScalar || isNull(n.y) {
		r.failf(n, "expected text, got %s", kindName(n.y))
		return ""
	}
	return n.y.value
}

// str returns the text under key k, "" when absent.
func (r *reader) str(m mapping, k string) string {
	n, ok := m.get(k)
	if !ok {
		return ""
	}
	return r.scalarText(n)
}

// optStr returns the text under key k, and whether it is given and not
// null (enum-name: with nothing after it means "no name").
func (r *reader) optStr(m mapping, k string) (string, bool) {
	n, ok := m.get(k)
	if !ok || isNull(n.y) {
		return "", false
	}
	return r.scalarText(n), true
}

// reqStr returns the text under key k, which must be given.
func (r *reader) reqStr(m mapping, k string) string {
	n, ok := m.get(k)
	if !ok {
		m.missing(r, k)
		return ""
	}
	s := r.scalarText(n)
	if s == "" && r.err == nil {
		r.failf(n, "must not be empty")
	}
	return s
}

// integer reads n as an integer in [min, max].
func (r *reader) integer(n node, lo, hi int64) int64 {
	if !n.y.isScalar(typeInt) {
		r.failf(n, "expected an integer, got %s", kindName(n.y))
		return 0
	}
	v, ok := yamlInt(n.y.value)
	if !ok {
		// Too large for an int64 (a u64 mask).
		r.failf(n, "%s is out of range (%d..%d)", n.y.value, lo, hi)
		return 0
	}
	if v < lo || v > hi {
		r.failf(n, "%d is out of range (%d..%d)", v, lo, hi)
		return 0
	}
	return v
}

// optInt returns the integer under key k and whether it is given.
func (r *reader) optInt(m mapping, k string, lo, hi int64) (int64, bool) {
	n, ok := m.get(k)
	if !ok {
		return 0, false
	}
	return r.integer(n, lo, hi), true
}

// boolean returns the boolean under key k, false when absent.
func (r *reader) boolean(m mapping, k string) bool {
	n, ok := m.get(k)
	if !ok {
		return false
	}
	if !n.y.isScalar(typeBool) {
		r.failf(n, "expected true or false, got %s", kindName(n.y))
		return false
	}
	v := n.y.value
	return v[0] == 't' || v[0] == 'T' // true, True, TRUE
}

// list returns the items of the list n; null reads as an empty list.
func (r *reader) list(n node) []node {
	y := n.y
	if isNull(y) {
		return nil
	}
	if y.kind != yamlSequence {
		r.failf(n, "expected a list, got %s", kindName(y))
		return nil
	}
	items := make([]node, len(y.items))
	for i, c := range y.items {
		items[i] = node{c, n.path + "[" + strconv.Itoa(i) + "]"}
	}
	return items
}

// listAt returns the items of the list under key k (none when absent).
func (r *reader) listAt(m mapping, k string) []node {
	n, ok := m.get(k)
	if !ok {
		return nil
	}
	return r.list(n)
}

// strs returns the list of words under key k, and whether it is given.
func (r *reader) strs(m mapping, k string) ([]string, bool) {
	n, ok := m.get(k)
	if !ok {
		return nil, false
	}
	items := r.list(n)
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, r.scalarText(it))
	}
	return out, true
}

// oneOf checks that s is one of the allowed words.
func (r *reader) oneOf(m mapping, k, s string, allowed ...string) {
	for _, a := range allowed {
		if s == a {
			return
		}
	}
	n, _ := m.get(k)
	r.failf(n, "unknown %s %q", k, s)
}
