package luabind

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"nlsh/engine/nstest"
)

// TestIPEachMatchesList: every getter's streaming form hands out what its
// list form returns, filters (keys the kernel takes, keys tested here,
// functions of a value and of the message) applied while streaming.
func TestIPEachMatchesList(t *testing.T) {
	ns := nstest.New(t)
	nstest.Topology(t, ns)
	e, _ := newEnv(t, ns)
	for _, tc := range []struct{ getter, filter string }{
		{"links", "{}"},
		{"links", "{kind = 'veth'}"},
		{"links", "{mtu = function(m) return m < 2000 end}"},
		{"addrs", "{}"},
		{"addrs", "{ifname = 'v0', family = AF_INET6}"},
		{"routes", "{table = 254}"},
		{"routes", "{}"},
		{"routes", "{family = AF_INET6, table = 255}"},
		{"routes", "function(r) return r:get('RTA_GATEWAY') ~= nil end"},
		{"routes", "{table = 254, match = function(r) return r.dst_len == 16 end}"},
		{"neighs", "{}"},
		{"neighs", "{ifname = 'v0', family = AF_INET}"},
		{"rules", "{}"},
		{"rules", "{priority = function(p) return p > 50 end}"},
		{"qdiscs", "{}"},
		{"qdiscs", "{kind = 'htb'}"},
		{"classes", "{}"},
		{"classes", "{ifname = 'v0'}"},
		{"filters", "{}"},
		{"filters", "{ifname = 'v0', parent = '1:'}"},
	} {
		chunk := `
local want, got = {}, {}
for _, m in ipairs(ip.` + tc.getter + `(` + tc.filter + `)) do want[#want + 1] = m.header.type end
for m in ip.each.` + tc.getter + `(` + tc.filter + `) do got[#got + 1] = m.header.type end
return #want, #got, table.concat(want, ','), table.concat(got, ',')`
		v := run(t, e, chunk)
		if v[0].String() != v[1].String() || v[2].String() != v[3].String() {
			t.Errorf("ip.%s(%s): list %s messages (%s), stream %s (%s)", tc.getter, tc.filter, v[0], v[2], v[1], v[3])
		}
		if v[0].String() == "0" && tc.filter != "{family = AF_INET6, table = 255}" {
			t.Errorf("ip.%s(%s) found nothing: the comparison proves little", tc.getter, tc.filter)
		}
	}
	// Same objects, not just as many: routes by destination.
	v := run(t, e, `
local a, b = {}, {}
for _, r in ipairs(ip.routes{}) do a[#a + 1] = tostring(r:get('RTA_DST')) .. '/' .. r.dst_len end
for r in ip.each.routes{} do b[#b + 1] = tostring(r:get('RTA_DST')) .. '/' .. r.dst_len end
table.sort(a); table.sort(b)
return table.concat(a, ' '), table.concat(b, ' ')`)
	if v[0].String() != v[1].String() {
		t.Errorf("routes differ:\nlist   %s\nstream %s", v[0], v[1])
	}
}

// TestIPEachLoopBody: the loop's body may call the ip module (the stream
// has a socket of its own), the socket is closed when the dump ends, and a
// table the kernel lacks is no routes, as in the list form.
func TestIPEachLoopBody(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "addr", "add", "10.255.0.1/16", "dev", "v0")
	var b strings.Builder
	for i := range 300 {
		b.WriteString("route add 10.7." + strconv.Itoa(i/250) + "." + strconv.Itoa(i%250) + "/32 via 10.255.0.2 table 100\n")
	}
	batch := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(batch, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", batch)
	e, _ := newEnv(t, ns)
	before := len(e.sockets)
	v := run(t, e, `
local n = 0
for r in ip.each.routes{table = 100} do
  ip.route('del', {dst = r:get('RTA_DST') .. '/32', table = 100})
  n = n + 1
end
local none = 0
for _ in ip.each.routes{family = AF_INET6, table = 4242} do none = none + 1 end
return n, #ip.routes{table = 100}, none`)
	if v[0].String() != "300" || v[1].String() != "0" || v[2].String() != "0" {
		t.Errorf("deleted %s of 300 routes while streaming, %s left; %s routes of a missing table", v[0], v[1], v[2])
	}
	// The global ip's own socket may have been opened meanwhile: one more
	// at most.
	if n := len(e.sockets); n > before+1 {
		t.Errorf("%d sockets open after the loops, %d before", n, before)
	}
	if got := runErr(t, e, `for r in ip.each.routes{tabel = 100} do end`); !strings.Contains(got, "ip.each.routes") || !strings.Contains(got, "table") {
		t.Errorf("an unknown key: %s", got)
	}
}

// ipEachInterruptedScript streams an interrupted dump with ip.each;
// TestIPEachInterrupted runs it against the kernel,
// TestFakeIPEachInterrupted against the fake one.
const ipEachInterruptedScript = `
local n, changed = 0, false
local ok, err = pcall(function()
  for a in ip.each.addrs{family = AF_INET} do
    n = n + 1
    if n == 10 and not changed then
      changed = true
      ip.addr('add', {ifname = 'v1', address = '10.200.0.1/32'})
    end
  end
end)
return ok, err and err.code, n`

// TestIPEachInterrupted: a change made while ip.each walks a dump hands out
// every message first, then raises code NLM_F_DUMP_INTR (a stream cannot
// ask again for what it handed out).
func TestIPEachInterrupted(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	var b strings.Builder
	// More addresses than the socket's buffer and the read-ahead hold
	// together, so the dump is not over when the loop makes its change.
	const n = 8000
	for i := range n {
		b.WriteString("addr add 10.1." + strconv.Itoa(i/200) + "." + strconv.Itoa(i%200+1) + "/32 dev v0\n")
	}
	batch := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(batch, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", batch)
	e, _ := newEnv(t, ns)
	vals := run(t, e, ipEachInterruptedScript)
	if vals[0].String() != "false" || vals[1].String() != "NLM_F_DUMP_INTR" {
		t.Fatalf("ip.each.addrs under a change: ok=%s code=%s after %s messages", vals[0], vals[1], vals[2])
	}
	if got, _ := strconv.Atoi(vals[2].String()); got < n {
		t.Errorf("the stream handed out %d messages before raising, want them all (>= %d)", got, n)
	}
}
