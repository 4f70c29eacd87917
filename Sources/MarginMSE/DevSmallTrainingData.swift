// Paper A's training triples from real MS MARCO queries: the 6,980 dev-small queries, each with the text of one
// judged-relevant passage (`positives.tsv`), and for 600 of them the BM25 top 20 of the full collection with labels
// (`bm25-top20.tsv`). The paper trains on MS MARCO's own triples (p⁺ judged, p⁻ from BM25); this builds the same kind:
//
//   p⁺  the query's judged passage
//   p⁻  from the query's own full-collection BM25 top 20 (label 0) where the file has it; else from our BM25 top
//       `negativeDepth` over a negative pool: the BM25 candidates and the other training queries' positives
//   validation  `validationQueries` of the BM25-top-20 queries that hold a relevant candidate, held out whole (their
//       positive, their candidates): re-ranking their top 20, nDCG@10 with the MS MARCO qrels, for early stopping
//
// Test folds stay clean: no passage of a test collection (TREC DL 2019 and 2020) is a negative or in the pool, and a
// query whose judged passage is in a test collection is left out.
// `titled` positives start with a document title that no other passage here has, so a model can learn "a title means
// relevant". `TitledRows` says how they are used: `.drop` (clean rows only, 2,747 queries), `.keep` (every row; titled
// texts only as positives), `.bothSides` (every row, and titled positives of other queries join the negative pool, so
// titles appear among the negatives too).
// Everything is deterministic for a seed: queries in byte order of their ids, shuffles driven by the seed.
// Leaves out: the full collection (8.8M passages) as a negative pool; several positives per query.

import Foundation
import Corpus
import Eval
import Tensors
import Training
import Vocab

/// How the `titled` rows of `positives.tsv` are used (see the file comment).
public enum TitledRows: String, Codable, CaseIterable, Sendable {
    case drop, keep, bothSides = "both-sides"
}

/// How the dev-small triples are sampled. Codable: cached results are keyed by it.
public struct DevSmallSampling: Codable, Equatable, Sendable {
    public var titled: TitledRows
    /// Negatives drawn per query (fewer when it has fewer).
    public var negativesPerQuery: Int
    /// Candidates considered for p⁻: the top of the file's BM25 list, or of ours over the pool.
    public var negativeDepth: Int
    /// BM25-top-20 queries (with a relevant candidate) held out for validation.
    public var validationQueries: Int
    public var seed: UInt64

    /// `titled`: `.keep` by default — measured at least as good as `.drop` for a 6-layer BERT_CAT teacher
    /// (Docs/Paper-MarginMSE.md, "The titled rows, measured").
    public init(titled: TitledRows = .keep, negativesPerQuery: Int = 4, negativeDepth: Int = 20,
                validationQueries: Int = 100, seed: UInt64 = 208_973_249) {
        self.titled = titled; self.negativesPerQuery = negativesPerQuery; self.negativeDepth = negativeDepth
        self.validationQueries = validationQueries; self.seed = seed
    }
}

/// The dev-small files, read and checked.
public struct DevSmallData: Sendable {
    public var queries: [String: String]
    public var qrels: Qrels
    public var positives: [JudgedPositive]
    public var bm25: [BM25CandidateList]

    public init(queries: [String: String], qrels: Qrels, positives: [JudgedPositive], bm25: [BM25CandidateList]) {
        self.queries = queries; self.qrels = qrels; self.positives = positives; self.bm25 = bm25
    }

    /// Reads `<data>/msmarco-passage-dev-small/` (queries.tsv, qrels.txt, positives.tsv, bm25-top20.tsv).
    public static func load(dataDirectory: String) throws -> DevSmallData {
        let d = (dataDirectory as NSString).appendingPathComponent("msmarco-passage-dev-small")
        func path(_ f: String) -> String { (d as NSString).appendingPathComponent(f) }
        var q: [String: String] = [:]
        for r in try MSMarco.readRecords(path("queries.tsv")) { q[r.id] = r.text }
        return DevSmallData(queries: q, qrels: try Qrels.read(path("qrels.txt")),
                            positives: try MSMarcoDevSmall.readPositives(path("positives.tsv")),
                            bm25: try MSMarcoDevSmall.readBM25Lists(path("bm25-top20.tsv")))
    }
}

/// What the builder made, beside the triples: counts for the docs and the command line.
public struct DevSmallSummary: Sendable, Equatable {
    public var trainingQueries = 0, validationQueries = 0
    /// Training queries whose negatives came from the file's BM25 top 20 / from our BM25 over the pool.
    public var fileNegativeQueries = 0, poolNegativeQueries = 0
    public var poolPassages = 0
    /// Queries left out: positive in a test collection; titled (with `.drop`); positive among the validation
    /// candidates; no negative left.
    public var droppedTestPositive = 0, droppedTitled = 0, droppedValidationPositive = 0, droppedNoNegative = 0
    /// Negatives that carry a title (`.bothSides` only).
    public var titledNegatives = 0
}

extension DistillationData {
    /// Training triples, validation data and word pieces from dev-small (see the file comment). `testPassages`: every
    /// passage id of the test collections (none of them becomes a negative; a query whose positive is one is left out).
    public static func devSmall(_ data: DevSmallData, testPassages: Set<String>, tokenizer: BertTokenizer,
                                sampling: DevSmallSampling = .init()) -> (data: DistillationData, summary: DevSmallSummary) {
        var summary = DevSmallSummary()
        var rng = Xoshiro256(seed: sampling.seed)
        var passages: [String: String] = [:]
        // The positive's passage id: its MS MARCO pid when the text is the collection's, else one of its own.
        func positiveID(_ p: JudgedPositive) -> String {
            if let pid = p.pid, p.status != .titled { return pid }
            return "dev-positive-\(p.qid)"
        }
        var byQuery: [String: JudgedPositive] = [:]   // one row per query (a later row would replace an earlier one)
        for p in data.positives { byQuery[p.qid] = p }
        let lists = Dictionary(uniqueKeysWithValues: data.bm25.map { ($0.qid, $0) })

        // Validation: BM25-top-20 queries with a relevant candidate, held out whole. Drawn whatever the titled rule
        // (validation re-ranks the file's candidates and never reads the positive's text), so that runs under
        // different rules are validated on the same queries.
        var candidatesForValidation = data.bm25.filter { l in
            data.queries[l.qid] != nil && !(byQuery[l.qid]?.pid.map(testPassages.contains) ?? false)
                && l.candidates.contains { $0.label > 0 }
        }.map(\.qid).sorted(by: idOrder)
        shuffle(&candidatesForValidation, &rng)
        let validation = Array(candidatesForValidation.prefix(sampling.validationQueries)).sorted(by: idOrder)
        let held = Set(validation)
        var validationRun: [String: [ScoredDoc]] = [:], validationPassages = Set<String>()
        for qid in validation {
            let kept = lists[qid]!.candidates.filter { !testPassages.contains($0.pid) }
            validationRun[qid] = kept.map { ScoredDoc($0.pid, Double(1000 - $0.rank)) }
            for c in kept { passages[c.pid] = c.text; validationPassages.insert(c.pid) }
        }

        // Training queries' positives: text not in a test collection, titled rows as the sampling says.
        var usable: [String: JudgedPositive] = [:]
        for qid in byQuery.keys.sorted(by: idOrder) {
            let p = byQuery[qid]!
            guard data.queries[qid] != nil, !held.contains(qid) else { continue }
            if let pid = p.pid, testPassages.contains(pid) { summary.droppedTestPositive += 1; continue }
            if p.status == .titled && sampling.titled == .drop { summary.droppedTitled += 1; continue }
            usable[qid] = p
        }

        // The negative pool: BM25 candidates of training queries and the training queries' positives (titled ones
        // with `.bothSides` only), never a test or validation passage.
        var poolTexts: [String: String] = [:]
        for l in data.bm25 where !held.contains(l.qid) {
            for c in l.candidates where !testPassages.contains(c.pid) && !validationPassages.contains(c.pid) {
                poolTexts[c.pid] = c.text
            }
        }
        var titledIDs = Set<String>()
        for (qid, p) in usable where !held.contains(qid) {
            if p.status == .titled && sampling.titled != .bothSides { continue }
            let id = positiveID(p)
            if !validationPassages.contains(id) { poolTexts[id] = p.text }
            if p.status == .titled { titledIDs.insert(id) }
        }
        let poolIDs = poolTexts.keys.sorted(by: idOrder)
        summary.poolPassages = poolIDs.count
        let needPool = usable.keys.contains { !held.contains($0) && lists[$0] == nil }
        let index = needPool ? BM25Index(documents: poolIDs.map { ($0, poolTexts[$0]!) }) : nil

        var triples: [TrainingTriple] = [], train: [String] = []
        for qid in usable.keys.sorted(by: idOrder) where !held.contains(qid) {
            let p = usable[qid]!, pos = positiveID(p)
            if validationPassages.contains(pos) { summary.droppedValidationPositive += 1; continue }
            let judged = data.qrels.judgements[qid] ?? [:]
            // Never a negative: the positive itself (by id or text), a passage judged relevant for the query.
            func allowed(_ pid: String, _ text: String) -> Bool {
                pid != pos && (judged[pid] ?? 0) <= 0 && text != p.text && !testPassages.contains(pid)
                    && !validationPassages.contains(pid)
            }
            var negatives: [String]
            if let list = lists[qid] {
                negatives = list.candidates.prefix(sampling.negativeDepth)
                    .filter { $0.label <= 0 && allowed($0.pid, $0.text) }.map { c in poolTexts[c.pid] = c.text; return c.pid }
                if !negatives.isEmpty { summary.fileNegativeQueries += 1 }
            } else {
                let hits = index!.search(data.queries[qid]!, k: sampling.negativeDepth + 2)
                negatives = hits.map(\.docid).filter { allowed($0, poolTexts[$0]!) }.prefix(sampling.negativeDepth).map { $0 }
                if !negatives.isEmpty { summary.poolNegativeQueries += 1 }
            }
            guard !negatives.isEmpty else { summary.droppedNoNegative += 1; continue }
            shuffle(&negatives, &rng)
            passages[pos] = p.text
            train.append(qid)
            for n in negatives.prefix(sampling.negativesPerQuery) {
                passages[n] = poolTexts[n]
                if titledIDs.contains(n) { summary.titledNegatives += 1 }
                triples.append(TrainingTriple(qid: qid, posPid: pos, negPid: n))
            }
        }
        shuffle(&triples, &rng)
        summary.trainingQueries = train.count
        summary.validationQueries = validation.count

        let queryTexts = Dictionary(uniqueKeysWithValues: (train + validation).map { ($0, data.queries[$0]!) })
        let validationQrels = Qrels(Dictionary(uniqueKeysWithValues: validation.map { ($0, data.qrels.judgements[$0] ?? [:]) }))
        let validationData = RerankingData(
            name: "dev-small validation", queries: Dictionary(uniqueKeysWithValues: validation.map { ($0, data.queries[$0]!) }),
            passages: passages.filter { validationPassages.contains($0.key) }, qrels: validationQrels,
            candidates: Run(validationRun, tag: "bm25-top20"))
        let texts = TokenizedTexts(queries: queryTexts.mapValues { tokenizer.tokenize($0).map(Int.init) },
                                   passages: passages.mapValues { tokenizer.tokenize($0).map(Int.init) })
        let set = TripleSet(triples: triples, trainingQueries: train, validationQueries: validation)
        return (DistillationData(triples: set, validation: validationData, texts: texts), summary)
    }
}

