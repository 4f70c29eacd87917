// Properties of every ranker architecture on tiny random encoders: gradients agree with finite differences,
// a pair's score does not depend on what else is in its batch (padding is masked everywhere), save/load round trips
// keep scores and shapes, and a few optimiser steps on a toy task lower the RankNet loss.

import Foundation
import Testing
import Tensors
import PropertyTesting
import RankerTesting
@testable import Student

@Suite struct RankerTests {
    @Test(arguments: RankerRegistry.builtIn.map(\.architecture))
    func scoreOfAPairDoesNotDependOnItsBatch(_ arch: String) {
        let ranker = Tiny.rankers().first { $0.architecture == arch }!
        propertyCheck(Tiny.pairs(count: 2...5), cases: 12) { pairs in
            let together = withNoGrad { ranker.score(pairs) }.scalars
            for (i, p) in pairs.enumerated() {
                let alone = withNoGrad { ranker.score([p]) }.scalars[0]
                try requireClose(Double(alone), Double(together[i]), atol: 2e-4, rtol: 1e-4,
                                 "\(arch): pair \(i) alone vs in a batch")
            }
        }
    }

    @Test(arguments: RankerRegistry.builtIn.map(\.architecture))
    func gradientsMatchFiniteDifferences(_ arch: String) {
        let ranker = Tiny.rankers(seed: 11).first { $0.architecture == arch }!
        let pairs = [RankerPair(query: [5, 9, 12], passage: [7, 9, 20, 31, 5]),
                     RankerPair(query: [14, 6], passage: [6, 33, 18, 22, 11, 8, 9])]
        // Check a sample of parameter tensors: small ones whole (heads, norms, kernel scalers, the mixer).
        let params = ranker.parameters.filter { $0.tensor.count <= 40 }.map(\.tensor)
        #expect(!params.isEmpty)
        // ColBERT's max over passage tokens has kinks: in this random model one token-type component sits ≈2e-4 from
        // an argmax switch, so the error shrinks with the step (0.82 at 1e-2, 0.49 at 3e-4, 0 at 1e-4). TK's RBF
        // kernels (σ = 0.1) curve sharply and pass from 3e-4. The smooth architectures use 1e-2.
        let h: Float = arch == ColBERT.architecture ? 1e-4 : arch == TK.architecture ? 3e-4 : 1e-2
        let result = gradientCheck(params, step: h, atol: 2e-3, rtol: 2e-2) { ranker.score(pairs) }
        #expect(result.passed, "\(arch): \(result)")
    }

    @Test(arguments: RankerRegistry.builtIn.map(\.architecture))
    func saveAndLoadKeepScoresAndShape(_ arch: String) throws {
        let ranker = Tiny.rankers(seed: 13).first { $0.architecture == arch }!
        let dir = try StudentPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ranker.save(to: dir)
        let loaded = try RankerRegistry.load(dir)
        #expect(loaded.architecture == arch)
        #expect(loaded.parameters.map(\.name) == ranker.parameters.map(\.name))
        #expect(loaded.parameters.map(\.tensor.shape) == ranker.parameters.map(\.tensor.shape))
        let pairs = [RankerPair(query: [5, 9], passage: [7, 9, 20]), RankerPair(query: [12], passage: [6, 33, 18, 22])]
        #expect(withNoGrad { loaded.score(pairs) }.scalars == withNoGrad { ranker.score(pairs) }.scalars)
        if arch != TK.architecture {
            // The encoder is a 2-layer reduction of a 3-layer teacher and stays 2 layers.
            let config = try BertConfig.read(dir.appendingPathComponent("encoder/config.json"))
            #expect(config.numHiddenLayers == 2)
        }
    }

    /// A saved folder whose ranker.json is relabelled with another architecture: every relabelling either fails to
    /// load (the weights it needs are not there) or is refused because the folder holds weights it has no place for —
    /// never a silent load of something else.
    @Test(arguments: RankerRegistry.builtIn.map(\.architecture))
    func aRelabelledFolderDoesNotLoadSilently(_ arch: String) throws {
        let ranker = Tiny.rankers(seed: 13).first { $0.architecture == arch }!
        let dir = try StudentPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ranker.save(to: dir)
        let manifest = dir.appendingPathComponent("ranker.json")
        let original = try String(contentsOf: manifest, encoding: .utf8)
        for other in RankerRegistry.builtIn.map(\.architecture) where other != arch {
            try original.replacingOccurrences(of: "\"\(arch)\"", with: "\"\(other)\"")
                .write(to: manifest, atomically: true, encoding: .utf8)
            do {
                let loaded = try RankerRegistry.load(dir)
                // Loading can only succeed where the two architectures keep the same weights (none here).
                Issue.record("\(arch) folder loaded as \(other): \(loaded.parameters.count) parameters")
            } catch {}
        }
    }

    @Test(arguments: RankerRegistry.builtIn.map(\.architecture))
    func rankNetLossFallsOnAToyTask(_ arch: String) {
        // Toy relevance: a passage is relevant when it contains the query's first token.
        let ranker = Tiny.rankers(seed: 17).first { $0.architecture == arch }!
        var rng = Xoshiro256(seed: 99)
        func sample() -> (RankerPair, RankerPair) {
            let q = (0..<3).map { _ in 5 + rng.nextInt(below: 35) }
            var pos = (0..<8).map { _ in 5 + rng.nextInt(below: 35) }
            pos[rng.nextInt(below: 8)] = q[0]
            let neg = (0..<8).map { _ in 5 + rng.nextInt(below: 35) }.map { $0 == q[0] ? 5 + ($0 - 4) % 35 : $0 }
            return (RankerPair(query: q, passage: pos), RankerPair(query: q, passage: neg))
        }
        let batches = (0..<6).map { _ in (0..<8).map { _ in sample() } }
        func loss(_ b: [(RankerPair, RankerPair)]) -> Tensor {
            let s = ranker.score(b.map(\.0) + b.map(\.1))
            let margin = s.slice(axis: 0, 0..<b.count) - s.slice(axis: 0, b.count..<(2 * b.count))
            return (-margin.logSigmoid()).mean()          // RankNet: mean log(1 + exp(−(s⁺ − s⁻)))
        }
        let before = withNoGrad { batches.map { loss($0).item }.reduce(0, +) }
        let opt = AdamW(ranker.parameters, config: AdamConfig(weightDecay: 0))
        for _ in 0..<8 {
            for b in batches {
                opt.zeroGrad()
                loss(b).backward()
                _ = opt.step(learningRate: 3e-3)
            }
        }
        let after = withNoGrad { batches.map { loss($0).item }.reduce(0, +) }
        #expect(after < before * 0.8, "\(arch): RankNet loss \(before) → \(after)")
    }

    @Test func colbertAppendsEightMaskTokensAndMasksPadding() {
        let r = Tiny.rankers().first { $0 is ColBERT } as! ColBERT
        let (_, input) = r.encode([[5, 6], [7]], isQuery: true)
        #expect(Array(input.ids[0..<12]) == [2, 5, 6, 3, 4, 4, 4, 4, 4, 4, 4, 4])
        #expect(input.lengths == [12, 11])
        // A passage padded inside a batch scores as it does alone (the padding took −1000 before the max).
        let alone = withNoGrad { r.score([RankerPair(query: [5], passage: [9])]) }.scalars[0]
        let padded = withNoGrad { r.score([RankerPair(query: [5], passage: [9]),
                                           RankerPair(query: [5], passage: Array(5..<17))]) }.scalars[0]
        #expect(abs(alone - padded) < 1e-4)
    }

    @Test func preTTOffsetsPassagePositionsByTheQueryLength() {
        let r = Tiny.rankers().first { $0 is PreTT } as! PreTT
        let (_, input) = r.passageStates([[9, 10]])
        #expect(input.ids == [9, 10, 3])       // the passage's own [CLS] is dropped
        #expect(input.tokenTypes == [1, 1, 1])
    }

    @Test func characteristicsFollowThePaper() {
        let rs = Tiny.rankers()
        #expect(rs.map { $0.characteristics.passageCache } == [false, true, true, true, true])
        #expect(rs.map { $0.characteristics.nnIndex } == [false, true, true, false, false])
        #expect(rs.map { $0.characteristics.storageUnit } == ["–", "|P|", "|T|", "|T|", "|T|"])
    }
}

@Suite struct PassageCachingTests {
    @Test(arguments: ["bert-dot", "colbert", "prett", "tk"])
    func cachedScoringEqualsFullScoring(_ arch: String) throws {
        let ranker = try #require(Tiny.rankers(seed: 23).first { $0.architecture == arch } as? any CachingRanker)
        Self.checkCachedScoringEqualsFullScoring(ranker, tolerance: 2e-4, arch)
    }

    /// Property: for random queries and passage lists, `score(query:cached:)` equals `score(_:)` on the pairs.
    static func checkCachedScoringEqualsFullScoring(_ ranker: any CachingRanker, tolerance: Double, _ what: String) {
        propertyCheck(Gen<[Int]>.array(of: .int(in: 5...39), count: 1...8).flatMap { _ in Tiny.pairs(count: 1...5) }, cases: 10) { value in
            let (query, pairs) = value
            let passages = pairs.map(\.passage)
            let full = withNoGrad { ranker.score(passages.map { RankerPair(query: query, passage: $0) }) }.scalars
            let cached = ranker.score(query: query, cached: ranker.cachePassages(passages))
            for (a, b) in zip(full, cached) { try requireClose(Double(a), Double(b), atol: tolerance, rtol: tolerance / 2, what) }
        }
    }

    @Test func preTTCachedScoringInLengthGroupsEqualsFullScoring() throws {
        // Budgets that put every passage in its own group (1), a few in each (40), and all in one (.none): the groups'
        // states are cut to their own longest passage, which must not change any score.
        let ranker = try #require(Tiny.rankers(seed: 23).first { $0.architecture == "prett" } as? PreTT)
        propertyCheck(Gen<[Int]>.array(of: .int(in: 5...39), count: 1...8).flatMap { _ in Tiny.pairs(count: 2...6) }, cases: 10) { value in
            let (query, pairs) = value
            let passages = pairs.map(\.passage)
            let full = withNoGrad { ranker.score(passages.map { RankerPair(query: query, passage: $0) }) }.scalars
            let cache = ranker.cachePassages(passages)
            for budget in [1, 40, Int.max] {
                let grouped = ranker.score(query: query, cached: cache, grouping: LengthGrouping(tokenBudget: budget))
                try require(grouped.count == full.count, "budget \(budget): \(grouped.count) scores")
                for (a, b) in zip(full, grouped) {
                    try requireClose(Double(a), Double(b), atol: 2e-4, rtol: 1e-4, "budget \(budget)")
                }
            }
        }
    }
}
