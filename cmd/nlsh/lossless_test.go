package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"nlsh/engine/nstest"
)

// nofileEnv, set to a number, makes the test binary lower its descriptor
// limit (soft and hard: Go raises a soft limit to the hard one at start)
// to it and become the command in its arguments: a child with few
// descriptors, leaving the tests' own limit alone.
const nofileEnv = "NLSH_TEST_NOFILE"

func execLimited(n string) {
	lim, err := strconv.ParseUint(n, 10, 64)
	if err == nil {
		err = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: lim, Max: lim})
	}
	if err == nil {
		env := []string{}
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, nofileEnv+"=") {
				env = append(env, kv)
			}
		}
		err = syscall.Exec(os.Args[1], os.Args[1:], env)
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", nofileEnv, err)
	os.Exit(3)
}

// TestDescriptorsRunOut: a script that opens thousands of sockets and
// event streams and closes none runs to the end with 64 descriptors: when
// they run out, nlsh closes those the script dropped and tries again.
func TestDescriptorsRunOut(t *testing.T) {
	ns := nstest.New(t)
	script := writeScript(t, "leak.lua", `
for i = 1, 5000 do local s = nl.socket('route') end
for i = 1, 300 do local events = nl.events({'link'}) end
for i = 1, 300 do for ev in nl.events({'link'}, {timeout = 0.001}) do end end
local s = nl.socket('route')
local get = rtnl.ifinfomsg{header = {type = RTM_GETLINK, flags = 'NLM_F_REQUEST|NLM_F_DUMP'}}
print('ok', #s:request(get))
`)
	cmd := exec.Command(os.Args[0], nlshBin, "--netns", ns, script)
	cmd.Env = append(os.Environ(), nofileEnv+"=64")
	r := runCmd(t, cmd, "")
	if r.code != 0 || r.stdout != "ok\t1\n" {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestMonitorStorm: nlsh --monitor receives at least every route
// notification `ip monitor route` receives from the same storm of 10,000
// routes, side by side; a loss is never silent.
func TestMonitorStorm(t *testing.T) {
	const n = 10000
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	nstest.IP(t, ns, "link", "set", "v0", "up")
	nstest.IP(t, ns, "addr", "add", "10.0.0.1/24", "dev", "v0")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := func(name string, args ...string) (*exec.Cmd, *syncBuffer) {
		cmd := exec.CommandContext(ctx, name, args...)
		var out syncBuffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd, &out
	}
	ipCmd, ipOut := start("ip", "-n", ns, "monitor", "route")
	nlCmd, nlOut := start(nlshBin, "--netns", ns, "--monitor", "route")
	// Both are listening once both have seen a marker route come and go.
	for i := 0; !strings.Contains(ipOut.String(), "10.255.0.1") || !strings.Contains(nlOut.String(), "10.255.0.1"); i++ {
		if i == 100 {
			t.Fatalf("monitors not listening:\nip:\n%s\nnlsh:\n%s", ipOut, nlOut)
		}
		nstest.IP(t, ns, "route", "add", "10.255.0.1/32", "via", "10.0.0.2")
		nstest.IP(t, ns, "route", "del", "10.255.0.1/32", "via", "10.0.0.2")
		time.Sleep(50 * time.Millisecond)
	}
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "route add 10.%d.%d.%d/32 via 10.0.0.2\n", 64+i>>16, i>>8&255, i&255)
	}
	batch := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(batch, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, ns, "-batch", batch)
	ipRoute := regexp.MustCompile(`(?m)^10\.64\.`)
	nlRoute := regexp.MustCompile(`RTM_NEWROUTE .* RTA_DST=10\.64\.`)
	count := func() (int, int) {
		return len(ipRoute.FindAllStringIndex(ipOut.String(), -1)), len(nlRoute.FindAllStringIndex(nlOut.String(), -1))
	}
	// Wait until both have all, or neither has had more for a second.
	last, quiet := [2]int{}, 0
	for quiet < 10 {
		time.Sleep(100 * time.Millisecond)
		ip, nl := count()
		if ip == n && nl == n {
			break
		}
		if [2]int{ip, nl} == last {
			quiet++
		} else {
			last, quiet = [2]int{ip, nl}, 0
		}
	}
	nlCmd.Process.Signal(os.Interrupt)
	ipCmd.Process.Signal(os.Interrupt)
	ip, nl := count()
	overrun := strings.Contains(nlOut.String(), "OVERRUN")
	t.Logf("of %d routes: ip monitor received %d, nlsh --monitor %d (overrun reported: %v)", n, ip, nl, overrun)
	if nl < n && !overrun {
		t.Errorf("nlsh lost %d notifications without reporting an overrun", n-nl)
	}
	if nl < ip {
		t.Errorf("nlsh received %d notifications, ip monitor %d", nl, ip)
	}
}
