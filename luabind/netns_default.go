package luabind

import (
	"golang.org/x/sys/unix"

	"nlsh/engine"
)

// The Env's default network namespace is where everything that opens a
// socket without naming a namespace opens it: nl.socket, nl.events,
// nl.tuntap, generic netlink (its family tables are kept per namespace),
// the ip module's own instance and the interface names completion offers.
// It starts as Options.NetNS (--netns); a lesson moves it into the
// lesson's namespace and back. Each of those asks NetNS when it opens a
// socket, so one assignment here moves them all; sockets already open stay
// in the namespace they were opened in.

// NetNS is the default network namespace ("" is nlsh's own).
func (e *Env) NetNS() string {
	e.nsMu.Lock()
	defer e.nsMu.Unlock()
	return e.netns
}

// SetNetNS makes ns the default network namespace ("" is nlsh's own). A
// namespace that cannot be opened is an error and changes nothing. The ip
// module's socket is closed, so its next verb opens one in ns.
func (e *Env) SetNetNS(ns string) error {
	if ns != "" {
		fd, err := engine.OpenNetNS(ns)
		if err != nil {
			return err
		}
		unix.Close(fd)
	}
	e.nsMu.Lock()
	e.netns = ns
	e.nsMu.Unlock()
	e.rebindIP(ns)
	return nil
}

// rebindIP points the ip module's own instance (the global ip, not those
// ip.netns returns) at namespace ns: its socket is closed, and its next
// sockets, batches and monitors open in ns.
func (e *Env) rebindIP(ns string) {
	if e.ip == nil {
		return // not made yet: making it binds it to NetNS
	}
	e.ip.SetNetNS(ns)
}

// forgetNetNS closes every socket the Env opened in namespace ns and its
// generic netlink state, before the namespace is deleted: they would keep
// it (and its devices) alive for as long as nlsh runs.
func (e *Env) forgetNetNS(ns string) {
	for s := range e.sockets {
		if s.netns == ns {
			s.close()
			delete(e.sockets, s)
		}
	}
	e.genl.Forget(ns)
}
