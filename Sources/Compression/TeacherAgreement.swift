// How closely a student reproduces its teacher on a sample of texts (the semantic-similarity ranker's quality
// measures, Docs/Paper-ExtremeCompression.md; the paper's §3.1 evaluators):
//   • Spearman ρ between the teacher's and the student's pairwise cosine similarities (all i < j pairs);
//   • top-10 neighbour overlap: mean over texts of |N₁₀ᵗ(i) ∩ N₁₀ˢ(i)| / 10, neighbours by cosine, i excluded;
//   • MSE×100 to the targets (sentence-transformers' MSEEvaluator: 100·mean((t − s)²) over texts and dimensions),
//     where the targets are the teacher's embeddings in the student's space (PCA-projected when k < d).
// Cosines and rank similarity are invariant to the PCA rotation only up to the dropped components, so the
// teacher side uses the full teacher embeddings. Leaves out: STS gold-label evaluation (no STS data here).
//
// Letters: n texts, d teacher size, k student size.

import Foundation

public struct AgreementScores: Codable, Sendable, Equatable {
    public var texts: Int
    public var spearmanPairwiseCosine: Double
    public var topTenOverlap: Double
    /// nil when no targets of the student's size were given.
    public var mseTimes100: Double?
}

public enum TeacherAgreement {
    /// Cosines of all pairs i < j, in row-major pair order; a zero vector has cosine 0 with everything.
    public static func pairwiseCosines(_ x: [[Float]]) -> [Double] {
        let norms = x.map { v in (v.reduce(0.0) { $0 + Double($1) * Double($1) }).squareRoot() }
        var out: [Double] = []
        out.reserveCapacity(x.count * (x.count - 1) / 2)
        for i in x.indices { for j in (i + 1)..<x.count { out.append(cosine(x[i], x[j], norms[i], norms[j])) } }
        return out
    }

    static func cosine(_ a: [Float], _ b: [Float], _ na: Double, _ nb: Double) -> Double {
        guard na > 0 && nb > 0 else { return 0 }
        var s = 0.0
        for t in a.indices { s += Double(a[t]) * Double(b[t]) }
        return s / (na * nb)
    }

    /// Ranks 1…n with ties given their average rank (as scipy.stats.rankdata).
    public static func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var r = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let avg = Double(i + j) / 2 + 1
            for t in i...j { r[order[t]] = avg }
            i = j + 1
        }
        return r
    }

    /// Spearman ρ = Pearson correlation of the (tie-averaged) ranks; 0 when either side is constant.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "spearman: \(a.count) vs \(b.count) values")
        let ra = ranks(a), rb = ranks(b)
        let n = Double(a.count)
        guard n > 1 else { return 0 }
        let ma = ra.reduce(0, +) / n, mb = rb.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in ra.indices {
            let x = ra[i] - ma, y = rb[i] - mb
            sab += x * y; saa += x * x; sbb += y * y
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
    }

    /// The m nearest neighbours of each row by cosine (itself excluded), ties to the lower index.
    static func neighbours(_ x: [[Float]], m: Int) -> [[Int]] {
        let n = x.count
        let c = pairwiseCosines(x)
        func cos(_ i: Int, _ j: Int) -> Double {
            let (a, b) = i < j ? (i, j) : (j, i)
            return c[a * (2 * n - a - 1) / 2 + (b - a - 1)]
        }
        return (0..<n).map { i in
            Array((0..<n).filter { $0 != i }.sorted { (cos(i, $0), -$0) > (cos(i, $1), -$1) }.prefix(m))
        }
    }

    /// Mean over rows of |N_m(teacher) ∩ N_m(student)| / m, with m = min(k, n − 1).
    public static func neighbourOverlap(teacher: [[Float]], student: [[Float]], k: Int = 10) -> Double {
        precondition(teacher.count == student.count, "neighbourOverlap: \(teacher.count) vs \(student.count) rows")
        let m = min(k, teacher.count - 1)
        guard m > 0 else { return 1 }
        let nt = neighbours(teacher, m: m), ns = neighbours(student, m: m)
        var total = 0.0
        for i in nt.indices { total += Double(Set(nt[i]).intersection(ns[i]).count) / Double(m) }
        return total / Double(nt.count)
    }

    /// 100 · mean((t − s)²) over rows and dimensions.
    public static func mseTimes100(targets: [[Float]], student: [[Float]]) -> Double {
        precondition(targets.count == student.count, "mseTimes100: \(targets.count) vs \(student.count) rows")
        var s = 0.0, count = 0
        for (t, x) in zip(targets, student) {
            precondition(t.count == x.count, "mseTimes100: rows of \(t.count) and \(x.count) values")
            for j in t.indices { let e = Double(t[j] - x[j]); s += e * e }
            count += t.count
        }
        return count > 0 ? 100 * s / Double(count) : 0
    }

    /// All three measures. `targets` (the teacher in the student's space) may be nil.
    public static func measure(teacher: [[Float]], student: [[Float]], targets: [[Float]]?, k: Int = 10) -> AgreementScores {
        AgreementScores(texts: teacher.count,
                        spearmanPairwiseCosine: spearman(pairwiseCosines(teacher), pairwiseCosines(student)),
                        topTenOverlap: neighbourOverlap(teacher: teacher, student: student, k: k),
                        mseTimes100: targets.map { mseTimes100(targets: $0, student: student) })
    }
}
