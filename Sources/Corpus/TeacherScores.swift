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
    static let expectation = "5 tab-separated fields: pos_score, neg_score (numbers), qid, pos_pid, neg_pid (integers)"

    /// Calls `body` for every row of the file, in order.
    public static func forEachRow(_ path: String, _ body: (TeacherScoreRow) throws -> Void) throws {
        var fields: [FieldRange] = []
        fields.reserveCapacity(8)
        try LineReader.forEachLine(path) { line, n in
            Fields.split(line, on: 0x09, into: &fields)
            guard fields.count == 5,
                  let p = Fields.double(line, fields[0]), let q = Fields.double(line, fields[1]),
                  let qid = Fields.int(line, fields[2]), let pp = Fields.int(line, fields[3]),
                  let np = Fields.int(line, fields[4])
            else {
                throw DataFormatError(file: path, line: n, expected: expectation,
                                      found: Fields.string(line, 0..<line.count))
            }
            try body(TeacherScoreRow(posScore: Float(p), negScore: Float(q), qid: qid, posPid: pp, negPid: np))
        }
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
