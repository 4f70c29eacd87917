// Properties of the vocabulary trainer and the size sweep, on generated corpora (no ../shared needed).
import Foundation
import Testing
import PropertyTesting
@testable import Vocab

@Suite struct TrainerPropertyTests {
    /// Random corpora: words of 1–8 letters from a random small alphabet (some non-ASCII), plus punctuation.
    static var corpusGen: Gen<[String]> {
        let letters: [Unicode.Scalar] = Array("abcdefghijklmnopé中ßø".unicodeScalars)
        let word = Gen<String>.string(from: letters, count: 1...8)
        let text = Gen<[String]>.array(of: word, count: 1...12).map { $0.joined(separator: " ") + "." }
        return Gen<[String]>.array(of: text, count: 1...40)
    }

    @Test func trainedVocabularyNeverExceedsItsSize() {
        propertyCheck(Gen<([String], Int)>.zip(Self.corpusGen, .int(in: 5...120)), cases: 60) { (corpus, size) in
            let v = try WordPieceTrainer.train(texts: corpus, config: .init(vocabSize: size, minFrequency: 1))
            try require(v.count <= size, "\(v.count) > \(size)")
            try require(Array(v.tokens.prefix(5)) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        }
    }

    /// The one-pass merge equals HF's remove-in-the-middle merge: same symbols, same pair-count changes in the same
    /// order, on random words over 1–3 symbol ids (so that pairs recur and overlap: a a a with (a, a)).
    @Test func mergeEqualsTheReferenceMerge() {
        let words = Gen<[Int32]>.array(of: Gen<Int>.int(in: 0...2).map { Int32($0) }, count: 0...40)
        propertyCheck(Gen<([Int32], Int, Int)>.zip(words, .int(in: 0...2), .int(in: 0...2)), cases: 400) { (w, a, b) in
            var fast = w, reference = w
            var fastChanges: [(UInt64, Int32)] = [], referenceChanges: [(UInt64, Int32)] = []
            fast.merge(Int32(a), Int32(b), into: 9) { fastChanges.append(($0, $1)) }
            reference.mergeReference(Int32(a), Int32(b), into: 9) { referenceChanges.append(($0, $1)) }
            try require(fast == reference, "\(w) merging (\(a), \(b)): \(fast) vs \(reference)")
            try require(fastChanges.map(\.0) == referenceChanges.map(\.0) && fastChanges.map(\.1) == referenceChanges.map(\.1),
                        "\(w) merging (\(a), \(b)): changes differ")
        }
    }

    /// The indexed merge of a long word equals HF's form over a whole sequence of merges: same symbols after each, same
    /// pair-count changes in the same order — on random words over 1–3 symbol ids, merging random pairs of the
    /// symbols present, each into a fresh id (sometimes an id already in the word, as `add` returns for a token that
    /// exists).
    @Test func indexedMergeEqualsTheReferenceOverManyMerges() {
        let words = Gen<[Int32]>.array(of: Gen<Int>.int(in: 0...2).map { Int32($0) }, count: 0...60)
        propertyCheck(Gen<([Int32], [Int])>.zip(words, .array(of: .int(in: 0...1_000), count: 1...12)), cases: 300) { (w, picks) in
            var indexed = IndexedWord(w), reference = w
            for (k, pick) in picks.enumerated() {
                guard reference.count > 1 else { break }
                let j = pick % (reference.count - 1)
                let (a, b) = (reference[j], reference[j + 1])
                let new: Int32 = pick % 5 == 0 ? a : Int32(10 + k)
                var mine: [(UInt64, Int32)] = [], theirs: [(UInt64, Int32)] = []
                indexed.merge(a, b, into: new) { mine.append(($0, $1)) }
                reference.mergeReference(a, b, into: new) { theirs.append(($0, $1)) }
                try require(indexed.symbols == reference, "\(w), merge \(k) (\(a), \(b)) → \(new): \(indexed.symbols) vs \(reference)")
                try require(mine.map(\.0) == theirs.map(\.0) && mine.map(\.1) == theirs.map(\.1), "\(w), merge \(k): changes differ")
            }
        }
    }

    /// Training with every word indexed gives the vocabulary of training with none indexed.
    @Test func trainingWithIndexedWordsEqualsTrainingWithout() {
        propertyCheck(Gen<([String], Int)>.zip(Self.corpusGen, .int(in: 30...150)), cases: 40) { (corpus, size) in
            let config = WordPieceTrainerConfig(vocabSize: size, minFrequency: 1)
            var counts = WordCounts()
            counts.add(contentsOf: corpus)
            func train(_ indexedLength: Int) -> [[UInt32]] {
                var state = TrainerState(prefix: Array("##".unicodeScalars.map(\.value)))
                let entries = counts.counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
                for t in config.specialTokens { state.add(t.unicodeScalars.map(\.value)) }
                for c in WordPieceTrainer.alphabet(entries, config: config) { state.add([c]) }
                var words = state.symbolize(entries.map(\.key))
                state.mergeLoop(&words, counts: entries.map(\.value), config: config, indexedLength: indexedLength)
                return state.idToWord
            }
            try require(train(2) == train(.max), "the indexed path trained another vocabulary")
        }
    }

    /// A word far longer than any real one (200,000 characters) trains, and its recurring pairs are merged: the
    /// only source of "##ab" / "##ba" is inside it. (With symbols removed from the middle of the word at each merge, as
    /// HF does, this took minutes for a 2 MB word.)
    @Test func aLongRepetitiveWordTrains() throws {
        let word = String(repeating: "ab", count: 100_000)
        let v = try WordPieceTrainer.train(texts: ["ab " + word], config: .init(vocabSize: 60, minFrequency: 1))
        try require(v.tokens.contains("##ab") || v.tokens.contains("##ba"), "no pair of the long word was merged: \(v.tokens)")
    }

    @Test func trainingIsDeterministicAndIgnoresTextOrder() {
        propertyCheck(Self.corpusGen, cases: 40) { corpus in
            let c = WordPieceTrainerConfig(vocabSize: 80, minFrequency: 1)
            let a = try WordPieceTrainer.train(texts: corpus, config: c)
            let b = try WordPieceTrainer.train(texts: corpus, config: c)
            let r = try WordPieceTrainer.train(texts: corpus.reversed(), config: c)
            try require(a == b && a == r, "two runs differ")
        }
    }

    @Test func wordsOfAlphabetCharactersNeverBecomeUNK() {
        // "Alphabet character": kept by the trainer and seen inside a word, so the vocabulary has both c and ##c.
        propertyCheck(Gen<([String], Int)>.zip(Self.corpusGen, .int(in: 60...200)), cases: 40) { (corpus, size) in
            let v = try WordPieceTrainer.train(texts: corpus, config: .init(vocabSize: size, minFrequency: 1))
            let wp = try WordPiece(vocabulary: v)
            let chars = v.tokens.filter { $0.unicodeScalars.count == 1 && v["##" + $0] != nil }.map { $0.unicodeScalars.first! }
            guard !chars.isEmpty else { return }
            var rng = SplitMix(seed: UInt64(size))
            for _ in 0..<50 {
                var s = String.UnicodeScalarView()
                for _ in 0..<(1 + rng.next() % 30) { s.append(chars[rng.next() % chars.count]) }
                let ids = wp.encodeWord(String(s))
                try require(!ids.contains(wp.unkID), "\(String(s)) became [UNK]")
            }
        }
    }

    @Test func smallerSizesArePrefixesOfLargerOnes() throws {
        propertyCheck(Self.corpusGen, cases: 30) { corpus in
            var wc = WordCounts(); wc.add(contentsOf: corpus)
            let (big, base) = try WordPieceTrainer.trainDetailed(wordCounts: wc, config: .init(vocabSize: 150, minFrequency: 1))
            for v in stride(from: base, through: big.count, by: 7) {
                let small = try WordPieceTrainer.train(wordCounts: wc, config: .init(vocabSize: v, minFrequency: 1))
                try require(small.tokens == Array(big.tokens.prefix(v)), "size \(v)")
            }
        }
    }

    @Test func minFrequencyStopsMerges() throws {
        let v = try WordPieceTrainer.train(texts: ["ab ab cd"], config: .init(vocabSize: 100, minFrequency: 2))
        #expect(v.tokens.contains("ab"))
        #expect(!v.tokens.contains("cd"))   // (c, ##d) occurs once
        let w = try WordPieceTrainer.train(texts: ["ab ab cd"], config: .init(vocabSize: 100, minFrequency: 1))
        #expect(w.tokens.contains("cd"))
    }

    @Test func limitAlphabetDropsTheRarestCharacters() throws {
        let v = try WordPieceTrainer.train(texts: ["aaa bbb c"], config: .init(vocabSize: 100, minFrequency: 1, limitAlphabet: 2))
        #expect(v.tokens.contains("a") && v.tokens.contains("b") && !v.tokens.contains("c"))
        // The worked example: specials, then the alphabet by code point, then "##c", then merges.
        let w = try WordPieceTrainer.train(texts: WorkedExample.corpus, config: .init(vocabSize: 40))
        #expect(Array(w.tokens[5..<19]) == ["!", ",", ";", "d", "e", "h", "i", "l", "n", "o", "r", "s", "t", "w"])
        #expect(w.tokens.contains("lower") && w.tokens.contains("wide"))
    }

    @Test func sweepMeasuresAndSelects() throws {
        var wc = WordCounts(); wc.add(contentsOf: SmallVocab.corpus)
        let (rows, vocabs) = try VocabSweep.run(sizes: [300, 150, 100], wordCounts: wc,
                                               evaluationTexts: SmallVocab.corpus, hidden: 128)
        #expect(rows.map(\.size) == vocabs.map(\.count))
        #expect(rows.map(\.requestedSize) == [300, 150, 100])
        for r in rows {
            #expect(r.embeddingParameters == r.size * 128)
            #expect(abs(r.embeddingMB - Double(r.size * 128 * 4) / 1e6) < 1e-9)
            #expect(r.fertility >= 1 && r.unkRate == 0 && r.coverage > 0 && r.coverage <= 1)
        }
        #expect(rows[0].fertility <= rows[2].fertility)
        let rows2 = [SweepRow(requestedSize: 1000, size: 1000, words: 10, tokens: 20, fertility: 2.0, unkRate: 0.01, coverage: 0.5, embeddingParameters: 128_000, embeddingMB: 0.512),
                     SweepRow(requestedSize: 2000, size: 2000, words: 10, tokens: 15, fertility: 1.5, unkRate: 0.0, coverage: 0.6, embeddingParameters: 256_000, embeddingMB: 1.024),
                     SweepRow(requestedSize: 4000, size: 4000, words: 10, tokens: 14, fertility: 1.4, unkRate: 0.0, coverage: 0.7, embeddingParameters: 512_000, embeddingMB: 2.048)]
        #expect(VocabSweep.select(rows2, rule: .fertilityWithin(0.10))?.size == 2000)
        #expect(VocabSweep.select(rows2, rule: .embeddingAtMost(megabytes: 1.5))?.size == 2000)
        #expect(VocabSweep.select(rows2, rule: .unkRateAtMost(0.001))?.size == 2000)
        #expect(VocabSweep.select(rows2, rule: .embeddingAtMost(megabytes: 0.1)) == nil)
        #expect(SelectionRule(parsing: "fertility:0.1") == .fertilityWithin(0.1))
        #expect(SelectionRule(parsing: "bogus") == nil)
    }
}
