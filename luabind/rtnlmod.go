package luabind

import lua "github.com/yuin/gopher-lua"

// rtnlModule is the rtnl module, made on first use (see
// setupLazyGlobals): its class constructors and the five hundred
// constants, which scripts may walk with pairs, were a fifth of start-up
// for scripts that never read it.
func (e *Env) rtnlModule() *lua.LTable {
	if e.rtnl != nil {
		return e.rtnl
	}
	L := e.L
	names := e.route.ClassNames()
	consts := e.Consts()
	rt := L.CreateTable(0, len(consts)+len(names)+2)
	L.SetFuncs(rt, map[string]lua.LGFunction{
		"decode":     e.luaDecode,
		"attr_names": e.luaAttrNames,
	})
	for _, name := range names {
		c := e.route.Class(name)
		rt.RawSetString(name, L.NewFunction(e.constructor(c)))
	}
	// As globals and in nl the constants are found on first use
	// (constsOnUse), not copied.
	for _, c := range consts {
		rt.RawSetString(c.Name, lua.LNumber(float64(c.Value)))
	}
	e.rtnl = rt
	return rt
}
