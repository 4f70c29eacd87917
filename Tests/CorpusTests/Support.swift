// Test support: fixture and shared-data paths (temporary files: PropertyTesting's `temporaryFile`).
import Foundation

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let fixtures = packageRoot + "/Tests/Fixtures/Corpus"
    static let shared = (packageRoot + "/../shared/data" as NSString).standardizingPath
    static func fixture(_ name: String) -> String { fixtures + "/" + name }
}

enum SharedData {
    static var available: Bool { FileManager.default.fileExists(atPath: Paths.shared + "/cranfield/cran.qry") }
}
