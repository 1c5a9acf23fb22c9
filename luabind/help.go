package luabind

import (
	"fmt"
	"io"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/helptext"
	"nlsh/luabind/iproute"
	"nlsh/luabind/show"
)

// help() and show(): the shell explains itself from the same descriptions
// the codec uses, and docs/reference.md is generated from the same texts
// (see Reference). The texts are helptext's; what is here finds the one a
// value or a name asks for, which takes the Lua state.

// setupHelp defines the globals help and show.
func (e *Env) setupHelp() {
	e.L.SetGlobal("help", e.L.NewFunction(e.luaHelp))
	e.L.SetGlobal("show", e.L.NewFunction(e.luaShow))
}

// luaHelp is help([x]): it prints the help text about x to the Env's
// standard output.
func (e *Env) luaHelp(L *lua.LState) int {
	var text string
	if L.GetTop() == 0 {
		text = helptext.Overview(e.route)
	} else {
		text = e.helpValue(L.Get(1))
	}
	io.WriteString(e.opts.Stdout, text)
	return 0
}

// luaShow is show(...): values rendered as the REPL renders them, in full.
func (e *Env) luaShow(L *lua.LState) int {
	vals := make([]lua.LValue, L.GetTop())
	for i := range vals {
		vals[i] = L.Get(i + 1)
	}
	io.WriteString(e.opts.Stdout, e.Show(vals)+"\n")
	return 0
}

// Help returns the help text about topic, as help('topic') prints it; ""
// is the overview help() prints.
func (e *Env) Help(topic string) string {
	if topic == "" {
		return helptext.Overview(e.route)
	}
	return e.helpTopic(topic)
}

// helpValue explains a value given to help().
func (e *Env) helpValue(v lua.LValue) string {
	if text, ok := e.genlHelpValue(v); ok {
		return text
	}
	switch x := v.(type) {
	case lua.LString:
		return e.helpTopic(string(x))
	case *lua.LNilType:
		return "help(nil): that value is nil. Quote names that are not variables: help('IFA_LOCAL').\n"
	case *lua.LFunction:
		if name, ok := e.functionNames()[x]; ok {
			return e.helpTopic(name)
		}
		if x.Proto != nil {
			return fmt.Sprintf("a Lua function defined at %s:%d; nlsh has no help for it.\n", x.Proto.SourceName, x.Proto.LineDefined)
		}
		return "a function that nlsh has no help for.\n"
	case *lua.LTable:
		if name, ok := e.moduleNames()[x]; ok {
			return e.helpTopic(name)
		}
		if e.isMessage(x) {
			if c := e.classOf(x); c != nil {
				return helptext.ClassText(e.route, c)
			}
			return "a message of a type nlsh has no description for; its body is in .payload.\n"
		}
		if x.Metatable == e.errMeta {
			return errorValueText
		}
		if x.Metatable == e.nestMeta {
			return "a nested attribute value or record: .attrs holds its {name, value} pairs, and it has\n" +
				"the message methods get and get_all (help('msg')).\n"
		}
		keys, _ := show.TableKeys(x)
		return fmt.Sprintf("a table with %d entries; show(t) prints it.\n", len(keys))
	case *lua.LUserData:
		if x.Metatable == e.sockMeta {
			return e.helpTopic("sock")
		}
		return "a userdata value that nlsh has no help for.\n"
	case lua.LNumber:
		return e.numberText(x)
	}
	return fmt.Sprintf("a %s value; help() lists what nlsh has.\n", v.Type())
}

// errorValueText explains error values, for help(err).
const errorValueText = `an error value, raised by a failing request: pcall returns it.
  errno    the errno (17)           code     its name ('EEXIST')
  message  strerror's text          ext_ack  the kernel's own explanation, if any
  offset   byte offset in the request the kernel pointed at
  attr     that attribute, by name path ('IFLA_LINKINFO > IFLA_INFO_DATA')
  missing  an attribute the kernel said is missing
  request  the request message (request_bytes: as sent)
  e:explain()  the request byte by byte, the spot the kernel pointed at marked
tostring(e) is one line saying all of it.
`

// numberText answers help(20): which constants have that value.
func (e *Env) numberText(n lua.LNumber) string {
	var names []string
	for _, c := range e.Consts() {
		if float64(c.Value) == float64(n) {
			names = append(names, c.Name)
		}
	}
	if len(names) == 0 {
		return fmt.Sprintf("%s is a number no constant has.\n", show.Number(n))
	}
	return fmt.Sprintf("%s is the value of %s.\nhelp('NAME') (quoted) explains one.\n", show.Number(n), helptext.ListSome(names, 12))
}

// helpTopic explains a name: a function, module, class, constant,
// attribute, attribute set, enum or struct. A name that is several of these
// gets all their texts.
func (e *Env) helpTopic(topic string) string {
	topic = strings.TrimSpace(topic)
	topic = strings.TrimSuffix(topic, "()")
	if text, ok := helptext.UsageText(topic); ok {
		return text + iproute.KeysText(topic)
	}
	if text := iproute.KindHelp(topic); text != "" {
		return text
	}
	if text, ok := helptext.ModuleText(e.route, topic); ok {
		return text
	}
	cat := e.catalog()
	// rtnl.ifaddrmsg and nl.RTM_NEWADDR name what ifaddrmsg and RTM_NEWADDR do.
	if name, ok := strings.CutPrefix(topic, "rtnl."); ok {
		topic = name
	} else if name, ok := strings.CutPrefix(topic, "nl."); ok {
		topic = name
	}
	if parts := cat.Topic(topic); len(parts) > 0 {
		return strings.Join(parts, "\n")
	}
	if text, ok := e.genlHelpTopic(topic); ok {
		return text
	}
	return cat.Unknown(topic)
}

// constant returns the global constant named n.
func (e *Env) constant(n string) (engine.Const, bool) {
	consts := e.Consts()
	i := sort.Search(len(consts), func(i int) bool { return consts[i].Name >= n })
	if i < len(consts) && consts[i].Name == n {
		return consts[i], true
	}
	return engine.Const{}, false
}

// moduleNames maps the module tables to their names, for help(nl).
func (e *Env) moduleNames() map[*lua.LTable]string {
	out := map[*lua.LTable]string{}
	g := e.L.G.Global
	for _, m := range helptext.Modules {
		if t, ok := e.moduleTable(m.Name); ok {
			out[t] = m.Name
		}
	}
	if nl, ok := g.RawGetString("nl").(*lua.LTable); ok {
		for _, sub := range []string{"pcap", "netns"} {
			if t, ok := nl.RawGetString(sub).(*lua.LTable); ok {
				out[t] = "nl." + sub
			}
		}
	}
	out[e.methods] = "msg"
	return out
}

// functionNames maps every nlsh function value to its usage name:
// module functions by their path ("nl.pcap.open"), methods as "msg:get"
// and "sock:recv", class constructors as "rtnl.CLASS".
func (e *Env) functionNames() map[*lua.LFunction]string {
	out := map[*lua.LFunction]string{}
	var walk func(t *lua.LTable, prefix string, depth int)
	walk = func(t *lua.LTable, prefix string, depth int) {
		t.ForEach(func(k, v lua.LValue) {
			ks, ok := k.(lua.LString)
			if !ok {
				return
			}
			switch x := v.(type) {
			case *lua.LFunction:
				out[x] = prefix + string(ks)
			case *lua.LTable:
				if depth < 2 {
					walk(x, prefix+string(ks)+".", depth+1)
				}
			}
		})
	}
	g := e.L.G.Global
	for _, m := range helptext.Modules {
		if t, ok := e.moduleTable(m.Name); ok {
			walk(t, m.Name+".", 1)
		}
	}
	walk(e.methods, "msg:", 2)
	if t, ok := e.sockMeta.RawGetString("__index").(*lua.LTable); ok {
		walk(t, "sock:", 2)
	}
	walk(e.genl.Methods(), "family:", 2)
	for _, n := range []string{"help", "show"} {
		if f, ok := g.RawGetString(n).(*lua.LFunction); ok {
			out[f] = n
		}
	}
	if e.lessons != nil {
		// lesson(n) calls the table: its __call is the function.
		if f, ok := e.L.GetMetaField(e.lessons.Table(), "__call").(*lua.LFunction); ok {
			out[f] = "lesson"
		}
	}
	return out
}
