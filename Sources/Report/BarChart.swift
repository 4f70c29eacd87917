// Grouped bar charts: categories along x (e.g. architectures), one bar per series within each category (e.g.
// average positive / negative score, Figure B), optional error whiskers and value labels. Bars grow from 0, so
// negative values point down. Long category names wrap onto two lines, or tilt when still too wide.

import Foundation

public struct BarSeries: Sendable, Equatable {
    public var name: String
    /// One value per category; `nil` leaves a gap.
    public var values: [Double?]
    /// Optional ± whisker per category.
    public var errors: [Double?]?
    public var color: Color?
    public init(_ name: String, values: [Double?], errors: [Double?]? = nil, color: Color? = nil) {
        self.name = name; self.values = values; self.errors = errors; self.color = color
    }
}

public struct BarChart: Sendable, Equatable {
    public var title: String
    public var subtitle: String
    public var categories: [String]
    public var series: [BarSeries]
    public var yAxis: Axis
    public var xTitle: String
    /// Print each bar's value above (below, for negatives) it.
    public var valueLabels: Bool
    public var valueFormat: NumberFormat
    public var legend: LegendPlacement
    public var width: Double
    public var height: Double
    public var id: String

    public init(title: String, subtitle: String = "", categories: [String], series: [BarSeries], y: Axis,
                xTitle: String = "", valueLabels: Bool = true, valueFormat: NumberFormat = .fixed(2),
                legend: LegendPlacement = .right, width: Double = 720, height: Double = 420, id: String? = nil) {
        self.title = title; self.subtitle = subtitle; self.categories = categories; self.series = series
        self.yAxis = y; self.xTitle = xTitle; self.valueLabels = valueLabels; self.valueFormat = valueFormat
        self.legend = legend; self.width = width; self.height = height; self.id = id ?? slug(title)
    }

    public func write(to url: URL) throws { try writeAtomically(try svg(), to: url) }

    public func svg() throws -> String {
        var ys: [Double] = [0]
        for s in series {
            for (j, v) in s.values.enumerated() {
                guard let v, v.isFinite else { continue }
                let e = s.errors.flatMap { j < $0.count ? $0[j] : nil } ?? 0
                ys.append(v + abs(e.isFinite ? e : 0)); ys.append(v - abs(e.isFinite ? e : 0))
            }
        }
        guard !categories.isEmpty, ys.count > 1 || yAxis.domain != nil else { throw ReportError.emptyFigure(title: title) }
        var axis = yAxis
        axis.scale = .linear
        axis.includeZero = true
        // Value labels need headroom above the tallest bar (and below the lowest negative one).
        let headroom = valueLabels ? 0.1 * (ys.max()! - ys.min()!) : 0
        let yr = axis.resolve(dataMin: ys.min()! - (ys.min()! < 0 ? headroom : 0),
                              dataMax: ys.max()! + (ys.max()! > 0 ? headroom : 0))

        let entries = series.enumerated().map { i, s in LegendEntry(name: s.name, color: s.color ?? Color.palette(i), sample: .bar) }
        let legendSize = Legend.size(entries)
        let showLegend = legend != .none && series.count > 1
        let top = 16 + 22 + (subtitle.isEmpty ? 0 : 18) + 16.0
        let yTickW = yr.ticks.map { textWidth($0.label, size: Style.tickSize) }.max() ?? 20
        var left = 14 + (axis.title.isEmpty ? 0 : 22) + yTickW + 12
        let right = showLegend ? legendSize.w + 32 : 26.0
        var plotW = max(50, width - left - right)
        var slot = plotW / Double(categories.count)
        // A tilted first category label reaches left of its slot: make room for it.
        let firstReach = textWidth(categories[0], size: 12) * cos(35 * Double.pi / 180) - slot / 2 - 4
        if firstReach > left - 8 && wrapTwoLines(categories[0], width: slot - 6, size: 12).count > 1 {
            left = firstReach + 8; plotW = max(50, width - left - right); slot = plotW / Double(categories.count)
        }
        // Category labels: one line, two lines, or tilted.
        let catSize = 12.0
        let lines = categories.map { wrapTwoLines($0, width: slot - 6, size: catSize) }
        let fits = lines.allSatisfy { $0.count <= 2 && $0.allSatisfy { textWidth($0, size: catSize) <= slot - 6 } }
        let maxCatW = categories.map { textWidth($0, size: catSize) }.max() ?? 0
        let catHeight = fits ? Double(lines.map(\.count).max() ?? 1) * 15 + 6 : maxCatW * 0.55 + 16
        let bottom = 12 + catHeight + (xTitle.isEmpty ? 0 : 24) + 8
        let plot = Box(x0: left, y0: top, x1: left + plotW, y1: max(top + 50, height - bottom))
        let my = Mapper(lo: yr.lo, hi: yr.hi, scale: .linear, p0: plot.y1, p1: plot.y0)
        let mx = Mapper(lo: 0, hi: 1, scale: .linear, p0: plot.x0, p1: plot.x1)

        var out = svgOpen(width: width, height: height, title: title)
        let frame = Figure(title: title, x: Axis(""), y: axis)
        out += frame.gridSVG(xTicks: [], yTicks: yr.ticks, mx: mx, my: my, plot: plot)
        let n = Double(max(1, series.count))
        let barW = min(56, slot * 0.78 / n)
        let y0 = my.px(0)
        var labels = ""
        for (j, _) in categories.enumerated() {
            let groupX = plot.x0 + slot * (Double(j) + 0.5) - barW * n / 2
            for (i, s) in series.enumerated() {
                guard j < s.values.count, let v = s.values[j], v.isFinite, my.inside(v) else { continue }
                let color = s.color ?? Color.palette(i)
                let x = groupX + barW * Double(i)
                let yv = my.px(v)
                out += "<rect x=\"\(fmt(x + 1))\" y=\"\(fmt(min(yv, y0)))\" width=\"\(fmt(barW - 2))\" height=\"\(fmt(abs(y0 - yv)))\" fill=\"\(color.hex)\"/>\n"
                var tip = yv
                if let errs = s.errors, j < errs.count, let e = errs[j], e.isFinite, e != 0 {
                    let (a, b) = (my.px(v - abs(e)), my.px(v + abs(e)))
                    let cx = x + barW / 2
                    out += "<path d=\"M\(fmt(cx)),\(fmt(a))L\(fmt(cx)),\(fmt(b))M\(fmt(cx - 4)),\(fmt(a))L\(fmt(cx + 4)),\(fmt(a))M\(fmt(cx - 4)),\(fmt(b))L\(fmt(cx + 4)),\(fmt(b))\" stroke=\"#222222\" stroke-width=\"1.2\" fill=\"none\"/>\n"
                    tip = v >= 0 ? min(a, b) : max(a, b)
                }
                if valueLabels {
                    // Horizontal above the bar when it fits the bar's width, else turned upright.
                    let text = valueFormat.format(v), size = 10.5
                    if textWidth(text, size: size) <= barW + 2 {
                        let ty = v >= 0 ? tip - 4 : tip + size + 2
                        labels += svgText(text, x: x + barW / 2, y: ty, size: size, anchor: "middle", color: "#333333") + "\n"
                    } else {
                        let cx = x + barW / 2 + 0.35 * size
                        let ty = v >= 0 ? tip - 4 : tip + 4
                        labels += svgText(text, x: cx, y: ty, size: size, anchor: v >= 0 ? "start" : "end",
                                          color: "#333333", rotate: -90) + "\n"
                    }
                }
            }
        }
        out += labels
        // Axes: zero line, y axis, category labels.
        out += "<line x1=\"\(fmt(plot.x0))\" y1=\"\(fmt(y0))\" x2=\"\(fmt(plot.x1))\" y2=\"\(fmt(y0))\" stroke=\"\(Style.axis)\" stroke-width=\"1.2\"/>\n"
        out += frame.axesSVG(xTicks: [], yTicks: yr.ticks, mx: mx, my: my, plot: plot)
            .replacingOccurrences(of: "<line x1=\"\(fmt(plot.x0))\" y1=\"\(fmt(plot.y1))\" x2=\"\(fmt(plot.x1))\" y2=\"\(fmt(plot.y1))\" stroke=\"\(Style.axis)\" stroke-width=\"1.2\"/>\n", with: "")
        for (j, c) in categories.enumerated() {
            let cx = plot.x0 + slot * (Double(j) + 0.5)
            if fits {
                for (k, l) in lines[j].enumerated() {
                    out += svgText(l, x: cx, y: plot.y1 + 18 + 15 * Double(k), size: catSize, anchor: "middle", color: "#333333") + "\n"
                }
            } else {
                out += svgText(c, x: cx + 4, y: plot.y1 + 14, size: catSize, anchor: "end", color: "#333333", rotate: -35) + "\n"
            }
        }
        if !xTitle.isEmpty {
            out += svgText(xTitle, x: (plot.x0 + plot.x1) / 2, y: plot.y1 + catHeight + 26, size: Style.axisTitleSize, anchor: "middle") + "\n"
        }
        if showLegend { out += Legend.svg(entries, x: plot.x1 + 16, y: plot.y0, framed: false) }
        out += titleSVG(title: title, subtitle: subtitle, width: width)
        return out + "</svg>\n"
    }
}

/// Splits `s` at spaces (or "_") into at most two lines that fit `width` when possible; returns one line when it fits.
func wrapTwoLines(_ s: String, width: Double, size: Double) -> [String] {
    if textWidth(s, size: size) <= width { return [s] }
    let words = s.split(separator: " ").map(String.init)
    guard words.count > 1 else { return [s, ""] }  // cannot wrap: reported as not fitting
    var best: [String] = [s, ""], bestW = Double.infinity
    for k in 1..<words.count {
        let a = words[0..<k].joined(separator: " "), b = words[k...].joined(separator: " ")
        let w = max(textWidth(a, size: size), textWidth(b, size: size))
        if w < bestW { bestW = w; best = [a, b] }
    }
    return best
}
