package luabind

import (
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
)

// sockBatch is s:batch(fn): it calls fn(add), where add(msg) queues one
// request (a message table or encoded bytes) and returns its number in the
// batch. Requests go to the kernel as they are queued, many to a datagram,
// while fn goes on building the next ones; every acknowledgement is checked.
// When fn returns, or raises, what is queued is sent and waited for. It
// returns what s:request_batch returns (a list with true or an error value
// per request, and the number that failed), or raises fn's error.
func (e *Env) sockBatch(L *lua.LState) int {
	s := e.openSocket(L)
	return e.batch(L, s, L.CheckFunction(2), "s:batch", nil)
}

// batch runs fn(add) with s's requests batched, what naming it in the
// error a yield inside raises; hold, if not nil, is given the add of
// requests built in Go while fn runs, and nil after. It pushes the
// results, or raises fn's error or the socket's.
func (e *Env) batch(L *lua.LState, s *socket, fn *lua.LFunction, what string, hold func(func(*lua.LState, []byte) int)) int {
	b := s.conn.Batch(e.ctx(L), s.proto)
	s.inBatch = true
	open := true
	// addBytes is add for bytes made in Go (the ip verbs'), without the
	// round trip through a Lua string.
	addBytes := func(L *lua.LState, req []byte) int {
		if !open {
			L.RaiseError("batch: add called after the batch finished")
		}
		i, err := b.Add(req)
		if err != nil {
			e.raiseWith(L, "batch", err, s.proto)
		}
		return i + 1
	}
	add := L.NewFunction(func(L *lua.LState) int {
		var req []byte
		switch v := L.Get(1).(type) {
		case lua.LString:
			req = []byte(v)
		case *lua.LTable:
			var err error
			if req, err = e.encodeTable(v); err != nil {
				L.RaiseError("batch: encode: %s", err.Error())
			}
		default:
			L.ArgError(1, "message table or string of bytes expected")
		}
		L.Push(lua.LNumber(addBytes(L, req)))
		return 1
	})
	if hold != nil {
		hold(addBytes)
	}
	L.Push(fn)
	L.Push(add)
	ferr := e.pcall(L, what, 1, 0, nil)
	open = false
	if hold != nil {
		hold(nil)
	}
	errs, err := b.Wait()
	s.inBatch = false
	if err != nil && (ferr == nil || e.ctx(L).Err() != nil) {
		e.raiseBatch(L, err, b.Applied(), b.Len(), s.proto)
	}
	if ferr != nil {
		var ye *yieldError
		if errors.As(ferr, &ye) {
			L.Error(lua.LString(yieldReport(ye, errs, err)), 0)
		}
		var ae *lua.ApiError
		if errors.As(ferr, &ae) {
			L.Error(ae.Object, 0)
		}
		L.RaiseError("%s", ferr.Error())
	}
	e.pushBatchResults(L, errs, s.proto)
	return 2
}

// raiseBatch raises the error value of a batch cut short (by Ctrl-C or a
// socket failure) after n requests were queued, applied of which the
// kernel applied: it carries applied and requests. When Ctrl-C cut it,
// the Lua code the value would pass through cannot run any more, so Run
// returns it in place of the bare interruption.
func (e *Env) raiseBatch(L *lua.LState, err error, applied, n int, p *engine.Protocol) {
	what := "interrupted"
	if e.ctx(L).Err() == nil {
		what = "failed"
	}
	ne := &engine.Error{Op: "batch", Offset: -1, MissType: -1, MissNest: -1,
		Err: fmt.Errorf("%s (%w): %d of %d requests applied", what, err, applied, n)}
	var inner *engine.Error
	if errors.As(err, &inner) {
		ne.Errno = inner.Errno
	}
	t := e.errorValue(ne, p)
	t.RawSetString("applied", lua.LNumber(applied))
	t.RawSetString("requests", lua.LNumber(n))
	if e.ctx(L).Err() != nil {
		e.interrupted = t
	}
	L.Error(t, 1)
}

// yieldReport is the error of a batch whose function tried to yield: the
// yield's error, then what became of the requests queued before it (sent
// and acknowledged, as when the function raises any error).
func yieldReport(ye *yieldError, errs []error, err error) string {
	var b strings.Builder
	b.WriteString(lua.LVAsString(ye.Object))
	switch {
	case err != nil:
		fmt.Fprintf(&b, "; the batch failed: %s", err.Error())
	case len(errs) == 0:
		b.WriteString("; nothing was queued before it")
	default:
		failed, first := 0, ""
		for i, er := range errs {
			if er != nil {
				if failed++; failed == 1 {
					first = fmt.Sprintf(" (request %d: %s)", i+1, er.Error())
				}
			}
		}
		noun, verb := "requests", "were"
		if len(errs) == 1 {
			noun, verb = "request", "was"
		}
		fmt.Fprintf(&b, "; the %d %s queued before it %s sent, %d failed%s", len(errs), noun, verb, failed, first)
	}
	return b.String()
}

// pushBatchResults pushes a batch's results: a list with true or an error
// value per request, and the number that failed.
func (e *Env) pushBatchResults(L *lua.LState, errs []error, p *engine.Protocol) {
	out := L.CreateTable(len(errs), 0)
	failed := 0
	for _, er := range errs {
		if er == nil {
			out.Append(lua.LTrue)
			continue
		}
		failed++
		var ne *engine.Error
		if errors.As(er, &ne) {
			out.Append(e.errorValue(ne, p))
		} else {
			out.Append(lua.LString(er.Error()))
		}
	}
	L.Push(out)
	L.Push(lua.LNumber(failed))
}
