// CSV rendering of a `Table` (RFC 4180 quoting: a field with a comma, quote, CR or LF is wrapped in quotes and its
// quotes doubled) and a small RFC 4180 parser used by the tests and by anyone reading our tables back.
// The header row is the column headers; title, caption and notes are not part of CSV. Unknown paper values are
// written "unknown", markers are appended to the value ("0.371†"). When any cell is the paper's, a last column
// "source" says "ours", "paper" or "mixed" per row. Group rows become a row with the group title in column 1.
// Departure from RFC 4180: lines end in LF by default (pass "\r\n" for CRLF); the parser accepts both.

import Foundation

extension Table {
    /// The table as CSV, ending with a line break.
    public func csv(lineEnding: String = "\n") -> String {
        let withSource = hasPaperCells
        var lines: [[String]] = [columns.map(\.header) + (withSource ? ["source"] : [])]
        for r in rows {
            if let g = r.group {
                lines.append([g] + Array(repeating: "", count: max(0, columns.count - 1)) + (withSource ? [""] : []))
                continue
            }
            var fields = normalisedCells(r).map(\.csvText)
            if withSource {
                let provs = Set(fields.indices.map { r.provenance(of: $0) })
                fields.append(provs.count > 1 ? "mixed" : (provs.first ?? r.provenance).rawValue)
            }
            lines.append(fields)
        }
        return lines.map { $0.map(csvField).joined(separator: ",") + lineEnding }.joined()
    }
}

/// One CSV field, quoted when it contains a comma, a quote, CR or LF (RFC 4180 §2.6–2.7).
public func csvField(_ s: String) -> String {
    if s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}

/// Parses RFC 4180 CSV into records of fields. Accepts LF or CRLF line ends and a missing final line end.
/// Throws `ReportError.csv` for a quote inside an unquoted field, text after a closing quote, or an
/// unterminated quoted field.
public func parseCSV(_ text: String) throws -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = String.UnicodeScalarView()
    var line = 1
    var inQuotes = false, wasQuoted = false, afterQuote = false
    var atRecordStart = true
    let scalars = Array(text.unicodeScalars)
    var i = 0
    func endField() { record.append(String(field)); field = .init(); wasQuoted = false; afterQuote = false }
    while i < scalars.count {
        let c = scalars[i]
        if inQuotes {
            if c == "\"" {
                if i + 1 < scalars.count && scalars[i + 1] == "\"" { field.append("\""); i += 2; continue }
                inQuotes = false; afterQuote = true; i += 1; continue
            }
            if c == "\n" { line += 1 }
            field.append(c); i += 1; continue
        }
        switch c {
        case ",":
            endField(); atRecordStart = false
        case "\r" where i + 1 < scalars.count && scalars[i + 1] == "\n":
            i += 1; fallthrough
        case "\n":
            endField(); records.append(record); record = []; atRecordStart = true; line += 1
        case "\"":
            if !field.isEmpty || wasQuoted { throw ReportError.csv(line: line, message: "quote inside an unquoted field") }
            inQuotes = true; wasQuoted = true; atRecordStart = false
        default:
            if afterQuote { throw ReportError.csv(line: line, message: "text after a closing quote") }
            field.append(c); atRecordStart = false
        }
        i += 1
    }
    if inQuotes { throw ReportError.csv(line: line, message: "unterminated quoted field") }
    if !atRecordStart || !field.isEmpty || !record.isEmpty { endField(); records.append(record) }
    return records
}
