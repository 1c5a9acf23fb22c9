package engine

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled when first used: explain's
// are not needed by a program that never explains a message, and
// compiling them costs every start-up. Declared as a package variable it
// costs nothing until then.
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
