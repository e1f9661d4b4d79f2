package main

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/wrendb/wren/bench/internal/spec"
)

var palette = []color.Color{
	color.RGBA{0xd6, 0x27, 0x28, 0xff}, // red
	color.RGBA{0x1f, 0x77, 0xb4, 0xff}, // blue
	color.RGBA{0x2c, 0xa0, 0x2c, 0xff}, // green
	color.RGBA{0xff, 0x7f, 0x0e, 0xff}, // orange
	color.RGBA{0x94, 0x67, 0xbd, 0xff}, // purple
}

var shapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}}

// series is one driver's points on a dot plot: a value per row, NaN if none.
type series struct {
	name   string
	values []float64
}

// writeCharts writes two dot plots with a log x axis, one line per
// (workload, metric): Wren's ratio to each peer, and every driver's speed
// relative to mattn (or the first peer with numbers).
func writeCharts(run *Run, rows []*row, base, format string) ([]string, error) {
	metrics := map[string]int{}
	for _, r := range rows {
		metrics[r.workload]++
	}
	var labels []string
	for _, r := range rows {
		if metrics[r.workload] == 1 {
			labels = append(labels, r.workload)
		} else {
			labels = append(labels, r.workload+" "+r.metric)
		}
	}
	var paths []string

	var ratios []series
	any := false
	for _, peer := range peers(run) {
		s := series{name: "vs " + peer}
		for _, r := range rows {
			x, ok := ratio(r, peer)
			if !ok {
				x = math.NaN()
			} else {
				any = true
			}
			s.values = append(s.values, x)
		}
		ratios = append(ratios, s)
	}
	if any {
		path := base + "-ratios." + format
		if err := dotPlot(path, "Wren's speed relative to each peer (peer time ÷ Wren time; higher is better for Wren)", "ratio (log scale; 1 = same speed)", labels, ratios); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}

	ref := ""
	for _, name := range append([]string{"mattn"}, peers(run)...) {
		for _, r := range rows {
			if r.cells[name] != nil {
				ref = name
				break
			}
		}
		if ref != "" {
			break
		}
	}
	if ref == "" {
		return paths, nil
	}
	var rel []series
	for _, d := range run.Drivers {
		if dd, _ := spec.LookupDriver(d.Name); dd.Floor {
			continue
		}
		s := series{name: d.Name}
		for _, r := range rows {
			c, base := r.cells[d.Name], r.cells[ref]
			if c == nil || base == nil || c.med == 0 {
				s.values = append(s.values, math.NaN())
				continue
			}
			s.values = append(s.values, base.med/c.med)
		}
		rel = append(rel, s)
	}
	path := base + "-relative." + format
	if err := dotPlot(path, "Speed relative to "+ref+" ("+ref+" time ÷ driver time; higher is faster)", "relative speed (log scale)", labels, rel); err != nil {
		return nil, err
	}
	return append(paths, path), nil
}

// dotPlot draws one row per label, a glyph per series, on a log x axis with
// a vertical line at 1.
func dotPlot(path, title, xlabel string, labels []string, ss []series) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	n := len(labels)
	var ticks []plot.Tick
	for i, l := range labels {
		ticks = append(ticks, plot.Tick{Value: float64(n - 1 - i), Label: l})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.7, float64(n)-0.3
	p.Legend.Top = true

	lo, hi := 0.5, 2.0
	for _, s := range ss {
		for _, v := range s.values {
			if !math.IsNaN(v) && v > 0 {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	p.X.Min, p.X.Max = lo/1.5, hi*6 // room on the right for the legend

	one, err := plotter.NewLine(plotter.XYs{{X: 1, Y: -0.7}, {X: 1, Y: float64(n) - 0.3}})
	if err != nil {
		return err
	}
	one.LineStyle.Color = color.Gray{0x80}
	one.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(one, plotter.NewGrid())

	for k, s := range ss {
		var pts plotter.XYs
		offset := 0.0
		if len(ss) > 1 {
			offset = 0.3 - 0.6*float64(k)/float64(len(ss)-1)
		}
		for i, v := range s.values {
			if math.IsNaN(v) || v <= 0 {
				continue
			}
			pts = append(pts, plotter.XY{X: v, Y: float64(n-1-i) + offset})
		}
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Color = palette[k%len(palette)]
		sc.GlyphStyle.Shape = shapes[k%len(shapes)]
		sc.GlyphStyle.Radius = vg.Points(3)
		p.Add(sc)
		p.Legend.Add(s.name, sc)
	}
	height := vg.Length(n)*vg.Points(16) + vg.Inch
	return p.Save(8*vg.Inch, height, path)
}
