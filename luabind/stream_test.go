package luabind

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"nlsh/engine/nstest"
)

// TestEachInterrupted: a change made while s:each walks a dump interrupts
// it; the stream cannot ask again for what it already handed out, so it
// hands out the rest and then raises code NLM_F_DUMP_INTR.
func TestEachInterrupted(t *testing.T) {
	ns, e := ipEnv(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	var b strings.Builder
	for i := range 500 {
		b.WriteString("addr add 10.1." + strconv.Itoa(i/200) + "." + strconv.Itoa(i%200+1) + "/32 dev v0\n")
	}
	batch := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(batch, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", batch)
	vals := run(t, e, `
-- A small receive buffer makes the kernel write the dump a datagram at a
-- time, as the loop asks for more.
local s, other = nl.socket('route', {rcvbuf = 4096}), nl.socket('route')
local req = rtnl.ifaddrmsg{family = AF_INET}
req.header.type, req.header.flags = RTM_GETADDR, 'NLM_F_REQUEST|NLM_F_DUMP'
local n, changed = 0, false
local ok, err = pcall(function()
  for m in s:each(req) do
    n = n + 1
    if n == 10 and not changed then
      changed = true
      local a = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 32, index = ip.link_lookup('v1')}
      a.header.type, a.header.flags = RTM_NEWADDR, 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
      a.attrs = {{'IFA_LOCAL', '10.200.0.1'}}
      other:request(a)
    end
  end
end)
return ok, err and err.code, n`)
	if vals[0].String() != "false" || vals[1].String() != "NLM_F_DUMP_INTR" {
		t.Fatalf("s:each under a change: ok=%s code=%s after %s messages", vals[0], vals[1], vals[2])
	}
	if n, _ := strconv.Atoi(vals[2].String()); n < 500 {
		t.Errorf("the stream handed out %d messages before raising, want them all (>= 500)", n)
	}
}
