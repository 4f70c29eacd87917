// Legends for figures and bar charts: one row per series with a sample of how it is drawn (marker, line, band,
// bar swatch) and its name. Measured first (so the plot can make room), then drawn at a given corner.

import Foundation

struct LegendEntry {
    enum Sample { case marker(MarkerShape), line(MarkerShape?, dashed: Bool), band, bar, front }
    var name: String
    var color: Color
    var sample: Sample
}

enum Legend {
    static let fontSize = 12.5
    static let rowHeight = 20.0
    static let sampleWidth = 26.0

    static func size(_ entries: [LegendEntry]) -> (w: Double, h: Double) {
        let w = (entries.map { textWidth($0.name, size: fontSize) }.max() ?? 0) + sampleWidth + 22
        return (w, Double(entries.count) * rowHeight + 10)
    }

    /// Draws the legend with its top-left corner at (x, y); `framed` draws a white box behind it.
    static func svg(_ entries: [LegendEntry], x: Double, y: Double, framed: Bool) -> String {
        let (w, h) = size(entries)
        var out = "<g class=\"legend\">\n"
        if framed {
            out += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(w))\" height=\"\(fmt(h))\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"#cccccc\"/>\n"
        }
        for (i, e) in entries.enumerated() {
            let cy = y + 5 + rowHeight * (Double(i) + 0.5)
            let sx = x + 8, ex = sx + sampleWidth, mx = (sx + ex) / 2
            switch e.sample {
            case .marker(let m):
                out += m.svg(x: mx, y: cy, r: 5, color: e.color) + "\n"
            case .line(let m, let dashed):
                out += "<line x1=\"\(fmt(sx))\" y1=\"\(fmt(cy))\" x2=\"\(fmt(ex))\" y2=\"\(fmt(cy))\" stroke=\"\(e.color.hex)\" stroke-width=\"2.2\"\(dashed ? " stroke-dasharray=\"6 4\"" : "")/>\n"
                if let m { out += m.svg(x: mx, y: cy, r: 4.5, color: e.color) + "\n" }
            case .band:
                out += "<rect x=\"\(fmt(sx))\" y=\"\(fmt(cy - 6))\" width=\"\(fmt(sampleWidth))\" height=\"12\" fill=\"\(e.color.hex)\" fill-opacity=\"0.22\"/>\n"
                out += "<line x1=\"\(fmt(sx))\" y1=\"\(fmt(cy))\" x2=\"\(fmt(ex))\" y2=\"\(fmt(cy))\" stroke=\"\(e.color.hex)\" stroke-width=\"2.2\"/>\n"
            case .bar:
                out += "<rect x=\"\(fmt(sx + 5))\" y=\"\(fmt(cy - 6))\" width=\"\(fmt(sampleWidth - 10))\" height=\"12\" fill=\"\(e.color.hex)\"/>\n"
            case .front:
                out += "<line x1=\"\(fmt(sx))\" y1=\"\(fmt(cy))\" x2=\"\(fmt(ex))\" y2=\"\(fmt(cy))\" stroke=\"\(e.color.hex)\" stroke-width=\"1.4\" stroke-dasharray=\"5 4\"/>\n"
                out += "<circle cx=\"\(fmt(mx))\" cy=\"\(fmt(cy))\" r=\"6.5\" fill=\"none\" stroke=\"\(e.color.hex)\" stroke-width=\"1.3\"/>\n"
            }
            out += svgText(e.name, x: ex + 8, y: cy + 0.35 * fontSize, size: fontSize) + "\n"
        }
        return out + "</g>\n"
    }
}
