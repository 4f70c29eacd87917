// `reproduce pca fit` end to end: help text, a fit from a TSV file to a model file, and its error messages.
import Foundation
import PCA
import PropertyTesting
import Tensors
import Testing
@testable import CLI

@Suite struct PCACommandTests {
    static func tempPath(_ name: String) -> String {
        testScratchRoot
            .appendingPathComponent("pca-cli-\(UInt64.random(in: 0...UInt64.max))-\(name)").path
    }

    static func tsv(_ x: Tensor) -> String {
        let d = x.shape[1]
        return (0..<x.shape[0]).map { i in (0..<d).map { "\(x.scalars[i * d + $0])" }.joined(separator: "\t") }
            .joined(separator: "\n") + "\n"
    }

    /// n rows of d values with a clear spread per direction: column j scaled by 0.7^j, rows from a fixed LCG.
    static func rows(n: Int, d: Int) -> Tensor {
        var state: UInt64 = 12_345
        var x: [Float] = []
        for _ in 0..<n {
            for j in 0..<d {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                x.append((Float(state >> 40) / Float(1 << 24) - 0.5) * pow(0.7, Float(j)) + Float(j))
            }
        }
        return Tensor(shape: [n, d], scalars: x)
    }

    @Test func helpStartsWithUsageAndStatesTheDenseConvention() {
        let (console, out, _) = Console.capturing()
        #expect(Commands.main(["pca", "fit", "--help"], console: console) == 0)
        #expect(out().hasPrefix("Usage: reproduce pca fit --input FILE (--k N | --variance SHARE) --out MODEL.json [--center]"))
        #expect(out().contains("y = W·x"))
    }

    @Test func fitsAFileAndWritesAModelThatMatchesTheLibraryFit() throws {
        let x = Self.rows(n: 40, d: 6)
        let input = Self.tempPath("x.tsv"), model = Self.tempPath("m.json")
        defer { try? FileManager.default.removeItem(atPath: input); try? FileManager.default.removeItem(atPath: model) }
        try Self.tsv(x).write(toFile: input, atomically: true, encoding: .utf8)
        let (console, out, err) = Console.capturing()
        #expect(Commands.main(["pca", "fit", "--input", input, "--variance", "0.9", "--out", model, "--center"],
                              console: console) == 0, "\(err())")
        let loaded = try PCAModel.load(from: model)
        let reference = try PCAModel.fit(FloatRowsFile.read(input), selection: .varianceShare(0.9))
        #expect(loaded.componentCount == reference.componentCount)
        #expect(loaded.components == reference.components)
        #expect(loaded.denseCentering)
        #expect(out().contains("kept k = \(reference.componentCount) components"))
    }

    @Test func malformedRowsAndBadOptionsGiveClearErrors() throws {
        let input = Self.tempPath("bad.tsv")
        defer { try? FileManager.default.removeItem(atPath: input) }
        try "1\t2\t3\n4\t5\t6\n7\tx\t9\n".write(toFile: input, atomically: true, encoding: .utf8)
        let (c1, _, e1) = Console.capturing()
        #expect(Commands.main(["pca", "fit", "--input", input, "--k", "1", "--out", Self.tempPath("m.json")], console: c1) == 1)
        #expect(e1() == "reproduce pca fit: \(input):3: column 2: 'x' is not a number\n")
        let (c2, _, e2) = Console.capturing()
        #expect(Commands.main(["pca", "fit", "--input", input, "--out", "m.json"], console: c2) == 2)
        #expect(e2().contains("give --k N or --variance SHARE"))
        let (c3, _, e3) = Console.capturing()
        #expect(Commands.main(["pca", "fit", "--input", input, "--k", "2", "--variance", "0.5", "--out", "m.json"], console: c3) == 2)
        #expect(e3().contains("only one of --k and --variance"))
    }
}
