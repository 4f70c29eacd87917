// Box-and-arrow diagrams: boxes (a process, a data artefact, a panel that groups a step), arrows routed with right
// angles between box sides, labels on arrows. Positions are given in pixels by the caller: diagrams here are small
// and hand-placed, so there is no automatic graph layout. `Diagram.marginMSEWorkflow()` draws Figure A.

import Foundation

public enum DiagramBoxStyle: Sendable, Equatable {
    /// A step that computes something: rounded, tinted.
    case process
    /// A file or data set: square corners, dashed grey border.
    case data
    /// A labelled panel grouping the boxes of one step: light border, title at its top-left.
    case panel
}

public struct DiagramBox: Sendable, Equatable {
    public var id: String
    public var title: String
    public var lines: [String]
    public var x, y, width, height: Double
    public var style: DiagramBoxStyle
    public var color: Color
    public init(_ id: String, title: String, lines: [String] = [], x: Double, y: Double, width: Double,
                height: Double, style: DiagramBoxStyle = .process, color: Color = .blue) {
        self.id = id; self.title = title; self.lines = lines; self.x = x; self.y = y; self.width = width
        self.height = height; self.style = style; self.color = color
    }
    var box: Box { Box(x0: x, y0: y, x1: x + width, y1: y + height) }
}

public struct DiagramArrow: Sendable, Equatable {
    public var from: String
    public var to: String
    public var label: String
    public init(from: String, to: String, label: String = "") { self.from = from; self.to = to; self.label = label }
}

public struct Diagram: Sendable, Equatable {
    public var title: String
    public var subtitle: String
    public var width, height: Double
    public var boxes: [DiagramBox]
    public var arrows: [DiagramArrow]
    public var id: String

    public init(title: String, subtitle: String = "", width: Double, height: Double, boxes: [DiagramBox],
                arrows: [DiagramArrow], id: String? = nil) {
        self.title = title; self.subtitle = subtitle; self.width = width; self.height = height; self.boxes = boxes
        self.arrows = arrows; self.id = id ?? slug(title)
    }

    public func write(to url: URL) throws { try writeAtomically(svg(), to: url) }

    /// The polyline of an arrow from box `a` to box `b`: down (bottom → top) when `b` is below `a`, else sideways
    /// (right → left or left → right), with one elbow halfway; straight when the sides line up.
    static func route(_ a: Box, _ b: Box) -> [(Double, Double)] {
        if b.y0 >= a.y1 + 8 {
            let lo = max(a.x0, b.x0), hi = min(a.x1, b.x1)
            if hi - lo > 20 { let x = (lo + hi) / 2; return [(x, a.y1), (x, b.y0)] }
            let (sx, tx) = ((a.x0 + a.x1) / 2, (b.x0 + b.x1) / 2), my = (a.y1 + b.y0) / 2
            return [(sx, a.y1), (sx, my), (tx, my), (tx, b.y0)]
        }
        let rightward = b.x0 >= a.x1
        let sx = rightward ? a.x1 : a.x0, tx = rightward ? b.x0 : b.x1
        let lo = max(a.y0, b.y0), hi = min(a.y1, b.y1)
        if hi - lo > 16 { let y = (lo + hi) / 2; return [(sx, y), (tx, y)] }
        let (sy, ty) = ((a.y0 + a.y1) / 2, (b.y0 + b.y1) / 2), mx = (sx + tx) / 2
        return [(sx, sy), (mx, sy), (mx, ty), (tx, ty)]
    }

    public func svg() -> String {
        var out = svgOpen(width: width, height: height, title: title)
        out += "<defs><marker id=\"\(id)-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#333333\"/></marker></defs>\n"
        // Panels first (behind), then boxes, then arrows, then arrow labels.
        for b in boxes where b.style == .panel {
            out += "<rect x=\"\(fmt(b.x))\" y=\"\(fmt(b.y))\" width=\"\(fmt(b.width))\" height=\"\(fmt(b.height))\" rx=\"10\" fill=\"#fafafa\" stroke=\"#c8c8c8\" stroke-width=\"1.2\"/>\n"
            out += svgText(b.title, x: b.x + 14, y: b.y + 24, size: 15, weight: "bold", color: b.color.hex) + "\n"
            for (k, l) in b.lines.enumerated() {
                out += svgText(l, x: b.x + 14, y: b.y + 42 + 15 * Double(k), size: 12, color: Style.subtle) + "\n"
            }
        }
        for b in boxes where b.style != .panel {
            if b.style == .process {
                out += "<rect x=\"\(fmt(b.x))\" y=\"\(fmt(b.y))\" width=\"\(fmt(b.width))\" height=\"\(fmt(b.height))\" rx=\"8\" fill=\"\(tint(b.color))\" stroke=\"\(b.color.hex)\" stroke-width=\"1.6\"/>\n"
            } else {
                out += "<rect x=\"\(fmt(b.x))\" y=\"\(fmt(b.y))\" width=\"\(fmt(b.width))\" height=\"\(fmt(b.height))\" fill=\"#f4f4f4\" stroke=\"#777777\" stroke-width=\"1.3\" stroke-dasharray=\"5 3\"/>\n"
            }
            let cx = b.x + b.width / 2
            let blockH = 17 + 16 * Double(b.lines.count)
            var y = b.y + (b.height - blockH) / 2 + 13
            out += svgText(b.title, x: cx, y: y, size: 14, anchor: "middle", weight: "bold") + "\n"
            for l in b.lines {
                y += 16
                out += svgText(l, x: cx, y: y, size: 12, anchor: "middle", color: "#444444") + "\n"
            }
        }
        var labels = ""
        let byID = Dictionary(boxes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for a in arrows {
            guard let fa = byID[a.from], let tb = byID[a.to] else { continue }
            let pts = Diagram.route(fa.box, tb.box)
            let d = "M" + pts.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: "L")
            out += "<path d=\"\(d)\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1.6\" marker-end=\"url(#\(id)-arrow)\"/>\n"
            guard !a.label.isEmpty else { continue }
            // Label on the longest horizontal segment that holds it (else the longest segment), on a white patch.
            let w0 = textWidth(a.label, size: 11.5) + 16
            var best = 0, bestLen = -1.0
            for k in 0..<(pts.count - 1) {
                let horizontal = pts[k].1 == pts[k + 1].1
                let len = abs(pts[k + 1].0 - pts[k].0) + abs(pts[k + 1].1 - pts[k].1)
                let score = horizontal && len >= w0 ? len + 100_000 : len
                if score > bestLen { bestLen = score; best = k }
            }
            let mx = (pts[best].0 + pts[best + 1].0) / 2, my = (pts[best].1 + pts[best + 1].1) / 2
            let w = textWidth(a.label, size: 11.5) + 8
            let vertical = pts[best].0 == pts[best + 1].0
            let lx = vertical ? mx + 6 : mx - w / 2, ly = vertical ? my - 9 : my - 20
            labels += "<rect x=\"\(fmt(lx))\" y=\"\(fmt(ly))\" width=\"\(fmt(w))\" height=\"17\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.9\"/>\n"
            labels += svgText(a.label, x: lx + 4, y: ly + 12.5, size: 11.5, color: "#333333", italic: true) + "\n"
        }
        out += labels
        out += titleSVG(title: title, subtitle: subtitle, width: width)
        return out + "</svg>\n"
    }
}

/// A very light version of `c` for box fills (mix 88% with white).
func tint(_ c: Color) -> String {
    let hex = c.hex.dropFirst()
    guard hex.count == 6, let v = Int(hex, radix: 16) else { return "#f4f4f4" }
    let comps = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map { Int((Double($0) * 0.12 + 255 * 0.88).rounded()) }
    return "#" + comps.map { String(format: "%02x", $0) }.joined()
}
