package genl

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"nlsh/engine"
	"nlsh/engine/nstest"
)

var capture = flag.Bool("capture", false, "write the kernel's family dump to testdata/genl/families.bin (the fake's and the fuzzer's seed)")

func dialGeneric(t *testing.T, ns string) *engine.Conn {
	t.Helper()
	cfg := engine.DefaultConnConfig()
	cfg.NetNS = ns
	c, err := engine.Dial(16, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// recorder keeps what a Requester answered, as the datagrams' bytes.
type recorder struct {
	Requester
	got bytes.Buffer
}

func (r *recorder) Request(ctx context.Context, p *engine.Protocol, req []byte) ([]engine.Message, error) {
	msgs, err := r.Requester.Request(ctx, p, req)
	for i := range msgs {
		b := msgs[i].Bytes()
		r.got.Write(b)
		r.got.Write(make([]byte, (4-len(b)%4)%4))
	}
	return msgs, err
}

// TestKernelFamilies lists the families of a fresh namespace and checks
// them against iproute2's `genl ctrl list`, which reads the same kernel:
// the same names with the same ids, versions, commands and groups. Every
// message re-encodes to the bytes the kernel sent.
func TestKernelFamilies(t *testing.T) {
	ns := nstest.New(t)
	c := dialGeneric(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rec := &recorder{Requester: c}
	tab := NewTable(nil)
	got, err := tab.List(ctx, rec)
	if err != nil {
		t.Fatal(err)
	}
	want := genlCtrlList(t, ns)
	var gotSum []string
	for _, b := range got {
		gotSum = append(gotSum, summarise(b.Kernel))
	}
	if diff := cmp.Diff(want, gotSum); diff != "" {
		t.Errorf("families (-genl ctrl list +nlsh):\n%s", diff)
	}
	msgs, err := engine.Split(rec.got.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for i := range msgs {
		m := &msgs[i]
		if mt := m.Type(tab.Protocol()); mt == nil || mt.Title() != "nlctrl getfamily" {
			t.Errorf("message %d resolves to %v, want nlctrl getfamily", i, mt)
		}
		again, err := engine.EncodeMessage(m.Header, m.Type(tab.Protocol()).Class, m.Decode(tab.Protocol()))
		if err != nil || !bytes.Equal(again, m.Bytes()) {
			t.Errorf("message %d does not re-encode to its bytes (%v)", i, err)
		}
	}
	if *capture {
		if err := os.WriteFile(filepath.Join("..", "testdata", "genl", "families.bin"), rec.got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := tab.Lookup(ctx, c, "nlctrl")
	if err != nil || b.ID != CtrlID {
		t.Fatalf("Lookup(nlctrl) = %v, %v", b, err)
	}
	if _, err := tab.Lookup(ctx, c, "no-such-family"); err == nil || !bytes.Contains([]byte(err.Error()), []byte(`no such generic netlink family: "no-such-family"`)) {
		t.Errorf("Lookup of a missing family: %v", err)
	}
}

func summarise(in Info) string {
	s := in.Name + " id=" + strconv.Itoa(int(in.ID)) + " version=" + strconv.Itoa(int(in.Version)) + " cmds="
	var cmds []int
	for _, o := range in.Ops {
		cmds = append(cmds, int(o.Cmd))
	}
	sort.Ints(cmds)
	for i, c := range cmds {
		if i > 0 {
			s += ","
		}
		s += strconv.Itoa(c)
	}
	s += " groups="
	var gs []string
	for _, g := range in.Groups {
		gs = append(gs, g.Name+":"+strconv.Itoa(int(g.ID)))
	}
	sort.Strings(gs)
	for i, g := range gs {
		if i > 0 {
			s += ","
		}
		s += g
	}
	return s
}

// genlCtrlList parses `genl ctrl list` into the same summaries.
func genlCtrlList(t *testing.T, ns string) []string {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "genl", "ctrl", "list").CombinedOutput()
	if err != nil {
		t.Fatalf("genl ctrl list: %v\n%s", err, out)
	}
	name := regexp.MustCompile(`^Name: (\S+)`)
	id := regexp.MustCompile(`^\s+ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)`)
	op := regexp.MustCompile(`^\s+#\d+:\s+ID-0x([0-9a-f]+)(\s+name: (\S+))?`)
	var infos []Info
	inGroups := false
	for _, line := range strings.Split(string(out), "\n") {
		if m := name.FindStringSubmatch(line); m != nil {
			infos = append(infos, Info{Name: m[1]})
			inGroups = false
			continue
		}
		if len(infos) == 0 {
			continue
		}
		cur := &infos[len(infos)-1]
		switch m := id.FindStringSubmatch(line); {
		case m != nil:
			n, _ := strconv.ParseUint(m[1], 16, 16)
			v, _ := strconv.ParseUint(m[2], 16, 32)
			cur.ID, cur.Version = uint16(n), uint32(v)
		case strings.Contains(line, "multicast groups"):
			inGroups = true
		}
		if m := op.FindStringSubmatch(line); m != nil {
			n, _ := strconv.ParseUint(m[1], 16, 32)
			if inGroups {
				cur.Groups = append(cur.Groups, Group{Name: m[3], ID: uint32(n)})
			} else {
				cur.Ops = append(cur.Ops, KernelOp{Cmd: uint32(n)})
			}
		}
	}
	var sums []string
	for _, in := range infos {
		sums = append(sums, summarise(in))
	}
	sort.Strings(sums)
	return sums
}
