package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// nlshBin is the binary under test, built once by TestMain.
var nlshBin string

func TestMain(m *testing.M) {
	if n := os.Getenv(nofileEnv); n != "" {
		execLimited(n)
	}
	dir, err := os.MkdirTemp("", "nlsh-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	nlshBin = filepath.Join(dir, "nlsh")
	if out, err := exec.Command("go", "build", "-o", nlshBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary did.
type result struct {
	stdout, stderr string
	code           int
}

// firstLine is the first line of stderr.
func (r result) firstLine() string { return strings.SplitN(r.stderr, "\n", 2)[0] }

// nlsh runs the binary with stdin (a pipe, so never a terminal) and returns
// its output and exit status.
func nlsh(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return runCmd(t, exec.Command(nlshBin, args...), stdin)
}

// runCmd runs cmd (the binary, perhaps under another command) with stdin.
func runCmd(t *testing.T, cmd *exec.Cmd, stdin string) result {
	t.Helper()
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("%q: %v", cmd.Args, err)
	}
	return r
}

// writeScript writes a Lua file into the test's temporary directory.
func writeScript(t *testing.T, name, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCLI checks flags, exit status and output that need no kernel.
func TestCLI(t *testing.T) {
	argsScript := writeScript(t, "args.lua", "print(#arg, arg[1], arg[2])\nprint(select('#', ...), ...)\n")
	shebang := writeScript(t, "shebang.lua", "#!/usr/bin/env nlsh\nprint('ran')\n")
	notNS := writeScript(t, "not-a-namespace", "")
	syntax := writeScript(t, "syntax.lua", "local a = 1\nlocal b = = 2\n")
	runtime := writeScript(t, "runtime.lua", "local a = 1\nerror('kaput')\n")
	tests := []struct {
		name      string
		args      []string
		stdin     string
		code      int
		stdout    *string  // exact standard output, when set
		stderr    *string  // exact standard error, when set
		outHas    []string // lines standard output must contain
		errEmpty  bool     // standard error must be empty
		errFirst  []string // substrings of stderr's first line
		errHas    []string // substrings of stderr
		errLines1 string   // the only stderr line containing this text is the first
	}{
		{
			name:     "help",
			args:     []string{"--help"},
			outHas:   []string{"nlsh — a scriptable netlink shell", "Usage:", "  nlsh [options] -e CHUNK [ARG…] run a chunk of Lua and print what it returns; ARGs are in arg", "  -h, --help       show this help"},
			errEmpty: true,
		},
		{
			name:     "short help",
			args:     []string{"-h"},
			outHas:   []string{"Usage:"},
			errEmpty: true,
		},
		{
			name:     "unknown flag",
			args:     []string{"--bogus"},
			code:     2,
			stdout:   ptr(""),
			errFirst: []string{"nlsh:", "-bogus"},
			errHas:   []string{"Usage:", "--netns NAME"},
		},
		{
			name:     "--rcvbuf without --monitor",
			args:     []string{"--rcvbuf", "65536", "-e", "return 1"},
			code:     2,
			stdout:   ptr(""),
			errFirst: []string{"nlsh: --rcvbuf takes a positive number of bytes and goes with --monitor"},
		},
		{
			name:     "-e prints what the chunk returns",
			args:     []string{"-e", "return 1+1"},
			stdout:   ptr("2\n"),
			errEmpty: true,
		},
		{
			name:     "-e returning several values",
			args:     []string{"-e", "return 'a', 3"},
			stdout:   ptr("a\t3\n"),
			errEmpty: true,
		},
		{
			name:      "-e error",
			args:      []string{"-e", `error("boom")`},
			code:      1,
			stdout:    ptr(""),
			errFirst:  []string{"boom"},
			errLines1: "boom",
		},
		{
			name:     "-e with arguments",
			args:     []string{"-e", "return arg[0], #arg, ...", "one", "two"},
			stdout:   ptr("-e\t2\tone\ttwo\n"),
			errEmpty: true,
		},
		{
			name:     "- reads the script from stdin, with arguments",
			args:     []string{"-", "x", "y"},
			stdin:    "print(arg[0], ...)\n",
			stdout:   ptr("stdin\tx\ty\n"),
			errEmpty: true,
		},
		{
			name:     "unknown monitor group",
			args:     []string{"--monitor", "link,bogus"},
			code:     2,
			stdout:   ptr(""),
			errFirst: []string{`nlsh: --monitor: unknown group "bogus" (groups: addr, address,`, "route, rule"},
		},
		{
			name:     "script arguments",
			args:     []string{argsScript, "one", "two"},
			stdout:   ptr("2\tone\ttwo\n2\tone\ttwo\n"),
			errEmpty: true,
		},
		{
			name:     "script with a shebang line",
			args:     []string{shebang},
			stdout:   ptr("ran\n"),
			errEmpty: true,
		},
		{
			name:     "stdin is a script when not a terminal",
			stdin:    "print(1)\n",
			stdout:   ptr("1\n"),
			errEmpty: true,
		},
		{
			name:     "empty stdin",
			stdout:   ptr(""),
			errEmpty: true,
		},
		{
			name:     "syntax error says where",
			args:     []string{syntax},
			code:     1,
			stdout:   ptr(""),
			errFirst: []string{"syntax.lua:2: unexpected symbol near"},
		},
		{
			name:     "syntax error on stdin",
			stdin:    "print(\n",
			code:     1,
			stdout:   ptr(""),
			errFirst: []string{"stdin:1: unfinished statement near the end of the chunk"},
		},
		{
			name:      "runtime error names file and line",
			args:      []string{runtime},
			code:      1,
			stdout:    ptr(""),
			errFirst:  []string{"runtime.lua:2:", "kaput"},
			errLines1: "kaput",
		},
		{
			name:     "missing script file",
			args:     []string{filepath.Join(t.TempDir(), "nope.lua")},
			code:     1,
			stdout:   ptr(""),
			errFirst: []string{"nlsh:", "nope.lua", "no such file"},
		},
		{
			name:   "missing namespace",
			args:   []string{"--netns", "nlsht-does-not-exist", "-e", "return 1"},
			code:   1,
			stdout: ptr(""),
			stderr: ptr("nlsh: netns nlsht-does-not-exist: open /run/netns/nlsht-does-not-exist: no such file or directory (ENOENT, errno 2)\n"),
		},
		{
			name:   "missing namespace path",
			args:   []string{"--netns", "/nonexistent/ns/net", "-e", "return 1"},
			code:   1,
			stdout: ptr(""),
			stderr: ptr("nlsh: netns /nonexistent/ns/net: open /nonexistent/ns/net: no such file or directory (ENOENT, errno 2)\n"),
		},
		{
			name:   "a file that is no namespace",
			args:   []string{"--netns", notNS, "-e", "return 1"},
			code:   1,
			stdout: ptr(""),
			stderr: ptr("nlsh: netns " + notNS + ": " + notNS + " is not a network namespace\n"),
		},
		{
			// An empty name would be the current namespace: refused, as
			// `ip -n ''` refuses it, before anything runs.
			name:   "empty namespace",
			args:   []string{"--netns", "", "-e", "print('ran')"},
			code:   2,
			stdout: ptr(""),
			stderr: ptr(emptyNetNS),
		},
		{
			name:   "empty namespace with =",
			args:   []string{"--netns=", "-e", "print('ran')"},
			code:   2,
			stdout: ptr(""),
			stderr: ptr(emptyNetNS),
		},
		{
			name:   "empty namespace before a script",
			args:   []string{"--netns=", argsScript},
			code:   2,
			stdout: ptr(""),
			stderr: ptr(emptyNetNS),
		},
		{
			name:   "empty namespace for stdin",
			args:   []string{"--netns", ""},
			stdin:  "print('ran')\n",
			code:   2,
			stdout: ptr(""),
			stderr: ptr(emptyNetNS),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := nlsh(t, tt.stdin, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if tt.stdout != nil {
				if diff := cmp.Diff(*tt.stdout, r.stdout); diff != "" {
					t.Errorf("stdout (-want +got):\n%s", diff)
				}
			}
			if tt.stderr != nil {
				if diff := cmp.Diff(*tt.stderr, r.stderr); diff != "" {
					t.Errorf("stderr (-want +got):\n%s", diff)
				}
			}
			lines := strings.Split(r.stdout, "\n")
			for _, want := range tt.outHas {
				if !contains(lines, want) {
					t.Errorf("stdout lacks the line %q:\n%s", want, r.stdout)
				}
			}
			if tt.errEmpty && r.stderr != "" {
				t.Errorf("stderr not empty:\n%s", r.stderr)
			}
			for _, want := range tt.errFirst {
				if !strings.Contains(r.firstLine(), want) {
					t.Errorf("stderr's first line %q lacks %q", r.firstLine(), want)
				}
			}
			for _, want := range tt.errHas {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if tt.errLines1 != "" {
				var got []int
				for i, l := range strings.Split(r.stderr, "\n") {
					if strings.Contains(l, tt.errLines1) {
						got = append(got, i+1)
					}
				}
				if diff := cmp.Diff([]int{1}, got); diff != "" {
					t.Errorf("lines of stderr naming %q (-want +got):\n%s\nstderr:\n%s", tt.errLines1, diff, r.stderr)
				}
			}
			if strings.Contains(r.stdout, prompt) || strings.Contains(r.stderr, prompt) {
				t.Errorf("output shows the prompt %q though stdin is not a terminal", prompt)
			}
			if tt.code != 0 && strings.HasSuffix(r.stderr, "\n\n") {
				t.Errorf("stderr ends with a blank line:\n%q", r.stderr)
			}
		})
	}
}

// emptyNetNS is what nlsh says to an empty --netns.
const emptyNetNS = "nlsh: --netns takes a network namespace (a name under /run/netns or a path such as /proc/PID/ns/net), not an empty string\n"

func ptr(s string) *string { return &s }

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

// script is the path of one of the example scripts.
func script(name string) string { return filepath.Join("..", "..", "scripts", name) }

// addrs returns the IPv4 addresses of a device in ns as ADDRESS/PREFIXLEN,
// read with `ip -j addr show`.
func addrs(t *testing.T, ns, dev string) []string {
	t.Helper()
	var links []struct {
		IfName   string `json:"ifname"`
		AddrInfo []struct {
			Family    string `json:"family"`
			Local     string `json:"local"`
			PrefixLen int    `json:"prefixlen"`
		} `json:"addr_info"`
	}
	out := nstest.IP(t, ns, "-j", "addr", "show", dev)
	if err := json.Unmarshal([]byte(out), &links); err != nil {
		t.Fatalf("ip -j addr show %s: %v\n%s", dev, err, out)
	}
	var got []string
	for _, l := range links {
		for _, a := range l.AddrInfo {
			if a.Family == "inet" {
				got = append(got, fmt.Sprintf("%s/%d", a.Local, a.PrefixLen))
			}
		}
	}
	return got
}

// TestNetNS runs the example scripts against the kernel inside a namespace
// of the test's own, named and given as a path.
func TestNetNS(t *testing.T) {
	ns := nstest.New(t)

	steps := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		errFirst string
	}{
		{
			name:   "add veth",
			args:   []string{"--netns", ns, script("add_veth.lua"), "v0", "v1"},
			stdout: "created veth pair v0 <-> v1\n",
		},
		{
			name:   "add address",
			args:   []string{"--netns", ns, script("add_address.lua"), "v0", "10.0.0.1/24"},
			stdout: "added 10.0.0.1/24 to v0 (index ",
		},
		{
			name:     "add address again",
			args:     []string{"--netns", ns, script("add_address.lua"), "v0", "10.0.0.1/24"},
			code:     1,
			errFirst: "EEXIST",
		},
		{
			name:     "add veth again",
			args:     []string{"--netns", ns, script("add_veth.lua"), "v0", "v1"},
			code:     1,
			errFirst: "EEXIST",
		},
	}
	for _, s := range steps {
		r := nlsh(t, "", s.args...)
		if r.code != s.code {
			t.Fatalf("%s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", s.name, r.code, s.code, r.stdout, r.stderr)
		}
		if !strings.HasPrefix(r.stdout, s.stdout) {
			t.Errorf("%s: stdout %q, want it to start with %q", s.name, r.stdout, s.stdout)
		}
		if s.errFirst == "" && r.stderr != "" {
			t.Errorf("%s: stderr not empty:\n%s", s.name, r.stderr)
		}
		if s.errFirst != "" && !strings.Contains(r.firstLine(), s.errFirst) {
			t.Errorf("%s: stderr's first line %q lacks %q", s.name, r.firstLine(), s.errFirst)
		}
		if s.name == "add address" {
			if diff := cmp.Diff([]string{"10.0.0.1/24"}, addrs(t, ns, "v0")); diff != "" {
				t.Errorf("addresses of v0 (-want +got):\n%s", diff)
			}
		}
	}

	// The same namespace given as a path, as any bind-mounted namespace file.
	const names = `
local s = nl.socket('route')
local req = rtnl.ifinfomsg()
req.header.type = RTM_GETLINK
req.header.flags = NLM_F_REQUEST + NLM_F_DUMP
local names = {}
for _, l in ipairs(s:request(req)) do names[#names + 1] = l:get('IFLA_IFNAME') end
table.sort(names)
return table.concat(names, ' ')`
	path := filepath.Join(engine.NetNSDir, ns)
	r := nlsh(t, "", "--netns", path, "-e", names)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("--netns %s: exit status %d\n%s", path, r.code, r.stderr)
	}
	if diff := cmp.Diff("lo v0 v1\n", r.stdout); diff != "" {
		t.Errorf("links seen through --netns %s (-want +got):\n%s", path, diff)
	}
	r = nlsh(t, "", "--netns", path, script("add_address.lua"), "v1", "10.0.0.2/24")
	if r.code != 0 {
		t.Fatalf("add_address.lua via --netns %s: exit status %d\n%s", path, r.code, r.stderr)
	}
	if diff := cmp.Diff([]string{"10.0.0.2/24"}, addrs(t, ns, "v1")); diff != "" {
		t.Errorf("addresses of v1 (-want +got):\n%s", diff)
	}
}

// TestVersion: --version names the release, the commit when the build
// knows it, and the Go that built nlsh.
func TestVersion(t *testing.T) {
	r := nlsh(t, "", "--version")
	re := regexp.MustCompile(`^nlsh ` + regexp.QuoteMeta(version) + `( \([0-9a-f]{12}(\+changes)?\))? go1\.\d+`)
	if r.code != 0 || !re.MatchString(r.stdout) || r.stderr != "" {
		t.Errorf("--version: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}
