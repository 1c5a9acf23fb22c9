package helptext

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// Layout shared by the texts: every text ends in a newline, tables and
// lists are indented by two spaces.

// wrapWidth is where lists of names wrap.
const wrapWidth = 96

// Table renders rows as aligned columns, each line indented by two spaces;
// a nil header is left out.
func Table(header []string, rows [][]string) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	write := func(cells []string) {
		fmt.Fprintf(tw, "  %s\n", strings.Join(cells, "\t"))
	}
	if header != nil {
		write(header)
	}
	for _, r := range rows {
		write(r)
	}
	tw.Flush()
	// tabwriter pads the last column too when a later row is longer.
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// wrap joins words into lines no longer than wrapWidth, each starting with
// indent.
func wrap(indent string, words []string) string {
	var b strings.Builder
	n := 0
	for _, w := range words {
		if n > 0 && n+1+len(w) > wrapWidth {
			b.WriteString("\n")
			n = 0
		}
		if n == 0 {
			b.WriteString(indent)
			n = len(indent)
		} else {
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	if n > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

// Indent indents every non-empty line of s by prefix and ends it in a
// newline.
func Indent(prefix, s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// summary is the start of a usage text for lists: its first sentence when
// that ends on the first line, else the first line.
func summary(s string) string {
	first, rest, more := strings.Cut(s, "\n")
	if i := strings.Index(first+" ", ". "); i >= 0 {
		return first[:i+1]
	}
	if more && rest != "" {
		return strings.TrimSuffix(first, ":") + " …"
	}
	return first
}

func joinNonEmpty(sep string, parts ...string) string {
	var ps []string
	for _, p := range parts {
		if p != "" {
			ps = append(ps, p)
		}
	}
	return strings.Join(ps, sep)
}

// ListSome joins up to max items, noting how many more there are.
func ListSome(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:max], ", "), len(items)-max)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
