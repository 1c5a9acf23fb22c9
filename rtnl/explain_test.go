package rtnl

import (
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
)

var update = flag.Bool("update", false, "rewrite golden files")

// explainCases are real kernel messages (the first of some dumps) and
// corrupt inputs; each has a golden explanation in testdata/explain.
func explainCases(t *testing.T) map[string][]byte {
	t.Helper()
	cases := map[string][]byte{}
	// Each dump's message that shows the most: a bridge port (nested
	// sub-messages), a multipath route, a u32 filter with its key, …
	for name, path := range map[string][]string{
		"links": {"IFLA_LINKINFO", "IFLA_INFO_SLAVE_DATA"}, "addrs": {"IFA_LABEL"},
		"routes": {"RTA_MULTIPATH"}, "neighs": {"NDA_LLADDR"}, "rules": {"FRA_SRC"},
		"qdiscs": {"TCA_OPTIONS", "TCA_HTB_INIT"}, "classes": {"TCA_OPTIONS", "TCA_HTB_PARMS"},
		"filters": {"TCA_OPTIONS", "TCA_U32_SEL"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "dumps", name+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := engine.Split(b)
		if err != nil || len(msgs) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		for _, m := range msgs {
			if len(m.Lookup(Route, path, true)) > 0 {
				cases["dump_"+name] = m.Bytes()
				break
			}
		}
		if cases["dump_"+name] == nil {
			t.Fatalf("no message in %s.bin has %v", name, path)
		}
	}
	// The requests iproute2 sent (the foundation's golden set).
	hexes, _ := filepath.Glob(filepath.Join("..", "testdata", "iproute2", "*.hex"))
	if len(hexes) < 9 {
		t.Fatalf("only %d iproute2 golden requests", len(hexes))
	}
	for _, h := range hexes {
		f, err := os.Open(h)
		if err != nil {
			t.Fatal(err)
		}
		pkts, err := engine.ReadCapture(f)
		f.Close()
		if err != nil || len(pkts) != 1 {
			t.Fatalf("%s: %v", h, err)
		}
		cases["iproute2_"+strings.TrimSuffix(filepath.Base(h), ".hex")] = pkts[0].Data
	}
	addr := mustHex(t, "28000000140005060100000000000000"+"0218000003000000"+"08000200" /* IFA_LOCAL */ +"0a000001"+"08000100"+"0a000001")
	cases["short_header"] = addr[:10]
	cases["nla_len_zero"] = append(append([]byte{}, addr[:24]...), mustHex(t, "00000200")...)
	past := append([]byte{}, addr...)
	past[24] = 0x20 // IFA_LOCAL's nla_len runs past the end
	cases["nla_len_past_end"] = past
	odd := mustHex(t, "24000000100005060000000000000000"+"0000000000000000000000000000000"+"0"+"0700030076300000")
	odd[0] = byte(len(odd))
	odd[len(odd)-1] = 0xaa // non-zero padding after IFLA_IFNAME
	cases["odd_padding"] = odd
	cases["nlmsg_len_past_end"] = addr[:32]
	return cases
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExplainGolden(t *testing.T) {
	for name, b := range explainCases(t) {
		t.Run(name, func(t *testing.T) {
			got := engine.FormatExplain(engine.Explain(Route, b, engine.ExplainOptions{Mark: -1}))
			checkExplained(t, b, engine.Explain(Route, b, engine.ExplainOptions{Mark: -1}))
			golden := filepath.Join("..", "testdata", "explain", name+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./rtnl -run TestExplainGolden -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("explain %s (-want +got):\n%s", name, diff)
			}
		})
	}
}

// checkExplained verifies that the rows account for every byte exactly once,
// in order, and that corrupt input ends with a row naming the break.
func checkExplained(t *testing.T, b []byte, lines []engine.Line) {
	t.Helper()
	next := 0
	for _, l := range lines {
		if len(l.Bytes) == 0 {
			continue
		}
		if l.Offset != next {
			t.Fatalf("row at offset %d, expected %d (%q)", l.Offset, next, l.Text)
		}
		next += len(l.Bytes)
	}
	if next != len(b) {
		broke := len(lines) > 0 && lines[len(lines)-1].Error
		if !broke {
			t.Errorf("rows cover %d of %d bytes and name no break", next, len(b))
		}
	}
}

func TestExplainMarksOffset(t *testing.T) {
	b := mustHex(t, "28000000140005060100000000000000"+"0218000003000000"+"080002000a000001"+"080001000a000001")
	out := engine.FormatExplain(engine.Explain(Route, b, engine.ExplainOptions{Mark: 28}))
	var marked []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "<-- here") {
			marked = append(marked, l)
		}
	}
	if len(marked) != 1 || !strings.Contains(marked[0], "IFA_LOCAL = 10.0.0.1") {
		t.Errorf("marked rows %q", marked)
	}
}

// TestExplainIfiTypeZero checks how ifinfomsg.ifi_type 0 is named: in a
// request it leaves the device type unspecified; only in what the kernel
// sends does 0 mean ARPHRD_NETROM.
func TestExplainIfiTypeZero(t *testing.T) {
	for _, c := range []struct {
		name  string
		flags string // nlmsg_flags, little-endian hex
		dir   engine.Direction
		want  string
	}{
		{"request", "0100", engine.DirAuto, "ifinfomsg.ifi_type = 0 (unspecified)"},
		{"reply", "0000", engine.DirAuto, "ifinfomsg.ifi_type = 0 ARPHRD_NETROM"},
		{"reply read as a request", "0000", engine.DirRequest, "ifinfomsg.ifi_type = 0 (unspecified)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := mustHex(t, "20000000"+"1000"+c.flags+"0000000000000000"+strings.Repeat("00", 16))
			var got string
			for _, l := range engine.Explain(Route, b, engine.ExplainOptions{Mark: -1, Dir: c.dir}) {
				if strings.Contains(l.Text, "ifi_type") {
					got = l.Text
				}
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("ifi_type row (-want +got):\n%s", diff)
			}
		})
	}
}

var structRow = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\.[^=]*? = `)

// boxCases are the explanations also kept drawn as boxes: a request, nests
// three deep, records, an error with its extended ACK, a failed dump's
// NLMSG_DONE, and broken input.
var boxCases = []string{
	"iproute2_addr4", "iproute2_link_veth", "iproute2_route_multipath", "dump_links",
	"error_ext_ack", "done_error", "odd_padding", "nla_len_past_end", "short_header", "nlmsg_len_past_end",
}

// replyCases are replies the kernel sent: an error with a policy in its
// extended ACK, and the NLMSG_DONE of a refused dump.
func replyCases(t *testing.T) map[string][]byte {
	return map[string][]byte{
		"error_ext_ack": mustHex(t, "980000000200000207000000d2090000deffffff30000000100005000700000000000000000000000200000000000000"+
			"000000000700030076310000060004000100000027000100417474726962757465206661696c656420706f6c6963792076616c69646174696f6e"+
			"00000800020028000000240004800c00040000000000000000000c000500ffffffff000000000800010004000000"),
		"done_error": mustHex(t, "480000000300020208000000d2090000eaffffff33000100496e76616c69642076616c75657320696e2068656164"+
			"657220666f72206c696e6b2064756d7020726571756573740000"),
	}
}

// TestExplainBoxesGolden draws messages as boxes (nl.explain(m, {boxes =
// true})) and compares them with testdata/explain/boxes_*.txt; every
// explanation of the golden set draws, each of its rows in the drawing.
func TestExplainBoxesGolden(t *testing.T) {
	cases := explainCases(t)
	for name, b := range replyCases(t) {
		cases[name] = b
	}
	for name, b := range cases {
		lines := engine.Explain(Route, b, engine.ExplainOptions{Mark: -1})
		got := engine.FormatBoxes(lines)
		for _, l := range lines {
			// A struct's rows lose the struct's name, which titles their box.
			text := l.Text
			if m := structRow.FindStringSubmatch(text); m != nil {
				text = strings.Replace(text[len(m[1])+1:], "(msg.", "(", 1)
			}
			if !strings.Contains(got, text) {
				t.Errorf("%s: the boxes lack the row %q:\n%s", name, text, got)
				break
			}
		}
	}
	for _, name := range boxCases {
		t.Run(name, func(t *testing.T) {
			got := engine.FormatBoxes(engine.Explain(Route, cases[name], engine.ExplainOptions{Mark: -1}))
			golden := filepath.Join("..", "testdata", "explain", "boxes_"+name+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./rtnl -run TestExplainBoxesGolden -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("boxes %s (-want +got):\n%s", name, diff)
			}
		})
	}
}
