// The one error every reader in Corpus (and Eval's TREC readers) throws for bad input: it names the file, the line
// and what was expected there, so that a user can open the file at that line and see the problem.
// Leaves out: recovery (a malformed line stops the read; nothing is skipped silently).

/// A malformed input: `file:line: expected …, found …`.
public struct DataFormatError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    /// 1-based line number (0 when the problem is not tied to a line, e.g. a missing file).
    public let line: Int
    public let expected: String
    public let found: String

    public init(file: String, line: Int, expected: String, found: String) {
        self.file = file; self.line = line; self.expected = expected
        // Keep messages short even when a whole passage is on the bad line.
        self.found = found.count > 120 ? String(found.prefix(117)) + "..." : found
    }

    public var description: String {
        line > 0 ? "\(file):\(line): expected \(expected), found '\(found)'"
                 : "\(file): expected \(expected), found \(found)"
    }
}
