package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine/nstest"
)

// TestJSONFlag: --json prints each value a chunk returns (-e, a script,
// stdin) as one JSON document per line; errors go to stderr.
func TestJSONFlag(t *testing.T) {
	script := writeScript(t, "values.lua", "print('text first')\nreturn {b = 1, a = {true, 'x'}}, nil, ...\n")
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		stdout   string
		errFirst string // stderr's first line; "" means empty stderr
	}{
		{name: "one value per line", args: []string{"--json", "-e", "return 1, 'a', {2, 3}, nil"}, stdout: "1\n\"a\"\n[2,3]\nnull\n"},
		{name: "nothing returned, nothing printed", args: []string{"--json", "-e", "local x = 1"}},
		{name: "a message", args: []string{"--json", "-e", "return rtnl.ifaddrmsg{family = AF_INET, header = {type = RTM_NEWADDR}}"},
			stdout: `{"header":{"length":0,"type":20,"flags":0,"sequence_number":0,"pid":0},"event":"RTM_NEWADDR","family":2,"prefixlen":0,"flags":0,"scope":0,"index":0,"attrs":[]}` + "\n"},
		{name: "a script's results, after what it prints", args: []string{"--json", script, "arg1"},
			stdout: "text first\n{\"a\":[true,\"x\"],\"b\":1}\nnull\n\"arg1\"\n"},
		{name: "a script on stdin", args: []string{"--json"}, stdin: "return {k = 'v'}\n", stdout: "{\"k\":\"v\"}\n"},
		{name: "a value JSON cannot hold", args: []string{"--json", "-e", "return 1, {f = print}"}, code: 1,
			stdout: "1\n", errFirst: "nlsh: --json: result 2: value.f: a function has no JSON form"},
		{name: "a Lua error stays on stderr", args: []string{"--json", "-e", "error('boom')"}, code: 1, errFirst: "-e:1: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := nlsh(t, tt.stdin, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit status %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			if diff := cmp.Diff(tt.stdout, r.stdout); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errFirst, r.firstLine()); diff != "" {
				t.Errorf("stderr's first line (-want +got):\n%s", diff)
			}
			for _, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
				if line != "" && !json.Valid([]byte(line)) && !strings.HasPrefix(line, "text") {
					t.Errorf("not a JSON document: %s", line)
				}
			}
		})
	}
	if r := nlsh(t, "", "--help"); !strings.Contains(r.stdout, "--json") {
		t.Error("--help does not mention --json")
	}
}

// TestJSONFlagNetNS runs --json against a namespace's links, through -e, a
// script and stdin, and reads them as jq users would.
func TestJSONFlagNetNS(t *testing.T) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	script := writeScript(t, "links.lua", "return ip.links()\n")
	want := []string{"lo", "v0", "v1"}
	for _, args := range [][]string{
		{"--netns", ns, "--json", "-e", "return ip.links()"},
		{"--netns", ns, "--json", script},
		{"--netns", ns, "--json"},
	} {
		r := nlsh(t, "return ip.links()", args...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%q: exit status %d\n%s", args, r.code, r.stderr)
		}
		var links []struct {
			Event string
			Index int
			Attrs [][]json.RawMessage
		}
		if err := json.Unmarshal([]byte(r.stdout), &links); err != nil {
			t.Fatalf("%q: %v\n%s", args, err, r.stdout)
		}
		var names []string
		for _, l := range links {
			if l.Event != "RTM_NEWLINK" || l.Index == 0 {
				t.Errorf("%q: link %+v", args, l)
			}
			for _, a := range l.Attrs {
				var name, value string
				if json.Unmarshal(a[0], &name) == nil && name == "IFLA_IFNAME" && json.Unmarshal(a[1], &value) == nil {
					names = append(names, value)
				}
			}
		}
		slices.Sort(names)
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("%q: link names (-want +got):\n%s", args, diff)
		}
	}
}

// jqExample is the pipeline docs/lua-api.md shows, NS standing for the
// namespace.
const jqExample = `nlsh --netns NS --json -e 'return ip.links()' | jq -r '.[].attrs[] | select(.[0]=="IFLA_IFNAME") | .[1]'`

// TestJQExample runs the documentation's jq pipeline, when jq is
// installed, and checks the documentation still shows it.
func TestJQExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/lua-api.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), strings.ReplaceAll(jqExample, "NS", "demo")) {
		t.Errorf("docs/lua-api.md no longer shows the pipeline %s", jqExample)
	}
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("jq is not installed")
	}
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	line := strings.Replace(strings.Replace(jqExample, "NS", ns, 1), "nlsh", nlshBin, 1)
	r := runCmd(t, exec.Command("bash", "-o", "pipefail", "-c", line), "")
	if r.code != 0 {
		t.Fatalf("%s: exit status %d\n%s", line, r.code, r.stderr)
	}
	if diff := cmp.Diff("lo\nv1\nv0\n", r.stdout); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestMonitorJSON: --monitor with --json prints each notification as a
// JSON document on a line of its own.
func TestMonitorJSON(t *testing.T) {
	ns := nstest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nlshBin, "--netns", ns, "--json", "--monitor", "link")
	var out, errOut syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The monitor may not have subscribed yet: change links until it
	// shows one.
	for i := 0; i < 50 && !strings.Contains(out.String(), `"IFLA_IFNAME","j`); i++ {
		time.Sleep(200 * time.Millisecond)
		nstest.IP(t, ns, "link", "add", "j"+strconv.Itoa(i), "type", "veth", "peer", "name", "k"+strconv.Itoa(i))
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Errorf("monitor exit: %v\n%s", err, errOut.String())
	}
	lines := bytes.Split(bytes.TrimSpace([]byte(out.String())), []byte("\n"))
	if len(lines) == 0 || !strings.Contains(out.String(), `"IFLA_IFNAME","j`) {
		t.Fatalf("monitor output:\n%s", out.String())
	}
	for _, l := range lines {
		var ev struct{ Event string }
		if err := json.Unmarshal(l, &ev); err != nil || ev.Event == "" {
			t.Errorf("not a notification as JSON (%v): %s", err, l)
		}
	}
}
