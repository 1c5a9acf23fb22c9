package lessons

import (
	"fmt"
	"io"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/luabind/helptext"
)

// Module is the lessons of one shell: the descriptions, read on first
// use, the lesson running and the lessons done, and the global lesson.
type Module struct {
	host  Host
	infos []*Info
	files []string
	run   *run
	done  map[int]bool
	table *lua.LTable
}

// New makes the global lesson of L: a callable table.
func New(h Host, L *lua.LState) *Module {
	m := &Module{host: h, done: map[int]bool{}}
	m.table = L.SetFuncs(L.CreateTable(0, 4), map[string]lua.LGFunction{
		"check": m.luaCheck,
		"hint":  m.luaHint,
		"task":  m.luaTask,
		"stop":  m.luaStop,
	})
	mt := L.CreateTable(0, 1)
	mt.RawSetString("__call", L.NewFunction(m.luaLesson))
	m.table.Metatable = mt
	return m
}

// Table is the global lesson.
func (m *Module) Table() *lua.LTable { return m.table }

// book reads the lesson files the first time.
func (m *Module) book(L *lua.LState) {
	if m.infos == nil {
		infos, files, err := read()
		if err != nil {
			L.RaiseError("lessons: %s", err.Error())
		}
		m.infos, m.files = infos, files
	}
}

// luaLesson is lesson() (the list) and lesson(n) (start lesson n).
func (m *Module) luaLesson(L *lua.LState) int {
	m.book(L)
	out := m.host.Stdout()
	if L.GetTop() < 2 || L.Get(2) == lua.LNil {
		io.WriteString(out, m.list())
		return 0
	}
	n := L.CheckInt(2)
	if n < 1 || n > len(m.infos) {
		L.ArgError(1, fmt.Sprintf("there are lessons 1 to %d (lesson() lists them)", len(m.infos)))
	}
	m.host.RefuseReadOnly(L, fmt.Sprintf("lesson(%d)", n))
	if r := m.run; r != nil {
		m.Stop()
		fmt.Fprintf(out, "(lesson %d stopped, its namespace deleted)\n", r.n)
	}
	if err := m.start(L, n); err != nil {
		L.RaiseError("lesson(%d): %s", n, err.Error())
	}
	io.WriteString(out, m.taskText(m.run))
	return 0
}

// list is what lesson() prints.
func (m *Module) list() string {
	var rows [][]string
	for i, in := range m.infos {
		mark := " "
		if m.done[i+1] {
			mark = "✓"
		}
		rows = append(rows, []string{mark + fmt.Sprintf("%2d", i+1), in.Title, in.Concept})
	}
	s := "Lessons: lesson(n) starts one, in a network namespace of its own that nlsh makes\n" +
		"and deletes (your machine's own network is never touched).\n" + helptext.Table(nil, rows)
	if r := m.run; r != nil {
		s += fmt.Sprintf("Lesson %d is running: lesson.task(), lesson.hint(), lesson.check(...), lesson.stop().\n", r.n)
	} else {
		s += "In a lesson: lesson.task(), lesson.hint(), lesson.check(...) and lesson.stop().\n"
	}
	return s
}

// taskText is what lesson(n) and lesson.task() print.
func (m *Module) taskText(r *run) string {
	in := r.info
	var b strings.Builder
	fmt.Fprintf(&b, "Lesson %d of %d: %s — %s\n", r.n, len(m.infos), in.Title, in.Concept)
	fmt.Fprintf(&b, "(docs/tutorial.md, §%s)\n\n", in.Section)
	fmt.Fprintf(&b, "You are in network namespace %s, made for this lesson: every socket,\n"+
		"ip verb, genl call and completion works there until lesson.stop() deletes it.\n\n", r.ns)
	b.WriteString(in.Task + "\n\n")
	fmt.Fprintf(&b, "lesson.check(...) asks the kernel whether it is done; lesson.hint() gives one of %d hints;\n"+
		"lesson.task() shows this again; lesson.stop() ends the lesson.\n", len(in.Hints)+1)
	return b.String()
}

// running returns the lesson running, or raises for what.
func (m *Module) running(L *lua.LState, what string) *run {
	if r := m.run; r != nil {
		return r
	}
	L.RaiseError("%s: no lesson is running; lesson() lists them, lesson(n) starts one", what)
	return nil
}

// luaStop is lesson.stop().
func (m *Module) luaStop(L *lua.LState) int {
	r := m.running(L, "lesson.stop")
	err := m.Stop()
	where := "nlsh's own namespace"
	if r.prev != "" {
		where = "namespace " + r.prev
	}
	fmt.Fprintf(m.host.Stdout(), "Lesson %d stopped: namespace %s deleted, back in %s.\n", r.n, r.ns, where)
	if err != nil {
		m.host.Raise(L, "lesson.stop", err)
	}
	return 0
}

// luaTask is lesson.task().
func (m *Module) luaTask(L *lua.LState) int {
	io.WriteString(m.host.Stdout(), m.taskText(m.running(L, "lesson.task")))
	return 0
}

// luaHint is lesson.hint(): the next hint; after the last, a solution.
func (m *Module) luaHint(L *lua.LState) int {
	r := m.running(L, "lesson.hint")
	hints := r.info.Hints
	out := m.host.Stdout()
	if r.hints < len(hints) {
		r.hints++
		fmt.Fprintf(out, "Hint %d of %d: %s\n", r.hints, len(hints)+1, hints[r.hints-1])
		return 0
	}
	r.hints = len(hints) + 1
	fmt.Fprintf(out, "Hint %d of %d, a solution:\n%s\n%s\n", len(hints)+1, len(hints)+1,
		helptext.Indent("  ", r.info.Solution), helptext.Indent("  ", r.info.Check))
	return 0
}

// luaCheck is lesson.check(...): the check's verdict on what the kernel
// shows and what was handed over.
func (m *Module) luaCheck(L *lua.LState) int {
	r := m.running(L, "lesson.check")
	args := make([]lua.LValue, L.GetTop())
	for i := range args {
		args[i] = r.checker.In(L.Get(i + 1))
	}
	res, err := r.call(m.host.Context(L), "check", args...)
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
		m.done[r.n] = true
		next := ""
		if r.n < len(m.infos) {
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
