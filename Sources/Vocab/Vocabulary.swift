// A WordPiece vocabulary: tokens in id order, read from and written to `vocab.txt` (one token per line, id = line
// number − 1), the format of Hugging Face BERT models and of the vocabulary trainer. Implements "vocab.txt I/O" of
// Docs/Vocab.md. Differs from HF on purpose in one way: a blank line inside the file or a duplicate token is an
// error here (HF would silently keep the last id), because either one means a corrupt file.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct Vocabulary: Sendable, Equatable {
    /// Tokens in id order.
    public let tokens: [String]
    /// Token → id.
    public let ids: [String: Int32]

    public var count: Int { tokens.count }
    public subscript(token: String) -> Int32? { ids[token] }

    /// Builds a vocabulary from tokens in id order. Throws on a duplicate or empty token.
    public init(tokens: [String], source: String = "<memory>") throws {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() {
            if t.isEmpty { throw VocabError.emptyToken(path: source, line: i + 1) }
            if let first = ids[t] {
                throw VocabError.duplicateToken(path: source, line: i + 1, token: t, firstLine: Int(first) + 1)
            }
            ids[t] = Int32(i)
        }
        if tokens.isEmpty { throw VocabError.empty(path: source) }
        self.tokens = tokens
        self.ids = ids
    }

    /// Reads `vocab.txt`: one token per line; trailing whitespace (and "\r") is trimmed as HF does.
    public init(contentsOf path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw VocabError.fileNotFound(path: path) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw VocabError.unreadable(path: path, reason: error.localizedDescription)
        }
        guard let text = String(validating: data, as: UTF8.self) else { throw VocabError.notUTF8(path: path) }
        try self.init(parsing: text, source: path)
    }

    /// Parses the text of a `vocab.txt`.
    public init(parsing text: String, source: String = "<memory>") throws {
        // Split on the scalar "\n" (as Characters, "\r\n" is one grapheme and would not split).
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let tokens = lines.map { line -> String in
            var s = line
            while let last = s.last, last.properties.isWhitespace { s = s.dropLast() }
            return String(String.UnicodeScalarView(s))
        }
        try self.init(tokens: tokens, source: source)
    }

    /// The file text: each token followed by "\n".
    public var fileText: String { tokens.map { $0 + "\n" }.joined() }

    /// Writes `vocab.txt` atomically (a temporary file, then one rename(2), which replaces a file but never a
    /// directory: `path` naming a directory is an error and the directory is left as it was).
    public func write(to path: String) throws {
        let tmp = path + ".tmp"
        try Data(fileText.utf8).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: tmp)
            throw VocabError.unwritable(path: path, reason: code == EISDIR ? "it is a directory; give a file path (nothing was removed)"
                                                                           : String(cString: strerror(code)))
        }
    }

    /// The id of a required token, or an error naming the vocabulary.
    public func requiredID(_ token: String, source: String = "<vocabulary>") throws -> Int32 {
        guard let id = ids[token] else { throw VocabError.missingSpecialToken(path: source, token: token) }
        return id
    }
}
