// MS MARCO's first-stage candidate files with text — `top1000.dev` and `msmarco-passagetest2019-top1000.tsv`, the
// BM25 top 1000 of each query that the paper re-ranks: one candidate per line, `qid<TAB>pid<TAB>query<TAB>passage`,
// ~6.7M lines (dev) in no promised order. Read through a memory map with an index of line offsets grouped by query
// (8 bytes per line: ~53 MiB for the dev file), so that one query's candidates are read together, in file order,
// without holding any text.
//
// The index is built in two passes over the mapping: the first checks every line and counts each query's candidates,
// the second places every line's offset in its query's slot. Queries are kept in ascending qid order.
// Leaves out: candidate files without text (`qid Q0 pid rank score tag` runs: `Run.read` reads those), the rank
// order of the first stage (the file's line order is kept; re-ranking does not use it).

import Foundation

/// One candidate of a query: the passage id and its text.
public struct CandidatePassage: Sendable, Equatable {
    public var pid: Int
    public var text: String
    public init(pid: Int, text: String) { self.pid = pid; self.text = text }
}

public final class CandidateFile: @unchecked Sendable {
    public let path: String
    private let file: MappedFile
    /// Query ids, ascending.
    public let queryIDs: [Int]
    /// `starts[i] ..< starts[i+1]` are query i's lines in `offsets`.
    private let starts: [Int]
    private let offsets: [UInt64]

    /// Lines (candidates) in the file.
    public var count: Int { offsets.count }
    /// Bytes of the index (what grows with the file; the text stays in the mapping).
    public var indexBytes: Int { offsets.count * 8 + starts.count * 8 + queryIDs.count * 8 }

    static let expectation = "4 tab-separated fields: qid, pid (whole numbers), query, passage"

    /// Maps `path` and indexes it; `DataFormatError` naming the file and line for a line that is not four
    /// tab-separated fields with whole-number ids, or a query whose text differs between its lines.
    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path)
        var counts: [Int: Int] = [:]
        var fields: [FieldRange] = []
        var queryText: [Int: (line: Int, hash: Int)] = [:]
        var offset = file.firstLineOffset, line = 0
        while offset < file.size {
            line += 1
            let (text, next) = file.line(at: offset)
            Fields.split(text, on: 0x09, into: &fields)
            guard fields.count == 4, let qid = Fields.int(text, fields[0]), qid >= 0,
                  let pid = Fields.int(text, fields[1]), pid >= 0 else {
                throw DataFormatError(file: path, line: line, expected: Self.expectation,
                                      found: Fields.string(text, 0..<text.count))
            }
            var h = Hasher()
            h.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: text[fields[2]])))
            let hash = h.finalize()
            if let seen = queryText[qid] {
                guard seen.hash == hash else {
                    throw DataFormatError(file: path, line: line, expected: "query \(qid)'s text as on line \(seen.line)",
                                          found: Fields.string(text, fields[2]))
                }
            } else {
                queryText[qid] = (line, hash)
            }
            counts[qid, default: 0] += 1
            offset = next
        }
        guard line > 0 else {
            throw DataFormatError(file: path, line: 0, expected: "a file with at least one line", found: "none")
        }
        let ids = counts.keys.sorted()
        var starts = [0], slot: [Int: Int] = [:]
        for q in ids { slot[q] = starts.last!; starts.append(starts.last! + counts[q]!) }
        var offsets = [UInt64](repeating: 0, count: starts.last!)
        offset = file.firstLineOffset
        while offset < file.size {
            let (text, next) = file.line(at: offset)
            Fields.split(text, on: 0x09, into: &fields)
            let qid = Fields.int(text, fields[0])!
            offsets[slot[qid]!] = UInt64(offset)
            slot[qid]! += 1
            offset = next
        }
        file.release()
        queryIDs = ids; self.starts = starts; self.offsets = offsets
    }

    /// Candidates of the query at position `i` of `queryIDs`.
    public func candidateCount(at i: Int) -> Int { starts[i + 1] - starts[i] }

    /// The text of the query at position `i` of `queryIDs` (its first candidate line's third field).
    public func queryText(at i: Int) -> String {
        var fields: [FieldRange] = []
        let (text, _) = file.line(at: Int(offsets[starts[i]]))
        Fields.split(text, on: 0x09, into: &fields)
        return Fields.string(text, fields[2])
    }

    /// The query at position `i` of `queryIDs`: its text and its candidates in file order.
    public func query(at i: Int) -> (qid: Int, text: String, candidates: [CandidatePassage]) {
        var fields: [FieldRange] = []
        var queryText = ""
        var out: [CandidatePassage] = []
        out.reserveCapacity(candidateCount(at: i))
        for k in starts[i]..<starts[i + 1] {
            let (text, _) = file.line(at: Int(offsets[k]))
            Fields.split(text, on: 0x09, into: &fields)
            if k == starts[i] { queryText = Fields.string(text, fields[2]) }
            out.append(CandidatePassage(pid: Fields.int(text, fields[1])!, text: Fields.string(text, fields[3])))
        }
        return (queryIDs[i], queryText, out)
    }
}
