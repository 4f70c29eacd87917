// Parity of the Swift BERT encoder with sentence-transformers on PyTorch (all-MiniLM-L6-v2): per-layer hidden states
// for three texts, and the final normalised embeddings of every golden text (≥ 200 real texts of varied length,
// from Tests/Fixtures/Student/make_goldens.py). Target: max absolute difference ≤ 1e-4.

import Foundation
import Testing
import Tensors
import Vocab
@testable import Student

/// `text` is present only for texts not from ../shared/data; the others are read by (source, id): GoldenTexts.
struct GoldenItem: Decodable {
    let source: String
    let id: String
    let text: String?
    let input_ids: [Int]
    let embedding: [Float]
}
struct GoldenEmbeddings: Decodable { let items: [GoldenItem] }

struct HiddenStateText: Decodable {
    let source: String
    let id: String
    let input_ids: [Int]
    let tokens: Int
    let hidden_states: [[Float]]
    let mean_pooled: [Float]
    let embedding: [Float]
}
struct GoldenHiddenStates: Decodable { let texts: [HiddenStateText] }

enum MiniLM {
    /// Loaded once per test process (the weights are 90 MB).
    nonisolated(unsafe) static let model: SentenceEncoder? = {
        guard StudentPaths.miniLMAvailable else { return nil }
        return try? SentenceEncoder.load(StudentPaths.miniLM)
    }()

    static func goldens<T: Decodable>(_ file: String, as: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: StudentPaths.fixtures.appendingPathComponent(file)))
    }
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "lengths \(a.count) ≠ \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

@Suite(.enabled(if: StudentPaths.miniLMAvailable, "needs ../shared/models/all-MiniLM-L6-v2"))
struct EncoderParityTests {
    @Test func loadsMiniLM() throws {
        let m = try #require(MiniLM.model)
        #expect(m.encoder.config.numHiddenLayers == 6)
        #expect(m.encoder.layers.count == 6)
        #expect(m.pooling == .mean)
        #expect(m.normalize)
        #expect(m.maxSeqLength == 256)
        #expect(m.encoder.pooler != nil)
        // 22.7M parameters, pooler included (as sentence-transformers reports for the BertModel).
        #expect(m.encoder.parameters.reduce(0) { $0 + $1.tensor.count } == 22_713_216)
    }

    @Test func hiddenStatesMatchLayerByLayer() throws {
        let m = try #require(MiniLM.model)
        let golden = try MiniLM.goldens("minilm-hidden-states.json", as: GoldenHiddenStates.self)
        for t in golden.texts {
            let input = EncoderInput(sequences: [t.input_ids])
            let mask = TransformerEncoder.attentionMask(input)
            var h = withNoGrad { m.encoder.embed(input) }
            let hdim = m.encoder.hiddenSize
            for layer in 0...6 {
                if layer > 0 { h = withNoGrad { m.encoder.runLayers(h, mask: mask, range: (layer - 1)..<layer) } }
                let ours = Array(h.scalars[0..<(t.tokens * hdim)])
                let d = maxAbsDiff(ours, t.hidden_states[layer])
                #expect(d <= 1e-4, "layer \(layer) of \(t.source)/\(t.id): max |Δ| = \(d)")
            }
            let e = withNoGrad { m(input) }
            #expect(maxAbsDiff(e.scalars, t.embedding) <= 1e-4)
        }
    }

    @Test func embeddingsMatchSentenceTransformers() throws {
        let m = try #require(MiniLM.model)
        let golden = try MiniLM.goldens("minilm-embeddings.json", as: GoldenEmbeddings.self)
        #expect(golden.items.count >= 200)
        // Batches of similar length, as a user would encode them.
        let items = ProcessInfo.processInfo.environment["STUDENT_PARITY_ALL"] == nil
            ? Array(golden.items.sorted { $0.input_ids.count < $1.input_ids.count }.prefix(24)) : golden.items
        let order = items.indices.sorted { items[$0].input_ids.count < items[$1].input_ids.count }
        var worst: Float = 0
        for chunk in stride(from: 0, to: order.count, by: 16).map({ Array(order[$0..<min($0 + 16, order.count)]) }) {
            let input = EncoderInput(sequences: chunk.map { items[$0].input_ids })
            let e = withNoGrad { m(input) }
            let d = m.dimension
            for (row, i) in chunk.enumerated() {
                let ours = Array(e.scalars[(row * d)..<((row + 1) * d)])
                let diff = maxAbsDiff(ours, items[i].embedding)
                worst = max(worst, diff)
                #expect(diff <= 1e-4, "\(items[i].source) \(items[i].id) (\(items[i].input_ids.count) tokens): max |Δ| = \(diff)")
            }
        }
        print("MiniLM parity: \(items.count) texts, worst max |Δ| = \(worst)")
    }
}

@Suite(.enabled(if: StudentPaths.miniLMAvailable, "needs ../shared/models/all-MiniLM-L6-v2"))
struct TextPipelineTests {
    static let tokenizer: BertTokenizer? = try? BertTokenizer(vocabFile: StudentPaths.miniLM.appendingPathComponent("vocab.txt").path)

    @Test(.enabled(if: GoldenTexts.available, "needs ../shared/data (golden texts are references into it)"))
    func tokenizerGivesTheGoldenInputIDs() throws {
        let m = try #require(MiniLM.model), tok = try #require(Self.tokenizer)
        let golden = try MiniLM.goldens("minilm-embeddings.json", as: GoldenEmbeddings.self)
        for item in golden.items {
            let text = try #require(try item.text ?? GoldenTexts.text(source: item.source, id: item.id))
            #expect(m.inputIDs(text, tokenizer: tok) == item.input_ids, "\(item.source) \(item.id)")
        }
    }

    @Test func probeCosinesMatchThePublishedValues() throws {
        let m = try #require(MiniLM.model), tok = try #require(Self.tokenizer)
        let q = "How many people live in London?"
        let passages = ["Around 9 Million people live in London", "London is known for its financial district",
                        "The mitochondria is the powerhouse of the cell"]
        let e = m.embed([q] + passages, tokenizer: tok)
        let cos = passages.indices.map { i in zip(e[0], e[i + 1]).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
        // The data README's published probe: 0.8824 / 0.4583 / 0.0268.
        for (c, expected) in zip(cos, [Float(0.8824), 0.4583, 0.0268]) { #expect(abs(c - expected) < 1e-4, "\(c) vs \(expected)") }
    }
}
