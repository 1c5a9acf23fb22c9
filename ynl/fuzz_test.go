package ynl

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nlsh/engine"
)

// FuzzParse feeds Parse specs: the installed ones up to 16 KiB (larger
// ones slow every execution down without reaching new code), the
// project's own and the malformed ones of the error tests, mutated. Parse must return a
// spec or an *Error, and never get to its last-resort recover; what it
// returns must be usable by the engine.
func FuzzParse(f *testing.F) {
	for _, dir := range DefaultDirs("") {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml.gz"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				continue
			}
			if text, err := gunzip(file, data); err == nil && len(text) <= 16<<10 {
				f.Add(text)
			}
		}
		if len(files) > 0 {
			break
		}
	}
	for _, file := range testSpecFiles(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(minimal))
	f.Add([]byte(strings.Replace(minimal, "operations:\n", "operations:\n  enum-model: directional\n", 1)))
	f.Add([]byte("name: t\nprotocol: netlink-raw\nprotonum: 0\n" + minimal[len("name: t\n"):]))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("\x1f\x8b\x08\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			var ie *internalError
			if errors.As(err, &ie) {
				t.Fatalf("Parse panicked: %v", err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("not an *Error: %#v", err)
			}
			return
		}
		use(t, s, data)
	})
}

// use puts a spec that loaded to work: a raw protocol for netlink-raw,
// and each operation's layout decoding and re-encoding some bytes.
func use(t *testing.T, s *Spec, data []byte) {
	if s.Protocol == "netlink-raw" {
		if _, err := s.RawProtocol(); err != nil {
			t.Fatal(err)
		}
	}
	body := data[:min(len(data), 96)]
	for i, op := range s.Ops {
		if i == 4 {
			break
		}
		if op.Set == nil && op.Fixed == nil {
			continue
		}
		c := &engine.Class{Name: op.Name, Struct: op.Fixed, Attrs: op.Set}
		r := engine.DecodeRecord(c, body)
		if _, err := engine.EncodeRecord(c, r); err != nil {
			t.Fatalf("%s: decoded bytes do not encode: %v", op.Name, err)
		}
	}
}
