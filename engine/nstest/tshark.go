package nstest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Tshark dissects a capture with tshark (CI installs it; elsewhere its
// absence skips the test) and returns what it prints with -V. It fails
// the test when tshark finds a malformed packet or sees other than
// packets netlink packets.
func Tshark(t testing.TB, pcap string, packets int) string {
	t.Helper()
	ts, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatal("tshark is needed to check pcap output (install Debian's tshark)")
		}
		t.Skip("tshark not installed")
	}
	out, err := exec.Command(ts, "-r", pcap, "-V").CombinedOutput()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	s := string(out)
	if strings.Contains(strings.ToLower(s), "malformed") {
		t.Errorf("tshark reports malformed packets:\n%s", s)
	}
	if n := strings.Count(s, "Linux netlink (cooked header)"); packets >= 0 && n != packets {
		t.Errorf("tshark saw %d netlink packets, want %d", n, packets)
	}
	return s
}
