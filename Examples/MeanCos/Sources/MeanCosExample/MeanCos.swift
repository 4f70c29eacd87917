// The worked example of Docs/AddingARanker.md: a new ranker architecture written outside the package, in one file —
// a bi-encoder with mean pooling and cosine similarity ("MeanCos") conforming to `Ranker`, using only the
// library's public API. The doc page quotes this file; `main.swift` registers it and runs the workflow on it.
import Foundation
import Tensors
import Student

/// MeanCos: one shared encoder; q̂ and p̂ are the masked means of the token vectors; score = 20 · cos(q̂, p̂).
/// (All-MiniLM-L6-v2 was trained this way, so unlike BERT_DOT's [CLS] dot product it ranks well untrained.)
public final class MeanCos: EncoderRanker, @unchecked Sendable {
    public static let architecture = "mean-cos"
    public let encoder: TransformerEncoder
    public var limits: InputLimits
    public let specials: SpecialTokens
    public let scale: Float = 20

    public init(encoder: TransformerEncoder, limits: InputLimits = .init(), specials: SpecialTokens = .bert) {
        self.encoder = encoder; self.limits = limits; self.specials = specials
    }

    public var characteristics: RankerCharacteristics {
        let h = encoder.hiddenSize
        return RankerCharacteristics(interaction: "Single cosine", passageCache: true, nnIndex: true,
                                     storageUnit: "|P|", floatsPerPassage: { _ in h })
    }

    public var parameters: [NamedParameter] { encoder.parameters.filter { !$0.name.hasPrefix("pooler.") } }

    /// Mean-pooled, L2-normalised vectors [N,H].
    func embed(_ texts: [[Int]], isQuery: Bool) -> Tensor {
        let input = EncoderInput(sequences: texts.map { wrapped(isQuery ? limits.query($0) : limits.passage($0), specials) },
                                 padId: specials.pad)
        return SentenceEncoder.pool(encoder(input), input: input, mode: .mean).l2Normalized()
    }

    public func score(_ pairs: [RankerPair]) -> Tensor {
        let q = embed(pairs.map(\.query), isQuery: true)            // [N,H]
        let p = embed(pairs.map(\.passage), isQuery: false)         // [N,H]
        return (q * p).sum(axis: 1) * scale                         // [N]
    }

    public func save(to folder: URL) throws {
        try saveRanker(self, encoders: ["encoder": encoder], heads: [:], options: [:], to: folder)
    }

    /// The registry entry (`RankerRegistry.register(MeanCos.entry)` at start-up makes it an architecture).
    public static let entry = RankerRegistry.Entry(
        architecture: architecture, paperName: "MeanCos (example)",
        make: { t, r in MeanCos(encoder: t.reduced(keepingLayers: r.keepLayers), limits: r.limits) },
        load: { f, m in MeanCos(encoder: try TransformerEncoder.load(f.appendingPathComponent("encoder")),
                                limits: m.limits, specials: m.specials) })
}
