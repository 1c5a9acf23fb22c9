package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// The reliability tests of docs/reliability.md that run nlsh as a command.
// They log their figures as "figure NAME: VALUE" lines, which the report
// command (go run ./cmd/nlreliab) collects; NLSH_RELIABILITY=full runs their
// long versions.

// fullReliability reports whether the long versions run.
func fullReliability() bool { return os.Getenv("NLSH_RELIABILITY") == "full" }

// TestUnprivileged: nlsh run by an unprivileged user (nobody, no groups, no
// capabilities) inside a namespace, told --netns of that same namespace,
// reads the kernel's state as root does, and every change is refused by the
// kernel with one clear EPERM line and exit status 1; nothing changes.
func TestUnprivileged(t *testing.T) {
	for _, tool := range []string{"setpriv", "nsenter"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
				t.Fatalf("%s is needed (util-linux)", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
	before := nstest.IP(t, ns, "-d", "link", "show") + nstest.IP(t, ns, "addr", "show") + nstest.IP(t, ns, "route", "show", "table", "all")

	// nobody must be able to run the binary: a directory of its own.
	dir, err := os.MkdirTemp("", "nlsh-unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "nlsh")
	b, err := os.ReadFile(nlshBin)
	if err == nil {
		err = os.WriteFile(bin, b, 0o755)
	}
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	nobody := func(chunk string) result {
		cmd := exec.Command("nsenter", "--net="+engine.NetNSPath(ns), "--",
			"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--",
			bin, "--netns", ns, "-e", chunk)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + dir}
		return runCmd(t, cmd, "")
	}

	reads := nobody(`
local links, addrs, routes = ip.links(), ip.addrs(), ip.routes{table = 255}
local families = genl.families()
local ethtool = genl.family('ethtool'):doit('linkinfo-get', {header = {dev_name = 'v0'}})
return #links, #addrs, #routes > 0, #families > 0, ethtool ~= nil`)
	if reads.code != 0 || reads.stdout != "3\t1\ttrue\ttrue\ttrue\n" {
		t.Errorf("reads as nobody: exit %d\nstdout: %s\nstderr: %s", reads.code, reads.stdout, reads.stderr)
	}

	changes := []struct{ name, chunk, want string }{
		{"link add", `ip.link('add', {ifname = 'x0', kind = 'veth', peer = 'x1'})`, "EPERM"},
		{"link set", `ip.link('set', {ifname = 'v0', mtu = 1400})`, "EPERM"},
		{"link del", `ip.link('del', {ifname = 'v0'})`, "EPERM"},
		{"addr add", `ip.addr('add', {ifname = 'v0', address = '10.9.9.9/24'})`, "EPERM"},
		{"route add", `ip.route('add', {dst = '10.99.0.0/16', dev = 'v0'})`, "EPERM"},
		{"neigh add", `ip.neigh('add', {dst = '10.0.0.9', lladdr = '02:00:00:00:00:09', dev = 'v0'})`, "EPERM"},
		{"rule add", `ip.rule('add', {priority = 100, table = 10})`, "EPERM"},
		{"qdisc add", `ip.tc('add', 'htb', {dev = 'v0', handle = '1:'})`, "EPERM"},
		{"raw RTM_NEWLINK", `nl.socket('route'):request(rtnl.ifinfomsg{header = {type = RTM_NEWLINK,
  flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'},
  attrs = {{'IFLA_IFNAME', 'x0'}, {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'bridge'}}}}})`, "EPERM"},
		{"ethtool set", `genl.family('ethtool'):doit('linkinfo-set', {header = {dev_name = 'v0'}, port = 0})`, "EPERM"},
		{"tuntap", `nl.tuntap('t0')`, "EACCES"},
		{"netns add", `nl.netns.add('nlsht-nobody-` + ns + `')`, "EPERM"},
	}
	clear := regexp.MustCompile(`^\S.*\((EPERM, errno 1|EACCES, errno 13)\)`)
	held := 0
	for _, c := range changes {
		r := nobody(c.chunk)
		line := r.firstLine()
		switch {
		case r.code != 1:
			t.Errorf("%s as nobody: exit %d, want 1\nstdout: %s\nstderr: %s", c.name, r.code, r.stdout, r.stderr)
		case !strings.Contains(line, c.want) || !clear.MatchString(line) || strings.Contains(r.stderr, "panic"):
			t.Errorf("%s as nobody: unclear error line %q\nstderr: %s", c.name, line, r.stderr)
		default:
			held++
			t.Logf("figure eperm.example %s: %s", c.name, line)
		}
	}
	after := nstest.IP(t, ns, "-d", "link", "show") + nstest.IP(t, ns, "addr", "show") + nstest.IP(t, ns, "route", "show", "table", "all")
	if before != after {
		t.Errorf("the namespace changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if _, err := os.Stat(engine.NetNSPath("nlsht-nobody-" + ns)); err == nil {
		engine.DelNetNS("nlsht-nobody-" + ns)
		t.Errorf("nobody created a namespace")
	}
	t.Logf("figure eperm.changes: %d of %d refused with a clear line", held, len(changes))
}

// TestMonitorMemory: nlsh --monitor route keeps its memory flat through a
// storm of route notifications (100,000 in the full run, 20,000 here):
// its peak resident memory after the whole storm is within a bound of its
// peak after the first tenth, whatever the number, and it misses nothing
// ip monitor gets, or says it did.
func TestMonitorMemory(t *testing.T) {
	n := 20000
	if fullReliability() {
		n = 100000
	}
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	type monitor struct {
		cmd    *exec.Cmd
		routes atomic.Int64 // notifications of the storm's routes seen
		marker atomic.Bool
		over   atomic.Bool // an overrun reported
	}
	start := func(route, marker *regexp.Regexp, name string, args ...string) *monitor {
		m := &monitor{cmd: exec.CommandContext(ctx, name, args...)}
		out, err := m.cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		m.cmd.Stderr = m.cmd.Stdout
		if err := m.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.cmd.Process.Kill(); m.cmd.Wait() })
		go func() {
			sc := bufio.NewScanner(out)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				l := sc.Bytes()
				switch {
				case route.Match(l):
					m.routes.Add(1)
				case marker.Match(l):
					m.marker.Store(true)
				case bytes.Contains(l, []byte("OVERRUN")):
					m.over.Store(true)
				}
			}
		}()
		return m
	}
	marker := regexp.MustCompile(`10\.255\.0\.1`)
	// The storm's routes are 10.64.0.0 onwards (10.65 past 65,536).
	ip := start(regexp.MustCompile(`^10\.6[4-9]\.`), marker, "ip", "-n", ns, "monitor", "route")
	nl := start(regexp.MustCompile(`RTM_NEWROUTE .* RTA_DST=10\.6[4-9]\.`), marker, nlshBin, "--netns", ns, "--monitor", "route")
	for i := 0; !ip.marker.Load() || !nl.marker.Load(); i++ {
		if i == 100 {
			t.Fatal("monitors not listening")
		}
		nstest.IP(t, ns, "route", "add", "10.255.0.1/32", "via", "10.0.0.2")
		nstest.IP(t, ns, "route", "del", "10.255.0.1/32", "via", "10.0.0.2")
		time.Sleep(50 * time.Millisecond)
	}
	// settle waits until both monitors have want routes, or neither has
	// had more for a second.
	settle := func(want int64) {
		last, quiet := [2]int64{}, 0
		for quiet < 10 {
			time.Sleep(100 * time.Millisecond)
			got := [2]int64{ip.routes.Load(), nl.routes.Load()}
			if got[0] >= want && got[1] >= want {
				return
			}
			if got == last {
				quiet++
			} else {
				last, quiet = got, 0
			}
		}
	}
	add := func(from, to int) {
		var b strings.Builder
		for i := from; i < to; i++ {
			fmt.Fprintf(&b, "route add 10.%d.%d.%d/32 via 10.0.0.2\n", 64+i>>16, i>>8&255, i&255)
		}
		cmd := exec.Command("ip", "-n", ns, "-batch", "-")
		cmd.Stdin = strings.NewReader(b.String())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ip -batch: %v\n%s", err, out)
		}
	}
	tenth := n / 10
	add(0, tenth)
	settle(int64(tenth))
	nlFirst, ipFirst := peakRSS(t, nl.cmd.Process.Pid), peakRSS(t, ip.cmd.Process.Pid)
	add(tenth, n)
	settle(int64(n))
	nlPeak, ipPeak := peakRSS(t, nl.cmd.Process.Pid), peakRSS(t, ip.cmd.Process.Pid)
	ipGot, nlGot := ip.routes.Load(), nl.routes.Load()
	t.Logf("figure monitor.routes: %d", n)
	t.Logf("figure monitor.received: ip monitor %d, nlsh --monitor %d (overrun reported: %v)", ipGot, nlGot, nl.over.Load())
	t.Logf("figure monitor.rss: nlsh %.1f MiB after %d, %.1f MiB after %d; ip monitor %.1f MiB, %.1f MiB",
		mib(nlFirst), tenth, mib(nlPeak), n, mib(ipFirst), mib(ipPeak))
	// The read-ahead backlog (32 MiB by default) bounds what a slow
	// printer can make nlsh hold; beyond that, memory must not grow with
	// the number of events.
	if grow := nlPeak - nlFirst; grow > 48<<20 {
		t.Errorf("nlsh --monitor grew by %.1f MiB between %d and %d notifications", mib(grow), tenth, n)
	}
	if nlGot < int64(n) && !nl.over.Load() {
		t.Errorf("nlsh lost %d notifications without reporting an overrun", int64(n)-nlGot)
	}
	if nlGot < ipGot {
		t.Errorf("nlsh received %d notifications, ip monitor %d", nlGot, ipGot)
	}
}

// peakRSS is a running process's peak resident memory (VmHWM), in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM for process %d", pid)
	return 0
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// TestDecodeCorrupt: nlsh decode of a capture (pcap, pcapng, hex dump, raw
// netlink bytes) cut at any point, with bytes flipped, lengths made huge or
// zero, or replaced by garbage after a valid magic number, either decodes,
// or marks the packets that do not (a "!!" line, exit status 1), or stops
// with one line on stderr saying where (exit status 1); it never panics
// and never takes long.
func TestDecodeCorrupt(t *testing.T) {
	pcap, _ := testCapture(t)
	bases := map[string][]byte{}
	read := func(name, path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		bases[name] = b
	}
	read("pcap", pcap)
	if _, err := exec.LookPath("editcap"); err == nil || os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
		ng := filepath.Join(t.TempDir(), "dumps.pcapng")
		read("pcapng", convert(t, ng, "editcap", "-F", "pcapng", pcap, ng))
	}
	read("hex", filepath.Join("..", "..", "testdata", "iproute2", "route_multipath.hex"))
	read("netlink", filepath.Join("..", "..", "testdata", "genl", "families.bin"))

	perBase := 150
	if fullReliability() {
		perBase = 20000
	}
	r := rand.New(rand.NewPCG(7, 11))
	type variant struct {
		name string
		data []byte
	}
	var variants []variant
	names := make([]string, 0, len(bases))
	for n := range bases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, base := range names {
		b := bases[base]
		for i := range perBase {
			c := append([]byte(nil), b...)
			var what string
			switch i % 5 {
			case 0: // cut short
				k := r.IntN(len(c))
				c, what = c[:k], fmt.Sprintf("cut at %d", k)
			case 1: // bytes flipped
				for range 1 + r.IntN(4) {
					c[r.IntN(len(c))] = byte(r.Uint32())
				}
				what = "bytes flipped"
			case 2: // a 32-bit word made huge, zero or odd
				if len(c) >= 4 {
					k := r.IntN(len(c) - 3)
					v := []uint32{0, 1, 0xffffffff, 0x7fffffff, 0x10000, 15, 17}[r.IntN(7)]
					binary.LittleEndian.PutUint32(c[k:], v)
					what = fmt.Sprintf("word at %d set to %#x", k, v)
				}
			case 3: // garbage after the first bytes
				k := min(len(c), 4+r.IntN(32))
				g := make([]byte, r.IntN(4096))
				for j := range g {
					g[j] = byte(r.Uint32())
				}
				c, what = append(c[:k], g...), fmt.Sprintf("garbage after %d bytes", k)
			case 4: // a block repeated or dropped
				k, l := r.IntN(len(c)), r.IntN(64)
				l = min(l, len(c)-k)
				if r.IntN(2) == 0 {
					c, what = append(c[:k:k], c[k+l:]...), fmt.Sprintf("%d bytes dropped at %d", l, k)
				} else {
					c, what = append(append(c[:k+l:k+l], c[k:k+l]...), c[k+l:]...), fmt.Sprintf("%d bytes repeated at %d", l, k)
				}
			}
			variants = append(variants, variant{base + ": " + what, c})
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "corrupt")
	codes := map[string]int{}
	lines := map[string]bool{}
	var slowest time.Duration
	for _, v := range variants {
		if err := os.WriteFile(p, v.data, 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		start := time.Now()
		code := func() (code int) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: decode panicked: %v\n%s", v.name, r, debug.Stack())
					code = -1
				}
			}()
			return decode([]string{p}, nil, strings.NewReader(""), &stdout, &stderr)
		}()
		d := time.Since(start)
		slowest = max(slowest, d)
		marked := regexp.MustCompile(`(?m)^[<>] !! `).MatchString(stdout.String())
		switch {
		case code == 1 && stderr.Len() > 0:
			codes["stopped"]++
		case code == 1 && marked:
			codes["marked"]++
		case code == 0:
			codes["decoded"]++
		}
		switch {
		case d > 5*time.Second:
			t.Errorf("%s: decode took %v", v.name, d)
		case code == 0 && stderr.Len() == 0 && !marked:
		case code == 1 && stderr.Len() == 0 && marked:
		case code == 1 && strings.HasPrefix(stderr.String(), "nlsh: "+p+": ") && strings.Count(stderr.String(), "\n") == 1:
			lines[regexp.MustCompile(`\d+`).ReplaceAllString(strings.TrimPrefix(stderr.String(), "nlsh: "+p+": "), "N")] = true
		default:
			t.Errorf("%s: exit %d, stderr %q", v.name, code, stderr.String())
		}
	}
	t.Logf("figure decode.variants: %d (%d per base: %s)", len(variants), perBase, strings.Join(names, ", "))
	t.Logf("figure decode.exits: %d decoded, %d with bad packets marked (exit 1), %d stopped with one line (exit 1)", codes["decoded"], codes["marked"], codes["stopped"])
	t.Logf("figure decode.distinct: %d", len(lines))
	t.Logf("figure decode.slowest_ms: %d", slowest.Milliseconds())
}

// TestMonitorTinyBuffer: nlsh --monitor with the smallest receive buffer
// the kernel allows (--rcvbuf 1) under a storm of route notifications
// (5,000; 20,000 in the full run) loses some, and says so with OVERRUN
// lines: a loss is never silent.
func TestMonitorTinyBuffer(t *testing.T) {
	n := 5000
	if fullReliability() {
		n = 20000
	}
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nlshBin, "--netns", ns, "--monitor", "route", "--rcvbuf", "1")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; !strings.Contains(out.String(), "10.255.0.1"); i++ {
		if i == 100 {
			t.Fatalf("monitor not listening:\n%s", out.String())
		}
		nstest.IP(t, ns, "route", "add", "10.255.0.1/32", "via", "10.0.0.2")
		nstest.IP(t, ns, "route", "del", "10.255.0.1/32", "via", "10.0.0.2")
		time.Sleep(50 * time.Millisecond)
	}
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "route add 10.64.%d.%d/32 via 10.0.0.2\n", i>>8, i&255)
	}
	batch := exec.Command("ip", "-n", ns, "-batch", "-")
	batch.Stdin = strings.NewReader(b.String())
	if o, err := batch.CombinedOutput(); err != nil {
		t.Fatalf("ip -batch: %v\n%s", err, o)
	}
	route := regexp.MustCompile(`RTM_NEWROUTE .* RTA_DST=10\.64\.`)
	last, quiet := -1, 0
	for quiet < 10 {
		time.Sleep(100 * time.Millisecond)
		if got := len(route.FindAllStringIndex(out.String(), -1)); got == last {
			quiet++
		} else {
			last, quiet = got, 0
		}
	}
	cmd.Process.Signal(os.Interrupt)
	text := out.String()
	got := len(route.FindAllStringIndex(text, -1))
	overruns := strings.Count(text, "OVERRUN: the kernel dropped notifications")
	t.Logf("figure tinybuf.received: %d of %d route notifications, %d OVERRUN lines", got, n, overruns)
	if got < n && overruns == 0 {
		t.Errorf("nlsh lost %d notifications without an OVERRUN line", n-got)
	}
	if got == n {
		t.Logf("no notification was lost: the buffer was not small enough to test with")
	}
}
