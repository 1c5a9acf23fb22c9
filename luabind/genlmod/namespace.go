package genlmod

import (
	"context"
	"time"

	"nlsh/engine"
	"nlsh/genl"
)

// Generic netlink per network namespace: the table binding the family ids
// the kernel gave out there to descriptions, the socket nlsh's own
// requests go through, and a second one that only asks for policies (a
// family is described when first needed, possibly while the first socket
// is busy with a request).
type namespace struct {
	ns     string
	tab    *genl.Table
	sock   Conn
	policy *engine.Conn
}

// describeTimeout bounds asking the kernel for a policy while describing
// a family (it answers at once; a hung describer would hang a trace).
const describeTimeout = 5 * time.Second

// namespaceOf returns the generic netlink state of namespace ns ("" is
// the host's default).
func (m *Module) namespaceOf(ns string) *namespace {
	if ns == "" {
		ns = m.host.NetNS()
	}
	if g := m.nss[ns]; g != nil {
		return g
	}
	g := &namespace{ns: ns}
	g.tab = genl.NewTable(func(in genl.Info) (*genl.Family, error) { return m.describe(g, in) })
	m.nss[ns] = g
	return g
}

// Families is the family table of namespace ns ("" the host's default),
// by which nl.socket('generic') and nl.from_json read generic netlink
// there too.
func (m *Module) Families(ns string) *genl.Table { return m.namespaceOf(ns).tab }

// conn returns the namespace's generic socket, opening it on first use.
func (m *Module) conn(g *namespace) (Conn, error) {
	if g.sock != nil && !g.sock.Closed() {
		g.sock.EndStream()
		return g.sock, nil
	}
	s, err := m.host.Dial(g.ns, g.tab.Protocol())
	if err != nil {
		return nil, err
	}
	g.sock = s
	return s, nil
}

// describe makes the description of a family: from its YNL spec, else
// from the kernel's policy (a spec that fails to load is reported through
// the family's Err, and the policy describes it meanwhile).
func (m *Module) describe(g *namespace, in genl.Info) (*genl.Family, error) {
	f, specErr := m.specs.Describe(in)
	if f != nil {
		return f, nil
	}
	pf, err := m.policyFamily(g, in)
	if specErr != nil {
		return pf, specErr
	}
	return pf, err
}

// policyFamily describes a family from the kernel's policy dump.
func (m *Module) policyFamily(g *namespace, in genl.Info) (*genl.Family, error) {
	if g.policy == nil {
		c, err := m.host.DialUntraced(g.ns, g.tab.Protocol())
		if err != nil {
			return nil, err
		}
		g.policy = c
	}
	ctx, cancel := context.WithTimeout(context.Background(), describeTimeout)
	defer cancel()
	pol, err := g.tab.GetPolicy(ctx, g.policy, in.ID, -1)
	if err != nil {
		return nil, err
	}
	return genl.PolicyFamily(in, pol)
}

// Forget closes the sockets of namespace ns and forgets its families,
// before the namespace is deleted: they would keep it alive.
func (m *Module) Forget(ns string) {
	if g := m.nss[ns]; g != nil {
		if g.sock != nil {
			g.sock.Close()
		}
		if g.policy != nil {
			g.policy.Close()
		}
		delete(m.nss, ns)
	}
}

// Close closes the policy sockets (the host closes the others).
func (m *Module) Close() {
	for _, g := range m.nss {
		if g.policy != nil {
			g.policy.Close()
		}
	}
}
