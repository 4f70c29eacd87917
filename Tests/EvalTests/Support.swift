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

func temporaryFile(_ name: String, _ contents: String) throws -> String {
    let dir = NSTemporaryDirectory() + "evaltests-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/" + name
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    return path
}
