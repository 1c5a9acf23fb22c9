package ynl

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
)

// TestInstalledSpecsLoad loads every spec the linux-doc package ships
// and compares what each holds with testdata/ynl/counts.txt (go test
// ./ynl -run TestInstalledSpecsLoad -update rewrites it).
func TestInstalledSpecsLoad(t *testing.T) {
	var lines []string
	for name, path := range installedSpecs(t) {
		s, err := Load(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		attrs := 0
		for _, set := range s.Sets {
			attrs += len(set.Attrs)
		}
		lines = append(lines, fmt.Sprintf("%-14s %-16s ops=%-3d sets=%-3d attrs=%-4d enums=%-3d structs=%-3d groups=%d",
			s.Name, s.Protocol, len(s.Ops), len(s.Sets), attrs, len(s.Enums), len(s.Structs), len(s.Groups)))
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join("..", "testdata", "ynl", "counts.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("what the installed specs hold (-want +got):\n%s", diff)
	}
}

// TestInstalledSpecsResolve checks what loading promises of every
// installed spec: every nest points at a set, every sub-message's
// formats are described, every operation of a call has a set and ids
// in range, and every attribute has a C name.
func TestInstalledSpecsResolve(t *testing.T) {
	for name, path := range installedSpecs(t) {
		s, err := Load(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, set := range s.Sets {
			for _, a := range set.Attrs {
				if a.CName == "" || strings.ContainsAny(a.CName, "- ") && !oddNames[name+" "+set.Name+"."+a.Name] {
					t.Errorf("%s: %s.%s has C name %q", name, set.Name, a.Name, a.CName)
				}
				if a.Kind == engine.Nested && a.Set == nil {
					t.Errorf("%s: %s.%s is a nest of no set", name, set.Name, a.Name)
				}
				if a.Sub != nil && len(a.Sub.Formats) == 0 {
					t.Errorf("%s: %s.%s has no formats", name, set.Name, a.Name)
				}
			}
		}
		for _, op := range s.Ops {
			if (op.Do != nil || op.Dump != nil) && (op.Set == nil || op.Request < 0) {
				t.Errorf("%s: operation %s: set %v, request id %d", name, op.Name, op.Set, op.Request)
			}
			if op.Reply >= 0 && op.ReplyCName == "" {
				t.Errorf("%s: operation %s has no reply C name", name, op.Name)
			}
		}
	}
}

// oddNames are attribute names in the installed specs that make no C
// identifier: spec bugs, loaded as they are.
var oddNames = map[string]bool{
	"nftables expr-lookup-attrs.set id": true, // a space where '-' was meant (NFTA_LOOKUP_SET_ID)
}
