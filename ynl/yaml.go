package ynl

import (
	"fmt"
	"strconv"
	"strings"
)

// The kernel's YNL specs use a small part of YAML: block mappings and
// lists, plain, quoted and block scalars, one-line flow lists and
// mappings, comments and a few anchors and aliases (devlink). Reading
// them with a parser of our own, rather than a YAML library, keeps that
// library's start-up cost (tables and regular expressions built at
// init) out of every nlsh run. What falls outside the subset (tags,
// directives, complex keys, merge keys, more than one document…) is an
// error naming the line, never a guess.

// yamlKind is the kind of a YAML node.
type yamlKind uint8

const (
	yamlScalar yamlKind = iota
	yamlMapping
	yamlSequence
)

// scalarType is what a scalar resolves to under YAML's core schema, as
// the YAML library resolves plain scalars: quoted and block scalars are
// always text.
type scalarType uint8

const (
	typeStr scalarType = iota
	typeNull
	typeBool
	typeInt
	typeFloat
)

// yamlNode is one node of a YAML document. An alias is the node its
// anchor names, shared.
type yamlNode struct {
	kind  yamlKind
	typ   scalarType // scalars only
	value string     // scalars only
	line  int        // 1-based
	// items holds a list's items, or a mapping's keys and values in
	// turn (key, value, key, value…), in the order of the text.
	items []*yamlNode
}

// isMap reports whether y is a mapping.
func (y *yamlNode) isMap() bool { return y != nil && y.kind == yamlMapping }

// isScalar reports whether y is a scalar of type t.
func (y *yamlNode) isScalar(t scalarType) bool {
	return y != nil && y.kind == yamlScalar && y.typ == t
}

// yamlSyntaxError is a YAML syntax error, or a construct outside the subset.
type yamlSyntaxError struct {
	line int
	msg  string
}

func (e *yamlSyntaxError) Error() string { return "line " + strconv.Itoa(e.line) + ": " + e.msg }

// parseYAML reads the one document in text. It returns nil for a text
// with no document (nothing but comments and blank lines).
func parseYAML(text []byte) (root *yamlNode, err error) {
	p := &yparser{src: text, line: 1, anchors: map[string]*yamlNode{}}
	// Errors unwind the recursive descent by panicking with a
	// *yamlSyntaxError; anything else is a bug and goes on up.
	defer func() {
		if v := recover(); v != nil {
			e, ok := v.(*yamlSyntaxError)
			if !ok {
				panic(v)
			}
			root, err = nil, e
		}
	}()
	return p.document(), nil
}

func (p *yparser) failf(line int, format string, args ...any) {
	panic(&yamlSyntaxError{line: line, msg: fmt.Sprintf(format, args...)})
}

// resolve gives a plain scalar its type the way the YAML library does
// (YAML 1.2's core schema, with 1.1's 0777 octals and _ between
// digits), so that "value: 08" or "type: on" read as they did.
func resolve(s string) scalarType {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return typeNull
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return typeBool
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
		"+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return typeFloat
	}
	switch c := s[0]; {
	case c == '.':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return typeFloat
		}
	case c == '+' || c == '-' || '0' <= c && c <= '9':
		plain := strings.ReplaceAll(s, "_", "")
		if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return typeInt
		}
		if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return typeInt
		}
		if decimalFloat(plain) {
			if _, err := strconv.ParseFloat(plain, 64); err == nil {
				return typeFloat
			}
		}
	}
	return typeStr
}

// yamlInt is the value of an integer scalar; false when it does not fit
// an int64.
func yamlInt(s string) (int64, bool) {
	v, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64)
	return v, err == nil
}

// decimalFloat reports whether s is [-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?.
func decimalFloat(s string) bool {
	digits := func() int {
		n := 0
		for n < len(s) && '0' <= s[n] && s[n] <= '9' {
			n++
		}
		s = s[n:]
		return n
	}
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if s != "" && s[0] == '.' {
		s = s[1:]
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if s != "" && s[0] == '.' {
			s = s[1:]
			digits()
		}
	}
	if s != "" && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s != "" && (s[0] == '-' || s[0] == '+') {
			s = s[1:]
		}
		if digits() == 0 {
			return false
		}
	}
	return s == ""
}
