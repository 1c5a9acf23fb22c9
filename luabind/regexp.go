package luabind

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled when first used. luabind's
// serve completion, error text and rare arguments, which a script may
// never need, and compiling them all in the package's init was a
// twentieth of start-up. Declared as a package variable it costs nothing
// until then.
type lazyRegexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.expr) })
	return l.re
}

func (l *lazyRegexp) MatchString(s string) bool { return l.get().MatchString(s) }

func (l *lazyRegexp) FindStringSubmatch(s string) []string { return l.get().FindStringSubmatch(s) }

func (l *lazyRegexp) FindAllStringSubmatch(s string, n int) [][]string {
	return l.get().FindAllStringSubmatch(s, n)
}
