package luabind

import (
	"strings"
	"testing"
)

// TestExplainBoxes: nl.explain and msg:explain draw boxes when asked, with
// the spot an error points at marked.
func TestExplainBoxes(t *testing.T) {
	e, out := newEnv(t, "")
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{`local m = rtnl.ifaddrmsg{family = AF_INET, prefixlen = 24, index = 3}
		  m.header.type = RTM_NEWADDR
		  m.attrs = {{'IFA_LOCAL', '10.0.0.1'}, {'IFA_LABEL', 'v0'}}
		  nl.explain(m, {boxes = true})`, []string{
			"0000  ----", "| struct nlmsghdr: RTM_NEWADDR ", "| struct ifaddrmsg ", "index (ifa_index) = 3",
			"| struct nlattr: IFA_LABEL ", "7 bytes |", "| padding ", "1 byte |",
		}},
		{`local m = rtnl.ifinfomsg()
		  m.header.type = RTM_NEWLINK
		  m.attrs = {{'IFLA_LINKINFO', {{'IFLA_INFO_KIND', 'veth'}}}}
		  print(m:explain({boxes = true, text = true, mark = 36}))`, []string{
			"|   | struct nlattr: IFLA_INFO_KIND ", "|   |   nla_len = 9   <-- here",
		}},
	} {
		out.Reset()
		run(t, e, tc.src)
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s\nlacks %q:\n%s", tc.src, w, out)
			}
		}
	}
}
