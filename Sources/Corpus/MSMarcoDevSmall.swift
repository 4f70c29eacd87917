// Readers for the two text files of MS MARCO passage dev "small" that Paper A's training data uses (Margin-MSE
// paper §3, our revised data section: real queries with a real judged-relevant passage each, instead of 48 TREC DL
// queries): `positives.tsv` (one judged-relevant passage per query) and `bm25-top20.tsv` (the BM25 top 20 of the full
// collection for 600 queries, with MS MARCO labels). Both are TSV with an exact header line; every row is checked
// field by field, and `readBM25Lists` groups the candidates by query and checks each query's ranks are 1…n.
// Leaves out: the full 8.8M-passage collection, de-duplicating against TREC DL test collections, and any decision
// about `titled` rows (a title in front of the passage text): those belong to the training code, not the reader.

/// One judged-relevant passage of a dev-small query: a row of `positives.tsv` (`qid, pid, status, text`).
public struct JudgedPositive: Sendable, Equatable {
    /// How the text relates to the MS MARCO collection's passage.
    public enum Status: String, Sendable, CaseIterable {
        /// The exact collection text.
        case collection
        /// The collection's passage text without a title (not known to be byte-exact, unlike `collection`).
        case untitled
        /// A document title and a space in front of the passage text; the title's length is unknown, so the
        /// passage cannot be cut out. A model can learn "a title means relevant" from such rows.
        case titled
    }

    public var qid: String
    /// The judged passage's id; nil when the query has several relevant passages and the text's id is unknown.
    public var pid: String?
    public var status: Status
    public var text: String

    public init(qid: String, pid: String?, status: Status, text: String) {
        self.qid = qid; self.pid = pid; self.status = status; self.text = text
    }
}

/// One BM25 candidate: a row of `bm25-top20.tsv` (`qid, pid, rank, label, text`).
public struct BM25Candidate: Sendable, Equatable {
    public var qid: String
    public var pid: String
    /// 1-based rank in the query's BM25 list.
    public var rank: Int
    /// The MS MARCO label: 1 when the passage is judged relevant, else 0.
    public var label: Int
    public var text: String

    public init(qid: String, pid: String, rank: Int, label: Int, text: String) {
        self.qid = qid; self.pid = pid; self.rank = rank; self.label = label; self.text = text
    }
}

/// One query's BM25 candidates in rank order (ranks 1…n).
public struct BM25CandidateList: Sendable, Equatable {
    public var qid: String
    public var candidates: [BM25Candidate]
    public init(qid: String, candidates: [BM25Candidate]) { self.qid = qid; self.candidates = candidates }
}

public enum MSMarcoDevSmall {
    /// The exact first line of `positives.tsv`.
    public static let positivesHeader = "qid\tpid\tstatus\ttext"
    /// The exact first line of `bm25-top20.tsv`.
    public static let bm25Header = "qid\tpid\trank\tlabel\ttext"

    /// Streams the rows of `positives.tsv` in file order. Throws `DataFormatError` for a wrong or missing header, a
    /// line without exactly 4 fields, an empty qid, a status other than collection/untitled/titled, or a blank text.
    /// An empty pid is read as nil.
    public static func forEachPositive(_ path: String, _ body: (JudgedPositive) throws -> Void) throws {
        try forEachRow(path, header: positivesHeader) { line, f, n in
            let qid = try nonEmpty(line, f[0], "qid (field 1)", path, n)
            let s = Fields.string(line, f[2])
            guard let status = JudgedPositive.Status(rawValue: s) else {
                throw DataFormatError(file: path, line: n, expected: "status (field 3) collection, untitled or titled",
                                      found: s)
            }
            let text = try nonBlank(line, f[3], path, n)
            try body(JudgedPositive(qid: qid, pid: f[1].isEmpty ? nil : Fields.string(line, f[1]),
                                    status: status, text: text))
        }
    }

    /// All rows of `positives.tsv` (6,980 for dev-small), in file order.
    public static func readPositives(_ path: String) throws -> [JudgedPositive] {
        var out: [JudgedPositive] = []
        try forEachPositive(path) { out.append($0) }
        return out
    }

    /// Streams the rows of `bm25-top20.tsv` in file order with their 1-based line numbers. Throws `DataFormatError`
    /// for a wrong or missing header, a line without exactly 5 fields, an empty qid or pid, a rank that is not a
    /// positive integer, a label that is not a non-negative integer, or a blank text.
    public static func forEachBM25Candidate(_ path: String,
                                            _ body: (BM25Candidate, _ line: Int) throws -> Void) throws {
        try forEachRow(path, header: bm25Header) { line, f, n in
            let qid = try nonEmpty(line, f[0], "qid (field 1)", path, n)
            let pid = try nonEmpty(line, f[1], "pid (field 2)", path, n)
            guard let rank = digits(line, f[2]), rank >= 1 else {
                throw DataFormatError(file: path, line: n, expected: "rank (field 3) a positive integer",
                                      found: Fields.string(line, f[2]))
            }
            guard let label = digits(line, f[3]) else {
                throw DataFormatError(file: path, line: n, expected: "label (field 4) a non-negative integer",
                                      found: Fields.string(line, f[3]))
            }
            try body(BM25Candidate(qid: qid, pid: pid, rank: rank, label: label, text: try nonBlank(line, f[4], path, n)), n)
        }
    }

    /// All rows of `bm25-top20.tsv` (12,000 for dev-small), in file order.
    public static func readBM25Candidates(_ path: String) throws -> [BM25Candidate] {
        var out: [BM25Candidate] = []
        try forEachBM25Candidate(path) { c, _ in out.append(c) }
        return out
    }

    /// The candidates of `bm25-top20.tsv` grouped by qid (queries in order of first appearance), each list sorted by
    /// rank. Each query's ranks must be exactly 1…n: a repeated rank is an error at the line of its second row, a
    /// missing rank an error at the line of the row that follows the gap (the first row whose rank is too high).
    public static func readBM25Lists(_ path: String) throws -> [BM25CandidateList] {
        var order: [String] = []
        var rows: [String: [(candidate: BM25Candidate, line: Int)]] = [:]
        try forEachBM25Candidate(path) { c, n in
            if rows[c.qid] == nil { order.append(c.qid) }
            rows[c.qid, default: []].append((c, n))
        }
        return try order.map { qid in
            // Sorted by (rank, line): of two rows with the same rank the later line comes second and is reported.
            let sorted = rows[qid]!.sorted { ($0.candidate.rank, $0.line) < ($1.candidate.rank, $1.line) }
            for (i, r) in sorted.enumerated() where r.candidate.rank != i + 1 {
                let rank = r.candidate.rank
                let repeated = i > 0 && sorted[i - 1].candidate.rank == rank
                throw DataFormatError(file: path, line: r.line,
                                      expected: repeated ? "ranks of query \(qid) without duplicates (rank \(rank) already seen)"
                                                         : "ranks of query \(qid) to run 1…n without gaps (rank \(i + 1) next)",
                                      found: "rank \(rank)")
            }
            return BM25CandidateList(qid: qid, candidates: sorted.map(\.candidate))
        }
    }

    // MARK: helpers

    /// Checks line 1 against `header` (an empty file is an error at line 1 too), then calls `body` for every further
    /// line with its tab-separated fields, which number exactly as many as the header's.
    static func forEachRow(_ path: String, header: String,
                           _ body: (UnsafeBufferPointer<UInt8>, [FieldRange], Int) throws -> Void) throws {
        let want = Array(header.utf8)
        let names = header.split(separator: "\t")
        let expectedFields = "\(names.count) tab-separated fields (\(names.joined(separator: ", ")))"
        var fields: [FieldRange] = []
        var sawHeader = false
        try LineReader.forEachLine(path) { line, n in
            if n == 1 {
                guard line.elementsEqual(want) else {
                    throw DataFormatError(file: path, line: 1, expected: "the header line '\(header)'",
                                          found: Fields.string(line, 0..<line.count))
                }
                sawHeader = true
                return
            }
            Fields.split(line, on: 0x09, into: &fields)
            guard fields.count == names.count else {
                throw DataFormatError(file: path, line: n, expected: expectedFields,
                                      found: Fields.string(line, 0..<line.count))
            }
            try body(line, fields, n)
        }
        guard sawHeader else {
            throw DataFormatError(file: path, line: 1, expected: "the header line '\(header)'", found: "end of file")
        }
    }

    private static func nonEmpty(_ line: UnsafeBufferPointer<UInt8>, _ r: FieldRange, _ what: String,
                                 _ path: String, _ n: Int) throws -> String {
        guard !r.isEmpty else { throw DataFormatError(file: path, line: n, expected: "a non-empty \(what)", found: "") }
        return Fields.string(line, r)
    }

    /// The last field: a text with at least one non-space byte (kept as written, spaces included).
    private static func nonBlank(_ line: UnsafeBufferPointer<UInt8>, _ r: FieldRange, _ path: String, _ n: Int) throws -> String {
        guard r.contains(where: { line[$0] != 0x20 }) else {
            throw DataFormatError(file: path, line: n, expected: "a non-blank text (last field)", found: Fields.string(line, r))
        }
        return Fields.string(line, r)
    }

    /// Decimal digits only (no sign, at most 18 of them), or nil.
    private static func digits(_ line: UnsafeBufferPointer<UInt8>, _ r: FieldRange) -> Int? {
        guard !r.isEmpty, r.allSatisfy({ line[$0] >= 0x30 && line[$0] <= 0x39 }) else { return nil }
        return Fields.int(line, r)
    }
}
