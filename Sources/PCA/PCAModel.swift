// The fitted PCA: mean, components and explained variance kept together in one value, so nothing that uses the
// components can forget which mean they were fitted around (STYLE.md pitfall). Implements the fit of
// extreme-compression paper §4.2 step 2 (and sentence-transformers' model_distillation.py, §3.2): PCA of teacher
// embeddings, components later used as a Dense k×d head.
// Leaves out: whitening, incremental/randomized PCA, automatic dimension selection (MLE), noise variance.
//
// Letters: n = samples, d = embedding dimension, k = components kept.

import Tensors

/// A fitted principal component analysis of an [n × d] matrix.
///
/// Math. With μ = mean of the rows and C = (1/(n−1)) Σᵢ (xᵢ−μ)(xᵢ−μ)ᵀ, the components are the unit eigenvectors
/// w₀, w₁, … of C, ordered by eigenvalue λ₀ ≥ λ₁ ≥ …; λⱼ is `explainedVariance[j]` (ddof = 1, as scikit-learn).
/// **Sign convention (scikit-learn ≥ 1.5, `svd_flip(u_based_decision=False)`)**: each wⱼ is flipped so that its
/// entry of largest absolute value (the first such entry on exact ties) is positive.
/// The fit always centres (PCA is defined on centred data); whether a *projection* centres is chosen per call:
/// `transform(x, centered: true)` = W·(x − μ) (scikit-learn's `transform`), `centered: false` = W·x (the
/// sentence-transformers Dense head, see `denseLayer`).
public struct PCAModel: Codable, Sendable, Equatable {
    /// d.
    public let dimension: Int
    /// n, the number of rows the model was fitted on.
    public let sampleCount: Int
    /// μ.  [d]
    public let mean: [Double]
    /// W, row-major [k × d]: row j is wⱼ; rows orthonormal.
    public let components: [Double]
    /// λ₀ ≥ … ≥ λₖ₋₁ ≥ 0 (tiny negative round-off from the eigensolver is clamped to 0).  [k]
    public let explainedVariance: [Double]
    /// trace(C) = Σ over all d eigenvalues, also those not kept; the denominator of the ratio.
    public let totalVariance: Double
    /// How `denseLayer()` exports by default: false = `y = W·x` (sentence-transformers), true = `y = W·(x − μ)`.
    public var denseCentering: Bool

    /// k.
    public var componentCount: Int { explainedVariance.count }

    /// λⱼ / trace(C).  [k]
    public var explainedVarianceRatio: [Double] {
        explainedVariance.map { totalVariance > 0 ? $0 / totalVariance : 0 }
    }

    /// Running sums of `explainedVarianceRatio`: entry j = share of variance in the first j+1 components.  [k]
    public var cumulativeExplainedVarianceRatio: [Double] {
        var s = 0.0
        return explainedVarianceRatio.map { s += $0; return s }
    }

    public init(dimension: Int, sampleCount: Int, mean: [Double], components: [Double],
                explainedVariance: [Double], totalVariance: Double, denseCentering: Bool = false) {
        precondition(mean.count == dimension && components.count == explainedVariance.count * dimension,
                     "PCAModel: mean [\(mean.count)] / components [\(components.count)] disagree with d = \(dimension)")
        self.dimension = dimension; self.sampleCount = sampleCount; self.mean = mean
        self.components = components; self.explainedVariance = explainedVariance
        self.totalVariance = totalVariance; self.denseCentering = denseCentering
    }

    /// How many components `fit` keeps.
    public enum Selection: Sendable, Equatable {
        /// min(n, d) components, as scikit-learn's `PCA()` with no `n_components`.
        case all
        /// Exactly k (1 ≤ k ≤ min(n, d)).
        case count(Int)
        /// The smallest k whose cumulative explained-variance ratio is > share (scikit-learn's rule for a float
        /// `n_components`: `searchsorted(cumsum, share, side="right") + 1`), 0 < share ≤ 1.
        case varianceShare(Double)
    }

    /// Fits PCA to the rows of `x` [n × d]: mean, covariance (`CovarianceStats`), eigen-decomposition
    /// (`SymmetricEigen`), sign convention, then keeps the components `selection` asks for.
    public static func fit(_ x: Tensor, selection: Selection = .all) throws -> PCAModel {
        let stats = try CovarianceStats(x)
        let d = stats.columns, n = stats.rows
        let eig = try SymmetricEigen(symmetric: stats.covariance, order: d)
        var vectors = eig.vectors
        for j in 0..<d { flipSign(&vectors, row: j, columns: d) }
        var trace = 0.0
        for i in 0..<d { trace += stats.covariance[i * d + i] }
        let full = PCAModel(dimension: d, sampleCount: n, mean: stats.mean, components: vectors,
                            explainedVariance: eig.values.map { max($0, 0) }, totalVariance: trace)
        let available = min(n, d)
        let k: Int
        switch selection {
        case .all: k = available
        case .count(let c):
            guard c >= 1 && c <= available else {
                throw PCAError.invalidArgument("k = \(c) is outside 1…\(available) (min(n, d) for n = \(n), d = \(d))")
            }
            k = c
        case .varianceShare(let s): k = min(try full.componentCount(forVarianceShare: s), available)
        }
        return full.truncated(to: k)
    }

    /// The first k components (and their variances); mean, total variance and centring choice unchanged.
    public func truncated(to k: Int) -> PCAModel {
        precondition(k >= 0 && k <= componentCount, "truncated(to: \(k)) with \(componentCount) components")
        return PCAModel(dimension: dimension, sampleCount: sampleCount, mean: mean,
                        components: Array(components[0..<(k * dimension)]),
                        explainedVariance: Array(explainedVariance[0..<k]), totalVariance: totalVariance,
                        denseCentering: denseCentering)
    }

    /// The smallest k with cumulative ratio > share (scikit-learn's rule; see `Selection.varianceShare`), capped at
    /// `componentCount` (when round-off keeps the full sum just below 1).
    public func componentCount(forVarianceShare share: Double) throws -> Int {
        guard share > 0 && share <= 1 else { throw PCAError.invalidArgument("variance share \(share) is outside (0, 1]") }
        let cumulative = cumulativeExplainedVarianceRatio
        for (j, c) in cumulative.enumerated() where c > share { return j + 1 }
        return componentCount
    }

    /// Flips row `row` of `v` [· × columns] so that its largest-|value| entry (first on ties) is positive.
    static func flipSign(_ v: inout [Double], row: Int, columns: Int) {
        let base = row * columns
        var best = 0, bestAbs = -1.0
        for j in 0..<columns where abs(v[base + j]) > bestAbs { best = j; bestAbs = abs(v[base + j]) }
        if v[base + best] < 0 { for j in 0..<columns { v[base + j] = -v[base + j] } }
    }
}
