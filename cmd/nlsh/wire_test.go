package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nlsh/engine/nstest"
)

// TestTracePcapDecode: --trace prints every message, --pcap writes them, and
// `nlsh decode` reads the capture back offline, printing the same lines.
func TestTracePcapDecode(t *testing.T) {
	ns := nstest.New(t)
	pcap := filepath.Join(t.TempDir(), "add.pcap")
	r := nlsh(t, "", "--netns", ns, "--trace", "--pcap", pcap, script("add_veth.lua"), "v0", "v1")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, `> RTM_NEWLINK REQUEST|ACK|EXCL|CREATE seq=1`) || !strings.Contains(r.stderr, "< NLMSG_ERROR CAPPED seq=1") {
		t.Errorf("--trace printed:\n%s", r.stderr)
	}
	d := nlsh(t, "", "decode", pcap)
	if d.code != 0 || d.stdout != r.stderr {
		t.Errorf("decode (exit %d) printed\n%s\nthe trace was\n%s", d.code, d.stdout, r.stderr)
	}
	x := nlsh(t, "", "decode", "--explain", pcap)
	if x.code != 0 || !strings.Contains(x.stdout, "nla_type = 1 VETH_INFO_PEER") {
		t.Errorf("decode --explain (exit %d):\n%s", x.code, x.stdout)
	}
	e := nlsh(t, "", "--netns", ns, "--trace=explain", "-e", "ip.link('add', {ifname='b0', kind='bridge'})")
	if e.code != 0 || !strings.Contains(e.stderr, "IFLA_INFO_KIND = \"bridge\"") {
		t.Errorf("--trace=explain (exit %d):\n%s", e.code, e.stderr)
	}
}

func TestDecodeHexAndErrors(t *testing.T) {
	hexFile := filepath.Join("..", "..", "testdata", "iproute2", "addr4.hex")
	r := nlsh(t, "", "decode", hexFile)
	if r.code != 0 || !strings.Contains(r.stdout, "RTM_NEWADDR REQUEST|ACK|EXCL|CREATE") || !strings.Contains(r.stdout, "IFA_LOCAL=10.0.0.1") {
		t.Errorf("decode of a hex dump (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := nlsh(t, "", "decode"); r.code != 2 {
		t.Errorf("decode without a file exits %d, want 2", r.code)
	}
	if r := nlsh(t, "", "decode", "/nonexistent"); r.code != 1 {
		t.Errorf("decode of a missing file exits %d, want 1", r.code)
	}
	if r := nlsh(t, "", "--trace=loud", "-e", "return 1"); r.code != 2 || !strings.Contains(r.stderr, "--trace takes compact or explain") {
		t.Errorf("bad --trace: exit %d %s", r.code, r.stderr)
	}
}

// TestMonitorFlag: --monitor prints notifications with timestamps until
// interrupted, then exits 0.
func TestMonitorFlag(t *testing.T) {
	ns := nstest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nlshBin, "--netns", ns, "--monitor", "link,addr")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Repeat the change until the monitor has shown it: the test cannot
	// know when the monitor has subscribed.
	for i := 0; i < 50 && !strings.Contains(out.String(), "RTM_NEWADDR"); i++ {
		time.Sleep(200 * time.Millisecond)
		nstest.IP(t, ns, "link", "add", "m"+strconv.Itoa(i), "type", "veth", "peer", "name", "n"+strconv.Itoa(i))
		nstest.IP(t, ns, "addr", "add", "10.9."+strconv.Itoa(i)+".1/24", "dev", "m"+strconv.Itoa(i))
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	s := out.String()
	if err != nil {
		t.Errorf("monitor exit: %v\n%s", err, s)
	}
	if !strings.Contains(s, "] RTM_NEWLINK") || !strings.Contains(s, "] RTM_NEWADDR") || !strings.HasPrefix(s, "[") {
		t.Errorf("monitor output:\n%s", s)
	}
}

// syncBuffer is a bytes.Buffer safe to read while a process writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestGenlTracePcapDecode: generic netlink traced, captured and decoded
// offline: nlsh decode learns the family ids from the capture's nlctrl
// replies and prints what the trace printed; tshark dissects every packet
// as generic netlink, none malformed.
func TestGenlTracePcapDecode(t *testing.T) {
	ns := nstest.New(t)
	pcap := filepath.Join(t.TempDir(), "genl.pcap")
	r := nlsh(t, "", "--netns", ns, "--trace", "--pcap", pcap, "-e", `local f = genl.family('nlctrl'); f:dumpit('getpolicy', {family_name = 'nlctrl'})`)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		`> nlctrl getfamily REQUEST|ACK seq=1`,
		`< nlctrl getfamily seq=1`,
		`family-name="nlctrl"`,
		`> nlctrl getpolicy REQUEST|ROOT|MATCH seq=2`,
		`< nlctrl getpolicy MULTI seq=2`,
		`< NLMSG_DONE MULTI seq=2`,
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("--trace lacks %q:\n%s", want, r.stderr)
		}
	}
	d := nlsh(t, "", "decode", pcap)
	if d.code != 0 || d.stdout != r.stderr {
		t.Errorf("decode (exit %d) printed\n%s\nthe trace was\n%s", d.code, d.stdout, r.stderr)
	}
	s := nstest.Tshark(t, pcap, -1)
	for _, want := range []string{"Linux Generic Netlink protocol", "Command: CTRL_CMD_GETFAMILY (3)", "Command: CTRL_CMD_GETPOLICY (10)", "Family Name: nlctrl"} {
		if !strings.Contains(s, want) {
			t.Errorf("tshark output lacks %q", want)
		}
	}
}

// TestReadOnlyFlag: --read-only refuses a change before it is sent (exit
// 1, one line naming the message), while the --pcap file named on the
// command line is still written and reads work.
func TestReadOnlyFlag(t *testing.T) {
	ns := nstest.New(t)
	pcap := filepath.Join(t.TempDir(), "ro.pcap")
	r := nlsh(t, "", "--netns", ns, "--read-only", "--pcap", pcap, "-e", `assert(#ip.links() == 1); ip.link('add', {ifname = 'v0', kind = 'veth', peer = 'v1'})`)
	if r.code != 1 || !strings.HasPrefix(r.stderr, "RTM_NEWLINK refused: read-only") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if out := nstest.IP(t, ns, "-o", "link", "show"); strings.Contains(out, "v0") {
		t.Errorf("v0 was made under --read-only:\n%s", out)
	}
	d := nlsh(t, "", "decode", pcap)
	if d.code != 0 || !strings.Contains(d.stdout, "> RTM_GETLINK") || strings.Contains(d.stdout, "> RTM_NEWLINK") {
		t.Errorf("the capture (exit %d) should hold the dump and not the refused request:\n%s", d.code, d.stdout)
	}
}
