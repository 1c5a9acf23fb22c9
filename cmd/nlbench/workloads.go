package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"nlsh/engine"
)

const gateway = "10.255.0.2"

// dst is the i-th route of a workload (i < 2^20): /32s whose second octet
// cycles fastest, so that the dump's filter (inside 10.1.0.0/16) selects
// the same sixteenth of the routes at every size.
func dst(i int) string {
	return fmt.Sprintf("10.%d.%d.%d", i&15, i>>12&255, i>>4&255)
}

// gatewayOf alternates two gateways, so the filter's second test matters
// (on every other route of 10.1.0.0/16).
func gatewayOf(i int) string {
	if i>>4&1 == 0 {
		return gateway
	}
	return "10.255.0.3"
}

// wantCount is how many of the first n routes the filter selects.
func wantCount(n int) int {
	c := 0
	for i := 0; i < n; i++ {
		if i&15 == 1 && gatewayOf(i) == gateway {
			c++
		}
	}
	return c
}

// newNS creates a namespace with a veth pair whose v0 reaches the gateways.
func newNS(name string) error {
	if err := engine.AddNetNS(name); err != nil {
		return err
	}
	for _, c := range [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "set", "v0", "up"}, {"link", "set", "v1", "up"},
		{"addr", "add", "10.255.0.1/16", "dev", "v0"},
	} {
		if out, err := exec.Command("ip", append([]string{"-n", name}, c...)...).CombinedOutput(); err != nil {
			engine.DelNetNS(name)
			return fmt.Errorf("ip %s: %v\n%s", strings.Join(c, " "), err, out)
		}
	}
	return nil
}

// delNS deletes a namespace after flushing its main table: the kernel
// frees a dead namespace's routes later, under the rtnl lock, which would
// stall whatever runs next.
func delNS(name string) {
	exec.Command("ip", "-n", name, "route", "flush", "table", "main").Run()
	engine.DelNetNS(name)
}

// addRoutes adds routes from..to-1 of the plan with ip -batch.
func addRoutes(dir, ns string, from, to int, gw func(int) string) error {
	var b strings.Builder
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "route add %s/32 via %s\n", dst(i), gw(i))
	}
	f, err := writeFile(dir, "routes.batch", b.String())
	if err != nil {
		return err
	}
	if out, err := exec.Command("ip", "-n", ns, "-batch", f).CombinedOutput(); err != nil {
		return fmt.Errorf("ip -batch: %v\n%s", err, out)
	}
	return nil
}

func writeFile(dir, name, text string) (string, error) {
	p := filepath.Join(dir, name)
	return p, os.WriteFile(p, []byte(text), 0o644)
}

// nlshDump is the nlsh side of the dump workload, in the form arg[1]
// names: the streaming form (s:each), the list form (s:request), the
// ip module's list (ip.routes), or its stream (ip.each.routes). Each counts the routes in 10.1.0.0/16 via
// arg[2], reading RTA_DST and RTA_GATEWAY with m:get.
const nlshDump = `local form, gw, n = arg[1], arg[2], 0
local function test(r)
  local d = r:get('RTA_DST')
  if d and d:sub(1, 5) == '10.1.' and r:get('RTA_GATEWAY') == gw then n = n + 1 end
end
if form == 'ip.routes' then
  for _, r in ipairs(ip.routes{table = 254}) do test(r) end
elseif form == 'ip.each' then
  for r in ip.each.routes{table = 254} do test(r) end
else
  local s = nl.socket('route')
  local m = rtnl.rtmsg{family = AF_INET}
  m.header.type = RTM_GETROUTE
  m.header.flags = NLM_F_REQUEST + NLM_F_DUMP
  if form == 'stream' then
    for r in s:each(m) do test(r) end
  else
    for _, r in ipairs(s:request(m)) do test(r) end
  end
end
print(n)
`

const pyDump = `import sys
from pyroute2 import IPRoute
gw, n = sys.argv[1], 0
with IPRoute() as ipr:
    for r in ipr.get_routes(table=254):
        d = r.get_attr('RTA_DST')
        if d and d.startswith('10.1.') and r.get_attr('RTA_GATEWAY') == gw:
            n += 1
print(n)
`

// countJSON is the counter `ip -j route show` is piped to. ip prints one
// JSON array of route objects; the counter walks it byte by byte, cutting
// out each top-level object and reading its dst and gateway, which for a
// million routes costs a fraction of what decoding the JSON would (it runs
// beside ip, on the same machine).
func countJSON(r io.Reader) (string, error) {
	buf := make([]byte, 1<<16)
	var obj []byte
	depth, inStr, esc, n := 0, false, false, 0
	for {
		k, err := r.Read(buf)
		for _, c := range buf[:k] {
			if depth >= 2 {
				obj = append(obj, c)
			}
			switch {
			case inStr:
				if esc {
					esc = false
				} else if c == '\\' {
					esc = true
				} else if c == '"' {
					inStr = false
				}
			case c == '"':
				inStr = true
			case c == '[' || c == '{':
				depth++
				if depth == 2 {
					obj = append(obj[:0], c)
				}
			case c == ']' || c == '}':
				depth--
				if depth == 1 && c == '}' {
					if strings.HasPrefix(jsonField(obj, "dst"), "10.1.") && jsonField(obj, "gateway") == gateway {
						n++
					}
				}
			}
		}
		if err == io.EOF {
			return strconv.Itoa(n), nil
		}
		if err != nil {
			return "", err
		}
	}
}

// jsonField is the string value of key in one JSON object's text, or "".
func jsonField(obj []byte, key string) string {
	k := []byte(`"` + key + `":"`)
	i := bytes.Index(obj, k)
	if i < 0 {
		return ""
	}
	v := obj[i+len(k):]
	if j := bytes.IndexByte(v, '"'); j >= 0 {
		return string(v[:j])
	}
	return ""
}

// discard reads ip's output and counts nothing: ip's own cost.
func discard(r io.Reader) (string, error) {
	n, err := io.Copy(io.Discard, bufio.NewReaderSize(r, 1<<16))
	return strconv.FormatInt(n, 10) + " bytes", err
}

// Row names, which the targets find results by.
const (
	rowFloor    = "raw netlink dump, counting (floor)"
	rowStream   = "nlsh s:each (stream)"
	rowList     = "nlsh s:request (list)"
	rowIPRoutes = "nlsh ip.routes (list)"
	rowIPEach   = "nlsh ip.each.routes (stream)"
	rowIPJ      = "ip -j route show \\| counter"
	rowIPJOnly  = "ip -j route show, output discarded"
	rowPy       = "pyroute2 get_routes"
)

func benchDump(c *config, rep *report, log io.Writer) error {
	ns := fmt.Sprintf("nlbench-dump-%d", os.Getpid())
	if err := newNS(ns); err != nil {
		return err
	}
	defer delNS(ns)
	dir, err := os.MkdirTemp("", "nlbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	lua, _ := writeFile(dir, "dump.lua", nlshDump)
	py, _ := writeFile(dir, "dump.py", pyDump)
	have := 0
	for _, size := range c.sizes {
		if size < have {
			return fmt.Errorf("dump sizes must grow: %d after %d", size, have)
		}
		fmt.Fprintf(log, "nlbench: dump: adding routes %d to %d\n", have, size)
		if err := addRoutes(dir, ns, have, size, gatewayOf); err != nil {
			return err
		}
		have = size
		proc := func(argv []string, sink func(io.Reader) (string, error)) func() (sample, error) {
			return func() (sample, error) { return timeProc(argv, sink) }
		}
		nlsh := func(form string) []string { return []string{c.nlsh, "--netns", ns, lua, form, gateway} }
		ipj := []string{"ip", "-n", ns, "-j", "route", "show"}
		cmds := []command{
			{rowFloor, c.runs, proc([]string{c.selfPath, "raw-dump", ns}, nil)},
			{rowStream, c.runs, proc(nlsh("stream"), nil)},
			{rowList, c.runs, proc(nlsh("list"), nil)},
			{rowIPEach, c.runs, proc(nlsh("ip.each"), nil)},
		}
		if size <= 100000 {
			cmds = append(cmds, command{rowIPRoutes, c.runs, proc(nlsh("ip.routes"), nil)})
		}
		cmds = append(cmds,
			command{rowIPJ, c.runs, proc(ipj, countJSON)},
			command{rowIPJOnly, c.runs, proc(ipj, discard)})
		if size <= c.pyMax {
			// Seconds per run: three are enough.
			cmds = append(cmds, command{rowPy, min(c.runs, 3), proc([]string{"ip", "netns", "exec", ns, python, py, gateway}, nil)})
		}
		rs, err := interleave(fmt.Sprintf("dump %d", size), cmds, log)
		if err != nil {
			return err
		}
		want := strconv.Itoa(wantCount(size))
		for _, r := range rs {
			if r.name != rowFloor && r.name != rowIPJOnly && r.out != want {
				return fmt.Errorf("%s counted %s of %d routes, want %s", r.name, r.out, size, want)
			}
			if r.name == rowFloor {
				if n, _ := strconv.Atoi(r.out); n <= size {
					return fmt.Errorf("the floor dumped %d routes, want more than %d", n, size)
				}
			}
		}
		rep.addDump(size, rs, fmt.Sprintf("%s IPv4 routes in the main table; each tool counts those in 10.1.0.0/16 via %s (%s of them). The floor streams the dump and counts messages, decoding nothing.", thousands(size), gateway, thousands(wantCount(size))))
	}
	return nil
}

// thousands writes n with commas: 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// nlshAdd adds the routes in a plain loop, or inside ip.batch, or with
// noop calls a function that does nothing in ip.route's place: the cost
// of the script's own Lua.
const nlshAdd = `local n, batch = tonumber(arg[1]), arg[2] == 'batch'
local route = ip.route
if arg[2] == 'noop' then route = function() end end
local function add()
  for i = 0, n - 1 do
    route('add', {dst = ('10.%d.%d.%d/32'):format(i % 16, math.floor(i / 4096) % 256, math.floor(i / 16) % 256), gateway = '10.255.0.2'})
  end
end
if batch then ip.batch(add) else add() end
`

const pyAdd = `import sys
from pyroute2 import IPRoute
n = int(sys.argv[1])
with IPRoute() as ipr:
    for i in range(n):
        ipr.route('add', dst='10.%d.%d.%d' % (i & 15, (i >> 12) & 255, (i >> 4) & 255), dst_len=32, gateway='10.255.0.2')
`

// Rows of the add workload.
const (
	rowAddFloor = "raw batched sendmsg (floor)"
	rowAddSync  = "raw sendto and recvfrom, one at a time (floor of a loop)"
	rowAddLoop  = "nlsh ip.route loop"
	rowAddLua   = "nlsh loop, a no-op in ip.route's place (the script's Lua)"
	rowAddBatch = "nlsh ip.batch"
	rowAddIP    = "ip -batch"
	rowAddPy    = "pyroute2 loop"
)

func benchAdd(c *config, rep *report, log io.Writer) error {
	dir, err := os.MkdirTemp("", "nlbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var batch strings.Builder
	for i := 0; i < c.adds; i++ {
		fmt.Fprintf(&batch, "route add %s/32 via %s\n", dst(i), gateway)
	}
	bf, _ := writeFile(dir, "add.batch", batch.String())
	lua, _ := writeFile(dir, "add.lua", nlshAdd)
	py, _ := writeFile(dir, "add.py", pyAdd)
	n := strconv.Itoa(c.adds)
	run := 0
	// Each run adds to a fresh namespace and is checked to have added
	// every route.
	inFreshNS := func(name string, argv func(ns string) []string) func() (sample, error) {
		return func() (sample, error) {
			run++
			ns := fmt.Sprintf("nlbench-add-%d-%d", os.Getpid(), run)
			if err := newNS(ns); err != nil {
				return sample{}, err
			}
			defer delNS(ns)
			s, err := timeProc(argv(ns), nil)
			if err != nil {
				return s, err
			}
			out, err := exec.Command("ip", "-n", ns, "-4", "route", "show").Output()
			if got := strings.Count(string(out), "\n"); err == nil && got != c.adds+1 {
				err = fmt.Errorf("%s left %d routes, want %d", name, got, c.adds+1)
			}
			return s, err
		}
	}
	cmds := []command{
		{rowAddFloor, c.runs, inFreshNS(rowAddFloor, func(ns string) []string { return []string{c.selfPath, "raw-add", ns, n} })},
		{rowAddSync, c.runs, inFreshNS(rowAddSync, func(ns string) []string { return []string{c.selfPath, "raw-add-sync", ns, n} })},
		{rowAddLoop, c.runs, inFreshNS(rowAddLoop, func(ns string) []string { return []string{c.nlsh, "--netns", ns, lua, n} })},
		{rowAddLua, c.runs, func() (sample, error) { return timeProc([]string{c.nlsh, lua, n, "noop"}, nil) }},
		{rowAddBatch, c.runs, inFreshNS(rowAddBatch, func(ns string) []string { return []string{c.nlsh, "--netns", ns, lua, n, "batch"} })},
		{rowAddIP, c.runs, inFreshNS(rowAddIP, func(ns string) []string { return []string{"ip", "-n", ns, "-batch", bf} })},
		{rowAddPy, min(c.runs, 3), inFreshNS(rowAddPy, func(ns string) []string {
			return []string{"ip", "netns", "exec", ns, python, py, n}
		})},
	}
	rs, err := interleave("add", cmds, log)
	if err != nil {
		return err
	}
	rep.add("add", rs, fmt.Sprintf("%s IPv4 /32 routes via %s, each run in a fresh namespace; every run is checked to have added them all.", thousands(c.adds), gateway))
	return nil
}

// Rows of the startup workload.
const (
	rowStartNlsh = "nlsh -e 'return 1'"
	rowStartIP   = "ip link show lo"
	rowStartPy   = "python3 -c 'import pyroute2'"
)

func benchStartup(c *config, rep *report, log io.Writer) error {
	runs := max(c.runs*4, 10)
	proc := func(argv ...string) func() (sample, error) {
		return func() (sample, error) { return timeProc(argv, nil) }
	}
	rs, err := interleave("startup", []command{
		{rowStartNlsh, runs, proc(c.nlsh, "-e", "return 1")},
		{rowStartIP, runs, proc("ip", "link", "show", "lo")},
		{rowStartPy, runs, proc(python, "-c", "import pyroute2")},
	}, log)
	if err != nil {
		return err
	}
	rep.add("startup", rs, "")
	return nil
}
