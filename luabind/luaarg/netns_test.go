package luaarg

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"
)

func TestNetnsArg(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	tests := []struct {
		in   lua.LValue
		want string // the namespace, or the error
	}{
		{lua.LString("blue"), "blue"},
		{lua.LString("/run/netns/blue"), "/run/netns/blue"},
		{lua.LString("1234"), "1234"}, // a string is a name, as `ip -n 1234`
		{lua.LNumber(1234), "/proc/1234/ns/net"},
		{lua.LNumber(1), "/proc/1/ns/net"},
		{lua.LString(""), "error: got an empty string"},
		{lua.LNumber(0), "error: got 0, which is not a process id"},
		{lua.LNumber(-3), "error: got -3, which is not a process id"},
		{lua.LNumber(1.5), "error: got 1.5, which is not a process id"},
		{lua.LNumber(1 << 40), "error: got 1099511627776, which is not a process id"},
		{lua.LFalse, "error: got false"},
		{lua.LTrue, "error: got true"},
		{lua.LNil, "error: got nil"},
		{L.NewTable(), "error: got a table"},
		{L.NewFunction(func(*lua.LState) int { return 0 }), "error: got a function"},
		{L.NewUserData(), "error: got a userdata"},
	}
	for _, tt := range tests {
		got, err := Netns(tt.in)
		if err != nil {
			got = "error: " + err.Error()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Netns(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
}
