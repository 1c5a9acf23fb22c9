package luabind

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

func TestTraceAndPcap(t *testing.T) {
	ns := nstest.New(t)
	var out, tr bytes.Buffer
	e := New(Options{NetNS: ns, Stdout: &out, TraceOut: &tr})
	defer e.Close()
	pcap := filepath.Join(t.TempDir(), "trace.pcap")
	run(t, e, `
nl.trace(true)
nl.pcap.open('`+pcap+`')
local s = nl.socket('route')
local m = rtnl.ifinfomsg()
m.header.type = RTM_GETLINK
m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
s:request(m)
local v = rtnl.ifinfomsg()
v.header.type = RTM_NEWLINK
v.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
v.attrs = {{'IFLA_IFNAME', 'v0'}, {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'},
  {'IFLA_INFO_DATA', {{'VETH_INFO_PEER', {attrs = {{'IFLA_IFNAME', 'v1'}}}}}}}}}
s:request(v)
assert(not pcall(s.request, s, v))
nl.pcap.close()
nl.trace(false)
s:request(m)
`)
	trace := tr.String()
	for _, want := range []string{
		"> RTM_GETLINK REQUEST|ROOT|MATCH seq=1",
		`< RTM_NEWLINK MULTI seq=1`, `IFLA_IFNAME="lo"`,
		"< NLMSG_DONE MULTI seq=1", "error=0",
		`> RTM_NEWLINK REQUEST|ACK|EXCL|CREATE seq=2`, `IFLA_LINKINFO={IFLA_INFO_KIND="veth" IFLA_INFO_DATA={VETH_INFO_PEER={ifinfomsg{} IFLA_IFNAME="v1"}}}`,
		"< NLMSG_ERROR CAPPED seq=2", "ack",
		"< NLMSG_ERROR", "error=EEXIST",
	} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
	if n := strings.Count(trace, "seq=4"); n != 0 {
		t.Errorf("trace kept going after nl.trace(false)")
	}
	// The capture holds the same messages the trace printed, in order.
	pkts := readCapture(t, pcap)
	var lines []string
	for _, p := range pkts {
		arrow := "<"
		if p.Out {
			arrow = ">"
		}
		l, _ := engine.TraceLines(e.route, arrow, p.Data, nil)
		lines = append(lines, l)
	}
	if got := strings.Join(lines, ""); got != trace {
		t.Errorf("pcap read back differs from the trace:\n%s\n---\n%s", got, trace)
	}
	tsharkCheck(t, pcap, len(pkts))
}

// readCapture reads back a capture nlsh wrote.
func readCapture(t *testing.T, path string) []engine.Packet {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pkts, err := engine.ReadCapture(f)
	if err != nil {
		t.Fatal(err)
	}
	return pkts
}

// tsharkCheck dissects the capture with tshark: every packet netlink,
// none malformed, the rtnetlink messages named.
func tsharkCheck(t *testing.T, pcap string, packets int) {
	s := nstest.Tshark(t, pcap, packets)
	for _, want := range []string{"Linux rtnetlink", "Get network interface info (18)", "Create network interface (16)", "Error (0x0002)", "EEXIST"} {
		if !strings.Contains(s, want) {
			t.Errorf("tshark output lacks %q", want)
		}
	}
}

func TestMonitorEvents(t *testing.T) {
	ns := nstest.New(t)
	e, _ := newEnv(t, ns)
	vals := run(t, e, `
local events = nl.events({'link', 'ipv4-ifaddr', 'ipv4-route'}, {timeout = 0.5})
local s = nl.socket('route')
local function req(class, type_, flags, fields, attrs)
  local m = rtnl[class](fields)
  m.header.type = type_
  m.header.flags = flags
  m.attrs = attrs or {}
  return s:request(m)
end
local NEW = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
req('ifinfomsg', RTM_NEWLINK, NEW, {}, {{'IFLA_IFNAME', 'm0'}, {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'},
  {'IFLA_INFO_DATA', {{'VETH_INFO_PEER', {attrs = {{'IFLA_IFNAME', 'm1'}}}}}}}}})
local get = rtnl.ifinfomsg(); get.header.type = RTM_GETLINK; get.header.flags = NLM_F_REQUEST
get.attrs = {{'IFLA_IFNAME', 'm0'}}
local idx = s:request(get)[1].index
req('ifinfomsg', RTM_NEWLINK, 'NLM_F_REQUEST|NLM_F_ACK', {index = idx, flags = IFF_UP, change = IFF_UP})
req('ifaddrmsg', RTM_NEWADDR, NEW, {family = AF_INET, prefixlen = 24, index = idx},
  {{'IFA_LOCAL', '10.7.0.1'}, {'IFA_ADDRESS', '10.7.0.1'}})
req('rtmsg', RTM_NEWROUTE, NEW, {family = AF_INET, dst_len = 16, table = RT_TABLE_MAIN, proto = RTPROT_STATIC, type = RTN_UNICAST},
  {{'RTA_DST', '10.8.0.0'}, {'RTA_GATEWAY', '10.7.0.2'}})
req('rtmsg', RTM_DELROUTE, 'NLM_F_REQUEST|NLM_F_ACK', {family = AF_INET, dst_len = 16, table = RT_TABLE_MAIN}, {{'RTA_DST', '10.8.0.0'}})
req('ifaddrmsg', RTM_DELADDR, 'NLM_F_REQUEST|NLM_F_ACK', {family = AF_INET, prefixlen = 24, index = idx}, {{'IFA_LOCAL', '10.7.0.1'}})
req('ifinfomsg', RTM_DELLINK, 'NLM_F_REQUEST|NLM_F_ACK', {index = idx})
local seen = {}
for ev in events do
  local what = ev.event
  if ev.event == 'RTM_NEWROUTE' or ev.event == 'RTM_DELROUTE' then
    what = what .. ' ' .. tostring(ev:get('RTA_DST')) .. '/' .. ev.dst_len
  elseif ev.event == 'RTM_NEWADDR' or ev.event == 'RTM_DELADDR' then
    what = what .. ' ' .. ev:get('IFA_LOCAL')
  else
    what = what .. ' ' .. ev:get('IFLA_IFNAME')
  end
  seen[#seen + 1] = what
end
return table.concat(seen, '\n')
`)
	got := vals[0].String()
	// The kernel sends more than these (the peer, the prefix route, link
	// state changes); what matters is that these come, in this order.
	want := []string{"RTM_NEWLINK m0", "RTM_NEWADDR 10.7.0.1", "RTM_NEWROUTE 10.8.0.0/16", "RTM_DELROUTE 10.8.0.0/16", "RTM_DELADDR 10.7.0.1", "RTM_DELLINK m0"}
	pos := 0
	for _, l := range strings.Split(got, "\n") {
		if pos < len(want) && l == want[pos] {
			pos++
		}
	}
	if pos != len(want) {
		t.Errorf("events missing or out of order; want in order %q, got:\n%s", want, got)
	}
}

func TestMonitorOverrun(t *testing.T) {
	ns := nstest.New(t)
	e, _ := newEnv(t, ns)
	vals := run(t, e, `
local events = nl.events({'link'}, {backlog = 4096, timeout = 0.5})
local s = nl.socket('route')
local function veth(a, b)
  local m = rtnl.ifinfomsg()
  m.header.type = RTM_NEWLINK
  m.header.flags = 'NLM_F_REQUEST|NLM_F_ACK|NLM_F_CREATE|NLM_F_EXCL'
  m.attrs = {{'IFLA_IFNAME', a}, {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'},
    {'IFLA_INFO_DATA', {{'VETH_INFO_PEER', {attrs = {{'IFLA_IFNAME', b}}}}}}}}}
  s:request(m)
end
for i = 1, 30 do veth('a' .. i, 'b' .. i) end
-- the backlog holds two or three: then an overrun, and nothing is lost
-- without one
local before, overrun = 0, false
for ev in events do
  if ev.overrun then overrun = true; break end
  before = before + 1
end
assert(overrun and before < 5, ('expected an overrun after a few notifications, got %d and none'):format(before))
-- drain what is queued, then the stream keeps working
while true do local ev = events(); if not ev then break end end
veth('late0', 'late1')
local names = {}
while true do
  local ev = events()
  if not ev then break end
  if not ev.overrun then names[#names + 1] = ev:get('IFLA_IFNAME') end
end
return table.concat(names, ' ')
`)
	// The tiny buffer holds about one link event, so either half of the
	// new pair may be the one that arrives.
	if got := vals[0].String(); !strings.Contains(got, "late") {
		t.Errorf("after an overrun the monitor saw %q, want an event of the late pair", got)
	}
}

// TestTraceBatch traces and captures an ip.batch whose verbs look up an
// interface by name: the batch's acknowledgements are tapped on its own
// goroutine while the lookups are tapped on the Lua one (go test -race
// checks they do not collide), and every request and acknowledgement is in
// the capture.
func TestTraceBatch(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	var out, tr bytes.Buffer
	e := New(Options{NetNS: ns, Stdout: &out, TraceOut: &tr})
	defer e.Close()
	pcap := filepath.Join(t.TempDir(), "batch.pcap")
	run(t, e, `
nl.trace(true)
nl.pcap.open('`+pcap+`')
ip.batch(function()
  for i = 0, 599 do
    ip.route('add', {dst = ('10.50.%d.%d/32'):format(math.floor(i / 256), i % 256), dev = 'v0'})
  end
end)
nl.pcap.close()
nl.trace(false)`)
	pkts := readCapture(t, pcap)
	var routes, acks int
	for _, p := range pkts {
		ms, _ := engine.Split(p.Data)
		for _, m := range ms {
			switch m.Header.Type {
			case 24: // RTM_NEWROUTE
				routes++
			case engine.NLMSG_ERROR:
				acks++
			}
		}
	}
	if routes != 600 || acks < 600 {
		t.Errorf("capture holds %d RTM_NEWROUTE and %d acknowledgements, want 600 and at least 600", routes, acks)
	}
	if n := strings.Count(tr.String(), "RTM_NEWROUTE"); n < 600 {
		t.Errorf("trace names RTM_NEWROUTE %d times, want at least 600", n)
	}
}

// traceDumpScript traces a dump of the links; TestTraceDatagrams runs it
// against the kernel, TestFakeTraceDatagrams against the fake one.
const traceDumpScript = `
nl.trace(true)
local s = nl.socket('route')
local m = rtnl.ifinfomsg()
m.header.type, m.header.flags = RTM_GETLINK, NLM_F_REQUEST + NLM_F_DUMP
s:request(m)
`

// datagramMarks reads a trace's datagram lines ("< [datagram: N messages,
// B bytes]") and returns each one's N, failing the test unless the N lines
// after it are messages, each starting with one of kinds.
func datagramMarks(t *testing.T, trace string, kinds ...string) []int {
	t.Helper()
	head := regexp.MustCompile(`^< \[datagram: (\d+) messages, \d+ bytes\]$`)
	lines := strings.Split(strings.TrimSpace(trace), "\n")
	var marks []int
	for i := 0; i < len(lines); i++ {
		m := head.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		var n int
		fmt.Sscan(m[1], &n)
		marks = append(marks, n)
		for j := 1; j <= n; j++ {
			if i+j >= len(lines) || !hasAnyPrefix(lines[i+j], kinds) {
				t.Fatalf("the datagram at line %d says %d messages; line %d is not one:\n%s", i+1, n, i+j+1, trace)
			}
		}
		i += n
	}
	return marks
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// TestTraceDatagrams: a dump's datagrams each hold many messages; the
// trace marks where each begins, and shows NLMSG_DONE's error, 0 or not,
// with its extended ACK.
func TestTraceDatagrams(t *testing.T) {
	ns := nstest.New(t)
	for i := 0; i < 6; i++ {
		nstest.IP(t, ns, "link", "add", fmt.Sprintf("a%d", i), "type", "veth", "peer", "name", fmt.Sprintf("b%d", i))
	}
	var tr bytes.Buffer
	e := New(Options{NetNS: ns, Stdout: io.Discard, TraceOut: &tr})
	defer e.Close()
	run(t, e, traceDumpScript+`
m.flags = IFF_UP -- a strict socket refuses this dump in its NLMSG_DONE
pcall(s.request, s, m)
`)
	trace := tr.String()
	// Every message is in a marked datagram, and the dump's messages come
	// in several.
	if datagrams := len(datagramMarks(t, trace, "< RTM_NEWLINK ", "< NLMSG_DONE ")); datagrams < 2 {
		t.Errorf("%d datagrams of several messages marked, want the dump's:\n%s", datagrams, trace)
	}
	for _, want := range []string{"NLMSG_DONE MULTI seq=1 pid=", " error=0\n",
		`< NLMSG_DONE MULTI|ACK_TLVS seq=2`, `error=EINVAL "Invalid values in header for link dump request"`} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
}
