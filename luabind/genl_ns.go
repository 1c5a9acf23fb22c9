package luabind

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
type genlNS struct {
	ns     string
	tab    *genl.Table
	sock   *socket
	policy *engine.Conn
}

// describeTimeout bounds asking the kernel for a policy while describing
// a family (it answers at once; a hung describer would hang a trace).
const describeTimeout = 5 * time.Second

// genlFor returns the generic netlink state of namespace ns ("" is the
// Env's own).
func (e *Env) genlFor(ns string) *genlNS {
	if ns == "" {
		ns = e.NetNS()
	}
	if g := e.genls[ns]; g != nil {
		return g
	}
	g := &genlNS{ns: ns}
	g.tab = genl.NewTable(func(in genl.Info) (*genl.Family, error) { return e.describe(g, in) })
	e.genls[ns] = g
	return g
}

// conn returns the namespace's generic socket, opening it on first use.
func (e *Env) genlConn(g *genlNS) (*socket, error) {
	if g.sock != nil && !g.sock.closed.Load() {
		g.sock.endStream()
		return g.sock, nil
	}
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = g.ns
	s, err := e.dial(16, g.tab.Protocol(), "generic", cfg)
	if err != nil {
		return nil, err
	}
	g.sock = s
	return s, nil
}

// describe makes the description of a family: from its YNL spec, else
// from the kernel's policy (a spec that fails to load is reported through
// the family's Err, and the policy describes it meanwhile).
func (e *Env) describe(g *genlNS, in genl.Info) (*genl.Family, error) {
	f, specErr := e.specs.Describe(in)
	if f != nil {
		return f, nil
	}
	pf, err := e.policyFamily(g, in)
	if specErr != nil {
		return pf, specErr
	}
	return pf, err
}

// policyFamily describes a family from the kernel's policy dump.
func (e *Env) policyFamily(g *genlNS, in genl.Info) (*genl.Family, error) {
	if g.policy == nil {
		cfg := engine.DefaultConnConfig()
		cfg.NetNS = g.ns
		cfg.Guard = e.guard(16, g.tab.Protocol())
		c, err := e.opts.Dial(16, cfg)
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

func (e *Env) closeGenl() {
	for _, g := range e.genls {
		if g.policy != nil {
			g.policy.Close()
		}
	}
}
