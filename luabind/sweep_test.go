package luabind

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/engine/nstest"
	"nlsh/luabind/helptext"
)

// The malformed-argument sweep (docs/reliability.md): every public function
// of the Lua modules, every method, and the functions and metamethods they
// hand out, called with argument lists no one should write. Each call must
// end in a normal return or a Lua error within its deadline: never a Go
// panic, recovered or not, and never a hang. gopher-lua turns a Go panic in
// a Go function into an ordinary-looking error, so the sweep wraps every Go
// function the Env can reach to see them.
//
// Every Env runs in a namespace the test creates, and a guard withholds any
// call whose arguments could name another namespace (a process id, a name
// under /run/netns, a path), so nothing leaves it. os.execute and io.popen
// are never called: the sweep calls nlsh's functions only, with callbacks of
// its own.
//
// go test runs a sample (a few seconds); NLSH_RELIABILITY=full, as the
// report command sets it, runs every argument list.

// reliabilityEnv set to "full" runs the reliability tests' long versions.
const reliabilityEnv = "NLSH_RELIABILITY"

func fullReliability() bool { return os.Getenv(reliabilityEnv) == "full" }

var sweepOnly = flag.String("sweep.only", "", "sweep only the functions whose names match this regular expression")

// sweepPool builds the malformed values, in the Env: it returns a list of
// {name = ..., v = ...} (v absent for nil).
const sweepPool = `
local P = {}
local function add(name, v) P[#P + 1] = {name = name, v = v} end
add('nil', nil)
add('true', true)
add('false', false)
for _, x in ipairs({0, 1, 2, 3, 16, 255, 256, 65535, 65536, 2^31 - 1, 2^31, 2^32 - 1, 2^32, 2^53, 2^53 + 2,
    2^63, 2^64, 1e308, -1, -2^31, -2^63, -1e308, 0.5, -0.5, 1e-300}) do
  add('number ' .. string.format('%.17g', x), x)
end
add('-0', -0.0)
add('nan', 0/0)
add('inf', math.huge)
add('-inf', -math.huge)
for _, s in ipairs({'', 'x', ' ', 'route', 'generic', 'lo', 'v0', 'add', 'del', 'dump', 'link', 'up', 'veth',
    'htb', 'IFLA_IFNAME', 'RTM_NEWLINK', 'NLM_F_REQUEST|NLM_F_DUMP', 'NLM_F_NOPE', '|', 'NLM_F_REQUEST|',
    '10.0.0.1', '10.0.0.0/24', '10.0.0.0/33', '10.0.0.1/-1', '300.1.1.1', '::1', 'fe80::1%v0', '::/129',
    'default', 'aa:bb:cc:dd:ee:ff', 'aa:bb', '1:', '1:2', 'ffff:ffff', ':', 'x:y', '%s%d%n%%', '%',
    '\0', 'a\0b', '\255\254\253', 'é', '\n', '-1', '0x10', '1e999', 'nan', 'inf', '4294967296',
    '18446744073709551616', '-9223372036854775809', '1.5', '1kbit', '1000000000000tbit', '-1ms',
    ('x'):rep(16), ('x'):rep(256)}) do
  add(string.format('string %q', s), s)
end
add('string 1 MiB', ('A'):rep(1048576))
add('string 64 KiB of NUL', ('\0'):rep(65536))
add('string 400 digits', ('9'):rep(400))
add('bytes: a link dump request', rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = 'NLM_F_REQUEST|NLM_F_DUMP'}}:encode())
add('bytes: a bare NLMSG_ERROR header', '\16\0\0\0\2\0\0\0\0\0\0\0\0\0\0\0')
add('bytes: nlmsg_len 2^32-1', '\255\255\255\255\16\0\5\3\0\0\0\0\0\0\0\0')
add('bytes: an attribute longer than its message', '\24\0\0\0\16\0\5\3\0\0\0\0\0\0\0\0\255\0\3\0\0\0\0\0')

add('{}', {})
add('{{}}', {{}})
local cyc = {}
cyc[1], cyc.attrs, cyc.header, cyc.x = cyc, cyc, cyc, cyc
add('a table holding itself', cyc)
local deep = {}
local d = deep
for i = 1, 400 do d[1] = {}; d = d[1] end
add('tables nested 400 deep', deep)
local nest = {'IFLA_LINKINFO', {}}
local n = nest
for i = 1, 400 do local inner = {'IFLA_INFO_DATA', {}}; n[2] = {inner}; n = inner end
add('an attribute nested 400 deep', nest)
add('{attrs = nested 400 deep}', {attrs = {nest}})
add('{1, 2, 3}', {1, 2, 3})
add("{'link', 'addr'}", {'link', 'addr'})
add("{'link'}", {'link'})
add("{'link', 1e10, {}}", {'link', 1e10, {}})
add('{[1] = 1, [3] = 3}', {[1] = 1, [3] = 3})
add('{[0] = 0}', {[0] = 0})
add('{[-1] = 1}', {[-1] = 1})
add('{[1e300] = 1}', {[1e300] = 1})
add('{[true] = 1}', {[true] = 1})
add('{[{}] = 1}', {[{}] = 1})
add('{[print] = 1}', {[print] = 1})
add('{x = 1}', {x = 1})
add('__index raises', setmetatable({}, {__index = function() error('index boom') end}))
add('__newindex raises', setmetatable({}, {__newindex = function() error('newindex boom') end}))
add('__tostring raises', setmetatable({}, {__tostring = function() error('tostring boom') end}))
add('__tostring returns a table', setmetatable({}, {__tostring = function() return {} end}))
add('__call, __eq, __lt, __concat', setmetatable({}, {__call = function() return 1 end, __eq = function() error('eq') end,
  __lt = function() error('lt') end, __concat = function() error('concat') end}))
add('__metatable protected', setmetatable({}, {__metatable = 'locked'}))
add("{header = 'x'}", {header = 'x'})
add("{header = {type = 'RTM_NOPE'}}", {header = {type = 'RTM_NOPE'}})
add('{header = {bad numbers}}', {header = {type = 1e20, flags = {}, length = -1, sequence_number = 0/0, pid = -1}})
add('{header = itself}', {header = cyc})
add("{attrs = 'x'}", {attrs = 'x'})
add('{attrs = {1}}', {attrs = {1}})
add('{attrs = {{}}}', {attrs = {{}}})
add("{attrs = {{'IFLA_IFNAME'}}}", {attrs = {{'IFLA_IFNAME'}}})
add("{attrs = {{'IFLA_IFNAME', {}}}}", {attrs = {{'IFLA_IFNAME', {}}}})
add("{attrs = {{'IFLA_IFNAME', 70000 bytes}}}", {attrs = {{'IFLA_IFNAME', ('x'):rep(70000)}}})
add("{attrs = {{'NOPE', 1}}}", {attrs = {{'NOPE', 1}}})
add("{attrs = {{1e10, 'x'}}}", {attrs = {{1e10, 'x'}}})
add("{attrs = {{-1, 'x'}}}", {attrs = {{-1, 'x'}}})
add("{attrs = {{'IFLA_LINKINFO', itself}}}", {attrs = {{'IFLA_LINKINFO', cyc}}})
add('{family = nan, index = -1}', {family = 0/0, index = -1})
add("{index = 'x', ifname = {}}", {index = 'x', ifname = {}})
add("{'IFA_LOCAL', '10.0.0.1'}", {'IFA_LOCAL', '10.0.0.1'})
add("{{'IFA_LOCAL', 'x'}}", {{'IFA_LOCAL', 'x'}})

add('function: returns nothing', function() end)
add('function: raises a string', function() error('boom') end)
add('function: raises a table', function() error({code = 'x'}) end)
add('function: raises nil', function() error() end)
add('function: raises an error whose __tostring raises', function()
  error(setmetatable({}, {__tostring = function() error('x') end}))
end)
add('function: yields', function() coroutine.yield(1) end)
add('function: returns its arguments', function(...) return ... end)
add('function: returns false', function() return false end)
add('function: returns a table', function() return {} end)
add('function: returns nan', function() return 0/0 end)
add('function: loops for ever', function() while true do end end)
add('Go function math.floor', math.floor)
add('nlsh function nl.socket', nl.socket)

add('coroutine: fresh', coroutine.create(function() end))
local dead = coroutine.create(function() end)
coroutine.resume(dead)
add('coroutine: dead', dead)
local susp = coroutine.create(function() coroutine.yield() end)
coroutine.resume(susp)
add('coroutine: suspended', susp)
local failed = coroutine.create(function() error('x') end)
coroutine.resume(failed)
add('coroutine: died of an error', failed)
add('coroutine.wrap function', coroutine.wrap(function() end))

add('userdata: io.stdout', io.stdout)
add('userdata: a channel', channel.make())
add('socket: open', nl.socket('route'))
local closed = nl.socket('route')
closed:close()
add('socket: closed', closed)

local ok, v = pcall(rtnl.ifinfomsg)
if ok then add('message: rtnl.ifinfomsg{}', v) end
ok, v = pcall(rtnl.ifinfomsg, {index = 1, attrs = {{'IFLA_IFNAME', 'lo'}}})
if ok then add('message: with attrs', v) end
local links = nl.socket('route'):request(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = 'NLM_F_REQUEST|NLM_F_DUMP'}})
add('message: decoded', links[1])
add('a list of decoded messages', links)
for _, l in ipairs(links) do
  local li = l:get('IFLA_LINKINFO')
  if li then add('nested value: IFLA_LINKINFO', li) break end
end
local _, err = pcall(ip.link, 'add', {ifname = 'lo', kind = 'veth', peer = 'v9'})
add('error value', err)
add("nl.raw('x')", nl.raw('x'))
ok, v = pcall(genl.family, 'nlctrl')
if ok then add('genl family nlctrl', v) end
add('module ip', ip)
add('module nl', nl)
add('_G', _G)
add('module string', string)
return P
`

// sweepSelfs builds the good self values of each kind of method.
const sweepSelfs = `
local dump = {type = RTM_GETLINK, flags = 'NLM_F_REQUEST|NLM_F_DUMP'}
local links = nl.socket('route'):request(rtnl.ifinfomsg{header = dump})
local msg = {rtnl.ifinfomsg{index = 1, attrs = {{'IFLA_IFNAME', 'lo'}}}, rtnl.rtmsg{family = AF_INET}, links[1], links[#links]}
for _, l in ipairs(links) do
  local li = l:get('IFLA_LINKINFO')
  if li then msg[#msg + 1] = li break end
end
local closed = nl.socket('route')
closed:close()
local sock = {nl.socket('route'), nl.socket('generic'), closed}
local family = {}
for _, name in ipairs({'nlctrl', 'ethtool', 'netdev'}) do
  local ok, f = pcall(genl.family, name)
  if ok then family[#family + 1] = f end
end
local _, err = pcall(ip.link, 'add', {ifname = 'lo', kind = 'veth', peer = 'v9'})
return {msg = msg, sock = sock, family = family, err = {err}}
`

// sweepDerived are functions the modules hand out, swept as the others:
// each source returns the function (and the kind of its self, if a method).
var sweepDerived = []struct{ name, src, self string }{
	{"nl.events() iterator", `return (nl.events({'link'}, {timeout = 0.001}))`, ""},
	{"nl.events() close", `local _, close = nl.events({'link'}); return close`, ""},
	{"sock:each() iterator", `return nl.socket('route'):each(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = 'NLM_F_REQUEST|NLM_F_DUMP'}})`, ""},
	{"family:each() iterator", `return genl.family('nlctrl'):each('getfamily')`, ""},
	{"family:subscribe() iterator", `return (genl.family('nlctrl'):subscribe('notify', {timeout = 0.001}))`, ""},
	{"family:subscribe() close", `local _, close = genl.family('nlctrl'):subscribe('notify'); return close`, ""},
	{"sock:batch() add", `return function(...)
  local a, n = {...}, select('#', ...)
  return nl.socket('route'):batch(function(add) return add(unpack(a, 1, n)) end)
end`, ""},
	{"error:explain", `local _, e = pcall(ip.link, 'add', {ifname = 'lo', kind = 'veth', peer = 'v9'}); return e.explain`, "err"},
}

// sweepStdlib are the functions of Lua's base library and of os that the
// sweep calls besides whole modules. Not called: os.execute and io.popen
// (they run commands), os.exit, os.remove, os.rename, os.tmpname and
// os.setenv (they change the process or the files), io, dofile, loadfile,
// require and module (files), and debug (it may take any Env apart).
var sweepStdlib = []string{
	"assert", "error", "pcall", "xpcall", "print", "select", "tostring", "tonumber", "type", "unpack",
	"ipairs", "pairs", "next", "rawget", "rawset", "rawequal", "setmetatable", "getmetatable",
	"loadstring", "load", "collectgarbage", "getfenv", "setfenv",
	"os.time", "os.date", "os.clock", "os.difftime", "os.getenv", "debug.traceback",
}

// sweepArg is one argument of a call, named for reports.
type sweepArg struct {
	name string
	v    lua.LValue
}

// sweepTarget is a function to sweep.
type sweepTarget struct {
	name  string
	fn    lua.LValue
	selfs []lua.LValue // a method's good self values; nil for a function
}

// sweepStats counts what the calls of one target did.
type sweepStats struct {
	calls, returned, errors, deadline, withheld int
	generated                                   int
	msgs                                        map[string]bool
	took                                        time.Duration
}

// sweeper runs the calls of one test.
type sweeper struct {
	t        *testing.T
	ns       string
	full     bool
	deadline time.Duration

	mu       sync.Mutex
	panics   []string // Go panics the wrappers saw, with stacks
	inCall   atomic.Pointer[string]
	started  atomic.Int64 // unix nanoseconds the current call started
	wrapped  map[*lua.LFunction]bool
	names    map[*lua.LFunction]string
	stats    map[string]*sweepStats
	allMsgs  map[string]bool
	unclear  map[string]string // a Lua runtime error of nlsh's own code -> the call that raised it
	overlong map[string]string // a message longer than maxErrorLen -> the call
	// overlongBy holds the first overlong message of each function.
	overlongBy map[string]string
	garbled    map[string]string // an empty message or one fmt garbled -> the call
	longest    int
	total      sweepStats

	wait       time.Duration  // the current function's shorter deadline, if any
	generated  int            // argument lists made for the current function
	fixtureDue int            // the sample checks the fixture before every 8th function
	chunk      *lua.LFunction // the call, compiled in chunkEnv
	chunkEnv   *Env
}

// maxFullCalls bounds the calls the full run makes to one function, drawn
// from all the argument lists made for it, so that it ends in minutes.
const maxFullCalls = 5000

// fewCalls bounds the calls to functions that are slow by design.
var fewCalls = map[string]int{
	"lua collectgarbage": 10, // a whole garbage collection a call
}

// shortDeadline is the deadline of a function's calls once ten of them
// waited until theirs.
const shortDeadline = 5 * time.Millisecond

// maxErrorLen bounds a clear error message: one that repeats a megabyte of
// its input back is not one.
const maxErrorLen = 4096

// panicText matches what a Go runtime panic says, should one reach Lua
// without passing a wrapper.
var panicText = regexp.MustCompile(`runtime error:|interface conversion:|invalid memory address|nil pointer|index out of range \[|slice bounds out of range|close of closed channel|send on closed channel|assignment to entry in nil map|goroutine \d+ \[`)

// unclearText matches Lua's own runtime errors, which say how nlsh's Lua
// code failed rather than what was wrong with the input.
var unclearText = regexp.MustCompile(`attempt to (index|call|compare|perform arithmetic|concatenate)`)

// garbledText matches what fmt writes for a verb without its argument.
var garbledText = regexp.MustCompile(`%!|\(MISSING\)|%!\(EXTRA`)

// TestSweep is the malformed-argument sweep (see the top of this file).
func TestSweep(t *testing.T) {
	ns := nstest.New(t)
	s := &sweeper{t: t, ns: ns, full: fullReliability(), deadline: 50 * time.Millisecond,
		stats: map[string]*sweepStats{}, allMsgs: map[string]bool{}, unclear: map[string]string{}, overlong: map[string]string{}, overlongBy: map[string]string{}, garbled: map[string]string{}}
	if s.full {
		s.deadline = 500 * time.Millisecond
	}
	t.Chdir(t.TempDir()) // nl.pcap.open writes where it is told
	host := hostNetwork(t)
	sweepFixture(t, ns)
	stop := s.watchdog()
	defer stop()

	var only *regexp.Regexp
	if *sweepOnly != "" {
		only = regexp.MustCompile(*sweepOnly)
	}
	names := s.targetNames()
	start := time.Now()
	swept := 0
	// The sample shares one Env between the functions; the full run gives
	// each its own.
	var shared *sweepEnv
	for _, name := range names {
		if only != nil && !only.MatchString(name) {
			continue
		}
		swept++
		t0 := time.Now()
		if !s.full && !isolated[name] && shared == nil {
			shared = s.setup()
		}
		var se *sweepEnv
		if !s.full && !isolated[name] {
			se = shared
		}
		if s.sweepOne(name, se) && se != nil {
			shared.e.Close()
			shared = nil
		}
		if st := s.stats[name]; st != nil {
			st.took = time.Since(t0)
			t.Logf("figure sweep.fn %s: generated=%d calls=%d returned=%d errors=%d deadline=%d withheld=%d distinct=%d seconds=%.2f",
				name, st.generated, st.calls, st.returned, st.errors, st.deadline, st.withheld, len(st.msgs), st.took.Seconds())
		}
	}
	if shared != nil {
		shared.e.Close()
	}
	elapsed := time.Since(start)

	// Nothing outside the test's namespace changed, and the sweep left no
	// namespace of its own behind.
	if diff := diffLines(host, hostNetwork(t)); diff != "" {
		t.Errorf("the host's links or addresses changed during the sweep:\n%s", diff)
	}
	if left, _ := engine.ListNetNS(); len(left) > 0 {
		for _, n := range left {
			if strings.HasPrefix(n, ns+"-") {
				t.Errorf("the sweep left namespace %s behind", n)
				engine.DelNetNS(n)
			}
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.panics {
		t.Errorf("Go panic: %s", p)
	}
	for msg, call := range s.garbled {
		t.Errorf("garbled error %q from %s", msg, call)
	}
	// Unclear and overlong messages are reported, not failures: most come
	// from the ip module's Lua, which is being reshaped.
	for _, l := range sortedPairs(s.unclear) {
		t.Logf("figure sweep.unclear_example: %s", l)
	}
	for _, l := range sortedPairs(s.overlong) {
		t.Logf("figure sweep.overlong_example: %.100q… ← %s", l[:strings.Index(l, " ← ")], l[strings.Index(l, " ← ")+len(" ← "):])
	}
	mode := "sample"
	if s.full {
		mode = "full"
	}
	t.Logf("figure sweep.mode: %s", mode)
	t.Logf("figure sweep.functions: %d", swept)
	t.Logf("figure sweep.calls: %d", s.total.calls)
	t.Logf("figure sweep.returned: %d", s.total.returned)
	t.Logf("figure sweep.errors: %d", s.total.errors)
	t.Logf("figure sweep.deadline: %d", s.total.deadline)
	t.Logf("figure sweep.withheld: %d", s.total.withheld)
	t.Logf("figure sweep.distinct: %d", len(s.allMsgs))
	t.Logf("figure sweep.longest: %d", s.longest)
	t.Logf("figure sweep.panics: %d", len(s.panics))
	t.Logf("figure sweep.unclear: %d", len(s.unclear))
	t.Logf("figure sweep.overlong: %d", len(s.overlong))
	t.Logf("figure sweep.garbled: %d", len(s.garbled))
	t.Logf("figure sweep.deadline_ms: %d", s.deadline.Milliseconds())
	t.Logf("figure sweep.seconds: %.1f", elapsed.Seconds())
}

// sweepFixture gives the namespace something for the verbs to find: lo up,
// a veth pair with an address and a route. It is made again whenever a
// call deleted it.
func sweepFixture(t *testing.T, ns string) {
	t.Helper()
	if exec.Command("ip", "-n", ns, "link", "show", "v0").Run() == nil {
		return
	}
	exec.Command("ip", "-n", ns, "link", "del", "v1").Run()
	for _, args := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "set", "v0", "up"},
		{"link", "set", "v1", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"route", "add", "10.9.0.0/16", "via", "10.0.0.2"},
	} {
		nstest.IP(t, ns, args...)
	}
}

// hostNetwork lists the links and addresses of the test process's own
// namespace, to compare before and after.
func hostNetwork(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, args := range [][]string{{"-o", "link", "show"}, {"-o", "addr", "show"}} {
		out, err := exec.Command("ip", args...).Output()
		if err != nil {
			t.Fatalf("ip %s: %v", strings.Join(args, " "), err)
		}
		for _, l := range strings.Split(string(out), "\n") {
			// Counters and states may move; names, indices and addresses may not.
			f := strings.Fields(l)
			if len(f) >= 4 && args[1] == "addr" {
				b.WriteString(strings.Join(f[:4], " ") + "\n")
			} else if len(f) >= 2 {
				b.WriteString(strings.Join(f[:2], " ") + "\n")
			}
		}
	}
	return b.String()
}

// diffLines returns the lines of b not in a and of a not in b.
func diffLines(a, b string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for l := range ma {
		if !mb[l] {
			out = append(out, "- "+l)
		}
	}
	for l := range mb {
		if !ma[l] {
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// watchdog fails the test, loudly, if a call outlives its deadline by far:
// a Go function that ignores its context would otherwise stop the sweep
// for ever. It returns the function that stops it.
func (s *sweeper) watchdog() func() {
	done := make(chan struct{})
	grace := s.deadline + 10*time.Second
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			st := s.started.Load()
			if st == 0 || time.Since(time.Unix(0, st)) < grace {
				continue
			}
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			fmt.Fprintf(os.Stderr, "sweep: a call hung for %v: %s\n%s\n", grace, s.current(), buf)
			panic("sweep: a call hung past its deadline: " + s.current())
		}
	}()
	return func() { close(done) }
}

// newEnv makes an Env for one target: in the test's namespace, printing
// nowhere, every Go function it can reach wrapped.
func (s *sweeper) newEnv() *Env {
	e := New(Options{NetNS: s.ns, Stdout: io.Discard, TraceOut: io.Discard})
	if _, err := e.Run(context.Background(), "sweep", "local _ = ip.link, ip.addr, ip.route, ip.neigh, ip.rule, ip.tc, ip.monitor", nil); err != nil {
		s.t.Fatalf("loading ip: %s", e.FormatError(err))
	}
	s.mu.Lock()
	s.wrapped = map[*lua.LFunction]bool{}
	s.names = map[*lua.LFunction]string{}
	for f, n := range e.functionNames() {
		s.names[f] = n
	}
	s.mu.Unlock()
	e.readyCalls() // made on first use: wrap them too
	seen := map[lua.LValue]bool{}
	s.wrapAll(e.L.G.Global, seen, -1)
	s.wrapAll(e.L.G.Registry, seen, -1)
	for _, v := range []lua.LValue{e.methods, e.nestMeta, e.errMeta, e.rawMeta, e.sockMeta, e.genl.Meta(), e.genl.Methods(),
		e.lazyIndex, e.lazyNewIndex, e.msgToString, e.calls.bridge, e.calls.raise, e.calls.handle} {
		if v != nil {
			s.wrapAll(v, seen, -1)
		}
	}
	for _, mt := range e.classMetas {
		s.wrapAll(mt, seen, -1)
	}
	return e
}

// wrapAll wraps every Go function reachable from v (depth levels deep, or
// all when negative): a panic in one is recorded with its stack, then goes
// on as before. Go functions a wrapped function returns are wrapped too.
func (s *sweeper) wrapAll(v lua.LValue, seen map[lua.LValue]bool, depth int) {
	if depth == 0 || v == nil {
		return
	}
	switch x := v.(type) {
	case *lua.LTable:
		if seen[x] {
			return
		}
		seen[x] = true
		x.ForEach(func(k, v lua.LValue) {
			s.wrapAll(k, seen, depth-1)
			s.wrapAll(v, seen, depth-1)
		})
		if x.Metatable != nil {
			s.wrapAll(x.Metatable, seen, depth-1)
		}
	case *lua.LUserData:
		if seen[x] {
			return
		}
		seen[x] = true
		s.wrapAll(x.Metatable, seen, depth-1)
		s.wrapAll(x.Env, seen, depth-1)
	case *lua.LFunction:
		if seen[x] {
			return
		}
		seen[x] = true
		if x.IsG {
			s.wrap(x)
			return
		}
		for _, uv := range x.Upvalues {
			if uv != nil {
				s.wrapAll(uv.Value(), seen, depth-1)
			}
		}
		s.wrapAll(x.Env, seen, depth-1)
	}
}

func (s *sweeper) wrap(f *lua.LFunction) {
	s.mu.Lock()
	if s.wrapped[f] {
		s.mu.Unlock()
		return
	}
	s.wrapped[f] = true
	name := s.names[f]
	s.mu.Unlock()
	if name == "" {
		name = "a Go function"
	}
	orig := f.GFunction
	f.GFunction = func(L *lua.LState) (n int) {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(*lua.ApiError); !ok {
					s.mu.Lock()
					s.panics = append(s.panics, fmt.Sprintf("%v in %s, during %s\n%s", r, name, s.current(), debug.Stack()))
					s.mu.Unlock()
				}
				panic(r)
			}
		}()
		n = orig(L)
		top := L.GetTop()
		for i := top - n + 1; i <= top && n > 0; i++ {
			if i >= 1 {
				s.wrapAll(L.Get(i), map[lua.LValue]bool{}, 2)
			}
		}
		return n
	}
}

// targetNames lists what the sweep calls: every function help knows,
// the derived functions, and the metamethods written in Go.
func (s *sweeper) targetNames() []string {
	e := New(Options{NetNS: s.ns, Stdout: io.Discard, TraceOut: io.Discard})
	defer e.Close()
	var names []string
	for _, tg := range s.targets(e) {
		names = append(names, tg.name)
	}
	sort.Strings(names)
	return names
}

// targets resolves every target in e.
func (s *sweeper) targets(e *Env) []sweepTarget {
	if _, err := e.Run(context.Background(), "sweep", "local _ = ip.link", nil); err != nil {
		s.t.Fatalf("loading ip: %s", e.FormatError(err))
	}
	selfs := s.selfs(e)
	var out []sweepTarget
	for f, name := range e.functionNames() {
		tg := sweepTarget{name: name, fn: f}
		if kind, _, ok := strings.Cut(name, ":"); ok {
			tg.selfs = selfs[kind]
		}
		out = append(out, tg)
	}
	// The standard library a script can reach, nlsh's replacements
	// included (pcall, xpcall, error, print, coroutine, string.format,
	// debug.traceback): what a user types may not crash nlsh either.
	g := e.L.G.Global
	for _, lib := range []string{"string", "table", "math", "coroutine", "channel"} {
		if t, ok := g.RawGetString(lib).(*lua.LTable); ok {
			t.ForEach(func(k, v lua.LValue) {
				if f, ok := v.(*lua.LFunction); ok {
					out = append(out, sweepTarget{name: "lua " + lib + "." + k.String(), fn: f})
				}
			})
		}
	}
	for _, path := range sweepStdlib {
		var v lua.LValue = g
		for _, k := range strings.Split(path, ".") {
			if t, ok := v.(*lua.LTable); ok {
				v = t.RawGetString(k)
			}
		}
		if f, ok := v.(*lua.LFunction); ok {
			out = append(out, sweepTarget{name: "lua " + path, fn: f})
		}
	}
	for _, d := range sweepDerived {
		vals, err := e.Run(context.Background(), "sweep", d.src, nil)
		if err != nil || len(vals) == 0 {
			s.t.Errorf("%s: %v", d.name, e.FormatError(err))
			continue
		}
		tg := sweepTarget{name: d.name, fn: vals[0]}
		if d.self != "" {
			tg.selfs = selfs[d.self]
		}
		out = append(out, tg)
	}
	// Metamethods written in Go, with an instance each as self.
	metas := []struct {
		kind string
		mt   *lua.LTable
		self []lua.LValue
	}{
		{"socket", e.sockMeta, selfs["sock"]},
		{"family", e.genl.Meta(), selfs["family"]},
		{"error value", e.errMeta, selfs["err"]},
		{"raw value", e.rawMeta, nil},
		{"nested value", e.nestMeta, selfs["msg"]},
	}
	for _, m := range selfs["msg"] {
		if t, ok := m.(*lua.LTable); ok && t.Metatable != nil {
			if mt, ok := t.Metatable.(*lua.LTable); ok {
				kind := "message"
				if mt.RawGetString("__metatable") != lua.LNil {
					kind = "decoded message"
				}
				metas = append(metas, struct {
					kind string
					mt   *lua.LTable
					self []lua.LValue
				}{kind, mt, []lua.LValue{m}})
			}
		}
	}
	seen := map[string]bool{}
	for _, m := range metas {
		m.mt.ForEach(func(k, v lua.LValue) {
			f, ok := v.(*lua.LFunction)
			name := fmt.Sprintf("metamethod %s.%s", m.kind, k.String())
			if !ok || !f.IsG || seen[name] {
				return
			}
			seen[name] = true
			self := m.self
			if self == nil {
				self = []lua.LValue{lua.LNil}
			}
			out = append(out, sweepTarget{name: name, fn: f, selfs: self})
		})
	}
	return out
}

// selfs builds the good self values of each method kind in e.
func (s *sweeper) selfs(e *Env) map[string][]lua.LValue {
	vals, err := e.Run(context.Background(), "sweep", sweepSelfs, nil)
	if err != nil {
		s.t.Fatalf("self values: %s", e.FormatError(err))
	}
	out := map[string][]lua.LValue{}
	vals[0].(*lua.LTable).ForEach(func(k, v lua.LValue) {
		l := v.(*lua.LTable)
		for i := 1; i <= l.Len(); i++ {
			out[k.String()] = append(out[k.String()], l.RawGetInt(i))
		}
	})
	return out
}

// pool builds the malformed values in e.
func (s *sweeper) pool(e *Env) []sweepArg {
	vals, err := e.Run(context.Background(), "sweep", sweepPool, nil)
	if err != nil {
		s.t.Fatalf("pool: %s", e.FormatError(err))
	}
	l := vals[0].(*lua.LTable)
	var out []sweepArg
	for i := 1; i <= l.Len(); i++ {
		p := l.RawGetInt(i).(*lua.LTable)
		out = append(out, sweepArg{p.RawGetString("name").String(), p.RawGetString("v")})
	}
	// Big tables are quicker made in Go.
	many := e.L.CreateTable(0, 10000)
	for i := range 10000 {
		many.RawSetString("k"+strconv.Itoa(i), lua.LNumber(i))
	}
	long := e.L.CreateTable(100000, 0)
	for i := range 100000 {
		long.RawSetInt(i+1, lua.LNumber(i))
	}
	out = append(out, sweepArg{"a table of 10,000 keys", many}, sweepArg{"a list of 100,000 numbers", long})
	ud := e.L.NewUserData()
	ud.Value = struct{ x int }{1}
	out = append(out, sweepArg{"userdata: bare, no metatable", ud}, sweepArg{"userdata: nil value", e.L.NewUserData()})
	// Not given: a thread made in Go and never given a function, on which
	// gopher-lua's coroutine.resume dereferences a missing call frame. No
	// script can hold one (coroutine.running hides nlsh's call threads).
	return out
}

// sweepEnv is an Env set up for sweeping: its targets and its pool.
type sweepEnv struct {
	e       *Env
	targets map[string]*sweepTarget
	pool    []sweepArg
}

// setup makes a sweepEnv.
func (s *sweeper) setup() *sweepEnv {
	e := s.newEnv()
	se := &sweepEnv{e: e, targets: map[string]*sweepTarget{}}
	seen := map[lua.LValue]bool{}
	for _, tg := range s.targets(e) {
		se.targets[tg.name] = &tg
		if f, ok := tg.fn.(*lua.LFunction); ok {
			s.mu.Lock()
			if s.names[f] == "" {
				s.names[f] = tg.name
			}
			s.mu.Unlock()
		}
		s.wrapAll(tg.fn, seen, -1)
		for _, v := range tg.selfs {
			s.wrapAll(v, seen, -1)
		}
	}
	se.pool = s.pool(e)
	for _, p := range se.pool {
		s.wrapAll(p.v, seen, 3)
	}
	return se
}

// takesEnvApart are the functions that may leave an Env without its
// globals or modules, as Lua lets them: they get an Env of their own and
// no check that it still works.
var takesEnvApart = map[string]bool{"lua setfenv": true, "lua rawset": true, "lua setmetatable": true}

// isolated are the functions that change how the Env behaves from then on
// (read-only mode, tracing, capturing): the sample sweeps them in Envs of
// their own, as the full run sweeps everything.
var isolated = map[string]bool{"nl.read_only": true, "nl.trace": true, "nl.pcap.open": true, "nl.pcap.close": true,
	"lua setfenv": true, "lua rawset": true, "lua setmetatable": true}

// sweepOne sweeps one target in se, or an Env of its own if se is nil.
func (s *sweeper) sweepOne(name string, se *sweepEnv) (broken bool) {
	t := s.t
	if s.full || s.fixtureDue%8 == 0 {
		sweepFixture(t, s.ns)
	}
	s.fixtureDue++
	if se == nil {
		se = s.setup()
		defer se.e.Close()
	}
	e := se.e
	tg := se.targets[name]
	if tg == nil {
		t.Errorf("%s: not found in a new Env", name)
		return false
	}
	calls := s.argLists(e, tg, se.pool)
	st := &sweepStats{msgs: map[string]bool{}, generated: s.generated}
	s.stats[name] = st
	for i, args := range calls {
		if i > 0 && i%500 == 0 {
			sweepFixture(t, s.ns)
		}
		s.call(e, tg, args, st)
		// A function that waits (sock:recv) has shown it stops at its
		// deadline: the sample need not wait out every call, and the full
		// run goes on with a short deadline.
		if !s.full && st.deadline >= 3 {
			break
		}
		if st.deadline >= 10 {
			s.wait = shortDeadline
		}
	}
	s.wait = 0
	// The Env still works after all that, unless the function is one that
	// takes environments apart when told to (setfenv(0, {}) empties the
	// globals; the pool holds _G and the modules).
	if takesEnvApart[name] {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	vals, err := e.Run(ctx, "sweep", "return 1 + 1, type(nl.socket('route'):request(rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = 'NLM_F_REQUEST|NLM_F_DUMP'}}))", nil)
	if err != nil {
		if !strings.Contains(e.FormatError(err), "read-only") {
			t.Errorf("%s: the Env is broken after the sweep: %s", name, e.FormatError(err))
			return true
		}
	} else if luaJoin(vals) != "2 table" {
		t.Errorf("%s: the Env is broken after the sweep: got %s", name, luaJoin(vals))
		return true
	}
	return false
}

// argLists makes the calls of one target: the arguments after self.
func (s *sweeper) argLists(e *Env, tg *sweepTarget, pool []sweepArg) [][]sweepArg {
	var lists [][]sweepArg
	selfs := []sweepArg{{}}
	if tg.selfs != nil {
		selfs = nil
		for i, v := range tg.selfs {
			selfs = append(selfs, sweepArg{fmt.Sprintf("self #%d (%s)", i+1, v.Type()), v})
		}
	}
	with := func(self sweepArg, rest ...sweepArg) []sweepArg {
		if self.v == nil {
			return rest
		}
		return append([]sweepArg{self}, rest...)
	}
	leads := s.leads(e, tg, selfs[0])
	for si, self := range selfs {
		lists = append(lists, with(self))
		for li, lead := range leads {
			if len(lead) > 0 {
				lists = append(lists, with(self, lead...))
			}
			for _, p := range pool {
				lists = append(lists, with(self, append(append([]sweepArg{}, lead...), p)...))
			}
			// A table argument with every key it takes set to each value
			// (the sample looks for keys after a few leads only).
			var keys []string
			if s.full || (si == 0 && li < 3) {
				keys = s.keys(e, tg, self, lead)
			}
			for _, k := range keys {
				for _, p := range pool {
					spec := e.L.NewTable()
					spec.RawSetString(k, p.v)
					lists = append(lists, with(self, append(append([]sweepArg{}, lead...), sweepArg{fmt.Sprintf("{%s = %s}", k, p.name), spec})...))
				}
			}
		}
		// Too many arguments.
		for _, p := range pool[:8] {
			many := make([]sweepArg, 40)
			for i := range many {
				many[i] = p
			}
			lists = append(lists, with(self, many...))
		}
	}
	// Malformed self values, alone and before a good argument list.
	if tg.selfs != nil {
		for _, p := range pool {
			lists = append(lists, []sweepArg{p})
			if len(leads) > 1 {
				lists = append(lists, append([]sweepArg{p}, leads[1]...))
			}
		}
	}
	// Pairs of malformed values, in the full run.
	if s.full {
		step := 3
		for i := 0; i < len(pool); i += step {
			for j := 1; j < len(pool); j += step {
				lists = append(lists, with(selfs[0], pool[i], pool[j]))
			}
		}
	}
	// The sample makes a fixed share of every target's calls, at least a
	// few; the full run all of them, up to maxFullCalls.
	s.generated = len(lists)
	n := maxFullCalls
	if !s.full {
		n = 25 + len(lists)/200
	}
	if c, ok := fewCalls[tg.name]; ok && n > c {
		n = c
	}
	if len(lists) > n {
		r := rand.New(rand.NewPCG(1, uint64(len(tg.name))))
		r.Shuffle(len(lists), func(i, j int) { lists[i], lists[j] = lists[j], lists[i] })
		lists = lists[:n]
	}
	return lists
}

// probe calls tg with args and returns its error message ("" if none).
func (s *sweeper) probe(e *Env, tg *sweepTarget, args []sweepArg) string {
	if !s.nsSafe(tg.name, args) {
		return ""
	}
	_, err, _ := s.run(e, tg, args)
	if err == nil {
		return ""
	}
	return e.FormatError(err)
}

// run calls tg with args under the deadline, watched by the watchdog; timedOut
// says the deadline stopped it.
func (s *sweeper) run(e *Env, tg *sweepTarget, args []sweepArg) (vals []lua.LValue, err error, timedOut bool) {
	if s.chunk == nil || s.chunkEnv != e {
		fn, err := e.L.Load(strings.NewReader("return __sweep_f(unpack(__sweep_a, 1, __sweep_n))"), "sweep")
		if err != nil {
			s.t.Fatal(err)
		}
		s.chunk, s.chunkEnv = fn, e
	}
	desc := describeCall(tg.name, args)
	s.inCall.Store(&desc)
	e.L.SetGlobal("__sweep_f", tg.fn)
	a := e.L.CreateTable(len(args), 0)
	for i, x := range args {
		a.RawSetInt(i+1, x.v)
	}
	e.L.SetGlobal("__sweep_a", a)
	e.L.SetGlobal("__sweep_n", lua.LNumber(len(args)))
	wait := s.deadline
	if s.wait > 0 {
		wait = s.wait
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	s.started.Store(time.Now().UnixNano())
	vals, err = e.runFn(ctx, s.chunk, "sweep", nil)
	s.started.Store(0)
	return vals, err, err != nil && ctx.Err() != nil
}

// current describes the call under way, for panics.
func (s *sweeper) current() string {
	if d := s.inCall.Load(); d != nil {
		return *d
	}
	return "setting up"
}

// listText finds the names an error message offers: "(commands: add,
// del)", "operations: a, b", "(options: x, y)".
var listText = regexp.MustCompile(`(?:commands|kinds|operations|options|fields|known|groups):\s*([A-Za-z0-9_., -]+)`)

func offered(msg string) []string {
	var out []string
	for _, m := range listText.FindAllStringSubmatch(msg, -1) {
		for _, w := range strings.Split(m[1], ",") {
			w = strings.TrimSpace(w)
			if regexp.MustCompile(`^[A-Za-z0-9_.-]+$`).MatchString(w) {
				out = append(out, w)
			}
		}
	}
	return out
}

const probeWord = "zzsweep"

// leads finds the good leading arguments of tg (its commands, kinds and
// operations, from what its errors offer), two levels deep. The first lead
// is the empty one.
func (s *sweeper) leads(e *Env, tg *sweepTarget, self sweepArg) [][]sweepArg {
	leads := [][]sweepArg{nil}
	var walk func(prefix []sweepArg, depth int)
	walk = func(prefix []sweepArg, depth int) {
		args := append(append([]sweepArg{}, prefix...), sweepArg{"'" + probeWord + "'", lua.LString(probeWord)})
		if self.v != nil {
			args = append([]sweepArg{self}, args...)
		}
		msg := s.probe(e, tg, args)
		if !strings.Contains(msg, probeWord) {
			return
		}
		for _, w := range offered(msg) {
			lead := append(append([]sweepArg{}, prefix...), sweepArg{"'" + w + "'", lua.LString(w)})
			leads = append(leads, lead)
			if depth > 1 {
				walk(lead, depth-1)
			}
		}
	}
	walk(nil, 2)
	if !s.full && len(leads) > 12 {
		leads = leads[:12]
	}
	return leads
}

// keys finds the keys a table argument after lead takes: those its error
// for an unknown key offers, and the words of its help text (every word of
// every help text in the full run) it does not call unknown.
func (s *sweeper) keys(e *Env, tg *sweepTarget, self sweepArg, lead []sweepArg) []string {
	call := func(spec *lua.LTable) string {
		args := append(append([]sweepArg{}, lead...), sweepArg{"spec", spec})
		if self.v != nil {
			args = append([]sweepArg{self}, args...)
		}
		return s.probe(e, tg, args)
	}
	spec := e.L.NewTable()
	spec.RawSetString(probeWord, lua.LFalse)
	msg := call(spec)
	if !strings.Contains(msg, probeWord) {
		return nil
	}
	dry := strings.HasPrefix(tg.name, "ip.")
	words := map[string]bool{}
	for _, w := range offered(msg) {
		words[w] = true
	}
	wordRE := regexp.MustCompile(`[a-z][a-z0-9_]+`)
	for _, u := range helptext.Usages {
		if u.Name == tg.name || s.full {
			for _, w := range wordRE.FindAllString(u.Args+" "+u.Text, -1) {
				words[w] = true
			}
		}
	}
	if strings.HasPrefix(tg.name, "family:") && len(lead) > 0 && self.v != nil {
		// A family's attributes: the names in the operation's policy.
		e.L.SetGlobal("__sweep_self", self.v)
		e.L.SetGlobal("__sweep_op", lead[0].v)
		vals, err := e.Run(context.Background(), "sweep", `
local ok, p = pcall(__sweep_self.policy, __sweep_self, __sweep_op)
local out = {}
if ok and type(p) == 'table' then for k in pairs(p) do out[#out + 1] = tostring(k) end end
return out`, nil)
		if err == nil {
			l := vals[0].(*lua.LTable)
			for i := 1; i <= l.Len(); i++ {
				words[l.RawGetInt(i).String()] = true
			}
		}
	}
	var keys []string
	for w := range words {
		spec := e.L.NewTable()
		spec.RawSetString(w, lua.LFalse)
		if dry {
			spec.RawSetString("dry", lua.LTrue)
		}
		m := call(spec)
		if strings.Contains(m, "'"+w+"'") && (strings.Contains(m, "unknown") || strings.Contains(m, "no ")) {
			continue
		}
		keys = append(keys, w)
	}
	sort.Strings(keys)
	return keys
}

// call makes one call and judges how it ended.
func (s *sweeper) call(e *Env, tg *sweepTarget, args []sweepArg, st *sweepStats) {
	if !s.nsSafe(tg.name, args) {
		st.withheld++
		s.total.withheld++
		return
	}
	vals, err, timedOut := s.run(e, tg, args)
	desc := s.current()
	st.calls++
	s.total.calls++
	if err == nil {
		st.returned++
		s.total.returned++
		for _, v := range vals {
			s.wrapAll(v, map[lua.LValue]bool{}, 2)
		}
		return
	}
	if timedOut {
		st.deadline++
		s.total.deadline++
		return
	}
	st.errors++
	s.total.errors++
	msg := e.FormatError(err)
	msg, _, _ = strings.Cut(msg, "\nstack traceback:")
	norm := normalizeError(msg)
	st.msgs[norm] = true
	s.mu.Lock()
	defer s.mu.Unlock()
	s.allMsgs[norm] = true
	if len(msg) > s.longest {
		s.longest = len(msg)
	}
	switch {
	case panicText.MatchString(msg):
		s.panics = append(s.panics, fmt.Sprintf("%q (seen as an error) during %s", msg, desc))
	case len(msg) > maxErrorLen && !strings.HasPrefix(tg.name, "lua "):
		// One example per function. (Lua's own functions, error(t) above
		// all, say what they are given.)
		if _, ok := s.overlongBy[tg.name]; !ok {
			s.overlongBy[tg.name] = norm
			s.overlong[tg.name+": "+norm] = desc
		}
	case garbledText.MatchString(msg) || strings.TrimSpace(msg) == "":
		if _, ok := s.garbled[norm]; !ok {
			s.garbled[norm] = desc
		}
	case unclearText.MatchString(msg) && !strings.HasPrefix(tg.name, "lua "):
		// (Lua's own functions raise Lua's own errors: table.sort of
		// values that do not compare says so.)
		// One example per function and message.
		key := tg.name + ": " + norm
		if _, ok := s.unclear[key]; !ok {
			s.unclear[key] = desc
		}
	}
}

// sortedPairs writes a map of messages to calls as sorted "message ← call"
// lines.
func sortedPairs(m map[string]string) []string {
	var out []string
	for msg, call := range m {
		out = append(out, msg+" ← "+call)
	}
	sort.Strings(out)
	return out
}

var (
	errPosition = regexp.MustCompile(`(?m)^[^\s:]+:\d+: `)
	errPointer  = regexp.MustCompile(`0x[0-9a-f]{6,}`)
)

// normalizeError makes messages that differ only in a position or an
// address one.
func normalizeError(msg string) string {
	msg = errPosition.ReplaceAllString(msg, "")
	msg = errPointer.ReplaceAllString(msg, "0x…")
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return msg
}

// describeCall writes a call for reports: f(arg, arg).
func describeCall(name string, args []sweepArg) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.name
	}
	if len(parts) > 6 {
		parts = append(parts[:6], fmt.Sprintf("… %d arguments", len(args)))
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

// nsKey matches table keys and attribute names that name a namespace.
var nsKey = regexp.MustCompile(`(?i)netns|net_ns|nsid|ns_fd|ns_pid|^ns$`)

// nsSafe reports whether a call's arguments can name no namespace but the
// test's: a value under a namespace key, or given to a function that takes
// a namespace, must be one that names none.
func (s *sweeper) nsSafe(target string, args []sweepArg) bool {
	switch target {
	case "nl.netns.add", "nl.netns.del":
		// A valid name would create or delete a namespace: only invalid
		// names and values that are not names at all.
		if len(args) > 0 {
			switch v := args[0].v.(type) {
			case lua.LNumber:
				return false
			case lua.LString:
				if !(v == "" || v == "." || v == ".." || strings.ContainsAny(string(v), "/\x00") || len(v) > 255) {
					return false
				}
			}
		}
	case "ip.netns", "nl.netns.fd":
		if len(args) > 0 && !s.namesNoNS(args[0].v) {
			return false
		}
	}
	seen := map[*lua.LTable]bool{}
	var ok func(v lua.LValue) bool
	ok = func(v lua.LValue) bool {
		t, isTable := v.(*lua.LTable)
		if !isTable || seen[t] {
			return true
		}
		seen[t] = true
		good := true
		t.ForEach(func(k, v lua.LValue) {
			if ks, isStr := k.(lua.LString); isStr && nsKey.MatchString(string(ks)) && !s.namesNoNS(v) {
				good = false
			}
			if !ok(k) || !ok(v) {
				good = false
			}
		})
		// An attribute pair {'IFLA_NET_NS_PID', v}.
		if n, isStr := t.RawGetInt(1).(lua.LString); isStr && nsKey.MatchString(string(n)) && !s.namesNoNS(t.RawGetInt(2)) {
			good = false
		}
		if mt, isTable := t.Metatable.(*lua.LTable); isTable && !ok(mt) {
			good = false
		}
		return good
	}
	for _, a := range args {
		if !ok(a.v) {
			return false
		}
	}
	return true
}

// namesNoNS reports whether v cannot name a network namespace: not a
// process id or descriptor, not a name under /run/netns, not a path.
func (s *sweeper) namesNoNS(v lua.LValue) bool {
	switch x := v.(type) {
	case lua.LNumber:
		f := float64(x)
		return math.IsNaN(f) || f <= 0 || f != math.Trunc(f) || f > math.MaxInt32
	case lua.LString:
		str := string(x)
		if str == "" || strings.Contains(str, "\x00") {
			return true
		}
		if strings.Contains(str, "/") {
			return false
		}
		if f, err := strconv.ParseFloat(strings.TrimSpace(str), 64); err == nil && !s.namesNoNS(lua.LNumber(f)) {
			return false
		}
		if _, err := os.Stat(engine.NetNSPath(str)); !errors.Is(err, os.ErrNotExist) {
			return false
		}
	}
	return true
}
