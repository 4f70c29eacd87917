// The papers' own numbers, typed in from the papers (and, where the body could not be read, from the authors' slides
// and digitised figures), each labelled with where it came from.
// These are the only hand-typed numbers in the package. A cell the digests mark UNVERIFIED or "?" is `.unknown`,
// never guessed. Every table the package writes shows these beside its own results.
//
// Provenance (the digests' tags): .table = an exact image of the paper's table (lecture slides); .digitised = read off
// the paper's figure by pixel geometry (about ±0.001); .modelCard = the authors' Hugging Face model card;
// .author = stated by the author elsewhere (e.g. a GitHub issue).

/// One cell of a paper's table.
public enum PaperValue: Sendable, Equatable {
    case known(Double, Provenance)
    case unknown

    public enum Provenance: String, Sendable {
        case table = "paper table"
        case digitised = "digitised from the paper's figure (±0.001)"
        case modelCard = "authors' model card"
        case author = "stated by the author"
        case lecture = "authors' lecture slides"
    }

    public var value: Double? { if case let .known(v, _) = self { return v } else { return nil } }
}

/// Shorthands for typing the tables below.
private func t(_ v: Double) -> PaperValue { .known(v, .table) }
private func d(_ v: Double) -> PaperValue { .known(v, .digitised) }
private let unk = PaperValue.unknown

/// Paper A: Hofstätter et al. 2020, Margin-MSE (arXiv:2010.02666). What is known of it: Docs/Paper-MarginMSE.md.
public enum MarginMSEPaper {
    /// Table A, model characteristics (exact image of the paper's table; 6-layer DistilBERT instances).
    public struct Characteristics: Sendable {
        public let model: String
        public let relativeEffectiveness: PaperValue   // "Effect." column; definition UNVERIFIED
        public let queryLatencyMs: PaperValue
        public let gpuMemoryGB: PaperValue
        public let interaction: String
        public let passageCache: Bool
        public let nnIndex: Bool
        public let storage: String                     // |P| = passages, |T| = tokens
    }

    public static let tableA: [Characteristics] = [
        .init(model: "BERT_CAT", relativeEffectiveness: t(1), queryLatencyMs: t(950), gpuMemoryGB: t(10.4),
              interaction: "All TF layers", passageCache: false, nnIndex: false, storage: "–"),
        .init(model: "BERT_DOT", relativeEffectiveness: t(0.87), queryLatencyMs: t(23), gpuMemoryGB: t(3.6),
              interaction: "Single dot product", passageCache: true, nnIndex: true, storage: "|P|"),
        .init(model: "ColBERT", relativeEffectiveness: t(0.97), queryLatencyMs: t(28), gpuMemoryGB: t(3.4),
              interaction: "m·n dot products", passageCache: true, nnIndex: true, storage: "|T|"),
        .init(model: "PreTT", relativeEffectiveness: t(0.97), queryLatencyMs: t(455), gpuMemoryGB: t(10.9),
              interaction: "Min. 1 TF layer (here 3)", passageCache: true, nnIndex: false, storage: "|T|"),
        .init(model: "TK", relativeEffectiveness: t(0.89), queryLatencyMs: t(14), gpuMemoryGB: t(1.8),
              interaction: "m·n dot pr. + kernel-pool", passageCache: true, nnIndex: false, storage: "|T|"),
    ]

    /// Table B, teachers. Columns: TREC-19 nDCG@10, TREC-19 MRR@10, DEV nDCG@10, DEV MRR@10.
    public static let tableB: [(teacher: String, cells: [PaperValue])] = [
        ("BERT-Base_CAT (T1)", [d(0.730), unk, unk, d(0.376)]),
        ("BERT-Large_CAT", [unk, unk, unk, unk]),
        ("ALBERT-Large_CAT", [unk, unk, unk, .known(0.385, .lecture)]),
        ("T2 mean ensemble", [unk, unk, unk, unk]),
    ]

    /// Table C, students re-ranking BM25 top-1000: (no KD, T1, T2) for TREC-19 nDCG@10 and DEV MRR@10.
    /// Digitised from the paper's Figure C except the cells marked otherwise. Latency in ms (Fig. C x position).
    public struct StudentRow: Sendable {
        public let student: String
        public let latencyMs: PaperValue
        public let trecNDCG10: [PaperValue]   // none, T1, T2
        public let trecMRR10: [PaperValue]    // none, T1, T2 (binarisation at grade 2)
        public let devMRR10: [PaperValue]     // none, T1, T2
        public let devNDCG10: [PaperValue]    // none, T1, T2
    }

    public static let tableC: [StudentRow] = [
        .init(student: "DistilBERT_CAT", latencyMs: d(950), trecNDCG10: [d(0.723), d(0.739), d(0.747)],
              trecMRR10: [unk, unk, unk], devMRR10: [d(0.372), d(0.380), d(0.391)], devNDCG10: [unk, unk, unk]),
        .init(student: "PreTT", latencyMs: t(455), trecNDCG10: [d(0.717), d(0.748), d(0.737)],
              trecMRR10: [unk, unk, unk], devMRR10: [d(0.358), d(0.378), d(0.386)], devNDCG10: [unk, unk, unk]),
        .init(student: "ColBERT", latencyMs: t(28), trecNDCG10: [d(0.722), d(0.738), .known(0.744, .author)],
              trecMRR10: [unk, unk, unk], devMRR10: [d(0.357), d(0.370), .known(0.375, .author)],
              devNDCG10: [unk, unk, unk]),
        .init(student: "BERT-Base_DOT", latencyMs: d(35.5), trecNDCG10: [d(0.675), d(0.677), d(0.724)],
              trecMRR10: [unk, unk, unk], devMRR10: [d(0.320), d(0.321), d(0.333)], devNDCG10: [unk, unk, unk]),
        .init(student: "DistilBERT_DOT", latencyMs: t(23), trecNDCG10: [d(0.670), d(0.704), .known(0.712, .modelCard)],
              trecMRR10: [unk, unk, .known(0.862, .modelCard)],
              devMRR10: [d(0.316), d(0.330), .known(0.332, .modelCard)],
              devNDCG10: [unk, unk, .known(0.391, .modelCard)]),
        .init(student: "TK", latencyMs: t(14), trecNDCG10: [d(0.652), d(0.669), d(0.666)],
              trecMRR10: [unk, unk, unk], devMRR10: [d(0.326), d(0.339), d(0.341)], devNDCG10: [unk, unk, unk]),
    ]

    /// The BERT-Base_CAT reference point of Figure C (= teacher T1).
    public static let bertBaseCatReference = (latencyMs: d(2020), trecNDCG10: d(0.730), devMRR10: d(0.376))

    /// Table E, dense retrieval over the full MS MARCO collection (exact image of the paper's table).
    /// Columns: TREC-19 nDCG@10, MRR@10, R@1K; DEV nDCG@10, MRR@10, R@1K.
    public static let tableE: [(model: String, teacher: String, cells: [PaperValue])] = [
        ("BM25", "–", [t(0.501), t(0.689), t(0.739), t(0.241), t(0.194), t(0.868)]),
        ("BERT-Base_DOT ANCE", "–", [t(0.648), unk, unk, unk, t(0.330), t(0.959)]),
        ("TCT-ColBERT", "–", [t(0.670), unk, t(0.720), unk, t(0.335), t(0.964)]),
        ("RocketQA", "–", [unk, unk, unk, unk, t(0.370), t(0.979)]),
        ("BERT-Base_DOT", "–", [t(0.593), t(0.757), t(0.664), t(0.347), t(0.294), t(0.913)]),
        ("BERT-Base_DOT", "T1", [t(0.631), t(0.771), t(0.702), t(0.358), t(0.304), t(0.931)]),
        ("BERT-Base_DOT", "T2", [t(0.668), t(0.826), t(0.737), t(0.371), t(0.315), t(0.947)]),
        ("DistilBERT_DOT", "–", [t(0.626), t(0.836), t(0.713), t(0.354), t(0.299), t(0.930)]),
        ("DistilBERT_DOT", "T1", [t(0.687), t(0.818), t(0.749), t(0.379), t(0.321), t(0.954)]),
        ("DistilBERT_DOT", "T2", [t(0.697), t(0.868), t(0.769), t(0.381), t(0.323), t(0.957)]),
    ]

    /// Figure B, average positive / negative output score during no-KD training, digitised (thousands of batches).
    public static let figureBBatchesK: [Double] = [0, 50, 100, 250, 500]
    public static let figureB: [(model: String, pos: [Double], neg: [Double])] = [
        ("ColBERT", [200, 141, 142, 146, 148], [192, 128, 129, 133, 135]),
        ("BERT_DOT", [64, 79, 89, 103, 111], [54, 67, 77, 90, 97]),
        ("BERT_CAT", [7, 8, 8, 8, 8], [-5, -5, -5, -5, -6]),
        ("TK", [12, -1, -6, -8, -5], [3, -13, -18, -20, -18]),
    ]

    /// BM25 reference values as the paper prints them (Table E).
    public static let bm25TREC19 = (ndcg10: t(0.501), mrr10: t(0.689), recall1000: t(0.739))
}

/// Paper B: Chaulwar et al. 2022, extreme compression (arXiv:2207.12852). What is known of it: Docs/Paper-ExtremeCompression.md.
/// The paper's body could not be read: **every number of its tables and figures is unknown here.** The only facts
/// are from the authors' code (Xayn): deployed students have embedding size 128, token size 52 (semantic ranker,
/// SMBert) or 90 (question-answer ranker, QAMBert), and the QA ranker was "updated to a 1 layer model".
public enum ExtremeCompressionPaper {
    public static let deployedEmbeddingSize = 128      // [C] xayn_ai rubert model.rs
    public static let smbertTokenSize = 52             // [C] since August 2021
    public static let qambertTokenSize = 90            // [C]
    public static let qambertLayers = 1                // [C] "Update qambert to 1 layer model"
    /// Every quality, size and speed cell of Tables 1–3 and Figures 1–3.
    public static let tableCell = PaperValue.unknown
}
