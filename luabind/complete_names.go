package luabind

import (
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/show"
)

// Completion of names: globals, keywords, locals the text declares, and
// fields and methods after '.' and ':', found by raw reads from the globals.

// splitPath splits "a.b:c" into its names.
func splitPath(p string) []string {
	return strings.FieldsFunc(p, func(r rune) bool { return r == '.' || r == ':' })
}

// lookupPath follows a path of names from the globals with raw reads
// (through __index tables, never functions). nil when it leads nowhere.
func (c *completer) lookupPath(path []string) lua.LValue {
	if len(path) == 0 {
		return nil
	}
	v := c.global(path[0])
	for _, name := range path[1:] {
		if v == nil {
			return nil
		}
		v = c.field(v, name)
	}
	return v
}

// global reads a global; a lazily loaded module is loaded (in protected
// mode) so its functions can be completed.
func (c *completer) global(name string) lua.LValue {
	if c.e.session != nil {
		if v, ok := c.e.session.Local(name); ok && v != lua.LNil {
			return v
		}
	}
	v := c.e.L.G.Global.RawGetString(name)
	if v != lua.LNil {
		return v
	}
	for _, lg := range lazyGlobals {
		if lg != name {
			continue
		}
		top := c.e.L.GetTop()
		defer c.e.L.SetTop(top)
		c.e.L.Push(c.e.L.NewFunction(func(L *lua.LState) int {
			L.Push(L.GetGlobal(name))
			return 1
		}))
		if err := c.e.pcall(c.e.L, "completion", 0, 1, nil); err == nil && c.e.L.Get(-1) != lua.LNil {
			return c.e.L.Get(-1)
		}
	}
	return nil
}

// field reads v[name] raw, following __index tables.
func (c *completer) field(v lua.LValue, name string) lua.LValue {
	for depth := 0; depth < 8; depth++ {
		var mt lua.LValue = lua.LNil
		switch x := v.(type) {
		case *lua.LTable:
			if r := x.RawGetString(name); r != lua.LNil {
				return r
			}
			if c.e.isMessage(x) && name == "header" {
				return headerStub
			}
			mt = x.Metatable
		case *lua.LUserData:
			mt = x.Metatable
		default:
			return nil
		}
		m, ok := mt.(*lua.LTable)
		if !ok {
			return nil
		}
		idx, ok := m.RawGetString("__index").(*lua.LTable)
		if !ok {
			return nil
		}
		v = idx
	}
	return nil
}

// headerStub stands for the header of a message not yet decoded: its keys
// are all completion needs.
var headerStub = func() *lua.LTable {
	t := &lua.LTable{}
	for _, k := range show.HeaderKeys {
		t.RawSetString(k, lua.LNumber(0))
	}
	return t
}()

var reLocals = lazyRE(`\b(?:local\s+(?:function\s+)?|for\s+)([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)|function\s*[A-Za-z0-9_.:]*\s*\(([^)]*)\)`)

// completeName completes a global, a keyword, a local the text declares,
// or a field or method after '.' or ':'.
func (c *completer) completeName(sc *scan, before string) ([]string, int) {
	i := len(before)
	for i > 0 {
		if isPathByte(before[i-1]) {
			i--
			continue
		}
		// An index on the way: l[1]:get, t['k'].x.
		if j := strings.LastIndexByte(before[:i], '['); before[i-1] == ']' && j > 0 && isPathByte(before[j-1]) &&
			!strings.ContainsAny(before[j+1:i-1], "[]") {
			i = j
			continue
		}
		break
	}
	path := before[i:]
	if top := sc.top(); path == "" && top != nil && top.open == '{' && top.tokens == 0 {
		// An ip verb's table, nothing typed yet: every key it takes.
		if keys := c.ipKeyNames(sc); keys != nil {
			cands, _ := collapse(filterPrefix(keys, ""), "")
			return cands, 0
		}
	}
	if path == "" || path[0] == '.' || path[0] == ':' || path[0] >= '0' && path[0] <= '9' {
		return nil, 0
	}
	if i > 0 && strings.ContainsRune(")]\"'", rune(before[i-1])) {
		return nil, 0
	}
	cut := strings.LastIndexAny(path, ".:")
	word := path[cut+1:]
	var names []string
	if cut < 0 {
		if word == "" {
			return nil, 0
		}
		c.e.L.G.Global.ForEach(func(k, _ lua.LValue) {
			if s, ok := k.(lua.LString); ok && show.IsIdent(string(s)) {
				names = append(names, string(s))
			}
		})
		names = append(names, lazyGlobals...)
		names = append(names, c.constNames()...) // globals found on first use
		if set := c.genlKeySet(sc, len(sc.frames)-1); set != nil && sc.top().tokens <= 1 {
			names = append(names, luaKeys(set)...)
		}
		if keys := c.ipKeyNames(sc); keys != nil && sc.top().tokens <= 1 {
			names = append(names, keys...)
		}
		for k := range show.LuaKeywords {
			names = append(names, k)
		}
		for _, m := range reLocals().FindAllStringSubmatch(sc.text, -1) {
			for _, n := range strings.Split(m[1]+","+m[2], ",") {
				if n = strings.TrimSpace(n); show.IsIdent(n) {
					names = append(names, n)
				}
			}
		}
	} else {
		methods := path[cut] == ':'
		v := c.lookupIndexed(path[:cut])
		if v == nil {
			if cl := c.receiverClass(sc, path[:cut]); cl != nil {
				names = c.messageKeys(cl, methods)
			}
		} else {
			names = c.keysOf(v, methods)
		}
	}
	cands, _ := collapse(filterPrefix(names, word), word)
	return cands, len(word)
}

func isPathByte(c byte) bool {
	return c == '_' || c == '.' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// keysOf lists the names that may follow v and '.' (or ':' when methods).
func (c *completer) keysOf(v lua.LValue, methods bool) []string {
	if names, ok := c.e.genl.Keys(v, methods); ok {
		return names
	}
	if _, ok := v.(lua.LString); ok {
		if methods {
			return c.keysOf(c.e.L.G.Global.RawGetString("string"), false)
		}
		return nil
	}
	if t, ok := v.(*lua.LTable); ok && c.e.isMessage(t) {
		names := c.messageKeys(c.e.classOf(t), methods)
		if !methods {
			t.ForEach(func(k, _ lua.LValue) {
				if s, ok := k.(lua.LString); ok && show.IsIdent(string(s)) {
					names = append(names, string(s))
				}
			})
		}
		return names
	}
	var names []string
	for depth := 0; depth < 8 && v != nil; depth++ {
		var mt lua.LValue = lua.LNil
		switch x := v.(type) {
		case *lua.LTable:
			x.ForEach(func(k, val lua.LValue) {
				s, ok := k.(lua.LString)
				if !ok || !show.IsIdent(string(s)) || strings.HasPrefix(string(s), "_") {
					return
				}
				if _, isFn := val.(*lua.LFunction); methods && !isFn {
					return
				}
				names = append(names, string(s))
			})
			mt = x.Metatable
		case *lua.LUserData:
			mt = x.Metatable
		}
		m, ok := mt.(*lua.LTable)
		if !ok {
			break
		}
		idx, ok := m.RawGetString("__index").(*lua.LTable)
		if !ok {
			break
		}
		v = idx
	}
	return names
}

// messageKeys lists what follows a message of class cl: its methods, and
// unless only methods are wanted its fields, header, attrs and event.
func (c *completer) messageKeys(cl *engine.Class, methods bool) []string {
	var names []string
	c.e.methods.ForEach(func(k, _ lua.LValue) { names = append(names, k.String()) })
	if methods {
		return names
	}
	names = append(names, "header", "attrs", "event")
	if cl != nil && cl.Struct != nil {
		names = append(names, fieldNames(cl.Struct)...)
	}
	return names
}
