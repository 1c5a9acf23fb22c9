package ynl

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// SystemDir is where packagers put the YNL specs (as the kernel's
// tools/net/ynl installs them).
const SystemDir = "/usr/share/ynl/specs"

// docDirs matches the specs Debian's linux-doc-* packages ship, gzipped.
const docDirs = "/usr/share/doc/linux-doc-*/Documentation/netlink/specs"

// Finder locates specs: in Dirs, in order, then in the default
// directories (DefaultDirs("")) unless NoDefaults is set.
type Finder struct {
	Dirs       []string
	NoDefaults bool
}

// DefaultDirs lists where specs are looked for: the directories in env
// (the NLSH_YNL_PATH value, colon-separated), then SystemDir, then the
// linux-doc packages' spec directories, newest kernel version first.
func DefaultDirs(env string) []string {
	var dirs []string
	for _, d := range strings.Split(env, ":") {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	dirs = append(dirs, SystemDir)
	docs, _ := filepath.Glob(docDirs)
	sort.SliceStable(docs, func(i, j int) bool { return versionLess(docVersion(docs[j]), docVersion(docs[i])) })
	return append(dirs, docs...)
}

// docVersion is the version in a linux-doc-VERSION path.
func docVersion(dir string) string {
	for _, part := range strings.Split(dir, string(filepath.Separator)) {
		if v, ok := strings.CutPrefix(part, "linux-doc-"); ok {
			return v
		}
	}
	return ""
}

// versionLess compares versions such as 6.9 and 6.12 part by part,
// numbers as numbers.
func versionLess(a, b string) bool {
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '-' || r == '+' || r == '~' })
	}
	pa, pb := split(a), split(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		switch {
		case ea == nil && eb == nil:
			if na != nb {
				return na < nb
			}
		case pa[i] != pb[i]:
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

// dirs is the search path, each directory once.
func (f *Finder) dirs() []string {
	all := append([]string(nil), f.Dirs...)
	if !f.NoDefaults {
		all = append(all, DefaultDirs("")...)
	}
	seen := map[string]bool{}
	out := all[:0]
	for _, d := range all {
		c := filepath.Clean(d)
		if !seen[c] {
			seen[c] = true
			out = append(out, d)
		}
	}
	return out
}

var specExts = []string{".yaml", ".yaml.gz"}

// Find returns the path of the spec of a family. A spec is found by its
// file's base name, spelled with '-' or '_' either way (rt-link is
// rt_link.yaml.gz), else by the name inside it. The error (wrapping
// ErrNotFound) lists where it looked.
func (f *Finder) Find(family string) (string, error) {
	if family == "" || strings.ContainsAny(family, "/\x00") {
		return "", fmt.Errorf("ynl: %q is not a family name", family)
	}
	var names []string
	for _, n := range []string{family, strings.ReplaceAll(family, "-", "_"), strings.ReplaceAll(family, "_", "-")} {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	dirs := f.dirs()
	for _, dir := range dirs {
		for _, n := range names {
			for _, ext := range specExts {
				p := filepath.Join(dir, n+ext)
				if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
					return p, nil
				}
			}
		}
	}
	for _, dir := range dirs {
		specs, _ := scanDir(dir)
		for _, s := range specs {
			if s.name == family {
				return s.path, nil
			}
		}
	}
	return "", fmt.Errorf("ynl: %w for family %q (looked in %s)", ErrNotFound, family, strings.Join(dirs, ", "))
}

// List returns the names of the families whose specs are found, sorted.
// Names are read from each file's top-level name: key, without parsing
// the whole spec.
func (f *Finder) List() ([]string, error) {
	seen := map[string]bool{}
	var names []string
	for _, dir := range f.dirs() {
		specs, err := scanDir(dir)
		if err != nil {
			return nil, err
		}
		for _, s := range specs {
			if !seen[s.name] {
				seen[s.name] = true
				names = append(names, s.name)
			}
		}
	}
	sort.Strings(names)
	return names, nil
}

type found struct{ name, path string }

// scanDir lists the specs in a directory; one that does not exist holds
// none.
func scanDir(dir string) ([]found, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ynl: %w", err)
	}
	var out []found
	for _, e := range ents {
		base := e.Name()
		for _, ext := range specExts {
			stem, ok := strings.CutSuffix(base, ext)
			if !ok || e.IsDir() {
				continue
			}
			p := filepath.Join(dir, base)
			name := familyName(p)
			if name == "" {
				name = stem
			}
			out = append(out, found{name, p})
		}
	}
	return out, nil
}

// familyName reads the top-level name: line of a spec, "" when there is
// none to be found cheaply.
func familyName(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var r io.Reader = bytes.NewReader(data)
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return ""
		}
		r = io.LimitReader(zr, maxText)
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "name:"); ok {
			v = strings.TrimSpace(v)
			if i := strings.Index(v, " #"); i >= 0 {
				v = strings.TrimSpace(v[:i])
			}
			return strings.Trim(v, `"'`)
		}
	}
	return ""
}
