package main

import "testing"

// TestLimitFor: a small heap may grow to the soft budget; a large one by
// its headroom, never less than minHeadroom, nor less than an eighth of
// itself.
func TestLimitFor(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct{ live, other, want uint64 }{
		{4 * mib, 8 * mib, softBudget},
		{150 * mib, 10 * mib, softBudget},
		{190 * mib, 10 * mib, 190*mib + 10*mib + minHeadroom},
		{1024 * mib, 20 * mib, 1024*mib + 20*mib + 128*mib},
	} {
		if got := limitFor(tc.live, tc.other); got != tc.want {
			t.Errorf("limitFor(%d MiB, %d MiB) = %d MiB, want %d MiB", tc.live/mib, tc.other/mib, got/mib, tc.want/mib)
		}
	}
}
