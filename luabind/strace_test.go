package luabind

import (
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// straceSent runs `prog ARGS` in namespace ns under strace and returns
// the buffers it sent with syscall (sendmsg for iproute2, sendto for
// ethtool), read from strace's hex dump of each ("-e write=all").
func straceSent(t *testing.T, ns, syscall, prog string, args ...string) [][]byte {
	t.Helper()
	strace, err := exec.LookPath("strace")
	if err != nil {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatal("strace is needed (install Debian's strace)")
		}
		t.Skip("strace is not installed")
	}
	log := filepath.Join(t.TempDir(), "strace.log")
	argv := append([]string{"-f", "-o", log, "-e", "trace=" + syscall, "-e", "write=all",
		"ip", "netns", "exec", ns, prog}, args...)
	if out, err := exec.Command(strace, argv...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, out)
	}
	text, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	// Each call is followed by its buffer as lines
	// " | 00000  24 00 00 00 25 00 05 00  b1 f3 08 6b 00 00 00 00  $...%......k.... |":
	// the offset, 49 columns of hex, the text.
	var bufs [][]byte
	for _, line := range strings.Split(string(text), "\n") {
		if strings.Contains(line, syscall+"(") {
			bufs = append(bufs, nil)
			continue
		}
		i := strings.Index(line, " | ")
		if i < 0 || len(bufs) == 0 || len(line) < i+10+49 {
			continue
		}
		b, err := hex.DecodeString(strings.Join(strings.Fields(line[i+10:i+10+49]), ""))
		if err != nil {
			t.Fatalf("strace log line %q: %v", line, err)
		}
		bufs[len(bufs)-1] = append(bufs[len(bufs)-1], b...)
	}
	return bufs
}
