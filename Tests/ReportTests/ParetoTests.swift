// The Pareto front (minimise x, maximise y): no front point is dominated; every other point is dominated by a
// front point; a worked example.

import Foundation
import Testing
import PropertyTesting
@testable import Report

@Suite struct ParetoTests {
    // Coarse values so ties in x and y happen often.
    static var points: Gen<[Point]> { Gen<[Point]>.array(of: Gen.zip(Gen.int(in: 0...12), Gen.int(in: 0...12))
        .map { Point(Double($0.0), Double($0.1)) }, count: 0...25) }

    @Test func frontIsExactlyTheNonDominatedSet() {
        propertyCheck(Self.points, cases: 400) { pts in
            let idx = Pareto.frontIndices(x: pts.map(\.x), y: pts.map(\.y))
            let onFront = Set(idx)
            for i in idx {
                for q in pts { try require(!Pareto.dominates((q.x, q.y), (pts[i].x, pts[i].y)), "front point \(pts[i]) dominated by \(q)") }
            }
            for i in pts.indices where !onFront.contains(i) {
                try require(idx.contains { Pareto.dominates((pts[$0].x, pts[$0].y), (pts[i].x, pts[i].y)) },
                            "\(pts[i]) is off the front but no front point dominates it")
            }
            let xs = idx.map { pts[$0].x }
            try require(xs == xs.sorted(), "front not sorted by x")
        }
    }

    @Test func workedExample() {
        let pts = [Point(1, 0.5), Point(2, 0.7), Point(3, 0.6), Point(4, 0.9), Point(4, 0.8), Point(.nan, 1)]
        #expect(Pareto.front(of: pts) == [Point(1, 0.5), Point(2, 0.7), Point(4, 0.9)])
        #expect(Pareto.front(of: []) == [])
    }
}
