// Axis ticks. Linear: "nice" steps of 1, 2 or 5 × 10^k, about `target` of them (Heckbert, "Nice numbers for graph
// labels", Graphics Gems 1990). Log10: a major tick at every power of ten (every n-th when there are many
// decades), minor ticks at 2…9 × 10^k, and labelled 2 and 5 multiples when the range spans at most 2.5 decades; below one decade, nice linear values.
// Leaves out: dates and categorical axes (bar charts label their groups directly).

import Foundation

/// One tick: its value, its label ("" for a minor tick) and whether it is major (drawn with a grid line).
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var label: String
    public var isMajor: Bool
}

public enum Ticks {
    /// The nice step for a range of `span` split into about `target` intervals: 1, 2 or 5 × 10^k.
    public static func niceStep(span: Double, target: Int = 5) -> Double {
        let raw = span / Double(max(1, target))
        guard raw.isFinite, raw > 0 else { return 1 }
        let mag = pow(10, floor(log10(raw)))
        let f = raw / mag
        let nice: Double = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10
        return nice * mag
    }

    /// Widens `lo…hi` to multiples of the nice step; a degenerate range is widened around its value first.
    public static func niceDomain(_ lo: Double, _ hi: Double, target: Int = 5) -> (lo: Double, hi: Double, step: Double) {
        var (a, b) = (min(lo, hi), max(lo, hi))
        if a == b { let d = a == 0 ? 1 : abs(a) * 0.1; a -= d; b += d }
        let step = niceStep(span: b - a, target: target)
        return (floor(a / step + 1e-9) * step, ceil(b / step - 1e-9) * step, step)
    }

    /// Linear ticks inside `lo…hi` (inclusive, with a little tolerance), every `niceStep`, labelled with just
    /// enough decimals for the step. Values are computed as integer multiples of the step and rounded to the
    /// step's decimals, so 0.1 + 0.2 prints "0.3".
    public static func linear(_ lo: Double, _ hi: Double, target: Int = 5) -> [Tick] {
        let (a, b) = (min(lo, hi), max(lo, hi))
        guard a.isFinite, b.isFinite else { return [] }
        let step = niceStep(span: b > a ? b - a : max(abs(a), 1) * 0.2, target: target)
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let eps = step * 1e-9
        let first = Int((a / step - 1e-9).rounded(.up)), last = Int((b / step + 1e-9).rounded(.down))
        guard last >= first, last - first <= 10_000 else { return [] }
        var ticks: [Tick] = []
        for i in first...last {
            var v = Double(i) * step
            v = (v * pow(10, Double(decimals))).rounded() / pow(10, Double(decimals))
            if v < a - eps || v > b + eps { continue }
            if v == 0 { v = 0 }  // no "-0"
            ticks.append(Tick(value: v, label: fixedString(v, decimals: decimals), isMajor: true))
        }
        return ticks
    }

    /// Log10 ticks inside `lo…hi` (both > 0): majors at powers of ten, minors at 2…9 × 10^k.
    public static func logarithmic(_ lo: Double, _ hi: Double) -> [Tick] {
        let (a, b) = (min(lo, hi), max(lo, hi))
        guard a > 0, b.isFinite, a.isFinite else { return [] }
        // Less than a decade: powers of ten and 2/5 multiples are too sparse; use nice linear values (still placed
        // on the log scale by the axis).
        if log10(b) - log10(a) < 1 { return linear(a, b, target: 5) }
        let kLo = Int(floor(log10(a) + 1e-9)), kHi = Int(ceil(log10(b) - 1e-9))
        guard kHi - kLo <= 300 else { return [] }
        let decades = kHi - kLo
        let every = decades > 8 ? Int(ceil(Double(decades) / 8)) : 1
        // Less than about one decade of majors inside: label 2 and 5 multiples too.
        let labelTwoFive = log10(b) - log10(a) <= 2.5
        var ticks: [Tick] = []
        for k in kLo...kHi {
            for m in 1...9 {
                let v = Double(m) * pow(10, Double(k))
                if v < a * (1 - 1e-9) || v > b * (1 + 1e-9) { continue }
                if m == 1 {
                    let major = (k - kLo) % every == 0 || every == 1
                    ticks.append(Tick(value: v, label: major ? logLabel(m: 1, k: k) : "", isMajor: major))
                } else if every == 1 {
                    let labelled = labelTwoFive && (m == 2 || m == 5)
                    ticks.append(Tick(value: v, label: labelled ? logLabel(m: m, k: k) : "", isMajor: false))
                }
            }
        }
        return ticks
    }

    /// `m × 10^k` as plain decimals between 10⁻⁴ and 10⁵ ("0.002", "500", "10000"), else "10⁶" / "2×10⁻⁵".
    public static func logLabel(m: Int, k: Int) -> String {
        if k >= -4 && k <= 5 {
            return k >= 0 ? String(m) + String(repeating: "0", count: k) : fixedString(Double(m) * pow(10, Double(k)), decimals: -k)
        }
        let power = "10" + superscript(k)
        return m == 1 ? power : "\(m)×" + power
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(String(abs(n)).map { digits[Int(String($0))!] })
    }
}
