// What several command-line suites read: ../shared beside the package (its data and models) when it is there.
import Foundation

enum Shared {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared").standardizedFileURL
    static let data = root.appendingPathComponent("data")
    static let miniLM = root.appendingPathComponent("models/all-MiniLM-L6-v2")
    /// Whether `path` (relative to ../shared) exists.
    static func has(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) }
    static var trecDL: Bool { has("data/msmarco-passage-trec-dl/dl19/qrels.txt") && has("models/all-MiniLM-L6-v2/config.json") }
    static var devSmall: Bool { trecDL && has("data/msmarco-passage-dev-small/bm25-top20.tsv") }
}

/// A fresh, empty temporary folder named after `name`.
func scratchFolder(_ name: String) throws -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("cli-tests-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}
