package engine

import (
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// TunTap describes a persistent tun or tap device to create. The kernel does
// not create these over rtnetlink (its tun ops refuse RTM_NEWLINK), so like
// `ip tuntap add` nlsh opens /dev/net/tun and uses its ioctls.
type TunTap struct {
	Name       string
	Tap        bool // a tap (Ethernet) device rather than tun (IP)
	Owner      int  // uid that may attach, or -1
	Group      int  // gid that may attach, or -1
	MultiQueue bool
	PI         bool // keep the packet-information header (off by default, as iproute2)
}

// CreateTunTap creates the device in the network namespace netns ("" = the
// caller's), on a locked thread that is returned to its own namespace after.
func CreateTunTap(netns string, t TunTap) error {
	op := "tuntap add " + t.Name
	return InNetNS(netns, func() error {
		fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
		if err != nil {
			return sysError(op+": open /dev/net/tun", err)
		}
		defer unix.Close(fd)
		ifr, err := unix.NewIfreq(t.Name)
		if err != nil {
			return sysError(op, err)
		}
		flags := uint16(unix.IFF_TUN)
		if t.Tap {
			flags = unix.IFF_TAP
		}
		if !t.PI {
			flags |= unix.IFF_NO_PI
		}
		if t.MultiQueue {
			flags |= unix.IFF_MULTI_QUEUE
		}
		ifr.SetUint16(flags)
		if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
			return sysError(op+": TUNSETIFF", err)
		}
		if t.Owner >= 0 {
			if err := unix.IoctlSetInt(fd, unix.TUNSETOWNER, t.Owner); err != nil {
				return sysError(op+": TUNSETOWNER", err)
			}
		}
		if t.Group >= 0 {
			if err := unix.IoctlSetInt(fd, unix.TUNSETGROUP, t.Group); err != nil {
				return sysError(op+": TUNSETGROUP", err)
			}
		}
		if err := unix.IoctlSetInt(fd, unix.TUNSETPERSIST, 1); err != nil {
			return sysError(op+": TUNSETPERSIST", err)
		}
		return nil
	})
}

// InNetNS runs fn on a locked OS thread switched into the namespace netns
// ("" runs it on the current thread as is). The thread is switched back
// afterwards; if that fails it stays locked and its goroutine ends, so the
// runtime retires the thread instead of reusing it in the wrong namespace.
func InNetNS(netns string, fn func() error) error {
	if netns == "" {
		return fn()
	}
	if fd, err := OpenNetNS(netns); err == nil {
		same := isCurrentNetNS(fd)
		unix.Close(fd)
		if same {
			return fn()
		}
	}
	res := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		self := "/proc/self/task/" + strconv.Itoa(unix.Gettid()) + "/ns/net"
		orig, err := unix.Open(self, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			res <- sysError("open "+self, err)
			return
		}
		defer unix.Close(orig)
		target, err := OpenNetNS(netns)
		if err != nil {
			runtime.UnlockOSThread()
			res <- err
			return
		}
		defer unix.Close(target)
		if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			res <- sysError("netns "+netns+": setns "+NetNSPath(netns), err)
			return
		}
		ferr := fn()
		if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
			res <- sysError("setns back to the original namespace", err)
			return // leave the thread locked: it is in the wrong namespace
		}
		runtime.UnlockOSThread()
		res <- ferr
	}()
	return <-res
}
