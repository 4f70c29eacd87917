// Properties of the tokenizer and the worked examples of Docs/Vocab.md. Tests that need the real vocabulary skip
// without ../shared; the others use a vocabulary trained here on a generated corpus.
import Foundation
import Testing
import PropertyTesting
@testable import Vocab

/// A small vocabulary trained on generated words, available without ../shared.
enum SmallVocab {
    static let corpus: [String] = {
        var rng = SplitMix(seed: 7)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return (0..<400).map { _ in
            (0..<12).map { _ in String((0..<(2 + rng.next() % 7)).map { _ in letters[rng.next() % 26] }) }
                .joined(separator: " ") + ". Hello, World!"
        }
    }()
    static let vocabulary: Vocabulary = try! WordPieceTrainer.train(texts: corpus, config: .init(vocabSize: 300))
    static let tokenizer: BertTokenizer = try! BertTokenizer(vocabulary: vocabulary)
}

/// Tiny deterministic generator for test corpora.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Int {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }
}

@Suite struct TokenizerPropertyTests {
    @Test func everyIDIsInTheVocabulary() {
        var toks = [SmallVocab.tokenizer]
        if SharedData.available, let t = ParityTests.tokenizer { toks.append(t) }
        for tok in toks {
            propertyCheck(Gen<(String, String)>.zip(.messyText(count: 0...60), .messyText(count: 0...60)), cases: 200) { (a, b) in
                let e = tok.encode(a, pair: b)
                try require(e.ids.allSatisfy { $0 >= 0 && Int($0) < tok.vocabulary.count }, "id out of range for \(a.debugDescription)")
                try require(e.ids.first == tok.clsID && e.ids.last == tok.sepID)
            }
        }
    }

    @Test func normalisationIsIdempotentAndWordsAreClean() {
        propertyCheck(Gen<String>.messyText(count: 0...80), cases: 300) { text in
            let words = BertPreTokenizer.words(text)
            try require(BertPreTokenizer.words(words.joined(separator: " ")) == words, "not idempotent: \(text.debugDescription)")
            for w in words {
                try require(!w.isEmpty && !w.unicodeScalars.contains { $0.properties.isWhitespace }, "word \(w.debugDescription)")
                try require(w == w.lowercased(), "not lowercase: \(w.debugDescription)")
            }
        }
    }

    @Test func truncationKeepsLengthsAndCutsTheLongerSideFirst() {
        let gen = Gen<(Int, Int, Int)>.zip(.int(in: 0...300), .int(in: 0...300), .int(in: 0...200))
        propertyCheck(gen, cases: 500) { (n1, n2, m) in
            let (k1, k2) = Truncation.longestFirst(n1, n2, maxLength: m)
            try require(k1 <= n1 && k2 <= n2 && k1 >= 0 && k2 >= 0)
            try require(k1 + k2 == min(n1 + n2, m), "uses the whole budget: \(n1) \(n2) \(m) → \(k1) \(k2)")
            // The shorter side loses tokens only once the longer one is down to its size (+1 for an odd budget).
            if n1 <= n2 && k1 < n1 { try require(k2 <= k1 + 1, "\(n1) \(n2) \(m) → \(k1) \(k2)") }
            if n2 < n1 && k2 < n2 { try require(k1 <= k2 + 1, "\(n1) \(n2) \(m) → \(k1) \(k2)") }
            let (s, _) = Truncation.longestFirst(n1, nil, maxLength: m)
            try require(s == min(n1, m))
        }
        let tok = SmallVocab.tokenizer
        propertyCheck(Gen<(String, String, Int)>.zip(.messyText(count: 0...80), .messyText(count: 0...80), .int(in: 3...40)),
                      cases: 200) { (a, b, m) in
            let e = tok.encode(a, pair: b, maxLength: m, padTo: m)
            try require(e.count == m, "padded length")
            try require(e.attentionMask.filter { $0 == 1 }.count <= m)
            let single = tok.encode(a, maxLength: m)
            try require(single.count <= m)
        }
    }

    @Test func paddingAndTokenTypes() {
        let tok = SmallVocab.tokenizer
        let e = tok.encode("hello world", pair: "abc", padTo: 12)
        #expect(e.count == 12)
        let real = e.attentionMask.filter { $0 == 1 }.count
        #expect(Array(e.ids[real...]).allSatisfy { $0 == tok.padID })
        #expect(e.typeIDs.prefix(real).last == 1 && e.typeIDs.first == 0)
        #expect(Array(e.typeIDs[real...]).allSatisfy { $0 == 0 })
        let batch = tok.encodeBatch(["a", "hello world again"])
        #expect(batch[0].count == batch[1].count)
        #expect(batch[0].attentionMask.last == 0)
    }

    @Test(.enabled(if: SharedData.available, "needs ../shared (all-MiniLM-L6-v2 vocab.txt)"))
    func workedExamplesFromTheDocs() throws {
        let tok = try #require(ParityTests.tokenizer)
        #expect(BertPreTokenizer.words("Héllo, WORLD!北京") == ["hello", ",", "world", "!", "北", "京"])
        #expect(tok.tokenStrings("unaffable") == ["una", "##ffa", "##ble"])
        #expect(tok.tokenStrings("tokenization of supercalifragilistic words")
                == ["token", "##ization", "of", "super", "##cal", "##if", "##rag", "##ilis", "##tic", "words"])
        #expect(tok.tokenStrings("The naïve café owner’s résumé")
                == ["the", "naive", "cafe", "owner", "’", "s", "resume"])
        #expect(tok.encode("Héllo, WORLD!北京").ids == [101, 7592, 1010, 2088, 999, 1781, 1755, 102])
        let e = tok.encode("how many people live in london", pair: "around nine million people live in london today",
                           maxLength: 10)
        #expect(e.ids.map { tok.vocabulary.tokens[Int($0)] }
                == ["[CLS]", "how", "many", "people", "[SEP]", "around", "nine", "million", "people", "[SEP]"])
        #expect(e.typeIDs == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        let docPair = tok.encode("Héllo, WORLD!北京", pair: "tokenization of supercalifragilistic words", maxLength: 12)
        #expect(docPair.ids.map { tok.vocabulary.tokens[Int($0)] }
                == ["[CLS]", "hello", ",", "world", "!", "[SEP]", "token", "##ization", "of", "super", "##cal", "[SEP]"])
        #expect(tok.tokenStrings(String(repeating: "a", count: 101)) == ["[UNK]"])
        #expect(tok.tokenStrings("[CLS] x") == ["[CLS]", "x"])
    }

    @Test func wordPieceGreedyLongestMatch() throws {
        let v = try Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "una", "##ff", "##ffa", "##ble", "##b", "##le", "a"])
        let wp = try WordPiece(vocabulary: v)
        let names = { (ids: [Int32]) in ids.map { v.tokens[Int($0)] } }
        #expect(names(wp.encodeWord("unaffable")) == ["una", "##ffa", "##ble"])
        #expect(names(wp.encodeWord("unaffx")) == ["[UNK]"])   // no piece for "x": the whole word is [UNK]
        #expect(names(wp.encodeWord("a")) == ["a"])
        #expect(names(wp.encodeWord(String(repeating: "a", count: 100))) == ["[UNK]"])  // "##a" is missing
    }
}
