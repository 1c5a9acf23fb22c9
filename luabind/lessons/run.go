package lessons

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"regexp"
	"strconv"
	"sync"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// lesson(n) creates a network namespace of the lesson's own and moves the
// host's default namespace there, so everything the learner types works
// in it. The lesson's setup and checks run in a Checker bound to that
// namespace. What the learner hands to lesson.check is copied into the
// Checker (a socket as the kernel describes it, messages as their bytes),
// and the check asks the kernel whether the work is done.

// NetnsPrefix starts the name of every namespace a lesson creates; the
// rest is the lesson's number, nlsh's process id and a random suffix.
const NetnsPrefix = "nlsh-lesson-"

// netnsPattern reads a lesson namespace's name back.
var netnsPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^` + NetnsPrefix + `\d+-(\d+)-[0-9a-f]+$`)
})

// run is one running lesson.
type run struct {
	n       int
	info    *Info
	ns      string      // the lesson's namespace
	prev    string      // the default namespace before it
	checker Checker     // setup and checks, in ns
	def     *lua.LTable // the lesson's table, in the checker
	kit     *lua.LTable // the k the checks get, in the checker
	hints   int         // hints shown so far
	intr    *dumpInterrupter
}

// start makes lesson n's namespace, sets it up and moves there.
func (m *Module) start(L *lua.LState, n int) error {
	cleanStale()
	// Six random hex digits (the runtime seeds math/rand/v2; crypto/rand
	// would bring the crypto packages into the binary for them).
	ns := fmt.Sprintf("%s%d-%d-%06x", NetnsPrefix, n, os.Getpid(), rand.Uint32()&0xffffff)
	if err := engine.AddNetNS(ns); err != nil {
		return err
	}
	h := m.host
	r := &run{n: n, info: m.infos[n-1], ns: ns, prev: h.NetNS()}
	r.checker = h.Checker(ns)
	fail := func(err error) error {
		r.checker.Close()
		engine.DelNetNS(ns)
		return err
	}
	if err := r.load(h.Context(L), m.files[n-1]); err != nil {
		return fail(err)
	}
	given, err := r.call(h.Context(L), "setup")
	if err != nil {
		return fail(fmt.Errorf("setup: %s", r.checker.ErrorText(err)))
	}
	if lua.LVAsBool(r.def.RawGetString("interrupt_link_dumps")) {
		r.intr = &dumpInterrupter{ns: ns}
		h.OnReceive(r.intr.onReceive)
	}
	if err := h.SetNetNS(ns); err != nil {
		h.OnReceive(nil)
		return fail(err)
	}
	m.run = r
	var g lua.LValue = lua.LNil
	if len(given) > 0 && given[0] != lua.LNil {
		r.kit.RawSetString("given", given[0])
		g = r.checker.Out(given[0])
	}
	m.table.RawSetString("given", g)
	return nil
}

// load runs the lesson's file and the kit in the checker.
func (r *run) load(ctx context.Context, file string) error {
	c := r.checker
	for _, f := range []string{"lessons/kit.lua", file} {
		src, err := readFile(f)
		if err != nil {
			return err
		}
		vals, err := c.Run(ctx, path.Base(f), string(src))
		if err != nil {
			return fmt.Errorf("%s", c.ErrorText(err))
		}
		t, ok := firstTable(vals)
		if !ok {
			return fmt.Errorf("%s returns no table", f)
		}
		if f == file {
			r.def = t
		} else {
			r.kit = t
		}
	}
	r.kit.RawSetString("state", c.State().NewTable())
	r.kit.RawSetString("ns", lua.LString(r.ns))
	return nil
}

func firstTable(vals []lua.LValue) (*lua.LTable, bool) {
	if len(vals) == 0 {
		return nil, false
	}
	t, ok := vals[0].(*lua.LTable)
	return t, ok
}

// call calls the lesson's function name (setup, check) in the checker
// with the kit and args, and returns its results; a lesson without the
// function returns nothing.
func (r *run) call(ctx context.Context, name string, args ...lua.LValue) ([]lua.LValue, error) {
	c := r.checker
	fn, ok := r.def.RawGetString(name).(*lua.LFunction)
	if !ok {
		return nil, nil
	}
	if r.intr != nil {
		r.kit.RawSetString("flagged", r.intr.flaggedList(c.State()))
		r.kit.RawSetString("added", r.intr.addedList(c.State()))
	}
	return c.Call(ctx, "lesson."+name, fn, append([]lua.LValue{r.kit}, args...)...)
}

// Stop ends the running lesson, if any: the host moves back to the
// namespace it was in, the sockets opened in the lesson's namespace are
// closed and the namespace is deleted.
func (m *Module) Stop() error {
	r := m.run
	if r == nil {
		return nil
	}
	m.run = nil
	m.table.RawSetString("given", lua.LNil)
	m.host.OnReceive(nil)
	m.host.Return(r.prev, r.ns)
	r.checker.Close()
	return engine.DelNetNS(r.ns)
}

// cleanStale deletes the namespaces of lessons whose nlsh is gone (killed
// before it could delete them).
func cleanStale() {
	names, err := engine.ListNetNS()
	if err != nil {
		return
	}
	for _, n := range names {
		m := netnsPattern().FindStringSubmatch(n)
		if m == nil {
			continue
		}
		if pid, err := strconv.Atoi(m[1]); err == nil && pid != os.Getpid() {
			if _, err := os.Stat("/proc/" + m[1]); os.IsNotExist(err) {
				engine.DelNetNS(n)
			}
		}
	}
}
