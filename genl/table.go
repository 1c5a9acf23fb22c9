package genl

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"nlsh/engine"
)

// Info is what the kernel says of a family (a CTRL_CMD_NEWFAMILY message).
type Info struct {
	Name    string
	ID      uint16
	Version uint32
	HdrSize uint32
	MaxAttr uint32
	Ops     []KernelOp
	Groups  []Group
}

// KernelOp is a command the kernel accepts for a family, with its GENL_*
// flags (cmd-cap-do, cmd-cap-dump, admin-perm, …).
type KernelOp struct {
	Cmd   uint32
	Flags uint32
}

// Group is a multicast group with the id the kernel gave it.
type Group struct {
	Name string
	ID   uint32
}

// ParseInfo reads a family's Info from a decoded nlctrl message.
func ParseInfo(r *engine.Record) (Info, error) {
	var in Info
	if r == nil {
		return in, fmt.Errorf("no nlctrl message")
	}
	for _, a := range r.Attrs {
		switch a.Name(CtrlAttrs) {
		case "family-id":
			if v, ok := a.Value.(uint64); ok {
				in.ID = uint16(v)
			}
		case "family-name":
			in.Name, _ = a.Value.(string)
		case "version":
			in.Version = u32(a.Value)
		case "hdrsize":
			in.HdrSize = u32(a.Value)
		case "maxattr":
			in.MaxAttr = u32(a.Value)
		case "ops":
			for _, el := range elems(a.Value) {
				id, _ := el.Get("id")
				fl, _ := el.Get("flags")
				in.Ops = append(in.Ops, KernelOp{Cmd: u32(id), Flags: u32(fl)})
			}
		case "mcast-groups":
			for _, el := range elems(a.Value) {
				n, _ := el.Get("name")
				id, _ := el.Get("id")
				name, _ := n.(string)
				in.Groups = append(in.Groups, Group{Name: name, ID: u32(id)})
			}
		}
	}
	if in.Name == "" || in.ID == 0 {
		return in, fmt.Errorf("nlctrl message without a family name and id")
	}
	return in, nil
}

func u32(v any) uint32 {
	n, _ := v.(uint64)
	return uint32(n)
}

// elems returns the elements of an array attribute as nests.
func elems(v any) []*engine.NestValue {
	n, ok := v.(*engine.NestValue)
	if !ok {
		return nil
	}
	var out []*engine.NestValue
	for _, a := range n.Attrs {
		if el, ok := a.Value.(*engine.NestValue); ok {
			out = append(out, el)
		}
	}
	return out
}

// Bound is a family as one namespace's kernel knows it: the kernel's id,
// version, commands and groups, with the family's description, which is
// made on first use (a spec to read, or a policy to ask the kernel for).
type Bound struct {
	ID     uint16 // the family's id in this namespace
	Name   string
	Kernel Info // what the kernel said of it

	once     sync.Once
	describe func() (*Family, error)
	fam      *Family
	err      error
	req, rep map[uint8]*engine.MsgType
	any      *engine.MsgType // a message whose command cannot be read
}

// Family returns the family's description, making it on first use. When
// describing fails the family is described by its command numbers alone;
// Err says why.
func (b *Bound) Family() *Family {
	b.once.Do(b.build)
	return b.fam
}

// Err is why the family could not be described as well as asked (a spec
// that did not load, a policy the kernel refused), or nil.
func (b *Bound) Err() error {
	b.once.Do(b.build)
	return b.err
}

func (b *Bound) build() {
	var f *Family
	if b.describe != nil {
		f, b.err = b.describe()
	}
	if f == nil {
		var err error
		if f, err = Bare(b.Kernel); err != nil {
			f = &Family{Name: b.Name, Source: "kernel"}
			f.Build()
			if b.err == nil {
				b.err = err
			}
		}
	}
	b.fam = f
	b.req, b.rep = map[uint8]*engine.MsgType{}, map[uint8]*engine.MsgType{}
	b.any = &engine.MsgType{Name: b.Name, Family: b.Name, Type: b.ID, Class: f.generic}
	for _, op := range f.Ops {
		mt := &engine.MsgType{Name: op.Name, Type: b.ID, Class: op.Class, Op: opKind(op.Name), Family: b.Name, Doc: op.Doc}
		if op.Req >= 0 {
			if _, taken := b.req[uint8(op.Req)]; !taken {
				b.req[uint8(op.Req)] = mt
			}
		}
		if op.Reply >= 0 {
			if _, taken := b.rep[uint8(op.Reply)]; !taken {
				b.rep[uint8(op.Reply)] = mt
			}
		}
	}
}

// Op returns the operation named n (see Family.Op). A command the kernel
// offers that the description does not name is "cmd-N": its attributes
// are known by number only.
func (b *Bound) Op(n string) *Op {
	f := b.Family()
	if op := f.Op(n); op != nil {
		return op
	}
	num, ok := strings.CutPrefix(n, "cmd-")
	if !ok {
		return nil
	}
	cmd, err := strconv.Atoi(num)
	if err != nil || cmd < 0 || cmd > 255 {
		return nil
	}
	fl, known := b.KernelOp(cmd)
	if !known {
		return nil
	}
	return &Op{Name: n, Req: cmd, Reply: cmd, Set: f.generic.Attrs, Class: f.generic,
		Do: fl&FlagCapDo != 0, Dump: fl&FlagCapDump != 0, DoReply: true}
}

// KernelOp returns the kernel's flags for request command cmd.
func (b *Bound) KernelOp(cmd int) (uint32, bool) {
	for _, o := range b.Kernel.Ops {
		if int(o.Cmd) == cmd {
			return o.Flags, true
		}
	}
	return 0, false
}

// GroupID returns the id of the multicast group named n.
func (b *Bound) GroupID(n string) (uint32, bool) {
	for _, g := range b.Kernel.Groups {
		if g.Name == n {
			return g.ID, true
		}
	}
	return 0, false
}

// RequestType is the message type of a request for op.
func (b *Bound) RequestType(op *Op) *engine.MsgType {
	b.Family()
	if op.Req < 0 {
		return nil
	}
	return b.req[uint8(op.Req)]
}

func bind(in Info, describe func() (*Family, error)) *Bound {
	return &Bound{ID: in.ID, Name: in.Name, Kernel: in, describe: describe}
}

// resolve is the message type of a message of this family.
func (b *Bound) resolve(body []byte, dir engine.Direction) *engine.MsgType {
	f := b.Family()
	if len(body) < 1 {
		return b.any
	}
	m := b.rep
	if dir == engine.DirRequest {
		m = b.req
	}
	if mt := m[body[0]]; mt != nil {
		return mt
	}
	return &engine.MsgType{Name: cmdName(body[0]), Type: b.ID, Class: f.generic, Family: b.Name}
}

// Describer returns the description of the family the kernel calls
// in.Name; nil (and no error) means none is known.
type Describer func(in Info) (*Family, error)

// Table maps the family ids of one namespace to descriptions. It is the
// generic protocol's engine.Resolver and is safe for concurrent use:
// tracing resolves messages from a batch's goroutine.
type Table struct {
	mu       sync.RWMutex
	byID     map[uint16]*Bound
	byName   map[string]*Bound
	describe Describer
	proto    *engine.Protocol
}

// NewTable returns a table that knows nlctrl, describing other families
// with d (which may be nil: families are then known by their command
// numbers only).
func NewTable(d Describer) *Table {
	t := &Table{byID: map[uint16]*Bound{}, byName: map[string]*Bound{}, describe: d}
	ctrl := bind(Info{Name: "nlctrl", ID: CtrlID, Version: 2}, func() (*Family, error) { return Ctrl(), nil })
	t.byID[CtrlID], t.byName["nlctrl"] = ctrl, ctrl
	t.proto = (&engine.Protocol{Name: "generic", Number: 16, Dynamic: t}).Build()
	return t
}

// Protocol is the generic netlink protocol whose messages this table
// resolves.
func (t *Table) Protocol() *engine.Protocol { return t.proto }

// Resolve implements engine.Resolver.
func (t *Table) Resolve(h engine.Header, body []byte, dir engine.Direction) *engine.MsgType {
	t.mu.RLock()
	b := t.byID[h.Type]
	t.mu.RUnlock()
	if b == nil {
		return nil
	}
	return b.resolve(body, dir)
}

// ByName returns the family bound under name n, or nil.
func (t *Table) ByName(n string) *Bound {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.byName[n]
}

// ByID returns the family bound to id, or nil.
func (t *Table) ByID(id uint16) *Bound {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.byID[id]
}

// Bound lists the families bound so far, by name.
func (t *Table) Bound() []*Bound {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]*Bound, 0, len(t.byName))
	for _, b := range t.byName {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Bind records what the kernel said of a family. Its description is made
// when first needed; a family already bound under the same name and
// version keeps the one it has.
func (t *Table) Bind(in Info) *Bound {
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.byName[in.Name]
	var b *Bound
	switch {
	case in.Name == "nlctrl":
		b = bind(in, func() (*Family, error) { return Ctrl(), nil })
	case old != nil && old.Kernel.Version == in.Version:
		f := old.Family
		b = bind(in, func() (*Family, error) { return f(), old.Err() })
	default:
		d := t.describe
		b = bind(in, func() (*Family, error) {
			if d == nil {
				return nil, nil
			}
			return d(in)
		})
	}
	if old != nil && t.byID[old.ID] == old {
		delete(t.byID, old.ID)
	}
	if prev := t.byID[in.ID]; prev != nil {
		delete(t.byName, prev.Name)
	}
	t.byID[in.ID], t.byName[in.Name] = b, b
	return b
}

// Forget drops the family named n (it went away, or its id is stale).
func (t *Table) Forget(n string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if b := t.byName[n]; b != nil {
		delete(t.byName, n)
		if t.byID[b.ID] == b {
			delete(t.byID, b.ID)
		}
	}
}

// Learn reads the nlctrl messages of a datagram (replies to getfamily,
// and the notify group's new and deleted families), so that a trace or a
// capture decodes the families they name. It reports how many families
// it bound or forgot.
func (t *Table) Learn(data []byte) int {
	msgs, _ := engine.Split(data)
	n := 0
	for i := range msgs {
		m := &msgs[i]
		if m.Header.Type != CtrlID || m.Header.Flags&engine.NLM_F_REQUEST != 0 || len(m.Body) < 4 {
			continue
		}
		switch m.Body[0] {
		case CmdNewFamily:
			in, err := ParseInfo(m.Decode(t.proto))
			if err != nil {
				continue
			}
			if b := t.ByName(in.Name); b != nil && b.ID == in.ID && b.Kernel.Version == in.Version {
				continue
			}
			t.Bind(in)
			n++
		case CmdDelFamily:
			if in, err := ParseInfo(m.Decode(t.proto)); err == nil && in.Name != "nlctrl" {
				t.Forget(in.Name)
				n++
			}
		}
	}
	return n
}

// Bare describes a family by the kernel's command numbers alone: each
// command is an operation named cmd-N whose attributes are unknown.
func Bare(in Info) (*Family, error) {
	f := &Family{Name: in.Name, Version: uint8(in.Version), Source: "kernel"}
	for _, o := range in.Ops {
		if o.Cmd > 255 {
			continue
		}
		op := &Op{Name: cmdName(uint8(o.Cmd)), Req: int(o.Cmd), Reply: int(o.Cmd),
			Do: o.Flags&FlagCapDo != 0, Dump: o.Flags&FlagCapDump != 0, DoReply: true}
		f.Ops = append(f.Ops, op)
	}
	for _, g := range in.Groups {
		f.Groups = append(f.Groups, g.Name)
	}
	if err := f.Build(); err != nil {
		return nil, err
	}
	return f, nil
}
