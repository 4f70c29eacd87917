// Runs experiments at the smoke scale into a temporary folder, once per test process.
import Foundation
import PropertyTesting
@testable import Experiments

enum SmokeRun {
    static func context(_ out: URL) -> ExperimentContext {
        ExperimentContext(scale: .smoke, dataDirectory: nil, modelDirectory: nil, outputDirectory: out,
                          cacheDirectory: out.appendingPathComponent(".cache"), seed: 2020, threads: 2)
    }

    static func temporaryFolder() throws -> URL {
        let dir = testScratchRoot.appendingPathComponent("experiments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
