package luabind

import (
	"regexp"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/luabind/show"
)

// Which message a completion is about, when the text names it through
// indexes and calls: l[1]:get('IFLA_…') (l a list of messages, in the
// globals or the session's locals, or assigned ip.links() in the text),
// ip.links()[1]:get(…), r:get(…) in a loop over ipairs(ip.routes()),
// m.attrs[#m.attrs + 1] = {'…', table.insert(m.attrs, {'…'. The attribute
// set that completes is then the message's own, not every set with the
// prefix.

// lookupIndexed follows a path of names and literal indexes ("l[1]",
// "t['k'].m", "m.attrs") from the globals and session locals with raw
// reads. A call in the path is never made: the path leads nowhere (nil).
func (c *completer) lookupIndexed(path string) lua.LValue {
	segs, ok := pathSegments(path)
	if !ok || len(segs) == 0 || segs[0].index != nil {
		return nil
	}
	v := c.global(segs[0].name)
	for _, s := range segs[1:] {
		if v == nil || s.call {
			return nil
		}
		if s.index == nil {
			v = c.field(v, s.name)
			continue
		}
		t, ok := v.(*lua.LTable)
		if !ok {
			return nil
		}
		r := t.RawGet(s.index)
		if r == lua.LNil {
			return nil
		}
		v = r
	}
	return v
}

// segment is a name or a literal index of a path.
type segment struct {
	name  string
	index lua.LValue // a number or a string, for [..]
	call  bool       // ()
}

// pathSegments splits "a.b[1]:c()" into its segments; ok is false for
// what it cannot read (an index that is not a literal).
func pathSegments(path string) ([]segment, bool) {
	var segs []segment
	for i := 0; i < len(path); {
		switch c := path[i]; {
		case c == '.' || c == ':':
			i++
		case c == '(':
			j := strings.IndexByte(path[i:], ')')
			if j < 0 {
				return nil, false
			}
			segs = append(segs, segment{call: true})
			i += j + 1
		case c == '[':
			j := strings.IndexByte(path[i:], ']')
			if j < 0 {
				return nil, false
			}
			lit := strings.TrimSpace(path[i+1 : i+j])
			seg := segment{}
			if n, err := strconv.ParseFloat(lit, 64); err == nil {
				seg.index = lua.LNumber(n)
			} else if len(lit) >= 2 && (lit[0] == '\'' || lit[0] == '"') && lit[len(lit)-1] == lit[0] {
				seg.index = lua.LString(lit[1 : len(lit)-1])
			} else {
				return nil, false // an expression: nothing to read without running it
			}
			segs = append(segs, seg)
			i += j + 1
		default:
			j := i
			for j < len(path) && isPathByte(path[j]) && path[j] != '.' && path[j] != ':' {
				j++
			}
			if j == i {
				return nil, false
			}
			segs = append(segs, segment{name: path[i:j]})
			i = j
		}
	}
	return segs, true
}

// getterClasses are the classes of the messages the ip module's getters
// return, for a text that assigns their result before it has run.
var getterClasses = map[string]string{
	"links": "ifinfomsg", "addrs": "ifaddrmsg", "routes": "rtmsg", "neighs": "ndmsg",
	"rules": "fib_rule_hdr", "qdiscs": "tcmsg", "classes": "tcmsg", "filters": "tcmsg",
}

var reIPGetter = lazyRE(`(?:^|[.:])(links|addrs|routes|neighs|rules|qdiscs|classes|filters)$`)

// inferredClass is the class of the message the path recv names, read
// from the text when no value says: an element of a list of messages
// (l[1], ip.links()[1]), or the loop variable of a for over one.
func (c *completer) inferredClass(sc *scan, recv string, depth int) *engine.Class {
	if depth > 4 {
		return nil
	}
	if strings.HasSuffix(recv, "]") {
		if i := strings.LastIndexByte(recv, '['); i > 0 {
			return c.listClass(sc, recv[:i], depth+1)
		}
		return nil
	}
	if !show.IsIdent(recv) {
		return nil
	}
	// for _, recv in ipairs(LIST): recv is an element of LIST.
	loop, err := regexp.Compile(`\bfor\s+(?:[A-Za-z_]\w*\s*,\s*)?` + regexp.QuoteMeta(recv) + `\s+in\s+ipairs\s*\(\s*([^\s(){}]+(?:\([^()]*\)|\{[^{}]*\})?)\s*\)`)
	if err != nil {
		return nil
	}
	if ms := loop.FindAllStringSubmatch(sc.text, -1); len(ms) > 0 {
		return c.listClass(sc, ms[len(ms)-1][1], depth+1)
	}
	return nil
}

// listClass is the class of the messages in the list the path list names:
// a value that holds messages, an ip getter's result (ip.links()), or a
// name the text assigns one (l = ip.links()).
func (c *completer) listClass(sc *scan, list string, depth int) *engine.Class {
	if v, ok := c.lookupIndexed(list + "[1]").(*lua.LTable); ok && c.e.isMessage(v) {
		return c.e.classOf(v)
	}
	if strings.HasSuffix(list, ")") || strings.HasSuffix(list, "}") {
		if i := strings.IndexAny(list, "({"); i > 0 {
			if m := reIPGetter().FindStringSubmatch(list[:i]); m != nil {
				return c.e.route.Class(getterClasses[m[1]])
			}
		}
		return nil
	}
	if !show.IsIdent(list) {
		return c.inferredClass(sc, list, depth+1) // a list inside a list
	}
	re, err := regexp.Compile(`\b` + regexp.QuoteMeta(list) + `\s*=\s*([A-Za-z_][\w.:]*)\s*[({]`)
	if err != nil {
		return nil
	}
	if ms := re.FindAllStringSubmatch(sc.text, -1); len(ms) > 0 {
		if m := reIPGetter().FindStringSubmatch(ms[len(ms)-1][1]); m != nil {
			return c.e.route.Class(getterClasses[m[1]])
		}
	}
	return nil
}

// reAttrsElement matches an assignment to an element of a message's attrs:
// m.attrs[#m.attrs + 1] = {…}.
var reAttrsElement = lazyRE(`^(.+)\.attrs\[[^\]]*\]$`)

// attrsOwnerSet is the attribute set of the message whose attrs path
// (X.attrs, X.attrs[…]) names, or nil.
func (c *completer) attrsOwnerSet(sc *scan, path string) *engine.AttrSet {
	owner, ok := strings.CutSuffix(path, ".attrs")
	if !ok {
		m := reAttrsElement().FindStringSubmatch(path)
		if m == nil {
			return nil
		}
		owner = m[1]
	}
	return c.receiverSet(sc, owner)
}
