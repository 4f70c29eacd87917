// Errors of the Vocab module: typed values that name the file, the line and what was expected.

public enum VocabError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    case notUTF8(path: String)
    case empty(path: String)
    case emptyToken(path: String, line: Int)
    case duplicateToken(path: String, line: Int, token: String, firstLine: Int)
    case missingSpecialToken(path: String, token: String)
    case invalidArgument(String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let p): return "\(p): no such vocabulary file"
        case .unreadable(let p, let r): return "\(p): cannot read the vocabulary (\(r))"
        case .notUTF8(let p): return "\(p): not a vocab.txt (expected UTF-8 text, one token per line)"
        case .empty(let p): return "\(p): the vocabulary is empty (expected one token per line)"
        case .emptyToken(let p, let l): return "\(p):\(l): empty token (expected one token per line, no blank lines)"
        case .duplicateToken(let p, let l, let t, let f):
            return "\(p):\(l): duplicate token '\(t)' (first on line \(f))"
        case .missingSpecialToken(let p, let t): return "\(p): the vocabulary has no \(t) token"
        case .invalidArgument(let m): return m
        case .unwritable(let p, let r): return "\(p): cannot write the vocabulary (\(r))"
        }
    }
}
