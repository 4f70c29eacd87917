// An RFC 4180 CSV reader (quoted fields may hold commas, doubled quotes and newlines) and the SciFact corpus reader
// built on it. SciFact's `corpus_train.csv` has columns `doc_id,title,abstract,structured`, where `abstract` is a
// Python/NumPy list literal of sentences (`['First.' 'Second.']`, with or without commas, strings in ' or " quotes,
// backslash escapes). A document's text is the title, then the sentences joined by spaces.
// Leaves out: other CSV dialects (semicolons, unquoted newlines).

public enum CSV {
    /// All records of a CSV file; each record is its fields. Errors name the line where the bad record starts.
    public static func read(_ path: String) throws -> [[String]] {
        let text = try LineReader.text(path)
        var records: [[String]] = []
        var field: [UInt8] = [], record: [String] = []
        var inQuotes = false, line = 1, recordLine = 1, afterQuote = false
        let bytes = Array(text.utf8)
        var i = 0
        func endField() { record.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        while i < bytes.count {
            let c = bytes[i]
            if inQuotes {
                if c == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 1 } else { inQuotes = false; afterQuote = true }
                } else { if c == 0x0A { line += 1 }; field.append(c) }
            } else if c == 0x2C { endField(); afterQuote = false
            } else if c == 0x0A || c == 0x0D {
                if c == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                endField(); records.append(record); record = []; afterQuote = false
                line += 1; recordLine = line
            } else if c == 0x22 && field.isEmpty && !afterQuote { inQuotes = true
            } else {
                if afterQuote {
                    throw DataFormatError(file: path, line: line, expected: "a comma or line end after a closing quote",
                                          found: String(decoding: [c], as: UTF8.self))
                }
                field.append(c)
            }
            i += 1
        }
        if inQuotes {
            throw DataFormatError(file: path, line: recordLine, expected: "a closing quote for the field opened here",
                                  found: "end of file")
        }
        if !field.isEmpty || !record.isEmpty { endField(); records.append(record) }
        return records
    }

    /// Records as dictionaries keyed by the header row; every record must have as many fields as the header.
    public static func readTable(_ path: String) throws -> [[String: String]] {
        let rows = try read(path)
        guard let header = rows.first else {
            throw DataFormatError(file: path, line: 1, expected: "a header row", found: "an empty file")
        }
        return try rows.dropFirst().enumerated().map { k, row in
            guard row.count == header.count else {
                throw DataFormatError(file: path, line: 0, expected: "\(header.count) fields in record \(k + 1)",
                                      found: "\(row.count) fields")
            }
            return Dictionary(uniqueKeysWithValues: zip(header, row))
        }
    }

    /// Parses a Python/NumPy list literal of strings: `['a', "b's"]` or `['a'\n 'b']`. Nil when malformed.
    public static func pythonStringList(_ s: String) -> [String]? {
        let b = Array(s.utf8)
        var i = 0, out: [String] = []
        func skipBlanks() { while i < b.count && (b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 || b[i] == 0x2C) { i += 1 } }
        skipBlanks()
        guard i < b.count, b[i] == 0x5B else { return nil }
        i += 1
        while true {
            skipBlanks()
            guard i < b.count else { return nil }
            if b[i] == 0x5D { i += 1; break }
            let q = b[i]
            guard q == 0x27 || q == 0x22 else { return nil }
            i += 1
            var cur: [UInt8] = []
            while i < b.count && b[i] != q {
                if b[i] == 0x5C && i + 1 < b.count {
                    i += 1
                    switch b[i] { case 0x6E: cur.append(0x0A); case 0x74: cur.append(0x09); default: cur.append(b[i]) }
                } else { cur.append(b[i]) }
                i += 1
            }
            guard i < b.count else { return nil }
            i += 1
            out.append(String(decoding: cur, as: UTF8.self))
        }
        skipBlanks()
        return i == b.count ? out : nil
    }
}

public enum SciFact {
    /// Documents of `corpus_train.csv` (id, title + " " + abstract sentences).
    public static func readCorpus(_ path: String) throws -> [TextRecord] {
        let rows = try CSV.read(path)
        guard let header = rows.first, let idCol = header.firstIndex(of: "doc_id"),
              let titleCol = header.firstIndex(of: "title"), let absCol = header.firstIndex(of: "abstract") else {
            throw DataFormatError(file: path, line: 1, expected: "a header with doc_id, title, abstract",
                                  found: rows.first?.joined(separator: ",") ?? "nothing")
        }
        return try rows.dropFirst().enumerated().map { k, row in
            guard row.count == header.count, let sentences = CSV.pythonStringList(row[absCol]) else {
                throw DataFormatError(file: path, line: 0,
                                      expected: "record \(k + 1): \(header.count) fields with a list literal as abstract",
                                      found: row.joined(separator: ",").prefix(100).description)
            }
            return TextRecord(id: row[idCol], text: TrecSGML.collapse(([row[titleCol]] + sentences).joined(separator: " ")))
        }
    }
}
