package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// The shell sessions the documentation shows (```console blocks: "# "
// starts a command, the lines after it are what it prints) are run here,
// in order, as the reader would run them: `nlsh` is the binary under test,
// and the namespace the text calls demo is one of the test's own. In what a
// command prints, "…" stands for text left out (a whole line of it for any
// number of lines), and MAC addresses, random by nature, match any MAC.

// consoleStep is one command of a console block and what it prints.
type consoleStep struct {
	line int // of the command, in the file
	cmd  string
	want []string
}

// consoleSteps reads the commands of every ```console block of path.
func consoleSteps(t *testing.T, path string) []consoleStep {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []consoleStep
	in := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case strings.TrimSpace(l) == "```console":
			in = true
		case in && strings.TrimSpace(l) == "```":
			in = false
		case in && strings.HasPrefix(l, "# "):
			steps = append(steps, consoleStep{line: n, cmd: l[2:]})
		case in && len(steps) > 0:
			steps[len(steps)-1].want = append(steps[len(steps)-1].want, l)
		}
	}
	return steps
}

// luaAfter returns the ```lua block that follows the first line of path
// holding marker.
func luaAfter(t *testing.T, path, marker string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, marker)
	if i < 0 {
		t.Fatalf("%s has no %q", path, marker)
	}
	s = s[i:]
	start := strings.Index(s, "```lua\n")
	if start < 0 {
		t.Fatalf("%s: no ```lua block after %q", path, marker)
	}
	s = s[start+len("```lua\n"):]
	return s[:strings.Index(s, "```")]
}

var macRE = regexp.MustCompile(`([0-9a-f]{2}:){5}[0-9a-f]{2}`)

// shownLines normalises printed text for comparison.
func shownLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		out = append(out, macRE.ReplaceAllString(strings.TrimRight(l, " \t"), "MAC"))
	}
	if len(out) == 1 && out[0] == "" {
		return nil
	}
	return out
}

// lineMatches reports whether got is want, where "…" in want stands for
// any text.
func lineMatches(want, got string) bool {
	parts := strings.Split(want, "…")
	if !strings.HasPrefix(got, parts[0]) {
		return false
	}
	got = got[len(parts[0]):]
	for _, p := range parts[1:] {
		i := strings.Index(got, p)
		if i < 0 {
			return false
		}
		got = got[i+len(p):]
	}
	return len(parts) > 1 && strings.HasSuffix(want, "…") || got == ""
}

// linesMatch reports whether got is want, where a line "…" stands for any
// number of lines.
func linesMatch(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if strings.TrimSpace(want[0]) == "…" {
		for i := 0; i <= len(got); i++ {
			if linesMatch(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && lineMatches(want[0], got[0]) && linesMatch(want[1:], got[1:])
}

// docNetNS is a fresh namespace name for a session's demo, deleted after
// the test if the session leaves it.
func docNetNS(t *testing.T) string { return nstest.Name(t, false) }

var demoRE = regexp.MustCompile(`\bdemo\b`)

// runSession runs steps with sh in dir, nlsh on PATH and demo renamed ns.
func runSession(t *testing.T, path, dir, ns string, steps []consoleStep) {
	t.Helper()
	env := append(os.Environ(), "PATH="+filepath.Dir(nlshBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	for _, s := range steps {
		cmd := exec.Command("sh", "-c", demoRE.ReplaceAllString(s.cmd, ns))
		cmd.Dir, cmd.Env = dir, env
		out, _ := cmd.CombinedOutput()
		want := make([]string, len(s.want))
		for i, w := range s.want {
			want[i] = macRE.ReplaceAllString(strings.TrimRight(w, " \t"), "MAC")
		}
		if got := shownLines(string(out)); !linesMatch(want, got) {
			t.Errorf("%s:%d: # %s\nprinted:\n%s\nthe text shows:\n%s", path, s.line, s.cmd,
				strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestReadmeSessions runs the README's tour as the README shows it.
func TestReadmeSessions(t *testing.T) {
	ns := docNetNS(t)
	readme := filepath.Join("..", "..", "README.md")
	dir := t.TempDir()
	scripts, err := filepath.Abs(filepath.Join("..", "..", "scripts"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(scripts, filepath.Join(dir, "scripts")); err != nil {
		t.Fatal(err)
	}
	routes := luaAfter(t, readme, "Save this as `routes.lua`")
	if err := os.WriteFile(filepath.Join(dir, "routes.lua"), []byte(routes), 0o644); err != nil {
		t.Fatal(err)
	}
	steps := consoleSteps(t, readme)
	if len(steps) < 10 {
		t.Fatalf("README.md has %d console commands, want the whole tour", len(steps))
	}
	runSession(t, "README.md", dir, ns, steps)
}

// TestTutorialSessions sets up the tutorial's namespace as its first shell
// block says, then runs its console sessions.
func TestTutorialSessions(t *testing.T) {
	ns := docNetNS(t)
	tutorial := filepath.Join("..", "..", "docs", "tutorial.md")
	var setup []consoleStep
	b, err := os.ReadFile(tutorial)
	if err != nil {
		t.Fatal(err)
	}
	sh := string(b)
	sh = sh[strings.Index(sh, "```sh\n")+len("```sh\n"):]
	for _, l := range strings.Split(sh[:strings.Index(sh, "```")], "\n") {
		if strings.HasPrefix(l, "ip ") {
			setup = append(setup, consoleStep{cmd: l})
		}
	}
	if len(setup) != 2 {
		t.Fatalf("the tutorial's setup is %d ip commands, want 2", len(setup))
	}
	steps := consoleSteps(t, tutorial)
	if len(steps) == 0 {
		t.Fatal("docs/tutorial.md has no console sessions")
	}
	runSession(t, "docs/tutorial.md", t.TempDir(), ns, append(setup, steps...))
	nstest.IP(t, ns, "link", "show", "v0") // still there: the session ran in ns
	engine.DelNetNS(ns)
}
