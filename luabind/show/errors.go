package show

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// maxTraceback is how many stack frames ErrorText keeps.
const maxTraceback = 6

// ErrorText renders an error from Run for the REPL: one line saying what
// went wrong, then a short traceback. A syntax error says where in plain
// words; an error value uses its __tostring; any other table is shown as
// the printer shows it rather than as its address.
func (pr *Printer) ErrorText(err error) string {
	var ae *lua.ApiError
	if !errors.As(err, &ae) {
		return err.Error()
	}
	if se, ok := ae.Cause.(*SyntaxError); ok {
		return se.Error()
	}
	if ae.Type == lua.ApiErrorSyntax {
		return tidySyntax(ae.Error())
	}
	var msg string
	switch x := ae.Object.(type) {
	case nil, *lua.LNilType:
		msg = strings.TrimSpace(ae.Error())
	case lua.LString:
		msg = string(x)
	case *lua.LTable:
		if pr.L.GetMetaField(x, "__tostring") != lua.LNil {
			msg = pr.h.ToString(x)
			if msg == "" {
				// A __tostring that gave nothing to show (an empty
				// string, a table): the entries.
				s, _ := pr.printer().entries(x)
				msg = "error " + s
			}
		} else {
			s, _ := pr.printer().inline(x)
			msg = "error " + s
		}
	default:
		msg = "error " + pr.h.ToString(x)
	}
	if tb := shortTraceback(ae.StackTrace); tb != "" {
		msg += "\n" + tb
	}
	return msg
}

// gopher-lua's syntax errors, read with expressions compiled on first use:
// most sessions have none.
var (
	reSyntaxAt = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(.*?) line:(\d+)\(column:(\d+)\) near '(.*)':\s+(.*?)\s*$`)
	})
	reSyntaxEOF = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(.*?) at EOF:\s+(.*?)\s*$`)
	})
)

// tidySyntax words a syntax error whose source is not at hand (so the
// line of an error at the end is not known) as SyntaxErrorOf does.
func tidySyntax(s string) string {
	err := SyntaxErrorOf("", "", &lua.ApiError{Type: lua.ApiErrorSyntax, Object: lua.LString(s)})
	var ae *lua.ApiError
	if errors.As(err, &ae) {
		if se, ok := ae.Cause.(*SyntaxError); ok {
			if m := reSyntaxEOF().FindStringSubmatch(strings.TrimSpace(s)); m != nil {
				return fmt.Sprintf("%s: %s near the end of the chunk", m[1], se.Msg)
			}
			if m := reSyntaxAt().FindStringSubmatch(strings.TrimSpace(s)); m != nil {
				se.Chunk = m[1]
			}
			return se.Error()
		}
	}
	return "syntax error: " + strings.TrimSpace(s)
}

// SyntaxError is a chunk that does not parse, said as Lua says it: the
// chunk's name and line, then what is wrong near which token.
type SyntaxError struct {
	Chunk string
	Line  int
	Near  string // the token, or "" at the end of the chunk
	Msg   string
}

func (e *SyntaxError) Error() string {
	if e.Near == "" {
		return fmt.Sprintf("%s:%d: %s near the end of the chunk", e.Chunk, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s near '%s'", e.Chunk, e.Line, e.Msg, e.Near)
}

// SyntaxErrorOf turns the error of loading src into a SyntaxError when it is
// one; gopher-lua leaves out the line of an error at the end of a chunk,
// which is the chunk's last line.
func SyntaxErrorOf(name, src string, err error) error {
	var ae *lua.ApiError
	if !errors.As(err, &ae) || ae.Type != lua.ApiErrorSyntax {
		return err
	}
	s := strings.TrimSpace(ae.Error())
	se := &SyntaxError{Chunk: name}
	if m := reSyntaxAt().FindStringSubmatch(s); m != nil {
		fmt.Sscan(m[2], &se.Line)
		se.Near, se.Msg = m[4], m[5]
	} else if m := reSyntaxEOF().FindStringSubmatch(s); m != nil {
		se.Line = strings.Count(strings.TrimRight(src, "\n \t"), "\n") + 1
		se.Msg = m[2]
		if se.Msg == "syntax error" {
			se.Msg = "unfinished statement"
		}
	} else {
		return err
	}
	if se.Msg == "syntax error" {
		se.Msg = "unexpected symbol"
	}
	return &lua.ApiError{Type: lua.ApiErrorSyntax, Object: lua.LString(se.Error()), Cause: se}
}

// internalFrame reports whether a traceback line is nlsh's own rather than
// the script's: Go functions, tail calls, the ip module's Lua.
func internalFrame(l string) bool {
	return strings.HasPrefix(l, "[G]") || strings.HasPrefix(l, "(tailcall)") ||
		strings.HasPrefix(l, "ip/") || strings.HasPrefix(l, "<ip/")
}

// shortTraceback keeps the first frames of a traceback that are the
// script's (nlsh's own say nothing to its user), with runs of the same
// frame counted.
func shortTraceback(tb string) string {
	var frames []string
	repeats := 0
	for _, l := range strings.Split(tb, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l == "stack traceback:" || internalFrame(l) {
			continue
		}
		if len(frames) > 0 && strings.TrimPrefix(frames[len(frames)-1], "\t") == l {
			repeats++
			continue
		}
		if repeats > 0 {
			frames[len(frames)-1] += fmt.Sprintf(" (%d more times)", repeats)
			repeats = 0
		}
		frames = append(frames, "\t"+l)
	}
	if repeats > 0 {
		frames[len(frames)-1] += fmt.Sprintf(" (%d more times)", repeats)
	}
	if len(frames) == 0 {
		return ""
	}
	if len(frames) > maxTraceback {
		frames = append(frames[:maxTraceback], "\t…")
	}
	return "stack traceback:\n" + strings.Join(frames, "\n")
}
