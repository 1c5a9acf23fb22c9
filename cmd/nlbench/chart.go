package main

import (
	"fmt"
	"math"
	"strings"
)

// chart draws the dump workloads as an SVG: wall time and peak memory
// against dump size, both on log scales, one line per tool.
func (r *report) chart() string {
	const (
		panelW, panelH = 400, 300
		left, top      = 70, 40
		gap            = 110
		width          = left + 2*panelW + gap + 30
		legendTop      = top + panelH + 56
		legendCols     = 3
		legendW        = (width - left) / legendCols
	)
	var tools []string
	seen := map[string]bool{}
	for _, size := range r.sizes {
		for _, res := range r.results[dumpWorkload(size)] {
			if !seen[res.name] {
				seen[res.name] = true
				tools = append(tools, res.name)
			}
		}
	}
	height := legendTop + 22*((len(tools)+legendCols-1)/legendCols) + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	xs := logRange(float64(r.sizes[0]), float64(r.sizes[len(r.sizes)-1]))
	panels := []struct {
		title string
		x0    int
		value func(result) float64
		unit  func(m float64, e int) string
	}{
		{"wall time (median)", left, func(res result) float64 { return res.median.Seconds() }, secondsLabel},
		{"peak memory (RSS)", left + panelW + gap, func(res result) float64 { return float64(res.maxRSS) / 1024 }, mibLabel},
	}
	for _, p := range panels {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, size := range r.sizes {
			for _, res := range r.results[dumpWorkload(size)] {
				if v := p.value(res); v > 0 {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
		if math.IsInf(lo, 0) {
			continue
		}
		ys := logRange(lo, hi)
		px := func(v float64) float64 { return float64(p.x0) + xs.pos(v)*panelW }
		py := func(v float64) float64 { return float64(top) + (1-ys.pos(v))*panelH }
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" font-weight="bold">%s</text>`+"\n", p.x0, top-15, p.title)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>`+"\n", p.x0, top, panelW, panelH)
		// Ticks at 1, 2 and 5 of each decade, labelled; the decades darker.
		for e := math.Floor(ys.lo); e <= math.Ceil(ys.hi); e++ {
			for _, m := range []float64{1, 2, 5} {
				v := m * math.Pow(10, e)
				label := p.unit(m, int(e))
				y := py(v)
				if y < top-0.5 || y > top+panelH+0.5 {
					continue
				}
				stroke := "#eee"
				if m == 1 {
					stroke = "#ccc"
				}
				fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s"/>`+"\n", p.x0, y, p.x0+panelW, y, stroke)
				fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n", p.x0-6, y, label)
			}
		}
		for _, size := range r.sizes {
			x := px(float64(size))
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", x, top, x, top+panelH)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x, top+panelH+18, sizeLabel(size))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">routes dumped</text>`+"\n", p.x0+panelW/2, top+panelH+36)
		for i, tool := range tools {
			var pts []string
			for _, size := range r.sizes {
				if res, ok := r.find(dumpWorkload(size), tool); ok && p.value(res) > 0 {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(float64(size)), py(p.value(res))))
				}
			}
			color := palette[i%len(palette)]
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), color)
			for _, pt := range pts {
				xy := strings.Split(pt, ",")
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`+"\n", xy[0], xy[1], color)
			}
		}
	}
	for i, tool := range tools {
		x := left + (i%legendCols)*legendW
		y := legendTop + 22*(i/legendCols)
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"/>`+"\n", x, y, x+24, y, palette[i%len(palette)])
		fmt.Fprintf(&b, `<text x="%d" y="%d" dominant-baseline="middle">%s</text>`+"\n", x+32, y, xmlEscape(strings.ReplaceAll(tool, `\|`, "|")))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"}

// logAxis maps values to [0, 1] on a log scale between decades lo and hi.
type logAxis struct{ lo, hi float64 }

// logRange is the axis for values between lo and hi, with room around
// them.
func logRange(lo, hi float64) logAxis {
	a := logAxis{math.Log10(lo), math.Log10(hi)}
	pad := math.Max((a.hi-a.lo)*0.08, 0.15)
	return logAxis{a.lo - pad, a.hi + pad}
}

func (a logAxis) pos(v float64) float64 { return (math.Log10(v) - a.lo) / (a.hi - a.lo) }

// secondsLabel names m×10^e seconds, in the unit that keeps it whole.
func secondsLabel(m float64, e int) string {
	switch {
	case e >= 0:
		return fmt.Sprintf("%g s", m*pow10(e))
	case e >= -3:
		return fmt.Sprintf("%g ms", m*pow10(e+3))
	}
	return fmt.Sprintf("%g µs", m*pow10(e+6))
}

// mibLabel names m×10^e MiB.
func mibLabel(m float64, e int) string {
	if e < 0 {
		return fmt.Sprintf("%g KiB", m*pow10(e+3)*1.024)
	}
	return fmt.Sprintf("%g MiB", m*pow10(e))
}

// pow10 is 10^e for e ≥ 0, exactly (math.Pow(10, -2) is not 0.01).
func pow10(e int) float64 {
	v := 1.0
	for ; e > 0; e-- {
		v *= 10
	}
	return v
}

func sizeLabel(n int) string {
	switch {
	case n >= 1000000 && n%1000000 == 0:
		return fmt.Sprintf("%dM", n/1000000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return thousands(n)
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
