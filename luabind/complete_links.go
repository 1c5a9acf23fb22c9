package luabind

import (
	"context"
	"errors"
	"time"

	"nlsh/engine"
)

// linkTimeout bounds the interface dump behind ifname completion.
const linkTimeout = 2 * time.Second

// linkNames lists the interfaces of the Env's network namespace, read live
// with an RTM_GETLINK dump; nil when the kernel cannot be asked.
func (c *completer) linkNames() []string {
	t := c.e.route.TypeByName("RTM_GETLINK")
	if t == nil {
		return nil
	}
	req, err := engine.EncodeMessage(engine.Header{Type: t.Type, Flags: engine.NLM_F_REQUEST | engine.NLM_F_DUMP}, t.Class, nil)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), linkTimeout)
	defer cancel()
	var msgs []engine.Message
	// A busy machine can fail a dump (interrupted by changes, a transient
	// socket error); completion tries again rather than offer nothing.
	for try := 0; try < 3; try++ {
		conn, err := c.e.opts.Dial(0, engine.ConnConfig{NetNS: c.e.NetNS(), Guard: c.e.guard(0, c.e.route)})
		if err != nil {
			continue
		}
		msgs, err = conn.Request(ctx, c.e.route, req)
		conn.Close()
		if err == nil || errors.Is(err, engine.ErrDumpInterrupted) && len(msgs) > 0 {
			break
		}
		msgs = nil
	}
	var names []string
	for i := range msgs {
		for _, v := range msgs[i].Lookup(c.e.route, []string{"IFLA_IFNAME"}, true) {
			if s, ok := v.(string); ok {
				names = append(names, s)
			}
		}
	}
	return names
}
