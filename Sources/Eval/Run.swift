// TREC runs: `qid Q0 docno rank score tag` per line (exactly 6 blank-separated fields, as trec_eval requires). The
// rank column is ignored on reading — like trec_eval, ordering comes from the score (descending), ties broken by
// docno descending in byte order. Writing sorts the same way and numbers ranks 1…n.
// Leaves out: trec_eval's run-id checks across queries (the tag is kept per run, not per line).

import Corpus
import Foundation

/// One retrieved document with its score.
public struct ScoredDoc: Sendable, Equatable {
    public var docid: String
    public var score: Double
    public init(_ docid: String, _ score: Double) { self.docid = docid; self.score = score }
}

/// A ranking per query: query id → scored documents (in any order; `ranked` gives trec_eval's order).
public struct Run: Sendable, Equatable {
    public var results: [String: [ScoredDoc]]
    public var tag: String

    public init(_ results: [String: [ScoredDoc]] = [:], tag: String = "run") { self.results = results; self.tag = tag }

    /// trec_eval's order: score descending, then docno descending (strcmp), as in trec_eval 9.0.4's form_res_rels.
    @inline(__always)
    public static func precedes(_ a: ScoredDoc, _ b: ScoredDoc) -> Bool {
        if a.score != b.score { return a.score > b.score }
        return byteOrder(b.docid, a.docid)
    }

    /// The documents of `qid` in trec_eval order.
    public func ranked(_ qid: String) -> [ScoredDoc] { (results[qid] ?? []).sorted(by: Run.precedes) }

    /// One line of a TREC run file: `qid Q0 docno rank score tag`.
    public struct Line: Sendable, Equatable {
        public let qid: String, docid: String
        /// The rank column (trec_eval ignores it; nil when it is not a whole number).
        public let rank: Int?
        public let score: Double
        public let tag: String
    }

    /// Calls `body` with every line of the TREC run file at `path` (blank lines skipped) and its line number, streamed;
    /// `DataFormatError` naming the file and line for anything but six fields with a finite score.
    public static func forEachLine(_ path: String, _ body: (Line, Int) throws -> Void) throws {
        var fields: [FieldRange] = []
        try LineReader.forEachLine(path) { line, n in
            Fields.splitBlanks(line, into: &fields)
            if fields.isEmpty { return }
            guard fields.count == 6, let score = Fields.double(line, fields[4]), score.isFinite else {
                throw DataFormatError(file: path, line: n, expected: "6 fields: qid Q0 docno rank score tag (score a number)",
                                      found: Fields.string(line, 0..<line.count))
            }
            try body(Line(qid: Fields.string(line, fields[0]), docid: Fields.string(line, fields[2]),
                          rank: Fields.int(line, fields[3]), score: score, tag: Fields.string(line, fields[5])), n)
        }
    }

    /// Reads a TREC run file. Duplicate (qid, docno) pairs are an error, as in trec_eval.
    public static func read(_ path: String) throws -> Run {
        var r: [String: [ScoredDoc]] = [:]
        var seen: [String: Set<String>] = [:]
        var tag: String? = nil
        try forEachLine(path) { line, n in
            guard seen[line.qid, default: []].insert(line.docid).inserted else {
                throw DataFormatError(file: path, line: n, expected: "each docno at most once per query",
                                      found: "a second '\(line.docid)' for query \(line.qid)")
            }
            if tag == nil { tag = line.tag }
            r[line.qid, default: []].append(ScoredDoc(line.docid, line.score))
        }
        return Run(r, tag: tag ?? "run")
    }

    /// The TREC text: queries in byte order, each in trec_eval order, ranks 1…n, at most `depth` per query.
    public func trecText(depth: Int = .max) -> String {
        var out = ""
        for q in results.keys.sorted(by: byteOrder) {
            for (i, d) in ranked(q).prefix(depth).enumerated() {
                out += "\(q) Q0 \(d.docid) \(i + 1) \(formatScore(d.score)) \(tag)\n"
            }
        }
        return out
    }

    /// Writes the run atomically (temp file + rename).
    public func write(to path: String, depth: Int = .max) throws {
        try Data(trecText(depth: depth).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Shortest text that reads back to the same Double.
    func formatScore(_ s: Double) -> String { "\(s)" }
}
