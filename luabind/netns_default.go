package luabind

import (
	lua "github.com/yuin/gopher-lua"
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
// ip.netns returns) at namespace ns: it closes the instance's socket
// (ip.close) and sets the namespace its sockets, batches and monitors
// open in.
func (e *Env) rebindIP(ns string) {
	inst, ok := e.ipModule.(*lua.LTable)
	if !ok {
		return // not loaded yet: loading binds it to NetNS
	}
	if closeFn, ok := inst.RawGetString("close").(*lua.LFunction); ok {
		top := e.L.GetTop()
		e.L.Push(closeFn)
		e.pcall(e.L, "ip.close", 0, 0, nil) // a failed close leaves nothing to undo
		e.L.SetTop(top)
	}
	var v lua.LValue = lua.LNil
	if ns != "" {
		v = lua.LString(ns)
	}
	inst.RawSetString("_netns", v)
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
	if g := e.genls[ns]; g != nil {
		if g.sock != nil {
			g.sock.close()
		}
		if g.policy != nil {
			g.policy.Close()
		}
		delete(e.genls, ns)
	}
}
