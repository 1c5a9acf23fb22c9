package main

import (
	"bufio"
	"encoding/json"
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

// dst is the i-th route of a workload: /32s in 10.0.0.0/15, so that the
// dump's filter (inside 10.1.0.0/16) selects about a third of them.
func dst(i int) string {
	return fmt.Sprintf("10.%d.%d.%d", i>>16&1, i>>8&255, i&255)
}

// gatewayOf alternates two gateways, so the filter's second test matters.
func gatewayOf(i int) string {
	if i%2 == 0 {
		return gateway
	}
	return "10.255.0.3"
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

func writeFile(dir, name, text string) (string, error) {
	p := filepath.Join(dir, name)
	return p, os.WriteFile(p, []byte(text), 0o644)
}

const nlshDump = `-- count the routes in 10.1.0.0/16 via arg[1]
local gw, n = arg[1], 0
for _, r in ipairs(ip.routes{table = 254}) do
  local d = r:get('RTA_DST')
  if d and d:sub(1, 5) == '10.1.' and r:get('RTA_GATEWAY') == gw then n = n + 1 end
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

// countJSON is the counter `ip -j route show` is piped to.
func countJSON(r io.Reader) (string, error) {
	var routes []struct {
		Dst     string `json:"dst"`
		Gateway string `json:"gateway"`
	}
	if err := json.NewDecoder(bufio.NewReaderSize(r, 1<<20)).Decode(&routes); err != nil {
		return "", err
	}
	n := 0
	for _, rt := range routes {
		if strings.HasPrefix(rt.Dst, "10.1.") && rt.Gateway == gateway {
			n++
		}
	}
	return strconv.Itoa(n), nil
}

// discard reads ip's output and counts nothing: ip's own cost.
func discard(r io.Reader) (string, error) {
	n, err := io.Copy(io.Discard, r)
	return strconv.FormatInt(n, 10) + " bytes", err
}

func benchDump(c *config, rep *report, log io.Writer) error {
	ns := fmt.Sprintf("nlbench-dump-%d", os.Getpid())
	if err := newNS(ns); err != nil {
		return err
	}
	defer engine.DelNetNS(ns)
	dir, err := os.MkdirTemp("", "nlbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var batch strings.Builder
	for i := 0; i < c.routes; i++ {
		fmt.Fprintf(&batch, "route add %s/32 via %s\n", dst(i), gatewayOf(i))
	}
	bf, _ := writeFile(dir, "routes.batch", batch.String())
	fmt.Fprintf(log, "nlbench: dump: adding %d routes\n", c.routes)
	if out, err := exec.Command("ip", "-n", ns, "-batch", bf).CombinedOutput(); err != nil {
		return fmt.Errorf("ip -batch: %v\n%s", err, out)
	}
	lua, _ := writeFile(dir, "dump.lua", nlshDump)
	py, _ := writeFile(dir, "dump.py", pyDump)
	cmds := []struct {
		name string
		argv []string
		sink func(io.Reader) (string, error)
	}{
		{"raw netlink dump (floor)", []string{c.selfPath, "raw-dump", ns}, nil},
		{"nlsh", []string{c.nlsh, "--netns", ns, lua, gateway}, nil},
		{"ip -j route show \\| counter", []string{"ip", "-n", ns, "-j", "route", "show"}, countJSON},
		{"ip -j route show, output discarded (no count)", []string{"ip", "-n", ns, "-j", "route", "show"}, discard},
		{"pyroute2", []string{"ip", "netns", "exec", ns, "/usr/bin/python3", py, gateway}, nil},
	}
	var want string
	for _, cm := range cmds {
		runs := c.runs
		if strings.HasPrefix(cm.name, "pyroute2") {
			runs = min(runs, 3) // seconds per run
		}
		var ss []sample
		for r := 0; r < runs; r++ {
			s, err := timeProc(cm.argv, cm.sink)
			if err != nil {
				return err
			}
			ss = append(ss, s)
		}
		res := summarize(cm.name, strings.Join(cm.argv, " "), ss)
		fmt.Fprintf(log, "nlbench: dump: %-28s %v (out %s)\n", cm.name, res.median, res.out)
		if !strings.HasPrefix(cm.name, "raw") && !strings.Contains(cm.name, "discarded") {
			if want == "" {
				want = res.out
			} else if res.out != want {
				return fmt.Errorf("%s counted %s, others %s", cm.name, res.out, want)
			}
		}
		rep.add("dump", res)
	}
	rep.note("dump", fmt.Sprintf("%d IPv4 routes in the main table; each tool counts those in 10.1.0.0/16 via %s (%s of them). The floor dumps without decoding.", c.routes, gateway, want))
	return nil
}

const nlshAdd = `local n, batch = tonumber(arg[1]), arg[2] == 'batch'
local function add()
  for i = 0, n - 1 do
    ip.route('add', {dst = ('10.%d.%d.%d/32'):format(math.floor(i / 65536) % 2, math.floor(i / 256) % 256, i % 256), gateway = '10.255.0.2'})
  end
end
if batch then ip.batch(add) else add() end
`

const pyAdd = `import sys
from pyroute2 import IPRoute
n = int(sys.argv[1])
with IPRoute() as ipr:
    for i in range(n):
        ipr.route('add', dst='10.%d.%d.%d' % ((i >> 16) & 1, (i >> 8) & 255, i & 255), dst_len=32, gateway='10.255.0.2')
`

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
	cmds := []struct {
		name string
		argv func(ns string) []string
	}{
		{"raw batched sendmsg (floor)", func(ns string) []string { return []string{c.selfPath, "raw-add", ns, n} }},
		{"nlsh ip.route loop", func(ns string) []string { return []string{c.nlsh, "--netns", ns, lua, n} }},
		{"nlsh ip.batch", func(ns string) []string { return []string{c.nlsh, "--netns", ns, lua, n, "batch"} }},
		{"ip -batch", func(ns string) []string { return []string{"ip", "-n", ns, "-batch", bf} }},
		{"pyroute2 loop", func(ns string) []string {
			return []string{"ip", "netns", "exec", ns, "/usr/bin/python3", py, n}
		}},
	}
	for _, cm := range cmds {
		var ss []sample
		runs := c.runs
		if strings.HasPrefix(cm.name, "pyroute2") {
			runs = min(runs, 3)
		}
		for r := 0; r < runs; r++ {
			ns := fmt.Sprintf("nlbench-add-%d-%d", os.Getpid(), r)
			if err := newNS(ns); err != nil {
				return err
			}
			s, err := timeProc(cm.argv(ns), nil)
			if err == nil {
				var out []byte
				out, err = exec.Command("ip", "-n", ns, "-4", "route", "show").Output()
				if got := strings.Count(string(out), "\n"); err == nil && got != c.adds+1 {
					err = fmt.Errorf("%s left %d routes, want %d", cm.name, got, c.adds+1)
				}
			}
			engine.DelNetNS(ns)
			if err != nil {
				return err
			}
			ss = append(ss, s)
		}
		res := summarize(cm.name, strings.Join(cm.argv("NS"), " "), ss)
		fmt.Fprintf(log, "nlbench: add: %-28s %v\n", cm.name, res.median)
		rep.add("add", res)
	}
	rep.note("add", fmt.Sprintf("%d IPv4 /32 routes via %s, each run in a fresh namespace; every run is checked to have added them all.", c.adds, gateway))
	return nil
}

func benchStartup(c *config, rep *report, log io.Writer) error {
	cmds := []struct {
		name string
		argv []string
	}{
		{"nlsh -e 'return 1'", []string{c.nlsh, "-e", "return 1"}},
		{"ip link show lo", []string{"ip", "link", "show", "lo"}},
		{"python3 -c 'import pyroute2'", []string{"/usr/bin/python3", "-c", "import pyroute2"}},
	}
	for _, cm := range cmds {
		var ss []sample
		for r := 0; r < max(c.runs*4, 10); r++ {
			s, err := timeProc(cm.argv, nil)
			if err != nil {
				return err
			}
			ss = append(ss, s)
		}
		res := summarize(cm.name, strings.Join(cm.argv, " "), ss)
		fmt.Fprintf(log, "nlbench: startup: %-28s %v\n", cm.name, res.median)
		rep.add("startup", res)
	}
	return nil
}
