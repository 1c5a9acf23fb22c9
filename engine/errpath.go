package engine

import (
	"encoding/binary"
	"strconv"

	"golang.org/x/sys/unix"
)

// ReplyError turns an NLMSG_ERROR (or an NLMSG_DONE carrying an error) into an
// *Error, naming the attribute the kernel's offset points into by walking req,
// the request that was answered. It returns nil for an acknowledgement.
func ReplyError(p *Protocol, m *Message, req []byte) error {
	r := m.Decode(p)
	code, ok := r.Field("error")
	if !ok {
		return nil
	}
	errno, _ := code.(int64)
	if errno == 0 {
		return nil
	}
	if errno < 0 {
		errno = -errno
	}
	e := &Error{Errno: unix.Errno(errno), Offset: -1, MissType: -1, MissNest: -1, Request: req, Reply: r}
	if req != nil && len(req) >= HeaderLen {
		if t := RequestType(p, req); t != nil {
			e.Op = t.Title()
		}
	}
	for i := range r.Attrs {
		a := &r.Attrs[i]
		switch a.Name(ErrAttrs) {
		case "NLMSGERR_ATTR_MSG":
			e.Msg, _ = a.Value.(string)
		case "NLMSGERR_ATTR_OFFS":
			if v, ok := a.Value.(uint64); ok {
				e.Offset = int(v)
			}
		case "NLMSGERR_ATTR_MISS_TYPE":
			if v, ok := a.Value.(uint64); ok {
				e.MissType = int(v)
			}
		case "NLMSGERR_ATTR_MISS_NEST":
			if v, ok := a.Value.(uint64); ok {
				e.MissNest = int(v)
			}
		case "NLMSGERR_ATTR_POLICY":
			if n, ok := a.Value.(*NestValue); ok {
				e.Policy = &Record{Attrs: n.Attrs}
			}
		}
	}
	if len(req) >= HeaderLen {
		if e.Offset >= 0 {
			e.AttrPath, _ = AttrPathAt(p, req, e.Offset)
		}
		if e.MissType >= 0 {
			set := requestSet(p, req)
			if e.MissNest >= 0 {
				if _, s := AttrPathAt(p, req, e.MissNest); s != nil {
					set = s
				}
			}
			e.Missing = set.UnknownName(uint16(e.MissType))
			if d := set.ByType(uint16(e.MissType)); d != nil {
				e.Missing = d.Name
			}
		}
	}
	return e
}

// RequestType is the message type of req, one encoded request message (or
// at least its header), read as a request whatever its flags say.
func RequestType(p *Protocol, req []byte) *MsgType {
	if len(req) < HeaderLen {
		return nil
	}
	h := ParseHeader(req)
	var body []byte
	if n := int(h.Length); n >= HeaderLen && n <= len(req) {
		body = req[HeaderLen:n]
	}
	return p.Resolve(h, body, DirRequest)
}

func requestSet(p *Protocol, req []byte) *AttrSet {
	if t := RequestType(p, req); t != nil && t.Class != nil {
		return t.Class.Attrs
	}
	return nil
}

// AttrPathAt names the attributes of the message msg that contain byte offset
// off (counted from the start of the nlmsghdr), outermost first, and returns
// the attribute set of the innermost one's payload when it is a nest. Offsets
// into the fixed header name the field.
func AttrPathAt(p *Protocol, msg []byte, off int) ([]string, *AttrSet) {
	ms, _ := Split(msg)
	if len(ms) == 0 || off < HeaderLen {
		if off >= 0 && off < HeaderLen {
			return []string{"nlmsghdr"}, nil
		}
		return nil, nil
	}
	m := &ms[0]
	t := m.Type(p)
	if t == nil || t.Class == nil {
		return nil, nil
	}
	rec := m.Decode(p)
	return recordPath(rec, m.Body, off-HeaderLen)
}

func recordPath(rec *Record, b []byte, off int) ([]string, *AttrSet) {
	c := rec.Class
	start := 0
	if c.Struct != nil {
		if off < c.Struct.Size {
			for _, f := range c.Struct.Fields {
				if off >= f.Offset && off < f.Offset+f.Size {
					return []string{c.Struct.Name + "." + f.Name}, nil
				}
			}
			return []string{c.Struct.Name}, nil
		}
		start = align4(c.Struct.Size)
	}
	return attrsPath(c.Attrs, rec.Attrs, b[min(start, len(b)):], off-start)
}

func attrsPath(set *AttrSet, attrs []Attr, b []byte, off int) ([]string, *AttrSet) {
	pos := 0
	for i := range attrs {
		if pos+4 > len(b) {
			break
		}
		l := int(binary.LittleEndian.Uint16(b[pos:]))
		if off >= pos && off < pos+max(l, 4) {
			a := &attrs[i]
			name := a.Name(set)
			inner := off - pos - 4
			if inner < 0 {
				return []string{name}, nestSet(a)
			}
			payload := b[pos+4 : min(pos+l, len(b))]
			var sub []string
			var subset *AttrSet
			switch v := a.Value.(type) {
			case *NestValue:
				sub, subset = attrsPath(v.Set, v.Attrs, payload, inner)
			case *Record:
				sub, subset = recordPath(v, payload, inner)
			case []*Record:
				rp := 0
				for j, r := range v {
					rl := len(payload) - rp
					if rp+2 <= len(payload) {
						rl = int(binary.LittleEndian.Uint16(payload[rp:]))
					}
					if inner >= rp && inner < rp+rl {
						sub, subset = recordPath(r, payload[rp:rp+rl], inner-rp)
						sub = append([]string{"#" + strconv.Itoa(j+1)}, sub...)
						break
					}
					rp += align4(rl)
				}
			}
			return append([]string{name}, sub...), subset
		}
		pos += align4(l)
	}
	return nil, nil
}

func nestSet(a *Attr) *AttrSet {
	switch v := a.Value.(type) {
	case *NestValue:
		return v.Set
	case *Record:
		return v.Class.Attrs
	}
	return nil
}
