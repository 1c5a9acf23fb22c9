package helptext

import "testing"

// TestUsageModules: every usage text of a module's function belongs to a
// module help() lists.
func TestUsageModules(t *testing.T) {
	have := map[string]bool{}
	for _, m := range Modules {
		have[m.Name] = true
	}
	for _, u := range Usages {
		if m := moduleOf(u.Name); m != "" && !have[m] {
			t.Errorf("usage %s: module %s is not in Modules", u.Name, m)
		}
	}
}
