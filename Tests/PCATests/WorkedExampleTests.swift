// The worked example of Docs/PCA.md, as a test: four points in 2-D, their PCA by hand, and the two projections
// (scikit-learn's centred transform vs the sentence-transformers Dense head that does not centre).
// Also the JSON round trip and the tab-separated reader's error messages.
import Foundation
import PropertyTesting
import Tensors
import Testing
@testable import PCA

@Suite struct WorkedExampleTests {
    // μ = (1, 2), principal axis u = (0.6, 0.8) with offsets ±5, minor axis v = (−0.8, 0.6) with offsets ±1:
    // (4, 6) = μ + 5u, (−2, −2) = μ − 5u, (0.2, 2.6) = μ + v, (1.8, 1.4) = μ − v.
    static let x = Tensor(shape: [4, 2], scalars: [4, 6, -2, -2, 0.2, 2.6, 1.8, 1.4])

    @Test func docsWorkedExample() throws {
        let m = try PCAModel.fit(Self.x)
        #expect(maxAbsDiff(m.mean, [1.0, 2.0]) < 1e-6)
        // C = (2·25·uuᵀ + 2·1·vvᵀ) / (n − 1 = 3): λ = 50/3, 2/3; ratios 50/52, 2/52.
        #expect(maxAbsDiff(m.explainedVariance, [50.0 / 3, 2.0 / 3]) < 1e-5)
        #expect(maxAbsDiff(m.explainedVarianceRatio, [50.0 / 52, 2.0 / 52]) < 1e-6)
        // Signs: u's largest entry 0.8 is already positive; v = (−0.8, 0.6) is flipped to (0.8, −0.6).
        #expect(maxAbsDiff(m.components, [0.6, 0.8, 0.8, -0.6]) < 1e-6)
        // 95 % of the variance: the first share is 50/52 = 0.9615 > 0.95, so k = 1.
        #expect(try m.componentCount(forVarianceShare: 0.95) == 1)
        // Centred (scikit-learn transform): (4, 6) − μ = (3, 4) = 5u → (5, 0).
        let point = Tensor(shape: [1, 2], scalars: [4, 6])
        #expect(maxAbsDiff(m.transform(point).scalars, [5, 0] as [Float]) < 1e-5)
        // Uncentred Dense head, y = W·x: (0.6·4 + 0.8·6, 0.8·4 − 0.6·6) = (7.2, −0.4); the gap is W·μ = (2.2, −0.4).
        #expect(maxAbsDiff(m.denseLayer()(point).scalars, [7.2, -0.4] as [Float]) < 1e-5)
        #expect(maxAbsDiff(m.denseLayer(centered: true)(point).scalars, [5, 0] as [Float]) < 1e-5)
        // Keeping k = 1 and mapping back lands on the principal line: (4, 6) is on it, so it is unchanged.
        #expect(maxAbsDiff(m.project(point, k: 1).scalars, [4, 6] as [Float]) < 1e-5)
    }

    @Test func modelRoundTripsThroughJSON() throws {
        var m = try PCAModel.fit(structuredMatrix(n: 30, d: 5, seed: 9), selection: .count(3))
        m.denseCentering = true
        let path = testScratchRoot.appendingPathComponent("pca-\(UInt64.random(in: 0...UInt64.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try m.save(to: path)
        let back = try PCAModel.load(from: path)
        #expect(back == m)
        #expect(back.denseLayer().bias != nil)
        try Data("{\"format\":\"RankerDistillation.PCAModel/1\",\"model\":{\"dimension\":2,\"sampleCount\":3,\"mean\":[0],\"components\":[],\"explainedVariance\":[],\"totalVariance\":0}}".utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(throws: PCAError.self) { try PCAModel.load(from: path) }
        #expect(throws: PCAError.self) { try PCAModel.load(from: path + ".missing") }
    }

    @Test func tabSeparatedRowsParseAndBadRowsNameFileAndLine() throws {
        let t = try FloatRowsFile.parse("1\t2\t3\n\n4.5\t-5e-1\t6\r\n", file: "e.tsv")
        #expect(t.shape == [2, 3] && t.scalars == [1, 2, 3, 4.5, -0.5, 6])
        #expect(throws: PCAError.badRow(file: "e.tsv", line: 2, message: "expected 3 tab-separated floats (as on the first row), found 2")) {
            try FloatRowsFile.parse("1\t2\t3\n1\t2\n", file: "e.tsv")
        }
        #expect(throws: PCAError.badRow(file: "e.tsv", line: 3, message: "column 2: 'abc' is not a number")) {
            try FloatRowsFile.parse("1\t2\n\n3\tabc\n", file: "e.tsv")
        }
        #expect(throws: PCAError.badRow(file: "e.tsv", line: 1, message: "column 1: 'nan' is not finite")) {
            try FloatRowsFile.parse("nan\t2\n", file: "e.tsv")
        }
        #expect(throws: PCAError.file(path: "e.tsv", message: "no rows (expected tab-separated floats, one row per line)")) {
            try FloatRowsFile.parse("\n\n", file: "e.tsv")
        }
    }
}
