// Temporary files for tests. Everything a test process writes lives under one folder, `testScratchRoot`
// (`<tmp>/RankerDistillationTests-<pid>`), which is removed when the process exits; a process that died before it
// could remove its own (a crash, a kill) has its folder removed by the next test process. Names inside it still
// carry the test target (`temporaryFile`) or a UUID (`scratchDirectory`), so suites running side by side never share one.
import Foundation

/// The folder of this test process's temporary files, created on first use and removed at exit.
public let testScratchRoot: URL = {
    let tmp = URL(fileURLWithPath: NSTemporaryDirectory())
    removeScratchRootsOfDeadProcesses(in: tmp)
    let root = tmp.appendingPathComponent("\(scratchRootPrefix)\(getpid())")
    try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    atexit {   // (a C function: it cannot capture `root`, so it names the folder again)
        try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "/\(scratchRootPrefix)\(getpid())")
    }
    return root
}()

private let scratchRootPrefix = "RankerDistillationTests-"

/// Removes the scratch roots in `tmp` whose process no longer runs.
private func removeScratchRootsOfDeadProcesses(in tmp: URL) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
    for name in names where name.hasPrefix(scratchRootPrefix) {
        guard let pid = Int32(name.dropFirst(scratchRootPrefix.count)), pid != getpid() else { continue }
        if kill(pid, 0) == -1 && errno == ESRCH {
            try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name))
        }
    }
}

/// A fresh, empty folder under `testScratchRoot`, named after `name` and a UUID.
public func scratchDirectory(_ name: String) throws -> URL {
    let u = testScratchRoot.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}

/// Writes `contents` to `name` in the temporary folder of the calling test target (`testScratchRoot/CorpusTests`,
/// named from `#fileID`'s module) and returns its path.
public func temporaryFile(_ name: String, _ contents: String, fileID: String = #fileID) throws -> String {
    let target = fileID.prefix { $0 != "/" }
    let dir = testScratchRoot.appendingPathComponent(String(target)).path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/" + name
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    return path
}
