package rtnl

import (
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
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
