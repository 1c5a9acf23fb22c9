package luabind

import lua "github.com/yuin/gopher-lua"

// lazyGlobals are the globals nlsh loads on first use (see
// setupLazyGlobals); completion loads them too.
var lazyGlobals = []string{"ip", "rtnl"}

// lazyModule makes the module behind a lazy global.
func (e *Env) lazyModule(name string) *lua.LTable {
	switch name {
	case "ip":
		return (&ipHost{e}).module().Table()
	case "rtnl":
		return e.rtnlModule()
	}
	return nil
}

// lazyPending is the index in lazyGlobals of k, when k names a lazy global
// not yet stored in the globals; -1 otherwise.
func (e *Env) lazyPending(k lua.LValue) int {
	if ks, ok := k.(lua.LString); ok {
		for i, name := range lazyGlobals {
			if name == string(ks) && e.lazyStored&(1<<i) == 0 {
				return i
			}
		}
	}
	return -1
}

// setupLazyGlobals makes the first read of a lazy global (or its require)
// load the module and store it among the globals, so that later reads are
// ordinary ones.
func (e *Env) setupLazyGlobals() {
	L := e.L
	mt := L.CreateTable(0, 2)
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		if i := e.lazyPending(L.Get(2)); i >= 0 {
			e.lazyStored |= 1 << i
			mod := e.lazyModule(lazyGlobals[i])
			L.G.Global.RawSetString(lazyGlobals[i], mod)
			L.Push(mod)
			return 1
		}
		return 0
	}))
	// A script that sets the global first has replaced the module: it is
	// an ordinary global from then on, and reads find what was set.
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		if i := e.lazyPending(L.Get(2)); i >= 0 {
			e.lazyStored |= 1 << i
		}
		L.RawSet(L.CheckTable(1), L.Get(2), L.Get(3))
		return 0
	}))
	L.SetMetatable(L.Get(lua.GlobalsIndex), mt)
	for _, name := range lazyGlobals {
		L.PreloadModule(name, func(L *lua.LState) int { L.Push(e.lazyModule(name)); return 1 })
	}
}

// moduleTable is the module table help names functions by: the global
// name, or a lazy module already made by require but not yet read as a
// global.
func (e *Env) moduleTable(name string) (*lua.LTable, bool) {
	if t, ok := e.L.G.Global.RawGetString(name).(*lua.LTable); ok {
		return t, true
	}
	for i, lg := range lazyGlobals {
		if lg != name || e.lazyStored&(1<<i) != 0 {
			continue
		}
		switch {
		case name == "ip" && e.ip != nil:
			return e.ip.Table(), true
		case name == "rtnl" && e.rtnl != nil:
			return e.rtnl, true
		}
	}
	return nil, false
}
