package helptext

import (
	"sort"

	"nlsh/engine"
)

// Source is what a Catalog describes: NETLINK_ROUTE and the constants an
// Env defines.
type Source struct {
	Route    *engine.Protocol // the descriptions
	Types    *engine.Enum     // the message types, as header.type names them
	Consts   []engine.Const   // every global constant, sorted by name
	NetlinkH map[string]int64 // the protocol numbers and socket options of linux/netlink.h
}

// A Catalog indexes the protocol's descriptions for help and completion:
// every attribute set, struct and enum reachable from the message classes,
// and who uses each. It is built on demand (a few thousand entries, well
// under a millisecond) rather than kept, so an Env carries no second copy of
// the descriptions.
type Catalog struct {
	src       Source
	sets      []*engine.AttrSet // every set, in the order the walk met them
	setUsers  map[*engine.AttrSet][]string
	attrs     map[string][]attrRef // attribute name -> where it is defined
	structs   []*engine.StructDesc
	structUse map[*engine.StructDesc][]string
	enums     []*engine.Enum
	enumUsers map[*engine.Enum][]string
}

// attrRef is one definition of an attribute name.
type attrRef struct {
	set  *engine.AttrSet
	desc *engine.AttrDesc
}

// NewCatalog indexes what src describes.
func NewCatalog(src Source) *Catalog {
	c := &Catalog{
		src:       src,
		setUsers:  map[*engine.AttrSet][]string{},
		attrs:     map[string][]attrRef{},
		structUse: map[*engine.StructDesc][]string{},
		enumUsers: map[*engine.Enum][]string{},
	}
	seenClass := map[*engine.Class]bool{}
	var walkClass func(cl *engine.Class, user string)
	var walkSet func(s *engine.AttrSet, user string)
	var walkStruct func(s *engine.StructDesc, user string)
	useEnum := func(en *engine.Enum, user string) {
		if en == nil {
			return
		}
		if _, ok := c.enumUsers[en]; !ok {
			c.enums = append(c.enums, en)
		}
		c.enumUsers[en] = appendOnce(c.enumUsers[en], user)
	}
	walkStruct = func(s *engine.StructDesc, user string) {
		if s == nil {
			return
		}
		if _, ok := c.structUse[s]; !ok {
			c.structs = append(c.structs, s)
			for _, f := range s.Fields {
				useEnum(f.Enum, s.Name+"."+f.Name)
			}
			walkStruct(s.Flex, s.Name+"."+s.FlexName)
		}
		c.structUse[s] = appendOnce(c.structUse[s], user)
	}
	var walkAttr func(d *engine.AttrDesc, name string)
	walkAttr = func(d *engine.AttrDesc, name string) {
		useEnum(d.Enum, name)
		switch d.Kind {
		case engine.Nested:
			walkSet(d.Set, name)
		case engine.Struct:
			walkStruct(d.Struct, name)
		case engine.Records, engine.Embedded:
			walkClass(d.Record, name+" ("+d.Record.Name+")")
		case engine.SubMsg:
			for _, k := range sortedKeys(d.Sub.Formats) {
				walkAttr(d.Sub.Formats[k], name+" ("+d.Sub.Selector+" "+k+")")
			}
			if d.Sub.Default != nil {
				walkAttr(d.Sub.Default, name+" (any other "+d.Sub.Selector+")")
			}
		}
	}
	walkSet = func(s *engine.AttrSet, user string) {
		if s == nil {
			return
		}
		_, seen := c.setUsers[s]
		c.setUsers[s] = appendOnce(c.setUsers[s], user)
		if seen {
			return
		}
		c.sets = append(c.sets, s)
		for _, d := range s.Attrs {
			c.attrs[d.Name] = append(c.attrs[d.Name], attrRef{s, d})
		}
		for _, d := range s.Attrs {
			walkAttr(d, d.Name)
		}
	}
	walkClass = func(cl *engine.Class, user string) {
		if cl == nil {
			return
		}
		if seenClass[cl] {
			// Still note the new user of the class's parts.
			if cl.Struct != nil {
				c.structUse[cl.Struct] = appendOnce(c.structUse[cl.Struct], user)
			}
			if cl.Attrs != nil {
				c.setUsers[cl.Attrs] = appendOnce(c.setUsers[cl.Attrs], user)
			}
			return
		}
		seenClass[cl] = true
		walkStruct(cl.Struct, user)
		walkSet(cl.Attrs, user)
	}
	for _, cl := range src.Route.Classes {
		walkClass(cl, "rtnl."+cl.Name)
	}
	useEnum(engine.AllFlags, "header.flags")
	useEnum(src.Types, "header.type")
	return c
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// AttrNames lists every attribute name, sorted, once each.
func (c *Catalog) AttrNames() []string { return sortedKeys(c.attrs) }

// enumsOf returns the enums that name the constant n.
func (c *Catalog) enumsOf(n string) []*engine.Enum {
	var out []*engine.Enum
	for _, en := range c.enums {
		if _, ok := en.Lookup(n); ok {
			out = append(out, en)
		}
	}
	return out
}

// enum returns the enum with the given name.
func (c *Catalog) enum(name string) *engine.Enum {
	for _, en := range c.enums {
		if en.Name == name {
			return en
		}
	}
	return nil
}

// structNamed returns the struct with the given name.
func (c *Catalog) structNamed(name string) *engine.StructDesc {
	for _, s := range c.structs {
		if s.Name == name {
			return s
		}
	}
	return nil
}
