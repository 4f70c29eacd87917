// Parity with scikit-learn's PCA(svd_solver='full') on committed fixtures (Tests/Fixtures/PCA/make_goldens.py):
// 1,000 all-MiniLM-L6-v2 embeddings of real MS MARCO passages, and a synthetic 300 × 8 cloud with known axes.
// Components are compared entry by entry *with their signs*: that tests our sign rule equals scikit-learn's.
import Foundation
import Testing
import Tensors
@testable import PCA

@Suite struct PCAGoldenTests {
    static func doubles(_ g: [String: Any], _ key: String) -> [Double] { (g[key] as! [NSNumber]).map(\.doubleValue) }

    /// Compares a model with a golden file's scikit-learn outputs; returns the largest deviations for the docs.
    static func compare(_ m: PCAModel, _ x: Tensor, _ g: [String: Any], varianceRtol: Double, componentsAtol: Double,
                        transformAtol: Double) {
        let d = m.dimension
        #expect(maxAbsDiff(m.mean, doubles(g, "mean")) < 1e-7, "mean")
        let ev = doubles(g, "explained_variance"), ratio = doubles(g, "explained_variance_ratio")
        let kc = g["components_k"] as! Int
        // Relative `varianceRtol`, plus the Float32 floor of the covariance products (1e-7 of the largest).
        for j in 0..<kc {
            #expect(abs(m.explainedVariance[j] - ev[j]) <= varianceRtol * ev[j] + 1e-7 * ev[0], "explained_variance[\(j)]")
            #expect(abs(m.explainedVarianceRatio[j] - ratio[j]) <= varianceRtol * ratio[j] + 1e-7 * ratio[0], "ratio[\(j)]")
        }
        // Every variance, including the near-zero tail, to 1e-6 of the largest.
        #expect(maxAbsDiff(m.explainedVariance, ev) <= 1e-6 * ev[0], "explained_variance tail")
        let comps = doubles(g, "components")
        let worst = maxAbsDiff(m.components[0..<(kc * d)], comps)
        #expect(worst < componentsAtol, "components (with signs): max |Δ| = \(worst)")
        let rows = g["transform_rows"] as! Int, k = g["transform_k"] as! Int
        let head = Tensor(shape: [rows, d], scalars: Array(x.scalars[0..<(rows * d)]))
        let t = m.transform(head, k: k)
        let tw = maxAbsDiff(t.scalars, doubles(g, "transform"))
        #expect(tw < transformAtol, "transform k=\(k): max |Δ| = \(tw)")
        for (share, expected) in g["n_components_for_variance"] as! [String: Int] {
            let k = try? m.componentCount(forVarianceShare: Double(share)!)
            #expect(k == expected, "n_components for \(share)")
        }
    }

    @Test func syntheticCloudMatchesScikitLearnAndRecoversItsAxes() throws {
        let g = try Fixtures.json("synthetic-pca.json")
        let n = g["n_samples"] as! Int, d = g["n_features"] as! Int
        let x = Tensor(shape: [n, d], scalars: Self.doubles(g, "data").map { Float($0) })
        let m = try PCAModel.fit(x)
        Self.compare(m, x, g, varianceRtol: 1e-5, componentsAtol: 1e-5, transformAtol: 1e-5)
        // Known structure: std (5, 3, 2, 1, …) along known axes; with n = 300 the top axes are recovered closely.
        let axes = Self.doubles(g, "true_axes"), std = Self.doubles(g, "true_std")
        for j in 0..<3 {
            var dot = 0.0
            for t in 0..<d { dot += m.components[j * d + t] * axes[j * d + t] }
            #expect(abs(dot) > 0.99, "component \(j) vs true axis: |cos| = \(abs(dot))")
            #expect(abs(m.explainedVariance[j] / (std[j] * std[j]) - 1) < 0.25, "variance \(j) vs std²")
        }
    }

    @Test func miniLMEmbeddingsMatchScikitLearn() throws {
        let x = try Fixtures.minilmEmbeddings()
        let g = try Fixtures.json("minilm-pca.json")
        #expect(x.shape == [g["n_samples"] as! Int, g["n_features"] as! Int])
        let m = try PCAModel.fit(x)
        #expect(m.componentCount == 384)
        Self.compare(m, x, g, varianceRtol: 1e-5, componentsAtol: 1e-5, transformAtol: 1e-5)
    }
}
