package genl

import (
	"fmt"
	"strconv"
	"strings"

	"nlsh/engine"
)

// Header is struct genlmsghdr, which starts every generic netlink payload.
var Header = engine.NewStruct("genlmsghdr",
	engine.Field{Name: "cmd", Kind: engine.U8, Doc: "the operation (command)"},
	engine.Field{Name: "version", Kind: engine.U8, Doc: "the family's interface version"},
	engine.Field{Name: "reserved", Kind: engine.U16, Doc: "must be zero"},
)

// Family describes a generic netlink family's operations and layouts,
// independent of the id the kernel gave it in a namespace.
type Family struct {
	Name    string
	Version uint8  // the version requests carry (genlmsghdr.version)
	Source  string // where the description came from: "built in", a spec file, "kernel policy", "kernel"
	Doc     string
	Fixed   *engine.StructDesc // a fixed header after genlmsghdr, or nil
	Ops     []*Op
	Sets    []*engine.AttrSet // every attribute set, for help and completion
	Enums   []*engine.Enum
	Groups  []string // multicast group names the description knows

	header  *engine.StructDesc // genlmsghdr with Fixed's fields after it
	byName  map[string]*Op
	generic *engine.Class // the class of commands no operation describes
}

// Op is one operation of a family.
type Op struct {
	Name  string
	CName string
	Doc   string
	// Req and Reply are the command numbers in requests and in replies
	// (or notifications); -1 when the operation has no such direction.
	Req, Reply int
	Set        *engine.AttrSet
	Fixed      *engine.StructDesc // the operation's own fixed header, if it differs from the family's
	Do, Dump   bool               // what the description says the operation offers
	DoReply    bool               // its do answers with a message (not only an acknowledgement)
	ReqAttrs   []string           // attributes the description lists for requests
	ReplyAttrs []string           // and for replies
	Flags      []string           // admin-perm and the like, as the description says
	Event      bool               // a notification only: nothing to request
	Class      *engine.Class      // genlmsghdr, the fixed header and Set
}

// Build indexes the family and gives each operation its class. It reports
// operations whose numbers clash.
func (f *Family) Build() error {
	hdr, err := headerWith(f.Name, f.Fixed)
	if err != nil {
		return err
	}
	f.header = hdr
	f.byName = map[string]*Op{}
	f.generic = &engine.Class{Name: f.Name, Struct: hdr, Attrs: engine.NewAttrSet(f.Name+"-unknown", "attr-"),
		Doc: "a " + f.Name + " message whose command nlsh has no description for"}
	req, rep := map[int]string{}, map[int]string{}
	for _, op := range f.Ops {
		if _, dup := f.byName[op.Name]; dup {
			return fmt.Errorf("family %s: two operations named %s", f.Name, op.Name)
		}
		f.byName[op.Name] = op
		for _, side := range []struct {
			n    int
			seen map[int]string
			dir  string
		}{{op.Req, req, "request"}, {op.Reply, rep, "reply"}} {
			if side.n < 0 {
				continue
			}
			if side.n > 255 {
				return fmt.Errorf("family %s: operation %s: %s command %d does not fit genlmsghdr.cmd", f.Name, op.Name, side.dir, side.n)
			}
			// Two operations may answer with the same message (a get and
			// the notification of a change): the first names it. Two
			// requests with one number cannot be told apart.
			if other, dup := side.seen[side.n]; dup && side.dir == "request" {
				return fmt.Errorf("family %s: operations %s and %s are both %s command %d", f.Name, other, op.Name, side.dir, side.n)
			}
			if _, dup := side.seen[side.n]; !dup {
				side.seen[side.n] = op.Name
			}
		}
		h := hdr
		if op.Fixed != nil && op.Fixed != f.Fixed {
			if h, err = headerWith(f.Name+" "+op.Name, op.Fixed); err != nil {
				return err
			}
		}
		if h, err = withCmdName(h, op); err != nil {
			return err
		}
		op.Class = &engine.Class{Name: op.Name, Struct: h, Attrs: op.Set, Doc: op.Doc}
	}
	return nil
}

// withCmdName is an operation's header: h with genlmsghdr.cmd naming the
// operation's command numbers, so that print, nl.explain and traces show
// which command the byte is (cmd = 2 linkinfo-get). The request's number
// comes last, so that the name reads back as the request's.
func withCmdName(h *engine.StructDesc, op *Op) (*engine.StructDesc, error) {
	en := &engine.Enum{Name: op.Name + " command"}
	for _, n := range []int{op.Reply, op.Req} {
		if n >= 0 {
			en.Values = append(en.Values, engine.EnumValue{Name: op.Name, Value: uint64(n)})
		}
	}
	if len(en.Values) == 0 {
		return h, nil
	}
	return h.WithEnum(h.Fields[0].Name, en)
}

// headerWith is genlmsghdr followed by a family's fixed header.
func headerWith(name string, fixed *engine.StructDesc) (*engine.StructDesc, error) {
	if fixed == nil {
		return Header, nil
	}
	fields := append([]engine.Field{}, Header.Fields...)
	for _, fl := range fixed.Fields {
		if _, clash := Header.FieldIndex(fl.Name); clash && fl.Kind != engine.Pad {
			return nil, fmt.Errorf("family %s: fixed header %s has a field named %s, as genlmsghdr does", name, fixed.Name, fl.Name)
		}
		fl.Offset = 0
		fields = append(fields, fl)
	}
	return engine.MakeStruct("genlmsghdr+"+fixed.Name, fields...)
}

// Op returns the operation named n: its spec name (linkinfo-get), with '_'
// for '-' (linkinfo_get), or its C name (ETHTOOL_MSG_LINKINFO_GET).
func (f *Family) Op(n string) *Op {
	if op := f.byName[n]; op != nil {
		return op
	}
	if op := f.byName[strings.ReplaceAll(n, "_", "-")]; op != nil {
		return op
	}
	for _, op := range f.Ops {
		if op.CName != "" && op.CName == n {
			return op
		}
	}
	return nil
}

// OpNames lists the operations' names, in the description's order.
func (f *Family) OpNames() []string {
	ns := make([]string, len(f.Ops))
	for i, op := range f.Ops {
		ns[i] = op.Name
	}
	return ns
}

// Header is the struct every message of the family starts with:
// genlmsghdr, then the family's fixed header if any.
func (f *Family) Header() *engine.StructDesc { return f.header }

// opKind reads what an operation does from its name, for the header
// flags' names and for read-only checks: get, dump and the like only read.
func opKind(name string) engine.Op {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, "-get") || strings.HasPrefix(n, "get") || strings.HasSuffix(n, "-dump") || strings.HasSuffix(n, "_get"):
		return engine.OpGet
	case strings.HasSuffix(n, "-set") || strings.HasPrefix(n, "set"):
		return engine.OpSet
	case strings.HasSuffix(n, "-new") || strings.HasSuffix(n, "-add") || strings.HasPrefix(n, "new") || strings.HasPrefix(n, "add") || strings.HasSuffix(n, "-create"):
		return engine.OpNew
	case strings.HasSuffix(n, "-del") || strings.HasPrefix(n, "del") || strings.HasSuffix(n, "-delete") || strings.HasSuffix(n, "-flush") || strings.HasPrefix(n, "flush"):
		return engine.OpDel
	}
	return engine.OpOther
}

// cmdName names a command no operation describes.
func cmdName(n uint8) string { return "cmd-" + strconv.Itoa(int(n)) }
