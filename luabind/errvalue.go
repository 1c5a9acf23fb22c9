package luabind

import (
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// raise turns a Go error into a Lua error: a netlink *engine.Error becomes an
// error value (a table with errno, code, message, ext_ack, offset, attr,
// missing, request; tostring gives one line), anything else a string.
func (e *Env) raise(L *lua.LState, op string, err error) { e.raiseWith(L, op, err, e.route) }

// raiseWith is raise for a socket of protocol p, whose requests decode as p's
// messages.
func (e *Env) raiseWith(L *lua.LState, op string, err error, p *engine.Protocol) {
	var ne *engine.Error
	if errors.As(err, &ne) {
		L.Error(e.errorValue(ne, p), 1)
		return
	}
	if op != "" {
		L.RaiseError("%s: %s", op, err.Error())
	}
	L.RaiseError("%s", err.Error())
}

// raiseReplies is raiseWith for a request that got replies before it
// failed: the error value carries them as replies (a list of decoded
// messages), always for an interrupted dump, whose replies are complete.
func (e *Env) raiseReplies(L *lua.LState, op string, err error, p *engine.Protocol, msgs []engine.Message) {
	var ne *engine.Error
	if errors.As(err, &ne) && (len(msgs) > 0 || errors.Is(err, engine.ErrDumpInterrupted)) {
		e.raiseRepliesList(L, op, err, p, e.newLazyList(p, msgs))
		return
	}
	e.raiseWith(L, op, err, p)
}

// raiseRepliesList is raiseReplies for replies already in a Lua list.
func (e *Env) raiseRepliesList(L *lua.LState, op string, err error, p *engine.Protocol, replies *lua.LTable) {
	var ne *engine.Error
	if errors.As(err, &ne) && (replies.Len() > 0 || errors.Is(err, engine.ErrDumpInterrupted)) {
		t := e.errorValue(ne, p)
		t.RawSetString("replies", replies)
		L.Error(t, 1)
		return
	}
	e.raiseWith(L, op, err, p)
}

func (e *Env) errorValue(ne *engine.Error, p *engine.Protocol) *lua.LTable {
	L := e.L
	t := L.NewTable()
	t.RawSetString("errno", lua.LNumber(int(ne.Errno)))
	if ne.Errno != 0 {
		t.RawSetString("code", lua.LString(engine.ErrnoName(ne.Errno)))
		t.RawSetString("message", lua.LString(ne.Errno.Error()))
	}
	if ne.Err != nil {
		t.RawSetString("message", lua.LString(ne.Err.Error()))
		if errors.Is(ne.Err, engine.ErrDumpInterrupted) {
			t.RawSetString("code", lua.LString("NLM_F_DUMP_INTR"))
			t.RawSetString("dump_interrupted", lua.LTrue)
		}
	}
	if ne.Msg != "" {
		t.RawSetString("ext_ack", lua.LString(ne.Msg))
	}
	if ne.Offset >= 0 {
		t.RawSetString("offset", lua.LNumber(ne.Offset))
	}
	if len(ne.AttrPath) > 0 {
		t.RawSetString("attr", lua.LString(strings.Join(ne.AttrPath, " > ")))
	}
	if ne.Missing != "" {
		t.RawSetString("missing", lua.LString(ne.Missing))
	}
	if ne.Op != "" {
		t.RawSetString("op", lua.LString(ne.Op))
	}
	if ne.Request != nil {
		if msgs, err := engine.Split(ne.Request); err == nil && len(msgs) == 1 {
			t.RawSetString("request", e.newLazyWith(p, msgs[0]))
		}
		t.RawSetString("request_bytes", lua.LString(ne.Request))
	}
	t.RawSetString("line", lua.LString(ne.Error()))
	if m := errorMark(ne); m >= 0 {
		t.RawSetString("mark", lua.LNumber(m))
	}
	t.Metatable = e.errMeta
	return t
}

// luaCheck is nl.check(replies [, request]): raise the error value of the
// first NLMSG_ERROR (or NLMSG_DONE) carrying a non-zero error among replies,
// else return replies. It lets a script that uses send/recv get the same
// errors as s:request.
func (e *Env) luaCheck(L *lua.LState) int {
	replies := L.CheckTable(1)
	var req []byte
	if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
		req = e.messageBytes(L, 2)
	}
	// A message, or a list of them (possibly empty: nothing to check).
	list := []*lua.LTable{replies}
	if replies.Len() > 0 || replies.RawGetString("header") == lua.LNil && e.lazyOf(replies) == nil {
		list = list[:0]
		for i := 1; i <= replies.Len(); i++ {
			if m, ok := replies.RawGetInt(i).(*lua.LTable); ok {
				list = append(list, m)
			}
		}
	}
	for _, m := range list {
		var msg engine.Message
		if lm := e.lazyOf(m); lm != nil && !lm.fields && !lm.attrs {
			msg = lm.message()
		} else {
			b, err := e.encodeTable(m)
			if err != nil {
				L.RaiseError("nl.check: %s", err.Error())
			}
			ms, err := engine.Split(b)
			if err != nil || len(ms) != 1 {
				continue
			}
			msg = ms[0]
		}
		if msg.Header.Type != engine.NLMSG_ERROR && msg.Header.Type != engine.NLMSG_DONE {
			continue
		}
		if err := engine.ReplyError(e.route, &msg, req); err != nil {
			e.raise(L, "", err)
		}
	}
	L.Push(replies)
	return 1
}

// luaErrorExplain is e:explain(): the error in one line, then the request it
// answers explained byte by byte with the attribute the kernel pointed at
// (or the nest that lacks one) marked.
func (e *Env) luaErrorExplain(L *lua.LState) int {
	t := L.CheckTable(1)
	req, ok := t.RawGetString("request").(*lua.LTable)
	if !ok {
		L.RaiseError("this error carries no request to explain")
	}
	// The request as it was sent, read by its own protocol.
	p := e.route
	if lm := e.lazyOf(req); lm != nil {
		p = lm.protocol()
	}
	b := []byte(lua.LVAsString(t.RawGetString("request_bytes")))
	if len(b) == 0 {
		var err error
		if b, err = e.encodeTable(req); err != nil {
			L.RaiseError("explain: %s", err.Error())
		}
	}
	mark := -1
	if n, ok := t.RawGetString("mark").(lua.LNumber); ok {
		mark = int(n)
	}
	fmt.Fprintf(e.opts.Stdout, "%s\n%s", lua.LVAsString(t.RawGetString("line")),
		engine.FormatExplain(engine.Explain(p, b, engine.ExplainOptions{Mark: mark})))
	return 0
}
