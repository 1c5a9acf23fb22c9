// Package nstest gives tests throwaway network namespaces, so tests that talk
// to the kernel never touch the host's own interfaces, addresses or routes.
//
// Namespaces are created with engine.AddNetNS and removed with
// engine.DelNetNS (so every kernel test also exercises those), which makes
// them visible to `ip netns` like any other; IP runs iproute2 inside one to set
// up fixtures or check results.
//
// Creating a namespace needs root (CAP_SYS_ADMIN). Without it New skips the test, unless the
// environment sets NLSH_REQUIRE_NETNS=1 (as CI does), when it fails instead,
// so kernel tests are never skipped silently.
//
// KernelMessages replays what a kernel sent: the dumps recorded in
// testdata/dumps, for tests and fuzz seeds that need no kernel.
package nstest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"nlsh/engine"
)

// Name returns a unique namespace name for the test to create itself (as
// a documented session or example does); a namespace of that name left
// behind when the test ends is reported, when left is set, and deleted.
func Name(t testing.TB, left bool) string {
	t.Helper()
	name := newName(t)
	t.Cleanup(func() {
		if _, err := os.Stat(filepath.Join(engine.NetNSDir, name)); err == nil {
			if left {
				t.Errorf("the test left namespace %s behind", name)
			}
			if err := engine.DelNetNS(name); err != nil {
				t.Error(err)
			}
		}
	})
	return name
}

// newName is a unique name with Prefix, or skips the test (fails it under
// NLSH_REQUIRE_NETNS=1) when it cannot make namespaces.
func newName(t testing.TB) string {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatal("network namespace tests need root (NLSH_REQUIRE_NETNS=1 forbids skipping them)")
		}
		t.Skip("network namespace tests need root")
	}
	var r [6]byte
	if _, err := rand.Read(r[:]); err != nil {
		t.Fatalf("nstest: random name: %v", err)
	}
	return Prefix + hex.EncodeToString(r[:])
}

// Prefix starts the name of every namespace New creates, so leftovers from a
// crashed run are easy to find (`ip netns | grep nlsht-`).
const Prefix = "nlsht-"

// New creates a network namespace with a unique name, arranges for it to be
// deleted when the test ends, and returns its name. Its loopback device is
// down, as after `ip netns add`.
func New(t testing.TB) string {
	t.Helper()
	name := newName(t)
	if err := engine.AddNetNS(name); err != nil {
		// Root without CAP_SYS_ADMIN (some containers) cannot either.
		if errors.Is(err, unix.EPERM) && os.Getenv("NLSH_REQUIRE_NETNS") != "1" {
			t.Skipf("nstest: cannot create network namespaces: %v", err)
		}
		t.Fatalf("nstest: %v", err)
	}
	t.Cleanup(func() {
		if err := engine.DelNetNS(name); err != nil {
			t.Errorf("nstest: %v", err)
		}
	})
	return name
}

// IP runs `ip -n ns args...` and returns its standard output. If ip fails,
// the test fails with the command and everything it printed.
func IP(t testing.TB, ns string, args ...string) string {
	t.Helper()
	argv := append([]string{"-n", ns}, args...)
	cmd := exec.Command("ip", argv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ip %s: %v\n%s%s", strings.Join(argv, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// WithFD0Closed runs fn with file descriptor 0 closed, so the next file
// opened gets it (as after a script's io.stdin:close()), then restores it.
// The test must not run in parallel, so no other open takes it meanwhile.
func WithFD0Closed(t testing.TB, fn func()) {
	t.Helper()
	saved, err := unix.FcntlInt(0, unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		t.Fatalf("dup stdin: %v", err)
	}
	defer func() {
		if err := unix.Dup2(saved, 0); err != nil {
			t.Errorf("restore stdin: %v", err)
		}
		unix.Close(saved)
	}()
	unix.Close(0)
	fn()
}
