// The real data of the compression experiments (Docs/Paper-ExtremeCompression.md), read with Corpus's readers:
//   • distillation texts: the DL20 passages, Cranfield, Vaswani and SciFact documents, and (when the data directory
//     has them) MS MARCO dev-small's queries, judged passages and BM25 candidates — never a test query, and no
//     passage of the DL19 collection;
//   • the QA ranker's test: TREC DL 2019, BM25 top-100 re-ranked, graded qrels;
//   • SciFact test queries against the SciFact corpus (dense retrieval);
//   • the agreement sample: DL19 passages (not in the distillation texts' DL20 collection file), shuffled with a
//     fixed seed.
// Leaves out: the full MS MARCO collection.

import Foundation
import Tensors
import Corpus
import Eval

/// Queries, candidate passages and judgements of a re-ranking test: Eval's `RerankingData`.
public typealias RerankingTask = RerankingData

/// Queries, a document collection and judgements of a dense-retrieval test.
public struct RetrievalTask: Sendable {
    public var queries: [TextRecord]
    public var documents: [TextRecord]
    public var qrels: Qrels
    public init(queries: [TextRecord], documents: [TextRecord], qrels: Qrels) {
        self.queries = queries; self.documents = documents; self.qrels = qrels
    }
}

public struct CompressionData: Sendable {
    public var distillationTexts: [String]
    public var dl19: RerankingTask
    public var scifact: RetrievalTask
    public var agreementTexts: [String]
    /// Whether MS MARCO dev-small's texts are among the distillation texts.
    public var includesDevSmall: Bool

    public init(distillationTexts: [String], dl19: RerankingTask, scifact: RetrievalTask, agreementTexts: [String],
                includesDevSmall: Bool = false) {
        self.distillationTexts = distillationTexts; self.dl19 = dl19; self.scifact = scifact; self.agreementTexts = agreementTexts
        self.includesDevSmall = includesDevSmall
    }

    /// Whether `root` holds MS MARCO dev-small's text files (queries, positives, BM25 top 20).
    public static func hasDevSmall(root: String) -> Bool {
        ["queries.tsv", "positives.tsv", "bm25-top20.tsv"].allSatisfy {
            FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent("msmarco-passage-dev-small/\($0)"))
        }
    }

    /// Dev-small's texts for distillation: every query, every judged passage and every BM25 candidate (each distinct
    /// passage once), except passages of the DL19 collection (`excluded` pids), in file order.
    static func devSmallTexts(root: String, excluded: Set<String>) throws -> [String] {
        func path(_ f: String) -> String { (root as NSString).appendingPathComponent("msmarco-passage-dev-small/\(f)") }
        var texts = try MSMarco.readRecords(path("queries.tsv")).map(\.text)
        var seen = Set<String>()
        for p in try MSMarcoDevSmall.readPositives(path("positives.tsv")) {
            if let pid = p.pid, excluded.contains(pid) { continue }
            if seen.insert(p.text).inserted { texts.append(p.text) }
        }
        for c in try MSMarcoDevSmall.readBM25Candidates(path("bm25-top20.tsv")) where !excluded.contains(c.pid) {
            if seen.insert(c.text).inserted { texts.append(c.text) }
        }
        return texts
    }

    /// Reads everything from the data directory `root` (see `DataDirectory.resolve`).
    /// - distillationLimit: keep at most this many distillation texts (a seeded sample of all sources).
    /// - agreementSample: texts in the agreement sample.
    /// - includeDevSmall: add dev-small's texts (`devSmallTexts`) when the data directory has them.
    public static func load(root: String, distillationLimit: Int? = nil, agreementSample: Int = 1000,
                            seed: UInt64 = 2022, includeDevSmall: Bool = true) throws -> CompressionData {
        func path(_ p: String) -> String { (root as NSString).appendingPathComponent(p) }
        guard let dl19 = KnownDataset.named("dl19"), let dl20 = KnownDataset.named("dl20"),
              let cran = KnownDataset.named("cranfield"), let vas = KnownDataset.named("vaswani"),
              let sci = KnownDataset.named("scifact") else {
            throw DataFormatError(file: root, line: 0, expected: "the known datasets dl19, dl20, cranfield, vaswani, scifact",
                                  found: "a missing entry")
        }
        var texts: [String] = []
        for d in [dl20, cran, vas, sci] {
            texts += try TextFiles.read(path(d.collection), queries: false).map(\.text).filter { !$0.isEmpty }
        }
        let passages19 = try TextFiles.read(path(dl19.collection), queries: false)
        let devSmall = includeDevSmall && hasDevSmall(root: root)
        if devSmall { texts += try devSmallTexts(root: root, excluded: Set(passages19.map(\.id))) }
        var rng = Xoshiro256(seed: seed)
        func shuffled<T>(_ a: [T]) -> [T] {
            var a = a
            for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, rng.nextInt(below: i + 1)) }
            return a
        }
        texts = shuffled(texts)
        if let m = distillationLimit { texts = Array(texts.prefix(m)) }

        var passageText: [String: String] = [:]
        for p in passages19 { passageText[p.id] = p.text }
        var queryText: [String: String] = [:]
        for q in try TextFiles.read(path(dl19.queries), queries: true) { queryText[q.id] = q.text }
        let qrels19 = Qrels(try TextFiles.readJudgements(path(dl19.qrels)))
        let bm25 = try Run.read(path("msmarco-passage-trec-dl/dl19/run.bm25.top100.trec"))
        let judged = bm25.results.filter { qrels19.judgements[$0.key] != nil }
        let task19 = RerankingTask(name: "dl19", queries: queryText, passages: passageText, qrels: qrels19,
                                   candidates: Run(judged, tag: bm25.tag))

        let sciTask = RetrievalTask(queries: try TextFiles.read(path(sci.queries), queries: true),
                                    documents: try TextFiles.read(path(sci.collection), queries: false),
                                    qrels: Qrels(try TextFiles.readJudgements(path(sci.qrels))))
        let sample = Array(shuffled(passages19.map(\.text)).prefix(agreementSample))
        return CompressionData(distillationTexts: texts, dl19: task19, scifact: sciTask, agreementTexts: sample,
                               includesDevSmall: devSmall)
    }
}
