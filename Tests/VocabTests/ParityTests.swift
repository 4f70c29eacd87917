// Parity with Hugging Face `tokenizers` (BertWordPiece, all-MiniLM-L6-v2 vocab.txt): explicit ids for a few hundred
// hard texts and pairs (need ../shared for the vocabulary), and a digest of the ids of every query and passage text
// in ../shared/data. Goldens: Tests/Fixtures/Vocab/make_goldens.py; their real texts are references into ../shared/data
// (GoldenText in SharedTexts.swift), never copies.
import Foundation
import Testing
@testable import Vocab

@Suite struct ParityTests {
    static let tokenizer: BertTokenizer? = try? BertTokenizer(vocabFile: Paths.miniLMVocab)

    @Test(.enabled(if: SharedData.available, "needs ../shared (all-MiniLM-L6-v2 vocab.txt)"))
    func samplesMatchHuggingFace() throws {
        let tok = try #require(Self.tokenizer)
        let g = try ParityGoldens.load()
        #expect(g.samples.count > 150)
        var bad = 0
        for s in g.samples {
            let text = try s.text.resolve()
            let e = tok.encode(text)
            if e.ids != s.ids {
                bad += 1
                if bad <= 5 { Issue.record("ids differ for \(s.text.label) \(text.debugDescription.prefix(200)): \(e.ids.prefix(40)) vs HF \(s.ids.prefix(40))") }
            }
        }
        #expect(bad == 0, "\(bad) of \(g.samples.count) samples differ")
    }

    @Test(.enabled(if: SharedData.available, "needs ../shared (all-MiniLM-L6-v2 vocab.txt)"))
    func pairsAndTruncationMatchHuggingFace() throws {
        let tok = try #require(Self.tokenizer)
        let g = try ParityGoldens.load()
        var checked = 0
        for p in g.pairs {
            let a = try p.a.resolve(), b = try p.b?.resolve()
            for c in p.cases {
                let e = tok.encode(a, pair: b, maxLength: c.max_length == 0 ? nil : c.max_length)
                #expect(e.ids == c.ids, "pair (\(p.a.label.prefix(40)) | \(p.b?.label.prefix(40) ?? "-")) at \(c.max_length)")
                #expect(e.typeIDs.filter { $0 == 0 }.count == c.type0)
                #expect(e.attentionMask.allSatisfy { $0 == 1 })
                checked += 1
            }
        }
        #expect(checked > 300)
    }

    @Test(.enabled(if: SharedData.available, "needs ../shared/data"))
    func everyRealTextMatchesHuggingFace() throws {
        let tok = try #require(Self.tokenizer)
        let g = try ParityGoldens.load()
        let sets = try SharedTexts.datasets()
        #expect(sets.map(\.0) == g.datasets.map(\.name))
        for ((name, texts), want) in zip(sets, g.datasets) {
            var digest = IDDigest()
            var total = 0
            for t in texts {
                let ids = tok.encode(t).ids
                total += ids.count
                digest.add(ids)
            }
            #expect(texts.count == want.texts, "\(name): text count")
            #expect(total == want.ids, "\(name): id count")
            #expect(digest.hex == want.fnv1a64, "\(name): digest of all ids")
        }
    }

    /// The ground rule: the goldens hold references into ../shared/data, not its texts (needs no data to check).
    @Test func realTextsAreReferencesNotCopies() throws {
        let g = try ParityGoldens.load()
        let refs = g.samples.filter { if case .reference = $0.text { return true } else { return false } }.count
        #expect(refs >= 150, "only \(refs) samples are references")
        #expect(g.pairs.contains { if case .reference(let d, _) = $0.a { return d.hasSuffix("queries") } else { return false } })
        let names = Set(g.datasets.map(\.name))
        for t in g.samples.map(\.text) + g.pairs.flatMap({ [$0.a] + ($0.b.map { [$0] } ?? []) }) {
            if case .reference(let d, let i) = t { #expect(names.contains(d) && i >= 0, "\(t.label)") }
        }
    }
}
