// Putting a finished output in place without losing anything. Every writer of the package writes into a temporary
// sibling first and then calls `moveIntoPlace`, which is one rename(2):
//   - a reader sees the old file or the new one, never half of one;
//   - a file replaces a file; a folder output replaces only a missing or empty folder;
//   - a directory named by mistake as an output file, or a folder that holds files, is never removed: the move fails
//     with an `OutputError` naming it, the temporary is removed, nothing else is touched.
// `checkOutputFile` / `checkOutputFolder` make the same checks before any work, so that a command fails in its first
// second rather than after an hour of training.
// Leaves out: locking against a second writer (two runs writing one path: the last rename wins, whole).

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output that cannot be put where it was asked to go: `path: problem`.
public struct OutputError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let problem: String
    public init(path: String, problem: String) { self.path = path; self.problem = problem }
    public var description: String { "\(path): \(problem)" }
}

/// Moves the finished `temporary` (a file or a folder) onto `destination` in one step. Throws `OutputError`, after
/// removing `temporary`, when `destination` is a directory and `temporary` a file, when it is a folder that holds
/// anything, or when the rename fails for another reason (e.g. another file system).
public func moveIntoPlace(_ temporary: URL, to destination: URL) throws {
    if rename(temporary.path, destination.path) == 0 { return }
    let code = errno
    try? FileManager.default.removeItem(at: temporary)
    let problem: String
    switch code {
    case EISDIR: problem = "is a directory; give a file path (nothing was removed)"
    case ENOTEMPTY, EEXIST: problem = "is a folder that holds files; give a new or empty folder (nothing in it was removed)"
    case ENOTDIR: problem = "is a file, not a folder (it was left as it is)"
    default: problem = "cannot be written (\(String(cString: strerror(code))))"
    }
    throw OutputError(path: destination.path, problem: problem)
}

/// Checks, before any work, that `path` can take an output file: it is not a directory, and its folder exists or can
/// be made.
public func checkOutputFile(_ path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        throw OutputError(path: path, problem: "is a directory; give a file path (nothing was removed)")
    }
    try checkParent(of: path)
}

/// Checks, before any work, that `path` can take an output folder: it does not exist, or is an empty folder.
public func checkOutputFolder(_ path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else { throw OutputError(path: path, problem: "is a file, not a folder (it was left as it is)") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        guard entries.isEmpty else {
            throw OutputError(path: path, problem: "is a folder that holds files; give a new or empty folder (nothing in it was removed)")
        }
    }
    try checkParent(of: path)
}

private func checkParent(of path: String) throws {
    let parent = (path as NSString).deletingLastPathComponent
    guard !parent.isEmpty else { return }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), !isDirectory.boolValue {
        throw OutputError(path: path, problem: "cannot be written: \(parent) is a file, not a folder")
    }
}

/// Writes the text that `body` emits to `destination` through a temporary sibling, a megabyte at a time, then moves
/// it into place (`moveIntoPlace`): memory stays at one buffer however long the output, and a failure anywhere leaves
/// the destination as it was and no temporary behind.
public func writeTextInPlace(_ destination: URL, _ body: (_ emit: (String) throws -> Void) throws -> Void) throws {
    let tmp = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).tmp")
    try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
    guard FileManager.default.createFile(atPath: tmp.path, contents: nil), let h = FileHandle(forWritingAtPath: tmp.path) else {
        throw OutputError(path: tmp.path, problem: "cannot be created")
    }
    do {
        var text = ""
        text.reserveCapacity(1 << 21)
        try body { piece in
            text += piece
            if text.utf8.count >= 1 << 20 { try h.write(contentsOf: Data(text.utf8)); text.removeAll(keepingCapacity: true) }
        }
        try h.write(contentsOf: Data(text.utf8))
        try h.close()
    } catch {
        try? h.close(); try? FileManager.default.removeItem(at: tmp)
        throw error
    }
    try moveIntoPlace(tmp, to: destination)
}
