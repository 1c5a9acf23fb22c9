package engine

// Direction says which way a message travels. Generic netlink numbers some
// operations differently in requests and in replies, so the same command
// byte can mean two operations.
type Direction uint8

// Directions.
const (
	// DirAuto decides by the header: requests carry NLM_F_REQUEST, and
	// nothing the kernel sends does.
	DirAuto Direction = iota
	DirRequest
	DirReply
)

func (d Direction) String() string {
	switch d {
	case DirRequest:
		return "request"
	case DirReply:
		return "reply"
	}
	return "auto"
}

// Of resolves DirAuto for a message with header h.
func (d Direction) Of(h Header) Direction {
	if d != DirAuto {
		return d
	}
	if h.Flags&NLM_F_REQUEST != 0 {
		return DirRequest
	}
	return DirReply
}

// Resolver finds the message type of messages a protocol's static table
// does not describe. body is the payload after the header (it may be
// short or empty: an acknowledgement echoes only the request's header);
// dir is never DirAuto. nil means unknown. It is called from any goroutine
// that decodes, so it must be safe for concurrent use.
type Resolver interface {
	Resolve(h Header, body []byte, dir Direction) *MsgType
}

// Resolve returns the message type of a message of protocol p with header
// h and payload body: a control message, a type of the static table, or one
// the protocol's Dynamic resolver knows. Every caller that needs a
// message's layout asks here. p may be nil (nothing but control messages
// is known then).
func (p *Protocol) Resolve(h Header, body []byte, dir Direction) *MsgType {
	if h.Type < 0x10 {
		return controlTypes[h.Type]
	}
	if p == nil {
		return nil
	}
	if p.Dynamic != nil {
		if t := p.Dynamic.Resolve(h, body, dir.Of(h)); t != nil {
			return t
		}
	}
	return p.staticType(h.Type)
}

// Type resolves the message's type in protocol p, the direction read from
// its header.
func (m *Message) Type(p *Protocol) *MsgType {
	return p.Resolve(m.Header, m.Body, DirAuto)
}

// Registry holds the protocols a program speaks, by number and by name.
type Registry struct {
	byNumber map[int]*Protocol
	byName   map[string]*Protocol
	order    []*Protocol
}

// NewRegistry holds the given protocols.
func NewRegistry(ps ...*Protocol) *Registry {
	r := &Registry{byNumber: map[int]*Protocol{}, byName: map[string]*Protocol{}}
	for _, p := range ps {
		r.Add(p)
	}
	return r
}

// Add registers p, replacing a protocol of the same number.
func (r *Registry) Add(p *Protocol) {
	if old := r.byNumber[p.Number]; old != nil {
		delete(r.byName, old.Name)
		for i, q := range r.order {
			if q == old {
				r.order = append(r.order[:i], r.order[i+1:]...)
				break
			}
		}
	}
	r.byNumber[p.Number] = p
	r.byName[p.Name] = p
	r.order = append(r.order, p)
}

// ByNumber returns the protocol numbered n (NETLINK_ROUTE is 0), or nil.
func (r *Registry) ByNumber(n int) *Protocol { return r.byNumber[n] }

// ByName returns the protocol named n ("route", "generic"), or nil.
func (r *Registry) ByName(n string) *Protocol { return r.byName[n] }

// Protocols lists the protocols in the order they were added.
func (r *Registry) Protocols() []*Protocol { return append([]*Protocol(nil), r.order...) }
