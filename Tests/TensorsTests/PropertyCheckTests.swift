// Tests of the property checker itself: it passes true properties, finds false ones, shrinks to the minimal
// counterexample, and replays from the reported seed.

import Testing
import PropertyTesting
import Tensors

@Suite struct PropertyCheckTests {
    @Test func truePropertyPasses() {
        let outcome = runProperty(Gen<[Int]>.array(of: .int(in: -50...50), count: 0...30), cases: 200) { xs in
            try require(Array(xs.reversed().reversed()) == xs)
        }
        guard case .passed(let n) = outcome else { Issue.record("a true property failed"); return }
        #expect(n == 200)
    }

    @Test func falsePropertyShrinksToMinimalCounterexample() {
        // "no element is ≥ 10" fails; the minimal counterexample is the one-element array [10].
        let outcome = runProperty(Gen<[Int]>.array(of: .int(in: 0...100), count: 0...20), cases: 200) { xs in
            try require(xs.allSatisfy { $0 < 10 }, "found an element ≥ 10")
        }
        guard case let .failed(shrunk, original, _, _, message) = outcome else {
            Issue.record("a false property passed"); return
        }
        #expect(shrunk == [10])
        #expect(original.contains { $0 >= 10 })
        #expect(message.contains("≥ 10"))
    }

    @Test func failingCaseReplaysFromItsSeed() {
        let gen = Gen<Int>.int(in: 0...1_000_000)
        let outcome = runProperty(gen, cases: 500) { x in try require(x % 7 != 3) }
        guard case let .failed(_, original, seed, _, _) = outcome else { Issue.record("expected a failure"); return }
        var rng = Xoshiro256(seed: seed)
        #expect(gen.generate(&rng) == original)
    }

    @Test func intShrinkCandidatesMoveTowardTarget() {
        #expect(shrinkInt(100, toward: 0).first == 0)
        #expect(shrinkInt(100, toward: 0).last == 99)
        #expect(shrinkInt(-8, toward: 0).allSatisfy { $0 > -8 && $0 <= 0 })
        #expect(shrinkInt(5, toward: 5).isEmpty)
    }

    @Test func rngIsDeterministicAndUniformEnough() {
        var a = Xoshiro256(seed: 42), b = Xoshiro256(seed: 42)
        for _ in 0..<100 { #expect(a.next() == b.next()) }
        var r = Xoshiro256(seed: 7)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[r.nextInt(below: 10)] += 1 }
        // Each bucket expects 10,000; 5 standard deviations is ±474.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 }, "bucket counts \(counts)")
        var g = Xoshiro256(seed: 9)
        var s = 0.0, s2 = 0.0
        for _ in 0..<100_000 { let x = Double(g.nextGaussian()); s += x; s2 += x * x }
        #expect(abs(s / 100_000) < 0.02)
        #expect(abs(s2 / 100_000 - 1) < 0.03)
    }
}
