// Colours and marker shapes for figures. The palette is Okabe & Ito's colour-blind-safe set ("Color Universal
// Design", 2008), ordered for a white background (the pale yellow is left out: it vanishes on white). Series i gets
// colour i and marker shape i, so series stay apart in greyscale print and for readers with colour-vision deficiency.

import Foundation

/// An sRGB colour written as "#rrggbb".
public struct Color: Sendable, Equatable, Hashable {
    public var hex: String
    public init(hex: String) { self.hex = hex }

    public static let blue = Color(hex: "#0072B2")
    public static let vermillion = Color(hex: "#D55E00")
    public static let green = Color(hex: "#009E73")
    public static let purple = Color(hex: "#CC79A7")
    public static let orange = Color(hex: "#E69F00")
    public static let skyBlue = Color(hex: "#56B4E9")
    public static let black = Color(hex: "#000000")
    public static let grey = Color(hex: "#6E6E6E")

    /// Okabe–Ito without yellow, in the order series use it.
    public static let palette: [Color] = [.blue, .vermillion, .green, .purple, .orange, .skyBlue, .black]

    /// The i-th palette colour (cycling).
    public static func palette(_ i: Int) -> Color { palette[((i % palette.count) + palette.count) % palette.count] }
}

/// Marker shapes for scatter points, drawn centred on the point.
public enum MarkerShape: String, Sendable, CaseIterable, Equatable {
    case circle, square, triangle, diamond, triangleDown, cross, plus

    /// The i-th shape (cycling), paired with `Color.palette(i)`.
    public static func cycle(_ i: Int) -> MarkerShape { allCases[((i % allCases.count) + allCases.count) % allCases.count] }

    /// SVG for the marker at (x, y) with "radius" r.
    func svg(x: Double, y: Double, r: Double, color: Color, hollow: Bool = false) -> String {
        let fill = hollow ? "#ffffff" : color.hex
        let filled = "fill=\"\(fill)\" stroke=\"\(hollow ? color.hex : "#ffffff")\" stroke-width=\"\(hollow ? "1.6" : "0.9")\""
        switch self {
        case .circle:
            return "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"\(fmt(r))\" \(filled)/>"
        case .square:
            let s = r * 0.9
            return "<rect x=\"\(fmt(x - s))\" y=\"\(fmt(y - s))\" width=\"\(fmt(2 * s))\" height=\"\(fmt(2 * s))\" \(filled)/>"
        case .triangle:
            let h = r * 1.2
            return polygon([(x, y - h), (x + h * 0.95, y + h * 0.7), (x - h * 0.95, y + h * 0.7)], filled)
        case .triangleDown:
            let h = r * 1.2
            return polygon([(x, y + h), (x + h * 0.95, y - h * 0.7), (x - h * 0.95, y - h * 0.7)], filled)
        case .diamond:
            let h = r * 1.25
            return polygon([(x, y - h), (x + h, y), (x, y + h), (x - h, y)], filled)
        case .cross:
            let s = r * 0.85
            return "<path d=\"M\(fmt(x - s)),\(fmt(y - s))L\(fmt(x + s)),\(fmt(y + s))M\(fmt(x - s)),\(fmt(y + s))L\(fmt(x + s)),\(fmt(y - s))\" stroke=\"\(color.hex)\" stroke-width=\"2.2\" fill=\"none\"/>"
        case .plus:
            let s = r * 1.05
            return "<path d=\"M\(fmt(x - s)),\(fmt(y))L\(fmt(x + s)),\(fmt(y))M\(fmt(x)),\(fmt(y - s))L\(fmt(x)),\(fmt(y + s))\" stroke=\"\(color.hex)\" stroke-width=\"2.2\" fill=\"none\"/>"
        }
    }

    private func polygon(_ pts: [(Double, Double)], _ attrs: String) -> String {
        "<polygon points=\"" + pts.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " ") + "\" \(attrs)/>"
    }
}
