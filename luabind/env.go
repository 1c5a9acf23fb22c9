package luabind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/luabind/genlmod"
	"nlsh/luabind/iproute"
	"nlsh/luabind/lessons"
	"nlsh/luabind/luajson"
	"nlsh/luabind/show"
	"nlsh/rtnl"
)

// Options configure an Env.
type Options struct {
	NetNS    string    // network namespace for sockets opened without one ("" = current)
	Stdout   io.Writer // where print and explain write (default os.Stdout)
	TraceOut io.Writer // where traces go (default os.Stderr)
	// YNLPath lists directories searched first for YNL specs, before the
	// system's (see ynl.DefaultDirs); specs are read when a family is
	// first described, never at start-up.
	YNLPath []string
	// Dial, if set, opens every socket the Env uses (nl.socket's, the ip
	// module's, generic netlink's, completion's) in place of engine.Dial,
	// which it is called as: tests hand it a fake kernel's
	// (engine/nltest.Kernel.Dial) to run scripts without root.
	Dial func(family int, cfg engine.ConnConfig) (*engine.Conn, error)
}

// Env is one Lua state with nlsh's modules loaded. It is not safe for
// concurrent use: one goroutine owns it, as it owns its *lua.LState.
type Env struct {
	L     *lua.LState
	opts  Options
	route *engine.Protocol // NETLINK_ROUTE, the default protocol
	reg   *engine.Registry // every protocol by name and number (protocols.go)

	methods      *lua.LTable // message methods (get, get_all, encode)
	nestMeta     *lua.LTable // metatable of nested values and records
	errMeta      *lua.LTable // metatable of error values
	rawMeta      *lua.LTable // metatable of nl.raw values
	sockMeta     *lua.LTable
	lazyIndex    *lua.LFunction
	lazyNewIndex *lua.LFunction
	msgToString  *lua.LFunction
	classMetas   map[msgKind]*lua.LTable
	lazy         lazyCaches // what m:get looked up last
	metaClass    map[*lua.LTable]msgKind
	sockets      map[*socket]bool
	trace        tracer
	ip           *iproute.Module // the ip module, once loaded
	printer      *show.Printer   // show, the REPL and tostring of messages render with it
	json         *luajson.Codec  // nl.json and nl.from_json
	rtnl         *lua.LTable     // the rtnl module, once loaded
	lazyStored   uint8           // the lazyGlobals stored in the globals, a bit each
	nsFDs        map[string]int  // namespace files opened by nl.netns.fd
	// genl is the genl module, which also holds generic netlink's family
	// tables per namespace.
	genl *genlmod.Module
	// readOnly refuses every change to the kernel (see readonly.go); the
	// guards of a batch's goroutine read it too.
	readOnly atomic.Bool
	// session is the shell's, whose locals completion also knows.
	session *Session
	// interrupted is an error value raised while the running chunk was
	// being cancelled, which Run returns rather than the bare
	// interruption (Lua code passing it on cannot run any more).
	interrupted *lua.LTable
	calls       calls // protected calls' threads (protect.go)
	// netns is the default network namespace, Options.NetNS until a
	// lesson moves it (netns_default.go); nsMu guards it for completion,
	// which runs on the line editor's goroutine.
	nsMu  sync.Mutex
	netns string
	// lessons are the lessons and the one running (lessonhost.go).
	lessons *lessons.Module
	// recvHook, when set, sees every datagram the Env's sockets receive,
	// from whichever goroutine receives it (a lesson's).
	recvHook atomic.Pointer[func([]byte)]
}

// New creates an Env with the standard Lua libraries and nlsh's modules; the
// constants are also globals.
func New(opts Options) *Env {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.TraceOut == nil {
		opts.TraceOut = os.Stderr
	}
	if opts.Dial == nil {
		opts.Dial = engine.Dial
	}
	e := &Env{
		L:          newState(),
		opts:       opts,
		route:      rtnl.Route,
		reg:        newRegistry(rtnl.Route),
		classMetas: map[msgKind]*lua.LTable{},
		metaClass:  map[*lua.LTable]msgKind{},
		sockets:    map[*socket]bool{},
		nsFDs:      map[string]int{},
		netns:      opts.NetNS,
	}
	e.trace = tracer{mode: TraceOff, w: opts.TraceOut}
	vh := valueHost{e}
	e.printer = show.New(e.L, vh)
	e.json = luajson.New(e.L, vh)
	e.setup()
	return e
}

// newState is a Lua state with the standard libraries. Its value stack
// starts at a fifth of gopher-lua's default size and grows when a script
// goes deeper: the default allocates and clears 80 KB at once (for every
// coroutine and protected call's thread too), which most scripts never
// reach. It may grow to maxValueStack values, past gopher-lua's default
// (5,120), so that unpack of a list of some thousands works, as in Lua
// 5.1 (which allows about 8,000).
func newState() *lua.LState {
	return lua.NewState(lua.Options{
		CallStackSize:    lua.CallStackSize,
		RegistrySize:     lua.RegistrySize / 5,
		RegistryGrowStep: lua.RegistrySize / 5,
		RegistryMaxSize:  maxValueStack,
	})
}

// maxValueStack bounds the Lua value stack: a megabyte, reached in
// growth steps of a thousand values.
const maxValueStack = 64 << 10

// Close closes the sockets the scripts left open and the Lua state.
func (e *Env) Close() {
	e.lessons.Stop()
	for s := range e.sockets {
		s.close()
	}
	e.ClosePcap()
	e.genl.Close()
	for _, fd := range e.nsFDs {
		unix.Close(fd)
	}
	e.L.Close()
}

func (e *Env) setup() {
	L := e.L
	installFastFormat(L)
	installTableConcat(L)
	e.guardStdlib()
	e.guardChannels()
	L.SetGlobal("print", L.NewFunction(e.luaPrint))
	e.methods = funcTable(L, map[string]lua.LGFunction{
		"get":     e.luaGet,
		"get_all": e.luaGetAll,
		"encode":  e.luaEncode,
		"explain": e.luaExplain,
	})
	e.lazyIndex = L.NewFunction(e.luaLazyIndex)
	e.lazyNewIndex = L.NewFunction(e.luaLazyNewIndex)
	e.msgToString = L.NewFunction(e.luaMsgToString)
	e.nestMeta = L.CreateTable(0, 2)
	e.nestMeta.RawSetString("__index", e.methods)
	e.nestMeta.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(e.printer.Nest(L.CheckTable(1))))
		return 1
	}))
	e.errMeta = L.CreateTable(0, 2)
	e.errMeta.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		t := L.CheckTable(1)
		L.Push(t.RawGetString("line"))
		return 1
	}))
	e.errMeta.RawSetString("__index", funcTable(L, map[string]lua.LGFunction{
		"explain": e.luaErrorExplain,
	}))
	e.rawMeta = L.CreateTable(0, 1)
	e.rawMeta.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		t := L.CheckTable(1)
		L.Push(lua.LString("raw" + show.QuoteHex(lua.LVAsString(t.RawGetString("bytes")))))
		return 1
	}))
	e.setupSocketMeta()

	bit := openBit(L)
	L.SetGlobal("bit", bit)
	L.PreloadModule("bit", func(L *lua.LState) int { L.Push(bit); return 1 })

	nl := L.CreateTable(0, 16)
	L.SetFuncs(nl, map[string]lua.LGFunction{
		"socket":  e.luaSocket,
		"decode":  e.luaDecode,
		"check":   e.luaCheck,
		"raw":     e.luaRaw,
		"explain": e.luaExplain,
		"trace":   e.luaTrace,
		"events":  e.luaEvents,

		"closest":   e.luaClosest,
		"read_only": e.luaReadOnly,
		"tuntap":    e.luaTuntap,

		"json":      e.json.LuaJSON,
		"from_json": e.json.LuaFromJSON,

		"_print_event": e.luaPrintEvent,
	})
	nl.RawSetString("pcap", e.openPcapModule(L))
	nl.RawSetString("netns", e.openNetnsModule(L))
	e.setupLazyGlobals()
	e.constsOnUse(nl)
	e.constsOnUse(L.Get(lua.GlobalsIndex).(*lua.LTable))
	e.genl = genlmod.New(genlHost{e}, L, e.opts.YNLPath)
	gm := e.genl.Table()
	L.SetGlobal("genl", gm)
	L.PreloadModule("genl", func(L *lua.LState) int { L.Push(gm); return 1 })
	L.SetGlobal("nl", nl)
	L.PreloadModule("nl", func(L *lua.LState) int { L.Push(nl); return 1 })
	e.setupHelp()
	e.setupCalls()
	e.lessons = lessons.New(lessonHost{e}, L)
	L.SetGlobal("lesson", e.lessons.Table())
}

// funcTable is a table of the Go functions fns, sized for them: L.NewTable
// makes room for 32 list items and 32 fields, which these never use, and
// start-up made a dozen such tables.
func funcTable(L *lua.LState, fns map[string]lua.LGFunction) *lua.LTable {
	return L.SetFuncs(L.CreateTable(0, len(fns)), fns)
}

// constsOnUse makes t find the constants on first use: its metatable's
// __index (wrapping the one it has, if any) looks a missing key up among
// them and stores it in t, so that later reads are ordinary ones.
func (e *Env) constsOnUse(t *lua.LTable) {
	L := e.L
	mt, ok := t.Metatable.(*lua.LTable)
	if !ok {
		mt = L.CreateTable(0, 1)
		t.Metatable = mt
	}
	next := mt.RawGetString("__index")
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		if k, ok := L.Get(2).(lua.LString); ok {
			if c, ok := e.constant(string(k)); ok {
				v := lua.LNumber(float64(c.Value))
				t.RawSetString(string(k), v)
				L.Push(v)
				return 1
			}
		}
		switch next := next.(type) {
		case *lua.LFunction:
			L.Push(next)
			L.Push(L.Get(1))
			L.Push(L.Get(2))
			L.Call(2, 1)
			return 1
		case *lua.LTable:
			L.Push(L.GetTable(next, L.Get(2)))
			return 1
		}
		return 0
	}))
}

// routeNames are the names of NETLINK_ROUTE's message types (for
// header.type) and every constant an Env defines, sorted by name: the
// same for every Env and never changed, so made once, by the first New.
var routeNames = sync.OnceValues(func() (*engine.Enum, []engine.Const) {
	types := engine.ControlTypes()
	typeVals := make([]engine.EnumValue, 0, len(types)+len(rtnl.Route.Types))
	for _, t := range types {
		typeVals = append(typeVals, engine.EnumValue{Name: t.Name, Value: uint64(t.Type)})
	}
	for _, t := range rtnl.Route.Types {
		typeVals = append(typeVals, engine.EnumValue{Name: t.Name, Value: uint64(t.Type)})
	}
	typeEnum := engine.NewEnum("nlmsg_type", typeVals...)
	return typeEnum, collectConsts(typeEnum, rtnl.Route)
})

// collectConsts gathers every named constant: header flags, control types,
// message types, enums of the descriptions, groups, protocols and socket
// options, sorted by name. When a name appears twice the first value wins.
func collectConsts(typeEnum *engine.Enum, route *engine.Protocol) []engine.Const {
	// Each is sorted with the order it was added in, which decides
	// between two values of a name.
	type added struct {
		engine.Const
		n int
	}
	all := make([]added, 0, 800)
	add := func(n string, v int64) { all = append(all, added{engine.Const{Name: n, Value: v}, len(all)}) }
	for _, v := range engine.AllFlags.Values {
		add(v.Name, int64(v.Value))
	}
	add("NLA_F_NESTED", engine.NLA_F_NESTED)
	add("NLA_F_NET_BYTEORDER", engine.NLA_F_NET_BYTEORDER)
	for _, v := range typeEnum.Values {
		add(v.Name, int64(v.Value))
	}
	for _, en := range route.Enums {
		for _, v := range en.Values {
			add(v.Name, int64(v.Value))
		}
	}
	for _, g := range route.Groups {
		add(g.Const, int64(g.Number))
	}
	for n, v := range netlinkConsts {
		add(n, v)
	}
	slices.SortFunc(all, func(a, b added) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return a.n - b.n
	})
	cs := make([]engine.Const, 0, len(all))
	for i, c := range all {
		if i == 0 || c.Name != all[i-1].Name {
			cs = append(cs, c.Const)
		}
	}
	return cs
}

// netlinkConsts are the protocol numbers and socket options of linux/netlink.h.
var netlinkConsts = map[string]int64{
	"NETLINK_ROUTE": 0, "NETLINK_SOCK_DIAG": 4, "NETLINK_NETFILTER": 12, "NETLINK_GENERIC": 16,
	"NETLINK_ADD_MEMBERSHIP": 1, "NETLINK_DROP_MEMBERSHIP": 2, "NETLINK_PKTINFO": 3,
	"NETLINK_BROADCAST_ERROR": 4, "NETLINK_NO_ENOBUFS": 5, "NETLINK_LISTEN_ALL_NSID": 8,
	"NETLINK_LIST_MEMBERSHIPS": 9, "NETLINK_CAP_ACK": 10, "NETLINK_EXT_ACK": 11, "NETLINK_GET_STRICT_CHK": 12,
}

// Consts lists every constant the Env defines, sorted by name. Every Env
// shares the slice: it must not be changed.
func (e *Env) Consts() []engine.Const {
	_, consts := routeNames()
	return consts
}

// typeEnum names header.type: the RTM_* and NLMSG_* message types.
func (e *Env) typeEnum() *engine.Enum {
	types, _ := routeNames()
	return types
}

func (e *Env) constructor(c *engine.Class) lua.LGFunction {
	return func(L *lua.LState) int {
		var init *lua.LTable
		if L.GetTop() >= 1 && L.Get(1) != lua.LNil {
			init = L.CheckTable(1)
			if c.Struct != nil {
				var bad error
				init.ForEach(func(k, _ lua.LValue) {
					ks, ok := k.(lua.LString)
					if !ok || bad != nil || reservedKey(string(ks)) {
						return
					}
					if _, ok := c.Struct.FieldIndex(string(ks)); !ok {
						bad = fmt.Errorf("rtnl.%s: unknown field '%s'%s", c.Name, ks, suggest(string(ks), fieldNames(c.Struct)))
					}
				})
				if bad != nil {
					L.RaiseError("%s", bad.Error())
				}
			}
		}
		L.Push(e.newMessage(e.route, c, init))
		return 1
	}
}

func reservedKey(k string) bool {
	return k == "attrs" || k == "header" || k == "event" || strings.HasPrefix(k, "_")
}

func fieldNames(s *engine.StructDesc) []string {
	var ns []string
	for _, f := range s.Fields {
		if f.Kind != engine.Pad {
			ns = append(ns, f.Name)
		}
	}
	return ns
}

func suggest(n string, cands []string) string {
	if c := engine.Closest(n, cands, 1); len(c) > 0 {
		return fmt.Sprintf(" (did you mean '%s'?)", c[0])
	}
	return fmt.Sprintf(" (fields: %s)", strings.Join(cands, ", "))
}

// luaAttrNames is rtnl.attr_names(class): the names of the attributes of a
// message class's top-level set, in number order.
func (e *Env) luaAttrNames(L *lua.LState) int {
	c := e.route.Class(L.CheckString(1))
	if c == nil {
		L.ArgError(1, fmt.Sprintf("unknown message class '%s'", L.CheckString(1)))
	}
	t := L.NewTable()
	if c.Attrs != nil {
		for _, a := range c.Attrs.Attrs {
			t.Append(lua.LString(a.Name))
		}
	}
	L.Push(t)
	return 1
}

// luaDecode is rtnl.decode(bytes): the list of messages in a buffer.
func (e *Env) luaDecode(L *lua.LState) int {
	b := L.CheckString(1)
	t, err := e.decodeToLua([]byte(b))
	if err != nil {
		L.RaiseError("decode: %s", err.Error())
	}
	L.Push(t)
	return 1
}

func (e *Env) luaPrint(L *lua.LState) int {
	n := L.GetTop()
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte('\t')
		}
		b.WriteString(e.tostring(L, L.Get(i)))
	}
	b.WriteByte('\n')
	io.WriteString(e.opts.Stdout, b.String())
	return 0
}

// tostring is Lua's tostring, honouring __tostring.
func (e *Env) tostring(L *lua.LState, v lua.LValue) string {
	if fn := L.GetMetaField(v, "__tostring"); fn != lua.LNil {
		L.Push(fn)
		L.Push(v)
		e.call(L, "print", 1, 1)
		s := L.Get(-1)
		L.Pop(1)
		return lua.LVAsString(s)
	}
	return v.String()
}

// Run executes a chunk under ctx (Ctrl-C cancels ctx), with arg set to args
// when args is not nil, and returns the chunk's results.
func (e *Env) Run(ctx context.Context, name, src string, args []string) ([]lua.LValue, error) {
	fn, err := e.L.Load(strings.NewReader(src), name)
	if err != nil {
		return nil, show.SyntaxErrorOf(name, src, err)
	}
	return e.runFn(ctx, fn, name, args)
}

// runFn runs a loaded chunk as Run does.
func (e *Env) runFn(ctx context.Context, fn *lua.LFunction, name string, args []string) ([]lua.LValue, error) {
	if args != nil {
		at := e.L.NewTable()
		at.RawSetInt(0, lua.LString(name))
		for i, a := range args {
			at.RawSetInt(i+1, lua.LString(a))
		}
		e.L.SetGlobal("arg", at)
	}
	lc := newLuaContext(ctx)
	defer lc.stop()
	e.L.SetContext(lc)
	defer e.L.RemoveContext()
	top := e.L.GetTop()
	e.L.Push(fn)
	for _, a := range args {
		e.L.Push(lua.LString(a))
	}
	e.interrupted = nil
	if err := e.pcall(e.L, "chunk", len(args), lua.MultRet, nil); err != nil {
		e.L.SetTop(top)
		var ae *lua.ApiError
		if t := e.interrupted; t != nil && ctx.Err() != nil && errors.As(err, &ae) {
			e.interrupted = nil
			return nil, &lua.ApiError{Type: ae.Type, Object: t, StackTrace: ae.StackTrace, Cause: ae.Cause}
		}
		return nil, err
	}
	e.interrupted = nil
	var out []lua.LValue
	for i := top + 1; i <= e.L.GetTop(); i++ {
		out = append(out, e.L.Get(i))
	}
	e.L.SetTop(top)
	return out, nil
}

// FormatError renders an error from Run as scripts and -e show it: what
// ErrorText says.
func (e *Env) FormatError(err error) string { return e.ErrorText(err) }

// Compiles reports whether src parses as a Lua chunk.
func (e *Env) Compiles(src string) bool { return e.CompileError(src) == nil }

// CompileError returns the syntax error of src, if any.
func (e *Env) CompileError(src string) error {
	_, err := e.L.Load(strings.NewReader(src), "stdin")
	return err
}
