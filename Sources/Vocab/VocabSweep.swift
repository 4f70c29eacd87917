// The "vocabulary of optimal size" sweep (papers/extreme-compression.md §4.1, extension 1): for each candidate size
// V, a WordPiece vocabulary trained on the same word counts, then measured on evaluation texts:
//   fertility   = WordPiece tokens / words            (words = pre-tokenised words; [CLS]/[SEP] not counted)
//   [UNK] rate  = [UNK] tokens / WordPiece tokens
//   coverage    = words encoded as one whole token (not [UNK]) / words
//   embedding   = V·H parameters, 4·V·H bytes in fp32 (MB = 10⁶ bytes)
// and V* is picked by a rule the caller states (SelectionRule). The paper's own grid and rule are UNVERIFIED; this
// only measures the tokenizer side (student quality per V belongs to the Experiments module).

public struct SweepRow: Sendable, Equatable {
    public let requestedSize: Int
    public let size: Int
    public let words: Int
    public let tokens: Int
    public let fertility: Double
    public let unkRate: Double
    public let coverage: Double
    public let embeddingParameters: Int
    public let embeddingMB: Double
}

public enum SelectionRule: Sendable, Equatable, CustomStringConvertible {
    /// The smallest V whose fertility is at most (1 + x) × the fertility of the largest V in the sweep.
    case fertilityWithin(Double)
    /// The largest V whose embedding matrix is at most x MB (fp32).
    case embeddingAtMost(megabytes: Double)
    /// The smallest V whose [UNK] rate is at most x.
    case unkRateAtMost(Double)

    public var description: String {
        switch self {
        case .fertilityWithin(let x): return "smallest V with fertility ≤ (1 + \(x)) × fertility at the largest V"
        case .embeddingAtMost(let mb): return "largest V with embedding ≤ \(mb) MB (fp32)"
        case .unkRateAtMost(let x): return "smallest V with [UNK] rate ≤ \(x)"
        }
    }

    /// Parses "fertility:0.1", "mb:2", "unk:0.001".
    public init?(parsing s: String) {
        let parts = s.split(separator: ":")
        guard parts.count == 2, let x = Double(parts[1]), x >= 0 else { return nil }
        switch parts[0] {
        case "fertility": self = .fertilityWithin(x)
        case "mb": self = .embeddingAtMost(megabytes: x)
        case "unk": self = .unkRateAtMost(x)
        default: return nil
        }
    }
}

public enum VocabSweep {
    /// Fertility, [UNK] rate and coverage of `vocabulary` on `texts`.
    public static func measure(_ vocabulary: Vocabulary, on texts: [String], hidden: Int, requestedSize: Int? = nil)
        throws -> SweepRow {
        let wp = try WordPiece(vocabulary: vocabulary)
        var words = 0, tokens = 0, unks = 0, whole = 0
        var buf: [Int32] = []
        for t in texts {
            BertPreTokenizer.forEachWord(in: t) { w in
                buf.removeAll(keepingCapacity: true)
                wp.encodeWord(w, into: &buf)
                words += 1; tokens += buf.count
                if buf.count == 1 { if buf[0] == wp.unkID { unks += 1 } else { whole += 1 } }
            }
        }
        let v = vocabulary.count
        return SweepRow(requestedSize: requestedSize ?? v, size: v, words: words, tokens: tokens,
                        fertility: words == 0 ? 0 : Double(tokens) / Double(words),
                        unkRate: tokens == 0 ? 0 : Double(unks) / Double(tokens),
                        coverage: words == 0 ? 0 : Double(whole) / Double(words),
                        embeddingParameters: v * hidden, embeddingMB: Double(v * hidden * 4) / 1e6)
    }

    /// Trains one vocabulary per size on `wordCounts` (the largest once; smaller sizes are its prefixes, which is
    /// exactly what training at that size gives, see `trainDetailed`) and measures each on `texts`.
    /// Rows are in the order of `sizes`.
    public static func run(sizes: [Int], wordCounts: WordCounts, evaluationTexts texts: [String], hidden: Int,
                           config: WordPieceTrainerConfig = .init()) throws -> (rows: [SweepRow], vocabularies: [Vocabulary]) {
        guard let largest = sizes.max() else { return ([], []) }
        var c = config; c.vocabSize = largest
        let (big, base) = try WordPieceTrainer.trainDetailed(wordCounts: wordCounts, config: c)
        var rows: [SweepRow] = [], vocabs: [Vocabulary] = []
        for v in sizes {
            let vocab: Vocabulary
            if v >= base { vocab = try Vocabulary(tokens: Array(big.tokens.prefix(v))) } else {
                var cv = config; cv.vocabSize = v
                vocab = try WordPieceTrainer.train(wordCounts: wordCounts, config: cv)
            }
            vocabs.append(vocab)
            rows.append(try measure(vocab, on: texts, hidden: hidden, requestedSize: v))
        }
        return (rows, vocabs)
    }

    /// V* under `rule`, or nil when no row qualifies.
    public static func select(_ rows: [SweepRow], rule: SelectionRule) -> SweepRow? {
        let bySize = rows.sorted { $0.size < $1.size }
        switch rule {
        case .fertilityWithin(let x):
            guard let ref = bySize.last?.fertility else { return nil }
            return bySize.first { $0.fertility <= (1 + x) * ref + 1e-12 }
        case .embeddingAtMost(let mb):
            return bySize.last { $0.embeddingMB <= mb }
        case .unkRateAtMost(let x):
            return bySize.first { $0.unkRate <= x }
        }
    }

    /// A Markdown table of the rows, V* marked.
    public static func markdown(_ rows: [SweepRow], chosen: SweepRow?, hidden: Int) -> String {
        var s = "| V (asked) | V | fertility (tokens/word) | [UNK] rate | coverage (whole words) | embedding params (H=\(hidden)) | embedding MB (fp32) |\n"
        s += "|---:|---:|---:|---:|---:|---:|---:|\n"
        func f(_ x: Double, _ d: Int) -> String {
            var p = 1.0; for _ in 0..<d { p *= 10 }
            let r = (x * p).rounded() / p
            var str = "\(r)"
            if let dot = str.firstIndex(of: ".") {
                let decimals = str.distance(from: dot, to: str.endIndex) - 1
                if decimals < d { str += String(repeating: "0", count: d - decimals) }
            } else { str += "." + String(repeating: "0", count: d) }
            return str
        }
        for r in rows {
            let mark = r == chosen ? " **V\\***" : ""
            s += "| \(r.requestedSize)\(mark) | \(r.size) | \(f(r.fertility, 3)) | \(f(r.unkRate * 100, 3))% | "
                + "\(f(r.coverage * 100, 2))% | \(r.embeddingParameters) | \(f(r.embeddingMB, 2)) |\n"
        }
        return s
    }
}
