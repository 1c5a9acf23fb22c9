package helptext

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"nlsh/engine"
)

// Topic is every text about a name the descriptions use: a message class,
// a constant, attributes, attribute sets, an enum or a struct; a name that
// is several of these gets all their texts. A name that is none of them
// gets the functions and methods so called ('request', 'decode'). It is
// empty when help knows nothing of topic here.
func (c *Catalog) Topic(topic string) []string {
	route := c.src.Route
	var parts []string
	if cl := route.Class(topic); cl != nil {
		parts = append(parts, ClassText(route, cl))
	}
	if k, ok := c.constant(topic); ok {
		parts = append(parts, c.constText(k))
	}
	for _, ref := range c.attrs[topic] {
		parts = append(parts, c.attrText(ref))
	}
	for _, s := range c.sets {
		if s.Name == topic {
			parts = append(parts, setText(s)+"  used by: "+ListSome(c.setUsers[s], 8)+"\n")
		}
	}
	if en := c.enum(topic); en != nil {
		parts = append(parts, enumText(en)+"  used by: "+ListSome(c.enumUsers[en], 8)+"\n")
	}
	if s := c.structNamed(topic); s != nil && route.Class(topic) == nil {
		parts = append(parts, structText(s)+"  used by: "+ListSome(c.structUse[s], 8)+"\n")
	}
	if len(parts) == 0 {
		for _, u := range Usages {
			if i := strings.LastIndexAny(u.Name, ".:"); i >= 0 && u.Name[i+1:] == topic {
				parts = append(parts, usageText(u))
			}
		}
	}
	return parts
}

// constant returns the global constant named n.
func (c *Catalog) constant(n string) (engine.Const, bool) {
	consts := c.src.Consts
	i := sort.Search(len(consts), func(i int) bool { return consts[i].Name >= n })
	if i < len(consts) && consts[i].Name == n {
		return consts[i], true
	}
	return engine.Const{}, false
}

// TopicNames lists every name help knows, sorted, for suggestions and
// completion.
func (c *Catalog) TopicNames() []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, u := range Usages {
		add(u.Name)
	}
	for _, m := range Modules {
		add(m.Name)
	}
	for _, n := range c.src.Route.ClassNames() {
		add(n)
	}
	for _, k := range c.src.Consts {
		add(k.Name)
	}
	for _, n := range c.AttrNames() {
		add(n)
	}
	for _, s := range c.sets {
		add(s.Name)
	}
	for _, en := range c.enums {
		add(en.Name)
	}
	sort.Strings(names)
	return names
}

// Unknown says there is no help for topic and suggests the nearest names.
func (c *Catalog) Unknown(topic string) string {
	near := engine.Closest(topic, c.TopicNames(), 5)
	msg := fmt.Sprintf("no help for %s", QuoteTopic(topic))
	if len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return msg + "\nhelp() lists what there is.\n"
}

// topicShown is how much of an unknown topic help repeats back.
const topicShown = 60

// QuoteTopic quotes a topic for a message, cut short (at a character
// boundary) when it is long: help of a pasted megabyte says so in a line.
func QuoteTopic(topic string) string {
	if len(topic) <= topicShown {
		return "'" + topic + "'"
	}
	cut := topicShown
	for cut > 0 && !utf8.RuneStart(topic[cut]) {
		cut--
	}
	return fmt.Sprintf("'%s…' (%d bytes)", topic[:cut], len(topic))
}
