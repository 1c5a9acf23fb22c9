package luabind

import (
	"context"
	"encoding/json"
	"io"
	"runtime"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// FuzzFromJSON feeds text to nl.from_json. Whatever the text, Go must not
// panic; it must accept a single document exactly when encoding/json does
// (short of its nesting limit and of families it does not know); what it
// reads nl.json must write (or refuse by name), and what nl.json writes it
// must read again; messages it makes must encode or say why.
func FuzzFromJSON(f *testing.F) {
	// One Env for every input: making one costs more than most inputs,
	// and nothing read is kept from one input to the next.
	e := New(Options{Stdout: io.Discard})
	defer e.Close()
	// Seeds: each recorded kernel message as nl.json writes it, one by
	// one (small inputs are what the mutator can work with).
	for _, dir := range []string{"dumps", "genl"} {
		decode := "rtnl.decode"
		if dir == "genl" {
			decode = "genl.decode"
		}
		for _, b := range kernelMessages(f, dir) {
			e.L.SetGlobal("data", lua.LString(b))
			out, err := e.Run(context.Background(), "seed", `local t = {}
for i, m in ipairs(`+decode+`(data)) do if i <= 16 then t[i] = nl.json(m) end end
return unpack(t)`, nil)
			if err != nil {
				f.Fatal(err)
			}
			for _, v := range out {
				f.Add(lua.LVAsString(v))
			}
		}
	}
	for _, s := range []string{
		`{"header": {"type": 20}, "family": 2, "attrs": [["IFA_LOCAL", "10.0.0.1", {"nla_flags": 0}]], "_tail": {"hex": "07"}}`,
		`{"header": {"type": "RTM_NEWLINK"}, "class": "ifinfomsg", "attrs": [["IFLA_LINKINFO", {"attrs": [["IFLA_INFO_KIND", "veth"]]}]]}`,
		`{"header": {"type": 16}, "protocol": "generic", "genl_family": "nlctrl", "cmd": 3, "attrs": []}`,
		`[1, -0, 1e400, 9007199254740993, "\ud83d\ude00\ud800", {"hex": "0g"}, null] {"a": {"b": []}}`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		vals, err := e.FromJSON(text)
		if err != nil {
			msg := err.Error()
			if json.Valid([]byte(text)) && !strings.Contains(msg, "nested more than") && !strings.Contains(msg, "generic netlink family") {
				t.Fatalf("encoding/json reads %q, nl.from_json does not: %v", text, err)
			}
			return
		}
		if len(vals) == 1 && !json.Valid([]byte(text)) {
			t.Fatalf("nl.from_json reads %q, which is not JSON", text)
		}
		for _, v := range vals {
			b, err := e.JSON(v, JSONOptions{})
			if err != nil {
				if !strings.Contains(err.Error(), "inf has no JSON form") {
					t.Fatalf("nl.json of what nl.from_json read from %q: %v", text, err)
				}
				continue
			}
			if _, err := e.FromJSON(string(b)); err != nil {
				t.Fatalf("nl.from_json cannot read what nl.json wrote (%s): %v", b, err)
			}
			if m, ok := v.(*lua.LTable); ok && e.isMessage(m) {
				e.encodeTable(m)
			}
		}
	})
}

// BenchmarkJSONRoutes100k writes a decoded dump of 100,000 routes as JSON
// (what nlsh --json -e 'return ip.routes()' does after the dump): from the
// bytes, never materialising a message, streamed out.
func BenchmarkJSONRoutes100k(b *testing.B) {
	const n = 100000
	e := New(Options{Stdout: io.Discard})
	defer e.Close()
	e.L.SetGlobal("dump", lua.LString(benchRouteDump(n)))
	out, err := e.Run(context.Background(), "bench", "return rtnl.decode(dump)", nil)
	if err != nil {
		b.Fatal(err)
	}
	list := out[0]
	var w countingWriter
	if err := e.WriteJSON(&w, list, JSONOptions{}); err != nil {
		b.Fatal(err)
	}
	size := w.Len()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := e.WriteJSON(io.Discard, list, JSONOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/route")
	b.ReportMetric(float64(size)/n, "bytes-of-JSON/route")
}

// BenchmarkFromJSONRoutes100k reads the JSON of 100,000 routes back into
// decoded messages.
func BenchmarkFromJSONRoutes100k(b *testing.B) {
	const n = 100000
	e := New(Options{Stdout: io.Discard})
	defer e.Close()
	e.L.SetGlobal("dump", lua.LString(benchRouteDump(n)))
	out, err := e.Run(context.Background(), "bench", "return nl.json(rtnl.decode(dump))", nil)
	if err != nil {
		b.Fatal(err)
	}
	text := lua.LVAsString(out[0])
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		vals, err := e.FromJSON(text)
		if err != nil {
			b.Fatal(err)
		}
		if l := vals[0].(*lua.LTable).Len(); l != n {
			b.Fatalf("%d routes", l)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/route")
}

// TestJSONRoutesMemory: writing 100,000 decoded routes as JSON keeps
// nothing: the heap after is what it was before, give or take.
func TestJSONRoutesMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 routes")
	}
	const n = 100000
	e, _ := newEnv(t, "")
	e.L.SetGlobal("dump", lua.LString(benchRouteDump(n)))
	list := run(t, e, "return rtnl.decode(dump)")[0]
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := e.WriteJSON(io.Discard, list, JSONOptions{}); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 4<<20 {
		t.Errorf("the heap grew by %d bytes writing %d routes", grew, n)
	}
	if lm := e.lazyOf(list.(*lua.LTable).RawGetInt(n).(*lua.LTable)); lm == nil || lm.fields || lm.attrs {
		t.Error("a route was materialised")
	}
	runtime.KeepAlive(list)
}
