package luabind

import (
	"regexp"
	"sync"
)

// lazyRE is a regular expression compiled on first use: luabind's serve
// completion and rare arguments, which a script may never need, and
// compiling them all in the package's init was a twentieth of start-up.
func lazyRE(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
