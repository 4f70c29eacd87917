// Loading a DistilBERT checkpoint (the paper's students start from distilbert-base-uncased): a tiny random
// `transformers.DistilBertModel` written as a Hugging Face folder, under DistilBERT's names with and without the Hub's
// `distilbert.` prefix, gives the last hidden states PyTorch computed (Tests/Fixtures/Student/distilbert-tiny.json,
// make_distilbert_golden.py), for one sequence and for a padded batch; token types add nothing (DistilBERT has none);
// the loaded encoder saves and loads back as a BERT with the same outputs; `sinusoidal_pos_embds` is refused.
import Foundation
import PropertyTesting
import Tensors
import Testing
@testable import Student

struct DistilGolden: Decodable {
    struct Values: Decodable { let shape: [Int]; let values: [Float] }
    struct Input: Decodable { let input_ids: [[Int]]; let attention_mask: [[Int]] }
    let tensors: [String: Values]
    let inputs: [Input]
    let outputs: [Values]
}

@Suite struct DistilBERTLoadTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Student/distilbert-tiny.json")

    static func golden() throws -> (DistilGolden, [String: Any]) {
        let data = try Data(contentsOf: fixture)
        let config = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["config"] as? [String: Any])
        return (try JSONDecoder().decode(DistilGolden.self, from: data), config)
    }

    /// The golden model as a Hugging Face folder, its tensor names prefixed with `prefix`.
    static func folder(prefix: String, config: [String: Any], golden: DistilGolden) throws -> URL {
        let dir = testScratchRoot.appendingPathComponent("distilbert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: config).write(to: dir.appendingPathComponent("config.json"))
        var tensors: [String: Tensor] = [:]
        for (name, t) in golden.tensors { tensors[prefix + name] = Tensor(shape: t.shape, scalars: t.values) }
        try SafeTensors.write(tensors, to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    func check(_ encoder: TransformerEncoder, _ golden: DistilGolden, tokenType: Int = 0) {
        for (input, expected) in zip(golden.inputs, golden.outputs) {
            let lengths = input.attention_mask.map { $0.reduce(0, +) }
            let sequences = zip(input.input_ids, lengths).map { Array($0.prefix($1)) }
            let out = withNoGrad { encoder(EncoderInput(sequences: sequences,
                                                        tokenTypes: sequences.map { $0.map { _ in tokenType } })) }
            let (s, h) = (expected.shape[1], expected.shape[2])
            #expect(out.shape == expected.shape)
            var worst: Float = 0
            for (b, n) in lengths.enumerated() {   // real tokens only: padded positions are not compared
                for i in 0..<(n * h) { worst = max(worst, abs(out.scalars[b * s * h + i] - expected.values[b * s * h + i])) }
            }
            #expect(worst <= 2e-5, "max |Δ| = \(worst) for \(input.input_ids)")
        }
    }

    @Test func hiddenStatesMatchPyTorchUnderEitherNaming() throws {
        let (golden, config) = try Self.golden()
        for prefix in ["", "distilbert."] {
            let dir = try Self.folder(prefix: prefix, config: config, golden: golden)
            defer { try? FileManager.default.removeItem(at: dir) }
            let encoder = try TransformerEncoder.load(dir)
            #expect(encoder.layers.count == 2 && encoder.pooler == nil && encoder.config.modelType == "bert")
            check(encoder, golden)
            check(encoder, golden, tokenType: 1)
            // Saved, it is a BERT folder that loads back to the same outputs.
            let saved = dir.appendingPathComponent("saved")
            try encoder.save(to: saved)
            check(try TransformerEncoder.load(saved), golden)
        }
    }

    @Test func sinusoidalPositionsAndAMissingTensorAreRefused() throws {
        let (golden, config) = try Self.golden()
        var sinusoidal = config
        sinusoidal["sinusoidal_pos_embds"] = true
        let dir = try Self.folder(prefix: "", config: sinusoidal, golden: golden)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: HuggingFaceConfigError(file: dir.appendingPathComponent("config.json").path,
                                               .unsupported("sinusoidal_pos_embds", value: "true"))) {
            try TransformerEncoder.load(dir)
        }
        var partial = golden.tensors
        partial["transformer.layer.1.ffn.lin2.weight"] = nil
        let dir2 = try Self.folder(prefix: "", config: config,
                                   golden: DistilGolden(tensors: partial, inputs: golden.inputs, outputs: golden.outputs))
        defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(throws: EncoderWeightsError.self) { try TransformerEncoder.load(dir2) }
    }
}
