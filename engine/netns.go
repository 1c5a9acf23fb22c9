package engine

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// NetNSDir is where named network namespaces are bind-mounted, as iproute2's
// `ip netns` expects them.
const NetNSDir = "/run/netns"

// NetNSPath turns a namespace name ("blue") into its file under /run/netns;
// anything containing a '/' is taken as a path already (/proc/PID/ns/net).
func NetNSPath(nameOrPath string) string {
	if strings.Contains(nameOrPath, "/") {
		return nameOrPath
	}
	return filepath.Join(NetNSDir, nameOrPath)
}

// nsGetNSType is the nsfs ioctl NS_GET_NSTYPE (_IO(0xb7, 0x3)): it returns
// the CLONE_NEW* type of the namespace a file refers to. x/sys/unix lacks it.
const nsGetNSType = 0xb703

// OpenNetNS opens the network namespace nameOrPath names (see NetNSPath) and
// checks that the file is one, so a wrong name or path is reported with the
// namespace and the path tried rather than as a bare EINVAL from setns. The
// descriptor is close-on-exec, the caller closes it, and it is never 0:
// mdlayher/netlink's Config reads NetNS 0 as "stay in the current namespace",
// and fd 0 is free once a script closes io.stdin.
func OpenNetNS(nameOrPath string) (int, error) {
	op := "netns " + nameOrPath
	path := NetNSPath(nameOrPath)
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, sysError(op+": open "+path, err)
	}
	if fd == 0 {
		nfd, err := unix.FcntlInt(0, unix.F_DUPFD_CLOEXEC, 3)
		unix.Close(0)
		if err != nil {
			return -1, sysError(op+": dup "+path, err)
		}
		fd = nfd
	}
	if t, err := unix.IoctlRetInt(fd, nsGetNSType); err != nil || t != unix.CLONE_NEWNET {
		unix.Close(fd)
		return -1, &Error{Err: errors.New(path + " is not a network namespace"), Op: op, Offset: -1, MissType: -1, MissNest: -1}
	}
	return fd, nil
}

// sharedDirMu serialises making /run/netns a shared mount point: two
// concurrent first-time AddNetNS calls would otherwise both bind-mount the
// directory onto itself, stacking two mounts.
var sharedDirMu sync.Mutex

// AddNetNS creates a named network namespace the way `ip netns add` does, so
// the two interoperate: /run/netns is made a shared mount point (so that a
// later unmount propagates to other mount namespaces and frees the namespace),
// an empty file is created, and a new namespace made by unshare(CLONE_NEWNET)
// on a locked OS thread is bind-mounted onto it. The thread is then returned
// to its original namespace; if that fails it is left locked, so the runtime
// retires it rather than letting other goroutines run in the new namespace.
// The new namespace's loopback device is down, as with `ip netns add`.
func AddNetNS(name string) error {
	op := "netns add " + name
	if err := validNetNSName(name); err != nil {
		return &Error{Err: err, Op: op, Offset: -1, MissType: -1, MissNest: -1}
	}
	if err := shareNetNSDir(); err != nil {
		return sysError(op+": "+err.op, err.err)
	}
	path := NetNSPath(name)
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0)
	if err != nil {
		return sysError(op+": create "+path, err)
	}
	unix.Close(fd)
	if err := bindNewNetNS(path); err != nil {
		unix.Unmount(path, unix.MNT_DETACH)
		os.Remove(path)
		return sysError(op+": "+err.op, err.err)
	}
	return nil
}

// stepError is a failed system call and the step it belonged to.
type stepError struct {
	op  string
	err error
}

func validNetNSName(name string) error {
	if name == "" || name == "." || name == ".." || strings.Contains(name, "/") || len(name) > 255 {
		return errors.New("invalid namespace name (it must be a file name: not empty, '.' or '..', no '/')")
	}
	return nil
}

// shareNetNSDir makes /run/netns a mount point with shared propagation,
// creating it first if needed, exactly as iproute2 does.
func shareNetNSDir() *stepError {
	sharedDirMu.Lock()
	defer sharedDirMu.Unlock()
	if err := os.MkdirAll(NetNSDir, 0o755); err != nil {
		return &stepError{"mkdir " + NetNSDir, err}
	}
	bound := false
	for {
		err := unix.Mount("", NetNSDir, "none", unix.MS_SHARED|unix.MS_REC, "")
		if err == nil {
			return nil
		}
		// EINVAL: not a mount point yet. Make it one by binding it onto
		// itself, then try again (once).
		if err != unix.EINVAL || bound {
			return &stepError{"mount --make-shared " + NetNSDir, err}
		}
		if err := unix.Mount(NetNSDir, NetNSDir, "none", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return &stepError{"mount --bind " + NetNSDir, err}
		}
		bound = true
	}
}

// bindNewNetNS creates a network namespace on a fresh locked thread and
// bind-mounts it onto path. It runs in its own goroutine so that a thread
// that cannot be restored dies with it (a goroutine that exits while locked
// takes its thread with it).
func bindNewNetNS(path string) *stepError {
	res := make(chan *stepError, 1)
	go func() {
		runtime.LockOSThread()
		tid := unix.Gettid()
		self := "/proc/self/task/" + strconv.Itoa(tid) + "/ns/net"
		orig, err := unix.Open(self, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			res <- &stepError{"open " + self, err}
			return
		}
		defer unix.Close(orig)
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			res <- &stepError{"unshare(CLONE_NEWNET)", err}
			return
		}
		var step *stepError
		if err := unix.Mount(self, path, "none", unix.MS_BIND, ""); err != nil {
			step = &stepError{"mount --bind " + self + " " + path, err}
		}
		if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
			// Leave the thread locked: it is in the wrong namespace.
			if step == nil {
				step = &stepError{"setns back to the original namespace", err}
			}
			res <- step
			return
		}
		runtime.UnlockOSThread()
		res <- step
	}()
	return <-res
}

// DelNetNS deletes a named network namespace as `ip netns del` does: the
// bind mount is detached and the file removed. The namespace itself lives on
// while processes or sockets still use it.
func DelNetNS(name string) error {
	op := "netns del " + name
	if err := validNetNSName(name); err != nil {
		return &Error{Err: err, Op: op, Offset: -1, MissType: -1, MissNest: -1}
	}
	path := NetNSPath(name)
	// EINVAL means it is not a mount point (a stale file): still remove it.
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil && err != unix.EINVAL && err != unix.ENOENT {
		return sysError(op+": umount "+path, err)
	}
	if err := unix.Unlink(path); err != nil {
		return sysError(op+": remove "+path, err)
	}
	return nil
}

// ListNetNS returns the names of the namespaces under /run/netns, sorted. A
// missing directory means there are none.
func ListNetNS() ([]string, error) {
	ents, err := os.ReadDir(NetNSDir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, sysError("netns list", err)
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names, nil // os.ReadDir sorts by name
}
