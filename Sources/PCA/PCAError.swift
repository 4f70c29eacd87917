// Errors of the PCA module: bad input matrices and files, failed solves, unreadable model files.
// Every message names what was wrong and, for files, the file (and line, where there is one).

/// What went wrong in the PCA module. `description` is a sentence fit for a user.
public enum PCAError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The input matrix is not [n × d] with n ≥ 2 and d ≥ 1.
    case badShape(String)
    /// NaN or ±∞ where finite numbers are needed.
    case nonFinite(what: String)
    /// The QL iteration did not converge for eigenvalue `index` (100 sweeps).
    case noConvergence(index: Int)
    /// A malformed row in a tab-separated float file: file, 1-based line, what was expected.
    case badRow(file: String, line: Int, message: String)
    /// A file could not be read or written, or holds no rows.
    case file(path: String, message: String)
    /// A model file that does not decode or whose shapes do not agree.
    case badModel(path: String, message: String)
    /// A request the model cannot satisfy (k larger than the number of components, share outside (0, 1], …).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .badShape(let m): return "PCA: bad input shape: \(m)"
        case .nonFinite(let what): return "PCA: \(what) contains NaN or infinity"
        case .noConvergence(let i): return "PCA: the eigensolver did not converge (eigenvalue \(i))"
        case .badRow(let file, let line, let m): return "\(file):\(line): \(m)"
        case .file(let path, let m): return "\(path): \(m)"
        case .badModel(let path, let m): return "\(path): not a PCA model file: \(m)"
        case .invalidArgument(let m): return "PCA: \(m)"
        }
    }
}
