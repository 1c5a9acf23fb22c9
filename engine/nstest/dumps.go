package nstest

import (
	"os"
	"path/filepath"
	"testing"

	"nlsh/engine"
)

// KernelMessages returns every message of the kernel dumps recorded in dir
// (testdata/dumps, written by rtnl's kernel round-trip test), each as it was
// on the wire: the seeds of the fuzz targets, so that they start from what a
// real kernel sends.
func KernelMessages(tb testing.TB, dir string) [][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.bin"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no kernel dumps in %s (%v)", dir, err)
	}
	var out [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		msgs, err := engine.Split(b)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		for i := range msgs {
			out = append(out, msgs[i].Bytes())
		}
	}
	return out
}
