package luabind

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

// jsonOf runs a chunk returning one value and gives nl.json's text of it.
func jsonOf(t *testing.T, e *Env, src string) string {
	t.Helper()
	return lua.LVAsString(run(t, e, "return nl.json("+src+")")[0])
}

func TestJSONValues(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"nil", `nil`, `null`},
		{"booleans", `{true, false}`, `[true,false]`},
		{"integers", `{0, -1, 42, 2^53, 2^60}`, `[0,-1,42,9007199254740992,1152921504606846976]`},
		{"fractions", `{1.5, -0.25, 1e-7, 1e300}`, `[1.5,-0.25,1e-07,1e+300]`},
		{"text", `'a"b\\c/'`, `"a\"b\\c/"`},
		{"control characters", `'\0\1\n\r\t\127'`, `"\u0000\u0001\n\r\t` + "\x7f" + `"`},
		{"UTF-8", `'é✓'`, `"é✓"`},
		{"bytes that are not UTF-8", `'\255\0'`, `{"hex":"ff00"}`},
		{"raw value", `nl.raw('\1\2')`, `{"hex":"0102"}`},
		{"empty table", `{}`, `[]`},
		{"list", `{1, 'a', {2}}`, `[1,"a",[2]]`},
		{"list with a hole", `{1, nil, 3}`, `{"1":1,"3":3}`},
		{"object with sorted keys", `{b = 1, a = {c = true}, ['x y'] = 2}`, `{"a":{"c":true},"b":1,"x y":2}`},
		{"mixed table", `{10, 20, x = 1}`, `{"1":10,"2":20,"x":1}`},
		{"sparse list", `(function() local t = {1}; t[3] = 3; return t end)()`, `{"1":1,"3":3}`},
		{"number keys", `{[1.5] = 'a', [-1] = 'b'}`, `{"-1":"b","1.5":"a"}`},
		{"shared, not cyclic", `(function() local s = {1}; return {s, s} end)()`, `[[1],[1]]`},
		{"pairs outside a message", `{attrs = {{'IFLA_MTU', 1500, nla_flags = 2}}}`, `{"attrs":[["IFLA_MTU",1500,{"nla_flags":2}]]}`},
	}
	e, _ := newEnv(t, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := jsonOf(t, e, tt.src)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("nl.json(%s) (-want +got):\n%s", tt.src, diff)
			}
			if !json.Valid([]byte(got)) {
				t.Errorf("not valid JSON: %s", got)
			}
		})
	}
}

func TestJSONIndent(t *testing.T) {
	tests := []struct {
		opts, want string
	}{
		{`{indent = true}`, "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}"},
		{`{indent = 1}`, "{\n \"a\": [\n  1,\n  {}\n ],\n \"b\": []\n}"},
		{`{indent = '\t'}`, "{\n\t\"a\": [\n\t\t1,\n\t\t{}\n\t],\n\t\"b\": []\n}"},
		{`{indent = false}`, `{"a":[1,{}],"b":[]}`},
	}
	e, _ := newEnv(t, "")
	for _, tt := range tests {
		t.Run(tt.opts, func(t *testing.T) {
			// {} inside a list is written as [], but a message's empty
			// object is not: use a table with a key that is skipped.
			got := lua.LVAsString(run(t, e, `return nl.json({a = {1, setmetatable({}, {})}, b = {}}, `+tt.opts+`)`)[0])
			want := strings.ReplaceAll(tt.want, "{}", "[]")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestJSONErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"function", `nl.json({1, {cb = print}})`, `nl.json: value[2].cb: a function has no JSON form`},
		{"coroutine", `nl.json({co = coroutine.create(print)})`, `nl.json: value.co: a coroutine has no JSON form`},
		{"userdata", `nl.json({ud = ud})`, `nl.json: value.ud: userdata has no JSON form`},
		{"key with a space", `nl.json({['a b'] = {print}})`, `nl.json: value["a b"][1]: a function has no JSON form`},
		{"cycle", `(function() local t = {}; t.self = t; return nl.json({t}) end)()`, `nl.json: value[1].self: a cycle: this table contains itself`},
		{"NaN", `nl.json({rate = 0/0})`, `nl.json: value.rate: NaN has no JSON form`},
		{"infinity", `nl.json({1/0})`, `nl.json: value[1]: inf has no JSON form`},
		{"minus infinity", `nl.json(-1/0)`, `nl.json: value: -inf has no JSON form`},
		{"boolean key", `nl.json({[true] = 1})`, `nl.json: value: a table key that is a boolean cannot be a JSON object key`},
		{"too deep", `(function() local t = {}; for i = 1, 300 do t = {t} end; return nl.json(t) end)()`, `nl.json: value` + strings.Repeat("[1]", 200) + `: nested more than 200 tables deep`},
		{"function in a message", `(function() local m = rtnl.ifinfomsg(); m.attrs = {{'IFLA_IFNAME', print}}; return nl.json(m) end)()`, `nl.json: value.attrs[1][2]: a function has no JSON form`},
		{"unknown option", `nl.json(1, {indnt = true})`, `bad argument #2 to json (unknown option 'indnt' (options: indent))`},
		{"bad indent", `nl.json(1, {indent = 'x'})`, `bad argument #2 to json (indent takes true, a number of spaces (0 to 16) or a string of spaces and tabs)`},
	}
	e, _ := newEnv(t, "")
	e.L.SetGlobal("ud", e.L.NewUserData())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runErr(t, e, "return "+tt.src)
			got = got[strings.Index(got, ": ")+2:] // the chunk's name and line
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// jsonMessageSetup builds the messages TestJSONMessages writes.
const jsonMessageSetup = `
link = rtnl.ifinfomsg{index = 3, flags = 'IFF_UP', header = {type = 'RTM_NEWLINK', flags = 'NLM_F_REQUEST|NLM_F_ACK'}}
link.attrs = {
  {'IFLA_IFNAME', 'v0'},
  {'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}}, nla_flags = NLA_F_NESTED},
  {'IFLA_ADDRESS', 'aa:bb:cc:dd:ee:ff'},
  {'IFLA_STATS64', {rx_bytes = '18446744073709551615'}},
  {'IFLA_999', '\1\2'},
  {'IFLA_MTU', nl.raw('\1\0')},
}
decoded = rtnl.decode(link:encode())[1]
touched = rtnl.decode(link:encode())[1]
touched.index = 4
changed = rtnl.decode(link:encode())[1]
changed.attrs[1][2] = 'v1'
unset = rtnl.ifaddrmsg{family = AF_INET}
route = rtnl.rtmsg{family = AF_INET, dst_len = 24, header = {type = RTM_NEWROUTE},
  attrs = {{'RTA_DST', '10.8.0.0'}, {'RTA_MULTIPATH', {{oif = 2, attrs = {{'RTA_GATEWAY', '10.0.0.2'}}}}}}}
droute = rtnl.decode(route:encode())[1]
`

// The JSON of the link built in jsonMessageSetup, as nl.json writes it
// from the table (constructed) and from the bytes (decoded).
const (
	jsonLinkHeader = `"event":"RTM_NEWLINK","family":0,"ifi_type":0,"index":3,"flags":1,"change":0`
	jsonLinkAttrs  = `["IFLA_IFNAME","v0"],["IFLA_LINKINFO",{"attrs":[["IFLA_INFO_KIND","veth"]]},{"nla_flags":32768}],` +
		`["IFLA_ADDRESS","aa:bb:cc:dd:ee:ff"]`
	jsonStatsZero = `"rx_packets":0,"tx_packets":0,"rx_bytes":"18446744073709551615","tx_bytes":0,"rx_errors":0,` +
		`"tx_errors":0,"rx_dropped":0,"tx_dropped":0,"multicast":0,"collisions":0,"rx_length_errors":0,` +
		`"rx_over_errors":0,"rx_crc_errors":0,"rx_frame_errors":0,"rx_fifo_errors":0,"rx_missed_errors":0,` +
		`"tx_aborted_errors":0,"tx_carrier_errors":0,"tx_fifo_errors":0,"tx_heartbeat_errors":0,` +
		`"tx_window_errors":0,"rx_compressed":0,"tx_compressed":0,"rx_nohandler":0,"rx_otherhost_dropped":0`
)

func TestJSONMessages(t *testing.T) {
	decodedLink := func(name string, index int, attrs string) string {
		return `{"header":{"length":288,"type":16,"flags":5,"sequence_number":0,"pid":0},` +
			strings.Replace(jsonLinkHeader, `"index":3`, `"index":`+string(rune('0'+index)), 1) + `,"attrs":[` +
			strings.Replace(jsonLinkAttrs, `"v0"`, `"`+name+`"`, 1) + `,["IFLA_STATS64",{` + jsonStatsZero + `}],` +
			attrs + `]}`
	}
	tests := []struct {
		name, src, want string
	}{{
		name: "constructed",
		src:  `link`,
		want: `{"header":{"length":0,"type":16,"flags":5,"sequence_number":0,"pid":0},` + jsonLinkHeader + `,"attrs":[` +
			jsonLinkAttrs + `,["IFLA_STATS64",{"rx_bytes":"18446744073709551615"}],["IFLA_999",{"hex":"0102"}],["IFLA_MTU",{"hex":"0100"}]]}`,
	}, {
		name: "decoded, from its bytes",
		src:  `decoded`,
		want: decodedLink("v0", 3, `["IFLA_999",{"hex":"0102"}],["IFLA_MTU",{"hex":"0100"}]`),
	}, {
		name: "fields changed, attributes from the bytes",
		src:  `touched`,
		want: decodedLink("v0", 4, `["IFLA_999",{"hex":"0102"}],["IFLA_MTU",{"hex":"0100"}]`),
	}, {
		name: "attributes changed",
		src:  `changed`,
		want: decodedLink("v1", 3, `["IFLA_999",{"hex":"0102"}],["IFLA_MTU",{"hex":"0100"}]`),
	}, {
		name: "class the header does not tell",
		src:  `unset`,
		want: `{"header":{"length":0,"type":0,"flags":0,"sequence_number":0,"pid":0},"class":"ifaddrmsg",` +
			`"family":2,"prefixlen":0,"flags":0,"scope":0,"index":0,"attrs":[]}`,
	}, {
		name: "pairs out of their message",
		src:  `route.attrs`,
		want: `[["RTA_DST","10.8.0.0"],["RTA_MULTIPATH",[{"attrs":[["RTA_GATEWAY","10.0.0.2"]],"oif":2}]]]`,
	}, {
		name: "pairs out of their decoded message",
		src:  `droute.attrs`,
		want: `[["RTA_DST","10.8.0.0"],["RTA_MULTIPATH",[{"attrs":[["RTA_GATEWAY","10.0.0.2"]],"flags":0,"hops":0,"length":16,"oif":2}]]]`,
	}, {
		name: "a nest outside its message",
		src:  `decoded:get('IFLA_LINKINFO')`,
		want: `{"attrs":[["IFLA_INFO_KIND","veth"]]}`,
	}, {
		name: "an error value",
		src:  `err`,
		want: `{"code":"EEXIST","errno":17,"ext_ack":"exists","line":"RTM_NEWADDR: file exists (EEXIST, errno 17): exists",` +
			`"mark":0,"message":"file exists","op":"RTM_NEWADDR","request":{"header":{"length":32,"type":20,"flags":5,` +
			`"sequence_number":0,"pid":0},"event":"RTM_NEWADDR","family":2,"prefixlen":24,"flags":0,"scope":0,"index":2,` +
			`"attrs":[["IFA_LOCAL","10.0.0.1"]]},"request_bytes":{"hex":"20000000140005000000000000000000021800000200000008000200` +
			`0a000001"}}`,
	}}
	e, _ := newEnv(t, "")
	run(t, e, jsonMessageSetup)
	req := run(t, e, `return rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = 2,
  header = {type = RTM_NEWADDR, flags = 'NLM_F_REQUEST|NLM_F_ACK'}, attrs = {{'IFA_LOCAL', '10.0.0.1'}}}:encode()`)[0]
	e.L.SetGlobal("err", e.errorValue(&engine.Error{Errno: unix.EEXIST, Msg: "exists", Offset: -1,
		Op: "RTM_NEWADDR", Request: []byte(lua.LVAsString(req))}, e.route))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := jsonOf(t, e, tt.src)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("nl.json(%s) (-want +got):\n%s", tt.src, diff)
			}
		})
	}
	// Writing a decoded message leaves it as lazy as it was.
	if lm := e.lazyOf(e.L.GetGlobal("decoded").(*lua.LTable)); lm == nil || lm.fields || lm.attrs {
		t.Error("nl.json materialised a decoded message")
	}
}

// jsonRoundTrip checks, for every message of the list a decoding chunk
// returns, that nl.from_json(nl.json(m)) encodes to m's bytes and writes
// the same JSON, decoded as received, materialised, and as the whole list.
const jsonRoundTrip = `
local msgs, n = ..., 0
for i, m in ipairs(msgs) do
  local raw = m:encode()
  local j = nl.json(m)
  local back = nl.from_json(j)
  if back:encode() ~= raw then error(('#%d %s: from_json(json(m)) encodes differently'):format(i, m.event or '?')) end
  if nl.json(back) ~= j then error(('#%d %s: json(from_json(j)) differs:\n%s\n%s'):format(i, m.event or '?', j, nl.json(back))) end
  local _ = m.attrs -- materialise
  if nl.json(m) ~= j then error(('#%d %s: materialised, json differs:\n%s\n%s'):format(i, m.event or '?', j, nl.json(m))) end
  if nl.from_json(nl.json(m)):encode() ~= raw then error(('#%d %s: materialised, does not round-trip'):format(i, m.event or '?')) end
  n = n + 1
end
local all = nl.from_json(nl.json(msgs))
for i, m in ipairs(all) do
  if m:encode() ~= msgs[i]:encode() then error(('#%d: the list does not round-trip'):format(i)) end
end
return n, #all`

// TestJSONKernelRoundTrip: every message of the recorded kernel dumps
// (rtnetlink, and generic netlink's nlctrl replies) goes through nl.json
// and nl.from_json to the same bytes and the same JSON.
func TestJSONKernelRoundTrip(t *testing.T) {
	total := 0
	for _, c := range []struct{ dir, decode string }{{"dumps", "rtnl.decode"}, {"genl", "genl.decode"}} {
		for name, b := range kernelMessages(t, c.dir) {
			t.Run(c.dir+"/"+name, func(t *testing.T) {
				e, _ := newEnv(t, "")
				e.L.SetGlobal("data", lua.LString(b))
				out := run(t, e, `return (function(...) `+jsonRoundTrip+` end)(`+c.decode+`(data))`)
				n, all := int(lua.LVAsNumber(out[0])), int(lua.LVAsNumber(out[1]))
				msgs, _ := engine.Split(b)
				if n != len(msgs) || all != len(msgs) {
					t.Errorf("%d and %d messages went through, of %d", n, all, len(msgs))
				}
				total += n
			})
		}
	}
	t.Logf("%d kernel messages round-tripped", total)
}

// TestJSONGenlShape: a generic netlink message names its protocol and
// family; read back, it is a message of the same family and operation.
func TestJSONGenlShape(t *testing.T) {
	e, _ := newEnv(t, "")
	e.L.SetGlobal("data", lua.LString(kernelMessages(t, "genl")["families.bin"]))
	out := run(t, e, `
local m = genl.decode(data)[1]
local j = nl.json(m)
local back = nl.from_json(j)
return j:match('^{"header":{[^}]*},"protocol":"generic","genl_family":"nlctrl","event":"getfamily","cmd":1,"version":%d+,"reserved":0,"attrs":%[%["family%-name","nlctrl"%]') ~= nil,
  back.event, back:get('family-name'), tostring(back):match('^[^\n]*')`)
	got := []string{out[0].String(), out[1].String(), out[2].String(), out[3].String()}
	want := []string{"true", "getfamily", "nlctrl", "nlctrl getfamily"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFromJSONValues(t *testing.T) {
	tests := []struct {
		name, text, want string // want: what nl.json writes of the result, type-tagged by show below
	}{
		{"scalars", `[1, -2.5, "x", true, false]`, `[1,-2.5,"x",true,false]`},
		{"null in a list leaves a hole", `[1, null, 3]`, `{"1":1,"3":3}`},
		{"null in an object leaves the key out", `{"a": null, "b": 1}`, `{"b":1}`},
		{"empty array and object", `[[], {}]`, `[[],[]]`},
		{"integers beyond 2^53 as strings", `[9007199254740992, 9007199254740993, -9007199254740993, 18446744073709551615]`,
			`[9007199254740992,"9007199254740993","-9007199254740993","18446744073709551615"]`},
		{"integers beyond 64 bits as numbers", `[18446744073709551616, 1e400, -1e400, 1e-400]`, `[18446744073709551616,"+Inf","-Inf",0]`},
		{"escapes", `"\" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00"`, `"\" \\ / \u0008 \u000c \n \r \t é 😀"`},
		{"lone surrogates", `"\ud800x\udc00\ud800\u0041"`, `"�x��A"`},
		{"bytes that are not UTF-8 kept", "\"\xff\"", `{"hex":"ff"}`},
		{"hex is raw", `{"hex": "0A0b"}`, `{"hex":"0a0b"}`},
		{"hex that is not hex", `{"hex": "0g"}`, `{"hex":"0g"}`},
		{"hex beside other keys", `{"hex": "00", "x": 1}`, `{"hex":"00","x":1}`},
		{"duplicate keys: the last", `{"a": 1, "a": 2}`, `{"a":2}`},
		{"pairs take nla_flags", `{"attrs": [["X", 1, {"nla_flags": 4}], ["Y", 2, 3]]}`, `{"attrs":[["X",1,{"nla_flags":4}],["Y",2,3]]}`},
		{"white space", " \t\r\n[ 1 ,\n2 ] ", `[1,2]`},
	}
	e, _ := newEnv(t, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, err := e.FromJSON(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			e.L.SetGlobal("v", vals[0])
			// Infinities, which nl.json refuses, are shown as strings.
			got := lua.LVAsString(run(t, e, `
local function fix(x)
  if type(x) == 'number' and (x == 1/0 or x == -1/0) then return tostring(x) end
  if type(x) == 'table' and getmetatable(x) == nil then for k, y in pairs(x) do x[k] = fix(y) end end
  return x
end
return nl.json(fix(v))`)[0])
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("nl.json(nl.from_json(%s)) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestFromJSONDocuments(t *testing.T) {
	e, _ := newEnv(t, "")
	out := run(t, e, `local a, b, c = nl.from_json('1 [2]\n{"x": 3}'); return a, b[1], c.x, select('#', nl.from_json('null'))`)
	got := []string{out[0].String(), out[1].String(), out[2].String(), out[3].String()}
	if diff := cmp.Diff([]string{"1", "2", "3", "1"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFromJSONErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", ` `, `no JSON value in the text`},
		{"bad literal", `[tru]`, `line 1, column 2: 't' where a value should be`},
		{"missing comma", "[1\n 2]", `line 2, column 2: '2' after an array element (expected ',' or ']')`},
		{"unclosed array", `[1,`, `line 1, column 4: the text ends where a value should be`},
		{"unclosed object", `{"a": 1`, `line 1, column 8: the text ends inside an object`},
		{"key not a string", `{a: 1}`, `line 1, column 2: 'a' where an object key should be (a string)`},
		{"missing colon", `{"a" 1}`, `line 1, column 6: '1' after an object key (expected ':')`},
		{"trailing comma", `{"a": 1,}`, `line 1, column 9: '}' where an object key should be (a string)`},
		{"unclosed string", `"abc`, `line 1, column 5: the text ends inside a string`},
		{"control character", "\"a\nb\"", `line 1, column 3: a control character (0x0a) inside a string: write it as an escape`},
		{"bad escape", `"\x"`, `line 1, column 2: unknown escape \x in a string`},
		{"bad unicode escape", `"\u12g4"`, `line 1, column 4: \u takes four hex digits`},
		{"leading zero", `012`, `line 1, column 1: a number with a leading zero`},
		{"bare minus", `-`, `line 1, column 2: the end of the text where a number's digits should be`},
		{"empty fraction", `1.`, `line 1, column 3: the end of the text where a fraction's digits should be`},
		{"empty exponent", `1e+`, `line 1, column 4: the end of the text where an exponent's digits should be`},
		{"too deep", strings.Repeat("[", 1001), `line 1, column 1001: arrays and objects nested more than 1000 deep`},
		{"unknown generic netlink family", `{"header": {"type": 30}, "protocol": "generic", "genl_family": "nosuch", "attrs": []}`,
			`generic netlink family 'nosuch' is not known here yet: genl.family('nosuch') looks it up`},
	}
	e, _ := newEnv(t, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.FromJSON(tt.text)
			if err == nil {
				t.Fatalf("nl.from_json(%q) did not fail", tt.text)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if got := runErr(t, e, `nl.from_json('[')`); !strings.HasSuffix(got, "nl.from_json: line 1, column 2: the text ends where a value should be") {
		t.Errorf("nl.from_json's error: %s", got)
	}
}

// TestFromJSONMessages: what becomes of objects with header and attrs.
func TestFromJSONMessages(t *testing.T) {
	e, _ := newEnv(t, "")
	run(t, e, jsonMessageSetup)
	tests := []struct {
		name, src, want string
	}{
		// A message whose header tells its class is decoded from its bytes.
		{"decoded again", `local m = nl.from_json(nl.json(link)); return getmetatable(m), m:encode() == link:encode(), m:get('IFLA_MTU') == '\1\0'`,
			"decoded message true true"},
		{"written by hand", `local m = nl.from_json('{"header": {"type": "RTM_NEWADDR", "flags": ["NLM_F_REQUEST"]}, "family": 2, "prefixlen": 8, "attrs": [["IFA_LOCAL", "10.0.0.1"]]}')
return m.event, m.header.length, m.header.flags, m:get('IFA_LOCAL')`, "RTM_NEWADDR 32 1 10.0.0.1"},
		// One whose header does not is a message table of its class.
		{"class from the JSON", `local m = nl.from_json(nl.json(unset)); return m.family, #m:encode(), tostring(m):match('^%S+')`,
			"2 24 ifaddrmsg"},
		// One that does not encode stays a table, whose encode says why.
		{"does not encode", `local m = nl.from_json('{"header": {"type": 20}, "attrs": [["IFA_LOCL", "x"]]}')
return m.event, m.attrs[1][1], select(2, pcall(m.encode, m)):match('unknown attribute .*')`,
			"nil IFA_LOCL unknown attribute 'IFA_LOCL' in ifaddrmsg_attrs attributes (did you mean 'IFA_LOCAL'?)"},
		{"a length that is not its own", `local m = nl.from_json('{"header": {"type": 20, "length": 99}, "attrs": []}'); return m.header.length, #m:encode()`,
			"99 24"},
		{"a type with no description", `local m = nl.from_json('{"header": {"type": 96}, "payload": {"hex": "0200"}, "attrs": []}')
return m.event, m.payload == '\2\0', #m:encode()`, "RTM_NEWCACHEREPORT true 18"},
		{"another protocol", `local m = nl.from_json('{"header": {"type": 20}, "protocol": "sock_diag", "payload": {"hex": "02"}, "attrs": []}')
return m.event, nl.json(m):match('"protocol":"sock_diag"') ~= nil, #m:encode()`, "nil true 17"},
		{"trailing bytes", `local m = nl.from_json('{"header": {"type": 20}, "family": 2, "attrs": [], "_tail": {"hex": "0707"}}')
local _ = m.attrs
return m._tail == '\7\7', #m:encode()`, "true 26"},
		{"the shared group of a list", `local l = nl.from_json(nl.json({decoded, droute, decoded}))
return #l, l[1].event, l[2].event, getmetatable(l[1]) == getmetatable(l[3])`, "3 RTM_NEWLINK RTM_NEWROUTE true"},
		{"a nest has the methods", `local n = nl.from_json('{"attrs": [["IFLA_INFO_KIND", "veth"]]}'); return n:get('IFLA_INFO_KIND')`, "veth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var parts []string
			for _, v := range run(t, e, tt.src) {
				parts = append(parts, e.tostring(e.L, v))
			}
			if diff := cmp.Diff(tt.want, strings.Join(parts, " ")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestWriteJSONStreams: WriteJSON passes text on as it goes, and writes
// the same as JSON.
func TestWriteJSONStreams(t *testing.T) {
	e, _ := newEnv(t, "")
	e.L.SetGlobal("dump", lua.LString(benchRouteDump(2000)))
	list := run(t, e, `return rtnl.decode(dump)`)[0]
	want, err := e.JSON(list, JSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var w countingWriter
	if err := e.WriteJSON(&w, list, JSONOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Bytes(), want) {
		t.Error("WriteJSON and JSON differ")
	}
	if w.writes < 2 {
		t.Errorf("%d bytes in %d writes: not streamed", len(want), w.writes)
	}
	var v []any
	if err := json.Unmarshal(want, &v); err != nil || len(v) != 2000 {
		t.Errorf("%d routes, %v", len(v), err)
	}
}

type countingWriter struct {
	bytes.Buffer
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// TestJSONInNamespace dumps a namespace's links and routes to JSON and
// reads them back, as a script piping to jq would.
func TestJSONInNamespace(t *testing.T) {
	ns := nstest.New(t)
	nstest.Topology(t, ns)
	e, _ := newEnv(t, ns)
	out := run(t, e, `
local n = 0
for _, list in ipairs({ip.links(), ip.addrs(), ip.routes(), ip.neighs(), ip.qdiscs()}) do
  local back = nl.from_json(nl.json(list))
  for i, m in ipairs(list) do
    assert(back[i]:encode() == m:encode(), m.event)
    n = n + 1
  end
end
return n`)
	if n := int(lua.LVAsNumber(out[0])); n < 20 {
		t.Errorf("only %d messages", n)
	}
}
