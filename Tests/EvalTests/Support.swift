// Test support: where the fixtures and the shared data are, and the skip condition for tests that need ../shared.
import Foundation

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let fixtures = packageRoot + "/Tests/Fixtures/Eval"
    static let shared = (packageRoot + "/../shared/data" as NSString).standardizingPath
}

enum SharedData {
    static var available: Bool { FileManager.default.fileExists(atPath: Paths.shared + "/msmarco-passage-trec-dl/dl19/qrels.txt") }
}
