package main

import (
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"nlsh/cmd/internal/machine"
)

// report is everything one run found.
type report struct {
	started, finished      time.Time
	command                string
	fuzzTime, minimizeTime time.Duration
	quick                  bool // the tests' quick versions ran
	fuzz                   []fuzzResult
	items                  []itemResult
}

// held reports whether everything that ran held.
func (r *report) held() bool {
	for _, f := range r.fuzz {
		if !f.held {
			return false
		}
	}
	for _, it := range r.items {
		if !it.held() {
			return false
		}
	}
	return true
}

// fixes are what the checks found and what was done, each with the test
// that fails without the fix. They are history, so they are written here
// rather than measured.
var fixes = []struct{ found, fix, test string }{
	{
		"Encoding a table that holds itself (as an attribute's value, a message's attrs, a generic netlink attrs table) walked it again at every copy down to the depth limit: 4^64 steps for a table holding itself under four keys, so `f:dumpit('getfamily', {['family-name'] = t})` hung for ever.",
		"A conversion refuses a table inside itself (\"got a table that contains itself\") and visits at most 2^20 values (a table holding the same subtable many times over).",
		"TestEncodeTableHoldingItself (luabind/reliab_fix_test.go)",
	},
	{
		"`string.rep('x', 1e12)` and `channel.make(2^31)` asked the Go runtime for more memory than it could map: a fatal error, not a panic, so nlsh died (gopher-lua's standard library makes whatever size it is told).",
		"nlsh wraps them: string.rep refuses a result over 1 GiB, channel.make a buffer over 2^20 values or below 0, with an error.",
		"TestStdlibGuards (luabind/reliab_fix_test.go)",
	},
	{
		"`math.random(0)`, `math.random(3, 2)` and intervals wider than an int made gopher-lua's math.random panic in rand.Intn (recovered into an error reading \"invalid argument to Intn\").",
		"nlsh checks the interval first and raises Lua 5.1's \"interval is empty\" (or \"interval is too large\").",
		"TestStdlibGuards (luabind/reliab_fix_test.go)",
	},
	{
		"An error value whose __tostring returned a table or an empty string printed as an empty error line.",
		"The error line shows the value's entries instead (`error {code=1}`).",
		"TestErrorObjectWithoutText (luabind/reliab_fix_test.go)",
	},
	{
		"nlsh --netns X run by an unprivileged user already inside X (ip netns exec, nsenter) failed before reading anything: setns needs CAP_SYS_ADMIN even to enter the namespace one is in.",
		"The engine skips setns when the namespace named is the one the thread is in.",
		"TestUnprivileged (cmd/nlsh/reliability_test.go), TestCurrentNetNS (engine/netns_current_test.go)",
	},
	{
		"`channel.select()` outlived the sweep's deadline: gopher-lua's channel.select and ch:receive wait on the Lua context's Done, which nlsh keeps nil while a chunk runs (it is read before every instruction), and ch:send waits on nothing else, so a script blocked on a channel could not be stopped by Ctrl-C or a timeout.",
		"channel.select, ch:receive and ch:send also wait on the chunk's own context.",
		"TestChannelWaitStops (luabind/channel_wait_test.go)",
	},
	{
		"Looking into the channel hang: a coroutine that never yields could not be stopped either. gopher-lua gives a new thread a child of its parent's context, and a child of a context whose Done is nil never ends.",
		"A coroutine runs under the context of the thread that resumes it.",
		"TestCoroutineStops (luabind/protect_test.go)",
	},
}

// notFixed is what the checks found and was left as it is.
const notFixed = `## Found, not fixed

- **coroutine.resume of a thread made in Go** and never given a function
  dereferences a missing call frame inside gopher-lua (a panic it recovers
  into an error). No script can hold such a thread (coroutine.running
  hides nlsh's call threads), so the sweep leaves it out of its values.
- **string.format with a directive fmt does not take** (` + "`'%y'`, `'%'`, a width over 10^6" + `)
  returns fmt's markers (` + "`%!y(int64=1)`, `%!(NOVERB)`" + `) where Lua 5.1 raises
  "invalid option": nlsh keeps gopher-lua's output byte for byte on
  purpose (luabind/strformat.go, tested in strformat_test.go).
- **Overlong errors** the sweep lists above: a name or value repeated back
  in full when a megabyte was given for it. They end the call cleanly and
  say what was wrong; they are long, not unclear.

`

// notCovered says, honestly, what these checks do not show.
const notCovered = `## What is not covered

- **The sweep is broad, not deep.** Each call changes one argument (or one
  key of a table argument) to a malformed value after leading arguments the
  function accepts, or gives two malformed values; it does not search
  combinations of several bad keys, nor well-formed requests the kernel
  takes badly. The full run makes at most 5,000 calls per function, drawn
  from all the lists made for it (the table says how many were made).
  Decoders are fuzzed instead (above), for 25 s a target: short campaigns,
  on one machine.
- **Not called by the sweep:** os.execute and io.popen (they run
  commands), os.exit, os.remove, os.rename, os.tmpname and os.setenv (they
  change the process or its files), the io library, dofile, loadfile,
  require and module (files), and debug, which can take any Lua state apart
  (debug.traceback, which nlsh replaces, is swept).
- **Withheld calls:** a call whose arguments could name a network namespace
  other than the test's (a positive integer that may be a process id, a
  name under /run/netns, a path) is not made; nl.netns.add and nl.netns.del
  are only given values that are not valid names. Their ordinary use is
  covered by other tests (TestNetnsFDFollowsName), not by the sweep.
- **The kernel side is limited to what a namespace holds.** Requests go to
  NETLINK_ROUTE and to the generic families nlctrl, ethtool and netdev in
  the test's namespace; sockets of other protocols are opened but never
  written to (audit, for one, is not confined to a namespace). Devices are
  veth pairs; the kernel tested has no modules.
- **Waiting calls are judged by their deadline.** sock:recv, event
  iterators and monitors wait for the kernel; the sweep counts them stopped
  by their deadline (they honour it) and fails only a call that outlives it
  by 10 s. The full run shortens a function's deadline to 5 ms once ten of
  its calls waited.
- **Memory is not capped.** A script can still grow tables or strings until
  the machine runs out (string.rep is bounded, a loop is not); nlsh does not
  limit the Lua heap. The monitor's memory is measured against one storm on
  one machine.
- **Errors that are clear but not kind.** Calls that end in Lua's own
  runtime errors inside nlsh's code (listed under the sweep when there are
  any) and errors that repeat a huge argument back in full are counted and
  listed, not failed.
- **One goroutine per Env.** The race detector runs over luabind's tests
  (go test -race ./luabind), not over the full sweep.
- **The shell's line editing** is covered by the pseudo-terminal tests, not
  fuzzed.
`

// markdown renders the report.
func (r *report) markdown() string {
	var b strings.Builder
	b.WriteString("# Reliability\n\n")
	b.WriteString("nlsh must be safe on a production host: nothing a user types or the kernel sends may panic the process, and bad input gets a clear error. This page says what was tried and what held. It is written by a command anyone can run again; every claim below is a Go test that fails when it stops holding, and `go test ./...` runs their quick versions.\n\n")
	fmt.Fprintf(&b, "Measured %s on %s, %s. The run took %s.\n\n",
		r.started.UTC().Format("2006-01-02 15:04 UTC"), machine.Describe(), runtime.Version(),
		r.finished.Sub(r.started).Round(time.Second))
	versions := "in their long versions (`NLSH_RELIABILITY=full`)"
	if r.quick {
		versions = "in their quick versions, as `go test` runs them (-quick)"
	}
	fmt.Fprintf(&b, "Command: `%s` (as root, from the repository root). It fuzzes every `func Fuzz` in the repository, then runs the tests below %s; each test that talks to the kernel makes its own network namespace.\n\n", r.command, versions)

	b.WriteString("## Summary\n\n| | what was tried | held |\n|---|---|---|\n")
	if len(r.fuzz) > 0 {
		var execs int64
		held := 0
		for _, f := range r.fuzz {
			execs += f.execs
			if f.held {
				held++
			}
		}
		fmt.Fprintf(&b, "| [Fuzz targets](#fuzz-targets) | %d targets, %s executions | %s |\n", len(r.fuzz), thousands(execs), yesNo(held == len(r.fuzz), fmt.Sprintf("%d of %d", held, len(r.fuzz))))
	}
	for _, it := range r.items {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s |\n", it.title, anchor(it.title), it.summary(), yesNo(it.held(), failedTests(it)))
	}
	b.WriteString("\n")

	if len(r.fuzz) > 0 {
		b.WriteString("## Fuzz targets\n\n")
		fmt.Fprintf(&b, "Every `func Fuzz` found under the repository (%d), each run alone with `go test -run '^$' -fuzz '^NAME$' -fuzztime %s -fuzzminimizetime %s` on all CPUs. The corpus is the seeds plus what Go's fuzzing cache kept from earlier runs on this machine. A failing input would be written to the package's testdata/fuzz/, where it stays as a regression seed.\n\n",
			len(r.fuzz), r.fuzzTime, r.minimizeTime)
		b.WriteString("| target | package | executions | corpus | held |\n|---|---|---:|---:|---|\n")
		for _, f := range r.fuzz {
			fmt.Fprintf(&b, "| [%s](../%s) | %s | %s | %d | %s |\n", f.target.name, f.target.file, strings.TrimPrefix(f.target.pkg, "./"), thousands(f.execs), f.corpus, yesNo(f.held, "**no**"))
		}
		for _, f := range r.fuzz {
			if !f.held {
				fmt.Fprintf(&b, "\n%s failed:\n\n```text\n%s\n```\n", f.target.name, f.failure)
			}
		}
		b.WriteString("\n")
	}

	for _, it := range r.items {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", it.title, it.tried)
		b.WriteString("| test | held | time |\n|---|---|---:|\n")
		for _, t := range it.results {
			fmt.Fprintf(&b, "| [%s](../%s) | %s | %s |\n", t.ref.name, t.ref.file, yesNo(t.status == "pass", "**"+t.status+"**"), t.took.Round(10*time.Millisecond))
		}
		b.WriteString("\n")
		if it.key == "sweep" {
			b.WriteString(sweepSection(it))
		}
		for _, t := range it.results {
			b.WriteString(testFigures(it.key, t))
		}
	}

	b.WriteString("## Fixed\n\nWhat these checks found in nlsh, and the test that fails without each fix:\n\n")
	for i, f := range fixes {
		fmt.Fprintf(&b, "%d. %s %s Test: %s.\n", i+1, f.found, f.fix, f.test)
	}
	b.WriteString("\n")
	b.WriteString(notFixed)
	b.WriteString(notCovered)
	return b.String()
}

// summary is an item's line in the summary table, from its figures.
func (it itemResult) summary() string {
	get := func(key string) string {
		for _, t := range it.results {
			if v := t.get(key); v != "" {
				return v
			}
		}
		return ""
	}
	tests := fmt.Sprintf("%d tests", len(it.results))
	if len(it.results) == 1 {
		tests = "1 test"
	}
	switch it.key {
	case "sweep":
		if c := get("sweep.calls"); c != "" {
			return fmt.Sprintf("%s functions, %s calls, %s Go panics", get("sweep.functions"), thousandsText(c), get("sweep.panics"))
		}
	case "captures":
		if v := get("decode.variants"); v != "" {
			return fmt.Sprintf("%s corrupted captures; %s", strings.SplitN(v, " ", 2)[0], tests)
		}
	case "eperm":
		if v := get("eperm.changes"); v != "" {
			return v
		}
	case "monitor":
		if v := get("monitor.rss"); v != "" {
			return "peak RSS " + v
		}
	case "overrun":
		if v := get("tinybuf.received"); v != "" {
			return v + " with --rcvbuf 1; " + tests
		}
	}
	return tests
}

// sweepSection renders the sweep's figures: totals, per function, and the
// unclear errors it saw.
func sweepSection(it itemResult) string {
	if len(it.results) == 0 {
		return ""
	}
	t := it.results[0]
	if t.get("sweep.calls") == "" {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "In the %s run: %s functions; %s calls, of which %s returned, %s raised a Lua error and %s were stopped by their deadline (%s ms; all honoured it); %s calls were withheld by the namespace guard. %s distinct error messages, the longest %s bytes. Go panics: %s. Garbled or empty messages: %s. The sweep took %s s.\n\n",
		t.get("sweep.mode"), t.get("sweep.functions"), thousandsText(t.get("sweep.calls")), thousandsText(t.get("sweep.returned")),
		thousandsText(t.get("sweep.errors")), thousandsText(t.get("sweep.deadline")), t.get("sweep.deadline_ms"),
		thousandsText(t.get("sweep.withheld")), thousandsText(t.get("sweep.distinct")), thousandsText(t.get("sweep.longest")),
		t.get("sweep.panics"), t.get("sweep.garbled"), t.get("sweep.seconds"))
	var rows []string
	fnFig := regexp.MustCompile(`(\w+)=([\d.]+)`)
	for _, f := range t.figures {
		name, ok := strings.CutPrefix(f.key, "sweep.fn ")
		if !ok {
			continue
		}
		v := map[string]string{}
		for _, m := range fnFig.FindAllStringSubmatch(f.value, -1) {
			v[m[1]] = m[2]
		}
		rows = append(rows, fmt.Sprintf("| `%s` | %s | %s | %s | %s | %s | %s | %s |", name,
			thousandsText(v["generated"]), thousandsText(v["calls"]), thousandsText(v["returned"]), thousandsText(v["errors"]), v["deadline"], v["withheld"], v["distinct"]))
	}
	if len(rows) > 0 {
		b.WriteString("<details><summary>Per function</summary>\n\n| function | argument lists made | calls | returned | Lua errors | stopped by deadline | withheld | distinct errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
		b.WriteString(strings.Join(rows, "\n"))
		b.WriteString("\n\n</details>\n\n")
	}
	list := func(key, title string) {
		var ex []string
		for _, f := range t.figures {
			if f.key == key {
				ex = append(ex, "- "+mdEscape(f.value))
			}
		}
		if len(ex) > 0 {
			fmt.Fprintf(&b, "%s (%d, reported, not failed):\n\n%s\n\n", title, len(ex), strings.Join(ex, "\n"))
		}
	}
	list("sweep.unclear_example", "Lua's own runtime errors from nlsh's Lua code, which say how the code failed rather than what the input lacks (function: message ← a call that raised it)")
	list("sweep.overlong_example", "Errors longer than 4 KiB, which repeat a huge argument back in full (function: the message's start ← a call)")
	return b.String()
}

// testFigures renders a test's figures, or its log lines if it has none.
func testFigures(key string, t testResult) string {
	var lines []string
	for _, f := range t.figures {
		if key == "sweep" {
			continue // sweepSection has them
		}
		lines = append(lines, fmt.Sprintf("- %s: %s", f.key, mdEscape(f.value)))
	}
	if len(lines) == 0 && key != "sweep" {
		for _, n := range t.notes {
			if len(lines) == 5 {
				break
			}
			lines = append(lines, "- "+mdEscape(n))
		}
	}
	if t.status != "pass" && t.output != "" {
		// What the test said besides its figures (its errors among it),
		// else the end of its output.
		out := strings.Join(t.notes, "\n")
		if key != "sweep" || out == "" {
			out = t.output
		}
		if len(out) > 4000 {
			out = out[len(out)-4000:]
		}
		lines = append(lines, "", "```text", strings.TrimRight(out, "\n"), "```")
	}
	if len(lines) == 0 {
		return ""
	}
	return fmt.Sprintf("%s:\n\n%s\n\n", t.ref.name, strings.Join(lines, "\n"))
}

// failedTests lists an item's tests that did not pass.
func failedTests(it itemResult) string {
	var out []string
	for _, t := range it.results {
		if t.status != "pass" {
			out = append(out, t.ref.name+" "+t.status)
		}
	}
	return "**no**: " + strings.Join(out, ", ")
}

func yesNo(ok bool, no string) string {
	if ok {
		return "yes"
	}
	return no
}

// anchor is GitHub's anchor for a heading.
func anchor(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// mdEscape keeps a logged line from breaking the Markdown around it.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "'").Replace(s)
}

// thousands writes n with thousands separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && c != '-' && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// thousandsText is thousands for a number written as text; other text is
// returned as it is.
func thousandsText(s string) string {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return s
	}
	return thousands(n)
}
