package luabind

import (
	"context"
	"io"

	lua "github.com/yuin/gopher-lua"

	"nlsh/luabind/lessons"
)

// lessonHost is the Env as its lessons' host (lessons.Host); a value, as
// genlHost is.
type lessonHost struct{ e *Env }

func (h lessonHost) Stdout() io.Writer                         { return h.e.opts.Stdout }
func (h lessonHost) Context(L *lua.LState) context.Context     { return h.e.ctx(L) }
func (h lessonHost) RefuseReadOnly(L *lua.LState, what string) { h.e.refuseReadOnly(L, what) }
func (h lessonHost) Raise(L *lua.LState, op string, err error) { h.e.raise(L, op, err) }
func (h lessonHost) NetNS() string                             { return h.e.NetNS() }
func (h lessonHost) SetNetNS(ns string) error                  { return h.e.SetNetNS(ns) }

func (h lessonHost) Return(prev, left string) {
	e := h.e
	e.nsMu.Lock()
	e.netns = prev
	e.nsMu.Unlock()
	e.rebindIP(prev)
	e.forgetNetNS(left)
}

func (h lessonHost) OnReceive(f func([]byte)) {
	if f == nil {
		h.e.recvHook.Store(nil)
		return
	}
	h.e.recvHook.Store(&f)
}

// The checker is an Env of its own, in the lesson's namespace, printing
// nowhere.
func (h lessonHost) Checker(ns string) lessons.Checker {
	c := New(Options{NetNS: ns, Stdout: io.Discard, TraceOut: io.Discard, YNLPath: h.e.opts.YNLPath})
	return &lessonChecker{learner: h.e, c: c}
}

// lessonChecker is a lesson's checker Env, and the learner's it copies
// values from and to.
type lessonChecker struct{ learner, c *Env }

func (k *lessonChecker) State() *lua.LState          { return k.c.L }
func (k *lessonChecker) ErrorText(err error) string  { return k.c.ErrorText(err) }
func (k *lessonChecker) In(v lua.LValue) lua.LValue  { return handOver(k.learner, k.c, v, 0) }
func (k *lessonChecker) Out(v lua.LValue) lua.LValue { return handOver(k.c, k.learner, v, 0) }
func (k *lessonChecker) Close()                      { k.c.Close() }

func (k *lessonChecker) Run(ctx context.Context, name, src string) ([]lua.LValue, error) {
	return k.c.Run(ctx, name, src, nil)
}

func (k *lessonChecker) Call(ctx context.Context, what string, fn *lua.LFunction, args ...lua.LValue) ([]lua.LValue, error) {
	L := k.c.L
	L.SetContext(ctx)
	defer L.RemoveContext()
	top := L.GetTop()
	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	if err := k.c.pcall(L, what, len(args), lua.MultRet, nil); err != nil {
		L.SetTop(top)
		return nil, err
	}
	out := make([]lua.LValue, 0, L.GetTop()-top)
	for i := top + 1; i <= L.GetTop(); i++ {
		out = append(out, L.Get(i))
	}
	L.SetTop(top)
	return out, nil
}
