// The whole BERT tokenizer: normalise + pre-tokenise (BertPreTokenizer), WordPiece, then the post-processor
// `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]` with token types 0…0 1…1, an attention mask, optional `longest_first`
// truncation to a maximum length (special tokens included) and optional padding with [PAD]. Implements the
// tokenizer of Docs/Vocab.md and of the all-MiniLM-L6-v2 `tokenizer.json`; ids equal HF `tokenizers`
// (see Docs/Vocab.md, "Parity"). Leaves out: offsets, overflowing tokens / stride, left truncation or padding.

/// One encoded input. Shapes: all three arrays have the same length T (= max length when padded).
public struct Encoding: Sendable, Equatable {
    public var ids: [Int32]
    public var typeIDs: [Int32]
    public var attentionMask: [Int32]
    public var count: Int { ids.count }
}

public struct BertTokenizer: Sendable {
    public let wordPiece: WordPiece
    public let clsID: Int32, sepID: Int32, padID: Int32
    public var vocabulary: Vocabulary { wordPiece.vocabulary }
    /// Special tokens recognised verbatim in raw text before normalisation (HF "added tokens": [PAD], [UNK], [CLS],
    /// [SEP], [MASK] where the vocabulary has them), longest first.
    let addedTokens: [(bytes: [UInt8], id: Int32)]

    public init(vocabulary: Vocabulary, source: String = "<vocabulary>") throws {
        do {
            wordPiece = try WordPiece(vocabulary: vocabulary)
            clsID = try vocabulary.requiredID("[CLS]"); sepID = try vocabulary.requiredID("[SEP]")
            padID = try vocabulary.requiredID("[PAD]")
        } catch VocabError.missingSpecialToken(_, let t) {
            throw VocabError.missingSpecialToken(path: source, token: t)
        }
        addedTokens = ["[MASK]", "[PAD]", "[UNK]", "[CLS]", "[SEP]"].compactMap { t in
            vocabulary[t].map { (Array(t.utf8), $0) }
        }
    }

    /// Reads `vocab.txt` and checks it has [UNK], [CLS], [SEP] and [PAD].
    public init(vocabFile path: String) throws {
        try self.init(vocabulary: try Vocabulary(contentsOf: path), source: path)
    }

    /// WordPiece ids of `text`, without special tokens, appended to `out`.
    public func appendTokens(of text: String, to out: inout [Int32]) {
        let wp = wordPiece
        if !text.utf8.contains(0x5B) {  // no "[": no special token can occur
            BertPreTokenizer.forEachWord(in: text) { wp.encodeWord($0, into: &out) }
            return
        }
        // Split around verbatim special tokens (leftmost match; "[MASK]" is tried first, no token is a prefix of another).
        let bytes = Array(text.utf8)
        var segmentStart = 0, i = 0
        func flushSegment(_ end: Int) {
            if end > segmentStart {
                let segment = String(decoding: bytes[segmentStart..<end], as: UTF8.self)
                BertPreTokenizer.forEachWord(in: segment) { wp.encodeWord($0, into: &out) }
            }
        }
        while i < bytes.count {
            if bytes[i] == 0x5B, let t = addedTokens.first(where: { bytes[i...].starts(with: $0.bytes) }) {
                flushSegment(i)
                out.append(t.id)
                i += t.bytes.count
                segmentStart = i
            } else { i += 1 }
        }
        flushSegment(bytes.count)
    }

    /// WordPiece ids of `text`, without special tokens.
    public func tokenize(_ text: String) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(text.utf8.count / 4 + 4)
        appendTokens(of: text, to: &out)
        return out
    }

    /// The tokens (strings) of `text`, without special tokens.
    public func tokenStrings(_ text: String) -> [String] { tokenize(text).map { vocabulary.tokens[Int($0)] } }

    /// Encodes a text, or a pair when `pair` is given: `[CLS] a [SEP] (b [SEP])`.
    /// - maxLength: the most tokens, special tokens included; the longer side loses tokens first (`longest_first`).
    ///   Below 2 (3 for a pair) only the special tokens remain (HF raises an error there).
    /// - padTo: pads with [PAD] (type 0, mask 0) up to this length.
    public func encode(_ text: String, pair: String? = nil, maxLength: Int? = nil, padTo: Int? = nil) -> Encoding {
        var a = tokenize(text)
        var b = pair.map { tokenize($0) }
        if let maxLength {
            let room = max(0, maxLength - (b == nil ? 2 : 3))
            let (na, nb) = Truncation.longestFirst(a.count, b?.count, maxLength: room)
            a.removeSubrange(na...)
            b?.removeSubrange(nb...)
        }
        var ids = [clsID] + a + [sepID]
        var types = [Int32](repeating: 0, count: ids.count)
        if let b {
            ids += b; ids.append(sepID)
            types += [Int32](repeating: 1, count: b.count + 1)
        }
        var mask = [Int32](repeating: 1, count: ids.count)
        if let padTo, padTo > ids.count {
            let k = padTo - ids.count
            ids += [Int32](repeating: padID, count: k)
            types += [Int32](repeating: 0, count: k)
            mask += [Int32](repeating: 0, count: k)
        }
        return Encoding(ids: ids, typeIDs: types, attentionMask: mask)
    }

    /// Encodes a batch, padded to its longest member (or to `padTo`).
    public func encodeBatch(_ texts: [String], pairs: [String]? = nil, maxLength: Int? = nil,
                            padTo: Int? = nil) -> [Encoding] {
        var out = texts.indices.map { encode(texts[$0], pair: pairs?[$0], maxLength: maxLength) }
        let target = padTo ?? out.map(\.count).max() ?? 0
        for i in out.indices where out[i].count < target {
            let k = target - out[i].count
            out[i].ids += [Int32](repeating: padID, count: k)
            out[i].typeIDs += [Int32](repeating: 0, count: k)
            out[i].attentionMask += [Int32](repeating: 0, count: k)
        }
        return out
    }
}

/// `longest_first` truncation as HF `tokenizers` does it (`truncate_encodings`).
public enum Truncation {
    /// Lengths to keep of sequences of lengths `n1` and `n2` (nil: a single sequence) so that together they fit
    /// `maxLength` (special tokens already subtracted). Take n1 ≤ n2 (else swap): if the short one fits with the long
    /// one cut to maxLength − n1, cut only the long one; otherwise each gets half, the second of the pair one more
    /// when maxLength is odd (HF: `n1 = max/2; n2 = n1 + max % 2`, before swapping back).
    public static func longestFirst(_ n1: Int, _ n2: Int?, maxLength: Int) -> (Int, Int) {
        guard let n2 else { return (min(n1, maxLength), 0) }
        if n1 + n2 <= maxLength { return (n1, n2) }
        var (s, l) = (n1, n2)
        let swap = s > l
        if swap { (s, l) = (l, s) }
        if s > maxLength { l = s } else { l = max(s, maxLength - s) }
        if s + l > maxLength { s = maxLength / 2; l = s + maxLength % 2 }
        if swap { (s, l) = (l, s) }
        return (min(n1, s), min(n2, l))
    }
}
