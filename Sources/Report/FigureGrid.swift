// Several panels in one SVG, in a grid: the paper figures with more than one plot (Figure C: latency vs nDCG@10
// and vs MRR@10; Figure 1: quality, size, fertility and [UNK] rate vs V; Figure 2: explained variance and quality
// vs k). Each panel is rendered on its own and nested as an `<svg>` element at its place; panel ids must differ
// (they do when titles differ), so the clip paths inside stay unique.

import Foundation

/// One panel of a grid.
public enum Panel: Sendable, Equatable {
    case figure(Figure)
    case bars(BarChart)
    case diagram(Diagram)

    var size: (w: Double, h: Double) {
        switch self {
        case .figure(let f): return (f.width, f.height)
        case .bars(let b): return (b.width, b.height)
        case .diagram(let d): return (d.width, d.height)
        }
    }
    func svg() throws -> String {
        switch self {
        case .figure(let f): return try f.svg()
        case .bars(let b): return try b.svg()
        case .diagram(let d): return d.svg()
        }
    }
}

public struct FigureGrid: Sendable, Equatable {
    public var title: String
    public var subtitle: String
    public var panels: [Panel]
    public var columns: Int

    public init(title: String, subtitle: String = "", panels: [Panel], columns: Int = 2) {
        self.title = title; self.subtitle = subtitle; self.panels = panels; self.columns = max(1, columns)
    }

    public func write(to url: URL) throws { try writeAtomically(try svg(), to: url) }

    /// The grid as one SVG: the title on top, then rows of panels (each row as tall as its tallest panel).
    public func svg() throws -> String {
        let top = title.isEmpty ? 0 : 16 + 22 + (subtitle.isEmpty ? 0 : 18) + 6.0
        var rows: [[Panel]] = []
        for (i, p) in panels.enumerated() {
            if i % columns == 0 { rows.append([]) }
            rows[rows.count - 1].append(p)
        }
        let width = rows.map { $0.reduce(0) { $0 + $1.size.w } }.max() ?? 100
        let height = top + rows.reduce(0) { $0 + ($1.map(\.size.h).max() ?? 0) }
        var out = svgOpen(width: width, height: max(height, 60), title: title)
        var y = top
        for row in rows {
            var x = 0.0
            for p in row {
                let (w, h) = p.size
                let inner = stripXMLDeclaration(try p.svg())
                // Re-open the panel's root <svg> at its place in the grid.
                let placed = inner.replacingOccurrences(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" ",
                                                        with: "<svg x=\"\(fmt(x))\" y=\"\(fmt(y))\" ",
                                                        options: [.anchored])
                out += placed + "\n"
                x += w
                _ = h
            }
            y += row.map(\.size.h).max() ?? 0
        }
        if !title.isEmpty { out += titleSVG(title: title, subtitle: subtitle, width: width) }
        return out + "</svg>\n"
    }
}
