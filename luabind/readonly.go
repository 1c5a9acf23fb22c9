package luabind

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/genl"
)

// Read-only mode: exploring a machine that matters with the guarantee that
// nothing changes. Every socket nlsh opens carries a guard that refuses,
// before it is sent, any request that could change the kernel; the Lua
// functions that change the system by other means (namespaces, tun/tap
// devices, files, commands) refuse too. Once on, it stays on for the run.

// SetReadOnly turns read-only mode on for the rest of the Env's life.
func (e *Env) SetReadOnly() {
	if e.readOnly.Swap(true) {
		return
	}
	L := e.L
	refuse := func(what string) *lua.LFunction {
		return L.NewFunction(func(L *lua.LState) int {
			L.RaiseError("%s refused: read-only", what)
			return 0
		})
	}
	if os, ok := L.GetGlobal("os").(*lua.LTable); ok {
		for _, f := range []string{"execute", "remove", "rename", "tmpname"} {
			os.RawSetString(f, refuse("os."+f))
		}
	}
	if io, ok := L.GetGlobal("io").(*lua.LTable); ok {
		for _, f := range []string{"popen", "tmpfile"} {
			io.RawSetString(f, refuse("io."+f))
		}
		if open, ok := io.RawGetString("open").(*lua.LFunction); ok {
			io.RawSetString("open", L.NewFunction(func(L *lua.LState) int {
				if mode := L.OptString(2, "r"); strings.ContainsAny(mode, "wa+") {
					L.RaiseError("io.open(%q, %q) refused: read-only (files open for reading only)", L.CheckString(1), mode)
				}
				return e.callThrough(L, open)
			}))
		}
		if output, ok := io.RawGetString("output").(*lua.LFunction); ok {
			io.RawSetString("output", L.NewFunction(func(L *lua.LState) int {
				if _, named := L.Get(1).(lua.LString); named {
					L.RaiseError("io.output(%q) refused: read-only", L.CheckString(1))
				}
				return e.callThrough(L, output)
			}))
		}
	}
}

// callThrough calls fn with the current arguments and returns its results.
func (e *Env) callThrough(L *lua.LState, fn *lua.LFunction) int {
	n := L.GetTop()
	L.Push(fn)
	for i := 1; i <= n; i++ {
		L.Push(L.Get(i))
	}
	e.call(L, "io", n, lua.MultRet)
	return L.GetTop() - n
}

// ReadOnly reports whether the Env is read-only.
func (e *Env) ReadOnly() bool { return e.readOnly.Load() }

// refuseReadOnly raises for what in read-only mode.
func (e *Env) refuseReadOnly(L *lua.LState, what string) {
	if e.readOnly.Load() {
		L.RaiseError("%s refused: read-only", what)
	}
}

// luaReadOnly is nl.read_only([on]): turns read-only mode on (it cannot be
// turned off again in the same run) and returns whether it is on.
func (e *Env) luaReadOnly(L *lua.LState) int {
	if L.GetTop() >= 1 {
		switch v := L.Get(1).(type) {
		case lua.LBool:
			if v {
				e.SetReadOnly()
			} else if e.readOnly.Load() {
				L.RaiseError("nl.read_only(false): read-only mode cannot be turned off once on")
			}
		default:
			L.ArgError(1, "true or false expected")
		}
	}
	L.Push(lua.LBool(e.readOnly.Load()))
	return 1
}

// guard is the engine.ConnConfig.Guard of every socket of protocol p
// (number family): in read-only mode it refuses what could change the
// kernel.
func (e *Env) guard(family int, p *engine.Protocol) func(*engine.Message) error {
	return func(m *engine.Message) error {
		if !e.readOnly.Load() {
			return nil
		}
		if name, refused := changes(family, p, m); refused {
			return &engine.Error{Err: engine.ErrReadOnly, Op: name, Request: m.Bytes(), Offset: -1, MissType: -1, MissNest: -1}
		}
		return nil
	}
}

// changes decides whether a request could change the kernel, and names it.
// Only what is known to read passes: a get in NETLINK_ROUTE, a dump or a
// get operation in generic netlink (without a spec, any command the kernel
// does not guard with admin permission), a dump elsewhere.
func changes(family int, p *engine.Protocol, m *engine.Message) (string, bool) {
	h := m.Header
	if h.Flags&engine.NLM_F_REQUEST == 0 || h.Type < 0x10 && h.Type != 0 {
		// The kernel acts only on requests, and control messages carry
		// none.
		return "", false
	}
	mt := p.Resolve(h, m.Body, engine.DirRequest)
	name := fmt.Sprintf("message type %d", h.Type)
	if mt != nil {
		name = mt.Title()
	}
	dump := h.Flags&engine.NLM_F_DUMP == engine.NLM_F_DUMP
	switch family {
	case 0:
		return name, mt == nil || mt.Op != engine.OpGet
	case 16:
		if h.Type == genl.CtrlID || dump {
			return name, false
		}
		tab, ok := p.Dynamic.(*genl.Table)
		if !ok {
			return name, true
		}
		b := tab.ByID(h.Type)
		if b == nil || len(m.Body) < 1 {
			return name, true
		}
		switch b.Family().Source {
		case "kernel", "kernel policy":
			fl, known := b.KernelOp(int(m.Body[0]))
			return name, !known || fl&(genl.FlagAdminPerm|genl.FlagUnsAdminPerm) != 0
		}
		return name, mt == nil || mt.Op != engine.OpGet
	}
	return name, !dump
}
