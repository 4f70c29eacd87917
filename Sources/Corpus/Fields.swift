// Byte-level field splitting and number parsing for the line readers: split a line on a separator byte (tab) or on
// runs of blanks (TREC files), and parse integers and decimal floats without allocating a String per field.
// Leaves out: locale-dependent number formats; hexadecimal floats.

/// A field of a line: a range of bytes inside the line buffer.
public typealias FieldRange = Range<Int>

public enum Fields {
    /// Splits on every occurrence of `separator` (empty fields kept). Appends to `out` (cleared first).
    @inline(__always)
    public static func split(_ line: UnsafeBufferPointer<UInt8>, on separator: UInt8, into out: inout [FieldRange]) {
        out.removeAll(keepingCapacity: true)
        var s = 0
        for i in 0..<line.count where line[i] == separator { out.append(s..<i); s = i + 1 }
        out.append(s..<line.count)
    }

    /// Splits on runs of spaces and tabs (leading and trailing blanks ignored).
    @inline(__always)
    public static func splitBlanks(_ line: UnsafeBufferPointer<UInt8>, into out: inout [FieldRange]) {
        out.removeAll(keepingCapacity: true)
        var i = 0
        let n = line.count
        while i < n {
            while i < n && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
            if i == n { break }
            let s = i
            while i < n && line[i] != 0x20 && line[i] != 0x09 { i += 1 }
            out.append(s..<i)
        }
    }

    @inline(__always)
    public static func string(_ line: UnsafeBufferPointer<UInt8>, _ r: FieldRange) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: line[r]), as: UTF8.self)
    }

    /// A decimal integer with optional sign, or nil.
    @inline(__always)
    public static func int(_ line: UnsafeBufferPointer<UInt8>, _ r: FieldRange) -> Int? {
        var i = r.lowerBound
        guard i < r.upperBound else { return nil }
        var negative = false
        if line[i] == 0x2D || line[i] == 0x2B { negative = line[i] == 0x2D; i += 1 }
        guard i < r.upperBound, r.upperBound - i <= 18 else { return nil }
        var v = 0
        while i < r.upperBound {
            let d = Int(line[i]) &- 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v &* 10 &+ d; i += 1
        }
        return negative ? -v : v
    }

    /// A decimal number (`-12.5`, `3e-4`, `.5`, `nan`, `inf`) or nil, correctly rounded (equal to `Double(String)`,
    /// i.e. strtod): the fast path is taken only when the digits fit in 2^53 and the power of ten is exact (|e| ≤ 22),
    /// where one IEEE multiply or divide is correctly rounded (Clinger's fast path); all else falls back to strtod.
    @inline(__always)
    public static func double(_ line: UnsafeBufferPointer<UInt8>, _ r: FieldRange) -> Double? {
        var i = r.lowerBound
        let end = r.upperBound
        guard i < end else { return nil }
        var negative = false
        if line[i] == 0x2D || line[i] == 0x2B { negative = line[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0, digits = 0, exponent = 0, sawDigit = false, truncated = false
        while i < end, line[i] >= 48, line[i] <= 57 {
            sawDigit = true
            if digits < 18 { mantissa = mantissa * 10 + UInt64(line[i] - 48); if mantissa > 0 { digits += 1 } }
            else { exponent += 1; truncated = true }
            i += 1
        }
        if i < end && line[i] == 0x2E {
            i += 1
            while i < end, line[i] >= 48, line[i] <= 57 {
                sawDigit = true
                if digits < 18 { mantissa = mantissa * 10 + UInt64(line[i] - 48); exponent -= 1; if mantissa > 0 { digits += 1 } }
                else if line[i] != 48 { truncated = true }
                i += 1
            }
        }
        if i < end && (line[i] == 0x65 || line[i] == 0x45) && sawDigit {
            i += 1
            var eneg = false
            if i < end && (line[i] == 0x2D || line[i] == 0x2B) { eneg = line[i] == 0x2D; i += 1 }
            var e = 0, any = false
            while i < end, line[i] >= 48, line[i] <= 57 { e = min(e * 10 + Int(line[i] - 48), 100_000); i += 1; any = true }
            if !any { return nil }
            exponent += eneg ? -e : e
        }
        if i != end || !sawDigit { return Double(string(line, r)) }  // nan, inf, or garbage → nil
        if truncated || mantissa > (1 << 53) { return Double(string(line, r)) }
        var v = Double(mantissa)
        if exponent != 0 {
            if exponent > 0 && exponent <= 22 { v *= powersOfTen[exponent] }
            else if exponent < 0 && exponent >= -22 { v /= powersOfTen[-exponent] }
            else { return Double(string(line, r)) }
        }
        return negative ? -v : v
    }

    static let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { a, _ in a * 10 } }
}
