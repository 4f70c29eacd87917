// Writes a file all at once: to a temporary file beside it, then renamed (Foundation's `.atomic` option), so a
// reader never sees half a table or half a figure. Creates missing parent folders.

import Foundation

/// Writes `text` as UTF-8 to `url` atomically, creating parent folders.
public func writeAtomically(_ text: String, to url: URL) throws {
    try writeAtomically(Data(text.utf8), to: url)
}

/// Writes `data` to `url` atomically, creating parent folders.
public func writeAtomically(_ data: Data, to url: URL) throws {
    do {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    } catch {
        throw ReportError.write(path: url.path, message: "\(error)")
    }
}
