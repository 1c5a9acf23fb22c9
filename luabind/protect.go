package luabind

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// Protected calls run on threads of their own.
//
// gopher-lua closes every open upvalue of a thread when an error is raised
// on it without an error handler (yuin/gopher-lua#448), not only those of
// the frames the error unwinds: after a pcall caught an error, a closure
// and the function whose local it shares each have a copy of their own.
// An error closes the upvalues of its own thread only, so every protected
// call nlsh makes (pcall, xpcall, and Go calling Lua back) runs on a
// thread of its own: an error there unwinds that whole thread, and the
// upvalues it closes are exactly those Lua 5.1 closes.
//
// The same boundary makes yields safe. gopher-lua cannot suspend a Go
// function halfway, so a coroutine.yield inside a call from Go (the
// function given to ip.batch, a pcall) would return into the Go code as
// if the call had finished and leave the coroutine's state broken. A yield
// on a call thread is refused with an error naming the call instead.
//
// So Go code calls Lua back through Env.pcall (protected, as L.PCall) or
// Env.call (as L.Call), naming the call, never through L.PCall or L.Call
// directly.

// maxNestedCalls bounds calls inside calls, as Lua 5.1's LUAI_MAXCCALLS
// bounds C calls: each holds a thread, so unbounded recursion through
// pcall would otherwise take memory until the process dies.
const maxNestedCalls = 200

// keptThreads is how many idle call threads an Env keeps for reuse.
const keptThreads = 8

// calls is an Env's protected-call state.
type calls struct {
	free   []*lua.LState
	active []activeCall // the calls under way, innermost last
	// bridge is the bottom frame of every call thread: it calls the
	// function above it. A position lookup that reaches it has run past
	// the call's frames (where goes on in the caller's thread).
	bridge *lua.LFunction
	raise  *lua.LFunction // raiseToClose
	handle *lua.LFunction // the handler of calls with one (handlerSource)

	// gopher-lua's own functions that nlsh's versions wrap.
	create, resume, yield, traceback lua.LGFunction
}

// activeCall is a call under way on a call thread.
type activeCall struct {
	th, caller *lua.LState
	what       string // the call, as yield's error names it
	handler    *lua.LFunction
	yielded    bool // the function tried to yield across the call
}

// yieldError is the error of a call whose function tried to yield across
// it (ip.batch reports the requests it sent alongside).
type yieldError struct{ *lua.ApiError }

func (e *yieldError) Unwrap() error { return e.ApiError }

// pcall calls the function below nargs arguments on L's stack in protected
// mode, as L.PCall does, on a thread of its own; what names the call in
// the error a yield inside it raises. The function and its arguments are
// popped; on success nret results (all with lua.MultRet) are pushed.
func (e *Env) pcall(L *lua.LState, what string, nargs, nret int, handler *lua.LFunction) error {
	if _, running := L.GetStack(0); !running && handler == nil {
		// Nothing runs on L (Run, or Go between chunks): an error
		// unwinds all of it, so its upvalues are the ones to close.
		return L.PCall(nargs, nret, nil)
	}
	return e.pcallOn(L, what, nargs, nret, handler)
}

// pcallOn is pcall for an L that is running: the call goes to a thread.
func (e *Env) pcallOn(L *lua.LState, what string, nargs, nret int, handler *lua.LFunction) (err error) {
	c := &e.calls
	if len(c.active) >= maxNestedCalls {
		L.Pop(nargs + 1)
		return &lua.ApiError{Type: lua.ApiErrorRun, Object: lua.LString("stack overflow (too many calls inside calls)")}
	}
	e.readyCalls()
	th := c.take(e.L)
	if ctx := L.Context(); ctx != nil {
		th.SetContext(ctx) // Ctrl-C stops the call as it stops L
	} else if th.Context() != nil {
		th.RemoveContext()
	}
	// The running coroutine stays the caller's: coroutine.status and
	// resume judge by it, and a coroutine resumed on th moves it to th.
	current := L.G.CurrentThread
	c.active = append(c.active, activeCall{th: th, caller: L, what: what, handler: handler})
	if handler != nil {
		handler = c.handle
	}
	defer func() {
		if c.active[len(c.active)-1].yielded && err != nil {
			var ae *lua.ApiError
			if errors.As(err, &ae) {
				err = &yieldError{ae}
			}
		}
		c.active = c.active[:len(c.active)-1]
		L.G.CurrentThread = current
		th.SetTop(0)
		c.put(th)
	}()
	th.Push(c.bridge)
	L.XMoveTo(th, nargs+1)
	if err = th.PCall(nargs+1, nret, handler); err != nil {
		if handler == nil {
			c.placeError(L, err)
		}
		return err
	}
	th.XMoveTo(L, th.GetTop())
	return nil
}

// bridgeSource names the bridge's chunk; a position in it is one that
// gopher-lua looked for past a call's frames.
const bridgeSource = "[nlsh call]"

// ownProto compiles src, a chunk returning a function, into a prototype
// whose function makes its calls ordinary calls rather than tail calls:
// its frame stays below those of the functions it calls (and is left out
// of tracebacks by its source's name). Prototypes are never changed once
// made, so every Env shares one.
func ownProto(src string) *lua.FunctionProto {
	chunk, err := parse.Parse(strings.NewReader(src), bridgeSource)
	if err != nil {
		panic(err)
	}
	proto, err := lua.Compile(chunk, bridgeSource)
	if err != nil {
		panic(err)
	}
	for _, p := range proto.FunctionPrototypes {
		for i, inst := range p.Code {
			if int(inst>>26) == lua.OP_TAILCALL { // the opcode's bits, as gopher-lua's opcode.go lays them out
				p.Code[i] = inst&(1<<26-1) | uint32(lua.OP_CALL)<<26
			}
		}
		// Without a name for the call, errors and tracebacks name the
		// function called as they did when a Go function called it.
		p.DbgCalls = nil
	}
	return proto
}

// The chunks of the bridge and of the handler, compiled when a first
// call thread is needed: a script that makes no protected call from
// inside a function never parses them.
var (
	bridgeProto  = sync.OnceValue(func() *lua.FunctionProto { return ownProto(bridgeChunk) })
	handlerProto = sync.OnceValue(func() *lua.FunctionProto { return ownProto(handlerSource) })
)

const bridgeChunk = "return function(f, ...) return f(...) end"

// ownFunction runs proto's chunk on L with args and returns the function
// it returns.
func ownFunction(L *lua.LState, proto *lua.FunctionProto, args ...lua.LValue) *lua.LFunction {
	L.Push(L.NewFunctionFromProto(proto))
	for _, a := range args {
		L.Push(a)
	}
	L.Call(len(args), 1)
	fn := L.Get(-1).(*lua.LFunction)
	L.Pop(1)
	return fn
}

// readyCalls makes the bridge and the handler of call threads, on the
// first call that needs them. They are made on a call thread with no
// context, which nothing can interrupt.
func (e *Env) readyCalls() {
	c := &e.calls
	if c.bridge != nil {
		return
	}
	th := c.take(e.L)
	if th.Context() != nil {
		th.RemoveContext()
	}
	c.handle = ownFunction(th, handlerProto(), e.L.NewFunction(c.closeUpvalues), e.L.NewFunction(c.callHandler))
	c.bridge = ownFunction(th, bridgeProto())
	th.SetTop(0)
	c.put(th)
}

// placeError gives a string error whose position gopher-lua looked for
// past the call's frames (a Go function that pcall called raising, or a
// level into a tail call at the bottom) the position of the code that
// made the call, as before calls had threads of their own.
func (c *calls) placeError(L *lua.LState, err error) {
	var ae *lua.ApiError
	if !errors.As(err, &ae) {
		return
	}
	s, ok := ae.Object.(lua.LString)
	if !ok || !strings.HasPrefix(string(s), bridgeSource+":") {
		return
	}
	_, msg, _ := strings.Cut(string(s), ": ")
	if pos := c.where(L, 0); pos != "" {
		msg = pos + " " + msg
	}
	ae.Object = lua.LString(msg)
}

// where is gopher-lua's position of an error raised at level (error's
// level-1; Go frames skipped), counted across call threads: past a call's
// frames it goes on in the thread that made the call, as if the call ran
// there, so error(msg, 3) in a function pcall calls names the line that
// called pcall, as it did before calls had threads.
func (c *calls) where(L *lua.LState, level int) string {
	for t := L; ; {
		dbg, ok := t.GetStack(level)
		if ok {
			fv, _ := t.GetInfo("fSl", dbg, nil)
			f, _ := fv.(*lua.LFunction)
			if f != c.bridge {
				if f != nil && f.IsG {
					level++
					continue
				}
				return fmt.Sprintf("%s:%d:", dbg.Source, dbg.CurrentLine)
			}
		}
		a := c.find(t)
		if a == nil {
			return ""
		}
		// The bridge's level is the last one; a level among a tail
		// call's (which gopher-lua maps to the bottom frame) is the
		// call's own.
		last := level
		for last > 0 {
			if _, ok := t.GetStack(last); ok {
				break
			}
			last--
		}
		for {
			if _, ok := t.GetStack(last + 1); !ok {
				break
			}
			last++
		}
		level = max(level-last, 0)
		t = a.caller
	}
}

// call is pcall for a call that is not protected: an error is raised
// again on L, with a traceback that has the call's frames above L's.
func (e *Env) call(L *lua.LState, what string, nargs, nret int) {
	err := e.pcall(L, what, nargs, nret, nil)
	if err == nil {
		return
	}
	var ae *lua.ApiError
	if !errors.As(err, &ae) {
		L.RaiseError("%s", err.Error())
	}
	// L.Error closes L's upvalues as any error does; its panic carries
	// the whole traceback, which the protected call L is under keeps.
	trace := joinTraces(ae.StackTrace, e.calls.stackTrace(L))
	panicWith := L.Panic
	L.Panic = func(L *lua.LState) {
		L.Panic = panicWith
		panic(&lua.ApiError{Type: lua.ApiErrorRun, Object: L.Get(-1), StackTrace: trace})
	}
	L.Error(ae.Object, 0)
}

// errorObject is the Lua value of an error from pcall.
func errorObject(err error) lua.LValue {
	var ae *lua.ApiError
	if errors.As(err, &ae) {
		return ae.Object
	}
	return lua.LString(err.Error())
}

func (c *calls) take(L *lua.LState) *lua.LState {
	if n := len(c.free); n > 0 {
		th := c.free[n-1]
		c.free = c.free[:n-1]
		return th
	}
	th, cancel := L.NewThread()
	if cancel != nil {
		cancel() // a child of L's context: each call sets its own
	}
	return th
}

func (c *calls) put(th *lua.LState) {
	if len(c.free) < keptThreads {
		c.free = append(c.free, th)
	}
}

// The handler of every call with one runs the call's own after closing
// the thread's upvalues, while the frames that hold their values are
// still there: gopher-lua closes none when an error is raised under a
// handler, and once the call is over a closure made in it would find its
// value gone, and later share a slot the thread reuses. Closing first is
// the same to Lua code: the frames it unwinds never run again.
const handlerSource = "local close, handler = ...\nreturn function(e) close() return handler()(e) end"

// closeUpvalues raises an error from above the frames of L, a call thread
// under a handler (none is set any more then), closing every upvalue.
func (c *calls) closeUpvalues(L *lua.LState) int {
	L.Push(c.raise)
	L.PCall(0, 0, nil)
	return 0
}

// callHandler returns the handler of the call under way on L.
func (c *calls) callHandler(L *lua.LState) int {
	L.Push(c.find(L).handler)
	return 1
}

// raiseToClose raises an error without a handler, which closes the
// thread's upvalues, carrying a traceback already so that PCall spends no
// time writing one nobody reads.
func raiseToClose(L *lua.LState) int {
	panicWith := L.Panic
	L.Panic = func(L *lua.LState) {
		L.Panic = panicWith
		panic(&lua.ApiError{Type: lua.ApiErrorRun, Object: lua.LNil, StackTrace: "-"})
	}
	L.Error(lua.LNil, 0)
	return 0
}

// find returns the call under way on th, or nil when th is no call thread.
func (c *calls) find(th *lua.LState) *activeCall {
	for i := len(c.active) - 1; i >= 0; i-- {
		if c.active[i].th == th {
			return &c.active[i]
		}
	}
	return nil
}

// logical is the thread Lua code on L runs for: L itself, or for a call
// thread the caller it runs for.
func (c *calls) logical(L *lua.LState) *lua.LState {
	for {
		a := c.find(L)
		if a == nil {
			return L
		}
		L = a.caller
	}
}

// busy reports whether th is running or waits for a thread it resumed
// (or a call it made) to come back: resuming it would corrupt it.
func (c *calls) busy(L, th *lua.LState) bool {
	if c.find(th) != nil {
		return true
	}
	for t := L; t != nil; {
		if t == th {
			return true
		}
		if a := c.find(t); a != nil {
			t = a.caller
		} else {
			t = t.Parent
		}
	}
	return false
}

// stackTrace is th's traceback as gopher-lua writes it, from th's current
// frame down.
func (c *calls) stackTrace(th *lua.LState) string {
	th.Push(th.NewFunction(c.traceback))
	th.Push(th)
	th.Push(lua.LNumber(1)) // not the traceback function's own frame
	th.Call(2, 1)
	s := lua.LVAsString(th.Get(-1))
	th.Pop(1)
	return s
}

// joinTraces puts the frames of traceback outer below those of inner, a
// call thread's, whose end and frames of nlsh's own functions it drops.
func joinTraces(inner, outer string) string {
	_, frames, ok := strings.Cut(outer, "stack traceback:\n")
	if !ok {
		return outer
	}
	lines := strings.Split(strings.TrimRight(inner, "\n"), "\n")
	kept := lines[:0]
	for _, l := range lines {
		if l != "\t[G]: ?" && !strings.HasPrefix(l, "\t"+bridgeSource+":") {
			kept = append(kept, l)
		}
	}
	if len(kept) == 0 || kept[0] == "" {
		return outer
	}
	return strings.Join(kept, "\n") + "\n" + frames
}

// setupCalls replaces pcall, xpcall, the coroutine functions that meet
// call threads and debug.traceback with nlsh's.
func (e *Env) setupCalls() {
	L := e.L
	c := &e.calls
	// The first call on a state makes its thread the main one; make sure
	// it is e.L, never a call thread.
	if L.G.MainThread == nil {
		L.G.MainThread, L.G.CurrentThread = L, L
	}
	c.raise = L.NewFunction(raiseToClose)
	L.SetGlobal("error", L.NewFunction(e.luaError))
	L.SetGlobal("pcall", L.NewFunction(e.luaPcall))
	L.SetGlobal("xpcall", L.NewFunction(e.luaXpcall))
	gfn := func(t lua.LValue, name string) lua.LGFunction {
		return t.(*lua.LTable).RawGetString(name).(*lua.LFunction).GFunction
	}
	co := L.GetGlobal("coroutine")
	c.create, c.resume, c.yield = gfn(co, "create"), gfn(co, "resume"), gfn(co, "yield")
	L.SetFuncs(co.(*lua.LTable), map[string]lua.LGFunction{
		"yield":   e.luaYield,
		"resume":  e.luaResume,
		"wrap":    e.luaWrap,
		"running": e.luaRunning,
	})
	dbg := L.GetGlobal("debug")
	c.traceback = gfn(dbg, "traceback")
	dbg.(*lua.LTable).RawSetString("traceback", L.NewFunction(e.luaTraceback))
}

// luaPcall is Lua's pcall(f, ...) on a thread of its own.
func (e *Env) luaPcall(L *lua.LState) int { return e.pcallLua(L, "pcall", 1) }

// pcallLua calls the function at index fi with the arguments above it.
func (e *Env) pcallLua(L *lua.LState, what string, fi int) int {
	L.CheckAny(fi)
	f := L.Get(fi)
	if f.Type() != lua.LTFunction && L.GetMetaField(f, "__call").Type() != lua.LTFunction {
		L.Push(lua.LFalse)
		L.Push(lua.LString("attempt to call a " + f.Type().String() + " value"))
		return 2
	}
	if err := e.pcallOn(L, what, L.GetTop()-fi, lua.MultRet, nil); err != nil {
		return e.pcallFailed(L, err)
	}
	L.Insert(lua.LTrue, fi)
	return L.GetTop() - fi + 1
}

// luaXpcall is Lua's xpcall(f, handler) on a thread of its own; the
// handler runs there, where the error happened, and debug.traceback in it
// also shows the frames below xpcall.
func (e *Env) luaXpcall(L *lua.LState) int {
	f := L.CheckFunction(1)
	handler := L.CheckFunction(2)
	top := L.GetTop()
	L.Push(f)
	if err := e.pcallOn(L, "xpcall", 0, lua.MultRet, handler); err != nil {
		return e.pcallFailed(L, err)
	}
	L.Insert(lua.LTrue, top+1)
	return L.GetTop() - top
}

// pcallFailed pushes pcall's false and the error; an error that is Ctrl-C
// (L's context done) goes on, as gopher-lua would raise it at the next
// instruction anyway.
func (e *Env) pcallFailed(L *lua.LState, err error) int {
	if ctx := L.Context(); ctx != nil && ctx.Err() != nil {
		L.RaiseError("%s", ctx.Err().Error())
	}
	L.Push(lua.LFalse)
	L.Push(errorObject(err))
	return 2
}

// luaError is Lua's error(v [, level]); the position of a string error
// is counted across call threads (see where).
func (e *Env) luaError(L *lua.LState) int {
	v := L.CheckAny(1)
	level := L.OptInt(2, 1)
	if s, ok := v.(lua.LString); ok && level > 0 {
		if pos := e.calls.where(L, level-1); pos != "" {
			v = lua.LString(pos + " " + string(s))
		}
	}
	L.Error(v, 0)
	return 0
}

// luaYield is coroutine.yield, refused across a call from Go.
func (e *Env) luaYield(L *lua.LState) int {
	a := e.calls.find(L)
	if a == nil {
		return e.calls.yield(L)
	}
	a.yielded = true
	what := a.what
	if e.calls.logical(L) == L.G.MainThread {
		L.RaiseError("can not yield from outside of a coroutine")
	}
	L.RaiseError("cannot yield across an nlsh call (%s)", what)
	return 0
}

// luaResume is coroutine.resume. It refuses a coroutine that is running or
// waiting for one it resumed, which gopher-lua would resume in the middle
// of a Go call; and the running coroutine is the resumer's again after it.
func (e *Env) luaResume(L *lua.LState) int {
	if e.calls.busy(L, L.CheckThread(1)) {
		L.Push(lua.LFalse)
		L.Push(lua.LString("cannot resume non-suspended coroutine"))
		return 2
	}
	// A coroutine runs under the context of the thread that resumes it:
	// gopher-lua gives a new thread a child of its parent's context,
	// which never ends when that is a chunk's (its Done is nil until it
	// does), so neither Ctrl-C nor a timeout stopped a busy coroutine.
	if ctx := L.Context(); ctx != nil {
		if co := L.CheckThread(1); co.Context() != ctx {
			co.SetContext(ctx)
		}
	}
	current := L.G.CurrentThread
	defer func() { L.G.CurrentThread = current }()
	return e.calls.resume(L)
}

// luaWrap is coroutine.wrap, resuming through luaResume: an error in the
// coroutine goes on unchanged, one resuming it says where.
func (e *Env) luaWrap(L *lua.LState) int {
	L.CheckFunction(1)
	e.calls.create(L)
	co := L.Get(-1)
	L.Pop(1)
	L.Push(L.NewClosure(func(L *lua.LState) int {
		co := L.Get(lua.UpvalueIndex(1)).(*lua.LState)
		switch {
		case co.Dead:
			L.RaiseError("can not resume a dead thread")
		case e.calls.busy(L, co):
			L.RaiseError("cannot resume non-suspended coroutine")
		}
		L.Insert(co, 1)
		n := e.luaResume(L)
		first := L.GetTop() - n + 1
		if L.Get(first) == lua.LFalse {
			L.Error(L.Get(first+1), 0)
		}
		L.Remove(first)
		return n - 1
	}, co))
	return 1
}

// luaRunning is coroutine.running: the coroutine Lua code runs in (nil in
// the main one), never a call thread.
func (e *Env) luaRunning(L *lua.LState) int {
	if t := e.calls.logical(L); t != L.G.MainThread {
		L.Push(t)
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// luaTraceback is debug.traceback; on a call thread it goes on with the
// frames of the threads the call was made from, as one Lua stack would.
func (e *Env) luaTraceback(L *lua.LState) int {
	n := e.calls.traceback(L)
	if _, ok := L.Get(1).(*lua.LState); ok || e.calls.find(L) == nil {
		return n
	}
	tb := lua.LVAsString(L.Get(-1))
	for a := e.calls.find(L); a != nil; a = e.calls.find(a.caller) {
		tb = joinTraces(tb, e.calls.stackTrace(a.caller))
	}
	L.Pop(1)
	L.Push(lua.LString(tb))
	return 1
}
