// The paired t-test against scipy.stats.ttest_rel (goldens in Tests/Fixtures/Eval/ttest.json), Bonferroni, and the
// seeded randomisation test.
import Foundation
import PropertyTesting
import Testing
import Corpus
@testable import Eval

struct TTestCase: Decodable { let a: [Double]; let b: [Double]; let t: Double; let p: Double }
struct TTestGoldens: Decodable { let scipy: String; let cases: [TTestCase] }

@Suite struct SignificanceTests {
    @Test func tTestEqualsScipy() throws {
        let g = try JSONDecoder().decode(TTestGoldens.self,
                                         from: Data(contentsOf: URL(fileURLWithPath: Paths.fixtures + "/ttest.json")))
        #expect(g.cases.count == 10)
        for c in g.cases {
            let r = Significance.pairedTTest(c.a, c.b)
            try requireClose(r.statistic, c.t, atol: 1e-9, rtol: 1e-9, "t (n=\(c.a.count))")
            try requireClose(r.pValue, c.p, atol: 1e-12, rtol: 1e-7, "p (n=\(c.a.count))")
        }
    }

    @Test func studentTailKnownValues() throws {
        // t = 2.228 with 10 dof is the two-sided 5% point; t = 1 with 1 dof: p = 0.5 (Cauchy).
        try requireClose(Significance.studentTwoSidedP(2.228138851986273, dof: 10), 0.05, atol: 1e-9)
        try requireClose(Significance.studentTwoSidedP(1, dof: 1), 0.5, atol: 1e-12)
        try requireClose(Significance.studentTwoSidedP(0, dof: 7), 1, atol: 1e-12)
    }

    @Test func bonferroni() {
        #expect(Significance.bonferroni([0.01, 0.2, 0.5]) == [0.03, 0.6000000000000001, 1])
        #expect(Significance.bonferroni([0.01], comparisons: 5) == [0.05])
    }

    @Test func randomisationIsSeededAndAgreesWithTheTTest() {
        var g = SeededGenerator(seed: 3)
        let a = (0..<50).map { _ in Double(g.next() % 1000) / 1000 }
        let b = a.map { $0 - 0.05 + Double(g.next() % 100) / 1000 - 0.05 }
        let r1 = Significance.randomisationTest(a, b, trials: 5000, seed: 7)
        let r2 = Significance.randomisationTest(a, b, trials: 5000, seed: 7)
        #expect(r1 == r2)
        let t = Significance.pairedTTest(a, b)
        #expect(abs(r1.pValue - t.pValue) < 0.05, "randomisation p \(r1.pValue) vs t-test p \(t.pValue)")
        // Identical systems: p = 1.
        #expect(Significance.randomisationTest(a, a, trials: 100).pValue == 1)
    }

    @Test func pValuesAreProbabilities() {
        propertyCheck(Gen.array(of: Gen.zip(.float(in: 0...1), .float(in: 0...1)), count: 2...40)) { pairs in
            let a = pairs.map { Double($0.0) }, b = pairs.map { Double($0.1) }
            let p = Significance.pairedTTest(a, b).pValue
            try require(p.isNaN || (p >= 0 && p <= 1), "p = \(p)")
            let swapped = Significance.pairedTTest(b, a).pValue
            try require(p.isNaN && swapped.isNaN || abs(p - swapped) < 1e-12, "p not symmetric")
        }
    }
}
