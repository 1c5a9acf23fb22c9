package luabind

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nlsh/engine/nstest"
)

// TestDump100kRoutes: a dump of 100,000 routes arrives whole — no message
// lost, none counted twice — through s:request into Lua.
func TestDump100kRoutes(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 100,000 routes")
	}
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "addr", "add", "10.255.0.1/16", "dev", "v0")
	var b strings.Builder
	const n = 100000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "route add 10.%d.%d.%d/32 via 10.255.0.2\n", i>>16&1, i>>8&255, i&255)
	}
	f := filepath.Join(t.TempDir(), "routes")
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("ip", "-n", ns, "-batch", f).CombinedOutput(); err != nil {
		t.Fatalf("ip -batch: %v\n%s", err, out)
	}
	vals := run(t, e, `
local s = nl.socket('route')
local m = rtnl.rtmsg{family = AF_INET}
m.header.type = RTM_GETROUTE
m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
m.attrs = {{'RTA_TABLE', RT_TABLE_MAIN}}
local seen, dup, n = {}, 0, 0
for _, r in ipairs(s:request(m)) do
  local d = r:get('RTA_DST')
  if d then
    if seen[d] then dup = dup + 1 end
    seen[d] = true
    n = n + 1
  end
end
return n, dup
`)
	// The main table also holds the connected route 10.255.0.0/16.
	if got := int(lua.LVAsNumber(vals[0])); got != n+1 {
		t.Errorf("dumped %d routes, want %d", got, n+1)
	}
	if d := int(lua.LVAsNumber(vals[1])); d != 0 {
		t.Errorf("%d routes appeared twice", d)
	}
	// Flush now rather than when the namespace goes: the kernel frees a
	// dead namespace's 100,000 routes later, under the rtnl lock, which
	// would stall the next test's requests.
	nstest.IP(t, ns, "route", "flush", "table", "main")
}

// TestDumpInterrupted changes links while dumping them until the kernel
// flags a dump NLM_F_DUMP_INTR: s:request reports it as an error value
// (code 'NLM_F_DUMP_INTR') rather than returning a silently inconsistent
// list, and ip.links retries the dump and returns a consistent one.
func TestDumpInterrupted(t *testing.T) {
	ns, e := ipEnv(t)
	for i := 0; i < 200; i++ {
		nstest.IP(t, ns, "link", "add", fmt.Sprintf("b%d", i), "type", "bridge")
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			name := fmt.Sprintf("churn%d", i%4)
			exec.Command("ip", "-n", ns, "link", "add", name, "type", "bridge").Run()
			exec.Command("ip", "-n", ns, "link", "del", name).Run()
		}
	}()
	defer func() { stop.Store(true); wg.Wait() }()
	vals := run(t, e, `
local s = nl.socket('route')
local m = rtnl.ifinfomsg()
m.header.type = RTM_GETLINK
m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
local intr = 0
for i = 1, 300 do
  local ok, err = pcall(s.request, s, m)
  if not ok then
    assert(type(err) == 'table' and err.code == 'NLM_F_DUMP_INTR' and err.dump_interrupted, tostring(err))
    intr = intr + 1
    if intr >= 3 then break end
  end
end
-- ip.links retries an interrupted dump: it returns every b* bridge
local n = 0
for _, l in ipairs(ip.links()) do if l:get('IFLA_IFNAME'):match('^b%d+$') then n = n + 1 end end
return intr, n
`)
	if got := int(lua.LVAsNumber(vals[1])); got != 200 {
		t.Errorf("ip.links returned %d of the 200 bridges", got)
	}
	if intr := int(lua.LVAsNumber(vals[0])); intr == 0 {
		t.Log("no dump was interrupted in 300 tries; only the consistent case was checked")
	} else {
		t.Logf("%d interrupted dumps reported", intr)
	}
}
