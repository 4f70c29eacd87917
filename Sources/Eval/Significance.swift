// Significance tests for paired per-query scores (system A vs system B on the same queries):
//   - paired two-sided t-test: d_i = a_i − b_i, t = mean(d) / (sd(d)/√n), sd with n − 1; p = 2·P(T_{n−1} ≥ |t|),
//     the Student-t tail from the regularised incomplete beta function (as scipy.stats.ttest_rel);
//   - Bonferroni correction: p·m, capped at 1, for m comparisons;
//   - Fisher's randomisation (permutation) test: flip the sign of each d_i with probability ½, `trials` times with a
//     seeded RNG; p = (1 + #{|mean(d*)| ≥ |mean(d)|}) / (1 + trials). Null hypothesis of both: the systems are
//     exchangeable (the mean per-query difference is 0).
// Leaves out: multiple-comparison corrections other than Bonferroni, one-sided alternatives.

import Foundation
import Corpus

public struct PairedTestResult: Sendable, Equatable {
    public var statistic: Double   // t (t-test) or the observed mean difference (randomisation)
    public var pValue: Double
    public var meanDifference: Double
    public var n: Int
}

public enum Significance {
    /// Paired two-sided t-test of `a` against `b` (same length ≥ 2). Identical inputs give t = 0, p = 1;
    /// a constant non-zero difference gives t = ±∞, p = 0 (as scipy does).
    public static func pairedTTest(_ a: [Double], _ b: [Double]) -> PairedTestResult {
        precondition(a.count == b.count && a.count >= 2, "pairedTTest needs two equal-length samples of at least 2")
        let n = a.count
        let d = zip(a, b).map { $0 - $1 }
        let mean = d.reduce(0, +) / Double(n)
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let se = (variance / Double(n)).squareRoot()
        if se == 0 {
            return PairedTestResult(statistic: mean == 0 ? .nan : (mean > 0 ? .infinity : -.infinity),
                                    pValue: mean == 0 ? .nan : 0, meanDifference: mean, n: n)
        }
        let t = mean / se
        return PairedTestResult(statistic: t, pValue: studentTwoSidedP(t, dof: Double(n - 1)), meanDifference: mean, n: n)
    }

    /// Bonferroni-corrected p-values: min(1, p·m) with m = `pValues.count` unless given.
    public static func bonferroni(_ pValues: [Double], comparisons: Int? = nil) -> [Double] {
        let m = Double(comparisons ?? pValues.count)
        return pValues.map { $0.isNaN ? $0 : min(1, $0 * m) }
    }

    /// Fisher's paired randomisation test (two-sided), seeded: same seed → same p.
    public static func randomisationTest(_ a: [Double], _ b: [Double], trials: Int = 10_000, seed: UInt64 = 42) -> PairedTestResult {
        precondition(a.count == b.count && !a.isEmpty, "randomisationTest needs two equal-length, non-empty samples")
        let d = zip(a, b).map { $0 - $1 }
        let n = Double(d.count)
        let observed = abs(d.reduce(0, +) / n)
        var rng = SeededGenerator(seed: seed)
        var atLeast = 0
        for _ in 0..<trials {
            var s = 0.0
            var bits: UInt64 = 0, left = 0
            for x in d {
                if left == 0 { bits = rng.next(); left = 64 }
                s += (bits & 1) == 1 ? x : -x
                bits >>= 1; left -= 1
            }
            if abs(s / n) >= observed - 1e-12 { atLeast += 1 }
        }
        return PairedTestResult(statistic: d.reduce(0, +) / n, pValue: Double(1 + atLeast) / Double(1 + trials),
                                meanDifference: d.reduce(0, +) / n, n: d.count)
    }

    /// 2·P(T_ν ≥ |t|) = I_{ν/(ν+t²)}(ν/2, ½).
    public static func studentTwoSidedP(_ t: Double, dof: Double) -> Double {
        if t.isInfinite { return 0 }
        return regularizedIncompleteBeta(dof / (dof + t * t), dof / 2, 0.5)
    }

    /// I_x(a, b) by the continued fraction of Numerical Recipes (Lentz's method), using symmetry for convergence.
    public static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let lnPowers: Double = a * log(x) + b * log(1 - x)
        let lnFront = lnGammas + lnPowers
        if x < (a + 1) / (a + b + 2) { return exp(lnFront) * betaContinuedFraction(x, a, b) / a }
        return 1 - exp(lnFront) * betaContinuedFraction(1 - x, b, a) / b
    }

    static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-15 { break }
        }
        return h
    }
}

