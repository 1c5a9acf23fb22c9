package luabind

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// The Lua examples of the documentation are tests: every ```lua block of
// docs/*.md and README.md runs in a fresh Env and must not fail. A block whose
// first line is "-- needs: netns" runs in a throwaway namespace holding a veth
// pair v0/v1 (down, no addresses); the others get a namespace path that does
// not exist, so a block that opens a socket without saying so fails instead of
// touching the host. A block whose first line is "-- needs: root" makes and
// deletes a namespace of its own: it gets a fresh name as arg[1] (the
// namespace is deleted after it if it is left behind) and, like the others,
// no usable namespace of nlsh's own. A ```text block right after a ```lua
// block is what the Lua must print.

// needsNetNS is the first line of a block that talks to the kernel.
const needsNetNS = "-- needs: netns"

// needsRoot is the first line of a block that creates its own namespace.
const needsRoot = "-- needs: root"

// noKernel is the namespace of blocks that do not declare needsNetNS.
const noKernel = "/nonexistent/nlsh-doc-example-without-needs-netns"

// docBlock is one ```lua block and the output shown after it, if any.
type docBlock struct {
	file  string
	line  int // of the opening fence
	src   string
	want  string
	check bool // a ```text block follows
	netns bool
	root  bool
}

func (b docBlock) name() string { return fmt.Sprintf("%s:%d", b.file, b.line) }

// docBlocks extracts the ```lua blocks of a Markdown file.
func docBlocks(t *testing.T, path string) []docBlock {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	// fence returns the body of the fenced block opening at line i and the
	// index of its closing fence.
	fence := func(i int) (string, int) {
		var body []string
		for j := i + 1; j < len(lines); j++ {
			if strings.TrimSpace(lines[j]) == "```" {
				return strings.Join(body, "\n") + "\n", j
			}
			body = append(body, lines[j])
		}
		t.Fatalf("%s:%d: code block is never closed", path, i+1)
		return "", 0
	}
	var blocks []docBlock
	rel := filepath.ToSlash(strings.TrimPrefix(path, "../"))
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```lua" {
			continue
		}
		b := docBlock{file: rel, line: i + 1}
		b.src, i = fence(i)
		first := strings.TrimSpace(strings.SplitN(b.src, "\n", 2)[0])
		b.netns, b.root = first == needsNetNS, first == needsRoot
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j < len(lines) && strings.TrimSpace(lines[j]) == "```text" {
			b.want, i = fence(j)
			b.check = true
		}
		blocks = append(blocks, b)
	}
	return blocks
}

// normalize drops trailing spaces of every line and trailing blank lines.
func normalize(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

func TestDocExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "README.md"))
	perFile := map[string]int{}
	for _, f := range files {
		for _, b := range docBlocks(t, f) {
			perFile[b.file]++
			t.Run(b.name(), func(t *testing.T) { runDocBlock(t, b) })
		}
	}
	// Guard against the examples silently going missing.
	for _, f := range []string{"docs/lua-api.md", "README.md"} {
		if perFile[f] == 0 {
			t.Errorf("%s has no ```lua examples", f)
		}
	}
}

func runDocBlock(t *testing.T, b docBlock) {
	netns := noKernel
	args := []string{}
	if b.netns {
		netns = nstest.New(t)
		nstest.IP(t, netns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	}
	if b.root {
		args = []string{ownNetNS(t)}
	}
	var out bytes.Buffer
	e := New(Options{NetNS: netns, Stdout: &out})
	defer e.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := e.Run(ctx, b.name(), b.src, args); err != nil {
		msg := e.FormatError(err)
		if strings.Contains(msg, noKernel) {
			msg += "\n(a block that talks to the kernel must start with \"" + needsNetNS + "\")"
		}
		t.Fatalf("%s\n--- output so far:\n%s--- block:\n%s", msg, out.String(), b.src)
	}
	if b.check {
		if diff := cmp.Diff(normalize(b.want), normalize(out.String())); diff != "" {
			t.Errorf("output of the example differs from the ```text block after it (-want +got):\n%s", diff)
		}
	}
}

// ownNetNS names the namespace a "-- needs: root" block creates, unique and
// with nstest's prefix, and deletes it after the test if the block left it
// (which it must not).
func ownNetNS(t *testing.T) string { return nstest.Name(t, true) }
