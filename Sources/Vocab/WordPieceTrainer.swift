// The WordPiece vocabulary trainer of Hugging Face `tokenizers` (papers/extreme-compression.md §5): HF runs its BPE
// trainer with the continuation prefix "##" and keeps only the vocabulary. Steps, as in `BpeTrainer::do_train`:
//   1 word counts (WordCounts);  2 special tokens first, in order;  3 alphabet: characters weighted by word count,
//   the least frequent dropped beyond `limitAlphabet`, the rest added sorted by code point;  4 each word becomes
//   symbols: its characters that are in the alphabet, all but the first with "##" (each new "##c" is added to the
//   vocabulary when first seen; characters outside the alphabet are dropped);  5 adjacent pair counts weighted by
//   word count, with the words each pair occurs in, pushed on a max-heap keyed (count, then the smaller id pair);
//   6 merge loop until the vocabulary has `vocabSize` tokens: pop; a stale count is refreshed and pushed back;
//   stop below `minFrequency`; the new token is a + b with b's "##" removed ("un" + "##able" → "unable",
//   "##a" + "##b" → "##ab"); apply it in the words of the entry, update neighbouring pair counts, push the pairs
//   that gained.
// Deterministic where HF is not: words are visited in sorted (code point) order, so the "##c" tokens get their ids
// in that order (HF: hash-map order), and ties in the alphabet cut drop the higher code point first (HF: unstable
// sort). Differs from HF on purpose: the vocabulary never exceeds `vocabSize` — when specials + alphabet + "##"
// forms alone would, the alphabet is cut further, least frequent first (HF returns more than asked for).

public struct WordPieceTrainerConfig: Sendable {
    public var vocabSize: Int
    public var minFrequency: UInt64
    public var limitAlphabet: Int?
    public var initialAlphabet: [Unicode.Scalar]
    public var specialTokens: [String]
    public var continuingPrefix: String

    /// The defaults of HF `BertWordPieceTokenizer.train`.
    public init(vocabSize: Int = 30_000, minFrequency: UInt64 = 2, limitAlphabet: Int? = 1000,
                initialAlphabet: [Unicode.Scalar] = [],
                specialTokens: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
                continuingPrefix: String = "##") {
        self.vocabSize = vocabSize; self.minFrequency = minFrequency; self.limitAlphabet = limitAlphabet
        self.initialAlphabet = initialAlphabet; self.specialTokens = specialTokens
        self.continuingPrefix = continuingPrefix
    }
}

public enum WordPieceTrainer {
    /// Trains on texts (each normalised and pre-tokenised like the encoder does).
    public static func train<S: Sequence>(texts: S, config: WordPieceTrainerConfig) throws -> Vocabulary
    where S.Element == String {
        var wc = WordCounts()
        wc.add(contentsOf: texts)
        return try train(wordCounts: wc, config: config)
    }

    /// Trains on word counts.
    public static func train(wordCounts: WordCounts, config: WordPieceTrainerConfig) throws -> Vocabulary {
        try trainDetailed(wordCounts: wordCounts, config: config).vocabulary
    }

    /// Trains on word counts; also returns `baseCount`, the number of tokens before the first merge (specials,
    /// alphabet, "##c"). Every merge only appends, so for any size V ≥ baseCount the vocabulary trained at V is the
    /// first V tokens of one trained at a larger size (the size sweep uses this).
    public static func trainDetailed(wordCounts: WordCounts, config: WordPieceTrainerConfig) throws
        -> (vocabulary: Vocabulary, baseCount: Int) {
        guard config.vocabSize >= config.specialTokens.count else {
            throw VocabError.invalidArgument("vocabulary size \(config.vocabSize) is smaller than the "
                                             + "\(config.specialTokens.count) special tokens")
        }
        var state = TrainerState(prefix: Array(config.continuingPrefix.unicodeScalars.map(\.value)))
        // Sorted words: the deterministic order of every later step.
        let entries = wordCounts.counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        let counts = entries.map(\.value)
        for t in config.specialTokens { state.add(t.unicodeScalars.map(\.value)) }
        for c in alphabet(entries, config: config) { state.add([c]) }
        var words = state.symbolize(entries.map(\.key))
        let baseCount = state.idToWord.count
        state.mergeLoop(&words, counts: counts, config: config)
        let vocab = try Vocabulary(tokens: state.idToWord.map { w in
            var s = String.UnicodeScalarView(); for c in w { s.append(Unicode.Scalar(c)!) }; return String(s)
        })
        return (vocab, baseCount)
    }

    /// Step 3: the kept characters, sorted by code point.
    static func alphabet(_ entries: [(key: [UInt32], value: UInt64)], config: WordPieceTrainerConfig) -> [UInt32] {
        var freq: [UInt32: UInt64] = [:]
        var nonInitial = Set<UInt32>()   // characters that will also need a "##c" token
        for (w, n) in entries {
            for (i, c) in w.enumerated() { freq[c, default: 0] &+= n; if i > 0 { nonInitial.insert(c) } }
        }
        for c in config.initialAlphabet { freq[c.value] = .max }
        // Least frequent first; on a tie the higher code point goes first.
        var order = freq.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }.map(\.key)
        if let limit = config.limitAlphabet, order.count > limit { order.removeFirst(order.count - limit) }
        // Size cap: specials + alphabet + "##" forms must fit the vocabulary.
        var base = config.specialTokens.count + order.count + order.filter { nonInitial.contains($0) }.count
        var drop = 0
        while base > config.vocabSize && drop < order.count {
            base -= 1 + (nonInitial.contains(order[drop]) ? 1 : 0)
            drop += 1
        }
        return order.dropFirst(drop).sorted()
    }
}
