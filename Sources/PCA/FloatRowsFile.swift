// Reading an embedding matrix from text: one row per line, values separated by tabs (what `reproduce encode`
// prints). Blank lines are skipped; every other line must hold the same number of finite decimal floats.
// Errors name the file, the 1-based line and what was expected. Leaves out: headers, other separators.
//
// Letters: n = rows, d = values per row.

import Foundation
import Tensors

public enum FloatRowsFile {
    /// Parses `text` (the contents of `file`, used only in messages) into a Tensor [n × d].
    public static func parse(_ text: String, file: String) throws -> Tensor {
        var scalars: [Float] = []
        var d: Int? = nil
        var n = 0
        var lineNumber = 0
        // Character.isNewline covers "\n" and "\r\n" (one Character in Swift), so Windows files read too.
        for row in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            if row.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            if let d, fields.count != d {
                throw PCAError.badRow(file: file, line: lineNumber,
                                      message: "expected \(d) tab-separated floats (as on the first row), found \(fields.count)")
            }
            for (column, field) in fields.enumerated() {
                let trimmed = field.trimmingCharacters(in: .whitespaces)
                guard let v = Float(trimmed) else {
                    throw PCAError.badRow(file: file, line: lineNumber,
                                          message: "column \(column + 1): '\(trimmed.prefix(40))' is not a number")
                }
                guard v.isFinite else {
                    throw PCAError.badRow(file: file, line: lineNumber,
                                          message: "column \(column + 1): '\(trimmed.prefix(40))' is not finite")
                }
                scalars.append(v)
            }
            d = fields.count
            n += 1
        }
        guard let d, n > 0 else { throw PCAError.file(path: file, message: "no rows (expected tab-separated floats, one row per line)") }
        return Tensor(shape: [n, d], scalars: scalars)
    }

    /// Reads and parses the file at `path`.
    public static func read(_ path: String) throws -> Tensor {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) }
        catch { throw PCAError.file(path: path, message: "could not read: \(error.localizedDescription)") }
        return try parse(text, file: path)
    }
}
