package engine

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClosest(t *testing.T) {
	names := []string{"IFA_LOCAL", "IFA_ADDRESS", "IFA_LABEL", "IFA_FLAGS", "ifaddrmsg", "ifinfomsg", "RTM_NEWADDR", "RTM_DELADDR"}
	for _, tc := range []struct {
		n    string
		max  int
		want []string
	}{
		{"IFA_LOCL", 3, []string{"IFA_LOCAL", "IFA_LABEL", "IFA_FLAGS"}},
		{"ifadrmsg", 1, []string{"ifaddrmsg"}},
		{"ADDR", 5, []string{"ifaddrmsg", "IFA_ADDRESS", "RTM_NEWADDR", "RTM_DELADDR"}},
		{"rtm_newaddr", 1, []string{"RTM_NEWADDR"}},
		{"zzzzzzzzzzzzzzzz", 5, nil},
		{"LOCAL_IFAX", 5, nil}, // 6 edits from IFA_LOCAL: too far to be a hint
		{"IFA_LBL", 1, []string{"IFA_LABEL"}},
		{strings.Repeat("IFA_LOCAL", 1000), 5, nil},
	} {
		if diff := cmp.Diff(tc.want, Closest(tc.n, names, tc.max)); diff != "" {
			t.Errorf("Closest(%.20q) (-want +got):\n%s", tc.n, diff)
		}
	}
}

// TestClosestUnchanged: bounding the work changed no suggestion: Closest
// agrees with the unbounded version (kept here) on many near misses.
func TestClosestUnchanged(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		const letters = "abcdAB_1"
		b := make([]byte, n)
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		return string(b)
	}
	var cands []string
	for range 200 {
		cands = append(cands, word(1+r.IntN(40)))
	}
	for i := range 1200 {
		var n string
		switch i % 3 {
		case 0:
			n = word(1 + r.IntN(50))
		case 1: // a candidate with a letter changed, dropped or added
			c := []byte(cands[r.IntN(len(cands))])
			k := r.IntN(len(c))
			switch r.IntN(3) {
			case 0:
				c[k] = 'x'
			case 1:
				c = append(c[:k], c[k+1:]...)
			case 2:
				c = append(c[:k], append([]byte{'y'}, c[k:]...)...)
			}
			n = string(c)
		case 2: // part of a candidate
			c := cands[r.IntN(len(cands))]
			a := r.IntN(len(c))
			n = c[a : a+1+r.IntN(len(c)-a)]
		}
		if diff := cmp.Diff(unboundedClosest(n, cands, 5), Closest(n, cands, 5)); diff != "" {
			t.Fatalf("Closest(%q) (-unbounded +bounded):\n%s", n, diff)
		}
	}
}

// TestClosestHuge: a megabyte name costs no edit distance at all (the
// unbounded version spent minutes on the first call here).
func TestClosestHuge(t *testing.T) {
	cands := make([]string, 2000)
	for i := range cands {
		cands[i] = strings.Repeat("x", i%64)
	}
	huge := strings.Repeat("x", 1<<20)
	if got := Closest(huge, cands, 5); got != nil {
		t.Errorf("Closest of 1 MiB = %v, want nothing", got)
	}
	if got := Closest(huge[:256], cands, 1); len(got) != 0 {
		t.Errorf("Closest of 256 bytes = %v, want nothing (no candidate is near)", got)
	}
	// Candidates 63 bytes long are within reach of a 120-byte name: the
	// edit distances computed are those, and short.
	if got := Closest(huge[:120], cands, 1); len(got) != 1 || got[0] != strings.Repeat("x", 63) {
		t.Errorf("Closest of 120 bytes = %v", got)
	}
}

// unboundedClosest is Closest as it was before its work was bounded, with
// the same limit.
func unboundedClosest(n string, candidates []string, max int) []string {
	type scored struct {
		s string
		d int
	}
	var ss []scored
	ln := strings.ToLower(n)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := editDistance(ln, lc)
		if strings.HasPrefix(lc, ln) || strings.Contains(lc, ln) {
			d = d / 3
		}
		if d <= closestLimit(n) {
			ss = append(ss, scored{c, d})
		}
	}
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].d < ss[j].d })
	var out []string
	for i := 0; i < len(ss) && i < max; i++ {
		out = append(out, ss[i].s)
	}
	return out
}
