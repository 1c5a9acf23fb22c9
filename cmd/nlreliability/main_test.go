package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestFindFuzzTargets: the grep finds every fuzz target of the repository,
// the YAML loader's and generic netlink's among them.
func TestFindFuzzTargets(t *testing.T) {
	got, err := findFuzzTargets("../..")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, ft := range got {
		names[ft.name] = ft.pkg
	}
	for name, pkg := range map[string]string{"FuzzParse": "./ynl", "FuzzGenlDecode": "./genl", "FuzzCaptureReader": "./engine", "FuzzLuaDecode": "./luabind"} {
		if names[name] != pkg {
			t.Errorf("%s: found in %q, want %q", name, names[name], pkg)
		}
	}
	if len(got) < 15 {
		t.Errorf("found %d fuzz targets: %v", len(got), got)
	}
}

func TestParseFuzz(t *testing.T) {
	out := `fuzz: elapsed: 0s, gathering baseline coverage: 0/12 completed
fuzz: elapsed: 0s, gathering baseline coverage: 12/12 completed, now fuzzing with 2 workers
fuzz: elapsed: 3s, execs: 51234 (17077/sec), new interesting: 3 (total: 15)
fuzz: elapsed: 5s, execs: 90210 (19488/sec), new interesting: 4 (total: 16)
--- FAIL: FuzzX (5.01s)
    --- FAIL: FuzzX (0.00s)
        x_test.go:10: boom

    Failing input written to testdata/fuzz/FuzzX/abc
    To re-run:
    go test -run=FuzzX/abc
FAIL
exit status 1
FAIL	nlsh/x	5.1s
`
	res := parseFuzz([]byte(out))
	if res.execs != 90210 || res.corpus != 16 {
		t.Errorf("execs %d corpus %d, want 90210 and 16", res.execs, res.corpus)
	}
	for _, want := range []string{"x_test.go:10: boom", "Failing input written to testdata/fuzz/FuzzX/abc"} {
		if !strings.Contains(res.failure, want) {
			t.Errorf("failure lacks %q:\n%s", want, res.failure)
		}
	}
}

func TestParseTestJSON(t *testing.T) {
	out := `{"Action":"run","Test":"TestCLI"}
{"Action":"run","Test":"TestCLI/missing_namespace"}
{"Action":"output","Test":"TestCLI/missing_namespace","Output":"    main_test.go:10: figure a.b: 1 of 2\n"}
{"Action":"output","Test":"TestCLI/missing_namespace","Output":"    main_test.go:11: something said\n"}
{"Action":"pass","Test":"TestCLI/missing_namespace","Elapsed":0.25}
{"Action":"output","Test":"TestCLI/other","Output":"    main_test.go:12: figure c: 3\n"}
{"Action":"pass","Test":"TestCLI","Elapsed":1}
`
	r := parseTestJSON([]byte(out), testRef{"./cmd/nlsh", "TestCLI/missing_namespace", "cmd/nlsh/main_test.go"})
	if r.status != "pass" || r.took != 250*time.Millisecond {
		t.Errorf("status %s took %v", r.status, r.took)
	}
	if diff := cmp.Diff([]figure{{"a.b", "1 of 2"}}, r.figures, cmp.AllowUnexported(figure{})); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"something said"}, r.notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	if r := parseTestJSON(nil, testRef{name: "TestGone"}); r.status != "missing" {
		t.Errorf("a test that did not run: %s", r.status)
	}
}

// TestMarkdown: the report says what held and what did not, with the
// sweep's figures in its table and a failure's output.
func TestMarkdown(t *testing.T) {
	r := &report{started: time.Unix(0, 0), finished: time.Unix(90, 0), command: "go run ./cmd/nlreliability", fuzzTime: 25 * time.Second, minimizeTime: 5 * time.Second,
		fuzz: []fuzzResult{{target: fuzzTarget{"./ynl", "ynl/fuzz_test.go", "FuzzParse"}, execs: 1234567, corpus: 9, held: true}},
		items: []itemResult{
			{item: items[0], results: []testResult{{ref: items[0].tests[0], status: "pass", figures: []figure{
				{"sweep.mode", "full"}, {"sweep.functions", "3"}, {"sweep.calls", "12345"}, {"sweep.panics", "0"},
				{"sweep.fn ip.link", "generated=9000 calls=5000 returned=1 errors=4999 deadline=0 withheld=2 distinct=40 seconds=1.00"},
				{"sweep.unclear_example", "ip.link: attempt to index a non-table object(number) with key 'kind' ← ip.link('add', 1)"},
			}}}},
			{item: items[3], results: []testResult{{ref: items[3].tests[0], status: "fail", output: "boom\n", figures: []figure{{"eperm.changes", "11 of 12 refused with a clear line"}}}}},
		}}
	md := r.markdown()
	for _, want := range []string{
		"| [Fuzz targets](#fuzz-targets) | 1 targets, 1,234,567 executions | yes |",
		"| [Malformed arguments to every public function](#malformed-arguments-to-every-public-function) | 3 functions, 12,345 calls, 0 Go panics | yes |",
		"| [Changes without privilege: EPERM](#changes-without-privilege-eperm) | 11 of 12 refused with a clear line | **no**: TestUnprivileged fail |",
		"| `ip.link` | 9,000 | 5,000 | 1 | 4,999 | 0 | 2 | 40 |",
		"- ip.link: attempt to index a non-table object(number) with key 'kind' ← ip.link('add', 1)",
		"| [FuzzParse](../ynl/fuzz_test.go) | ynl | 1,234,567 | 9 | yes |",
		"```text\nboom\n```",
		"## What is not covered",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if r.held() {
		t.Error("held() with a failed test")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
