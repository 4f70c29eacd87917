// Readers for the MS MARCO TSV files (Margin-MSE paper §3): collection (`pid<TAB>text`), queries (`qid<TAB>text`),
// training triples (`query<TAB>positive<TAB>negative`), all streamed line by line; plus whole-file loaders for the
// small files. Every line must have exactly the expected number of tab-separated fields.
// The id-only triples file (`qid<TAB>pos_pid<TAB>neg_pid`, `qidpidtriples.train.full.2.tsv`, ~400M rows) streams
// through `forEachIDTriple`.

/// One row of an id-and-text file: a passage of the collection or a query.
public struct TextRecord: Sendable, Equatable {
    public var id: String
    public var text: String
    public init(id: String, text: String) { self.id = id; self.text = text }
}

/// One MS MARCO training triple, as text.
public struct Triple: Sendable, Equatable {
    public var query: String, positive: String, negative: String
    public init(query: String, positive: String, negative: String) {
        self.query = query; self.positive = positive; self.negative = negative
    }
}

public enum MSMarco {
    /// Streams `id<TAB>text` lines (collection.tsv, queries.tsv). Empty lines are errors.
    public static func forEachRecord(_ path: String, _ body: (TextRecord) throws -> Void) throws {
        var fields: [FieldRange] = []
        try LineReader.forEachLine(path) { line, n in
            Fields.split(line, on: 0x09, into: &fields)
            guard fields.count == 2, !fields[0].isEmpty else {
                throw DataFormatError(file: path, line: n, expected: "2 tab-separated fields (id, text)",
                                      found: Fields.string(line, 0..<line.count))
            }
            try body(TextRecord(id: Fields.string(line, fields[0]), text: Fields.string(line, fields[1])))
        }
    }

    /// All records of a small `id<TAB>text` file, in file order.
    public static func readRecords(_ path: String) throws -> [TextRecord] {
        var out: [TextRecord] = []
        try forEachRecord(path) { out.append($0) }
        return out
    }

    /// Streams `query<TAB>positive<TAB>negative` lines.
    public static func forEachTriple(_ path: String, _ body: (Triple) throws -> Void) throws {
        var fields: [FieldRange] = []
        try LineReader.forEachLine(path) { line, n in
            Fields.split(line, on: 0x09, into: &fields)
            guard fields.count == 3 else {
                throw DataFormatError(file: path, line: n, expected: "3 tab-separated fields (query, positive, negative)",
                                      found: Fields.string(line, 0..<line.count))
            }
            try body(Triple(query: Fields.string(line, fields[0]), positive: Fields.string(line, fields[1]),
                            negative: Fields.string(line, fields[2])))
        }
    }

    /// Streams the id triples `qid<TAB>pos_pid<TAB>neg_pid` (whole numbers) of `path`: `body(qid, pos, neg, line)`
    /// with 1-based line numbers. Any other line is a `DataFormatError` naming it.
    public static func forEachIDTriple(_ path: String, _ body: (Int, Int, Int, Int) throws -> Void) throws {
        var fields: [FieldRange] = []
        try LineReader.forEachLine(path) { line, n in
            Fields.split(line, on: 0x09, into: &fields)
            guard fields.count == 3, let q = Fields.int(line, fields[0]), let p = Fields.int(line, fields[1]),
                  let m = Fields.int(line, fields[2]), q >= 0, p >= 0, m >= 0 else {
                throw DataFormatError(file: path, line: n, expected: "3 tab-separated whole numbers: qid, pos_pid, neg_pid",
                                      found: Fields.string(line, 0..<line.count))
            }
            try body(q, p, m, n)
        }
    }
}
