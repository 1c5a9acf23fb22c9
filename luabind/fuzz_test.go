package luabind

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// The chunks FuzzLuaDecode runs, one Env.Run each. Lua's own pcall turns a
// Go panic into an ordinary error value, so the chunks use no pcall: every
// step runs under Env.Run, whose error says whether Go panicked.
const (
	// fuzzSplit decodes the input framed prefix twice: msgs is read and
	// materialised, lazy is only asked m:get, which reads the raw bytes.
	fuzzSplit = `msgs = rtnl.decode(framed); lazy = rtnl.decode(framed); return #msgs`

	// fuzzTouch materialises message i and walks everything reachable
	// from it: every field, attribute, nest and record, tostring on each
	// table, and get/get_all of every attribute name on each table that has
	// the methods.
	fuzzTouch = `
local m = msgs[i]
local _ = m.header, m.event, m.attrs
local seen = {}
local function walk(v, depth)
  if type(v) ~= 'table' or seen[v] or depth > 64 then return end
  seen[v] = true
  tostring(v)
  if type(v.attrs) == 'table' and type(v.get) == 'function' then
    for _, p in ipairs(v.attrs) do
      if type(p) == 'table' and p[1] ~= nil then
        v:get(p[1]); v:get_all(p[1])
      end
    end
  end
  for k, x in pairs(v) do walk(k, depth + 1); walk(x, depth + 1) end
end
walk(m, 0)
return tostring(m)`

	// fuzzGet asks the still-lazy copy of message i for every top-level
	// attribute name and every two-name path into a nest, through
	// Message.Lookup. A name's value read from the bytes (m:get's fast
	// path) must be the one the decoded table holds; a mismatch is left in
	// the global mismatch, so that it fails even inputs allowed to raise.
	fuzzGet = `
local m, l = msgs[i], lazy[i]
local function same(a, b)
  if type(b) == 'table' and type(b.bytes) == 'string' then b = b.bytes end -- kept raw
  if type(a) == 'table' or type(b) == 'table' then return type(a) == type(b) end
  return a == b
end
for _, p in ipairs(m.attrs) do
  local a, b = l:get(p[1]), m:get(p[1])
  if not same(a, b) then
    mismatch = ('%s: read %s (%s), decoded %s (%s)'):format(tostring(p[1]), tostring(a), type(a), tostring(b), type(b))
  end
  l:get(p[1]); l:get_all(p[1])
  local v = p[2]
  if type(v) == 'table' and type(v.attrs) == 'table' then
    for _, q in ipairs(v.attrs) do l:get(p[1], q[1]); l:get_all(p[1], q[1]) end
  end
end`

	// fuzzEncode encodes the materialised message (through the Lua tables)
	// and the lazy one (its raw bytes).
	fuzzEncode = `return msgs[i]:encode(), lazy[i]:encode()`
)

// FuzzLuaDecode feeds bytes to rtnl.decode in Lua and touches everything the
// messages hold. Malformed input may raise Lua errors; it must never make Go
// panic. Kernel messages, in addition, must go through without any error and
// re-encode to their own bytes.
func FuzzLuaDecode(f *testing.F) {
	real := map[string]bool{}
	for _, m := range nstest.KernelMessages(f, filepath.Join("..", "testdata", "dumps")) {
		real[string(m)] = true
		f.Add(m)
	}
	for _, b := range [][]byte{
		{0x20, 0, 0, 0, 24, 0},                                                                    // a header cut short
		{0x10, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},                                   // a message, then one stray byte
		append(fuzzHeader(40, 24), make([]byte, 12)...),                                           // nlmsg_len past the end
		append(fuzzHeader(36, 24), append(make([]byte, 12), 0, 0, 1, 0, 9, 9, 9, 9)...),           // nla_len 0
		append(fuzzHeader(36, 24), append(make([]byte, 12), 0xff, 0, 1, 0, 9, 9, 9, 9)...),        // nla_len past the end
		append(fuzzHeader(33, 24), append(make([]byte, 12), 5, 0, 99, 0, 7, 0xff, 0xff, 0xff)...), // odd length, junk padding
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e := New(Options{Stdout: io.Discard})
		defer e.Close()
		e.L.Options.IncludeGoStackTrace = true // so a failure shows where Go panicked
		strict := real[string(data)]

		framed := data
		if _, err := engine.Split(data); err != nil {
			var fe *engine.FrameError
			if !errors.As(err, &fe) {
				t.Fatalf("Split: %T %v", err, err)
			}
			framed = data[:fe.Offset]
		}
		e.L.SetGlobal("data", lua.LString(data))
		e.L.SetGlobal("framed", lua.LString(framed))

		// The whole input: a framing error is an ordinary Lua error.
		luaStep(t, e, "rtnl.decode(data)", `rtnl.decode(data)`, strict)
		out, ok := luaStep(t, e, "split", fuzzSplit, true)
		if !ok {
			return
		}
		n := int(lua.LVAsNumber(out[0]))
		for i := 1; i <= n; i++ {
			e.L.SetGlobal("i", lua.LNumber(i))
			luaStep(t, e, "touch", fuzzTouch, strict)
			luaStep(t, e, "get", fuzzGet, strict)
			if m := e.L.GetGlobal("mismatch"); m != lua.LNil {
				t.Fatalf("message %d: m:get on the bytes and on the decoded table differ: %s", i, m)
			}
			out, ok := luaStep(t, e, "encode", fuzzEncode, strict)
			if strict && ok && (lua.LVAsString(out[0]) != string(data) || lua.LVAsString(out[1]) != string(data)) {
				t.Fatalf("kernel message does not re-encode to its bytes:\n got %x\nlazy %x\nwant %x",
					lua.LVAsString(out[0]), lua.LVAsString(out[1]), data)
			}
		}
	})
}

// luaStep runs one chunk. A Go panic inside it fails the test; so does any
// error when strict is set. It reports whether the chunk ran without error.
func luaStep(t *testing.T, e *Env, name, src string, strict bool) ([]lua.LValue, bool) {
	t.Helper()
	out, err := e.Run(context.Background(), name, src, nil)
	if err == nil {
		return out, true
	}
	var ae *lua.ApiError
	if errors.As(err, &ae) && ae.Type == lua.ApiErrorPanic {
		t.Fatalf("%s: Go panic: %v", name, err)
	}
	if strict {
		t.Fatalf("%s: %s", name, e.FormatError(err))
	}
	return nil, false
}

// fuzzHeader is an nlmsghdr claiming length l and type typ.
func fuzzHeader(l uint32, typ uint16) []byte {
	b := make([]byte, engine.HeaderLen)
	engine.Header{Length: l, Type: typ}.Put(b)
	return b
}
