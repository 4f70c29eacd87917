// Axis ticks: linear ticks lie inside the range, increase, step by a 1-2-5 nice number, and are about as many as
// asked; log ticks put majors exactly on powers of ten and minors on m·10^k.

import Foundation
import Testing
import PropertyTesting
@testable import Report

@Suite struct TicksTests {
    static var ranges: Gen<(Double, Double)> { Gen.zip(Gen<Float>.gaussian(scale: 3), Gen<Float>.float(in: -6...6), Gen<Float>.float(in: 0.001...1))
        .map { (m: Float, e: Float, w: Float) -> (Double, Double) in
            let scale = pow(10, Double(e))
            let lo = Double(m) * scale
            return (lo, lo + Double(w) * scale * 10)
        }
    }

    @Test func linearTicksAreInsideIncreasingAndNice() {
        propertyCheck(Self.ranges, cases: 300) { lo, hi in
            let ticks = Ticks.linear(lo, hi)
            try require(ticks.count >= 2 && ticks.count <= 12, "count \(ticks.count) for \(lo)…\(hi)")
            let span = hi - lo
            for t in ticks { try require(t.value >= lo - 1e-9 * span && t.value <= hi + 1e-9 * span, "tick \(t.value) outside \(lo)…\(hi)") }
            for (a, b) in zip(ticks, ticks.dropFirst()) { try require(b.value > a.value, "not increasing") }
            let step = ticks[1].value - ticks[0].value
            let mantissa = step / pow(10, floor(log10(step)))
            try require([1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-6 }, "step \(step) is not 1-2-5")
            for (a, b) in zip(ticks, ticks.dropFirst()) { try requireClose(b.value - a.value, step, atol: 0, rtol: 1e-6, "uneven") }
            // Labels are distinct and parse back to the tick values.
            try require(Set(ticks.map(\.label)).count == ticks.count, "duplicate labels \(ticks.map(\.label))")
            for t in ticks { try requireClose(Double(t.label)!, t.value, atol: step * 1e-6, rtol: 0, "label \(t.label)") }
        }
    }

    @Test func linearExamples() {
        #expect(Ticks.linear(0, 1).map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(Ticks.linear(0.5, 0.66, target: 4).map(\.label) == ["0.50", "0.55", "0.60", "0.65"])
        #expect(Ticks.linear(-20, 120).map(\.label) == ["-20", "0", "20", "40", "60", "80", "100", "120"])
        #expect(Ticks.niceStep(span: 0.3, target: 5) == 0.05)
    }

    @Test func logTicksAreOnPowersOfTen() {
        let gen = Gen.zip(Gen<Float>.float(in: -5...5), Gen<Float>.float(in: 0.3...7))
        propertyCheck(gen, cases: 300) { e, d in
            let lo = pow(10, Double(e)), hi = lo * pow(10, Double(d))
            let ticks = Ticks.logarithmic(lo, hi)
            try require(!ticks.isEmpty, "no ticks for \(lo)…\(hi)")
            for t in ticks { try require(t.value >= lo * (1 - 1e-9) && t.value <= hi * (1 + 1e-9), "outside") }
            for (a, b) in zip(ticks, ticks.dropFirst()) { try require(b.value > a.value, "not increasing") }
            if Double(d) < 1 {
                // Less than a decade: nice linear values.
                try require(ticks == Ticks.linear(lo, hi, target: 5), "sub-decade ticks are not the linear ones")
                return
            }
            for t in ticks where t.isMajor {
                let k = log10(t.value)
                try require(abs(k - k.rounded()) < 1e-9, "major \(t.value) is not a power of ten")
            }
            for t in ticks {
                let m = t.value / pow(10, floor(log10(t.value) + 1e-9))
                try require(abs(m - m.rounded()) < 1e-6, "tick \(t.value) is not m·10^k")
            }
            if d >= 1.01 { try require(ticks.contains { $0.isMajor }, "a decade without a major tick") }
        }
    }

    @Test func logExamples() {
        let t = Ticks.logarithmic(1, 1000)
        #expect(t.filter(\.isMajor).map(\.label) == ["1", "10", "100", "1000"])
        #expect(t.count == 28)
        #expect(Ticks.logarithmic(1e-7, 1e-5).filter(\.isMajor).map(\.label) == ["10⁻⁷", "10⁻⁶", "10⁻⁵"])
        // Narrow ranges label 2 and 5 too.
        #expect(Ticks.logarithmic(2, 60).filter { !$0.label.isEmpty }.map(\.label) == ["2", "5", "10", "20", "50"])
        // Less than a decade: nice linear values.
        #expect(Ticks.logarithmic(0.45, 0.6).map(\.label) == ["0.46", "0.48", "0.50", "0.52", "0.54", "0.56", "0.58", "0.60"])
        // Very wide ranges keep at most about 8 labelled decades.
        #expect(Ticks.logarithmic(1e-10, 1e10).filter(\.isMajor).count <= 11)
    }

    @Test func axisDomainContainsTheData() {
        propertyCheck(Self.ranges, cases: 200) { lo, hi in
            let r = Axis("x").resolve(dataMin: lo, dataMax: hi)
            try require(r.lo < lo && r.hi > hi, "domain \(r.lo)…\(r.hi) does not pad \(lo)…\(hi)")
            let l = Axis("x", scale: .log10).resolve(dataMin: abs(lo) + 1e-3, dataMax: abs(lo) + 1e-3 + abs(hi - lo))
            try require(l.lo > 0 && l.lo < abs(lo) + 1e-3 && l.hi > abs(lo) + 1e-3 + abs(hi - lo), "log domain")
        }
    }
}
