// Internal consistency of the all-MiniLM-L6-v2 golden fixtures (Tests/Fixtures/Student, made by make_goldens.py
// with sentence-transformers on PyTorch). The parity test of the Swift encoder against them lives with the encoder;
// this checks the fixtures themselves are what they claim: 384-d unit vectors, [CLS]…[SEP] ids within the
// 256-token cap, probe cosines as published, hidden states that agree with the final embeddings.

import Foundation
import Testing

/// The decoded fixtures (see make_goldens.py for the layout).
struct MiniLMGoldens: Decodable {
    /// `text` is present only for texts not from ../shared/data (probe, edge); see GoldenTexts.
    struct Item: Decodable { let source: String; let id: String; let text: String?; let input_ids: [Int]; let embedding: [Double] }
    struct Probe: Decodable { let query: String; let passages: [String]; let cosines: [Double] }
    struct Meta: Decodable { let max_seq_length: Int; let dims: Int; let model_safetensors_sha256: String }
    let meta: Meta
    let items: [Item]
    let probe: Probe

    struct Debug: Decodable {
        let source: String; let id: String; let text: String?; let input_ids: [Int]; let tokens: Int
        let hidden_states: [[Double]]; let mean_pooled: [Double]; let embedding: [Double]
    }
    struct HiddenStates: Decodable { let texts: [Debug] }

    static func load() throws -> (MiniLMGoldens, HiddenStates) {
        let d = JSONDecoder()
        return (try d.decode(MiniLMGoldens.self, from: Data(contentsOf: StudentPaths.fixtures
                    .appendingPathComponent("minilm-embeddings.json"))),
                try d.decode(HiddenStates.self, from: Data(contentsOf: StudentPaths.fixtures
                    .appendingPathComponent("minilm-hidden-states.json"))))
    }
}

private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

@Suite struct MiniLMGoldenFixtureTests {
    @Test func embeddingsAreUnitVectorsWithWellFormedIds() throws {
        let (g, _) = try MiniLMGoldens.load()
        #expect(g.meta.max_seq_length == 256 && g.meta.dims == 384)
        #expect(g.items.count >= 200)
        #expect(Set(g.items.map { "\($0.source)/\($0.id)" }).count == g.items.count, "duplicate items")
        for it in g.items {
            #expect(it.embedding.count == 384, "\(it.source)/\(it.id)")
            #expect(abs(dot(it.embedding, it.embedding) - 1) < 1e-5, "\(it.source)/\(it.id) not unit norm")
            #expect(it.input_ids.first == 101 && it.input_ids.last == 102, "\(it.source)/\(it.id) ids")
            #expect(it.input_ids.count <= 256 && it.input_ids.allSatisfy { $0 >= 0 && $0 < 30522 })
            #expect(it.input_ids.dropFirst().dropLast().allSatisfy { $0 != 101 && $0 != 102 && $0 != 0 })
        }
        let lengths = g.items.map(\.input_ids.count)
        #expect(lengths.filter { $0 == 256 }.count >= 10, "too few texts hit the 256-token cap")
        #expect(lengths.filter { $0 <= 16 }.count >= 40, "too few short queries")
        #expect(Set(g.items.map { $0.source.split(separator: "-").first! })
                == ["dl19", "dl20", "cranfield", "vaswani", "scifact", "probe", "edge"])
        #expect(g.items.first { $0.id == "empty" }?.input_ids == [101, 102])
    }

    @Test func probeCosinesMatchPublishedValues() throws {
        let (g, _) = try MiniLMGoldens.load()
        #expect(zip(g.probe.cosines, [0.8824, 0.4583, 0.0268]).allSatisfy { abs($0 - $1) < 5e-5 }, "\(g.probe.cosines)")
        let byText = Dictionary(g.items.filter { $0.source == "probe" }.compactMap { it in it.text.map { ($0, it.embedding) } },
                                uniquingKeysWith: { a, _ in a })
        let q = try #require(byText[g.probe.query])
        for (p, c) in zip(g.probe.passages, g.probe.cosines) {
            #expect(abs(dot(q, try #require(byText[p])) - c) < 1e-5)
        }
    }

    /// The ground rule: no text of ../shared/data in the repository. Data items carry a reference (source, id) only.
    @Test func onlyTextsNotFromTheDataAreLiteral() throws {
        let (g, h) = try MiniLMGoldens.load()
        for it in g.items {
            let fromData = GoldenTexts.sources[it.source] != nil
            #expect(fromData == (it.text == nil), "\(it.source)/\(it.id): text present = \(it.text != nil)")
            #expect(fromData || ["probe", "edge"].contains(it.source), "unknown source \(it.source)")
        }
        for t in h.texts { #expect((GoldenTexts.sources[t.source] != nil) == (t.text == nil), "\(t.source)/\(t.id)") }
        #expect(g.items.filter { $0.text == nil }.count >= 190)
    }

    @Test(.enabled(if: GoldenTexts.available, "needs ../shared/data (golden texts are references into it)"))
    func referencesResolveToRecords() throws {
        let (g, _) = try MiniLMGoldens.load()
        for it in g.items where it.text == nil {
            let text = try #require(try GoldenTexts.text(source: it.source, id: it.id), "\(it.source)/\(it.id)")
            #expect(!text.isEmpty, "\(it.source)/\(it.id) is empty")
        }
    }

    @Test func hiddenStatesAgreeWithEmbeddings() throws {
        let (g, h) = try MiniLMGoldens.load()
        #expect(h.texts.count == 3)
        #expect(h.texts.contains { $0.input_ids.count == 256 })
        for t in h.texts {
            #expect(t.hidden_states.count == 7)   // embeddings layer + 6 encoder layers
            #expect(t.hidden_states.allSatisfy { $0.count == t.tokens * 384 })
            // Normalising the mean-pooled vector gives the final embedding.
            let n = dot(t.mean_pooled, t.mean_pooled).squareRoot()
            #expect(zip(t.mean_pooled, t.embedding).allSatisfy { abs($0 / n - $1) < 1e-6 })
            let item = g.items.first { $0.source == t.source && $0.id == t.id }
            #expect(item?.embedding == t.embedding && item?.input_ids == t.input_ids)
            // Every value is finite.
            #expect(t.hidden_states.allSatisfy { row in row.allSatisfy { $0.isFinite } })
        }
        // After the embeddings layer, token 0 is [CLS] at position 0 with segment 0 in every text: same row.
        let cls = h.texts.map { Array($0.hidden_states[0][0..<384]) }
        #expect(cls.allSatisfy { $0 == cls[0] })
        #expect(h.texts[0].hidden_states[0][384..<768] != h.texts[1].hidden_states[0][384..<768])
    }
}
