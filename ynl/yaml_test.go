package ynl

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The YAML library is used here only, as the reference our parser must
// agree with.

// sameTree compares our tree with the YAML library's, and returns the
// first difference ("" if none).
func sameTree(ours *yamlNode, ref *yaml.Node, path string) string {
	for i := 0; ref != nil && ref.Kind == yaml.AliasNode; i++ {
		ref = ref.Alias
	}
	if ref == nil {
		return path + ": the library's alias leads nowhere"
	}
	kinds := map[yaml.Kind]yamlKind{yaml.ScalarNode: yamlScalar, yaml.MappingNode: yamlMapping, yaml.SequenceNode: yamlSequence}
	if k, ok := kinds[ref.Kind]; !ok || k != ours.kind {
		return fmt.Sprintf("%s: kind %d, the library's %d", path, ours.kind, ref.Kind)
	}
	if ours.line != ref.Line {
		return fmt.Sprintf("%s: line %d, the library's %d", path, ours.line, ref.Line)
	}
	switch ours.kind {
	case yamlScalar:
		if ours.value != ref.Value {
			return fmt.Sprintf("%s: %q, the library's %q", path, ours.value, ref.Value)
		}
		if t := refType(ref); ours.typ != t {
			return fmt.Sprintf("%s: %q is of type %d, the library's %d (%s)", path, ours.value, ours.typ, t, ref.ShortTag())
		}
		return ""
	}
	if len(ours.items) != len(ref.Content) {
		return fmt.Sprintf("%s: %d items, the library's %d", path, len(ours.items), len(ref.Content))
	}
	for i, it := range ours.items {
		p := fmt.Sprintf("%s[%d]", path, i)
		if ours.kind == yamlMapping && i%2 == 1 {
			p = path + "." + ours.items[i-1].value
		}
		if d := sameTree(it, ref.Content[i], p); d != "" {
			return d
		}
	}
	return ""
}

// refType is the scalar type of the library's node. Timestamps are text
// to us (ynl reads none), and so is a "<<" that is not a key.
func refType(ref *yaml.Node) scalarType {
	switch ref.ShortTag() {
	case "!!null":
		return typeNull
	case "!!bool":
		return typeBool
	case "!!int":
		return typeInt
	case "!!float":
		return typeFloat
	}
	return typeStr
}

// compareYAML parses text with both parsers. It reports a difference
// when both accept the text; ok is whether both did.
func compareYAML(text []byte) (diff string, ok bool, err error) {
	ours, err := parseYAML(text)
	var ref yaml.Node
	refErr := yaml.Unmarshal(text, &ref)
	if err != nil || refErr != nil {
		return "", false, err
	}
	switch {
	case ours == nil && len(ref.Content) == 0:
		return "", true, nil
	case ours == nil || len(ref.Content) == 0:
		return fmt.Sprintf("document: ours %v, the library's %d nodes", ours != nil, len(ref.Content)), true, nil
	}
	return sameTree(ours, ref.Content[0], "document"), true, nil
}

// TestYAMLSpecs reads every installed spec, and the project's own, with
// both parsers.
func TestYAMLSpecs(t *testing.T) {
	var files []string
	for _, f := range installedSpecs(t) {
		files = append(files, f)
	}
	sort.Strings(files)
	files = append(files, testSpecFiles(t)...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text, err := gunzip(f, data)
		if err != nil {
			t.Fatal(err)
		}
		diff, ok, err := compareYAML(text)
		if !ok {
			t.Errorf("%s: not read by both parsers: %v", f, err)
			continue
		}
		if diff != "" {
			t.Errorf("%s: %s", f, diff)
		}
	}
}

// yamlSnippets are small texts inside the subset, with their corners:
// folding, chomping, escapes, indentless lists, anchors, flow.
var yamlSnippets = []string{
	"a: 1\nb: -2\nc: 0x1f\nd: 0o17\ne: 017\nf: 1_000\ng: 08\nh: 1.5\ni: .5\nj: 1e3\nk: .inf\nl: ~\nm: null\nn:\no: true\np: False\nq: yes\nr: on\ns: 0b101\nt: -0x10\nu: 18446744073709551615\nv: 2001-12-14\n",
	"doc: this is\n  folded over\n\n  lines   \n  # not text\nname: x\n",
	"- a\n- b: c\n  d: e\n-\n  f: g\n- - h\n  - i\n-\n- [j, 'k', \"l\"]\n",
	"a:\n- x\n- y\nb: z\n",
	"a: |\n  one\n   two\n\n  three\n\nb: >\n  four\n  five\n\n  six\n   seven\n  eight\nc: |-\n  nine\nd: >-\n  ten\n\ne: |+\n  eleven\n\n\nf: |2\n    twelve\n",
	"a: \"tab\\there \\x41\\u00e9\\U0001F600 \\\\ \\\" \\\n   joined\"\nb: 'it''s'\nc: \"folded\n   over\n\n   lines\"\n",
	"a: &x\n  b: 1\nc: *x\nd: &y [1, 2]\ne: *y\nf: &z text\ng: *z\n",
	"a: {b: c, d: [e, f], g: }\nh: []\ni: {}\n",
	"# SPDX-License-Identifier: GPL-2.0\n---\nname: t\n...\n# end\n",
	"a: [\n  b,\n  c, # comment\n]\n",
	"key with spaces: value with:colon? no\nurl: http://x/y#z\n\"quoted key\": 1\n'single': 2\n",
	"a:\n  - b\n  -\n    c: d\n    e:\n      - f\n",
	"",
	"# only a comment\n",
	"---\n",
	"---", "--- # no line break after the last line", "# x\n---",
	"|+\n", "|+\n ", "a: |+\n  x\n", "a: |+\n  x\n\n", "a: |+\n  x", "a: |+\n  x\n  ",
	"text\n",
	"a: |\n\n  x\n",
	"a: >\n  x\n\n\n  y\n",
	"- |\n  a\n- >-\n  b\n   c\n  d\n",
	"a: 'x\n\n  y  \n  z'\n",
	"a:\tb\n",
	"a: b\r\nc: d\r\n",
	"\ufeffa: b\n",
}

// TestYAMLSnippets checks small texts against the library.
func TestYAMLSnippets(t *testing.T) {
	for _, s := range yamlSnippets {
		diff, ok, err := compareYAML([]byte(s))
		if !ok {
			t.Errorf("%q: not read by both parsers: %v", s, err)
			continue
		}
		if diff != "" {
			t.Errorf("%q: %s", s, diff)
		}
	}
}

// TestYAMLErrors checks that what is outside the subset, or not YAML,
// is an error naming its line.
func TestYAMLErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"a: 1\nb: &x\n  c: 1\nd: !!str e\n", "line 4: tags (!) are not supported"},
		{"%YAML 1.2\n---\na: 1\n", "line 1: directives (%) are not supported"},
		{"a: 1\n---\nb: 2\n", "line 2: a second document is not supported"},
		{"a: 1\n...\nb: 2\n", "line 3: a second document is not supported"},
		{"--- a\n", "line 1: text on the line of --- is not supported"},
		{"a: 1\n? b\n: c\n", "line 2: complex keys (?) are not supported"},
		{"a: &x {b: 1}\nc:\n  <<: *x\n", "line 3: merge keys (<<) are not supported"},
		{"a: {<<: {b: 1}}\n", "line 1: merge keys (<<) are not supported"},
		{"a: *nope\n", `line 1: unknown anchor "nope" (or an alias inside the node it names)`},
		{"a: &x [*x]\n", `line 1: unknown anchor "x" (or an alias inside the node it names)`},
		{"a: 1\n*x : 2\n", "line 2: did not find expected node content (found '*')"},
		{"a: [1, 2\nb: 3\n", "line 1: plain text inside [ ] or { } must fit on one line; quote it"},
		{"a: [b: 3]\n", "line 1: key: value pairs inside [ ] are not supported"},
		{"a:\n  b: 1\n\tc: 2\n", "line 3: tabs are not allowed in indentation"},
		{"a: b: c\n", "line 1: mapping values are not allowed in this context"},
		{"a: - b\n", "line 1: a list cannot start on the line of its key"},
		{"a:\n  b: 1\n c: 2\n", "line 3: this line is indented more than the keys before it"},
		{"- a\nb: c\n", "line 2: did not find expected '-' indicator"},
		{"a: 1\nb\n", "line 2: could not find expected ':'"},
		{"a: \"open\n", "line 1: found unexpected end of stream in quoted text"},
		{"a: \"\\q\"\n", `line 1: unknown escape \q in double-quoted text`},
		{"a: \"\\ud800\"\n", `line 1: \ud800 is not a Unicode character`},
		{"a: {b: c, d}\n", "line 1: a key inside { } needs a ':' and a value"},
		{"a: {b: 'c' d}\n", "line 1: did not find expected ',' or '}'"},
		{"a: [b,\n c\n", "line 1: did not find expected ',' or ']'"},
		{"a: [b,\n", "line 1: did not find expected node content"},
		{"a: [b\n c]\n", "line 1: plain text inside [ ] or { } must fit on one line; quote it"},
		{"a: {b:c}\n", "line 1: ':' inside plain text in [ ] or { } is not supported; quote the text"},
		{"a: |0\n  b\n", "line 1: a block scalar's indentation indicator cannot be 0"},
		{"a: |\n    \n  b\n", "line 3: a block scalar's first line is indented less than an empty line before it"},
		{"a: 1\rb: 2\n", "line 1: a carriage return without a line feed is not supported"},
		{"a: \x01\n", "line 1: control characters are not allowed"},
		{"a: \xff\n", "line 1: the text is not valid UTF-8"},
		{"a: [b]#c\n", "line 1: a comment needs a space before its #"},
		{"a: @b\n", "line 1: @ is reserved and cannot start a plain scalar"},
		{"a: 'x'y\n", "line 1: unexpected 'y' after quoted text"},
		{"a: &x\n- b\n", ""},
		{"&a &b x\n", "line 1: a node can have one anchor only"},
		{"&a\n&b x\n", "line 2: a node can have one anchor only"},
		{"[&a &b x]\n", "line 1: a node can have one anchor only"},
	} {
		_, err := parseYAML([]byte(tc.text))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%q:\n got  %s\n want %s", tc.text, got, tc.want)
		}
	}
}

// FuzzYAML checks that our parser never panics, and that it agrees with
// the library on every text both accept. It is seeded with the installed
// specs, the larger ones cut to their first 8 KiB of lines: whole, they
// slow the fuzzer to a standstill.
func FuzzYAML(f *testing.F) {
	for _, path := range installedSpecs(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		text, err := gunzip(path, data)
		if err != nil {
			f.Fatal(err)
		}
		if len(text) > 8<<10 {
			text = text[:bytes.LastIndexByte(text[:8<<10], '\n')+1]
		}
		f.Add(text)
	}
	for _, s := range yamlSnippets {
		f.Add([]byte(s))
	}
	f.Add([]byte(minimal))
	f.Fuzz(func(t *testing.T, text []byte) {
		if len(text) > 1<<16 || strings.Count(string(text), "*") > 64 {
			return // the library's alias expansion guard; bigger texts only slow things down
		}
		diff, _, _ := compareYAML(text)
		if diff != "" {
			t.Fatalf("%q: %s", text, diff)
		}
	})
}
