package main

import (
	"os"

	"fmt"
	"io"
	"nlsh/engine/nstest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// chunkReader returns its chunks one Read at a time, as a terminal does.
type chunkReader struct{ chunks []string }

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	if n < len(c.chunks[0]) {
		c.chunks[0] = c.chunks[0][n:]
	} else {
		c.chunks = c.chunks[1:]
	}
	return n, nil
}

func (c *chunkReader) Close() error { return nil }

// TestPasteReader feeds the reader what terminals send, split across reads
// in awkward places, and checks what the line editor and the shell get:
// the editor's bytes up to each Enter that stands for a paste, and the
// paste the shell takes there.
func TestPasteReader(t *testing.T) {
	long := strings.Repeat("x", shortPaste+1)
	for _, tc := range []struct {
		name   string
		chunks []string
		want   []string // what the editor reads up to each pasted block's Enter; then the rest
		pastes []string
	}{
		{"typed only", []string{"1+1\r", "\x1b[A"}, []string{"1+1\r\x1b[A"}, nil},
		{"a block", []string{"x = \x1b[200~1\r2\x1b[201~"}, []string{"x = \r", ""}, []string{"1\n2"}},
		{"markers split", []string{"ab\x1b[2", "00~print(1)\r\nprint(2)\x1b[20", "1~cd"},
			[]string{"ab\r", "cd"}, []string{"print(1)\nprint(2)"}},
		{"a short paste is typed", []string{"\x1b[200~v0\x1b[201~\r"}, []string{"v0\r"}, nil},
		{"a long line is a block", []string{"\x1b[200~" + long + "\x1b[201~"}, []string{"\r", ""}, []string{long}},
		{"typed Enter before a paste", []string{"a\r\x1b[200~b\nc\x1b[201~"}, []string{"a\r\r", ""}, []string{"b\nc"}},
		{"a lone Esc waits for the next key", []string{"\x1b", "b"}, []string{"\x1bb"}, nil},
		{"cut short", []string{"\x1b[200~a\nb"}, []string{"\r", ""}, []string{"a\nb"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newPasteReader(&chunkReader{chunks: append([]string(nil), tc.chunks...)})
			var got, pastes []string
			var cur strings.Builder
			buf := make([]byte, 3) // small reads, as the editor's buffer may be
			for {
				n, err := r.Read(buf)
				cur.Write(buf[:n])
				if n > 0 && buf[n-1] == '\r' {
					if p, ok := r.take(); ok {
						pastes = append(pastes, p)
						got = append(got, cur.String())
						cur.Reset()
					}
				}
				if err != nil {
					break
				}
			}
			got = append(got, cur.String())
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("editor reads (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.pastes, pastes); diff != "" {
				t.Errorf("pastes (-want +got):\n%s", diff)
			}
		})
	}
}

// pasteKeys is what a terminal in bracketed-paste mode sends for text.
func pasteKeys(text string) string {
	return pasteStart + strings.ReplaceAll(text, "\n", "\r") + pasteEnd
}

// TestREPLPasteBlock pastes a 16 KB block at the prompt: it runs as one
// chunk (the "do return end" in its middle ends it, which line by line it
// would not) and takes well under the seconds a line editor redrawing
// after every character needs.
func TestREPLPasteBlock(t *testing.T) {
	bin := buildREPL(t)
	s := startREPL(t, bin, filepath.Join(t.TempDir(), "history"))
	s.prompt()
	s.mu.Lock()
	on := strings.Contains(s.raw.String(), pasteOn)
	s.mu.Unlock()
	if !on {
		t.Errorf("the shell did not turn bracketed paste on (%q)", pasteOn)
	}
	var b strings.Builder
	b.WriteString("local lines = {}\n")
	b.WriteString("lines[#lines + 1] = '" + strings.Repeat("0123456789", 800) + "'\n") // one 8 KB line
	for b.Len() < 16<<10 {
		fmt.Fprintf(&b, "lines[#lines + 1] = 'line %d'\n", b.Len())
	}
	b.WriteString("print('pasted ' .. #lines .. ' lines as one chunk')\ndo return end\nprint('nev' .. 'er')\n")
	block := b.String()
	if len(block) < 16<<10 {
		t.Fatalf("the block is %d bytes", len(block))
	}
	start := time.Now()
	s.send(pasteKeys(block))
	m := s.expectWithin(`\npasted \d+ lines as one chunk\n`, 30*time.Second)
	took := time.Since(start)
	s.prompt()
	if took > 3*time.Second {
		t.Errorf("a 16 KB paste took %v to run, want under 3 s", took)
	}
	if want := strings.Count(block, "lines[#lines + 1]"); !strings.Contains(m, fmt.Sprintf("pasted %d lines", want)) {
		t.Errorf("got %q, want %d lines", m, want)
	}
	// The session goes on: its locals too.
	s.send("print(#lines, 'nev' .. 'er' == 'never')\r")
	s.expect(`\n\d+\ttrue\n`)
	s.prompt()
	if regexp.MustCompile(`\nnever\n`).MatchString(s.screen()) {
		t.Errorf("the lines after 'do return end' ran: the block did not run as one chunk")
	}
	t.Logf("16 KB paste: %v", took)
	s.send("\x04")
	s.wait()
}

// TestREPLPasteAfterTyped: a block pasted after text typed on the line
// joins it; a short paste is typed into the line being edited.
func TestREPLPasteAfterTyped(t *testing.T) {
	bin := buildREPL(t)
	s := startREPL(t, bin, filepath.Join(t.TempDir(), "history"))
	s.prompt()
	s.send("x = " + pasteKeys("40\n+ 2\n"))
	s.prompt()
	s.send("x\r")
	s.expect(`\n42\n`)
	s.prompt()
	s.send("y = '" + pasteKeys("short") + "'\r")
	s.prompt()
	s.send("=y\r")
	s.expect(`\nshort\n`)
	s.prompt()
	// An unfinished block waits for the rest.
	s.send(pasteKeys("function f()\n  return 7\n"))
	s.expect(regexp.QuoteMeta(contPrompt))
	s.send("end\r")
	s.prompt()
	s.send("f()\r")
	s.expect(`\n7\n`)
	s.prompt()
	s.send("\x04")
	s.wait()
}

// tutorialBlock is a ```lua block of the tutorial and the ```text block
// after it, if any: what it prints.
type tutorialBlock struct {
	line      int
	src, want string
}

// tutorialBlocks reads the ```lua blocks of docs/tutorial.md, in order.
func tutorialBlocks(t *testing.T) []tutorialBlock {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "tutorial.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	fence := func(i int) (string, int) {
		var body []string
		for j := i + 1; j < len(lines); j++ {
			if strings.TrimSpace(lines[j]) == "```" {
				return strings.Join(body, "\n"), j
			}
			body = append(body, lines[j])
		}
		t.Fatalf("tutorial.md:%d: a block that never ends", i+1)
		return "", 0
	}
	var blocks []tutorialBlock
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```lua" {
			continue
		}
		b := tutorialBlock{line: i + 1}
		b.src, i = fence(i)
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j < len(lines) && strings.TrimSpace(lines[j]) == "```text" {
			b.want, i = fence(j)
		}
		blocks = append(blocks, b)
	}
	return blocks
}

// TestREPLPasteTutorial pastes every Lua block of the tutorial, in order,
// into one shell in a namespace set up as the tutorial says (a veth pair
// v0/v1), as a reader following along would: each runs, and prints what
// the tutorial shows after it.
func TestREPLPasteTutorial(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	bin := buildREPL(t)
	s := startREPL(t, bin, filepath.Join(t.TempDir(), "history"), "--netns", ns)
	s.prompt()
	blocks := tutorialBlocks(t)
	if len(blocks) < 10 {
		t.Fatalf("only %d Lua blocks in the tutorial", len(blocks))
	}
	for _, b := range blocks {
		s.send(pasteKeys(b.src + "\n"))
		// The echo of the block first, line by line, then what it prints.
		for _, l := range strings.Split(b.src, "\n") {
			s.expect(regexp.QuoteMeta(l) + `\n`)
		}
		var out string
		if m, ok := s.tryExpect(`(?s).*?`+regexp.QuoteMeta(prompt), replTimeout); ok {
			out = strings.TrimSuffix(m, prompt)
		} else {
			t.Fatalf("tutorial.md:%d: no prompt after the block; the screen:\n%s", b.line, tail(s.screen(), s.seen))
		}
		if strings.Contains(out, "stack traceback") || strings.Contains(out, "stdin:") {
			t.Errorf("tutorial.md:%d: the block failed:\n%s", b.line, out)
			continue
		}
		if b.want != "" {
			if diff := cmp.Diff(normalizeOut(b.want), normalizeOut(out)); diff != "" {
				t.Errorf("tutorial.md:%d: output differs from the tutorial's (-want +got):\n%s", b.line, diff)
			}
		}
	}
	s.send("\x04")
	s.wait()
}

// normalizeOut drops trailing spaces and blank lines at the ends.
func normalizeOut(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}
