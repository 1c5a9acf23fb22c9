package luabind

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// maxTraceback is how many stack frames ErrorText keeps.
const maxTraceback = 6

// ErrorText renders an error from Run for the REPL: one line saying what
// went wrong, then a short traceback. A syntax error says where in plain
// words; an error value uses its __tostring; any other table is shown as
// the printer shows it rather than as its address.
func (e *Env) ErrorText(err error) string {
	var ae *lua.ApiError
	if !errors.As(err, &ae) {
		return err.Error()
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
		if e.L.GetMetaField(x, "__tostring") != lua.LNil {
			msg = e.safeToString(x)
		} else {
			s, _ := e.newPrinter().inline(x)
			msg = "error " + s
		}
	default:
		msg = "error " + e.safeToString(x)
	}
	if tb := shortTraceback(ae.StackTrace); tb != "" {
		msg += "\n" + tb
	}
	return msg
}

var (
	reSyntaxAt  = regexp.MustCompile(`^(.*?) line:(\d+)\(column:(\d+)\) near '(.*)':\s+(.*?)\s*$`)
	reSyntaxEOF = regexp.MustCompile(`^(.*?) at EOF:\s+(.*?)\s*$`)
)

// tidySyntax rewrites gopher-lua's "stdin line:1(column:5) near '=':
// syntax error" as "syntax error at stdin:1:5 near '='".
func tidySyntax(s string) string {
	s = strings.TrimSpace(s)
	if m := reSyntaxAt.FindStringSubmatch(s); m != nil {
		out := fmt.Sprintf("syntax error at %s:%s:%s near '%s'", m[1], m[2], m[3], m[4])
		if m[5] != "syntax error" {
			out += ": " + m[5]
		}
		return out
	}
	if m := reSyntaxEOF.FindStringSubmatch(s); m != nil {
		if m[2] == "syntax error" {
			return fmt.Sprintf("syntax error at the end of %s: it stops in the middle of a statement", m[1])
		}
		return fmt.Sprintf("syntax error at the end of %s: %s", m[1], m[2])
	}
	return "syntax error: " + s
}

// shortTraceback keeps the first frames of a traceback, without the frames
// that say nothing to a user, and with runs of the same frame counted.
func shortTraceback(tb string) string {
	var frames []string
	repeats := 0
	for _, l := range strings.Split(tb, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l == "[G]: ?" || l == "stack traceback:" {
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
