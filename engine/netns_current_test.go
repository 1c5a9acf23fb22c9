package engine_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// TestCurrentNetNS: the namespace a process is in is told apart from
// another, so Dial and InNetNS enter only one they are not in already
// (cmd/nlsh's TestUnprivileged runs nlsh --netns as nobody that way).
func TestCurrentNetNS(t *testing.T) {
	ns := nstest.New(t)
	for _, c := range []struct {
		path string
		want bool
	}{{"/proc/self/ns/net", true}, {ns, false}} {
		fd, err := engine.OpenNetNS(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := engine.IsCurrentNetNS(fd); got != c.want {
			t.Errorf("IsCurrentNetNS(%s) = %v, want %v", c.path, got, c.want)
		}
		unix.Close(fd)
	}
	// Dialling the current namespace by path works and is that namespace.
	c, err := engine.Dial(unix.NETLINK_ROUTE, engine.ConnConfig{NetNS: "/proc/self/ns/net"})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}
