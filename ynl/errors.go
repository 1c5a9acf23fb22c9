package ynl

import (
	"errors"
	"fmt"
)

// Error is what is wrong with a spec, and where: the file, the line in
// its YAML text (gzip undone) and the path of keys from the top of the
// document (attribute-sets[3].attributes[2].type; list indexes count
// from 0). Line and Path are empty when the fault is in the file as a
// whole.
type Error struct {
	File string
	Line int
	Path string
	Msg  string
	Err  error // the underlying error, if any (a YAML syntax error, a gzip error)
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Path != "" {
		s += ": " + e.Path
	}
	return s + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// ErrNotFound is wrapped by Finder.Find when no directory holds a spec of
// the family.
var ErrNotFound = errors.New("no YNL spec found")

// internalError is what the last-resort recover in Parse turns a panic
// into. Parse must never get there: FuzzParse fails when it does.
type internalError struct{ v any }

func (e *internalError) Error() string { return fmt.Sprintf("internal error: %v", e.v) }
