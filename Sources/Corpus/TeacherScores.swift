// Reader for the published Margin-MSE teacher-score files (Zenodo 4068216; Margin-MSE paper §3.1): one row per
// training triple, `pos_score<TAB>neg_score<TAB>qid<TAB>pos_pid<TAB>neg_pid`, ~40M rows. Streamed with bounded memory
// (one 1 MiB chunk) and parsed without allocating per field: well over 1M lines/s (see Docs/Corpus.md).
// Leaves out: the text-expanded variant (`s_pos<TAB>s_neg<TAB>q<TAB>p+<TAB>p-`): that is `forEachTextScoreRow`.

/// One teacher-score row. The margin the student learns is `posScore − negScore`.
public struct TeacherScoreRow: Sendable, Equatable {
    public var posScore: Float, negScore: Float
    public var qid: Int, posPid: Int, negPid: Int
    public init(posScore: Float, negScore: Float, qid: Int, posPid: Int, negPid: Int) {
        self.posScore = posScore; self.negScore = negScore; self.qid = qid; self.posPid = posPid; self.negPid = negPid
    }
    public var margin: Float { posScore - negScore }
}

public enum TeacherScores {
    static let expectation = "5 tab-separated fields: pos_score, neg_score (finite numbers), qid, pos_pid, neg_pid (integers)"

    /// Calls `body` for every row of the file, in order.
    public static func forEachRow(_ path: String, _ body: (TeacherScoreRow) throws -> Void) throws {
        var fields: [FieldRange] = []
        fields.reserveCapacity(8)
        try LineReader.forEachLine(path) { line, n in
            try body(parse(line, &fields, file: path, line: n))
        }
    }

    /// One row from its line; `DataFormatError` naming `file` and `line` for anything but five fields with finite
    /// scores and whole-number ids.
    @inline(__always)
    static func parse(_ line: UnsafeBufferPointer<UInt8>, _ fields: inout [FieldRange], file: String, line n: Int) throws
        -> TeacherScoreRow {
        Fields.split(line, on: 0x09, into: &fields)
        guard fields.count == 5,
              let p = Fields.double(line, fields[0]), let q = Fields.double(line, fields[1]),
              p.isFinite, q.isFinite, Float(p).isFinite, Float(q).isFinite,
              let qid = Fields.int(line, fields[2]), let pp = Fields.int(line, fields[3]),
              let np = Fields.int(line, fields[4])
        else {
            throw DataFormatError(file: file, line: n, expected: expectation, found: Fields.string(line, 0..<line.count))
        }
        return TeacherScoreRow(posScore: Float(p), negScore: Float(q), qid: qid, posPid: pp, negPid: np)
    }

    /// All rows (for small files; use `forEachRow` for the published 40M-row files).
    public static func readAll(_ path: String) throws -> [TeacherScoreRow] {
        var out: [TeacherScoreRow] = []
        try forEachRow(path) { out.append($0) }
        return out
    }

    /// The text-expanded form written by matchmaker's `teacher_id_to_text.py`:
    /// `s_pos<TAB>s_neg<TAB>query<TAB>pos_text<TAB>neg_text`.
    public static func forEachTextScoreRow(_ path: String,
                                           _ body: (_ pos: Float, _ neg: Float, _ triple: Triple) throws -> Void) throws {
        var fields: [FieldRange] = []
        try LineReader.forEachLine(path) { line, n in
            Fields.split(line, on: 0x09, into: &fields)
            guard fields.count == 5, let p = Fields.double(line, fields[0]), let q = Fields.double(line, fields[1]) else {
                throw DataFormatError(file: path, line: n,
                                      expected: "5 tab-separated fields: pos_score, neg_score, query, positive, negative",
                                      found: Fields.string(line, 0..<line.count))
            }
            try body(Float(p), Float(q), Triple(query: Fields.string(line, fields[2]),
                                                positive: Fields.string(line, fields[3]),
                                                negative: Fields.string(line, fields[4])))
        }
    }
}

/// The rows of a teacher-score file in order from any row on, read through a memory map: training reads batch i as
/// rows i·B ..< (i+1)·B and, at the end of the file, goes on from its first row (the next epoch). Rows are counted
/// across epochs (`row`), so that a resumed run asks for exactly the rows the interrupted one would have read next.
/// Seeking forward reads on from where the cursor is; seeking back starts again at the top (once the file's row count
/// is known, whole epochs are skipped without reading). Memory: the mapping only.
public final class TeacherScoreCursor: @unchecked Sendable {
    public let path: String
    private let file: MappedFile
    private var offset: Int
    private var fields: [FieldRange] = []
    /// The row `next()` returns, counted from the first row of the first epoch.
    public private(set) var row = 0
    /// Rows in the file, known once the cursor has reached its end.
    public private(set) var rowsPerEpoch: Int?

    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path)
        offset = file.firstLineOffset
        fields.reserveCapacity(8)
    }

    /// The line number (1-based) of the row `next()` returns.
    private var lineInFile: Int {
        guard let n = rowsPerEpoch else { return row + 1 }
        return row % n + 1
    }

    /// The next row (wrapping at the end of the file).
    public func next() throws -> TeacherScoreRow {
        if offset >= file.size {
            if rowsPerEpoch == nil { rowsPerEpoch = row }
            offset = file.firstLineOffset
        }
        let (text, next) = file.line(at: offset)
        let r = try TeacherScores.parse(text, &fields, file: path, line: lineInFile)
        offset = next
        row += 1
        if offset >= file.size && rowsPerEpoch == nil { rowsPerEpoch = row }
        return r
    }

    /// Positions the cursor so that `next()` returns row `target` (counted across epochs).
    public func seek(toRow target: Int) throws {
        precondition(target >= 0, "row \(target)")
        if target < row || (rowsPerEpoch != nil && target - row >= rowsPerEpoch!) {
            offset = file.firstLineOffset
            row = rowsPerEpoch.map { target / $0 * $0 } ?? 0
        }
        while row < target { _ = try next() }
    }

    /// The next `count` rows.
    public func rows(_ count: Int) throws -> [TeacherScoreRow] {
        var out: [TeacherScoreRow] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try next()) }
        return out
    }
}
