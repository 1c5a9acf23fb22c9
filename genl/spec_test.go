package genl

import (
	"os"
	"testing"

	"nlsh/ynl"
)

// TestFromSpec describes every installed generic netlink spec's family.
func TestFromSpec(t *testing.T) {
	f := &ynl.Finder{}
	names, err := f.List()
	if err != nil || len(names) == 0 {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatalf("no YNL specs installed (apt-get install linux-doc-6.12): %v", err)
		}
		t.Skip("no YNL specs installed")
	}
	n := 0
	for _, name := range names {
		path, err := f.Find(name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := ynl.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if !s.IsGenetlink() {
			continue
		}
		fam, err := FromSpec(s)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		n++
		for _, op := range fam.Ops {
			if op.Class == nil {
				t.Errorf("%s %s has no class", name, op.Name)
			}
		}
	}
	if n < 10 {
		t.Errorf("described %d generic families from specs, want the 14 linux-doc ships", n)
	}
}
