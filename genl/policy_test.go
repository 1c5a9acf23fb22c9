package genl

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// TestKernelPolicy reads every family's policies and compares them with
// iproute2's `genl ctrl policy`: each command's do and dump policies, and
// each attribute's type, nested policy and range. iproute2 6.1 predates
// the sint and uint policy types (6.8) and prints them as "unknown".
// Each family is then described from its policy alone without error.
func TestKernelPolicy(t *testing.T) {
	ns := nstest.New(t)
	c := dialGeneric(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tab := NewTable(nil)
	fams, err := tab.List(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range fams {
		t.Run(b.Name, func(t *testing.T) {
			rec := &recorder{Requester: c}
			pol, err := tab.GetPolicy(ctx, rec, b.ID, -1)
			if err != nil {
				t.Fatal(err)
			}
			if *capture {
				if err := os.WriteFile(filepath.Join("..", "testdata", "genl", "policy-"+b.Name+".bin"), rec.got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(iproute2Policy(t, ns, b.Name), policyLines(pol)); diff != "" {
				t.Errorf("policy (-genl ctrl policy +nlsh):\n%s", diff)
			}
			f, err := PolicyFamily(b.Kernel, pol)
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range f.Ops {
				if o, ok := pol.Ops[uint32(op.Req)]; ok && (o.Do >= 0 || o.Dump >= 0) && op.Set == nil {
					t.Errorf("%s has a policy but no attribute set", op.Name)
				}
			}
		})
	}
}

var iproute2Types = map[string]string{
	"U8": "u8", "U16": "u16", "U32": "u32", "U64": "u64", "S8": "s8", "S16": "s16", "S32": "s32", "S64": "s64",
	"FLAG": "flag", "BINARY": "binary", "STRING": "string", "NUL_STRING": "nul-string",
	"NESTED": "nested", "NESTED_ARRAY": "nested-array", "BITFIELD32": "bitfield32",
}

// iproute2Policy is `genl ctrl policy name F` in policyLines' form.
func iproute2Policy(t *testing.T, ns, name string) []string {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "genl", "ctrl", "policy", "name", name).CombinedOutput()
	if err != nil {
		t.Fatalf("genl ctrl policy: %v\n%s", err, out)
	}
	opRe := regexp.MustCompile(`op (\d+) policies:(.*)`)
	attrRe := regexp.MustCompile(`policy\[(\d+)\]:attr\[(\d+)\]: type=(\S+)(.*)`)
	rangeRe := regexp.MustCompile(`range:\[(-?\d+),(-?\d+)\]`)
	nestRe := regexp.MustCompile(`policy:(\d+)`)
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if m := opRe.FindStringSubmatch(l); m != nil {
			lines = append(lines, "op "+m[1]+":"+m[2])
			continue
		}
		m := attrRe.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		typ, ok := iproute2Types[m[3]]
		if !ok {
			typ = "sint-or-uint"
		}
		s := fmt.Sprintf("policy %s attr %s: %s", m[1], m[2], typ)
		if r := rangeRe.FindStringSubmatch(m[4]); r != nil {
			s += " [" + r[1] + "," + r[2] + "]"
		}
		if n := nestRe.FindStringSubmatch(m[4]); n != nil {
			s += " policy " + n[1]
		}
		lines = append(lines, s)
	}
	sort.Strings(lines)
	return lines
}

func policyLines(pol *Policy) []string {
	var lines []string
	for cmd, o := range pol.Ops {
		s := fmt.Sprintf("op %d:", cmd)
		if o.Do >= 0 {
			s += fmt.Sprintf(" do=%d", o.Do)
		}
		if o.Dump >= 0 {
			s += fmt.Sprintf(" dump=%d", o.Dump)
		}
		lines = append(lines, s)
	}
	for idx, m := range pol.Sets {
		for at, ap := range m {
			typ := ap.Type
			if typ == "sint" || typ == "uint" {
				typ = "sint-or-uint"
			}
			s := fmt.Sprintf("policy %d attr %d: %s", idx, at, typ)
			lo, okl := ap.Limit("min-value-u")
			hi, okh := ap.Limit("max-value-u")
			if !okl {
				lo, okl = ap.Limit("min-value-s")
				hi, okh = ap.Limit("max-value-s")
			}
			if okl && okh {
				s += fmt.Sprintf(" [%v,%v]", lo, hi)
			}
			if ap.Nested >= 0 {
				s += fmt.Sprintf(" policy %d", ap.Nested)
			}
			lines = append(lines, s)
		}
	}
	sort.Strings(lines)
	return lines
}

// TestPolicyFamily describes a family from a hand-made policy: nests,
// arrays and bitfields become their kinds, and an attribute encodes as
// its type says.
func TestPolicyFamily(t *testing.T) {
	pol := &Policy{
		Ops: map[uint32]OpPolicy{1: {Do: 0, Dump: -1}, 2: {Do: -1, Dump: -1}},
		Sets: map[uint32]map[uint16]*AttrPolicy{
			0: {1: {Type: "u32", Nested: -1}, 2: {Type: "nested", Nested: 1}, 3: {Type: "nested-array", Nested: 1}, 4: {Type: "bitfield32", Nested: -1}, 5: {Type: "nul-string", Nested: -1}},
			1: {1: {Type: "uint", Nested: -1}},
		},
	}
	f, err := PolicyFamily(Info{Name: "fake", ID: 40, Version: 1, Ops: []KernelOp{{1, FlagCapDo}, {2, FlagCapDump}}}, pol)
	if err != nil {
		t.Fatal(err)
	}
	op := f.Op("cmd-1")
	if op == nil || op.Set == nil {
		t.Fatalf("cmd-1: %+v", op)
	}
	kinds := map[string]engine.Kind{}
	for _, a := range op.Set.Attrs {
		kinds[a.Name] = a.Kind
	}
	want := map[string]engine.Kind{"attr-1": engine.U32, "attr-2": engine.Nested, "attr-3": engine.Nested, "attr-4": engine.Struct, "attr-5": engine.Asciiz}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	if f.Op("cmd-2").Set != nil || !f.Op("cmd-2").Dump {
		t.Errorf("cmd-2: %+v", f.Op("cmd-2"))
	}
	b := NewTable(nil).Bind(Info{Name: "fake", ID: 40, Version: 1})
	b.describe = func() (*Family, error) { return f, nil }
	got, err := b.Encode(op, engine.NLM_F_REQUEST, nil, engine.Table{List: []any{
		engine.Table{List: []any{"attr-2", engine.Table{List: []any{engine.Table{List: []any{"attr-1", uint64(1 << 33)}}}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "24000000280001000000000000000000" + "01010000" + "10000280" + "0c000100" + "0000000002000000"; fmt.Sprintf("%x", got) != want {
		t.Errorf("encoded %x\nwant    %s", got, want)
	}
}
