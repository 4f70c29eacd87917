// Length groups (`LengthGroups.swift`): the grouping is a partition in ascending length within the token budget,
// and scoring in groups gives every architecture the same scores and the same gradients as one ungrouped call.

import Testing
import RankerTesting
import Tensors
import PropertyTesting
@testable import Student

@Suite struct LengthGroupTests {
    @Test func workedExampleFromTheDocComment() {
        #expect(LengthGrouping(tokenBudget: 12).groups(lengths: [5, 2, 6, 3]) == [[1, 3], [0, 2]])
        #expect(LengthGrouping.none.groups(lengths: [5, 2, 6, 3]) == [[1, 3, 0, 2]])
        #expect(LengthGrouping().groups(lengths: []) == [])
    }

    @Test func groupsPartitionTheIndicesInLengthOrderWithinTheBudget() {
        let gen = Gen<([Int], Int)>.zip(Gen<[Int]>.array(of: .int(in: 1...60), count: 0...40), .int(in: 1...200))
        propertyCheck(gen, cases: 300) { lengths, budget in
            let groups = LengthGrouping(tokenBudget: budget).groups(lengths: lengths)
            let flat = Array(groups.joined())
            try require(flat.sorted() == Array(lengths.indices), "every index exactly once: \(groups)")
            try require(flat.map { lengths[$0] } == flat.map { lengths[$0] }.sorted(), "ascending lengths: \(groups)")
            for g in groups {
                try require(!g.isEmpty, "no empty group")
                let padded = g.count * g.map { lengths[$0] }.max()!
                try require(g.count == 1 || padded <= budget, "group \(g) pads to \(padded) > \(budget)")
            }
            // Greedy: a group could not have taken the next group's first member.
            for (a, b) in zip(groups, groups.dropFirst()) {
                try require((a.count + 1) * lengths[b[0]] > budget, "group \(a) could have taken \(b[0])")
            }
        }
    }

    @Test(arguments: RankerRegistry.builtIn.map(\.architecture))
    func groupedScoresEqualUngroupedScores(_ arch: String) {
        let ranker = Tiny.rankers(seed: 21).first { $0.architecture == arch }!
        propertyCheck(Gen<([RankerPair], Int)>.zip(Tiny.pairs(count: 1...9), .int(in: 1...40)), cases: 20) { pairs, budget in
            let whole = withNoGrad { ranker.score(pairs) }.scalars
            let grouped = withNoGrad { ranker.score(pairs, grouping: LengthGrouping(tokenBudget: budget)) }.scalars
            try require(grouped.count == pairs.count)
            for i in pairs.indices {
                try requireClose(Double(grouped[i]), Double(whole[i]), atol: 1e-5, rtol: 1e-5, "\(arch): pair \(i)")
            }
        }
    }

    @Test(arguments: RankerRegistry.builtIn.map(\.architecture))
    func groupedGradientsEqualUngroupedGradients(_ arch: String) {
        let ranker = Tiny.rankers(seed: 23).first { $0.architecture == arch }!
        let pairs = [RankerPair(query: [5, 9, 12], passage: [7, 9, 20, 31, 5, 6, 7, 8, 9, 10, 11]),
                     RankerPair(query: [14], passage: [6, 33]),
                     RankerPair(query: [14, 6, 7], passage: [6, 33, 18, 22, 11]),
                     RankerPair(query: [8], passage: [30])]
        let weights = Tensor(shape: [4], scalars: [1, -2, 0.5, 3])
        func gradients(_ grouping: LengthGrouping) -> [[Float]] {
            for p in ranker.parameters { p.tensor.grad = nil }
            withGrad { (ranker.score(pairs, grouping: grouping) * weights).sum().backward() }
            return ranker.parameters.map { $0.tensor.grad?.scalars ?? [] }
        }
        let whole = gradients(.none), grouped = gradients(LengthGrouping(tokenBudget: 10))
        #expect(LengthGrouping(tokenBudget: 10).groups(lengths: pairs.map(ranker.inputLength)).count > 1)
        for (name, (a, b)) in zip(ranker.parameters.map(\.name), zip(whole, grouped)) {
            #expect(a.count == b.count, "\(arch) \(name)")
            let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
            #expect(worst < 1e-4, "\(arch) \(name): gradients differ by \(worst)")
        }
    }

    @Test func groupedSentenceEmbeddingsEqualOneBatch() {
        let model = SentenceEncoder(encoder: Tiny.encoder(seed: 29), pooling: .mean, dense: [], normalize: true,
                                    maxSeqLength: 40)
        let seqs = Gen<[[Int]]>.array(of: Gen<[Int]>.array(of: .int(in: 5...39), count: 1...12)
                                        .map { [Tiny.specials.cls] + $0 + [Tiny.specials.sep] }, count: 1...10)
        propertyCheck(Gen<([[Int]], Int)>.zip(seqs, .int(in: 1...60)), cases: 30) { sequences, budget in
            let whole = withNoGrad { model(EncoderInput(sequences: sequences)) }.scalars
            let grouped = withNoGrad { model(sequences, grouping: LengthGrouping(tokenBudget: budget)) }.scalars
            try require(whole.count == grouped.count)
            for (a, b) in zip(whole, grouped) { try requireClose(Double(a), Double(b), atol: 1e-6, rtol: 1e-5) }
        }
    }

    /// `embed(ids:progress:)` reports a rising share of the word pieces that ends at 1, and computes exactly what it
    /// computes without a progress closure.
    @Test func embeddingProgressRisesToOneAndChangesNothing() {
        let model = SentenceEncoder(encoder: Tiny.encoder(seed: 31), pooling: .mean, dense: [], normalize: true,
                                    maxSeqLength: 40)
        let seqs = Gen<[[Int]]>.array(of: Gen<[Int]>.array(of: .int(in: 5...39), count: 0...12)
                                        .map { [Tiny.specials.cls] + $0 + [Tiny.specials.sep] }, count: 1...20)
        propertyCheck(Gen<([[Int]], Int)>.zip(seqs, .int(in: 1...7)), cases: 20) { sequences, batch in
            var seen: [Double] = []
            let with = model.embed(ids: sequences, batchSize: batch) { seen.append($0) }
            try require(with == model.embed(ids: sequences, batchSize: batch), "progress changed the embeddings")
            try require(seen.count == (sequences.count + batch - 1) / batch, "\(seen.count) reports for \(sequences.count) inputs")
            try require(zip(seen, seen.dropFirst()).allSatisfy { $0 < $1 } && seen.last == 1, "\(seen)")
        }
    }
}
