package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// item is one claim of the report, and the tests that check it.
type item struct {
	key   string
	title string
	tried string // what the tests do, in a few sentences
	tests []testRef
}

// testRef names one test: its package, its name (a subtest as Test/sub,
// spaces written as go test writes them, _), and its file, for the link.
type testRef struct {
	pkg, name, file string
}

// items are the claims, in the report's order. Several tests were written
// with the features they check; the report runs them as they are.
var items = []item{
	{
		key:   "sweep",
		title: "Malformed arguments to every public function",
		tried: "Every function help() knows (the modules nl, rtnl, genl, ip and bit, every message, socket and family method, help and show), the functions they hand out (event iterators and their close functions, dump iterators, the add function of sock:batch, e:explain) and the metamethods written in Go are called with malformed argument lists: nil, booleans, numbers from -2^63 to 2^64 with NaN, infinities and -0, empty, binary, 64 KiB and 1 MiB strings, tables holding themselves, 400 deep, of 10,000 keys or 100,000 items, with metatables that raise, functions that raise, yield or loop for ever, coroutines fresh, suspended and dead, userdata of the wrong kind (files, channels, bare), sockets open and closed, messages and error values where they do not belong, too few and 40 arguments. The leading arguments a function takes (commands, kinds, operations) and the keys of its table arguments are found from its own errors and help text, then every key is given every value. Each call runs in a fresh Env (one per function) bound to a namespace the test creates, under a deadline, with every Go function wrapped to catch a panic gopher-lua would otherwise turn into an ordinary-looking error. A call must return or raise a Lua error: a panic, a hang (the deadline plus 10 s), a garbled message, an Env that no longer works after the calls, or a change to the host's links and addresses fails the test. A guard withholds every call whose arguments could name another namespace (a process id, a name under /run/netns, a path); os.execute and io.popen are never called.",
		tests: []testRef{{"./luabind", "TestSweep", "luabind/sweep_test.go"}},
	},
	{
		key:   "fixes",
		title: "Regression tests for what the sweep found",
		tried: "One test per fix (see Fixed, below): each failed, crashed or hung before its fix. TestUnprivileged and TestCurrentNetNS, under EPERM, are the fifth fix's.",
		tests: []testRef{
			{"./luabind", "TestEncodeTableHoldingItself", "luabind/reliab_fix_test.go"},
			{"./luabind", "TestStdlibGuards", "luabind/reliab_fix_test.go"},
			{"./luabind", "TestErrorObjectWithoutText", "luabind/reliab_fix_test.go"},
			{"./luabind", "TestChannelWaitStops", "luabind/channel_wait_test.go"},
			{"./luabind", "TestCoroutineStops", "luabind/protect_test.go"},
		},
	},
	{
		key:   "captures",
		title: "Corrupt captures: nlsh decode",
		tried: "nlsh decode on a pcap, a pcapng (rewritten by editcap), a hex dump and raw netlink bytes, each corrupted thousands of ways: cut at a random point, bytes flipped, a 32-bit word set to 0, 1, 15, 17, 2^16, 2^31-1 or 2^32-1, garbage after the magic number, blocks dropped or repeated. Each must decode, mark the packets that do not (a `!!` line, exit 1), or stop with one line on stderr saying where (exit 1), within 5 s, without a panic. The tests written with the capture reader check cuts at every record boundary, endless input, and flat memory over 256 MiB; the fuzz targets FuzzCaptureReader and FuzzReadCapture (above) feed it arbitrary bytes.",
		tests: []testRef{
			{"./cmd/nlsh", "TestDecodeCorrupt", "cmd/nlsh/reliability_test.go"},
			{"./cmd/nlsh", "TestDecodeTruncated", "cmd/nlsh/decode_test.go"},
			{"./cmd/nlsh", "TestDecodeEndlessInput", "cmd/nlsh/decode_test.go"},
			{"./cmd/nlsh", "TestDecodeBigCapture", "cmd/nlsh/decode_test.go"},
			{"./engine", "TestCaptureErrors", "engine/capture_test.go"},
			{"./engine", "TestCaptureEndless", "engine/capture_test.go"},
			{"./engine", "TestCaptureMemory", "engine/capture_test.go"},
		},
	},
	{
		key:   "eperm",
		title: "Changes without privilege: EPERM",
		tried: "nlsh run as nobody (setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all) inside a test namespace, with --netns naming it: links, addresses, routes, generic netlink families and an ethtool query read as root's do; twelve changes (link add/set/del, address, route, neighbour, rule, qdisc, a raw RTM_NEWLINK, an ethtool set, a tun device, a namespace) each end with exit status 1 and one line naming the request and the errno, and the namespace is unchanged.",
		tests: []testRef{
			{"./cmd/nlsh", "TestUnprivileged", "cmd/nlsh/reliability_test.go"},
			{"./engine", "TestCurrentNetNS", "engine/netns_current_test.go"},
		},
	},
	{
		key:   "netns",
		title: "A namespace that does not exist",
		tried: "nlsh --netns with a name and with a path that name no namespace: exit status 1 and one line naming the file tried, before anything runs; the engine's Dial says the same. Scripts cannot leave --netns by giving a value that names none.",
		tests: []testRef{
			{"./cmd/nlsh", "TestCLI/missing_namespace", "cmd/nlsh/main_test.go"},
			{"./cmd/nlsh", "TestCLI/missing_namespace_path", "cmd/nlsh/main_test.go"},
			{"./engine", "TestDialMissingNetNS", "engine/conn_test.go"},
			{"./cmd/nlsh", "TestNetNSConfined", "cmd/nlsh/netns_test.go"},
		},
	},
	{
		key:   "overrun",
		title: "ENOBUFS: notification storms",
		tried: "nlsh --monitor route with the smallest receive buffer (--rcvbuf 1) under a storm of route notifications; nl.events with a 4 KiB backlog under 30 new veth pairs; a raw socket with a 4 KiB buffer; nlsh --monitor beside ip monitor through 10,000 routes; a dump after an overrun. Losses must be reported (OVERRUN), the stream must go on, and nlsh must get at least what ip monitor gets.",
		tests: []testRef{
			{"./cmd/nlsh", "TestMonitorTinyBuffer", "cmd/nlsh/reliability_test.go"},
			{"./luabind", "TestMonitorOverrun", "luabind/trace_test.go"},
			{"./engine", "TestENOBUFS", "engine/conn_test.go"},
			{"./cmd/nlsh", "TestMonitorStorm", "cmd/nlsh/lossless_test.go"},
			{"./engine", "TestDumpAfterOverrun", "engine/echo_test.go"},
		},
	},
	{
		key:   "dumpintr",
		title: "NLM_F_DUMP_INTR: dumps under concurrent change",
		tried: "Dumps of 3,000 addresses while addresses are added and removed, and of 200 bridges while links change: a raw s:request raises code NLM_F_DUMP_INTR with the replies it got; the ip getters fetch again (five tries, growing pauses) and, if a dump never comes whole, return the last with a warning on stderr, as iproute2 does (the documented policy).",
		tests: []testRef{
			{"./luabind", "TestGettersUnderChurn", "luabind/lossless_test.go"},
			{"./luabind", "TestDumpInterrupted", "luabind/bigdump_test.go"},
		},
	},
	{
		key:   "sockets",
		title: "Forgotten sockets under a low descriptor limit",
		tried: "A script opens 5,000 sockets and 600 event streams and closes none, under RLIMIT_NOFILE 64: when descriptors run out nlsh closes those the script dropped and tries again, and the script ends with a working dump. Monitors, event streams, bound namespaces and dropped sockets leave no descriptor open after a collection.",
		tests: []testRef{
			{"./cmd/nlsh", "TestDescriptorsRunOut", "cmd/nlsh/lossless_test.go"},
			{"./luabind", "TestNoSocketLeaks", "luabind/leak_test.go"},
		},
	},
	{
		key:   "monitor",
		title: "A monitor through 100,000 notifications",
		tried: "nlsh --netns X --monitor route and ip -n X monitor route side by side while 100,000 routes are added with ip -batch: the peak resident memory of each after the first 10,000 and after all, read from /proc (VmHWM), and the notifications each printed.",
		tests: []testRef{{"./cmd/nlsh", "TestMonitorMemory", "cmd/nlsh/reliability_test.go"}},
	},
}

// testResult is what one test did.
type testResult struct {
	ref     testRef
	status  string // pass, fail, skip, or missing (it did not run)
	took    time.Duration
	figures []figure
	notes   []string // its other log lines
	output  string   // the test's whole output, for failures
}

// figure is one "figure KEY: VALUE" line a test logged.
type figure struct{ key, value string }

// itemResult is an item's tests' results.
type itemResult struct {
	item
	results []testResult
}

// held reports whether every test of the item passed.
func (r itemResult) held() bool {
	for _, t := range r.results {
		if t.status != "pass" {
			return false
		}
	}
	return len(r.results) > 0
}

// runItem runs an item's tests, each a go test of its own (a subtest
// pattern applies to every test of a run).
func runItem(it item, full bool, log io.Writer) itemResult {
	res := itemResult{item: it}
	for _, ref := range it.tests {
		res.results = append(res.results, runTest(ref, full, log))
	}
	return res
}

// runTest runs one test with go test -json.
func runTest(ref testRef, full bool, log io.Writer) testResult {
	top, sub, _ := strings.Cut(ref.name, "/")
	pattern := "^" + top + "$"
	if sub != "" {
		pattern += "/^" + regexp.QuoteMeta(sub) + "$"
	}
	cmd := exec.Command("go", "test", "-json", "-count=1", "-timeout", "3h", "-run", pattern, ref.pkg)
	cmd.Env = append(os.Environ(), "NLSH_REQUIRE_NETNS=1")
	if full {
		cmd.Env = append(cmd.Env, "NLSH_RELIABILITY=full")
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, _ := cmd.Output()
	r := parseTestJSON(out, ref)
	if r.status == "missing" {
		r.output = strings.TrimSpace(string(out) + stderr.String())
	}
	fmt.Fprintf(log, "nlreliability:   %s %s: %s (%v)\n", ref.pkg, ref.name, r.status, r.took.Round(time.Millisecond))
	return r
}

// testEvent is a line of go test -json (test2json).
type testEvent struct {
	Action  string
	Test    string
	Output  string
	Elapsed float64
}

// logLine matches a t.Log line: file, line, text.
var logLine = regexp.MustCompile(`^\s+\S+\.go:\d+: (.*)$`)

// parseTestJSON reads the events of one test (and its subtests) from go
// test -json's output.
func parseTestJSON(out []byte, ref testRef) testResult {
	r := testResult{ref: ref, status: "missing"}
	var all strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var ev testEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil || ev.Test == "" {
			continue
		}
		if ev.Test != ref.name && !strings.HasPrefix(ev.Test, ref.name+"/") {
			continue
		}
		switch ev.Action {
		case "output":
			all.WriteString(ev.Output)
			m := logLine.FindStringSubmatch(strings.TrimRight(ev.Output, "\n"))
			if m == nil {
				continue
			}
			if k, v, ok := strings.Cut(strings.TrimPrefix(m[1], "figure "), ": "); ok && strings.HasPrefix(m[1], "figure ") {
				r.figures = append(r.figures, figure{k, v})
			} else {
				r.notes = append(r.notes, m[1])
			}
		case "pass", "fail", "skip":
			if ev.Test == ref.name {
				r.status, r.took = ev.Action, time.Duration(ev.Elapsed*float64(time.Second))
			}
		}
	}
	r.output = all.String()
	return r
}

// get returns the value of the first figure named key.
func (r testResult) get(key string) string {
	for _, f := range r.figures {
		if f.key == key {
			return f.value
		}
	}
	return ""
}
