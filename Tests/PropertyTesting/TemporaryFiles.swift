// Temporary files for tests: one folder per test target and process, so that targets running side by side in one
// test process never share a name.
import Foundation

/// Writes `contents` to `name` in the temporary folder of the calling test target (named from `#fileID`'s module:
/// `CorpusTests-<pid>`) and returns its path.
public func temporaryFile(_ name: String, _ contents: String, fileID: String = #fileID) throws -> String {
    let target = fileID.prefix { $0 != "/" }
    let dir = NSTemporaryDirectory() + "\(target)-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/" + name
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    return path
}
