// TREC relevance judgements ("qrels"): `qid iter docno rel` per line, as trec_eval reads them (exactly 4
// blank-separated fields; `iter` is ignored; `rel` an integer grade — a decimal one is truncated, as trec_eval's
// atol does: "2.7" → 2, checked against the binary). Also built from Corpus's `Judgement` lists (Cranfield, BEIR).
// Leaves out: trec_eval's `qrels_jg`/`qrels_prefs` formats.

import Corpus
import Foundation

/// Judgements: query id → document id → relevance grade (higher is more relevant; 0 = judged non-relevant).
public struct Qrels: Sendable, Equatable {
    public var judgements: [String: [String: Int]]

    public init(_ judgements: [String: [String: Int]] = [:]) { self.judgements = judgements }

    /// From (qid, docid, relevance) triples; a later duplicate replaces an earlier one.
    public init(_ list: [Judgement]) {
        var j: [String: [String: Int]] = [:]
        for x in list { j[x.qid, default: [:]][x.docid] = x.relevance }
        judgements = j
    }

    public var queryCount: Int { judgements.count }

    /// Reads a TREC qrels file. A malformed line throws `DataFormatError` naming the file and line.
    public static func read(_ path: String) throws -> Qrels {
        var j: [String: [String: Int]] = [:]
        var fields: [FieldRange] = []
        try LineReader.forEachLine(path) { line, n in
            Fields.splitBlanks(line, into: &fields)
            if fields.isEmpty { return }
            // trec_eval reads rel with atol: "2" → 2, and a decimal such as "1.0" → 1 (truncated toward zero).
            guard fields.count == 4,
                  let rel = Fields.int(line, fields[3]) ?? Fields.double(line, fields[3]).flatMap({ $0.isFinite && abs($0) < 1e9 ? Int($0) : nil })
            else {
                throw DataFormatError(file: path, line: n, expected: "4 fields: qid iter docno rel (rel a number)",
                                      found: Fields.string(line, 0..<line.count))
            }
            j[Fields.string(line, fields[0]), default: [:]][Fields.string(line, fields[2])] = rel
        }
        return Qrels(j)
    }

    /// The TREC text of these judgements (queries and documents in byte order), `qid 0 docno rel`.
    public func trecText() -> String {
        var out = ""
        for q in judgements.keys.sorted(by: byteOrder) {
            for (d, r) in judgements[q]!.sorted(by: { byteOrder($0.key, $1.key) }) { out += "\(q) 0 \(d) \(r)\n" }
        }
        return out
    }

    /// Writes the qrels atomically (temp file + rename).
    public func write(to path: String) throws {
        try Data(trecText().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// strcmp order on UTF-8 bytes (what trec_eval uses for document and query ids).
@inline(__always)
public func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
