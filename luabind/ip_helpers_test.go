package luabind

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"nlsh/engine/nstest"
)

// Helpers for the ip module's tests: each test gets a fresh namespace with an
// Env bound to it, and checks the kernel's state with iproute2's JSON output,
// never with nlsh itself.

// ipEnv returns a new namespace, an Env whose sockets (and ip module) work
// in it, and the buffer print writes to.
func ipEnv(t *testing.T) (string, *Env) {
	t.Helper()
	ns := nstest.New(t)
	e, _ := newEnv(t, ns)
	return ns, e
}

// ipJSON runs `ip -n ns -j args…` and decodes its JSON list.
func ipJSON(t *testing.T, ns string, args ...string) []map[string]any {
	t.Helper()
	return runJSON(t, append([]string{"ip", "-n", ns, "-j"}, args...))
}

// tcJSON runs `tc -j args…` inside ns and decodes its JSON list.
func tcJSON(t *testing.T, ns string, args ...string) []map[string]any {
	t.Helper()
	return runJSON(t, append([]string{"ip", "netns", "exec", ns, "tc", "-j"}, args...))
}

func runJSON(t *testing.T, argv []string) []map[string]any {
	t.Helper()
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	var v []map[string]any
	if len(strings.TrimSpace(string(out))) == 0 {
		return nil
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return v
}

// find returns the first object whose key equals want (compared as text).
func find(objs []map[string]any, key string, want any) map[string]any {
	for _, o := range objs {
		if v, ok := o[key]; ok && jsonText(v) == jsonText(want) {
			return o
		}
	}
	return nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}
