// One table cell: a formatted number, text, an unknown paper value, or nothing; with an optional significance
// marker (drawn as a superscript) and a provenance (our run vs the paper's published number).
// Beyond both papers: the papers print numbers only; we keep where each number came from next to it, so a
// paper value we could not verify is shown as "?" instead of being guessed.
// Leaves out: units and per-cell colour; a column header carries the unit.

import Foundation

/// Where a number comes from: a run of this package, or the paper's published table.
public enum Provenance: String, Sendable, Equatable, Hashable {
    case ours
    case paper
}

/// How a number is printed. Every format is locale-independent, so the output is the same on every machine.
public enum NumberFormat: Sendable, Equatable, Hashable {
    /// `digits` decimals: `.fixed(3)` prints 0.3712 as "0.371".
    case fixed(Int)
    /// A rounded integer with thin grouping: 30522 → "30,522".
    case integer
    /// Multiplied by 100 with `digits` decimals and a "%" sign: 0.1234 → "12.3%".
    case percent(Int)
    /// Scientific with `digits` decimals in the mantissa: 0.000123 → "1.23e-4".
    case scientific(Int)
    /// `digits` significant digits, plain notation where sensible: 1234.5 → "1235", 0.012345 → "0.0123".
    case significant(Int)

    /// Formats `x`. NaN prints "NaN"; ±∞ prints "∞"/"−∞".
    public func format(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "∞" : "−∞" }
        switch self {
        case .fixed(let d):
            return fixedString(x, decimals: d)
        case .integer:
            return groupedInteger(x.rounded())
        case .percent(let d):
            return fixedString(x * 100, decimals: d) + "%"
        case .scientific(let d):
            if x == 0 { return fixedString(0, decimals: d) }
            var e = Int(floor(log10(abs(x))))
            var m = x / pow(10, Double(e))
            // Rounding the mantissa may carry it to 10.0 (9.996 → "10.00"): renormalise.
            if abs(Double(fixedString(m, decimals: d)) ?? m) >= 10 { e += 1; m = x / pow(10, Double(e)) }
            return fixedString(m, decimals: d) + "e" + String(e)
        case .significant(let s):
            if x == 0 { return "0" }
            let mag = Int(floor(log10(abs(x))))
            if mag >= 6 || mag < -4 { return NumberFormat.scientific(max(0, s - 1)).format(x) }
            return fixedString(x, decimals: max(0, s - 1 - mag))
        }
    }
}

/// `x` with exactly `decimals` decimals, "-0.000" printed as "0.000".
func fixedString(_ x: Double, decimals: Int) -> String {
    let s = String(format: "%.\(max(0, min(decimals, 17)))f", x)
    if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
    return s
}

/// 1234567 → "1,234,567".
func groupedInteger(_ x: Double) -> String {
    let s = fixedString(x, decimals: 0)
    let negative = s.hasPrefix("-")
    let digits = Array(negative ? s.dropFirst() : Substring(s))
    var out: [Character] = []
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (negative ? "-" : "") + String(out)
}

/// A table cell.
public struct Cell: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case number(Double, NumberFormat)
        case text(String)
        /// A paper value we do not know (e.g. UNVERIFIED in the digest): printed "?" (Markdown, HTML), "unknown" (CSV).
        case unknown
        case empty
    }

    public var value: Value
    /// A significance marker or footnote sign, drawn as a superscript ("†", "a", "*"). Empty for none.
    public var marker: String
    /// `nil` inherits the row's provenance.
    public var provenance: Provenance?

    public init(_ value: Value, marker: String = "", provenance: Provenance? = nil) {
        self.value = value; self.marker = marker; self.provenance = provenance
    }

    /// A number printed with `digits` decimals.
    public static func number(_ x: Double, digits: Int = 3, marker: String = "",
                              provenance: Provenance? = nil) -> Cell {
        Cell(.number(x, .fixed(digits)), marker: marker, provenance: provenance)
    }
    /// A number printed with any `NumberFormat`.
    public static func number(_ x: Double, format: NumberFormat, marker: String = "",
                              provenance: Provenance? = nil) -> Cell {
        Cell(.number(x, format), marker: marker, provenance: provenance)
    }
    public static func text(_ s: String, marker: String = "", provenance: Provenance? = nil) -> Cell {
        Cell(.text(s), marker: marker, provenance: provenance)
    }
    /// A paper value that is not known: shown as "?", never guessed.
    public static var unknown: Cell { Cell(.unknown, provenance: .paper) }
    public static var empty: Cell { Cell(.empty) }
    /// The paper's published number.
    public static func paper(_ x: Double, digits: Int = 3, marker: String = "") -> Cell {
        Cell(.number(x, .fixed(digits)), marker: marker, provenance: .paper)
    }

    /// The value as plain text without the marker: "0.371", "BERT_CAT", "?" for unknown, "" for empty.
    public var valueText: String {
        switch value {
        case .number(let x, let f): return f.format(x)
        case .text(let s): return s
        case .unknown: return "?"
        case .empty: return ""
        }
    }

    /// The text CSV carries: value text and marker, "unknown" for an unknown value.
    public var csvText: String {
        if case .unknown = value { return "unknown" + marker }
        return valueText + marker
    }

    /// True for numbers and unknown numbers: such columns are right-aligned.
    public var isNumeric: Bool {
        switch value {
        case .number, .unknown: return true
        case .text, .empty: return false
        }
    }
}

extension Cell: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral s: String) { self.init(.text(s)) }
    public init(floatLiteral x: Double) { self.init(.number(x, .fixed(3))) }
    public init(integerLiteral n: Int) { self.init(.number(Double(n), .integer)) }
}
