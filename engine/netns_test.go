package engine_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

func TestNetNSPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"blue", "/run/netns/blue"},
		{"nlsht-1", "/run/netns/nlsht-1"},
		{"/proc/1/ns/net", "/proc/1/ns/net"},
		{"./blue", "./blue"},
		{"/run/netns/red", "/run/netns/red"},
	}
	for _, tt := range tests {
		if got := engine.NetNSPath(tt.in); got != tt.want {
			t.Errorf("NetNSPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// ipNetNSList returns the names `ip netns list` shows.
func ipNetNSList(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("ip", "netns", "list").CombinedOutput()
	if err != nil {
		t.Fatalf("ip netns list: %v\n%s", err, out)
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0]) // "name (id: 0)"
		}
	}
	return names
}

func TestNetNSRoundTrip(t *testing.T) {
	nstest.New(t) // skips or fails without root, as every kernel test does
	name := fmt.Sprintf("%srt-%d", nstest.Prefix, os.Getpid())
	if err := engine.AddNetNS(name); err != nil {
		t.Fatalf("AddNetNS: %v", err)
	}
	deleted := false
	defer func() {
		if !deleted {
			engine.DelNetNS(name)
		}
	}()

	list, err := engine.ListNetNS()
	if err != nil {
		t.Fatalf("ListNetNS: %v", err)
	}
	if !slices.Contains(list, name) {
		t.Errorf("ListNetNS() = %v, missing %s", list, name)
	}
	if !slices.IsSorted(list) {
		t.Errorf("ListNetNS() not sorted: %v", list)
	}
	if got := ipNetNSList(t); !slices.Contains(got, name) {
		t.Errorf("ip netns list = %v, missing %s", got, name)
	}
	// iproute2 can use it: it is a real namespace holding only lo.
	if out := nstest.IP(t, name, "-o", "link", "show"); !strings.Contains(out, "lo:") || strings.Count(out, "\n") != 1 {
		t.Errorf("ip -n %s link show:\n%s", name, out)
	}

	if err := engine.AddNetNS(name); !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding %s twice: %v, want EEXIST", name, err)
	}

	if err := engine.DelNetNS(name); err != nil {
		t.Fatalf("DelNetNS: %v", err)
	}
	deleted = true
	if list, _ := engine.ListNetNS(); slices.Contains(list, name) {
		t.Errorf("ListNetNS() after delete = %v", list)
	}
	if got := ipNetNSList(t); slices.Contains(got, name) {
		t.Errorf("ip netns list after delete = %v", got)
	}
	if err := engine.DelNetNS(name); !errors.Is(err, unix.ENOENT) {
		t.Errorf("deleting %s twice: %v, want ENOENT", name, err)
	}
}

// TestNetNSFromIP checks namespaces made by `ip netns add` are usable and
// removable here too.
func TestNetNSFromIP(t *testing.T) {
	nstest.New(t)
	name := fmt.Sprintf("%sip-%d", nstest.Prefix, os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v\n%s", err, out)
	}
	c, err := engine.Dial(unix.NETLINK_ROUTE, engine.ConnConfig{NetNS: name})
	if err != nil {
		exec.Command("ip", "netns", "del", name).Run()
		t.Fatalf("Dial: %v", err)
	}
	got := dumpLinks(t, c)
	c.Close()
	if !slices.Equal(got, []string{"lo"}) {
		t.Errorf("links in %s: %v", name, got)
	}
	if err := engine.DelNetNS(name); err != nil {
		t.Fatalf("DelNetNS: %v", err)
	}
	if slices.Contains(ipNetNSList(t), name) {
		t.Errorf("ip netns still lists %s", name)
	}
}

func TestNetNSBadNames(t *testing.T) {
	for _, name := range []string{"", ".", "..", "a/b", strings.Repeat("x", 256)} {
		if err := engine.AddNetNS(name); err == nil {
			engine.DelNetNS(name)
			t.Errorf("AddNetNS(%q) succeeded", name)
		}
		if err := engine.DelNetNS(name); err == nil {
			t.Errorf("DelNetNS(%q) succeeded", name)
		}
	}
}

// threadNetNS lists the network namespaces of every thread of this process.
func threadNetNS(t *testing.T) map[string]int {
	t.Helper()
	tasks, err := filepath.Glob("/proc/self/task/*/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, p := range tasks {
		if l, err := os.Readlink(p); err == nil { // threads may exit meanwhile
			seen[l]++
		}
	}
	return seen
}

// TestNetNSNoLeak creates namespaces concurrently and checks that no thread
// of the process is left in one of them.
func TestNetNSNoLeak(t *testing.T) {
	nstest.New(t)
	self, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	// engine calls, not nstest.New: t.Fatal must not run off the test's
	// goroutine.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			name := fmt.Sprintf("%sleak-%d-%d", nstest.Prefix, os.Getpid(), i)
			if err := engine.AddNetNS(name); err != nil {
				t.Error(err)
				return
			}
			defer engine.DelNetNS(name)
			c, err := engine.Dial(unix.NETLINK_ROUTE, engine.ConnConfig{NetNS: name})
			if err != nil {
				t.Error(err)
				return
			}
			c.Close()
		})
	}
	wg.Wait()
	for l, n := range threadNetNS(t) {
		if l != self {
			t.Errorf("%d threads in %s, not the process's %s", n, l, self)
		}
	}
}

// TestNetNSNotANamespace checks that a file that is no network namespace is
// refused by every way into one, with an error naming the namespace as given
// and the path tried, before any setns.
func TestNetNSNotANamespace(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-namespace")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ns   string
		want []string // substrings of the error
	}{
		{file, []string{"netns " + file + ": ", file + " is not a network namespace"}},
		{"/proc/self/ns/mnt", []string{"netns /proc/self/ns/mnt: ", "/proc/self/ns/mnt is not a network namespace"}},
		{"nlsht-does-not-exist", []string{"netns nlsht-does-not-exist: ", "open /run/netns/nlsht-does-not-exist", "no such file or directory"}},
	}
	for _, tt := range tests {
		ways := map[string]func() error{
			"OpenNetNS": func() error {
				fd, err := engine.OpenNetNS(tt.ns)
				if err == nil {
					unix.Close(fd)
				}
				return err
			},
			"Dial": func() error {
				c, err := engine.Dial(unix.NETLINK_ROUTE, engine.ConnConfig{NetNS: tt.ns})
				if err == nil {
					c.Close()
				}
				return err
			},
			"InNetNS": func() error {
				return engine.InNetNS(tt.ns, func() error { return errors.New("fn ran") })
			},
		}
		for way, f := range ways {
			err := f()
			if err == nil {
				t.Errorf("%s(%q) succeeded", way, tt.ns)
				continue
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s(%q): error %q lacks %q", way, tt.ns, err, w)
				}
			}
		}
	}
}

func TestOpenNetNS(t *testing.T) {
	// The process's own namespace needs no root to open.
	fd, err := engine.OpenNetNS("/proc/self/ns/net")
	if err != nil {
		t.Fatalf("OpenNetNS(/proc/self/ns/net): %v", err)
	}
	defer unix.Close(fd)
	var have, want unix.Stat_t
	if err := unix.Fstat(fd, &have); err != nil {
		t.Fatal(err)
	}
	if err := unix.Stat("/proc/self/ns/net", &want); err != nil {
		t.Fatal(err)
	}
	if have.Ino != want.Ino || have.Dev != want.Dev {
		t.Errorf("OpenNetNS opened inode %d, want %d", have.Ino, want.Ino)
	}
}

// TestDialNetNSWithFD0Free opens a socket in a namespace while descriptor 0
// is free (as after a script's io.stdin:close()): the namespace file opens as
// fd 0, which mdlayher/netlink would read as "no namespace" and dial in the
// process's own. The socket must still be in the namespace.
func TestDialNetNSWithFD0Free(t *testing.T) {
	ns := nstest.New(t)
	var c *engine.Conn
	var err error
	nstest.WithFD0Closed(t, func() {
		c, err = engine.Dial(unix.NETLINK_ROUTE, engine.ConnConfig{NetNS: ns})
	})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	defer c.Close()
	// A fresh namespace holds only lo; any other link is not its own.
	if diff := cmp.Diff([]string{"lo"}, dumpLinks(t, c)); diff != "" {
		t.Errorf("links seen by a socket dialled into %s (-want +got):\n%s", ns, diff)
	}
	nstest.WithFD0Closed(t, func() {
		fd, err := engine.OpenNetNS(ns)
		if err != nil {
			t.Errorf("OpenNetNS: %v", err)
			return
		}
		defer unix.Close(fd)
		if fd == 0 {
			t.Errorf("OpenNetNS returned fd 0")
		}
	})
}
