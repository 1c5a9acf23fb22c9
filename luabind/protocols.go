package luabind

import (
	"sort"
	"strconv"

	"nlsh/engine"
)

// The protocols an Env speaks, in one registry: NETLINK_ROUTE by rtnl's
// descriptions, generic netlink by the families of each namespace (so its
// protocol is that namespace's), and the others nlsh names but does not
// describe (their messages are a header and a payload).

// newRegistry holds the protocols nl.socket, nl.explain and nl.from_json
// know by name. Generic netlink's entry stands for the protocol's number
// and name; its messages are read by a namespace's family table.
func newRegistry(route *engine.Protocol) *engine.Registry {
	r := engine.NewRegistry(route)
	for _, p := range []struct {
		name string
		n    int
	}{{"sock_diag", 4}, {"netfilter", 12}, {"generic", 16}} {
		r.Add((&engine.Protocol{Name: p.name, Number: p.n}).Build())
	}
	return r
}

// protocolNamed returns the protocol named name as namespace ns reads it
// ("" for the Env's), and its number; ok is false for a name nlsh does not
// know.
func (e *Env) protocolNamed(name, ns string) (p *engine.Protocol, ok bool) {
	p = e.reg.ByName(name)
	if p == nil {
		return nil, false
	}
	return e.protocolNumbered(p.Number, ns), true
}

// protocolNumbered returns protocol n as namespace ns reads it: generic
// netlink by that namespace's families, an unknown number as a bare
// protocol.
func (e *Env) protocolNumbered(n int, ns string) *engine.Protocol {
	if n == 16 {
		return e.genl.Families(ns).Protocol()
	}
	if p := e.reg.ByNumber(n); p != nil {
		return p
	}
	return (&engine.Protocol{Name: "protocol " + strconv.Itoa(n), Number: n}).Build()
}

// protocolNames lists the protocols' names, sorted.
func (e *Env) protocolNames() []string {
	var names []string
	for _, p := range e.reg.Protocols() {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	return names
}
