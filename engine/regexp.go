package engine

import (
	"regexp"
	"sync"
)

// lazyRE is a regular expression compiled on first use: explain's are
// not needed by a program that never explains a message, and compiling
// them in the package's init cost every start-up.
func lazyRE(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
