// The configuration of one student of the compression grid (Chaulwar et al. 2022 §4; Docs/Paper-ExtremeCompression.md
// Paper B): its vocabulary (the teacher's, or a WordPiece vocabulary of size V trained on the distillation texts),
// hidden/output size k (the PCA target), depth L, the ranker type (token size 52 or 90) and the distillation
// hyper-parameters of sentence-transformers (§3.2). Every type is Codable and Hashable so that the experiment grid
// can cache results by `DistillConfig.hash`. Leaves out: the multilingual (parallel-sentence) variant of §3.1.

import Foundation
import Vocab
import Training

/// The two ranker types of the paper (Xayn's SMBert and QAMBert, digest §2.1).
public enum RankerType: String, Codable, Hashable, Sendable, CaseIterable {
    /// Short symmetric texts (titles); fixed token size 52.
    case semanticSimilarity = "semantic"
    /// Query vs passage; fixed token size 90.
    case questionAnswer = "qa"

    /// The fixed token size of the deployed models, [CLS] and [SEP] included.
    public var tokenSize: Int { self == .semanticSimilarity ? 52 : 90 }
}

/// Where the student's vocabulary comes from.
public enum VocabularyChoice: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The teacher's `vocab.txt` (30,522 tokens for all-MiniLM-L6-v2).
    case teacher
    /// A WordPiece vocabulary of this size trained on the distillation texts (extension 1, digest §4.1).
    case trained(size: Int)

    public var description: String {
        switch self {
        case .teacher: return "teacher"
        case .trained(let v): return "\(v)"
        }
    }

    /// "teacher" or a size such as "8000" or "8k".
    public init?(parsing s: String) {
        let t = s.lowercased()
        if t == "teacher" { self = .teacher; return }
        let scale = t.hasSuffix("k") ? 1000 : 1
        guard let n = Int(t.hasSuffix("k") ? String(t.dropLast()) : t), n > 0 else { return nil }
        self = .trained(size: n * scale)
    }
}

/// The student's architecture: V, k, L. Heads keep a head size of 32 (k/32 heads, at least 1, lowered until it
/// divides k); the feed-forward size is 4k, as BERT.
public struct StudentShape: Codable, Hashable, Sendable {
    public var vocabulary: VocabularyChoice
    /// k: hidden size = output embedding size.
    public var hidden: Int
    /// L: transformer layers.
    public var layers: Int
    /// Teacher layers to copy when k equals the teacher's hidden size (layer reduction); nil → `defaultLayers`.
    public var keepLayers: [Int]?

    public init(vocabulary: VocabularyChoice, hidden: Int, layers: Int, keepLayers: [Int]? = nil) {
        self.vocabulary = vocabulary; self.hidden = hidden; self.layers = layers; self.keepLayers = keepLayers
    }

    /// A = max(1, k/32), lowered until it divides k.
    public var heads: Int {
        var a = max(1, hidden / 32)
        while hidden % a != 0 { a -= 1 }
        return a
    }
    public var intermediate: Int { 4 * hidden }

    /// The teacher layers a layer-reduced student keeps: (i+1)·n/L − 1 for i < L (the last of L equal blocks;
    /// for n = 6: L=1 → [5], L=2 → [2, 5], L=3 → [1, 3, 5]).
    public static func defaultLayers(keeping l: Int, of n: Int) -> [Int] {
        (0..<l).map { i in (i + 1) * n / l - 1 }
    }
}

/// sentence-transformers' distillation hyper-parameters (v2.2.0 `fit`, digest §3.2), plus our budget controls.
public struct DistillationSettings: Codable, Hashable, Sendable {
    public var batchSize = 64
    public var learningRate: Float = 1e-4
    public var adamEps: Float = 1e-6
    public var weightDecay: Float = 0.01
    public var maxGradNorm: Float = 1
    /// Warm-up share of the updates (sentence-transformers v3: warmup_ratio 0.1), then linear decay to 0.
    public var warmupFraction: Double = 0.1
    public var epochs = 1
    /// Stop after this many updates (nil: `epochs` full passes).
    public var maxSteps: Int?
    public var dropout: Float = 0.1
    public var seed: UInt64 = 42
    /// The teacher reads texts up to its own limit (256 for all-MiniLM-L6-v2), as `teacher_model.encode` does.
    public var teacherMaxLength = 256
    /// PCA is fitted on at most this many teacher embeddings (sentence-transformers: 20k–40k).
    public var pcaSampleLimit = 20_000
    /// `min_frequency` of the WordPiece trainer (BertWordPieceTokenizer.train's default 2).
    public var vocabMinFrequency = 2
    /// For a narrow student (new layers): start the last layer's output LayerNorm at γ = std and β = mean of the
    /// targets per dimension, so the first outputs have the targets' scale (ours; BERT init is γ = 1, β = 0).
    public var outputNormFromTargets = true
    /// For a narrow student: start layer i from teacher layer `projectedTeacherLayers[i]` seen through the PCA matrix
    /// (`StudentInitialisation.projectedLayer`; ours). nil (the default, and absent from the cache key): BERT's
    /// random init.
    public var projectedTeacherLayers: [Int]?

    public init() {}

    /// Decodes with a default for every missing key, so that configurations saved before a field existed still load.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DistillationSettings()
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? d.learningRate
        adamEps = try c.decodeIfPresent(Float.self, forKey: .adamEps) ?? d.adamEps
        weightDecay = try c.decodeIfPresent(Float.self, forKey: .weightDecay) ?? d.weightDecay
        maxGradNorm = try c.decodeIfPresent(Float.self, forKey: .maxGradNorm) ?? d.maxGradNorm
        warmupFraction = try c.decodeIfPresent(Double.self, forKey: .warmupFraction) ?? d.warmupFraction
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs
        maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps)
        dropout = try c.decodeIfPresent(Float.self, forKey: .dropout) ?? d.dropout
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        teacherMaxLength = try c.decodeIfPresent(Int.self, forKey: .teacherMaxLength) ?? d.teacherMaxLength
        pcaSampleLimit = try c.decodeIfPresent(Int.self, forKey: .pcaSampleLimit) ?? d.pcaSampleLimit
        vocabMinFrequency = try c.decodeIfPresent(Int.self, forKey: .vocabMinFrequency) ?? d.vocabMinFrequency
        outputNormFromTargets = try c.decodeIfPresent(Bool.self, forKey: .outputNormFromTargets) ?? d.outputNormFromTargets
        projectedTeacherLayers = try c.decodeIfPresent([Int].self, forKey: .projectedTeacherLayers)
    }
}

/// One student: shape, ranker type and how it is distilled.
public struct DistillConfig: Codable, Hashable, Sendable {
    public var shape: StudentShape
    public var rankerType: RankerType
    /// Word pieces the student reads, [CLS]/[SEP] included (52 or 90 by ranker type unless set).
    public var tokenSize: Int
    public var settings: DistillationSettings

    public init(shape: StudentShape, rankerType: RankerType = .questionAnswer, tokenSize: Int? = nil,
                settings: DistillationSettings = DistillationSettings()) {
        self.shape = shape; self.rankerType = rankerType
        self.tokenSize = tokenSize ?? rankerType.tokenSize; self.settings = settings
    }

    /// Canonical JSON (sorted keys): the cache key's source.
    public func canonicalJSON() -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return (try? e.encode(self)) ?? Data()
    }

    /// FNV-1a 64 of the canonical JSON, 16 hex digits: equal configurations, equal hashes (on every machine).
    public var hash: String { stableHash(canonicalJSON()) }
}
