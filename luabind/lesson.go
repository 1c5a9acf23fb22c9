package luabind

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/helptext"
)

// Lessons teach netlink by having the learner do it, and check the result
// against the kernel. Each lesson is a Lua file (lessons/NN_name.lua)
// returning a table: its title, the concept it teaches, the tutorial
// section, the task, hints, a setup that builds the starting state, a
// check, and a worked solution and a typical mistake (the tests type both).
//
// lesson(n) creates a network namespace of the lesson's own and moves the
// Env's default namespace there (SetNetNS), so everything the learner
// types works in it. The lesson's setup and checks run in a second,
// private Env bound to that namespace: nothing the learner does to the
// globals can break them, and they never show in the learner's trace.
// What the learner hands to lesson.check is copied into that Env (a
// socket as the kernel describes it, messages as their bytes), and the
// check asks the kernel whether the work is done.

//go:embed lessons/*.lua
var lessonFS embed.FS

// LessonPrefix starts the name of every namespace a lesson creates; the
// rest is the lesson's number, nlsh's process id and a random suffix.
const LessonPrefix = "nlsh-lesson-"

// lessonNSPattern reads a lesson namespace's name back.
var lessonNSPattern = lazyRE(`^` + LessonPrefix + `\d+-(\d+)-[0-9a-f]+$`)

// LessonInfo is what a lesson file says in words (the table's text fields).
type LessonInfo struct {
	Title    string
	Concept  string
	Section  string // of docs/tutorial.md
	Task     string
	Hints    []string
	Solution string // Lua that does the task, typed at the prompt
	Check    string // the call that then hands the work over: "lesson.check(ack)"
	Mistake  string // Lua that gets it wrong, for the tests
	Says     string // words the check's answer to the mistake holds
}

// lessonBook is an Env's lessons: the descriptions, read on first use,
// the lesson running and the lessons done.
type lessonBook struct {
	infos  []*LessonInfo
	files  []string
	run    *lessonRun
	done   map[int]bool
	module *lua.LTable
}

// lessonRun is one running lesson.
type lessonRun struct {
	n       int
	info    *LessonInfo
	ns      string      // the lesson's namespace
	prev    string      // the default namespace before it
	checker *Env        // the private Env in ns: setup and checks
	def     *lua.LTable // the lesson's table, in the checker
	kit     *lua.LTable // the k the checks get, in the checker
	hints   int         // hints shown so far
	intr    *dumpInterrupter
}

// Lessons reads the lesson files' descriptions, in order.
func Lessons() ([]*LessonInfo, error) {
	infos, _, err := readLessons()
	return infos, err
}

// readLessons parses every lesson file in a bare Lua state (the files are
// tables of text and functions; nothing runs) and returns the text.
func readLessons() ([]*LessonInfo, []string, error) {
	ents, err := lessonFS.ReadDir("lessons")
	if err != nil {
		return nil, nil, err
	}
	var files []string
	for _, d := range ents {
		if n := d.Name(); n != "kit.lua" && strings.HasSuffix(n, ".lua") {
			files = append(files, "lessons/"+n)
		}
	}
	sort.Strings(files)
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	var infos []*LessonInfo
	for _, f := range files {
		src, _ := lessonFS.ReadFile(f)
		fn, err := L.Load(bytes.NewReader(src), f)
		if err != nil {
			return nil, nil, err
		}
		L.Push(fn)
		if err := L.PCall(0, 1, nil); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", f, err)
		}
		t, ok := L.Get(-1).(*lua.LTable)
		L.Pop(1)
		if !ok {
			return nil, nil, fmt.Errorf("%s: does not return a table", f)
		}
		str := func(k string) string { return strings.TrimSpace(lua.LVAsString(t.RawGetString(k))) }
		in := &LessonInfo{Title: str("title"), Concept: str("concept"), Section: str("section"), Task: str("task"),
			Solution: str("solution"), Check: str("check_with"), Mistake: str("mistake"), Says: str("mistake_says")}
		if h, ok := t.RawGetString("hints").(*lua.LTable); ok {
			for i := 1; i <= h.Len(); i++ {
				in.Hints = append(in.Hints, strings.TrimSpace(lua.LVAsString(h.RawGetInt(i))))
			}
		}
		infos = append(infos, in)
	}
	return infos, files, nil
}

// book returns the Env's lessons, reading the files the first time.
func (e *Env) book(L *lua.LState) *lessonBook {
	b := e.lessons
	if b.infos == nil {
		infos, files, err := readLessons()
		if err != nil {
			L.RaiseError("lessons: %s", err.Error())
		}
		b.infos, b.files = infos, files
	}
	return b
}

// openLessons makes the global lesson: a callable table.
func (e *Env) openLessons(L *lua.LState) {
	e.lessons = &lessonBook{done: map[int]bool{}}
	m := funcTable(L, map[string]lua.LGFunction{
		"check": e.luaLessonCheck,
		"hint":  e.luaLessonHint,
		"task":  e.luaLessonTask,
		"stop":  e.luaLessonStop,
	})
	mt := L.CreateTable(0, 1)
	mt.RawSetString("__call", L.NewFunction(e.luaLesson))
	m.Metatable = mt
	e.lessons.module = m
	L.SetGlobal("lesson", m)
}

// luaLesson is lesson() (the list) and lesson(n) (start lesson n).
func (e *Env) luaLesson(L *lua.LState) int {
	b := e.book(L)
	if L.GetTop() < 2 || L.Get(2) == lua.LNil {
		io.WriteString(e.opts.Stdout, e.lessonList(b))
		return 0
	}
	n := L.CheckInt(2)
	if n < 1 || n > len(b.infos) {
		L.ArgError(1, fmt.Sprintf("there are lessons 1 to %d (lesson() lists them)", len(b.infos)))
	}
	e.refuseReadOnly(L, fmt.Sprintf("lesson(%d)", n))
	if r := b.run; r != nil {
		e.stopLesson()
		fmt.Fprintf(e.opts.Stdout, "(lesson %d stopped, its namespace deleted)\n", r.n)
	}
	if err := e.startLesson(L, n); err != nil {
		L.RaiseError("lesson(%d): %s", n, err.Error())
	}
	io.WriteString(e.opts.Stdout, e.lessonTaskText(b.run))
	return 0
}

// lessonList is what lesson() prints.
func (e *Env) lessonList(b *lessonBook) string {
	var rows [][]string
	for i, in := range b.infos {
		mark := " "
		if b.done[i+1] {
			mark = "✓"
		}
		rows = append(rows, []string{mark + fmt.Sprintf("%2d", i+1), in.Title, in.Concept})
	}
	s := "Lessons: lesson(n) starts one, in a network namespace of its own that nlsh makes\n" +
		"and deletes (your machine's own network is never touched).\n" + helptext.Table(nil, rows)
	if r := b.run; r != nil {
		s += fmt.Sprintf("Lesson %d is running: lesson.task(), lesson.hint(), lesson.check(...), lesson.stop().\n", r.n)
	} else {
		s += "In a lesson: lesson.task(), lesson.hint(), lesson.check(...) and lesson.stop().\n"
	}
	return s
}

// lessonTaskText is what lesson(n) and lesson.task() print.
func (e *Env) lessonTaskText(r *lessonRun) string {
	in := r.info
	var b strings.Builder
	fmt.Fprintf(&b, "Lesson %d of %d: %s — %s\n", r.n, len(e.lessons.infos), in.Title, in.Concept)
	fmt.Fprintf(&b, "(docs/tutorial.md, §%s)\n\n", in.Section)
	fmt.Fprintf(&b, "You are in network namespace %s, made for this lesson: every socket,\n"+
		"ip verb, genl call and completion works there until lesson.stop() deletes it.\n\n", r.ns)
	b.WriteString(in.Task + "\n\n")
	fmt.Fprintf(&b, "lesson.check(...) asks the kernel whether it is done; lesson.hint() gives one of %d hints;\n"+
		"lesson.task() shows this again; lesson.stop() ends the lesson.\n", len(in.Hints)+1)
	return b.String()
}

// startLesson makes lesson n's namespace, sets it up and moves there.
func (e *Env) startLesson(L *lua.LState, n int) error {
	b := e.lessons
	cleanStaleLessons()
	// Six random hex digits (the runtime seeds math/rand/v2; crypto/rand
	// would bring the crypto packages into the binary for them).
	ns := fmt.Sprintf("%s%d-%d-%06x", LessonPrefix, n, os.Getpid(), rand.Uint32()&0xffffff)
	if err := engine.AddNetNS(ns); err != nil {
		return err
	}
	r := &lessonRun{n: n, info: b.infos[n-1], ns: ns, prev: e.NetNS()}
	r.checker = New(Options{NetNS: ns, Stdout: io.Discard, TraceOut: io.Discard, YNLPath: e.opts.YNLPath})
	fail := func(err error) error {
		r.checker.Close()
		engine.DelNetNS(ns)
		return err
	}
	if err := r.load(e.ctx(L), b.files[n-1]); err != nil {
		return fail(err)
	}
	given, err := r.call(e.ctx(L), "setup")
	if err != nil {
		return fail(fmt.Errorf("setup: %s", r.checker.ErrorText(err)))
	}
	if lua.LVAsBool(r.def.RawGetString("interrupt_link_dumps")) {
		r.intr = &dumpInterrupter{ns: ns}
		f := r.intr.onReceive
		e.recvHook.Store(&f)
	}
	if err := e.SetNetNS(ns); err != nil {
		e.recvHook.Store(nil)
		return fail(err)
	}
	b.run = r
	var g lua.LValue = lua.LNil
	if len(given) > 0 && given[0] != lua.LNil {
		r.kit.RawSetString("given", given[0])
		g = handOver(r.checker, e, given[0], 0)
	}
	b.module.RawSetString("given", g)
	return nil
}

// load runs the lesson's file and the kit in the checker.
func (r *lessonRun) load(ctx context.Context, file string) error {
	c := r.checker
	for _, f := range []string{"lessons/kit.lua", file} {
		src, err := lessonFS.ReadFile(f)
		if err != nil {
			return err
		}
		vals, err := c.Run(ctx, path.Base(f), string(src), nil)
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
	r.kit.RawSetString("state", c.L.NewTable())
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
func (r *lessonRun) call(ctx context.Context, name string, args ...lua.LValue) ([]lua.LValue, error) {
	c := r.checker
	fn, ok := r.def.RawGetString(name).(*lua.LFunction)
	if !ok {
		return nil, nil
	}
	if r.intr != nil {
		r.kit.RawSetString("flagged", r.intr.flaggedList(c.L))
		r.kit.RawSetString("added", r.intr.addedList(c.L))
	}
	L := c.L
	L.SetContext(ctx)
	defer L.RemoveContext()
	top := L.GetTop()
	L.Push(fn)
	L.Push(r.kit)
	for _, a := range args {
		L.Push(a)
	}
	if err := c.pcall(L, "lesson."+name, 1+len(args), lua.MultRet, nil); err != nil {
		L.SetTop(top)
		return nil, err
	}
	out := make([]lua.LValue, 0, L.GetTop()-top)
	for i := top + 1; i <= L.GetTop(); i++ {
		out = append(out, L.Get(i))
	}
	L.SetTop(top)
	return out, nil
}

// stopLesson ends the running lesson, if any: the Env moves back to the
// namespace it was in, the sockets opened in the lesson's namespace are
// closed and the namespace is deleted.
func (e *Env) stopLesson() (stopped *lessonRun, err error) {
	if e.lessons == nil || e.lessons.run == nil {
		return nil, nil
	}
	r := e.lessons.run
	e.lessons.run = nil
	e.lessons.module.RawSetString("given", lua.LNil)
	e.recvHook.Store(nil)
	// Back where it was, even if that namespace has gone meanwhile:
	// falling back to nlsh's own would leave a --netns.
	e.nsMu.Lock()
	e.netns = r.prev
	e.nsMu.Unlock()
	e.rebindIP(r.prev)
	e.forgetNetNS(r.ns)
	r.checker.Close()
	return r, engine.DelNetNS(r.ns)
}

// cleanStaleLessons deletes the namespaces of lessons whose nlsh is gone
// (killed before it could delete them).
func cleanStaleLessons() {
	names, err := engine.ListNetNS()
	if err != nil {
		return
	}
	for _, n := range names {
		m := lessonNSPattern().FindStringSubmatch(n)
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

// running returns the lesson running, or raises for what.
func (e *Env) running(L *lua.LState, what string) *lessonRun {
	if r := e.lessons.run; r != nil {
		return r
	}
	L.RaiseError("%s: no lesson is running; lesson() lists them, lesson(n) starts one", what)
	return nil
}

// luaLessonStop is lesson.stop().
func (e *Env) luaLessonStop(L *lua.LState) int {
	r := e.running(L, "lesson.stop")
	_, err := e.stopLesson()
	where := "nlsh's own namespace"
	if r.prev != "" {
		where = "namespace " + r.prev
	}
	fmt.Fprintf(e.opts.Stdout, "Lesson %d stopped: namespace %s deleted, back in %s.\n", r.n, r.ns, where)
	if err != nil {
		e.raise(L, "lesson.stop", err)
	}
	return 0
}

// luaLessonTask is lesson.task().
func (e *Env) luaLessonTask(L *lua.LState) int {
	io.WriteString(e.opts.Stdout, e.lessonTaskText(e.running(L, "lesson.task")))
	return 0
}

// luaLessonHint is lesson.hint(): the next hint; after the last, a
// solution.
func (e *Env) luaLessonHint(L *lua.LState) int {
	r := e.running(L, "lesson.hint")
	hints := r.info.Hints
	if r.hints < len(hints) {
		r.hints++
		fmt.Fprintf(e.opts.Stdout, "Hint %d of %d: %s\n", r.hints, len(hints)+1, hints[r.hints-1])
		return 0
	}
	r.hints = len(hints) + 1
	fmt.Fprintf(e.opts.Stdout, "Hint %d of %d, a solution:\n%s\n%s\n", len(hints)+1, len(hints)+1,
		helptext.Indent("  ", r.info.Solution), helptext.Indent("  ", r.info.Check))
	return 0
}

// luaLessonCheck is lesson.check(...): the check's verdict on what the
// kernel shows and what was handed over.
func (e *Env) luaLessonCheck(L *lua.LState) int {
	r := e.running(L, "lesson.check")
	args := make([]lua.LValue, L.GetTop())
	for i := range args {
		args[i] = handOver(e, r.checker, L.Get(i+1), 0)
	}
	res, err := r.call(e.ctx(L), "check", args...)
	if err != nil {
		L.RaiseError("lesson.check: the check itself failed: %s", r.checker.ErrorText(err))
	}
	status, text := lua.LNil, ""
	if len(res) > 0 {
		status = res[0]
	}
	if len(res) > 1 {
		text = strings.TrimSpace(lua.LVAsString(res[1]))
	}
	v := L.NewTable()
	mark := "✗ not yet: "
	switch {
	case status == lua.LTrue:
		mark = "✓ done: "
		v.RawSetString("ok", lua.LTrue)
		e.lessons.done[r.n] = true
		next := ""
		if r.n < len(e.lessons.infos) {
			next = fmt.Sprintf("; lesson(%d) starts the next", r.n+1)
		}
		text += fmt.Sprintf("\nLesson %d is done. lesson.stop() ends it%s.", r.n, next)
	case lua.LVAsString(status) == "step":
		mark = "→ "
		v.RawSetString("ok", lua.LFalse)
		v.RawSetString("step", lua.LTrue)
	default:
		v.RawSetString("ok", lua.LFalse)
	}
	v.RawSetString("text", lua.LString(mark+text))
	mt := L.NewTable()
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(L.CheckTable(1).RawGetString("text"))
		return 1
	}))
	v.Metatable = mt
	L.Push(v)
	return 1
}
