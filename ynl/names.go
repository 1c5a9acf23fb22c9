package ynl

import "strings"

// C names follow the spec docs' rules (c-code-gen.rst): names are upper
// cased with '-' made '_', and a prefix stands before each name:
//
//	attributes   the set's name-prefix, else $family-A- for the set named
//	             as the family, else $family-A-$set-; an attribute's own
//	             name-prefix (genetlink-c) wins; a subset uses its
//	             parent's prefix
//	enum values  the definition's name-prefix, else $family-$enum-
//	operations   operations' name-prefix, else $family-CMD-; notifications
//	             and events use async-prefix when given
//	groups       c-define-name, else $family-MCGRP-$group
//	consts       $family-$const, or $const alone when a header defines it
//
// The kernel's generator spells $family with '_' for '-' (its
// ident_name), which upper casing makes the same.

// cUpper turns a spec name into C's spelling of a constant.
func cUpper(s string) string {
	return strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
}

// setPrefix is the default C prefix of a (main) attribute set's names.
func setPrefix(family, set string) string {
	if set == family {
		return cUpper(family + "-a-")
	}
	return cUpper(family + "-a-" + set + "-")
}

// enumPrefix is the default C prefix of an enum's values.
func enumPrefix(family, enum string) string {
	return cUpper(family + "-" + enum + "-")
}

// opPrefix is the default C prefix of operations.
func opPrefix(family string) string { return cUpper(family + "-cmd-") }

// groupCName is the default C name of a multicast group.
func groupCName(family, group string) string { return cUpper(family + "-mcgrp-" + group) }

// constCName is the C name of a const definition.
func constCName(family, name string, inHeader bool) string {
	if inHeader {
		return cUpper(name)
	}
	return cUpper(family + "-" + name)
}
