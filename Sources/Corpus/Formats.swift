// Reads documents and queries from any supported format, choosing the reader from the file's name and first bytes:
//   `.I` at the start            → Cranfield SMART (queries numbered by position)
//   `<DOC>` / `<top>`            → TREC SGML documents / topics
//   `.csv` with a doc_id header  → SciFact corpus CSV
//   `.jsonl`                     → BEIR corpus / queries
//   anything else                → MS MARCO TSV (`id<TAB>text`)
// Leaves out: guessing from content alone when names mislead (pass the format explicitly then).

import Foundation

public enum TextFormat: String, CaseIterable, Sendable {
    case tsv, trecDocuments = "trec-docs", trecTopics = "trec-topics", cranfield, scifact, jsonl

    /// Guesses the format from the file name and its first 4 KiB.
    public static func detect(_ path: String) throws -> TextFormat {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw DataFormatError(file: path, line: 0, expected: "a collection or query file", found: "a directory")
        }
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw DataFormatError(file: path, line: 0, expected: "a readable file", found: "none")
        }
        defer { try? h.close() }
        let bytes: Data
        do { bytes = try h.read(upToCount: 4096) ?? Data() } catch {
            throw DataFormatError(file: path, line: 0, expected: "a readable file", found: "\(error.localizedDescription)")
        }
        let head = String(decoding: bytes, as: UTF8.self)
        let trimmed = head.drop(while: { $0.isWhitespace })
        if trimmed.hasPrefix(".I") { return .cranfield }
        if trimmed.uppercased().hasPrefix("<DOC>") { return .trecDocuments }
        if trimmed.lowercased().hasPrefix("<top>") { return .trecTopics }
        if path.hasSuffix(".csv") { return .scifact }
        if path.hasSuffix(".jsonl") { return .jsonl }
        return .tsv
    }
}

public enum TextFiles {
    /// The (id, text) records of a collection or query file, in file order.
    public static func read(_ path: String, format: TextFormat? = nil, queries: Bool) throws -> [TextRecord] {
        switch try format ?? TextFormat.detect(path) {
        case .tsv: return try MSMarco.readRecords(path)
        case .trecDocuments: return try TrecSGML.readDocuments(path)
        case .trecTopics: return try TrecSGML.readTopics(path)
        case .cranfield: return try queries ? Cranfield.readQueries(path) : Cranfield.readDocuments(path)
        case .scifact: return try SciFact.readCorpus(path)
        case .jsonl: return try queries ? JSONLines.readBEIRQueries(path) : JSONLines.readBEIRCorpus(path)
        }
    }

    /// Judgements from TREC qrels (4 fields), Cranfield qrels (3 fields, grades mapped) or BEIR qrels TSV (header).
    public static func readJudgements(_ path: String) throws -> [Judgement] {
        let first = try LineReader.lines(path).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        if first.hasPrefix("query-id") { return try JSONLines.readBEIRQrels(path) }
        let n = first.split(whereSeparator: { $0 == " " || $0 == "\t" }).count
        if n == 3 { return try Cranfield.readQrels(path) }
        var out: [Judgement] = []
        var fields: [FieldRange] = []
        try LineReader.forEachLine(path) { line, k in
            Fields.splitBlanks(line, into: &fields)
            if fields.isEmpty { return }
            guard fields.count == 4, let rel = Fields.int(line, fields[3]) else {
                throw DataFormatError(file: path, line: k, expected: "4 fields: qid iter docno rel",
                                      found: Fields.string(line, 0..<line.count))
            }
            out.append(Judgement(qid: Fields.string(line, fields[0]), docid: Fields.string(line, fields[2]), relevance: rel))
        }
        return out
    }
}
