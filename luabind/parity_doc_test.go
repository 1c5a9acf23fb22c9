package luabind

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// The parity table, docs/ip-parity.md, is assembled from the rows in
// docs/parity/*.md (one file per kind of object, each row `| pyroute2 call
// | nlsh call | tests |`). TestParityDoc keeps them in step: every row of
// every source file must be in the assembled page and every table row of
// the page must come from a source file, and each test a row names must be
// a test function of this package, so no row claims a test that is not
// there.

// testNameRE finds the tests named in a row's last cell: `TestX` or
// `TestX/subtest`.
var testNameRE = regexp.MustCompile("`(Test[A-Za-z0-9_]+)(/[^`]*)?`")

// parityRows reads the rows of the source files, by file.
func parityRows(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "docs", "parity", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no docs/parity/*.md: %v", err)
	}
	rows := map[string][]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			switch {
			case strings.TrimSpace(line) == "":
			case strings.HasPrefix(line, "| ") && strings.HasSuffix(line, " |"):
				rows[filepath.Base(f)] = append(rows[filepath.Base(f)], line)
			default:
				t.Errorf("%s:%d: not a table row: %q", f, i+1, line)
			}
		}
	}
	return rows
}

// testFuncs lists the test functions declared in this package's _test.go files.
func testFuncs(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	funcs := map[string]bool{}
	fset := gotoken.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Test") {
				funcs[fn.Name.Name] = true
			}
		}
	}
	return funcs
}

func TestParityDoc(t *testing.T) {
	rows := parityRows(t)
	page, err := os.ReadFile(filepath.Join("..", "docs", "ip-parity.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(page), "\n") {
		lines[l] = true
	}
	funcs := testFuncs(t)

	from := map[string]string{} // row -> its source file
	for file, rs := range rows {
		for _, row := range rs {
			from[row] = file
			if !lines[row] {
				t.Errorf("docs/ip-parity.md lacks this row of docs/parity/%s:\n%s", file, row)
			}
			// The tests are in the last cell, after the last " | ".
			last := row[strings.LastIndex(strings.TrimSuffix(row, " |"), " | ")+3:]
			names := testNameRE.FindAllStringSubmatch(last, -1)
			if len(names) == 0 {
				t.Errorf("docs/parity/%s: a row names no test:\n%s", file, row)
			}
			for _, n := range names {
				if !funcs[n[1]] {
					t.Errorf("docs/parity/%s: no func %s in luabind/*_test.go, named by:\n%s", file, n[1], row)
				}
			}
		}
	}

	// The other way: each table row of the page is a source row, apart
	// from the header and separator rows.
	for i, l := range strings.Split(string(page), "\n") {
		if !strings.HasPrefix(l, "| ") || l == parityHeader || strings.HasPrefix(l, "|---") {
			continue
		}
		if _, ok := from[l]; !ok {
			t.Errorf("docs/ip-parity.md:%d: a row that is in no docs/parity/*.md (edit the source, then paste):\n%s", i+1, l)
		}
	}
	if !strings.Contains(string(page), parityHeader+"\n|---|---|---|\n") {
		t.Errorf("docs/ip-parity.md: no table header %q", parityHeader)
	}
}

const parityHeader = "| pyroute2 IPRoute call | nlsh call | test |"

// TestIPNetnsPathPid backs the parity rows that name a namespace by path or
// by process id, which TestIPNetns does not: links moved there with
// ip.link set netns=PATH and netns=PID, and ip.netns bound by both, then
// closed and used again. The process is `ip netns exec OTHER sleep`, once
// /proc/PID/ns/net shows it has entered OTHER (before that it is still in
// the test's own namespace, which must never receive a link).
func TestIPNetnsPathPid(t *testing.T) {
	ns, e := ipEnv(t)
	other := nstest.New(t)
	path := engine.NetNSPath(other)
	cmd := exec.Command("ip", "netns", "exec", other, "sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pid := cmd.Process.Pid
	var want syscall.Stat_t
	if err := syscall.Stat(path, &want); err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		var got syscall.Stat_t
		err := syscall.Stat("/proc/"+strconv.Itoa(pid)+"/ns/net", &got)
		if err == nil && got.Ino == want.Ino && got.Dev == want.Dev {
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("process %d never entered %s", pid, other)
		}
	}

	p := strconv.Itoa(pid)
	vals := run(t, e, `
ip.link('add', {ifname='p0', kind='veth', peer='p1'})
ip.link('add', {ifname='q0', kind='veth', peer='q1'})
ip.link('set', {ifname='p0', netns=`+p+`})
ip.link('set', {ifname='q0', netns='`+path+`'})
local function names(o)
  local n = {}
  for _, l in ipairs(o.links()) do n[#n + 1] = l:get('IFLA_IFNAME') end
  table.sort(n)
  return table.concat(n, ' ')
end
local by_pid, by_path = ip.netns(`+p+`), ip.netns('/proc/`+p+`/ns/net')
local a, b = names(by_pid), names(by_path)
by_pid.link('set', {ifname='p0', state='up'})
by_pid.close()
by_pid.link('set', {ifname='q0', mtu=1400})   -- a new socket after close
local ok, err = pcall(function() return ip.netns('nlsht-no-such-namespace').links() end)
return a, b, tostring(err)
`)
	if vals[0].String() != "lo p0 q0" || vals[1].String() != "lo p0 q0" {
		t.Errorf("links seen by pid and by path: %q, %q; want \"lo p0 q0\"", vals[0], vals[1])
	}
	if !strings.Contains(vals[2].String(), "no such file or directory") {
		t.Errorf("a missing namespace: %q", vals[2])
	}
	links := ipJSON(t, other, "link", "show")
	if l := find(links, "ifname", "p0"); l == nil || !strings.Contains(jsonText(l["flags"]), `"UP"`) {
		t.Errorf("p0 in the other namespace (moved by pid, set up there): %v", l)
	}
	if l := find(links, "ifname", "q0"); l == nil || jsonText(l["mtu"]) != "1400" {
		t.Errorf("q0 in the other namespace (moved by path, mtu set after close): %v", l)
	}
	for _, name := range []string{"p0", "q0"} {
		if find(ipJSON(t, ns, "link", "show"), "ifname", name) != nil {
			t.Errorf("%s is still in its first namespace", name)
		}
	}
}
