// The BERT normaliser and pre-tokeniser, fused into one pass over the UTF-8 bytes of a text: it hands out each word
// as a buffer of Unicode scalars, with no String or Character made on the way. Implements the "normaliser +
// pre-tokeniser" stages of Docs/Vocab.md exactly as Hugging Face's BertNormalizer(clean_text,
// handle_chinese_chars, strip_accents = lowercase, lowercase = true) followed by BertPreTokenizer:
//   normalise: drop control/format chars, U+0000 and U+FFFD; every whitespace → " "; " c " around CJK ideographs;
//              NFD, then delete nonspacing marks (Mn); lowercase;
//   split:     on whitespace (dropped) and on every punctuation character (each one is a word of its own).
// Example: "Héllo, WORLD!北京" → ["hello", ",", "world", "!", "北", "京"].
// Leaves out: cased BERT (the tables are for lowercase + accent stripping, the setting of every model here).

public enum BertPreTokenizer {
    /// Calls `body` with every word of `text` after normalisation, in order. The buffer is only valid inside `body`.
    @inlinable
    public static func forEachWord(in text: String, _ body: (UnsafeBufferPointer<UInt32>) -> Void) {
        var word = [UInt32]()
        word.reserveCapacity(64)
        @inline(__always) func flush() {
            if !word.isEmpty { word.withUnsafeBufferPointer { body($0) }; word.removeAll(keepingCapacity: true) }
        }
        @inline(__always) func emit(_ c: UInt32, _ cls: UInt8) {
            if cls & BertUnicode.spaceBit != 0 { flush() }
            else if cls & BertUnicode.punctBit != 0 { flush(); word.append(c); flush() }
            else { word.append(c) }
        }
        BertUnicode.table.withUnsafeBufferPointer { table in
            forEachScalar(in: text) { c in
                let cls = table[Int(c)]
                let action = cls & BertUnicode.actionMask
                if c < 0x80 {  // ASCII fast path: controls dropped, whitespace splits, A–Z lowercased
                    if action == BertUnicode.drop { return }
                    if action == BertUnicode.space { flush(); return }
                    let l = c &- 65 < 26 ? c + 32 : c
                    emit(l, table[Int(l)])
                    return
                }
                switch action {
                case BertUnicode.keep: emit(c, cls)
                case BertUnicode.drop: break
                case BertUnicode.space: flush()
                case BertUnicode.cjk: flush(); word.append(c); flush()
                case BertUnicode.hangul:
                    let s = c - 0xAC00
                    word.append(0x1100 + s / 588); word.append(0x1161 + (s % 588) / 28)
                    if s % 28 != 0 { word.append(0x11A7 + s % 28) }
                default:
                    let (offset, count) = BertUnicode.mapping.index[c]!
                    for i in 0..<Int(count) {
                        let m = BertUnicode.mapping.scalars[Int(offset) + i]
                        emit(m, table[Int(m)])
                    }
                }
            }
        }
        flush()
    }

    /// The words of `text` as strings (for tests and the documentation; the encoder uses `forEachWord`).
    public static func words(_ text: String) -> [String] {
        var out: [String] = []
        forEachWord(in: text) { w in
            var s = String.UnicodeScalarView()
            for c in w { s.append(Unicode.Scalar(c)!) }
            out.append(String(s))
        }
        return out
    }

    /// Decodes the UTF-8 of a (valid) Swift string into scalars.
    @inlinable @inline(__always)
    static func forEachScalar(in text: String, _ body: (UInt32) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            let n = bytes.count
            var i = 0
            while i < n {
                let b0 = UInt32(bytes[i])
                if b0 < 0x80 { body(b0); i += 1; continue }
                if b0 < 0xE0 {
                    body((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)); i += 2
                } else if b0 < 0xF0 {
                    body((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)); i += 3
                } else {
                    body((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                         | UInt32(bytes[i + 3] & 0x3F)); i += 4
                }
            }
        }
    }
}
