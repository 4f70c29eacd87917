// Layout helpers shared by figures: the plot frame, data→pixel mapping for linear and log10 axes, and a greedy
// label placer that tries eight positions around a point and takes the first that overlaps nothing already drawn
// (markers, other labels, the legend) and stays inside the plot (the least-overlapping one when none is free).

import Foundation

/// An axis-aligned box in pixels.
struct Box: Equatable {
    var x0, y0, x1, y1: Double
    func intersects(_ o: Box) -> Bool { x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1 }
    func overlapArea(_ o: Box) -> Double {
        max(0, min(x1, o.x1) - max(x0, o.x0)) * max(0, min(y1, o.y1) - max(y0, o.y0))
    }
    func contains(_ o: Box) -> Bool { o.x0 >= x0 && o.x1 <= x1 && o.y0 >= y0 && o.y1 <= y1 }
    func inset(_ d: Double) -> Box { Box(x0: x0 - d, y0: y0 - d, x1: x1 + d, y1: y1 + d) }
}

/// Maps data values to pixels along one axis.
struct Mapper {
    var lo, hi: Double
    var scale: AxisScale
    var p0, p1: Double  // pixel positions of lo and hi (p1 < p0 for a y axis)

    func t(_ v: Double) -> Double {
        switch scale {
        case .linear: return (v - lo) / (hi - lo)
        case .log10: return (log10(v) - log10(lo)) / (log10(hi) - log10(lo))
        }
    }
    func px(_ v: Double) -> Double { p0 + t(v) * (p1 - p0) }
    /// Is `v` drawable on this axis (finite, positive on a log axis)?
    func valid(_ v: Double) -> Bool { v.isFinite && (scale == .linear || v > 0) }
    /// Inside the axis range (with a hair of tolerance)?
    func inside(_ v: Double) -> Bool {
        guard valid(v) else { return false }
        let tt = t(v)
        return tt >= -1e-9 && tt <= 1 + 1e-9
    }
}

/// The box of a text whose anchor point is (x, baseline y).
func textBox(_ s: String, x: Double, y: Double, size: Double, anchor: String) -> Box {
    let w = textWidth(s, size: size)
    let x0 = anchor == "end" ? x - w : anchor == "middle" ? x - w / 2 : x
    return Box(x0: x0, y0: y - 0.78 * size, x1: x0 + w, y1: y + 0.26 * size)
}

struct LabelPlacer {
    var occupied: [Box] = []
    var bounds: Box

    /// Chooses where to put `text` near pixel (px, py); records its box. Returns the anchor point and anchor.
    mutating func place(_ text: String, px: Double, py: Double, size: Double, gap: Double = 7,
                        preferAbove: Bool = false) -> (x: Double, y: Double, anchor: String) {
        let d = gap * 0.75
        var candidates: [(Double, Double, String)] = [
            (px + gap, py + 0.33 * size, "start"),             // right
            (px - gap, py + 0.33 * size, "end"),               // left
            (px, py - gap - 0.3 * size, "middle"),             // above
            (px, py + gap + 0.8 * size, "middle"),             // below
            (px + d, py - d - 0.2 * size, "start"),            // upper right
            (px + d, py + d + 0.75 * size, "start"),           // lower right
            (px - d, py - d - 0.2 * size, "end"),              // upper left
            (px - d, py + d + 0.75 * size, "end"),             // lower left
        ]
        if preferAbove { candidates.swapAt(0, 4) }
        var best: (Double, Double, String, Box)? = nil
        var bestCost = Double.infinity
        for (x, y, a) in candidates {
            let b = textBox(text, x: x, y: y, size: size, anchor: a)
            var cost = 0.0
            for o in occupied { cost += b.overlapArea(o) }
            if !bounds.contains(b) { cost += 10_000 + (b.x1 - b.x0) * (b.y1 - b.y0) }
            if cost < bestCost { bestCost = cost; best = (x, y, a, b) }
            if cost == 0 { break }
        }
        let chosen = best!
        occupied.append(chosen.3.inset(1))
        return (chosen.0, chosen.1, chosen.2)
    }
}
