package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// fuzzTarget is one func Fuzz of the repository.
type fuzzTarget struct {
	pkg  string // ./luabind
	file string // luabind/fuzz_test.go
	name string // FuzzLuaDecode
}

// fuzzDecl matches a fuzz target's declaration, as grep would find it.
var fuzzDecl = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(\w+ \*testing\.F\)`)

// findFuzzTargets lists every fuzz target under root (package and file
// relative to it), sorted by package and name. testdata and hidden
// directories are not Go packages.
func findFuzzTargets(root string) ([]fuzzTarget, error) {
	var out []fuzzTarget
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		for _, m := range fuzzDecl.FindAllSubmatch(src, -1) {
			out = append(out, fuzzTarget{pkg: "./" + filepath.ToSlash(filepath.Dir(rel)), file: rel, name: string(m[1])})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].pkg != out[j].pkg {
			return out[i].pkg < out[j].pkg
		}
		return out[i].name < out[j].name
	})
	return out, err
}

// fuzzResult is what one fuzz target did.
type fuzzResult struct {
	target  fuzzTarget
	took    time.Duration
	execs   int64
	corpus  int64 // inputs in the corpus at the end (seeds and cache included)
	held    bool
	failure string // the failure, with the input file go test wrote
}

var (
	fuzzExecs  = regexp.MustCompile(`execs: (\d+)`)
	fuzzCorpus = regexp.MustCompile(`\(total: (\d+)\)`)
)

// runFuzz fuzzes one target for d, a failing input shrunk for at most
// minimize.
func runFuzz(ft fuzzTarget, d, minimize time.Duration) fuzzResult {
	start := time.Now()
	cmd := exec.Command("go", "test", "-run", "^$", "-fuzz", "^"+ft.name+"$",
		"-fuzztime", d.String(), "-fuzzminimizetime", minimize.String(), ft.pkg)
	out, err := cmd.CombinedOutput()
	res := parseFuzz(out)
	res.target, res.took, res.held = ft, time.Since(start), err == nil
	if err != nil && res.failure == "" {
		res.failure = strings.TrimSpace(lastLines(out, 15))
	}
	return res
}

// parseFuzz reads go test -fuzz's output: the last execution count and
// corpus size it printed, and a failure's report.
func parseFuzz(out []byte) fuzzResult {
	var res fuzzResult
	var fail []string
	failing := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		l := sc.Text()
		if m := fuzzExecs.FindStringSubmatch(l); m != nil {
			res.execs, _ = strconv.ParseInt(m[1], 10, 64)
		}
		if m := fuzzCorpus.FindStringSubmatch(l); m != nil {
			res.corpus, _ = strconv.ParseInt(m[1], 10, 64)
		}
		if strings.HasPrefix(l, "--- FAIL") {
			failing = true
		}
		if failing && len(fail) < 20 && strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "FAIL") && !strings.HasPrefix(l, "exit status") {
			fail = append(fail, strings.TrimSpace(l))
		}
	}
	res.failure = strings.Join(fail, "\n")
	return res
}

// lastLines is the last n lines of out.
func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
