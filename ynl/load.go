package ynl

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"strconv"

	"nlsh/engine"
)

// maxText bounds a spec's YAML text once gunzipped. The largest spec the
// kernel ships is about 200 KiB; a bound keeps a small gzip bomb from
// taking the memory a large one would.
const maxText = 16 << 20

// Load reads the spec in the file at path (plain YAML or gzip).
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot read the spec", Err: err}
	}
	return Parse(path, data)
}

// Parse turns a spec into engine descriptions. data may be gzip (told by
// its magic number) or plain YAML; file names it in errors.
func Parse(file string, data []byte) (spec *Spec, err error) {
	// The last line of defence: a panic is a bug in this package, which
	// FuzzParse looks for; it becomes an error rather than ending the
	// program.
	defer func() {
		if v := recover(); v != nil {
			spec, err = nil, &Error{File: file, Msg: "cannot load the spec (a bug in nlsh)", Err: &internalError{v}}
		}
	}()
	text, err := gunzip(file, data)
	if err != nil {
		return nil, err
	}
	root, err := parseYAML(text)
	if err != nil {
		e := err.(*yamlSyntaxError)
		return nil, &Error{File: file, Line: e.line, Msg: "bad YAML: " + e.msg, Err: err}
	}
	if root == nil {
		return nil, &Error{File: file, Msg: "the spec is empty"}
	}
	p := newParser(file)
	p.parse(node{y: root})
	if p.err != nil {
		return nil, p.err
	}
	return p.spec, nil
}

func gunzip(file string, data []byte) ([]byte, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{File: file, Msg: "bad gzip data", Err: err}
	}
	text, err := io.ReadAll(io.LimitReader(zr, maxText+1))
	if err != nil {
		return nil, &Error{File: file, Msg: "bad gzip data", Err: err}
	}
	if len(text) > maxText {
		return nil, &Error{File: file, Msg: "the spec is larger than " + strconv.Itoa(maxText>>20) + " MiB"}
	}
	return text, nil
}

// parser turns one spec's YAML into a Spec. It reads in phases, each
// needing only what earlier ones built: definitions; attribute sets as
// empty shells with their numbers and prefixes; sub-message formats
// tables; then the attributes themselves (which may point at any set,
// struct, enum or sub-message); the formats; operations; groups.
type parser struct {
	reader
	spec   *Spec
	family string
	genl   bool // generic netlink: nests carry NLA_F_NESTED

	consts   map[string]int64
	enums    map[string]*enumDef
	structs  map[string]*structDef
	sets     map[string]*setDef
	subs     map[string]*subDef
	subOrder []*subDef
	groups   map[string]bool

	bitfields map[*engine.Enum]*engine.StructDesc // bitfield32 layouts, by the enum naming their bits
	plain     *engine.StructDesc                  // the bitfield32 layout with no names
}

func newParser(file string) *parser {
	return &parser{
		reader: reader{file: file},
		spec: &Spec{File: file, enums: map[string]*engine.Enum{}, enumC: map[*engine.Enum][]string{},
			structs: map[string]*engine.StructDesc{}, sets: map[string]*engine.AttrSet{}, ops: map[string]*Op{}},
		consts:    map[string]int64{},
		enums:     map[string]*enumDef{},
		structs:   map[string]*structDef{},
		sets:      map[string]*setDef{},
		subs:      map[string]*subDef{},
		groups:    map[string]bool{},
		bitfields: map[*engine.Enum]*engine.StructDesc{},
	}
}

var protocols = []string{"genetlink", "genetlink-c", "genetlink-legacy", "netlink-raw"}

func (p *parser) parse(root node) {
	top := p.mapping(root)
	if p.err != nil {
		return
	}
	s := p.spec
	s.Name = p.reqStr(top, "name")
	p.family = s.Name
	s.Doc = p.str(top, "doc")
	s.Protocol = "genetlink"
	if top.has("protocol") {
		s.Protocol = p.str(top, "protocol")
		p.oneOf(top, "protocol", s.Protocol, protocols...)
	}
	p.genl = s.Protocol != "netlink-raw"
	if p.genl {
		s.Version = 1
		if v, ok := p.optInt(top, "version", 1, 255); ok {
			s.Version = int(v)
		}
	} else {
		n, ok := p.optInt(top, "protonum", 0, 31)
		if !ok {
			top.missing(&p.reader, "protonum")
		}
		s.Protonum = int(n)
	}
	if p.err != nil {
		return
	}
	// Each phase runs only if those before it went well.
	read := func(key string, required bool, phase func(node)) {
		if p.err != nil {
			return
		}
		n, ok := top.get(key)
		if !ok && required {
			top.missing(&p.reader, key)
			return
		}
		phase(n)
	}
	then := func(phase func()) {
		if p.err == nil {
			phase()
		}
	}
	read("definitions", false, p.definitions)
	read("attribute-sets", true, p.attributeSets)
	read("sub-messages", false, p.subMessages)
	then(p.fillSets)
	then(p.fillSubMessages)
	read("mcast-groups", false, p.mcastGroups)
	read("operations", true, p.operations)
}

// errAt records err, from an engine builder, at n.
func (p *parser) errAt(n node, err error) { p.failf(n, "%v", err) }
