package ynl

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeSpec(t *testing.T, path, family string, gz bool) {
	t.Helper()
	text := []byte(strings.Replace(minimal, "name: t\n", "name: "+family+"\n", 1))
	if gz {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(text)
		zw.Close()
		text = buf.Bytes()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFinder(t *testing.T) {
	one, two := t.TempDir(), t.TempDir()
	writeSpec(t, filepath.Join(one, "mptcp_pm.yaml"), "mptcp_pm", false)
	writeSpec(t, filepath.Join(one, "rt_link.yaml.gz"), "rt-link", true)
	writeSpec(t, filepath.Join(one, "odd.yaml"), "strange-fam", false)
	writeSpec(t, filepath.Join(two, "rt-link.yaml"), "rt-link", false)
	writeSpec(t, filepath.Join(two, "extra.yaml.gz"), "extra", true)
	os.WriteFile(filepath.Join(two, "notes.txt"), []byte("name: not-a-spec\n"), 0o644)
	f := &Finder{Dirs: []string{one, two, filepath.Join(two, "missing")}, NoDefaults: true}
	for _, tc := range []struct{ family, want string }{
		{"mptcp_pm", filepath.Join(one, "mptcp_pm.yaml")},
		{"mptcp-pm", filepath.Join(one, "mptcp_pm.yaml")},
		{"rt-link", filepath.Join(one, "rt_link.yaml.gz")}, // the first directory wins
		{"rt_link", filepath.Join(one, "rt_link.yaml.gz")},
		{"strange-fam", filepath.Join(one, "odd.yaml")}, // by the name inside
		{"extra", filepath.Join(two, "extra.yaml.gz")},
	} {
		got, err := f.Find(tc.family)
		if err != nil || got != tc.want {
			t.Errorf("Find(%q) = %q, %v; want %q", tc.family, got, err, tc.want)
		}
	}
	_, err := f.Find("nope")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), one+", "+two) {
		t.Errorf("Find(nope): %v", err)
	}
	if _, err := f.Find("../etc/passwd"); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("a path as a family name: %v", err)
	}
	names, err := f.List()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"extra", "mptcp_pm", "rt-link", "strange-fam"}, names); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	s, err := Load(filepath.Join(one, "rt_link.yaml.gz"))
	if err != nil || s.Name != "rt-link" {
		t.Errorf("loading what Find found: %v", err)
	}
}

func TestDefaultDirs(t *testing.T) {
	dirs := DefaultDirs("/a::/b:")
	if len(dirs) < 3 || dirs[0] != "/a" || dirs[1] != "/b" || dirs[2] != SystemDir {
		t.Fatalf("DefaultDirs = %v", dirs)
	}
	docs := dirs[3:]
	for i, d := range docs {
		if !strings.Contains(d, "/linux-doc-") {
			t.Errorf("%s is not a linux-doc directory", d)
		}
		if i > 0 && versionLess(docVersion(docs[i-1]), docVersion(d)) {
			t.Errorf("%s before %s: not newest first", docs[i-1], d)
		}
	}
	if got := DefaultDirs(""); got[0] != SystemDir {
		t.Errorf("DefaultDirs(\"\") starts with %s", got[0])
	}
}

func TestVersionLess(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		less bool
	}{
		{"6.9", "6.12", true},
		{"6.12", "6.9", false},
		{"6.12", "6.12.1", true},
		{"5.10", "6.1", true},
		{"6.12", "6.12", false},
		{"6.1-rc1", "6.1-rc2", true},
	} {
		if got := versionLess(tc.a, tc.b); got != tc.less {
			t.Errorf("versionLess(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
}

// TestFinderInstalled finds the installed specs by family name.
func TestFinderInstalled(t *testing.T) {
	installedSpecs(t)
	f := &Finder{}
	names, err := f.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ethtool", "nlctrl", "rt-link", "mptcp_pm"} {
		if !slices.Contains(names, want) {
			t.Errorf("List lacks %s: %v", want, names)
		}
		p, err := f.Find(want)
		if err != nil {
			t.Errorf("Find(%s): %v", want, err)
			continue
		}
		if s, err := Load(p); err != nil || s.Name != want {
			t.Errorf("%s: %v", p, err)
		}
	}
}
