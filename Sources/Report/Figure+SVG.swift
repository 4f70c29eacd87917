// Renders a `Figure` to a standalone SVG document, by hand. Order of drawing: background, grid, bands, lines,
// Pareto front, markers, annotations, point labels, axes, legend, title. Non-finite points (and non-positive ones
// on a log axis) are dropped, so every coordinate written is finite. Lines and bands are clipped to the plot.

import Foundation

enum Style {
    static let titleSize = 17.0, subtitleSize = 12.5, tickSize = 12.0, axisTitleSize = 13.5, labelSize = 11.0
    /// Bold text's width over `textWidth`'s estimate: 1.08 for Helvetica, 1.22 for DejaVu Sans (the fallback on
    /// Linux, measured on a rendered title), so the larger.
    static let boldWidthFactor = 1.25
    /// Regular text's width over the estimate: 1.055–1.065 for DejaVu Sans (measured on three strings rendered with
    /// rsvg-convert), with a margin.
    static let regularWidthFactor = 1.1
    static let grid = "#e4e4e4", minorGrid = "#f1f1f1", axis = "#444444", subtle = "#666666"
}

extension Figure {
    /// The figure as SVG text. Throws `ReportError.emptyFigure` when nothing is drawable and no domain is fixed.
    public func svg() throws -> String {
        // Data extents over drawable values.
        let okX: (Double) -> Bool = { $0.isFinite && (xAxis.scale == .linear || $0 > 0) }
        let okY: (Double) -> Bool = { $0.isFinite && (yAxis.scale == .linear || $0 > 0) }
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            for p in s.points where okX(p.x) && okY(p.y) {
                xs.append(p.x); ys.append(p.y)
                if s.kind == .band, let l = p.low, let h = p.high, okY(l), okY(h) { ys.append(l); ys.append(h) }
            }
        }
        for a in annotations {
            switch a {
            case let .highlight(x, y, _): if okX(x) && okY(y) { xs.append(x); ys.append(y) }
            case let .verticalLine(x, _): if okX(x) { xs.append(x) }
            case let .horizontalLine(y, _): if okY(y) { ys.append(y) }
            case .text: break
            }
        }
        if (xs.isEmpty && xAxis.domain == nil) || (ys.isEmpty && yAxis.domain == nil) {
            throw ReportError.emptyFigure(title: title)
        }
        let xr = xAxis.resolve(dataMin: xs.min() ?? 1, dataMax: xs.max() ?? 10)
        let yr = yAxis.resolve(dataMin: ys.min() ?? 1, dataMax: ys.max() ?? 10)

        // Layout.
        let entries = legendEntries()
        let legendSize = Legend.size(entries)
        let top = 16 + 22 + (subtitle.isEmpty ? 0 : 18) + 12.0
        let yTickW = yr.ticks.filter { !$0.label.isEmpty }.map { textWidth($0.label, size: Style.tickSize) }.max() ?? 20
        let left = 14 + (yAxis.title.isEmpty ? 0 : 22) + yTickW + 12
        let bottom = 12 + 16 + (xAxis.title.isEmpty ? 0 : 26) + 8.0
        let right = (legend == .right && !entries.isEmpty) ? legendSize.w + 32 : 26.0
        let plot = Box(x0: left, y0: top, x1: max(left + 50, width - right), y1: max(top + 50, height - bottom))
        let mx = Mapper(lo: xr.lo, hi: xr.hi, scale: xAxis.scale, p0: plot.x0, p1: plot.x1)
        let my = Mapper(lo: yr.lo, hi: yr.hi, scale: yAxis.scale, p0: plot.y1, p1: plot.y0)

        var out = svgOpen(width: width, height: height, title: title)
        out += "<defs><clipPath id=\"\(id)-plot\"><rect x=\"\(fmt(plot.x0))\" y=\"\(fmt(plot.y0))\" width=\"\(fmt(plot.x1 - plot.x0))\" height=\"\(fmt(plot.y1 - plot.y0))\"/></clipPath></defs>\n"
        out += gridSVG(xTicks: xr.ticks, yTicks: yr.ticks, mx: mx, my: my, plot: plot)

        // Pixel positions of drawable points per series.
        func pixels(_ s: Series) -> [(p: Point, x: Double, y: Double)] {
            s.points.filter { mx.valid($0.x) && my.valid($0.y) }.map { ($0, mx.px($0.x), my.px($0.y)) }
        }
        var lines = "<g clip-path=\"url(#\(id)-plot)\" fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n"
        var markers = ""
        var placer = LabelPlacer(bounds: plot.inset(-2))
        var labelled: [(String, Double, Double)] = []
        var lineBoxes: [Box] = []  // samples along drawn lines: the inside legend avoids them
        for (i, s) in series.enumerated() {
            let color = s.color ?? Color.palette(i)
            let shape = s.marker ?? MarkerShape.cycle(i)
            let pts = pixels(s)
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            switch s.kind {
            case .band:
                let banded = s.points.filter { mx.valid($0.x) && $0.low.map(my.valid) == true && $0.high.map(my.valid) == true }
                if banded.count >= 2 {
                    let upper = banded.map { "\(fmt(mx.px($0.x))),\(fmt(my.px($0.high!)))" }
                    let lower = banded.reversed().map { "\(fmt(mx.px($0.x))),\(fmt(my.px($0.low!)))" }
                    lines += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color.hex)\" fill-opacity=\"0.2\" stroke=\"none\"/>\n"
                }
                lines += polyline(pts.map { ($0.x, $0.y) }, color: color, width: 2.2, extra: dash)
            case .line, .curve:
                lines += polyline(pts.map { ($0.x, $0.y) }, color: color, width: s.kind == .curve ? 2.4 : 1.8, extra: dash)
            case .paretoFront:
                lines += polyline(pts.map { ($0.x, $0.y) }, color: color, width: 1.4, extra: " stroke-dasharray=\"5 4\"")
                for q in pts where mx.inside(q.p.x) && my.inside(q.p.y) {
                    markers += "<circle cx=\"\(fmt(q.x))\" cy=\"\(fmt(q.y))\" r=\"8.5\" fill=\"none\" stroke=\"\(color.hex)\" stroke-width=\"1.3\"/>\n"
                    placer.occupied.append(Box(x0: q.x - 9, y0: q.y - 9, x1: q.x + 9, y1: q.y + 9))
                }
            case .scatter: break
            }
            if s.kind != .scatter {
                for k in 0..<max(0, pts.count - 1) {
                    let (a, b) = (pts[k], pts[k + 1])
                    let n = max(1, Int((abs(b.x - a.x) + abs(b.y - a.y)) / 8))
                    for t in 0...n {
                        let f = Double(t) / Double(n)
                        let (x, y) = (a.x + f * (b.x - a.x), a.y + f * (b.y - a.y))
                        lineBoxes.append(Box(x0: x - 2, y0: y - 2, x1: x + 2, y1: y + 2))
                    }
                }
            }
            if s.kind == .scatter || s.kind == .line {
                for q in pts where mx.inside(q.p.x) && my.inside(q.p.y) {
                    markers += shape.svg(x: q.x, y: q.y, r: s.kind == .scatter ? 5.5 : 4.8, color: color) + "\n"
                    placer.occupied.append(Box(x0: q.x - 6, y0: q.y - 6, x1: q.x + 6, y1: q.y + 6))
                }
            }
            for q in pts where s.kind != .paretoFront && mx.inside(q.p.x) && my.inside(q.p.y) {
                if let l = q.p.label, !l.isEmpty { labelled.append((l, q.x, q.y)) }
            }
        }
        lines += "</g>\n"
        out += lines + markers

        // Annotations, then point labels around everything already placed (markers, lines, legend).
        placer.occupied += lineBoxes
        var notes = ""
        for a in annotations {
            switch a {
            case let .highlight(x, y, label):
                guard mx.inside(x), my.inside(y) else { continue }
                let (px, py) = (mx.px(x), my.px(y))
                notes += "<line x1=\"\(fmt(px))\" y1=\"\(fmt(py + 10))\" x2=\"\(fmt(px))\" y2=\"\(fmt(plot.y1))\" stroke=\"#555555\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>\n"
                notes += "<circle cx=\"\(fmt(px))\" cy=\"\(fmt(py))\" r=\"10\" fill=\"none\" stroke=\"#222222\" stroke-width=\"1.8\"/>\n"
                placer.occupied.append(Box(x0: px - 11, y0: py - 11, x1: px + 11, y1: py + 11))
                placer.occupied.append(Box(x0: px - 2, y0: py + 10, x1: px + 2, y1: plot.y1))  // the guide
                // Bold text is about 10% wider than the estimate: place it as if it were larger.
                let at = placer.place(label, px: px, py: py, size: 12.5 * 1.1, gap: 14, preferAbove: true)
                notes += svgText(label, x: at.x, y: at.y, size: 12.5, anchor: at.anchor, weight: "bold") + "\n"
            case let .verticalLine(x, label):
                guard mx.inside(x) else { continue }
                let px = mx.px(x)
                notes += "<line x1=\"\(fmt(px))\" y1=\"\(fmt(plot.y0))\" x2=\"\(fmt(px))\" y2=\"\(fmt(plot.y1))\" stroke=\"#777777\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n"
                placer.occupied.append(Box(x0: px - 2, y0: plot.y0, x1: px + 2, y1: plot.y1))
                let b = textBox(label, x: px + 5, y: plot.y0 + 14, size: Style.labelSize, anchor: "start")
                let anchor = b.x1 > plot.x1 ? "end" : "start"
                let tx = anchor == "end" ? px - 5 : px + 5
                placer.occupied.append(textBox(label, x: tx, y: plot.y0 + 14, size: Style.labelSize, anchor: anchor))
                notes += svgText(label, x: tx, y: plot.y0 + 14, size: Style.labelSize, anchor: anchor, color: "#444444") + "\n"
            case let .horizontalLine(y, label):
                guard my.inside(y) else { continue }
                let py = my.px(y)
                notes += "<line x1=\"\(fmt(plot.x0))\" y1=\"\(fmt(py))\" x2=\"\(fmt(plot.x1))\" y2=\"\(fmt(py))\" stroke=\"#777777\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n"
                placer.occupied.append(Box(x0: plot.x0, y0: py - 2, x1: plot.x1, y1: py + 2))
                let ty = py - 5 < plot.y0 + 12 ? py + 14 : py - 5
                placer.occupied.append(textBox(label, x: plot.x1 - 4, y: ty, size: Style.labelSize, anchor: "end"))
                notes += svgText(label, x: plot.x1 - 4, y: ty, size: Style.labelSize, anchor: "end", color: "#444444") + "\n"
            case let .text(x, y, text):
                guard mx.valid(x), my.valid(y) else { continue }
                notes += svgText(text, x: mx.px(x), y: my.px(y), size: Style.labelSize, color: "#444444") + "\n"
            }
        }
        // The legend inside the plot is placed before labels so labels avoid it.
        var legendSVG = ""
        if !entries.isEmpty && legend != .none {
            if legend == .right {
                legendSVG = Legend.svg(entries, x: plot.x1 + 16, y: plot.y0, framed: false)
            } else {
                let corners = [(plot.x1 - legendSize.w - 8, plot.y0 + 8), (plot.x0 + 8, plot.y0 + 8),
                               (plot.x1 - legendSize.w - 8, plot.y1 - legendSize.h - 8), (plot.x0 + 8, plot.y1 - legendSize.h - 8)]
                var best = corners[0], bestCost = Double.infinity
                for c in corners {
                    let b = Box(x0: c.0, y0: c.1, x1: c.0 + legendSize.w, y1: c.1 + legendSize.h)
                    let cost = placer.occupied.reduce(0) { $0 + b.overlapArea($1) }
                        + labelled.reduce(0) { $0 + (b.inset(8).contains(Box(x0: $1.1, y0: $1.2, x1: $1.1, y1: $1.2)) ? 200 : 0) }
                    if cost < bestCost { bestCost = cost; best = c }
                }
                placer.occupied.append(Box(x0: best.0, y0: best.1, x1: best.0 + legendSize.w, y1: best.1 + legendSize.h))
                legendSVG = Legend.svg(entries, x: best.0, y: best.1, framed: true)
            }
        }
        for (l, px, py) in labelled {
            let at = placer.place(l, px: px, py: py, size: Style.labelSize, gap: 10)
            notes += svgText(l, x: at.x, y: at.y, size: Style.labelSize, anchor: at.anchor, color: "#333333") + "\n"
        }
        out += notes
        out += axesSVG(xTicks: xr.ticks, yTicks: yr.ticks, mx: mx, my: my, plot: plot)
        out += legendSVG
        out += titleSVG(title: title, subtitle: subtitle, width: width)
        return out + "</svg>\n"
    }

    func legendEntries() -> [LegendEntry] {
        series.enumerated().compactMap { i, s in
            guard !s.hideInLegend, !s.name.isEmpty, !s.points.isEmpty else { return nil }
            let color = s.color ?? Color.palette(i)
            let shape = s.marker ?? MarkerShape.cycle(i)
            switch s.kind {
            case .scatter: return LegendEntry(name: s.name, color: color, sample: .marker(shape))
            case .line: return LegendEntry(name: s.name, color: color, sample: .line(shape, dashed: s.dashed))
            case .curve: return LegendEntry(name: s.name, color: color, sample: .line(nil, dashed: s.dashed))
            case .band: return LegendEntry(name: s.name, color: color, sample: .band)
            case .paretoFront: return LegendEntry(name: s.name, color: color, sample: .front)
            }
        }
    }

    func gridSVG(xTicks: [Tick], yTicks: [Tick], mx: Mapper, my: Mapper, plot: Box) -> String {
        var out = "<g class=\"grid\" stroke-width=\"1\">\n"
        for t in xTicks where mx.inside(t.value) {
            let x = mx.px(t.value)
            out += "<line x1=\"\(fmt(x))\" y1=\"\(fmt(plot.y0))\" x2=\"\(fmt(x))\" y2=\"\(fmt(plot.y1))\" stroke=\"\(t.isMajor ? Style.grid : Style.minorGrid)\"/>\n"
        }
        for t in yTicks where my.inside(t.value) {
            let y = my.px(t.value)
            out += "<line x1=\"\(fmt(plot.x0))\" y1=\"\(fmt(y))\" x2=\"\(fmt(plot.x1))\" y2=\"\(fmt(y))\" stroke=\"\(t.isMajor ? Style.grid : Style.minorGrid)\"/>\n"
        }
        return out + "</g>\n"
    }

    func axesSVG(xTicks: [Tick], yTicks: [Tick], mx: Mapper, my: Mapper, plot: Box) -> String {
        var out = "<g class=\"axes\">\n"
        out += "<line x1=\"\(fmt(plot.x0))\" y1=\"\(fmt(plot.y1))\" x2=\"\(fmt(plot.x1))\" y2=\"\(fmt(plot.y1))\" stroke=\"\(Style.axis)\" stroke-width=\"1.2\"/>\n"
        out += "<line x1=\"\(fmt(plot.x0))\" y1=\"\(fmt(plot.y0))\" x2=\"\(fmt(plot.x0))\" y2=\"\(fmt(plot.y1))\" stroke=\"\(Style.axis)\" stroke-width=\"1.2\"/>\n"
        var lastRight = -Double.infinity
        for t in xTicks where mx.inside(t.value) {
            let x = mx.px(t.value), len = t.isMajor ? 5.0 : 3.0
            out += "<line x1=\"\(fmt(x))\" y1=\"\(fmt(plot.y1))\" x2=\"\(fmt(x))\" y2=\"\(fmt(plot.y1 + len))\" stroke=\"\(Style.axis)\"/>\n"
            guard !t.label.isEmpty else { continue }
            let size = t.isMajor ? Style.tickSize : Style.tickSize - 1.5
            let b = textBox(t.label, x: x, y: plot.y1 + 19, size: size, anchor: "middle")
            if b.x0 < lastRight + 6 { continue }  // would touch the previous label: skip it
            lastRight = b.x1
            out += svgText(t.label, x: x, y: plot.y1 + 19, size: size, anchor: "middle",
                           color: t.isMajor ? "#333333" : Style.subtle) + "\n"
        }
        var lastTop = Double.infinity
        for t in yTicks.sorted(by: { $0.value < $1.value }) where my.inside(t.value) {
            let y = my.px(t.value), len = t.isMajor ? 5.0 : 3.0
            out += "<line x1=\"\(fmt(plot.x0 - len))\" y1=\"\(fmt(y))\" x2=\"\(fmt(plot.x0))\" y2=\"\(fmt(y))\" stroke=\"\(Style.axis)\"/>\n"
            guard !t.label.isEmpty else { continue }
            let size = t.isMajor ? Style.tickSize : Style.tickSize - 1.5
            if y + 0.5 * size > lastTop - 2 { continue }
            lastTop = y - 0.5 * size
            out += svgText(t.label, x: plot.x0 - 8, y: y + 0.35 * size, size: size, anchor: "end",
                           color: t.isMajor ? "#333333" : Style.subtle) + "\n"
        }
        if !xAxis.title.isEmpty {
            out += svgText(xAxis.title, x: (plot.x0 + plot.x1) / 2, y: plot.y1 + 44, size: Style.axisTitleSize,
                           anchor: "middle") + "\n"
        }
        if !yAxis.title.isEmpty {
            let x = 14 + Style.axisTitleSize * 0.8, y = (plot.y0 + plot.y1) / 2
            out += svgText(yAxis.title, x: x, y: y, size: Style.axisTitleSize, anchor: "middle", rotate: -90) + "\n"
        }
        return out + "</g>\n"
    }
}

func polyline(_ pts: [(Double, Double)], color: Color, width: Double, extra: String = "") -> String {
    guard pts.count >= 2 else { return "" }
    let p = pts.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " ")
    return "<polyline points=\"\(p)\" stroke=\"\(color.hex)\" stroke-width=\"\(fmt(width))\"\(extra)/>\n"
}

/// The title (bold) and subtitle at the top left of a `width`-wide figure. A title too long for the width at the
/// standard size is set smaller (down to 11 px) instead of running off the right edge.
func titleSVG(title: String, subtitle: String, width: Double) -> String {
    var out = svgText(title, x: 16, y: 16 + Style.titleSize, size: titleFontSize(title, width: width), weight: "bold") + "\n"
    if !subtitle.isEmpty {
        out += svgText(subtitle, x: 16, y: 16 + Style.titleSize + 19, size: subtitleFontSize(subtitle, width: width),
                       color: Style.subtle) + "\n"
    }
    return out
}

/// The title's font size: `Style.titleSize`, or less where the title would not fit between 16 px margins (bold
/// glyphs taken `Style.boldWidthFactor` wider than `textWidth`'s estimate), never below 11 px.
func titleFontSize(_ title: String, width: Double) -> Double {
    fittedFontSize(title, size: Style.titleSize, widthFactor: Style.boldWidthFactor, minimum: 11, width: width)
}

/// The subtitle's font size: `Style.subtitleSize`, or less where it would not fit (the subtitle of paper-a/figure-b
/// ran off the right edge at 720 px), never below 9 px.
func subtitleFontSize(_ subtitle: String, width: Double) -> Double {
    fittedFontSize(subtitle, size: Style.subtitleSize, widthFactor: Style.regularWidthFactor, minimum: 9, width: width)
}

/// `size`, or the largest size (2 decimals, as printed, at least `minimum`) at which `text` fits between 16 px margins.
func fittedFontSize(_ text: String, size: Double, widthFactor: Double, minimum: Double, width: Double) -> Double {
    let natural = textWidth(text, size: size) * widthFactor
    let room = width - 32
    guard natural > room, natural > 0 else { return size }
    return max(minimum, (size * room / natural * 100).rounded(.down) / 100)
}
