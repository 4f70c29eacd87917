// The BM25 analyser: text → terms. Stated precisely because BM25 numbers depend on it:
//   1. lowercase;
//   2. terms are maximal runs of word characters (letters, digits, underscore; Unicode-aware), at least 2 long —
//      the same as scikit-learn's and bm25s's default pattern `(?u)\b\w\w+\b`;
//   3. drop Lucene's 33 English stop words (EnglishAnalyzer's default set);
//   4. no stemming by default; `Analyzer.anserini` adds the Porter stemmer (PorterStemmer.swift) after stop-word
//      removal, as Lucene's EnglishAnalyzer does.
// ASCII text takes a byte-level fast path; other text goes through Unicode character properties.
// Leaves out: Lucene's StandardTokenizer (Unicode word-break rules) — word-character runs stand in for it.

public struct Analyzer: Sendable {
    public var minLength: Int
    public var stopwords: Set<String>
    public var porterStemming: Bool

    /// The bm25s-style analyser plus Porter stemming: the closest we come to Anserini's default analyser.
    public static let anserini = Analyzer(porterStemming: true)

    /// Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`.
    public static let luceneEnglishStopwords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
        "will", "with",
    ]

    public init(minLength: Int = 2, stopwords: Set<String> = Analyzer.luceneEnglishStopwords, porterStemming: Bool = false) {
        self.minLength = minLength; self.stopwords = stopwords; self.porterStemming = porterStemming
    }

    /// The terms of `text`, stemmed when `porterStemming` is on.
    public func terms(_ text: String) -> [String] {
        let t = rawTerms(text)
        return porterStemming ? t.map(PorterStemmer.stem) : t
    }

    /// The terms of `text` before stemming, in order (duplicates kept).
    func rawTerms(_ text: String) -> [String] {
        var out: [String] = []
        var text = text
        let ascii = text.withUTF8 { b in b.allSatisfy { $0 < 0x80 } }
        if ascii {
            text.withUTF8 { b in
                var token: [UInt8] = []
                token.reserveCapacity(32)
                func flush() {
                    if token.count >= minLength {
                        let s = String(decoding: token, as: UTF8.self)
                        if !stopwords.contains(s) { out.append(s) }
                    }
                    token.removeAll(keepingCapacity: true)
                }
                for c in b {
                    if c >= 0x61 && c <= 0x7A || c >= 0x30 && c <= 0x39 || c == 0x5F { token.append(c) }
                    else if c >= 0x41 && c <= 0x5A { token.append(c + 32) }
                    else if !token.isEmpty { flush() }
                }
                flush()
            }
            return out
        }
        var token = ""
        func flush() {
            if token.count >= minLength && !stopwords.contains(token) { out.append(token) }
            token = ""
        }
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber || ch == "_" || ch.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }) { token.append(ch) }
            else if !token.isEmpty { flush() }
        }
        flush()
        return out
    }
}
