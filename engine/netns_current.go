package engine

import "golang.org/x/sys/unix"

// isCurrentNetNS reports whether fd is the network namespace the calling
// thread is in. Entering it would change nothing, and setns needs
// CAP_SYS_ADMIN even then, so Dial and InNetNS skip it: an unprivileged
// process started inside a namespace (ip netns exec, nsenter) can still be
// told --netns of that namespace. Every thread nlsh does not hold locked is
// in the process's namespace, so the calling thread stands for them all.
func isCurrentNetNS(fd int) bool {
	var have, self unix.Stat_t
	if unix.Fstat(fd, &have) != nil || unix.Stat("/proc/thread-self/ns/net", &self) != nil {
		return false
	}
	return have.Dev == self.Dev && have.Ino == self.Ino
}
