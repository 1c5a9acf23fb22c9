package ynl

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
)

// minimal is the smallest spec that loads; cases below change a line or
// add some.
const minimal = `name: t
attribute-sets:
  - name: a
    attributes:
      - name: x
        type: u32
operations:
  list:
    - name: get
      attribute-set: a
      do:
        request:
          attributes: [ x ]
`

// TestParseErrors checks that each malformed spec gives an error naming
// the file, the line and the key path.
func TestParseErrors(t *testing.T) {
	if _, err := Parse("t.yaml", []byte(minimal)); err != nil {
		t.Fatalf("the minimal spec does not load: %v", err)
	}
	for _, tc := range []struct {
		name, spec, want string
	}{
		{"bad YAML", "name: t\nattribute-sets: [\n", `t.yaml:2: bad YAML: did not find expected node content`},
		{"not a mapping", "- a\n- b\n", `t.yaml:1: expected a mapping, got a list`},
		{"empty", "", `t.yaml: the spec is empty`},
		{"no name", "attribute-sets: []\noperations: {list: []}\n", `t.yaml:1: missing name`},
		{"name of the wrong type", "name: {a: 1}\n", `t.yaml:1: name: expected text, got a mapping`},
		{"unknown protocol", "name: t\nprotocol: genetlink-xl\n", `t.yaml:2: protocol: unknown protocol "genetlink-xl"`},
		{"raw without protonum", "name: t\nprotocol: netlink-raw\n", `t.yaml:1: missing protonum`},
		{"version not a number", "name: t\nversion: two\n", `t.yaml:2: version: expected an integer, got "two"`},
		{"key twice", "name: t\nname: u\n", `t.yaml:2: name: key given twice`},
		{"no attribute-sets", "name: t\noperations: {list: []}\n", `t.yaml:1: missing attribute-sets`},
		{"unknown attribute type", strings.Replace(minimal, "type: u32", "type: u33", 1),
			`t.yaml:6: attribute-sets[0].attributes[0].type: unknown type "u33"`},
		{"attribute type of the wrong type", strings.Replace(minimal, "type: u32", "type: [u32]", 1),
			`t.yaml:6: attribute-sets[0].attributes[0].type: expected text, got a list`},
		{"attribute without a type", strings.Replace(minimal, "        type: u32\n", "", 1),
			`t.yaml:5: attribute-sets[0].attributes[0]: missing type`},
		{"nest of no set", strings.Replace(minimal, "type: u32", "type: nest\n        nested-attributes: b", 1),
			`t.yaml:7: attribute-sets[0].attributes[0].nested-attributes: no attribute set named "b"`},
		{"nest without a set", strings.Replace(minimal, "type: u32", "type: nest", 1),
			`t.yaml:6: attribute-sets[0].attributes[0].type: a nest attribute needs nested-attributes`},
		{"duplicate number", strings.Replace(minimal, "        type: u32\n", "        type: u32\n      - name: y\n        type: u8\n        value: 1\n", 1),
			`t.yaml:9: attribute-sets[0].attributes[1].value: attribute "y" is number 1, as "x" is`},
		{"duplicate name", strings.Replace(minimal, "        type: u32\n", "        type: u32\n      - name: x\n        type: u8\n", 1),
			`t.yaml:7: attribute-sets[0].attributes[1].name: attribute "x" given twice`},
		{"attribute number too large", strings.Replace(minimal, "type: u32", "type: u32\n        value: 70000", 1),
			`t.yaml:7: attribute-sets[0].attributes[0].value: 70000 is out of range (0..16383)`},
		{"attribute number not a number", strings.Replace(minimal, "type: u32", "type: u32\n        value: one", 1),
			`t.yaml:7: attribute-sets[0].attributes[0].value: expected an integer, got "one"`},
		{"unknown enum", strings.Replace(minimal, "type: u32", "type: u32\n        enum: colours", 1),
			`t.yaml:7: attribute-sets[0].attributes[0].enum: no enum or flags definition named "colours"`},
		{"unknown struct", strings.Replace(minimal, "type: u32", "type: binary\n        struct: hdr", 1),
			`t.yaml:7: attribute-sets[0].attributes[0].struct: no struct definition named "hdr"`},
		{"set given twice", strings.Replace(minimal, "operations:", "  - name: a\n    attributes: []\noperations:", 1),
			`t.yaml:7: attribute-sets[1].name: attribute set "a" given twice`},
		{"subset of no set", strings.Replace(minimal, "operations:", "  - name: s\n    subset-of: z\n    attributes: []\noperations:", 1),
			`t.yaml:8: attribute-sets[1].subset-of: no attribute set named "z"`},
		{"subset names what its parent lacks", strings.Replace(minimal, "operations:", "  - name: s\n    subset-of: a\n    attributes:\n      - name: w\noperations:", 1),
			`t.yaml:10: attribute-sets[1].attributes[0].name: attribute "w" is not in set "a"`},
		{"subset of itself", strings.Replace(minimal, "operations:", "  - name: s\n    subset-of: s\n    attributes: []\noperations:", 1),
			`t.yaml:7: attribute-sets[1]: attribute set "s" is a subset of itself`},
		{"struct member without a size", "name: t\ndefinitions:\n  - name: h\n    type: struct\n    members:\n      - name: m\n        type: binary\n",
			`t.yaml:7: definitions[0].members[0].type: a binary member needs len`},
		{"struct member of an unknown type", "name: t\ndefinitions:\n  - name: h\n    type: struct\n    members:\n      - name: m\n        type: u128\n",
			`t.yaml:7: definitions[0].members[0].type: unknown member type "u128"`},
		{"struct member len naming no const", "name: t\ndefinitions:\n  - name: h\n    type: struct\n    members:\n      - name: m\n        type: string\n        len: ifnamsiz\n",
			`t.yaml:8: definitions[0].members[0].len: "ifnamsiz" is neither a number nor a const of this spec`},
		{"struct in itself", "name: t\ndefinitions:\n  - name: h\n    type: struct\n    members:\n      - name: m\n        type: binary\n        struct: h\n",
			`t.yaml:3: definitions[0]: struct "h" contains itself`},
		{"struct fields named twice", "name: t\ndefinitions:\n  - name: h\n    type: struct\n    members:\n      - {name: m, type: u8}\n      - {name: m, type: u8}\n",
			`t.yaml:3: definitions[0]: struct h: field m appears twice`},
		{"unknown definition type", "name: t\ndefinitions:\n  - name: h\n    type: union\n",
			`t.yaml:4: definitions[0].type: unknown type "union"`},
		{"definition twice", "name: t\ndefinitions:\n  - {name: h, type: const, value: 1}\n  - {name: h, type: const, value: 2}\n",
			`t.yaml:4: definitions[1].name: definition "h" given twice`},
		{"flag bit too high", "name: t\ndefinitions:\n  - name: f\n    type: flags\n    value-start: 60\n    entries: [a, b, c, d, e]\n",
			`t.yaml:6: definitions[0].entries[4]: flag "e" is bit 64, outside 0..63`},
		{"enum entry twice", "name: t\ndefinitions:\n  - name: f\n    type: enum\n    entries: [a, a]\n",
			`t.yaml:5: definitions[0].entries[1]: entry "a" given twice`},
		{"indexed-array without sub-type", strings.Replace(minimal, "type: u32", "type: indexed-array", 1),
			`t.yaml:6: attribute-sets[0].attributes[0].type: an indexed-array needs a sub-type`},
		{"C array of a variable-size integer", strings.Replace(minimal, "type: u32", "type: binary\n        sub-type: uint", 1),
			`t.yaml:7: attribute-sets[0].attributes[0].sub-type: sub-type "uint" is not a fixed-size integer`},
		{"nest-type-value without levels", strings.Replace(minimal, "type: u32", "type: nest-type-value\n        nested-attributes: a\n        type-value: []", 1),
			`t.yaml:8: attribute-sets[0].attributes[0].type-value: type-value names no level`},
		{"sub-message of no definition", strings.Replace(minimal, "type: u32", "type: sub-message\n        sub-message: m\n        selector: x", 1),
			`t.yaml:7: attribute-sets[0].attributes[0].sub-message: no sub-message named "m"`},
		{"sub-message format of no set", minimal + "sub-messages:\n  - name: m\n    formats:\n      - value: v\n        attribute-set: nope\n",
			`t.yaml:18: sub-messages[0].formats[0].attribute-set: no attribute set named "nope"`},
		{"op of no set", strings.Replace(minimal, "attribute-set: a", "attribute-set: b", 1),
			`t.yaml:10: operations.list[0].attribute-set: no attribute set named "b"`},
		{"op without a set", strings.Replace(minimal, "      attribute-set: a\n", "", 1),
			`t.yaml:9: operations.list[0]: missing attribute-set`},
		{"notification of no operation", minimal + "    - name: ntf\n      notify: gett\n",
			`t.yaml:15: operations.list[1].notify: no operation named "gett"`},
		{"op in no group", minimal + "    - name: ntf\n      notify: get\n      mcgrp: monitor\n",
			`t.yaml:16: operations.list[1].mcgrp: no multicast group named "monitor"`},
		{"op twice", minimal + "    - name: get\n      attribute-set: a\n      do: {}\n",
			`t.yaml:14: operations.list[1].name: operation "get" given twice`},
		{"genetlink command out of range", strings.Replace(minimal, "    - name: get\n", "    - name: get\n      value: 256\n", 1),
			`t.yaml:10: operations.list[0].value: 256 is out of range (0..255)`},
		{"unknown enum-model", strings.Replace(minimal, "operations:\n", "operations:\n  enum-model: sideways\n", 1),
			`t.yaml:8: operations.enum-model: unknown enum-model "sideways"`},
		{"directional op with nothing in it", strings.Replace(minimal, "operations:\n", "operations:\n  enum-model: directional\n", 1) + "    - name: hole\n",
			`t.yaml:15: operations.list[1]: a directional operation needs do, dump, notify or event`},
		{"attributes of the wrong type", strings.Replace(minimal, "attributes: [ x ]", "attributes: x", 1),
			`t.yaml:13: operations.list[0].do.request.attributes: expected a list, got "x"`},
		{"bad byte-order", strings.Replace(minimal, "type: u32", "type: u32\n        byte-order: middle-endian", 1),
			`t.yaml:7: attribute-sets[0].attributes[0].byte-order: unknown byte-order "middle-endian"`},
		{"multi-attr not a boolean", strings.Replace(minimal, "type: u32", "type: u32\n        multi-attr: often", 1),
			`t.yaml:7: attribute-sets[0].attributes[0].multi-attr: expected true or false, got "often"`},
		{"group twice", minimal + "mcast-groups:\n  list:\n    - name: g\n    - name: g\n",
			`t.yaml:17: mcast-groups.list[1].name: multicast group "g" given twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.spec))
			if err == nil {
				t.Fatalf("loaded:\n%s", tc.spec)
			}
			if err.Error() != tc.want {
				t.Errorf("got  %s\nwant %s", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "t.yaml" {
				t.Errorf("not an *Error of t.yaml: %#v", err)
			}
		})
	}
}

// TestParseGzip reads gzipped and plain specs alike, and says so when
// gzip data is broken.
func TestParseGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(minimal))
	zw.Close()
	s, err := Parse("t.yaml.gz", buf.Bytes())
	if err != nil || s.Name != "t" {
		t.Fatalf("gzipped: %v", err)
	}
	broken := append([]byte(nil), buf.Bytes()[:len(buf.Bytes())/2]...)
	if _, err := Parse("t.yaml.gz", broken); err == nil || !strings.HasPrefix(err.Error(), "t.yaml.gz: bad gzip data") {
		t.Errorf("broken gzip: %v", err)
	}
	if _, err := Load("no/such/spec.yaml"); err == nil || !strings.HasPrefix(err.Error(), "no/such/spec.yaml: cannot read the spec") {
		t.Errorf("missing file: %v", err)
	}
}
