// Readers for JSON-lines files: BEIR (`corpus.jsonl` {"_id","title","text"}, `queries.jsonl` {"_id","text"},
// `qrels/*.tsv` with a `query-id corpus-id score` header) and the FlagEmbedding training sample
// ({"query","pos":[…],"neg":[…],"pos_scores":[…],"neg_scores":[…]}). One JSON object per line; blank lines skipped.
// Leaves out: BEIR's `metadata` field; gzip-compressed files.

import Foundation

/// One FlagEmbedding training example: a query, its positives and negatives, and a teacher score for each.
public struct ScoredExample: Sendable, Equatable {
    public var query: String
    public var positives: [String], negatives: [String]
    public var positiveScores: [Float], negativeScores: [Float]
}

public enum JSONLines {
    /// Calls `body(object, line)` for each non-blank line.
    public static func forEachObject(_ path: String, _ body: ([String: Any], Int) throws -> Void) throws {
        try LineReader.forEachLine(path) { line, n in
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            let data = Data(line)
            guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw DataFormatError(file: path, line: n, expected: "one JSON object", found: Fields.string(line, 0..<line.count))
            }
            try body(obj, n)
        }
    }

    /// BEIR corpus: text = title + " " + text (title omitted when empty).
    public static func readBEIRCorpus(_ path: String) throws -> [TextRecord] {
        var out: [TextRecord] = []
        try forEachObject(path) { o, n in
            guard let id = o["_id"] as? String, let text = o["text"] as? String else {
                throw DataFormatError(file: path, line: n, expected: "string fields _id and text", found: "\(o.keys.sorted())")
            }
            let title = o["title"] as? String ?? ""
            out.append(TextRecord(id: id, text: title.isEmpty ? text : title + " " + text))
        }
        return out
    }

    /// BEIR queries: (_id, text).
    public static func readBEIRQueries(_ path: String) throws -> [TextRecord] {
        var out: [TextRecord] = []
        try forEachObject(path) { o, n in
            guard let id = o["_id"] as? String, let text = o["text"] as? String else {
                throw DataFormatError(file: path, line: n, expected: "string fields _id and text", found: "\(o.keys.sorted())")
            }
            out.append(TextRecord(id: id, text: text))
        }
        return out
    }

    /// BEIR qrels TSV: a `query-id<TAB>corpus-id<TAB>score` header, then one judgement per line.
    public static func readBEIRQrels(_ path: String) throws -> [Judgement] {
        var out: [Judgement] = []
        var fields: [FieldRange] = []
        try LineReader.forEachLine(path) { line, n in
            Fields.split(line, on: 0x09, into: &fields)
            if n == 1 && Fields.string(line, fields[0]) == "query-id" { return }
            if line.isEmpty { return }
            guard fields.count == 3, let rel = Fields.int(line, fields[2]) else {
                throw DataFormatError(file: path, line: n, expected: "query-id<TAB>corpus-id<TAB>integer score",
                                      found: Fields.string(line, 0..<line.count))
            }
            out.append(Judgement(qid: Fields.string(line, fields[0]), docid: Fields.string(line, fields[1]), relevance: rel))
        }
        return out
    }

    /// The FlagEmbedding sample: every line a ScoredExample with as many scores as passages.
    public static func readFlagEmbedding(_ path: String) throws -> [ScoredExample] {
        var out: [ScoredExample] = []
        try forEachObject(path) { o, n in
            func floats(_ k: String) -> [Float]? { (o[k] as? [NSNumber])?.map { $0.floatValue } }
            guard let q = o["query"] as? String, let pos = o["pos"] as? [String], let neg = o["neg"] as? [String],
                  let ps = floats("pos_scores"), let ns = floats("neg_scores"),
                  ps.count == pos.count, ns.count == neg.count else {
                throw DataFormatError(file: path, line: n,
                                      expected: "query, pos[], neg[], pos_scores[], neg_scores[] with one score per passage",
                                      found: "\(o.keys.sorted())")
            }
            out.append(ScoredExample(query: q, positives: pos, negatives: neg, positiveScores: ps, negativeScores: ns))
        }
        return out
    }
}
