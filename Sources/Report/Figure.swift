// The figure model: axes (linear or log10), series (scatter, lines joined per model, lines with shaded bands,
// curves, a Pareto front), annotations (a marked point such as V*, reference lines, free text) and a legend.
// Rendering to SVG is in Figure+SVG.swift; bar charts (categorical x) are `BarChart`; diagrams are `Diagram`.
// Used by every figure of both papers (Figures B, C, 1, 2, 3).

import Foundation

public enum AxisScale: Sendable, Equatable { case linear, log10 }

public struct Axis: Sendable, Equatable {
    public var title: String
    public var scale: AxisScale
    /// Fixed range; `nil` fits the data (padded, widened to nice values).
    public var domain: ClosedRange<Double>?
    /// Make an automatic linear domain include 0.
    public var includeZero: Bool
    /// About how many linear ticks to aim for.
    public var tickTarget: Int

    public init(_ title: String, scale: AxisScale = .linear, domain: ClosedRange<Double>? = nil,
                includeZero: Bool = false, tickTarget: Int = 6) {
        self.title = title; self.scale = scale; self.domain = domain; self.includeZero = includeZero
        self.tickTarget = tickTarget
    }

    /// The axis range and ticks for data spanning `lo…hi`.
    public func resolve(dataMin lo: Double, dataMax hi: Double) -> (lo: Double, hi: Double, ticks: [Tick]) {
        switch scale {
        case .linear:
            var (a, b) = (lo, hi)
            if let d = domain { (a, b) = (d.lowerBound, d.upperBound) } else {
                if includeZero { a = min(a, 0); b = max(b, 0) }
                if a == b { let d = a == 0 ? 1 : abs(a) * 0.1; a -= d; b += d }
                // Pad by 3% of the span (markers never sit on the frame), then snap to the next nice tick outside
                // when it is close (within 6% of the span).
                let span = b - a, step = Ticks.niceStep(span: span, target: tickTarget)
                let pa = (includeZero && a == 0) ? a : a - 0.03 * span
                let pb = (includeZero && b == 0) ? b : b + 0.03 * span
                let na = floor(pa / step + 1e-9) * step, nb = ceil(pb / step - 1e-9) * step
                a = pa - na <= 0.06 * span ? na : pa
                b = nb - pb <= 0.06 * span ? nb : pb
            }
            if a == b { a -= 1; b += 1 }
            return (a, b, Ticks.linear(a, b, target: tickTarget))
        case .log10:
            var (a, b) = (lo, hi)
            if let d = domain, d.lowerBound > 0 { (a, b) = (d.lowerBound, d.upperBound) } else {
                // Pad by 4% of the decades spanned (at least 0.05 decade) so markers never sit on the frame.
                if a <= 0 { a = 1 }
                if b <= a { b = a * 10 }
                let pad = max(0.05, 0.04 * (Foundation.log10(b) - Foundation.log10(a)))
                a /= pow(10, pad); b *= pow(10, pad)
            }
            if a >= b { b = a * 10 }
            return (a, b, Ticks.logarithmic(a, b))
        }
    }
}

/// A data point; `low`/`high` bound a shaded band (e.g. mean ± sd); `label` is drawn next to the point.
public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var low: Double?
    public var high: Double?
    public var label: String?
    public init(_ x: Double, _ y: Double, low: Double? = nil, high: Double? = nil, label: String? = nil) {
        self.x = x; self.y = y; self.low = low; self.high = high; self.label = label
    }
}

public enum SeriesKind: Sendable, Equatable {
    /// Markers only.
    case scatter
    /// Points joined in the given order (e.g. one model's none → T1 → T2), with markers.
    case line
    /// A smooth quantity (explained variance, a learning curve): a line without markers.
    case curve
    /// A line with a shaded band from each point's `low` to `high`.
    case band
    /// A Pareto front overlay: dashed line through the front points, each ringed.
    case paretoFront
}

public struct Series: Sendable, Equatable {
    public var name: String
    public var points: [Point]
    public var kind: SeriesKind
    /// `nil`: the palette colour of the series' index.
    public var color: Color?
    /// `nil`: the shape of the series' index (scatter/line only).
    public var marker: MarkerShape?
    public var dashed: Bool
    /// Leave out of the legend.
    public var hideInLegend: Bool

    public init(_ name: String, _ points: [Point], kind: SeriesKind = .scatter, color: Color? = nil,
                marker: MarkerShape? = nil, dashed: Bool = false, hideInLegend: Bool = false) {
        self.name = name; self.points = points; self.kind = kind; self.color = color; self.marker = marker
        self.dashed = dashed; self.hideInLegend = hideInLegend
    }

    public static func scatter(_ name: String, _ points: [Point], marker: MarkerShape? = nil, color: Color? = nil) -> Series {
        Series(name, points, kind: .scatter, color: color, marker: marker)
    }
    public static func line(_ name: String, _ points: [Point], marker: MarkerShape? = nil, color: Color? = nil,
                            dashed: Bool = false) -> Series {
        Series(name, points, kind: .line, color: color, marker: marker, dashed: dashed)
    }
    public static func curve(_ name: String, _ points: [Point], color: Color? = nil, dashed: Bool = false) -> Series {
        Series(name, points, kind: .curve, color: color, dashed: dashed)
    }
    /// Points must carry `low` and `high`; a point without them draws no band there.
    public static func band(_ name: String, _ points: [Point], color: Color? = nil) -> Series {
        Series(name, points, kind: .band, color: color)
    }
    /// The Pareto front of `points` (minimise x, maximise y), drawn over them.
    public static func paretoFront(of points: [Point], name: String = "Pareto front", color: Color = .black) -> Series {
        Series(name, Pareto.front(of: points), kind: .paretoFront, color: color, dashed: true)
    }
}

public enum Annotation: Sendable, Equatable {
    /// A chosen point, ringed, with a label and a dashed guide down to the x axis (e.g. "V* = 8k").
    case highlight(x: Double, y: Double, label: String)
    /// A vertical reference line across the plot with a label at its top.
    case verticalLine(x: Double, label: String)
    /// A horizontal reference line (e.g. the teacher's quality) with a label at its right end.
    case horizontalLine(y: Double, label: String)
    /// Free text at a data position (anchored start).
    case text(x: Double, y: Double, text: String)
}

public enum LegendPlacement: Sendable, Equatable {
    /// Outside the plot, on the right: never covers data.
    case right
    /// Inside the plot, in the corner with the fewest data points.
    case inside
    case none
}

public struct Figure: Sendable, Equatable {
    public var title: String
    public var subtitle: String
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [Series]
    public var annotations: [Annotation]
    public var legend: LegendPlacement
    public var width: Double
    public var height: Double
    /// Prefix of ids inside the SVG (clip paths), unique per figure so several figures can share one HTML page.
    public var id: String

    public init(title: String, subtitle: String = "", x: Axis, y: Axis, series: [Series] = [],
                annotations: [Annotation] = [], legend: LegendPlacement = .right,
                width: Double = 720, height: Double = 450, id: String? = nil) {
        self.title = title; self.subtitle = subtitle; self.xAxis = x; self.yAxis = y; self.series = series
        self.annotations = annotations; self.legend = legend; self.width = width; self.height = height
        self.id = id ?? slug(title)
    }

    /// Writes the SVG to `url` atomically.
    public func write(to url: URL) throws { try writeAtomically(try svg(), to: url) }
}
