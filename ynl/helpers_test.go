package ynl

import (
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// installedSpecs returns the specs a linux-doc package installed, by
// family file name. Without any the test skips, unless CI says every
// test must run (NLSH_REQUIRE_NETNS=1), when it fails.
func installedSpecs(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dir := range DefaultDirs("") {
		if !strings.Contains(dir, "linux-doc-") {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml.gz"))
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".yaml.gz")
			if out[name] == "" {
				out[name] = f
			}
		}
		if len(out) > 0 {
			break // the newest package only
		}
	}
	if len(out) == 0 {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatal("no YNL specs installed: apt-get install linux-doc-6.12")
		}
		t.Skip("no YNL specs installed (apt-get install linux-doc-6.12)")
	}
	return out
}

// installed loads one installed spec by its file name (rt_link).
func installed(t testing.TB, name string) *Spec {
	t.Helper()
	path := installedSpecs(t)[name]
	if path == "" {
		t.Fatalf("no installed spec %s", name)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testSpec loads one of the project's own specs in testdata/ynl.
func testSpec(t testing.TB, name string) *Spec {
	t.Helper()
	s, err := Load(filepath.Join("..", "testdata", "ynl", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testSpecFiles lists the project's own specs.
func testSpecFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "ynl", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test specs: %v", err)
	}
	sort.Strings(files)
	return files
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.NewReplacer(" ", "", "\n", "", "\t", "").Replace(s))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}
