package genl

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"nlsh/engine"
)

// familiesDump is the kernel's answer to a getfamily dump in a fresh
// namespace (recorded by TestKernelFamilies -capture).
func familiesDump(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "genl", "families.bin"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeCtrl answers getfamily requests from the recorded dump, as the
// kernel would: the family asked for by name, every family for a dump,
// ENOENT for a name it does not know.
type fakeCtrl struct {
	t    testing.TB
	dump []engine.Message
	sent [][]byte
}

func newFakeCtrl(t testing.TB) *fakeCtrl {
	msgs, err := engine.Split(familiesDump(t))
	if err != nil {
		t.Fatal(err)
	}
	return &fakeCtrl{t: t, dump: msgs}
}

func (f *fakeCtrl) Request(ctx context.Context, p *engine.Protocol, req []byte) ([]engine.Message, error) {
	f.sent = append(f.sent, req)
	ms, err := engine.Split(req)
	if err != nil || len(ms) != 1 {
		f.t.Fatalf("fake: bad request %x", req)
	}
	if ms[0].Header.Flags&engine.NLM_F_DUMP == engine.NLM_F_DUMP {
		return f.dump, nil
	}
	want, _ := ms[0].Decode(p).Get("family-name")
	for _, m := range f.dump {
		if name, _ := m.Decode(p).Get("family-name"); name == want {
			return []engine.Message{m}, nil
		}
	}
	return nil, &engine.Error{Errno: unix.ENOENT, Offset: -1, MissType: -1, MissNest: -1}
}

// TestGetFamilyBytes compares the getfamily request with the one
// iproute2's `genl ctrl get name ethtool` sends (captured with strace):
// the same bytes, except that genl says version 0 and nlsh the family's
// version, 2, as the kernel's own YNL tools do (the kernel ignores it).
func TestGetFamilyBytes(t *testing.T) {
	iproute2 := "20000000100005000000000000000000" + "03000000" + "0c000200657468746f6f6c00"
	want, _ := hex.DecodeString(iproute2)
	want[17] = 2
	tab := NewTable(nil)
	ctrl := tab.ByName("nlctrl")
	got, err := ctrl.Encode(ctrl.Op("getfamily"), engine.NLM_F_REQUEST|engine.NLM_F_ACK, nil,
		engine.Table{List: []any{engine.Table{List: []any{"family_name", "ethtool"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("getfamily request\n got %x\nwant %x", got, want)
	}
}

func TestLookupAndResolve(t *testing.T) {
	fake := newFakeCtrl(t)
	tab := NewTable(nil)
	b, err := tab.Lookup(context.Background(), fake, "ethtool")
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != 21 || b.Family().Source != "kernel" || len(b.Family().Ops) < 30 {
		t.Errorf("ethtool bound as id %d, source %q, %d ops", b.ID, b.Family().Source, len(b.Family().Ops))
	}
	if _, err := tab.Lookup(context.Background(), fake, "nosuch"); !errors.Is(err, ErrNoFamily) {
		t.Errorf("missing family: %v, want ErrNoFamily", err)
	}
	p := tab.Protocol()
	for _, tc := range []struct {
		typ   uint16
		flags uint16
		body  []byte
		want  string
	}{
		{CtrlID, engine.NLM_F_REQUEST, []byte{3, 2, 0, 0}, "nlctrl getfamily"},
		{CtrlID, 0, []byte{1, 2, 0, 0}, "nlctrl getfamily"},
		{CtrlID, engine.NLM_F_REQUEST, []byte{1, 2, 0, 0}, "nlctrl cmd-1"},
		{CtrlID, 0, []byte{2, 2, 0, 0}, "nlctrl delfamily"},
		{CtrlID, 0, nil, "nlctrl"},
		{21, engine.NLM_F_REQUEST, []byte{2, 1, 0, 0}, "ethtool cmd-2"},
		{99, 0, []byte{1, 1, 0, 0}, ""},
		{engine.NLMSG_DONE, 0, nil, "NLMSG_DONE"},
	} {
		got := ""
		if mt := p.Resolve(engine.Header{Type: tc.typ, Flags: tc.flags}, tc.body, engine.DirAuto); mt != nil {
			got = mt.Title()
		}
		if got != tc.want {
			t.Errorf("type %d flags %#x body %x: %q, want %q", tc.typ, tc.flags, tc.body, got, tc.want)
		}
	}
}

// TestLearn binds the families a capture names, as nlsh decode does, and
// forgets one the kernel says went away.
func TestLearn(t *testing.T) {
	tab := NewTable(nil)
	if n := tab.Learn(familiesDump(t)); n != 7 {
		t.Errorf("learned %d families, want the 7 besides nlctrl", n)
	}
	if b := tab.ByName("netdev"); b == nil || b.ID != 20 {
		t.Fatalf("netdev not learned: %v", b)
	}
	if n := tab.Learn(familiesDump(t)); n != 0 {
		t.Errorf("learning the same families again changed %d", n)
	}
	del, err := engine.EncodeMessage(engine.Header{Type: CtrlID}, Ctrl().Op("delfamily").Class, engine.Table{Map: map[string]any{
		"cmd": uint64(CmdDelFamily), "version": uint64(2),
		"attrs": engine.Table{List: []any{engine.Table{List: []any{"family-id", uint64(20)}}, engine.Table{List: []any{"family-name", "netdev"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	tab.Learn(del)
	if b := tab.ByName("netdev"); b != nil {
		t.Error("netdev still bound after delfamily")
	}
	if mt := tab.Protocol().Resolve(engine.Header{Type: 20}, []byte{1}, engine.DirReply); mt != nil {
		t.Errorf("id 20 still resolves to %s", mt.Title())
	}
}

func TestFamilyBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		f    *Family
		want string
	}{
		{&Family{Name: "x", Ops: []*Op{{Name: "a", Req: 1, Reply: 1}, {Name: "a", Req: 2, Reply: 2}}}, "two operations named a"},
		{&Family{Name: "x", Ops: []*Op{{Name: "a", Req: 1, Reply: 1}, {Name: "b", Req: 1, Reply: 2}}}, "a and b are both request command 1"},
		{&Family{Name: "x", Ops: []*Op{{Name: "a", Req: 1, Reply: 1}, {Name: "b", Req: 2, Reply: 1}, {Name: "b", Req: 3, Reply: 1}}}, "two operations named b"},
		{&Family{Name: "x", Ops: []*Op{{Name: "a", Req: 300, Reply: 1}}}, "does not fit genlmsghdr.cmd"},
		{&Family{Name: "x", Fixed: engine.NewStruct("h", engine.Field{Name: "cmd", Kind: engine.U8})}, "has a field named cmd"},
	} {
		err := tc.f.Build()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Build: %v, want %q", err, tc.want)
		}
	}
}

func TestOpNames(t *testing.T) {
	f := Ctrl()
	for _, n := range []string{"getfamily", "CTRL_CMD_GETFAMILY", "newmcast_grp", "newmcast-grp"} {
		if f.Op(n) == nil {
			t.Errorf("Op(%q) not found", n)
		}
	}
	if diff := cmp.Diff([]string{"getfamily", "getpolicy", "delfamily", "newmcast-grp", "delmcast-grp"}, f.OpNames()); diff != "" {
		t.Errorf("ops (-want +got):\n%s", diff)
	}
}

// TestCallResendsOnlyWhenTheIDChanged: a request refused with ENOENT is
// sent again once when the family turns out to have a new id, and never
// when the id is the same (the operation's own ENOENT).
func TestCallResendsOnlyWhenTheIDChanged(t *testing.T) {
	enoent := &engine.Error{Errno: unix.ENOENT, Offset: -1, MissType: -1, MissNest: -1}
	for _, tc := range []struct {
		name     string
		moveTo   uint16 // the id the family has when looked up again (0: unchanged)
		wantSent []uint16
		wantErr  bool
	}{
		{"same id: the refusal stands", 0, []uint16{21}, true},
		{"new id: sent once more", 77, []uint16{21, 77}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFakeCtrl(t)
			tab := NewTable(nil)
			if _, err := tab.Lookup(context.Background(), fake, "ethtool"); err != nil {
				t.Fatal(err)
			}
			if tc.moveTo != 0 {
				// The kernel now answers getfamily ethtool with another id.
				for i := range fake.dump {
					m := &fake.dump[i]
					if n, _ := m.Decode(tab.Protocol()).Get("family-name"); n == "ethtool" {
						rec := m.Decode(tab.Protocol())
						for j := range rec.Attrs {
							if rec.Attrs[j].Name(CtrlAttrs) == "family-id" {
								rec.Attrs[j].Value = uint64(tc.moveTo)
							}
						}
						b, err := engine.EncodeMessage(m.Header, m.Type(tab.Protocol()).Class, rec)
						if err != nil {
							t.Fatal(err)
						}
						ms, _ := engine.Split(b)
						*m = ms[0]
					}
				}
			}
			var sent []uint16
			_, _, err := tab.Call(context.Background(), fake, "ethtool", func(b *Bound) ([]engine.Message, error) {
				sent = append(sent, b.ID)
				if len(sent) == 1 {
					return nil, enoent
				}
				return nil, nil
			})
			if diff := cmp.Diff(tc.wantSent, sent); diff != "" {
				t.Errorf("requests sent to ids (-want +got):\n%s", diff)
			}
			if (err != nil) != tc.wantErr {
				t.Errorf("error %v, want an error: %v", err, tc.wantErr)
			}
		})
	}
}
