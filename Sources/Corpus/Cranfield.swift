// Reader for the Cranfield collection in SMART format (`cran.all.1400`, `cran.qry`, `cranqrel`):
//   .I id / .T title / .A authors / .B bibliography / .W text       (documents; text = title + " " + .W body)
//   .I n / .W text                                                  (queries; the qrels number them 1…225 by
//                                                                    their position in the file, not by .I)
//   cranqrel: `qid docid grade`, grade 1 (complete answer) … 4 (minimal interest), −1 (no interest)
// Grades are mapped to graded relevance for nDCG as `relevance = 5 − grade` (1→4 … 4→1) and −1 → 0, so that a higher
// number means more relevant, as trec_eval expects. Whitespace runs become one space.
// Leaves out: author and bibliography fields in the indexed text.

public struct Judgement: Sendable, Equatable {
    public var qid: String, docid: String, relevance: Int
    public init(qid: String, docid: String, relevance: Int) { self.qid = qid; self.docid = docid; self.relevance = relevance }
}

public enum Cranfield {
    /// Parses a SMART file into records of field letter → text, with the `.I` id.
    static func records(_ path: String) throws -> [(id: String, line: Int, fields: [Character: String])] {
        let lines = try LineReader.lines(path)
        var out: [(id: String, line: Int, fields: [Character: String])] = []
        var field: Character? = nil
        for (i, line) in lines.enumerated() {
            if line.hasPrefix(".I") {
                let id = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
                guard !id.isEmpty else {
                    throw DataFormatError(file: path, line: i + 1, expected: ".I followed by an id", found: line)
                }
                out.append((id, i + 1, [:])); field = nil
            } else if line.count == 2, line.hasPrefix("."), let c = line.last, "TABW".contains(c) {
                guard !out.isEmpty else {
                    throw DataFormatError(file: path, line: i + 1, expected: ".I before any field", found: line)
                }
                field = c
            } else if let f = field {
                out[out.count - 1].fields[f, default: ""] += " " + line
            } else if !line.allSatisfy(\.isWhitespace) {
                throw DataFormatError(file: path, line: i + 1, expected: "a field marker (.I .T .A .B .W)", found: line)
            }
        }
        return out
    }

    /// Documents: id from `.I`, text = title + " " + body.
    public static func readDocuments(_ path: String) throws -> [TextRecord] {
        try records(path).map { r in
            TextRecord(id: r.id, text: TrecSGML.collapse((r.fields["T"] ?? "") + " " + (r.fields["W"] ?? "")))
        }
    }

    /// Queries numbered 1… by position (as the qrels number them); the `.I` numbers are not used.
    public static func readQueries(_ path: String) throws -> [TextRecord] {
        try records(path).enumerated().map { i, r in
            guard let w = r.fields["W"] else {
                throw DataFormatError(file: path, line: r.line, expected: "a .W field in this query", found: ".I \(r.id)")
            }
            return TextRecord(id: String(i + 1), text: TrecSGML.collapse(w))
        }
    }

    /// `qid docid grade` lines, grade mapped to relevance (5 − grade; −1 → 0).
    public static func readQrels(_ path: String) throws -> [Judgement] {
        var out: [Judgement] = []
        var fields: [FieldRange] = []
        try LineReader.forEachLine(path) { line, n in
            Fields.splitBlanks(line, into: &fields)
            if fields.isEmpty { return }
            guard fields.count == 3, let g = Fields.int(line, fields[2]), g == -1 || (1...5).contains(g) else {
                throw DataFormatError(file: path, line: n, expected: "3 fields: qid docid grade (grade 1…5 or -1)",
                                      found: Fields.string(line, 0..<line.count))
            }
            out.append(Judgement(qid: Fields.string(line, fields[0]), docid: Fields.string(line, fields[1]),
                                 relevance: g == -1 ? 0 : 5 - g))
        }
        return out
    }
}
