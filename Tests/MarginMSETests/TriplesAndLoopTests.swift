// Training triples: the doc comment's worked example and sampling properties. (The generic loop's tests are in
// Tests/TrainingTests.)

import Foundation
import Testing
import PropertyTesting
import Tensors
@testable import MarginMSE
import Training

@Suite struct TrainingTripleTests {
    @Test func workedExample() {
        let s = buildTrainingTriples(judgements: ["1": ["a": 3, "b": 1, "c": 0]], candidates: ["1": ["a", "b", "c", "d"]],
                                     sampling: TripleSampling(negativesPerPositive: 10, validationQueries: 0))
        #expect(Set(s.triples) == [TrainingTriple(qid: "1", posPid: "a", negPid: "c"),
                                   TrainingTriple(qid: "1", posPid: "a", negPid: "d")])
        #expect(s.triples.count == 2 && s.trainingQueries == ["1"] && s.validationQueries.isEmpty)
    }

    /// Random judgements and runs: every triple's p⁺ is judged ≥ 2, p⁻ is a candidate within depth judged ≤ 0 or
    /// unjudged, validation queries produce no triples, and the result is a function of the seed.
    @Test func samplingProperties() throws {
        let gen = Gen.zip(Gen.int(in: 1...12), Gen.int(in: 0...3), Gen.int(in: 1...5))
        try propertyCheck(gen) { v in
            let (queries, held, perPositive) = v
            var rng = Xoshiro256(seed: UInt64(queries * 31 + held))
            var j: [String: [String: Int]] = [:], c: [String: [String]] = [:]
            for q in 0..<queries {
                let pids = (0..<12).map { _ in "d\(rng.nextInt(below: 20))" }
                c["q\(q)"] = pids
                for p in pids where rng.nextInt(below: 2) == 0 { j["q\(q)", default: [:]][p] = rng.nextInt(below: 4) }
            }
            let sampling = TripleSampling(negativeDepth: 8, negativesPerPositive: perPositive, validationQueries: held,
                                          seed: 9)
            let s = buildTrainingTriples(judgements: j, candidates: c, sampling: sampling)
            try require(s == buildTrainingTriples(judgements: j, candidates: c, sampling: sampling), "not deterministic")
            try require(Set(s.validationQueries).isDisjoint(with: s.triples.map(\.qid)), "validation query trained on")
            for t in s.triples {
                try require((j[t.qid]?[t.posPid] ?? 0) >= 2, "p⁺ \(t) not judged ≥ 2")
                try require((j[t.qid]?[t.negPid] ?? 0) <= 0, "p⁻ \(t) judged relevant")
                try require(c[t.qid]!.prefix(8).contains(t.negPid), "p⁻ \(t) outside the depth")
            }
            try require(Set(s.triples).count == s.triples.count, "duplicate triple")
        }
    }

    /// A sample is `count` distinct triples of the set, in the set's order, a function of the seed; its training
    /// queries are exactly the sampled triples' queries (in the set's order); the validation queries are unchanged;
    /// asking for at least every triple returns the set itself.
    @Test func sampleProperties() throws {
        let gen = Gen.zip(Gen.int(in: 0...40), Gen.int(in: 0...50), Gen.int(in: 0...1_000))
        try propertyCheck(gen) { v in
            let (n, count, seed) = v
            let triples = (0..<n).map { TrainingTriple(qid: "q\($0 % 7)", posPid: "p\($0)", negPid: "n\($0)") }
            let set = TripleSet(triples: triples, trainingQueries: (0..<7).map { "q\($0)" }.filter { q in triples.contains { $0.qid == q } },
                                validationQueries: ["v1", "v2"])
            let s = set.sample(count, seed: UInt64(seed))
            try require(s == set.sample(count, seed: UInt64(seed)), "not deterministic")
            try require(s.triples.count == min(count, n), "\(s.triples.count) triples for \(count) of \(n)")
            let position = Dictionary(uniqueKeysWithValues: triples.enumerated().map { ($1, $0) })
            let at = s.triples.map { position[$0] }
            try require(at.allSatisfy { $0 != nil }, "a triple not in the set")
            try require(zip(at, at.dropFirst()).allSatisfy { $0! < $1! }, "not in the set's order, or repeated")
            try require(s.trainingQueries == set.trainingQueries.filter { q in s.triples.contains { $0.qid == q } },
                        "training queries \(s.trainingQueries)")
            try require(s.validationQueries == set.validationQueries, "validation queries changed")
            if count >= n { try require(s == set, "the whole set expected") }
        }
        // Different seeds draw different samples (20 of 40).
        let big = TripleSet(triples: (0..<40).map { TrainingTriple(qid: "q", posPid: "p\($0)", negPid: "n") },
                            trainingQueries: ["q"], validationQueries: [])
        #expect(big.sample(20, seed: 1) != big.sample(20, seed: 2))
    }
}
