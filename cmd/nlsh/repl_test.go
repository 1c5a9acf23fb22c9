package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
	"nlsh/luabind"
)

// The REPL is tested the way people use it: the real binary on a
// pseudo-terminal, keys written to it, the screen read back with the
// terminal's escape sequences stripped.

// replTimeout bounds each wait for output; generous, for loaded CI machines.
const replTimeout = 10 * time.Second

// buildREPL builds the binary under test into the test's directory. It does
// not share main_test.go's build so that either file can change alone; the
// Go build cache makes the second build cheap.
func buildREPL(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nlsh")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// ptySession is one nlsh running on a pseudo-terminal.
type ptySession struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	done chan struct{} // closed when the output ends

	mu   sync.Mutex
	raw  bytes.Buffer // everything nlsh wrote
	seen int          // offset in the cleaned screen text up to which expect consumed
}

// startREPL starts bin with args on a new pseudo-terminal, with its
// history in hist.
func startREPL(t *testing.T, bin, hist string, args ...string) *ptySession {
	t.Helper()
	return startREPLSized(t, bin, hist, &pty.Winsize{Rows: 60, Cols: 160}, args...)
}

// startREPLSized is startREPL on a terminal of the given size (0×0: one
// that reports none).
func startREPLSized(t *testing.T, bin, hist string, size *pty.Winsize, args ...string) *ptySession {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "NLSH_HISTORY="+hist, "TERM=xterm")
	tty, err := pty.StartWithSize(cmd, size)
	if err != nil {
		t.Fatalf("starting nlsh on a pty: %v", err)
	}
	s := &ptySession{t: t, cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		b := make([]byte, 4096)
		for {
			n, err := tty.Read(b)
			s.mu.Lock()
			s.raw.Write(b[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			s.cmd.Wait()
		}
		tty.Close()
	})
	return s
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r|\x07`)

// screen is the output so far without escape sequences and carriage returns.
func (s *ptySession) screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ansi.ReplaceAllString(s.raw.String(), "")
}

// send types keys.
func (s *ptySession) send(keys string) {
	s.t.Helper()
	if _, err := s.tty.Write([]byte(keys)); err != nil {
		s.t.Fatalf("writing %q to the pty: %v", keys, err)
	}
}

// expect waits until the output after the last match matches re and
// returns the match; the next expect starts after it.
func (s *ptySession) expect(re string) string {
	s.t.Helper()
	return s.expectWithin(re, replTimeout)
}

func (s *ptySession) expectWithin(re string, d time.Duration) string {
	s.t.Helper()
	m, ok := s.tryExpect(re, d)
	if !ok {
		s.t.Fatalf("no %q within %v; the screen after the last match:\n%s", re, d, tail(s.screen(), s.seen))
	}
	return m
}

// tryExpect is expect that reports a miss instead of failing the test.
func (s *ptySession) tryExpect(re string, d time.Duration) (string, bool) {
	s.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(d)
	for {
		// Read done before the screen: once the output has ended, the
		// screen read after it is complete.
		ended := false
		select {
		case <-s.done:
			ended = true
		default:
		}
		scr := s.screen()
		rest := tail(scr, s.seen)
		if loc := rx.FindStringIndex(rest); loc != nil {
			s.seen += loc[1]
			return rest[loc[0]:loc[1]], true
		}
		switch {
		case ended:
			s.t.Fatalf("nlsh exited without printing %q; the screen after the last match:\n%s", re, rest)
		case time.Now().After(deadline):
			return "", false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func tail(s string, from int) string {
	if from > len(s) {
		from = len(s)
	}
	return s[from:]
}

// prompt waits for the next primary prompt.
func (s *ptySession) prompt() {
	s.t.Helper()
	s.expect(regexp.QuoteMeta(prompt))
}

// wait waits for nlsh to exit and returns its exit status.
func (s *ptySession) wait() int {
	s.t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- s.cmd.Wait() }()
	select {
	case err := <-errc:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			s.t.Fatalf("waiting for nlsh: %v", err)
		}
		return 0
	case <-time.After(replTimeout):
		s.t.Fatalf("nlsh did not exit; the screen:\n%s", s.screen())
	}
	return -1
}

// TestREPL drives one session through what a user does: expressions,
// multi-line chunks, errors, completion, Ctrl-C and Ctrl-D, then checks the
// history file and that a second session finds it.
func TestREPL(t *testing.T) {
	bin := buildREPL(t)
	hist := filepath.Join(t.TempDir(), "history")
	s := startREPL(t, bin, hist)

	s.expect(`help\(\) for help`)
	s.prompt()

	// An expression prints its value; =expr too; several values are tab-separated.
	s.send("1+1\r")
	s.expect(`\n2\n`)
	s.prompt()
	s.send("=2*21, 'x'\r")
	s.expect(`\n42\tx\n`)
	s.prompt()

	// A multi-line function: continuation prompts until it is complete.
	s.send("function f(x)\r")
	s.expect(regexp.QuoteMeta(contPrompt))
	s.send("  return x * 2\r")
	s.expect(regexp.QuoteMeta(contPrompt))
	s.send("end\r")
	s.prompt()
	s.send("f(2)\r")
	s.expect(`\n4\n`)
	s.prompt()

	// Top-level locals live on across lines, as in a script.
	s.send("local lx = 5\r")
	s.prompt()
	s.send("lx\r")
	s.expect(`\n5\n`)
	s.prompt()
	s.send("local function twice(n) return 2 * n end\r")
	s.prompt()
	s.send("twice(lx)\r")
	s.expect(`\n10\n`)
	s.prompt()

	// An unfinished table continues too.
	s.send("t = {1,\r")
	s.expect(regexp.QuoteMeta(contPrompt))
	s.send("2}\r")
	s.prompt()
	s.send("#t\r")
	s.expect(`\n2\n`)
	s.prompt()

	// A syntax error says where, and the session goes on.
	s.send("x = = 1\r")
	s.expect(`stdin:1: unexpected symbol near '='`)
	s.prompt()

	// A runtime error is one line and a short traceback.
	s.send("error('kaput')\r")
	s.expect(`stdin:1: kaput\nstack traceback:`)
	s.prompt()

	// A table prints nested, with sorted keys.
	s.send("={b = 2, a = {1, 2}}\r")
	s.expect(`\n\{a=\{1, 2\}, b=2\}\n`)
	s.prompt()

	// Tab completes a class name after rtnl.
	s.send("help(rtnl.ifa\t)\r")
	s.expect(`rtnl\.ifaddrmsg — interface address`)
	s.prompt()

	// Tab completes an attribute name inside the string being typed, and
	// closes the string.
	s.send("pair = {'IFA_LO\t, '10.0.0.1'}\r")
	s.prompt()
	s.send("=pair[1]\r")
	s.expect(`\nIFA_LOCAL\n`)
	s.prompt()

	// help() and help(class) print through the terminal.
	s.send("help()\r")
	s.expect(`Message classes`)
	s.prompt()

	// Ctrl-C at the prompt clears the line.
	s.send("this is not lua")
	s.expect(`this is not lua`)
	s.send("\x03")
	s.prompt()
	s.send("3*3\r")
	s.expect(`\n9\n`)
	s.prompt()

	// Ctrl-C clears the line also while Tab's candidates are listed
	// (the line editor would only close the list, and keep the line).
	s.send("RTM_NEWAD\t\t")
	s.expect(`RTM_NEWADDRLABEL`)
	s.send("\x03")
	s.prompt()
	s.send("4*4\r")
	s.expect(`\n16\n`)
	s.prompt()

	// Ctrl-C stops a blocking recv on a socket that gets no traffic, and the
	// prompt works again within a second. A loaded machine can stall any
	// one try, so the second is missed only if three tries all miss it.
	var took []time.Duration
	for try := 0; try < 3; try++ {
		// The chunk says when it runs, so the key is not sent while the
		// line editor still holds the terminal (in raw mode Ctrl-C is no
		// signal).
		s.send("sock = nl.socket('route'); print('wait' .. 'ing'); sock:recv()\r")
		s.expect(`\nwaiting\n`)
		time.Sleep(100 * time.Millisecond) // let it block in recv
		start := time.Now()
		s.send("\x03")
		s.expect(`interrupted\n` + regexp.QuoteMeta(prompt))
		took = append(took, time.Since(start))
		if took[len(took)-1] <= time.Second {
			break
		}
	}
	if d := took[len(took)-1]; d > time.Second {
		t.Errorf("Ctrl-C during recv took %v to give the prompt back", took)
	}
	s.send("1+2\r")
	s.expect(`\n3\n`)
	s.prompt()

	// Ctrl-C stops a busy loop.
	s.send("print('spin' .. 'ning') while true do end\r")
	s.expect(`\nspinning\n`)
	s.send("\x03")
	s.expect(`interrupted\n`)
	s.prompt()
	s.send("=sock:port() > 0\r")
	s.expect(`\ntrue\n`)
	s.prompt()

	// Ctrl-D on an empty line exits with status 0.
	s.send("\x04")
	if code := s.wait(); code != 0 {
		t.Errorf("exit status after Ctrl-D = %d, want 0; screen:\n%s", code, s.screen())
	}

	// The history holds the lines typed, one per line, readable only by
	// its owner.
	if fi, err := os.Stat(hist); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("history file: %v, mode %v; want mode 0600", err, fi.Mode().Perm())
	}
	data, err := os.ReadFile(hist)
	if err != nil {
		t.Fatalf("history file: %v", err)
	}
	lines := strings.Split(string(data), "\n")
	for _, want := range []string{"1+1", "function f(x)", "  return x * 2", "end", "f(2)", "sock = nl.socket('route'); print('wait' .. 'ing'); sock:recv()"} {
		if !hasLine(lines, want) {
			t.Errorf("history lacks the line %q:\n%s", want, data)
		}
	}
	for _, l := range lines {
		if strings.Contains(l, "this is not lua") {
			t.Errorf("history holds a line cancelled with Ctrl-C: %q", l)
		}
	}

	// A second session finds the history: Ctrl-R searches it.
	s2 := startREPL(t, bin, hist)
	s2.prompt()
	s2.send("\x122*2")
	s2.expect(`=2\*21, 'x'`)
	s2.send("\r")
	s2.expect(`\n42\tx\n`)
	s2.prompt()
	s2.send("\x04")
	if code := s2.wait(); code != 0 {
		t.Errorf("second session: exit status %d, want 0", code)
	}
}

// TestREPLCompletesInterfaceNames completes ifname=' with the interfaces
// of the namespace nlsh runs in, read from the kernel.
func TestREPLCompletesInterfaceNames(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "vx1", "type", "veth", "peer", "name", "vy1")
	bin := buildREPL(t)
	s := startREPL(t, bin, filepath.Join(t.TempDir(), "history"), "--netns", ns)
	s.prompt()

	// Two names start with v: Tab lists them.
	s.send("spec = {ifname='v\t")
	if _, ok := s.tryExpect(`vx1'`, 5*time.Second); !ok {
		// A loaded machine may have run out the dump's time: Tab again.
		s.send("\t")
		s.expect(`vx1'`)
	}
	s.send("x\t}\r")
	s.prompt()
	s.send("=spec.ifname\r")
	s.expect(`\nvx1\n`)
	s.prompt()
	s.send("\x04")
	if code := s.wait(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
}

// TestREPLLongResult cuts a long result short and says how to see it all.
func TestREPLLongResult(t *testing.T) {
	bin := buildREPL(t)
	s := startREPL(t, bin, filepath.Join(t.TempDir(), "history"))
	s.prompt()
	s.send("big = {} for i = 1, 500 do big[i] = {n = i, s = string.rep('x', 60)} end\r")
	s.prompt()
	s.send("big\r")
	m := s.expect(`… \d+ more lines; show\(_\) prints them all`)
	if !strings.Contains(m, "302 more lines") {
		t.Errorf("truncation note %q, want 302 more lines (502 lines, 200 shown)", m)
	}
	s.prompt()
	s.send("\x04")
	s.wait()
}

// TestREPLUsage checks that --help names the interactive shell.
func TestREPLUsage(t *testing.T) {
	out, err := exec.Command(buildREPL(t), "--help").Output()
	if err != nil {
		t.Fatalf("nlsh --help: %v", err)
	}
	for _, want := range []string{"start the interactive shell", "--netns NAME", "Exit status"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("nlsh --help lacks %q:\n%s", want, out)
		}
	}
}

// hasLine reports whether lines holds s.
func hasLine(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

// TestCompleterAdapter checks the readline adapter without a terminal:
// suffixes to insert, the runes they share, and context from earlier lines.
func TestCompleterAdapter(t *testing.T) {
	env := luabind.New(luabind.Options{Stdout: io.Discard})
	defer env.Close()
	c := &completer{env: env}
	for _, tc := range []struct {
		pending []string
		line    string
		want    []string
		n       int
	}{
		{nil, "rtnl.ifa", []string{"ddrmsg"}, 3},
		{nil, "x = {'IFA_LO", []string{"CAL'"}, 6},
		{nil, "é = 'IFA_LO", []string{"CAL'"}, 6},
		{[]string{"local m = rtnl.ifaddrmsg()"}, "m.attrs = {{'IFA_LA", []string{"BEL'"}, 6},
		{nil, "nothing_matches_this", []string{}, 20},
	} {
		c.setPending(tc.pending)
		line := []rune(tc.line)
		got, n := c.Do(line, len(line))
		var gs []string
		for _, g := range got {
			gs = append(gs, string(g))
		}
		if len(gs) == 0 && len(tc.want) == 0 {
			continue
		}
		if diff := cmp.Diff(tc.want, gs); diff != "" || n != tc.n {
			t.Errorf("Do(%q) = %q, %d; want %q, %d", tc.line, gs, n, tc.want, tc.n)
		}
	}
}

// TestREPLNoWindowSize: on a terminal that reports no size, Tab completion
// and Ctrl-R's history search still work (nlsh takes 80 columns).
func TestREPLNoWindowSize(t *testing.T) {
	bin := buildREPL(t)
	s := startREPLSized(t, bin, filepath.Join(t.TempDir(), "history"), &pty.Winsize{})
	s.prompt()
	s.send("print('needle' .. 1)\r")
	s.expect(`\nneedle1\n`)
	s.prompt()
	s.send("help(rtnl.ifa\t)\r")
	s.expect(`rtnl\.ifaddrmsg — interface address`)
	s.prompt()
	s.send("\x12needl")
	s.expect(`print\('needle' \.\. 1\)`)
	s.send("\r")
	s.expect(`\nneedle1\n`)
	s.prompt()
}
