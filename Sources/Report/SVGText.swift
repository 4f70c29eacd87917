// Small helpers shared by every SVG we write: number formatting for coordinates (two decimals at most, never
// "nan"), text-width estimates for layout (SVG has no text measurement without a renderer, so we estimate from
// per-character widths of Helvetica/Arial; generous on purpose so labels do not collide), and a text element.

import Foundation

/// A coordinate with at most two decimals and no trailing zeros: 12.5 → "12.5", 3.0 → "3". Non-finite → "0"
/// (callers drop non-finite points before drawing; this is the last guard so the SVG stays valid).
func fmt(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    var s = fixedString((x * 100).rounded() / 100, decimals: 2)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s == "-0" ? "0" : s
}

/// Estimated width in pixels of `s` at font size `size` in a Helvetica-like font.
public func textWidth(_ s: String, size: Double) -> Double {
    var w = 0.0
    for ch in s {
        switch ch {
        case "i", "l", "j", ".", ",", ":", ";", "'", "|", "!", "I", "t", "f", " ", "(", ")", "[", "]": w += 0.32
        case "m", "w", "M", "W", "@", "%", "—": w += 0.88
        case "r": w += 0.4
        default:
            if ch.isUppercase { w += 0.68 } else if ch.isNumber { w += 0.57 } else { w += 0.56 }
        }
    }
    return w * size
}

/// An SVG `<text>` element. `anchor`: start, middle or end; `rotate`: degrees about (x, y).
func svgText(_ s: String, x: Double, y: Double, size: Double, anchor: String = "start", weight: String = "normal",
             color: String = "#222222", rotate: Double = 0, baseline: String? = nil, italic: Bool = false) -> String {
    var attrs = "x=\"\(fmt(x))\" y=\"\(fmt(y))\" font-size=\"\(fmt(size))\""
    if anchor != "start" { attrs += " text-anchor=\"\(anchor)\"" }
    if weight != "normal" { attrs += " font-weight=\"\(weight)\"" }
    if italic { attrs += " font-style=\"italic\"" }
    if color != "#222222" { attrs += " fill=\"\(color)\"" } else { attrs += " fill=\"#222222\"" }
    if rotate != 0 { attrs += " transform=\"rotate(\(fmt(rotate)) \(fmt(x)) \(fmt(y)))\"" }
    if let b = baseline { attrs += " dominant-baseline=\"\(b)\"" }
    return "<text \(attrs)>\(htmlEscape(s))</text>"
}

/// The opening of a standalone SVG document of the given size, white background, sans-serif text.
func svgOpen(width: Double, height: Double, title: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="Helvetica, Arial, 'DejaVu Sans', sans-serif">
    <title>\(htmlEscape(title))</title>
    <rect x="0" y="0" width="\(fmt(width))" height="\(fmt(height))" fill="#ffffff"/>

    """
}

/// A slug for ids: lowercase letters and digits, other runs become "-". "Figure C — latency" → "figure-c-latency".
public func slug(_ s: String) -> String {
    var out = ""
    var dash = false
    for u in s.lowercased().unicodeScalars {
        if (u >= "a" && u <= "z") || (u >= "0" && u <= "9") { out.unicodeScalars.append(u); dash = false }
        else if !dash && !out.isEmpty { out += "-"; dash = true }
    }
    while out.hasSuffix("-") { out.removeLast() }
    return out.isEmpty ? "x" : out
}
