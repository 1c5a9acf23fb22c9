package luabind

import (
	"context"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// output runs a chunk in a fresh Env (in namespace ns, "" for none) and
// returns what it printed.
func output(t *testing.T, ns, chunk string) string {
	t.Helper()
	e, out := newEnv(t, ns)
	run(t, e, chunk)
	return out.String()
}

// bump is the reproducer's counter: a local of the chunk that a closure
// changes.
const bump = "local c = 0; local function bump() c = c + 1 end\n"

// TestPcallKeepsUpvalues checks that a caught error leaves closures and the
// functions whose locals they share sharing them (gopher-lua#448 cut the
// link), for pcall and xpcall in scripts, nested, in coroutines and in
// nlsh's own protected calls; and that the upvalues of the frames an error
// unwinds are closed, as Lua 5.1 closes them.
func TestPcallKeepsUpvalues(t *testing.T) {
	for _, c := range []struct{ name, chunk, want string }{
		{"pcall", bump + "bump(); pcall(error, 'x'); bump(); print(c)", "2\n"},
		{"pcall of a Lua function", bump + "bump(); pcall(function() bump(); error('x') end); bump(); print(c)", "3\n"},
		{"xpcall", bump + "bump(); xpcall(function() error('x') end, function(e) return e end); bump(); print(c)", "2\n"},
		// gopher-lua's xpcall forgets its handler once a pcall inside
		// returns, and the next error cuts the link.
		{"xpcall after a pcall inside", bump + "bump(); xpcall(function() pcall(error, 'a'); error('b') end, function(e) return e end); bump(); print(c)", "2\n"},
		{"nested pcall", bump + "pcall(function() bump(); pcall(error, 'x'); bump() end); bump(); print(c)", "3\n"},
		{"error value", bump + "bump(); pcall(error, setmetatable({}, {__tostring = function() return 'e' end})); bump(); print(c)", "2\n"},
		{"in a coroutine", "print(coroutine.wrap(function()\n" + bump + "bump(); pcall(error, 'x'); bump(); return c end)())", "2\n"},
		{"a coroutine's error", bump + "bump(); coroutine.resume(coroutine.create(function() error('x') end)); bump(); print(c)", "2\n"},
		{"print's __tostring", bump + "bump(); pcall(print, setmetatable({}, {__tostring = function() error('x') end})); bump(); print(c)", "2\n"},
		{"ip verb refusing a spec", bump + "bump(); pcall(ip.link, 'set', {index = 1, mtuu = 1, dry = true}); bump(); print(c)", "2\n"},
		// A closure made in the failed call keeps its own value, however
		// the call thread is used after.
		{"closure of the failed call", "local f; pcall(function() local x = 1; f = function() x = x + 1; return x end; error('e') end)\n" +
			"f(); pcall(function() local a, b, c = 7, 8, 9 end); print(f())", "3\n"},
		{"closure of the failed xpcall", "local f; xpcall(function() local x = 'kept'; f = function() return x end; error('e') end, function(e) return e end)\n" +
			"pcall(function() local a, b, c = 'lost', 'lost', 'lost' end); print(f())", "kept\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, output(t, "", c.chunk)); diff != "" {
				t.Errorf("printed (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPcallKeepsUpvaluesKernel is TestPcallKeepsUpvalues for nlsh's calls
// that catch errors inside (ip.link_lookup of a missing name), also inside
// ip.batch, s:batch and a coroutine.
func TestPcallKeepsUpvaluesKernel(t *testing.T) {
	ns := nstest.New(t)
	for _, c := range []struct{ name, chunk, want string }{
		{"ip.link_lookup", bump + "bump(); ip.link_lookup('nosuch'); bump(); print(c)", "2\n"},
		{"inside ip.batch", bump + "ip.batch(function() bump(); ip.link_lookup('nosuch'); bump() end); bump(); print(c)", "3\n"},
		{"inside s:batch", bump + "local s = nl.socket('route')\ns:batch(function(add) bump(); pcall(s.request, s, rtnl.ifinfomsg()); bump() end); bump(); print(c)", "3\n"},
		{"in a coroutine", "print(coroutine.wrap(function()\n" + bump + "bump(); ip.link_lookup('nosuch'); bump(); return c end)())", "2\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, output(t, ns, c.chunk)); diff != "" {
				t.Errorf("printed (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPcallErrors checks what pcall and xpcall return as Lua 5.1 (and nlsh
// before calls had threads) do: error values unchanged, positions at the
// error's level (one past the called function naming the line that called
// pcall), several results, nested calls, error(nil), callable tables.
func TestPcallErrors(t *testing.T) {
	for _, c := range []struct{ name, chunk, want string }{
		{"string", "print(pcall(error, 'x'))", "false\ttest:1: x\n"},
		{"level 0", "print(pcall(error, 'x', 0))", "false\tx\n"},
		{"level 2", "print(pcall(function()\n error('y', 2) end))", "false\ttest:2: y\n"},
		{"level past pcall", "\nprint(pcall(function() error('y', 3) end))", "false\ttest:2: y\n"},
		{"through a tail call", "local function g()\n error('z') end\nprint(pcall(function() return g() end))", "false\ttest:2: z\n"},
		{"level past a tail call", "local function h() error('w', 3) end\nprint(pcall(function() return h() end))", "false\ttest:2: w\n"},
		{"Go function", "\nprint(pcall(assert, false, 'm'))", "false\ttest:2: m\n"},
		{"nlsh function", "print(pcall(rtnl.ifaddrmsg, {indx = 2}))", "false\ttest:1: rtnl.ifaddrmsg: unknown field 'indx' (did you mean 'index'?)\n"},
		{"ip verb", "\n\nprint(pcall(ip.rule, 'add', {form = '10.0.0.0/8'}))", "false\ttest:3: ip.rule: unknown key 'form' (did you mean 'from'?)\n"},
		{"runtime error", "print(pcall(function() local t; return t.x end))", "false\ttest:1: attempt to index a non-table object(nil) with key 'x'\n"},
		{"argument error", "print(pcall(error))", "false\ttest:1: bad argument #1 to (anonymous) (value expected)\n"},
		{"nil", "print(pcall(error, nil))", "false\tnil\n"},
		{"table with a metatable", "local mt = {__tostring = function() return 'E' end}\nlocal e = setmetatable({code = 'X'}, mt)\n" +
			"local ok, got = pcall(error, e)\nprint(ok, rawequal(got, e), getmetatable(got) == mt, got.code, tostring(got))", "false\ttrue\ttrue\tX\tE\n"},
		{"results", "print(select('#', pcall(function() return 1, nil, 3, nil end)), pcall(function() return 1, nil, 3 end))", "5\ttrue\t1\tnil\t3\n"},
		{"no results", "print(select('#', pcall(function() end)))", "1\n"},
		{"nested", "print(pcall(pcall, error, 'e'))", "true\tfalse\ttest:1: e\n"},
		{"rethrown", "print(pcall(function() local ok, e = pcall(error, 'inner', 0); error(e, 0) end))", "false\tinner\n"},
		{"callable table", "print(pcall(setmetatable({}, {__call = function(_, a) return 'called', a end}), 5))", "true\tcalled\t5\n"},
		{"not callable", "print(pcall(nil))", "false\tattempt to call a nil value\n"},
		{"xpcall handler", "print(xpcall(function() error('q') end, function(e) return 'handled: ' .. e end))", "false\thandled: test:1: q\n"},
		{"xpcall results", "print(xpcall(function() return 1, 2 end, print))", "true\t1\t2\n"},
		{"xpcall handler raising", "print((select(2, xpcall(function() error('q') end, function(e) error('again', 0) end))))", "again\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, output(t, "", c.chunk)); diff != "" {
				t.Errorf("printed (-want +got):\n%s", diff)
			}
		})
	}
	e, _ := newEnv(t, "")
	if got, want := runErr(t, e, "pcall()"), "test:1: bad argument #1 to pcall (value expected)"; got != want {
		t.Errorf("pcall(): %q, want %q", got, want)
	}
}

// TestXpcallTraceback: debug.traceback in an xpcall handler shows the frames
// where the error happened and, below xpcall, the caller's, as one Lua
// stack would.
func TestXpcallTraceback(t *testing.T) {
	got := output(t, "", `local function inner() error('deep') end
local function outer() inner() end
local function run() return xpcall(outer, debug.traceback) end
local ok, tb = run()
print(tb)`)
	want := `test:1: deep
stack traceback:
	[G]: in function 'error'
	test:1: in function 'inner'
	test:2: in function <test:2>
	[G]: in function 'xpcall'
	test:3: in function 'run'
	test:4: in main chunk
	[G]: ?
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("traceback (-want +got):\n%s", diff)
	}
}

// TestCallTraceback: an error in a function nlsh calls back (here print's
// __tostring) keeps the frames of that function in the traceback.
func TestCallTraceback(t *testing.T) {
	e, _ := newEnv(t, "")
	_, err := e.Run(context.Background(), "test", `local mt = {__tostring = function(t)
  local x; return x.boom end}
local function show(v) print(v) end
show(setmetatable({}, mt))`, nil)
	if err == nil {
		t.Fatal("no error")
	}
	want := `test:2: attempt to index a non-table object(nil) with key 'boom'
stack traceback:
	test:2: in function <test:1>
	test:3: in function 'show'
	test:4: in main chunk`
	if diff := cmp.Diff(want, e.FormatError(err)); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}

// TestYieldAcrossCalls resumes a coroutine that yields inside each call
// from Go back to Lua: the yield is refused with an error naming the call,
// nothing panics, and the Env works afterwards.
func TestYieldAcrossCalls(t *testing.T) {
	for _, c := range []struct{ name, setup, body, want string }{
		{"pcall", "", "return pcall(coroutine.yield, 1)", "true\tfalse\ttest:2: cannot yield across an nlsh call (pcall)\n"},
		{"pcall of a Lua function", "", "return pcall(function() coroutine.yield(1) end)", "true\tfalse\ttest:2: cannot yield across an nlsh call (pcall)\n"},
		{"xpcall", "", "return xpcall(function() coroutine.yield(1) end, function(e) return e end)", "true\tfalse\ttest:2: cannot yield across an nlsh call (xpcall)\n"},
		{"print's __tostring", "local v = setmetatable({}, {__tostring = function() coroutine.yield(1) end})",
			"print(v)", "false\ttest:1: cannot yield across an nlsh call (print)\n"},
		// The ip verbs call Lua only to read what a script gave them: a
		// spec, a multipath entry or metrics with metatables. (Filters,
		// ip.batch and ip.monitor are in TestYieldAcrossKernelCalls.)
		{"ip.route's spec read through __index", "local spec = setmetatable({dst = '10.1.0.0/16', oif = 1, dry = true}, {__index = function() coroutine.yield(1) end})",
			"ip.route('add', spec)", "false\ttest:1: cannot yield across an nlsh call (ip.route)\n"},
		{"ip.link's spec read through __index", "local spec = setmetatable({index = 1, mtu = 1400, dry = true}, {__index = function() coroutine.yield(1) end})",
			"ip.link('set', spec)", "false\ttest:1: cannot yield across an nlsh call (ip.link)\n"},
		{"ip.route's nexthop read through __index", "local nh = setmetatable({}, {__index = function() coroutine.yield(1) end})",
			"ip.route('add', {dst = '10.1.0.0/16', multipath = {nh}, dry = true})", "false\ttest:1: cannot yield across an nlsh call (ip.route: multipath)\n"},
		{"ip.route's metrics read through __index", "local mx = setmetatable({}, {__index = function() coroutine.yield(1) end})",
			"ip.route('add', {dst = '10.1.0.0/16', oif = 1, metrics = mx, dry = true})", "false\ttest:1: cannot yield across an nlsh call (ip.route)\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, out := newEnv(t, "")
			run(t, e, c.setup+"\nprint(coroutine.resume(coroutine.create(function() "+c.body+" end)))")
			if diff := cmp.Diff(c.want, out.String()); diff != "" {
				t.Errorf("printed (-want +got):\n%s", diff)
			}
			out.Reset()
			run(t, e, `local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
print(co(1), co(5), pcall(error, 'after', 0))`)
			if diff := cmp.Diff("2\t10\tfalse\tafter\n", out.String()); diff != "" {
				t.Errorf("after the yield (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCoroutinesInCalls: inside a call on a thread of its own, the running
// coroutine is still the caller's, generators work, and a coroutine that
// is not suspended is not resumed.
func TestCoroutinesInCalls(t *testing.T) {
	got := output(t, "", `local co = coroutine.create(function()
  local me = coroutine.running()
  print(pcall(function() return coroutine.running() == me, coroutine.status(me) end))
  print(pcall(coroutine.resume, me))
  print(pcall(function()
    local sum = 0
    for v in coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) do sum = sum + v end
    return sum, coroutine.running() == me, coroutine.status(me)
  end))
  print(coroutine.running() == me, coroutine.status(me))
  local inner
  inner = coroutine.create(function() return coroutine.resume(me) end)
  print(coroutine.resume(inner))
  return 'done'
end)
print(coroutine.resume(co))
print(pcall(function() return coroutine.running() end))
print(pcall(coroutine.yield))
local w = coroutine.wrap(function() return 1 end); w()
print(pcall(w))
local w2; w2 = coroutine.wrap(function() return w2() end)
print(pcall(w2))
print(select(2, pcall(coroutine.wrap(function() error({code = 'E'}) end))).code)`)
	want := `true	true	running
true	false	cannot resume non-suspended coroutine
true	6	true	running
true	running
true	false	cannot resume non-suspended coroutine
true	done
true	nil
false	test:18: can not yield from outside of a coroutine
false	test:20: can not resume a dead thread
false	test:21: cannot resume non-suspended coroutine
E
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("printed (-want +got):\n%s", diff)
	}
}

// TestYieldAcrossKernelCalls yields inside ip.batch, s:batch, an ip.links
// filter and ip.monitor's function: the yield is refused; a batch sends
// what was queued before (and says what became of it), nothing after.
func TestYieldAcrossKernelCalls(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	e, out := newEnv(t, ns)
	for _, c := range []struct{ name, body, want string }{
		{"ip.batch", `local n = ip.batch(function()
    ip.link('add', {ifname = 'b1', kind = 'veth', peer = 'b1p'})
    ip.link('add', {ifname = 'v0', kind = 'veth', peer = 'v0p'})
    coroutine.yield(1)
    ip.link('add', {ifname = 'b2', kind = 'veth', peer = 'b2p'})
  end)`, "false\ttest:5: cannot yield across an nlsh call (ip.batch); the 2 requests queued before it were sent, 1 failed (request 2: RTM_NEWLINK: file exists (EEXIST, errno 17))\n"},
		{"s:batch", `local s = nl.socket('route')
  local results = s:batch(function(add) coroutine.yield(1) end)`, "false\ttest:3: cannot yield across an nlsh call (s:batch); nothing was queued before it\n"},
		{"ip.links filter", `local links = ip.links(function(l) coroutine.yield(l) end)`,
			"false\ttest:2: cannot yield across an nlsh call (ip.links)\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out.Reset()
			run(t, e, "print(coroutine.resume(coroutine.create(function()\n  "+c.body+"\nend)))")
			if diff := cmp.Diff(c.want, out.String()); diff != "" {
				t.Errorf("printed (-want +got):\n%s", diff)
			}
		})
	}
	if got := linkNames(t, ns); !strings.Contains(got, " b1 ") || strings.Contains(got, " b2 ") {
		t.Errorf("links after the yielding batch: %s; want b1 (queued before the yield) and no b2", got)
	}

	t.Run("ip.monitor", func(t *testing.T) {
		out.Reset()
		// The event comes once the monitor listens: a link added meanwhile.
		added := make(chan error, 1)
		go func() {
			time.Sleep(300 * time.Millisecond)
			added <- exec.Command("ip", "-n", ns, "link", "add", "m0", "type", "veth", "peer", "name", "m1").Run()
		}()
		run(t, e, `print(coroutine.resume(coroutine.create(function()
  ip.monitor({'link'}, function(ev) coroutine.yield(ev) end, {timeout = 5})
end)))`)
		if err := <-added; err != nil {
			t.Fatalf("ip link add: %v", err)
		}
		if want := "cannot yield across an nlsh call (ip.monitor)"; !strings.Contains(out.String(), want) {
			t.Errorf("printed %q, want %q", out.String(), want)
		}
	})
}

// linkNames lists the namespace's interfaces, space-separated and padded.
func linkNames(t *testing.T, ns string) string {
	t.Helper()
	var names []string
	for _, l := range ipJSON(t, ns, "link", "show") {
		names = append(names, l["ifname"].(string))
	}
	return " " + strings.Join(names, " ") + " "
}

// TestPcallCancelled: Ctrl-C (the chunk's context ending) is not caught by
// a pcall in a loop, and the Env works afterwards.
func TestPcallCancelled(t *testing.T) {
	e, out := newEnv(t, "")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.Run(ctx, "spin", "while true do pcall(function() while true do end end) end", nil)
	if err == nil || !strings.Contains(err.Error(), context.DeadlineExceeded.Error()) {
		t.Errorf("error %v, want the context's", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancelling took %v", d)
	}
	run(t, e, "print(pcall(error, 'again', 0))")
	if diff := cmp.Diff("false\tagain\n", out.String()); diff != "" {
		t.Errorf("after the cancel (-want +got):\n%s", diff)
	}
}

// TestPcallRecursion: recursion through pcall ends with a stack overflow
// error rather than taking memory until the process dies.
func TestPcallRecursion(t *testing.T) {
	got := output(t, "", `local depth = 0
local function f()
  depth = depth + 1
  local ok, err = pcall(f)
  if not ok then print(depth, err) end
end
f()`)
	if !strings.Contains(got, "stack overflow") {
		t.Errorf("printed %q, want a stack overflow", got)
	}
}

// TestCoroutineStops checks that a coroutine that never yields ends when
// its chunk's context does (Ctrl-C, a timeout), resumed either way.
func TestCoroutineStops(t *testing.T) {
	e := New(Options{NetNS: noKernel, Stdout: io.Discard})
	defer e.Close()
	for _, src := range []string{
		"coroutine.wrap(function() while true do end end)()",
		"coroutine.resume(coroutine.create(function() while true do end end))",
		"local co = coroutine.create(function() coroutine.yield() while true do end end) coroutine.resume(co) coroutine.resume(co)",
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		done := make(chan error, 1)
		go func() { _, err := e.Run(ctx, "co", src, nil); done <- err }()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s: ended without an error", src)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: still running 5 s after its chunk's deadline", src)
		}
		cancel()
	}
	// The Env is still whole: a coroutine that finishes still does.
	if v := run(t, e, "return coroutine.wrap(function(a) return a + 1 end)(41)"); len(v) != 1 || v[0].String() != "42" {
		t.Errorf("after the interrupted coroutines: got %v, want 42", v)
	}
}
