package luabind

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// TestTimeoutOptions: every call that takes a timeout reads it the same
// way, and refuses what is not a positive number of seconds rather than
// waiting for ever (or not at all).
func TestTimeoutOptions(t *testing.T) {
	ns := nstest.New(t)
	e, _ := newEnv(t, ns)
	run(t, e, `
s = nl.socket('route')
get = rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = 'NLM_F_REQUEST|NLM_F_DUMP'}}
f = genl.family('nlctrl')
`)
	const want = "timeout: expected a positive number of seconds (math.huge for no bound), got "
	calls := []struct{ call, fname string }{
		{"s:request(get, {timeout = %s})", "request"},
		{"s:each(get, {timeout = %s})", "each"},
		{"f:doit('getfamily', {family_name = 'nlctrl'}, {timeout = %s})", "nlctrl getfamily"},
		{"f:dumpit('getfamily', nil, {timeout = %s})", "nlctrl getfamily"},
		{"f:each('getfamily', nil, {timeout = %s})", "nlctrl getfamily"},
		{"nl.events({'link'}, {timeout = %s})", "nl.events"},
		{"f:subscribe('notify', {timeout = %s})", "subscribe"},
		{"ip.monitor({'link'}, function() end, {timeout = %s})", "ip.monitor"},
		{"ip.link('set', {ifname = 'lo', mtu = 1500, timeout = %s})", "ip.link"},
		{"ip.route('add', {dst = '10.9.0.0/16', dev = 'lo', timeout = %s})", "ip.route"},
		{"ip.links{timeout = %s}", "ip.links"},
		{"ip.routes{timeout = %s}", "ip.routes"},
		{"ip.qdiscs{timeout = %s}", "ip.qdiscs"},
	}
	values := []struct{ lua, got string }{
		{"0/0", "NaN"}, {"-1", "-1"}, {"0", "0"}, {"'abc'", "a string"}, {"'5'", "a string"}, {"{}", "a table"},
	}
	for _, c := range calls {
		for _, v := range values {
			src := fmt.Sprintf(c.call, v.lua)
			t.Run(src, func(t *testing.T) {
				got := runErr(t, e, src)
				if !strings.Contains(got, c.fname+": "+want+v.got) {
					t.Errorf("error %q, want it to say %q", got, c.fname+": "+want+v.got)
				}
			})
		}
	}
	// Good timeouts, math.huge included, change nothing.
	vals := run(t, e, `
local n = 0
for _ in s:each(get, {timeout = 5}) do n = n + 1 end
return #s:request(get, {timeout = 5}), n, #ip.links{timeout = 2}, #f:dumpit('getfamily', nil, {timeout = math.huge}) > 0
`)
	if diff := cmp.Diff("1 1 1 true", luaJoin(vals)); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

func luaJoin(vals []lua.LValue) string {
	var parts []string
	for _, v := range vals {
		parts = append(parts, v.String())
	}
	return strings.Join(parts, " ")
}

// droppedRequestScript sends a request whose nlmsg_len is too long;
// droppedRequestWant is what droppedRequestScript returns: both the request
// and the stream time out, saying why, and the socket still works.
const droppedRequestWant = "false ETIMEDOUT 110 RTM_GETLINK: no reply from the kernel for 0.1 s (the request may have been dropped: check its length) false ETIMEDOUT 1"

// TestDroppedRequest runs it against the kernel, TestFakeDroppedRequest
// against the fake one.
const droppedRequestScript = `
local s = nl.socket('route')
local get = rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = 'NLM_F_REQUEST|NLM_F_ACK'}, index = 1}
local bad = get:encode()
bad = string.char(bad:byte(1) + 8) .. bad:sub(2)      -- nlmsg_len 8 bytes too long
local ok, e = pcall(s.request, s, bad, {timeout = 0.1})
local ok2, e2 = pcall(function() for m in s:each(bad, {timeout = 0.1}) do end end)
return ok, e.code, e.errno, tostring(e), ok2, e2.code, #s:request(get)
`

// TestDroppedRequest: a request whose header says it is longer than it is
// is dropped by the kernel without a word; with a timeout it fails, saying
// so, instead of waiting for ever.
func TestDroppedRequest(t *testing.T) {
	ns := nstest.New(t)
	e, _ := newEnv(t, ns)
	vals := run(t, e, droppedRequestScript)
	if diff := cmp.Diff(droppedRequestWant, luaJoin(vals)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// churnAddrs adds and removes an address on dev in ns as fast as ip can, in a
// process of its own, until the test ends.
func churnAddrs(t *testing.T, ns, dev string) {
	t.Helper()
	cmd := exec.Command("ip", "-n", ns, "-force", "-batch", "-")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		line := []byte("address add 10.2.0.1/32 dev " + dev + "\naddress del 10.2.0.1/32 dev " + dev + "\n")
		for {
			select {
			case <-stop:
				in.Close()
				return
			default:
			}
			if _, err := in.Write(line); err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		close(stop)
		<-done
		cmd.Process.Kill()
		cmd.Wait()
	})
}

// manyAddrsNS makes a namespace whose v0 holds n addresses, enough for an
// address dump to take several datagrams: a dump is flagged as interrupted
// when the addresses change between two of them.
func manyAddrsNS(t *testing.T, n int) string {
	t.Helper()
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "address add 10.1.%d.%d/32 dev v0\n", i/256, i%256)
	}
	batchIP(t, ns, b.String())
	return ns
}

// batchIP runs ip -batch in ns on the given lines.
func batchIP(t *testing.T, ns, lines string) {
	t.Helper()
	cmd := exec.Command("ip", "-n", ns, "-batch", "-")
	cmd.Stdin = strings.NewReader(lines)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ip -batch: %v\n%s", err, out)
	}
}

// TestGettersUnderChurn: under constant address churn a raw s:request of
// an address dump raises the interruption, with the replies it got; the ip
// getters still answer, every time: an interrupted dump is fetched again,
// and if it never comes whole, the last one is returned with a warning on
// stderr, as iproute2 does.
func TestGettersUnderChurn(t *testing.T) {
	ns := manyAddrsNS(t, 3000)
	var stderr bytes.Buffer
	e := New(Options{NetNS: ns, Stdout: io.Discard, TraceOut: &stderr})
	t.Cleanup(e.Close)
	churnAddrs(t, ns, "v0")
	vals := run(t, e, `
-- Once a raw dump is interrupted, the churn is fast enough to test with.
local s = nl.socket('route')
local req = rtnl.ifaddrmsg{family = AF_INET, header = {type = RTM_GETADDR, flags = 'NLM_F_REQUEST|NLM_F_DUMP'}}
local intr
local deadline = os.time() + 10
while not intr and os.time() < deadline do
  local ok, e = pcall(s.request, s, req)
  if not ok then
    assert(type(e) == 'table' and e.dump_interrupted, tostring(e))
    intr = e
  end
end
assert(intr, 'no dump was interrupted in 10 s: the churn is too slow to test with')
local fails, small = {}, 0
for i = 1, 30 do
  local ok, r = pcall(ip.addrs, {family = AF_INET})
  if not ok then fails[#fails + 1] = tostring(r)
  elseif #r < 2000 then small = small + 1 end
end
return table.concat(fails, '; '), small, #intr.replies > 2000, intr.replies[1].event, intr.code
`)
	if diff := cmp.Diff(" 0 true RTM_NEWADDR NLM_F_DUMP_INTR", luaJoin(vals)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	warnings := strings.Count(stderr.String(), "nlsh: warning: RTM_GETADDR dump interrupted by concurrent changes (NLM_F_DUMP_INTR) 5 times in a row: returning the last result, which may be inconsistent\n")
	if strings.Count(stderr.String(), "\n") != warnings {
		t.Errorf("stderr holds more than the warnings:\n%s", stderr.String())
	}
	t.Logf("%d of 30 ip.addrs calls gave up after 5 interrupted dumps", warnings)
}

// TestIPBatchApplied: an ip.batch cut short by Ctrl-C (its context
// cancelled) midway through 50,000 routes says how many the kernel
// applied, and that is how many there are.
func TestIPBatchApplied(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "set", "lo", "up")
	e, _ := newEnv(t, ns)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.L.SetGlobal("cancel", e.L.NewFunction(func(L *lua.LState) int { cancel(); return 0 }))
	_, err := e.Run(ctx, "test", `
ip.batch(function()
  for i = 0, 49999 do
    ip.route('add', {dst = ('10.%d.%d.0/24'):format(100 + math.floor(i / 256), i % 256), type = 'blackhole', table = 100})
    if i == 25000 then cancel() end
  end
end)
`, nil)
	var ae *lua.ApiError
	if !errors.As(err, &ae) {
		t.Fatalf("the batch was not interrupted: %v", err)
	}
	ev, ok := ae.Object.(*lua.LTable)
	if !ok {
		t.Fatalf("error %v is no error value", e.FormatError(err))
	}
	applied, ok := ev.RawGetString("applied").(lua.LNumber)
	if !ok {
		t.Fatalf("error value without applied: %s", e.FormatError(err))
	}
	routes := len(ipJSON(t, ns, "route", "show", "table", "100"))
	t.Logf("%s; %d routes", e.FormatError(err), routes)
	if int(applied) != routes || routes == 0 || routes == 50000 {
		t.Errorf("e.applied = %v, routes in table 100: %d", applied, routes)
	}
	line := lua.LVAsString(ev.RawGetString("line"))
	if want := fmt.Sprintf("batch: interrupted (context canceled): %d of ", routes); !strings.HasPrefix(line, want) {
		t.Errorf("line %q, want it to start %q", line, want)
	}
}
