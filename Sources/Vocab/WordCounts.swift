// Word counts for the vocabulary trainer: every text normalised and pre-tokenised exactly as the encoder does it
// (BertPreTokenizer), each distinct word counted. Step 1 of the HF WordPiece trainer (papers/extreme-compression.md
// §5). Words are kept as Unicode scalar arrays, never as Strings.

public struct WordCounts: Sendable {
    public private(set) var counts: [[UInt32]: UInt64] = [:]
    public init() {}

    /// Counts the words of one text.
    public mutating func add(_ text: String) {
        BertPreTokenizer.forEachWord(in: text) { w in counts[Array(w), default: 0] += 1 }
    }

    /// Counts the words of many texts.
    public mutating func add<S: Sequence>(contentsOf texts: S) where S.Element == String {
        for t in texts { add(t) }
    }

    /// Adds a word `count` times (the word is taken as already normalised).
    public mutating func add(word: String, count: UInt64 = 1) {
        counts[word.unicodeScalars.map(\.value), default: 0] += count
    }

    public var distinctWords: Int { counts.count }
    public var totalWords: UInt64 { counts.values.reduce(0, +) }
}
