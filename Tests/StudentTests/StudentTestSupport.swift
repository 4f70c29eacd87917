// Locations the Student tests need: the shared model folder (tests skip when it is absent) and the fixtures.

import Foundation
import PropertyTesting

enum StudentPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/Student")
    static let miniLM = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/models/all-MiniLM-L6-v2")
    static var miniLMAvailable: Bool {
        FileManager.default.fileExists(atPath: miniLM.appendingPathComponent("config.json").path)
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let dir = testScratchRoot.appendingPathComponent("student-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
