package ynl

import "testing"

// BenchmarkLoadEthtool loads ethtool's spec from its installed file
// (gunzip, YAML, descriptions): the cost of the first use of a family.
// The target is at most 20 ms.
func BenchmarkLoadEthtool(b *testing.B) {
	path := installedSpecs(b)["ethtool"]
	if path == "" {
		b.Skip("no ethtool spec")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadAll loads every installed spec once per iteration.
func BenchmarkLoadAll(b *testing.B) {
	specs := installedSpecs(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, path := range specs {
			if _, err := Load(path); err != nil {
				b.Fatal(err)
			}
		}
	}
}
