// The Pareto front of points where smaller x is better (size, latency) and larger y is better (quality): the points
// no other point dominates. q dominates p when q.x ≤ p.x and q.y ≥ p.y with at least one strict.
// Used by Figure 3 (size vs quality, every student of the grid) of the extreme-compression reproduction.
//
//   front of (1, 0.5) (2, 0.7) (3, 0.6) (4, 0.9) → (1, 0.5) (2, 0.7) (4, 0.9)   — (3, 0.6) is dominated by (2, 0.7)

import Foundation

public enum Pareto {
    /// Does `q` dominate `p` (minimise x, maximise y)?
    public static func dominates(_ q: (x: Double, y: Double), _ p: (x: Double, y: Double)) -> Bool {
        q.x <= p.x && q.y >= p.y && (q.x < p.x || q.y > p.y)
    }

    /// Indices of the non-dominated points, sorted by x ascending (then y descending). Duplicated points are all
    /// kept (none dominates another). Non-finite points are ignored. O(n log n): sweep by x, keep a point when its
    /// y beats the best y seen at smaller x.
    public static func frontIndices(x: [Double], y: [Double]) -> [Int] {
        precondition(x.count == y.count, "Pareto.frontIndices: x and y differ in length")
        let order = x.indices.filter { x[$0].isFinite && y[$0].isFinite }
            .sorted { x[$0] != x[$1] ? x[$0] < x[$1] : (y[$0] != y[$1] ? y[$0] > y[$1] : $0 < $1) }
        var front: [Int] = []
        var bestY = -Double.infinity
        var i = 0
        while i < order.count {
            // Points with the same x: only those with the group's largest y can be on the front.
            var j = i
            while j < order.count && x[order[j]] == x[order[i]] { j += 1 }
            let groupBest = y[order[i]]
            if groupBest > bestY {
                for k in i..<j where y[order[k]] == groupBest { front.append(order[k]) }
                bestY = groupBest
            }
            i = j
        }
        return front
    }

    /// The front of `points` (minimise x, maximise y), sorted by x.
    public static func front(of points: [Point]) -> [Point] {
        frontIndices(x: points.map(\.x), y: points.map(\.y)).map { points[$0] }
    }
}
