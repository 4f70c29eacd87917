// Reader for rank_llm-style candidate files (castorini/rank_llm "retrieve results" JSON): a list of requests
//   [{"query": {"text": "...", "qid": 264014}, "candidates": [{"docid": "5611210", "score": 15.78,
//     "doc": {"contents": "..."} }, …]}, …]
// The passage text is taken from `doc.contents`, else `doc.segment`, else `doc.text` (with `doc.title` in front when
// present). qid and docid may be numbers or strings. The DL19/DL20 candidate lists in ../shared came from such files.
// Leaves out: rank_llm's per-request metadata and its JSONL variant's streaming (files are small: one per topic set).

import Foundation

public struct Candidate: Sendable, Equatable {
    public var docid: String
    public var score: Double
    public var text: String
}

public struct CandidateList: Sendable, Equatable {
    public var query: TextRecord
    public var candidates: [Candidate]
}

public enum RankLLM {
    public static func read(_ path: String) throws -> [CandidateList] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFormatError(file: path, line: 0, expected: "a readable file", found: "nothing")
        }
        guard let list = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            throw DataFormatError(file: path, line: 0, expected: "a JSON list of {query, candidates} objects", found: "other JSON")
        }
        func id(_ v: Any?) -> String? {
            if let s = v as? String { return s }
            if let n = v as? NSNumber { return n.stringValue }
            return nil
        }
        return try list.enumerated().map { i, o in
            guard let q = o["query"] as? [String: Any], let qtext = q["text"] as? String, let qid = id(q["qid"]),
                  let cands = o["candidates"] as? [[String: Any]] else {
                throw DataFormatError(file: path, line: 0, expected: "request \(i + 1): query.text, query.qid and candidates[]",
                                      found: "\(o.keys.sorted())")
            }
            let cs = try cands.enumerated().map { k, c -> Candidate in
                guard let d = id(c["docid"]), let s = (c["score"] as? NSNumber)?.doubleValue else {
                    throw DataFormatError(file: path, line: 0, expected: "request \(i + 1), candidate \(k + 1): docid and score",
                                          found: "\(c.keys.sorted())")
                }
                let doc = c["doc"] as? [String: Any] ?? [:]
                let body = doc["contents"] as? String ?? doc["segment"] as? String ?? doc["text"] as? String ?? ""
                let title = doc["title"] as? String ?? ""
                return Candidate(docid: d, score: s, text: title.isEmpty ? body : title + " " + body)
            }
            return CandidateList(query: TextRecord(id: qid, text: qtext), candidates: cs)
        }
    }
}
