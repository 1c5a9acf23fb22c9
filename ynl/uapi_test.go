package ynl

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// uapiFamily says how a family's numbers are named in the installed
// uAPI headers. The generic families' headers follow the spec's naming
// rules (or did before the kernel generated them); rtnetlink's and
// nftables' predate the specs, so their message names are written here.
type uapiFamily struct {
	headers []string
	req     func(op *Op) string // the C expression of the request id, "" for none
	rsp     func(op *Op) string // of the reply id
	attrs   bool                // also check attribute C names
	enums   bool                // and enum value C names
}

func cnameReq(op *Op) string { return op.CName }
func cnameRsp(op *Op) string { return op.ReplyCName }

// rtm names rtnetlink's messages: getlink is RTM_GETLINK and answers
// with RTM_NEWLINK.
func rtmReq(op *Op) string { return "RTM_" + cUpper(op.Name) }
func rtmRsp(op *Op) string {
	return "RTM_NEW" + strings.TrimPrefix(cUpper(op.Name), "GET")
}

// nft names nftables' messages: the subsystem in the high byte.
func nftReq(op *Op) string {
	switch op.Name {
	case "batch-begin", "batch-end":
		return "NFNL_MSG_" + cUpper(op.Name)
	}
	return "(NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_" + cUpper(op.Name) + ")"
}
func nftRsp(op *Op) string {
	if op.Name == "batch-begin" {
		return "NFNL_MSG_BATCH_BEGIN"
	}
	n := strings.TrimSuffix(strings.TrimPrefix(cUpper(op.Name), "GET"), "_RESET")
	return "(NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEW" + n + ")"
}

// devlink numbers its commands in one enum, but a get is answered with
// the matching new command, which the spec writes as directional ids.
var devlinkNew = map[string]bool{
	"get": true, "port-get": true, "sb-get": true, "sb-pool-get": true, "sb-port-pool-get": true,
	"sb-tc-pool-bind-get": true, "trap-get": true, "trap-group-get": true, "trap-policer-get": true,
	"rate-get": true, "linecard-get": true,
}

var uapiFamilies = map[string]uapiFamily{
	"ethtool": {headers: []string{"linux/ethtool_netlink.h"}, req: cnameReq, rsp: cnameRsp, attrs: true, enums: true},
	// nlctrl's enums are netlink.h's NL_ATTR_TYPE_* and GENL_*, which
	// predate the spec and do not follow its rules.
	"nlctrl": {headers: []string{"linux/genetlink.h"}, req: cnameReq, attrs: true, rsp: func(op *Op) string {
		return map[string]string{"getfamily": "CTRL_CMD_NEWFAMILY", "getpolicy": "CTRL_CMD_GETPOLICY"}[op.Name]
	}},
	"devlink": {headers: []string{"linux/devlink.h"}, req: cnameReq, attrs: true, enums: true, rsp: func(op *Op) string {
		if devlinkNew[op.Name] {
			return strings.TrimSuffix(op.CName, "_GET") + "_NEW"
		}
		return op.CName
	}},
	"fou":          {headers: []string{"linux/fou.h"}, req: cnameReq, rsp: cnameRsp, attrs: true, enums: true},
	"mptcp_pm":     {headers: []string{"linux/mptcp.h"}, req: cnameReq, rsp: cnameRsp, attrs: true, enums: true},
	"tcp_metrics":  {headers: []string{"linux/tcp_metrics.h"}, req: cnameReq, rsp: cnameRsp, attrs: true, enums: true},
	"team":         {headers: []string{"linux/if_team.h"}, req: cnameReq, rsp: cnameRsp, attrs: true, enums: true},
	"ovs_datapath": {headers: []string{"linux/openvswitch.h"}, req: cnameReq, rsp: cnameRsp, attrs: true, enums: true},
	"ovs_flow":     {headers: []string{"linux/openvswitch.h"}, req: cnameReq, rsp: cnameRsp, attrs: true, enums: true},
	"ovs_vport":    {headers: []string{"linux/openvswitch.h"}, req: cnameReq, rsp: cnameRsp, attrs: true, enums: true},
	"rt_link":      {headers: []string{"linux/rtnetlink.h"}, req: rtmReq, rsp: rtmRsp},
	"rt_addr":      {headers: []string{"linux/rtnetlink.h"}, req: rtmReq, rsp: rtmRsp},
	"rt_route":     {headers: []string{"linux/rtnetlink.h"}, req: rtmReq, rsp: rtmRsp},
	"tc":           {headers: []string{"linux/rtnetlink.h"}, req: rtmReq, rsp: rtmRsp},
	"nftables": {headers: []string{"linux/netlink.h", "linux/netfilter/nfnetlink.h", "linux/netfilter/nf_tables.h"},
		req: nftReq, rsp: nftRsp},
}

// uapiDisagree are numbers where the spec and the headers differ, each
// with the reason. Where the running kernel (newer than the headers)
// changed a number the spec wins; where the spec is wrong it is listed
// as a spec bug, and loaded as it is.
var uapiDisagree = map[string]string{
	// linux/netlink.h: NL_POLICY_TYPE_ATTR_PAD = 11, NL_POLICY_TYPE_ATTR_MASK = 12,
	// as the kernel sends them; the spec lists mask before pad.
	"nlctrl policy-attrs.mask": "spec bug: mask and pad swapped (the kernel sends mask as 12)",
	"nlctrl policy-attrs.pad":  "spec bug: mask and pad swapped (the kernel sends pad as 11)",
}

// TestUAPIIDs checks the message ids the specs give (requests and
// replies, unified and directional) and, for families whose headers
// follow the spec's naming, every attribute number and enum value,
// against the installed uAPI headers, compiling a program that prints
// them. Names the headers do not have (newer than them) are listed in
// the log, not failed; but most names of each family must be found, so
// that a naming mistake cannot pass by finding nothing.
func TestUAPIIDs(t *testing.T) {
	cc, err := exec.LookPath("gcc")
	if err != nil {
		if os.Getenv("NLSH_REQUIRE_NETNS") == "1" {
			t.Fatal("gcc is needed to check the specs' ids against the uapi headers")
		}
		t.Skip("gcc not installed")
	}
	specs := installedSpecs(t)
	var files []string
	for f := range uapiFamilies {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		uf := uapiFamilies[f]
		t.Run(f, func(t *testing.T) {
			if specs[f] == "" {
				t.Skipf("%s is not installed", f)
			}
			s, err := Load(specs[f])
			if err != nil {
				t.Fatal(err)
			}
			var checks []uapiValue
			ids := 0
			for _, op := range s.Ops {
				if op.Request >= 0 {
					if e := uf.req(op); e != "" {
						checks = append(checks, uapiValue{op.Name + " request", e, int64(op.Request)})
						ids++
					}
				}
				if op.Reply >= 0 {
					if e := uf.rsp(op); e != "" {
						checks = append(checks, uapiValue{op.Name + " reply", e, int64(op.Reply)})
						ids++
					}
				}
			}
			if uf.attrs {
				for _, set := range s.Sets {
					for _, a := range set.Attrs {
						if !strings.Contains(a.CName, " ") {
							checks = append(checks, uapiValue{set.Name + "." + a.Name, a.CName, int64(a.Type)})
						}
					}
				}
			}
			if uf.enums {
				for _, e := range s.Enums {
					for i, cn := range s.EnumCNames(e) {
						checks = append(checks, uapiValue{e.Name + "." + e.Values[i].Name, cn, int64(e.Values[i].Value)})
					}
				}
			}
			got, missing := uapiCompile(t, cc, uf.headers, checks)
			found := 0
			for _, c := range checks {
				v, ok := got[c.expr]
				if !ok {
					continue
				}
				found++
				if v != c.want {
					if why := uapiDisagree[f+" "+c.label]; why != "" {
						t.Logf("%s: spec %d, headers %d: %s", c.label, c.want, v, why)
						continue
					}
					t.Errorf("%s (%s): spec gives %d, uapi headers %d", c.label, c.expr, c.want, v)
				}
			}
			sort.Strings(missing)
			t.Logf("%d of %d names checked (%d message ids); not in the installed headers: %s", found, len(checks), ids, strings.Join(missing, " "))
			if found*10 < len(checks)*6 {
				t.Errorf("only %d of %d names found in the headers: is the naming right?", found, len(checks))
			}
		})
	}
}

type uapiValue struct {
	label, expr string
	want        int64
}

var undeclared = regexp.MustCompile(`['‘]([A-Za-z_][A-Za-z0-9_]*)['’] undeclared`)

// uapiCompile prints each expression's value with the C compiler's
// help. Expressions naming something the headers lack are dropped (and
// returned) until the program compiles.
func uapiCompile(t *testing.T, cc string, headers []string, checks []uapiValue) (map[string]int64, []string) {
	t.Helper()
	dir := t.TempDir()
	exprs := map[string]bool{}
	for _, c := range checks {
		exprs[c.expr] = true
	}
	var missing []string
	for try := 0; try < 20; try++ {
		var keys []string
		for e := range exprs {
			keys = append(keys, e)
		}
		sort.Strings(keys)
		var src strings.Builder
		src.WriteString("#include <sys/socket.h>\n#include <linux/types.h>\n")
		for _, h := range headers {
			fmt.Fprintf(&src, "#include <%s>\n", h)
		}
		src.WriteString("#include <stdio.h>\nint main(void) {\n")
		for i, e := range keys {
			fmt.Fprintf(&src, "printf(\"%d %%lld\\n\", (long long)(%s));\n", i, e)
		}
		src.WriteString("return 0; }\n")
		cfile := filepath.Join(dir, "uapi.c")
		if err := os.WriteFile(cfile, []byte(src.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(dir, "uapi")
		out, err := exec.Command(cc, "-w", "-fmax-errors=0", "-o", bin, cfile).CombinedOutput()
		if err != nil {
			ms := undeclared.FindAllStringSubmatch(string(out), -1)
			if len(ms) == 0 {
				t.Fatalf("compiling the uapi check failed:\n%s", out)
			}
			dropped := 0
			for _, m := range ms {
				for e := range exprs {
					if regexp.MustCompile(`\b` + m[1] + `\b`).MatchString(e) {
						delete(exprs, e)
						missing = append(missing, m[1])
						dropped++
					}
				}
			}
			if dropped == 0 {
				t.Fatalf("compiling the uapi check failed:\n%s", out)
			}
			continue
		}
		out, err = exec.Command(bin).Output()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			var i int
			var v int64
			if _, err := fmt.Sscanf(l, "%d %d", &i, &v); err != nil || i >= len(keys) {
				t.Fatalf("bad line %q", l)
			}
			got[keys[i]] = v
		}
		return got, dedupe(missing)
	}
	t.Fatal("the uapi check never compiled")
	return nil, nil
}

func dedupe(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
