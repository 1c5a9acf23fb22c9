package iproute

import (
	"fmt"
	"strings"

	"nlsh/luabind/helptext"
)

// Help for the ip module's tables: help('ip.link') lists, after the
// function's usage, every key its table takes with the kind of value and
// what it sets, read from the same table the verb checks and builds
// with; help('ip.link bridge') lists a link kind's keys, help('ip.tc htb')
// a tc kind's.

// ipHelpVerb returns the table and use of an ip function, by its usage
// name ("ip.link", "ip.links"), or nil.
func ipHelpVerb(name string) (*ipVerb, keyUse) {
	fn, ok := strings.CutPrefix(name, "ip.")
	if !ok {
		return nil, 0
	}
	if g, ok := strings.CutPrefix(fn, "each."); ok && ipEachGetters[g] != nil {
		fn = g // ip.each.routes takes what ip.routes takes
	}
	if v := ipVerbs[fn]; v != nil {
		return v(), useChange
	}
	if g := ipGetters[fn]; g != nil {
		return g(), useFilter
	}
	switch fn {
	case "get_netnsid", "set_netnsid":
		return nsidVerb(), useChange
	}
	return nil, 0
}

// KeysText lists the keys an ip function's table takes, by its usage name
// ("ip.link"), or "": what help('ip.link') prints after the usage.
func KeysText(name string) string {
	v, use := ipHelpVerb(name)
	if v == nil {
		return ""
	}
	var b strings.Builder
	what := "spec"
	if use == useFilter {
		what = "filter (a key's value may also be a function of the message's value)"
	}
	fmt.Fprintf(&b, "\nkeys of its %s:\n", what)
	b.WriteString(keyTable(v, use))
	prefix := v.prefix
	if v.class != nil {
		fmt.Fprintf(&b, "\nany %s* attribute by its whole name ('%s' for %s) is a key too, its value given to\n"+
			"the encoder as it is; every call also takes dry, echo and timeout", prefix, v.keys[len(v.keys)-1].attrName(), v.keys[len(v.keys)-1].name)
		if use == useFilter {
			b.WriteString(", and match (a\nfunction of the message, or a table of more keys)")
		}
		b.WriteString(".\n")
	}
	switch v {
	case linkVerb():
		b.WriteString("with kind, the kind's keys too: help('ip.link bridge'), help('ip.link vxlan'), …\n")
	case tcVerb():
		b.WriteString("the kind's keys too: help('ip.tc htb'), help('ip.tc u32'), …\n")
	}
	return b.String()
}

// attrName is the whole name of the key's attribute, or its own.
func (k *ipKey) attrName() string {
	if k.attr != nil {
		return k.attr.Name
	}
	return strings.ToUpper(k.name)
}

// keyTable is a table of a verb's keys for mode use: name and other
// names, what it takes, and what it sets or does.
func keyTable(v *ipVerb, use keyUse) string {
	var rows [][]string
	for _, k := range v.keys {
		if k.use&use == 0 {
			continue
		}
		name := k.name
		if len(k.alias) > 0 {
			name += " (" + strings.Join(k.alias, ", ") + ")"
		}
		doc := k.doc
		if s := k.sets(); s != "" && s != "field" && !strings.Contains(doc, s) {
			if doc != "" {
				doc = s + ": " + doc
			} else {
				doc = s
			}
		}
		rows = append(rows, []string{name, k.typeName(), doc})
	}
	return helptext.Table(nil, rows)
}

// KindHelp is help('ip.link KIND') and help('ip.tc KIND'), or "".
func KindHelp(topic string) string {
	fn, kind, ok := strings.Cut(topic, " ")
	if !ok {
		return ""
	}
	switch fn {
	case "ip.link":
		if v := linkKindVerb(kind); v != nil {
			return fmt.Sprintf("ip.link with kind = '%s': the kind's keys (in IFLA_INFO_DATA)\n%s", kind, keyTable(v, useChange))
		}
		return fmt.Sprintf("ip.link describes no keys of kind '%s'; give its IFLA_INFO_DATA as data = {…}.\nkinds with keys: %s\n",
			kind, strings.Join(sortedStrings(linkKindNames()), ", "))
	case "ip.tc":
		var out []string
		for _, object := range []string{"qdisc", "class", "filter"} {
			if v, _ := tcKindVerb(object, kind); v != nil {
				text := keyTable(v, useChange)
				if text == "" {
					text = "  (no keys: it takes no options)\n"
				}
				out = append(out, fmt.Sprintf("ip.tc %s of kind '%s':\n%s", object, kind, text))
			}
		}
		if len(out) == 0 {
			return fmt.Sprintf("ip.tc describes no kind '%s'; it is sent by name, with options = {…} as its TCA_OPTIONS.\n", kind)
		}
		return strings.Join(out, "\n")
	}
	return ""
}
