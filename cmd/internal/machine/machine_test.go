package machine

import (
	"regexp"
	"testing"
)

func TestDescribe(t *testing.T) {
	d := Describe()
	if !regexp.MustCompile(`^.+: .+, \d+ CPUs, Linux \S+$`).MatchString(d) {
		t.Errorf("Describe() = %q, want \"host: CPU, N CPUs, Linux release\"", d)
	}
}
