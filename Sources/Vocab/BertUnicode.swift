// What the BERT normaliser and pre-tokeniser do to each Unicode code point, as one byte per code point, built once
// from the generated ranges in BertUnicodeData.swift (probed from Hugging Face `tokenizers`, so the Unicode tables
// are theirs, not the Swift runtime's). Implements the per-character part of Docs/Vocab.md; the rules
// themselves (clean text, CJK spacing, NFD minus nonspacing marks, lowercase; split on whitespace and punctuation)
// are told in Docs/Vocab.md. Leaves out: canonical reordering of combining marks across characters (every mark HF
// reorders is one it then deletes, except a handful of spacing marks with a combining class; see Docs/Vocab.md).

/// Per-code-point classes. Low 3 bits: what the normaliser does; bit 3: punctuation; bit 4: whitespace.
@usableFromInline enum BertUnicode {
    @usableFromInline static let keep: UInt8 = 0, drop: UInt8 = 1, space: UInt8 = 2, cjk: UInt8 = 3,
                                 mapped: UInt8 = 4, hangul: UInt8 = 5
    @usableFromInline static let actionMask: UInt8 = 7, punctBit: UInt8 = 8, spaceBit: UInt8 = 16

    /// One byte per code point 0…0x10FFFF.
    @usableFromInline static let table: [UInt8] = buildTable()
    /// Output of each `mapped` code point, stored flat: `mapIndex[c]` = (offset, count) into `mapScalars`.
    @usableFromInline static let mapping: (index: [UInt32: (Int32, Int32)], scalars: [UInt32]) = buildMapping()

    static func parseRanges(_ s: String, _ body: (UInt32, UInt32) -> Void) {
        for item in s.split(separator: ",") {
            let parts = item.split(separator: "-")
            let lo = UInt32(parts[0], radix: 16)!
            let hi = parts.count > 1 ? UInt32(parts[1], radix: 16)! : lo
            body(lo, hi)
        }
    }

    static func buildTable() -> [UInt8] {
        var t = [UInt8](repeating: keep, count: 0x110000)
        func set(_ s: String, _ v: UInt8) { parseRanges(s) { lo, hi in for c in lo...hi { t[Int(c)] = v } } }
        func or(_ s: String, _ v: UInt8) { parseRanges(s) { lo, hi in for c in lo...hi { t[Int(c)] |= v } } }
        set(BertUnicodeData.dropped, drop)
        set(BertUnicodeData.spaces, space)
        set(BertUnicodeData.cjk, cjk)
        for c in 0xAC00...0xD7A3 { t[c] = hangul }
        for item in BertUnicodeData.mapped.split(separator: ",") {
            let c = Int(item.split(separator: "=")[0], radix: 16)!
            t[c] = mapped
        }
        or(BertUnicodeData.punctuation, punctBit)
        or(BertUnicodeData.whitespace, spaceBit)
        return t
    }

    static func buildMapping() -> (index: [UInt32: (Int32, Int32)], scalars: [UInt32]) {
        var index: [UInt32: (Int32, Int32)] = [:]
        var scalars: [UInt32] = []
        for item in BertUnicodeData.mapped.split(separator: ",") {
            let kv = item.split(separator: "=")
            let c = UInt32(kv[0], radix: 16)!
            let out = kv[1].split(separator: ".").map { UInt32($0, radix: 16)! }
            index[c] = (Int32(scalars.count), Int32(out.count))
            scalars += out
        }
        return (index, scalars)
    }
}
