// Training triples ⟨q, p⁺, p⁻⟩ built from graded judgements and a first-stage candidate run: the `default` scale's
// stand-in for the MS MARCO training triples (Docs/Paper-MarginMSE.md). For each training query:
//   p⁺ ∈ passages judged ≥ `minPositiveGrade` (2 on TREC DL: "highly relevant" and "perfectly relevant"),
//   p⁻ ∈ the query's top-`negativeDepth` candidates judged 0 or not judged at all (BM25-sampled negatives, as in
//        MS MARCO's triples), drawn without replacement, `negativesPerPositive` per positive.
// A few queries (with at least one p⁺ and one p⁻) are held out for validation and early stopping.
// Everything is deterministic for a seed: queries are visited in byte order of their ids, then shuffled with the
// seed; the final triple list is shuffled with the seed too.
// Left out: the paper's triples are MS MARCO's own (one sampled negative per positive, 40M rows), not built here.

import Tensors
import Training

/// One training triple, by ids: a query, a relevant passage and a non-relevant one.
public struct TrainingTriple: Hashable, Codable, Sendable {
    public var qid: String
    public var posPid: String
    public var negPid: String
    public init(qid: String, posPid: String, negPid: String) { self.qid = qid; self.posPid = posPid; self.negPid = negPid }
}

/// How triples are sampled (Codable so that a result can be cached by its configuration).
public struct TripleSampling: Codable, Equatable, Sendable {
    /// Grade a judged passage needs to serve as p⁺.
    public var minPositiveGrade = 2
    /// Candidates considered for p⁻ (from the top of the run).
    public var negativeDepth = 100
    /// Negatives drawn per positive (fewer when the query has fewer).
    public var negativesPerPositive = 4
    /// Queries held out for validation.
    public var validationQueries = 6
    public var seed: UInt64 = 208_973_249
    public init(minPositiveGrade: Int = 2, negativeDepth: Int = 100, negativesPerPositive: Int = 4,
                validationQueries: Int = 6, seed: UInt64 = 208_973_249) {
        self.minPositiveGrade = minPositiveGrade; self.negativeDepth = negativeDepth
        self.negativesPerPositive = negativesPerPositive; self.validationQueries = validationQueries; self.seed = seed
    }
}

/// The triples of the training queries and the held-out validation queries.
public struct TripleSet: Sendable, Equatable {
    public var triples: [TrainingTriple]
    public var trainingQueries: [String]
    public var validationQueries: [String]

    /// `count` of the triples drawn without replacement with `seed`, in their original order (all of them when
    /// `count` is at least their number). The students' share of a large triple set: a short student run sees each
    /// drawn triple about once, and the teachers score exactly those instead of every triple.
    public func sample(_ count: Int, seed: UInt64) -> TripleSet {
        precondition(count >= 0, "a sample of \(count) triples")
        guard count < triples.count else { return self }
        var index = Array(triples.indices)
        var rng = Xoshiro256(seed: seed)
        shuffle(&index, &rng)
        var s = self
        s.triples = index.prefix(count).sorted().map { triples[$0] }
        let kept = Set(s.triples.map(\.qid))
        s.trainingQueries = trainingQueries.filter(kept.contains)
        return s
    }
}

/// Byte order of ids, the package's canonical order for anything keyed by a string.
func idOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

/// Builds training triples from `judgements` (qid → pid → grade) and `candidates` (qid → pids, best first).
///
/// Worked example (a test checks it): query "1" with judgements {a: 3, b: 1, c: 0} and candidates [a, b, c, d],
/// negativesPerPositive 10, no validation: p⁺ = {a}; p⁻ ⊆ {c (judged 0), d (unjudged)} (b is judged 1: neither),
/// so the triples are (1, a, c) and (1, a, d) in a seeded order.
/// `hasText` filters the passages that may serve as p⁺ (TREC DL's passage files hold only the passages of the runs, so
/// a judged passage outside every run has no text).
public func buildTrainingTriples(judgements: [String: [String: Int]], candidates: [String: [String]],
                                 sampling: TripleSampling = .init(), hasText: (String) -> Bool = { _ in true }) -> TripleSet {
    var rng = Xoshiro256(seed: sampling.seed)
    var usable: [(qid: String, pos: [String], neg: [String])] = []
    for qid in judgements.keys.sorted(by: idOrder) {
        let j = judgements[qid] ?? [:]
        let pos = j.filter { $0.value >= sampling.minPositiveGrade && hasText($0.key) }.map(\.key).sorted(by: idOrder)
        var seen = Set<String>()
        let neg = (candidates[qid] ?? []).prefix(sampling.negativeDepth).filter { pid in
            (j[pid] ?? 0) <= 0 && seen.insert(pid).inserted
        }
        if !pos.isEmpty && !neg.isEmpty { usable.append((qid, pos, Array(neg))) }
    }
    var order = Array(usable.indices)
    shuffle(&order, &rng)
    let held = Set(order.prefix(min(sampling.validationQueries, max(0, usable.count - 1))))
    var triples: [TrainingTriple] = []
    var train: [String] = [], validation: [String] = []
    for (i, u) in usable.enumerated() {
        if held.contains(i) { validation.append(u.qid); continue }
        train.append(u.qid)
        for p in u.pos {
            var negs = u.neg
            shuffle(&negs, &rng)
            for n in negs.prefix(sampling.negativesPerPositive) {
                triples.append(TrainingTriple(qid: u.qid, posPid: p, negPid: n))
            }
        }
    }
    shuffle(&triples, &rng)
    return TripleSet(triples: triples, trainingQueries: train, validationQueries: validation)
}
