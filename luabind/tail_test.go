package luabind

import (
	"strings"
	"testing"
)

// TestTrailingBytes: bytes after the last attribute that do not parse
// survive a re-encode once the attributes have been touched (or changed),
// in a message and in a struct, and print and explain show them.
func TestTrailingBytes(t *testing.T) {
	tests := []struct {
		name    string
		build   string // Lua making b, the bytes
		touch   string // Lua touching d, the decoded message
		print   string // a line print(d) must hold
		explain string // and nl.explain(d)
	}{
		{
			name: "message attrs end in garbage",
			build: `local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = 2,
  header = {type = RTM_NEWADDR}, attrs = {{'IFA_LOCAL', '10.0.0.1'}}}
b = m:encode() .. '\1\2\3'`,
			touch:   `local _ = d.attrs[1][2]`,
			print:   "  _tail: 3 bytes that do not parse: 01 02 03",
			explain: "0020  01 02 03                 !! 3 stray bytes at offset 32: too short for a 4-byte attribute header",
		},
		{
			name: "garbage after a changed attribute",
			build: `local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = 2,
  header = {type = RTM_NEWADDR}, attrs = {{'IFA_LOCAL', '10.0.0.1'}}}
b = m:encode() .. '\255\0\9\9\9\9'`,
			touch:   `d.attrs[1][2] = '10.0.0.1'; d.prefixlen = 24`,
			print:   "  _tail: 6 bytes that do not parse: ff 00 09 09 09 09",
			explain: "!! nla_len 255 runs past the end of the message",
		},
		{
			name: "struct longer than known",
			build: `local m = rtnl.ifaddrmsg{family = AF_INET, header = {type = RTM_NEWADDR},
  attrs = {{'IFA_CACHEINFO', nl.raw(string.rep('\0', 16) .. '\7\7\7\7')}}}
b = m:encode()`,
			touch:   `local _ = d.attrs[1][2].cstamp`,
			print:   "IFA_CACHEINFO: {ifa_preferred=0, ifa_valid=0, cstamp=0, tstamp=0, _tail=4 bytes that do not parse: 07 07 07 07}",
			explain: "002c  07 07 07 07                4 bytes beyond ifa_cacheinfo (fields a newer kernel added)",
		},
		{
			name:    "body shorter than its header",
			build:   `b = '\20\0\0\0\20\0\0\0\0\0\0\0\0\0\0\0\2\24\0\0'`,
			touch:   `local _ = d.attrs`,
			print:   "  _tail: 4 bytes that do not parse: 02 18 00 00",
			explain: "0010  02 18 00 00",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, out := newEnv(t, "")
			run(t, e, tt.build+`
b = string.char(#b) .. b:sub(2)   -- nlmsg_len counts the garbage
d = rtnl.decode(b)[1]
`+tt.touch+`
assert(d:encode() == b, 'encode lost bytes: ' .. #d:encode() .. ' of ' .. #b)
assert(rtnl.decode(d:encode())[1]:encode() == b)
print(d)
nl.explain(d)
`)
			if !strings.Contains(out.String(), tt.print+"\n") {
				t.Errorf("print does not show the trailing bytes as %q:\n%s", tt.print, out)
			}
			if !strings.Contains(out.String(), tt.explain) {
				t.Errorf("explain does not show the trailing bytes as %q:\n%s", tt.explain, out)
			}
		})
	}
}
