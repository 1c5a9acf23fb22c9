package luabind

import lua "github.com/yuin/gopher-lua"

// Printing is the subpackage show; these are its entries for the shell.

// Show renders values as the REPL and -e print them: tab-separated, message
// tables in full, other tables on one line.
func (e *Env) Show(vals []lua.LValue) string { return e.printer.Values(vals) }

// ShowBrief renders values as Show does, cut to about maxLines lines with a
// note saying what was left out and how to see it. A list of messages stops
// being rendered once the lines are spent, so printing a dump of 100,000
// routes does not decode them all to show the first few.
func (e *Env) ShowBrief(vals []lua.LValue, maxLines int) string {
	return e.printer.Brief(vals, maxLines)
}

// ErrorText renders an error from Run for the REPL: one line saying what
// went wrong, then a short traceback. A syntax error says where in plain
// words; an error value uses its __tostring; any other table is shown as
// the printer shows it rather than as its address.
func (e *Env) ErrorText(err error) string { return e.printer.ErrorText(err) }
