package luabind

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// routeSaveSetup gives a namespace routeEnv's links and addresses.
func routeSaveSetup(t *testing.T, ns string) {
	for _, c := range [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "set", "v0", "up"},
		{"link", "set", "v1", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"},
	} {
		nstest.IP(t, ns, c...)
	}
	waitLocalRoute(t, ns, "2001:db8::1")
}

// headerless returns the messages of a route dump with their headers'
// flags, sequence numbers and port ids cleared: what differs from one
// dump request to the next.
func headerless(t *testing.T, b []byte) []string {
	t.Helper()
	msgs, err := engine.Split(b)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		m.Header = engine.Header{Length: m.Header.Length, Type: m.Header.Type}
		out = append(out, string(m.Bytes()))
	}
	return out
}

// TestIPRouteSave saves routes with ip.route_dumps and loads them with
// ip.route_loads (pyroute2's route_dumps and route_loads): the bytes are
// those `ip route save` writes, iproute2's dump loads into a fresh
// namespace, and ours restores with `ip route restore`; each namespace
// then lists the routes of the first.
func TestIPRouteSave(t *testing.T) {
	ns, e := routeEnv(t)
	for _, c := range [][]string{
		{"route", "add", "10.8.0.0/16", "via", "10.0.0.2", "metric", "5"},
		{"route", "add", "10.9.0.0/16", "via", "10.0.0.3", "table", "100"},
		{"route", "add", "blackhole", "10.10.0.0/16", "table", "100"},
		{"-6", "route", "add", "2001:db8:5::/48", "via", "2001:db8::2"},
	} {
		nstest.IP(t, ns, c...)
	}
	saved, err := exec.Command("ip", "-n", ns, "route", "save", "table", "all").Output()
	if err != nil {
		t.Fatal(err)
	}
	saved100, err := exec.Command("ip", "-n", ns, "route", "save", "table", "100").Output()
	if err != nil {
		t.Fatal(err)
	}
	loadNS, restoreNS := nstest.New(t), nstest.New(t)
	routeSaveSetup(t, loadNS)
	routeSaveSetup(t, restoreNS)
	e.L.SetGlobal("SAVED100", lua.LString(saved100))
	e.L.SetGlobal("LOADNS", lua.LString(loadNS))
	vals := run(t, e, `
local all, t100 = ip.route_dumps(), ip.route_dumps{table = 100}
local raw = ip.route_dumps(nil, {fmt = 'raw'})
local loaded = ip.netns(LOADNS).route_loads(SAVED100)
local ok, err = pcall(ip.route_loads, 'nonsense')
return all, t100, raw, loaded, tostring(err):match('ip.route_loads: .*')`)
	all, t100 := []byte(vals[0].String()), []byte(vals[1].String())
	if got := binary.NativeEndian.Uint32(all); got != 0x45311224 {
		t.Errorf("magic %#x", got)
	}
	if diff := cmp.Diff(headerless(t, saved[4:]), headerless(t, all[4:])); diff != "" {
		t.Errorf("ip.route_dumps() against ip route save table all, headers aside (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(headerless(t, all[4:]), headerless(t, []byte(vals[2].String()))); diff != "" {
		t.Errorf("fmt = 'raw' against the dump without its magic (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"2", "ip.route_loads: not a route dump (no iproute2 magic; fmt = 'raw' reads one without)"}, strs(vals[3:])); diff != "" {
		t.Errorf("raw, routes loaded, bad data (-want +got):\n%s", diff)
	}
	// ip route restore seeks in its input: a file, not a pipe.
	file := filepath.Join(t.TempDir(), "routes")
	if err := os.WriteFile(file, t100, 0o600); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	restore := exec.Command("ip", "-n", restoreNS, "route", "restore")
	restore.Stdin = in
	if out, err := restore.CombinedOutput(); err != nil {
		t.Fatalf("ip route restore: %v: %s", err, out)
	}
	want := ipJSON(t, ns, "route", "show", "table", "100")
	for _, other := range []string{loadNS, restoreNS} {
		if diff := cmp.Diff(want, ipJSON(t, other, "route", "show", "table", "100")); diff != "" {
			t.Errorf("table 100 in %s (-want +got):\n%s", other, diff)
		}
	}
	// The whole dump into a third namespace: main's routes, IPv4 and 6.
	fullNS := nstest.New(t)
	routeSaveSetup(t, fullNS)
	e.L.SetGlobal("ALL", lua.LString(all))
	e.L.SetGlobal("FULLNS", lua.LString(fullNS))
	run(t, e, `ip.netns(FULLNS).route_loads(ALL)`)
	for _, args := range [][]string{{"route", "show"}, {"-6", "route", "show", "2001:db8:5::/48"}, {"route", "show", "table", "100"}} {
		if diff := cmp.Diff(ipJSON(t, ns, args...), ipJSON(t, fullNS, args...)); diff != "" {
			t.Errorf("ip %v after loading the whole dump (-want +got):\n%s", args, diff)
		}
	}
}
