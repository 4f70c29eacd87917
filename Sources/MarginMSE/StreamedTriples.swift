// The paper's own training data, streamed: the published teacher-score file (one row per MS MARCO training triple:
// `pos_score<TAB>neg_score<TAB>qid<TAB>pos_pid<TAB>neg_pid`, ~40M rows) read in file order, batch i being rows
// i·B ..< (i+1)·B (the file is already shuffled; the next epoch starts again at its first row), with the texts looked up
// in memory-mapped `queries.train.tsv` and `collection.tsv` and cut into word pieces as each batch is formed. Nothing
// here grows with the file or the collection: one batch of text at a time, plus the two offset indexes
// (Corpus.MappedCollection).
//
// A resumed run asks for the batch of its next step and the cursor seeks there, so it reads the rows the interrupted
// run would have read. The no-KD baseline reads the same rows and ignores the scores (RankNet).
// Leaves out: shuffling within or across epochs (the paper's training reads the file in order), the by-id triples
// without scores (`qidpidtriples.train.full.2.tsv`, which a teacher of one's own would score first).

import Foundation
import Corpus
import Student
import Training

public final class StreamedTriples: @unchecked Sendable {
    public let scores: TeacherScoreCursor
    public let queries: MappedCollection
    public let passages: MappedCollection
    public let batchSize: Int
    private let tokenize: (String) -> [Int]
    private let lock = NSLock()

    /// `tokenize`: a text's word pieces without special tokens (the student's tokenizer).
    public init(scoreFile: String, queries: MappedCollection, passages: MappedCollection, batchSize: Int,
                tokenize: @escaping (String) -> [Int]) throws {
        precondition(batchSize >= 1, "batch size \(batchSize)")
        scores = try TeacherScoreCursor(path: scoreFile)
        self.queries = queries; self.passages = passages; self.batchSize = batchSize; self.tokenize = tokenize
    }

    /// The batch of step `index` (0-based): rows index·B ..< (index+1)·B of the file, wrapping at its end. A row whose
    /// query or passage is not in the texts is an error naming the row's line in the score file.
    public func batch(_ index: Int) throws -> PairBatch {
        lock.lock()
        defer { lock.unlock() }
        try scores.seek(toRow: index * batchSize)
        var pos: [RankerPair] = [], neg: [RankerPair] = [], tp: [Float] = [], tn: [Float] = []
        for _ in 0..<batchSize {
            let line = scores.row % (scores.rowsPerEpoch ?? Int.max) + 1
            let r = try scores.next()
            func text(_ c: MappedCollection, _ id: Int, _ what: String) throws -> [Int] {
                guard let t = c.text(id) else {
                    throw DataFormatError(file: scores.path, line: line, expected: "a \(what) id found in \(c.path)",
                                          found: "\(id)")
                }
                return tokenize(t)
            }
            let q = try text(queries, r.qid, "query")
            pos.append(RankerPair(query: q, passage: try text(passages, r.posPid, "passage")))
            neg.append(RankerPair(query: q, passage: try text(passages, r.negPid, "passage")))
            tp.append(r.posScore); tn.append(r.negScore)
        }
        return PairBatch(positives: pos, negatives: neg, teacherPositive: tp, teacherNegative: tn)
    }

    /// What names this data in a run's identity: the score file's size and a hash of its first 64 KiB (so that a moved
    /// file keeps its checkpoints and another file does not take them), with the batch size.
    public var identity: String {
        let size = ((try? FileManager.default.attributesOfItem(atPath: scores.path))?[.size] as? NSNumber)?.intValue ?? 0
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: scores.path)))
            .flatMap { h in defer { try? h.close() }; return try? h.read(upToCount: 1 << 16) } ?? Data()
        return "scores:\(size):\(stableHash(Array(head))):B\(batchSize)"
    }
}
