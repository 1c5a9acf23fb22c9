package luabind

import (
	"context"
	"nlsh/luabind/show"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// A Session runs the shell's chunks so that they behave as one script:
// a top-level `local x = 5` on one line is still x on the next. Lua gives
// each chunk its own locals, so the shell rewrites the chunk's top-level
// local declarations into assignments to names the session declares,
// kept in a table of their own; the chunk runs with an environment that
// finds those names first and everything else among the globals. Locals
// inside functions and blocks are untouched, and line numbers stay what
// the user typed.
type Session struct {
	e        *Env
	declared map[string]bool
	values   *lua.LTable
	env      *lua.LTable
}

// NewSession starts a shell session in the Env.
func (e *Env) NewSession() *Session {
	s := &Session{e: e, declared: map[string]bool{}, values: e.L.NewTable()}
	L := e.L
	s.env = L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		k := L.Get(2)
		if ks, ok := k.(lua.LString); ok && s.declared[string(ks)] {
			L.Push(s.values.RawGet(k))
			return 1
		}
		// Through _G's own metatable: the lazily loaded modules live there.
		L.Push(L.GetTable(L.G.Global, k))
		return 1
	}))
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		k, v := L.Get(2), L.Get(3)
		if ks, ok := k.(lua.LString); ok && s.declared[string(ks)] {
			s.values.RawSet(k, v)
			return 0
		}
		L.SetTable(L.G.Global, k, v)
		return 0
	}))
	s.env.Metatable = mt
	e.session = s
	return s
}

// Local returns the value of a name the session declared local, and
// whether it did.
func (s *Session) Local(name string) (lua.LValue, bool) {
	if !s.declared[name] {
		return lua.LNil, false
	}
	return s.values.RawGetString(name), true
}

// Compiles reports whether src, rewritten as the session runs it, parses;
// err is the syntax error when it does not.
func (s *Session) Compiles(src string) error {
	code, _ := rewriteLocals(src)
	return s.e.CompileError(code)
}

// Run runs one chunk of the session.
func (s *Session) Run(ctx context.Context, src string) ([]lua.LValue, error) {
	code, names := rewriteLocals(src)
	fn, err := s.e.L.Load(strings.NewReader(code), "stdin")
	if err != nil {
		return nil, show.SyntaxErrorOf("stdin", src, err)
	}
	for _, n := range names {
		s.declared[n] = true
		s.values.RawSetString(n, lua.LNil) // a new declaration starts as nil
	}
	fn.Env = s.env
	return s.e.runFn(ctx, fn, "stdin", nil)
}

// rewriteLocals turns a chunk's top-level local declarations into plain
// assignments ("local a, b = f()" into "a, b = f()", "local x" into
// "x = nil", "local function f" into "function f") and returns the names
// they declare. It reads Lua's tokens well enough to skip strings and
// comments and to know when it is inside a function or block.
func rewriteLocals(src string) (string, []string) {
	toks := luaTokens(src)
	var out strings.Builder
	var names []string
	last := 0
	depth := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.text {
		case "function", "if", "do", "repeat":
			depth++
			continue
		case "end", "until":
			if depth > 0 {
				depth--
			}
			continue
		case "local":
		default:
			continue
		}
		if depth > 0 || t.kind != tokIdent && t.kind != tokOther {
			continue
		}
		// A top-level local: drop the keyword.
		out.WriteString(src[last:t.pos])
		last = t.pos + len("local")
		if i+1 < len(toks) && toks[i+1].text == "function" {
			if i+2 < len(toks) && toks[i+2].kind == tokIdent {
				names = append(names, toks[i+2].text)
			}
			continue // the function keyword itself opens a block next turn
		}
		j := i + 1
		for j < len(toks) && toks[j].kind == tokIdent {
			names = append(names, toks[j].text)
			if j+1 < len(toks) && toks[j+1].text == "," {
				j += 2
				continue
			}
			break
		}
		if j+1 >= len(toks) || toks[j+1].text != "=" {
			// "local x" declares x = nil.
			end := len(src)
			if j < len(toks) {
				end = toks[j].pos + len(toks[j].text)
			}
			out.WriteString(src[last:end] + " = nil")
			last = end
		}
		i = j
	}
	out.WriteString(src[last:])
	return out.String(), names
}

// luaToken is a token of luaTokens: its kind, text and byte offset.
type luaToken struct {
	kind tokKind
	text string
	pos  int
}

// luaTokens splits Lua source into names, keywords (tokOther), strings,
// numbers and punctuation, skipping comments and white space.
func luaTokens(src string) []luaToken {
	var toks []luaToken
	n := len(src)
	for i := 0; i < n; {
		c := src[i]
		switch {
		case c == '-' && i+1 < n && src[i+1] == '-':
			if level, ok := longBracket(src, i+2); ok {
				end := strings.Index(src[i+2:], "]"+strings.Repeat("=", level)+"]")
				if end < 0 {
					return toks
				}
				i += 2 + end + level + 2
				continue
			}
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				return toks
			}
			i += j
		case c == '[':
			if level, ok := longBracket(src, i); ok {
				end := strings.Index(src[i:], "]"+strings.Repeat("=", level)+"]")
				if end < 0 {
					return append(toks, luaToken{tokString, src[i:], i})
				}
				toks = append(toks, luaToken{tokString, src[i : i+end+level+2], i})
				i += end + level + 2
				continue
			}
			toks = append(toks, luaToken{tokPunct, "[", i})
			i++
		case c == '\'' || c == '"':
			j := i + 1
			for j < n && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, n)
			toks = append(toks, luaToken{tokString, src[i:j], i})
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i + 1
			for j < n && (src[j] == '_' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			k := tokIdent
			if show.LuaKeywords[src[i:j]] {
				k = tokOther
			}
			toks = append(toks, luaToken{k, src[i:j], i})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < n && (src[j] == '.' || src[j] == '_' || src[j] >= '0' && src[j] <= '9' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' ||
				(src[j] == '-' || src[j] == '+') && (src[j-1] == 'e' || src[j-1] == 'E')) {
				j++
			}
			toks = append(toks, luaToken{tokOther, src[i:j], i})
			i = j
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		default:
			l := 1
			if i+1 < n && (c == '=' || c == '~' || c == '<' || c == '>') && src[i+1] == '=' || c == '.' && i+1 < n && src[i+1] == '.' {
				l = 2
			}
			toks = append(toks, luaToken{tokPunct, src[i : i+l], i})
			i += l
		}
	}
	return toks
}
