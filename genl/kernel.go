package genl

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"golang.org/x/sys/unix"

	"nlsh/engine"
)

// Requester sends one request and returns its replies, as engine.Conn's
// Request does on a NETLINK_GENERIC socket. Tests give a fake.
type Requester interface {
	Request(ctx context.Context, p *engine.Protocol, req []byte) ([]engine.Message, error)
}

// Encode builds a request for op of the bound family: genlmsghdr with op's
// command and the family's version, the fixed header's fields from fields
// (a keyed engine.Table, or nil for zeros), then attrs (an engine.Table
// list of pairs, or nil).
func (b *Bound) Encode(op *Op, flags uint16, fields map[string]any, attrs any) ([]byte, error) {
	if op.Req < 0 {
		return nil, fmt.Errorf("%s %s is a notification: there is nothing to request", b.Name, op.Name)
	}
	m := map[string]any{"cmd": uint64(op.Req), "version": uint64(b.Family().Version), "attrs": attrs}
	for k, v := range fields {
		if k == "cmd" || k == "version" || k == "attrs" {
			continue
		}
		m[k] = v
	}
	if attrs == nil {
		delete(m, "attrs")
	}
	h := engine.Header{Type: b.ID, Flags: flags}
	return engine.EncodeMessage(h, op.Class, engine.Table{Map: m})
}

// ErrNoFamily is wrapped by Lookup's error when the kernel has no family
// of that name.
var ErrNoFamily = errors.New("no such generic netlink family")

// Lookup asks the kernel for the family named name and binds it.
func (t *Table) Lookup(ctx context.Context, r Requester, name string) (*Bound, error) {
	ctrl := t.ByName("nlctrl")
	op := ctrl.Op("getfamily")
	req, err := ctrl.Encode(op, engine.NLM_F_REQUEST|engine.NLM_F_ACK, nil,
		engine.Table{List: []any{engine.Table{List: []any{"family-name", name}}}})
	if err != nil {
		return nil, err
	}
	msgs, err := r.Request(ctx, t.proto, req)
	if err != nil {
		if errors.Is(err, unix.ENOENT) {
			return nil, fmt.Errorf("%w: %q", ErrNoFamily, name)
		}
		return nil, err
	}
	for i := range msgs {
		in, err := ParseInfo(msgs[i].Decode(t.proto))
		if err == nil && in.Name == name {
			return t.Bind(in), nil
		}
	}
	return nil, fmt.Errorf("nlctrl answered getfamily %q with no family", name)
}

// List asks the kernel for every family and binds them all, sorted by
// name.
func (t *Table) List(ctx context.Context, r Requester) ([]*Bound, error) {
	ctrl := t.ByName("nlctrl")
	req, err := ctrl.Encode(ctrl.Op("getfamily"), engine.NLM_F_REQUEST|engine.NLM_F_DUMP, nil, nil)
	if err != nil {
		return nil, err
	}
	msgs, err := r.Request(ctx, t.proto, req)
	if err != nil {
		return nil, err
	}
	var out []*Bound
	for i := range msgs {
		in, err := ParseInfo(msgs[i].Decode(t.proto))
		if err != nil {
			continue
		}
		out = append(out, t.Bind(in))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Call runs send for the family named name, bound already or looked up
// now, and returns what it returns. A refusal with ENOENT may mean the
// family went away and came back under another id: the family is looked
// up again and, only if its id changed, send runs once more with the new
// binding. Operations also answer ENOENT for their own reasons (no such
// object), and a change must never be sent twice, so an unchanged id
// returns the first refusal.
func (t *Table) Call(ctx context.Context, r Requester, name string, send func(b *Bound) ([]engine.Message, error)) (*Bound, []engine.Message, error) {
	b := t.ByName(name)
	if b == nil {
		var err error
		if b, err = t.Lookup(ctx, r, name); err != nil {
			return nil, nil, err
		}
	}
	msgs, err := send(b)
	if !errors.Is(err, unix.ENOENT) {
		return b, msgs, err
	}
	nb, lerr := t.Lookup(ctx, r, name)
	if lerr != nil || nb.ID == b.ID {
		return b, msgs, err
	}
	msgs, err = send(nb)
	return nb, msgs, err
}
