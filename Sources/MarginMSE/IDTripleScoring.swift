// Step 2 of the workflow at the paper's scale: a teacher of one's own scores the MS MARCO training triples given by
// id (`qidpidtriples.train.full.2.tsv`: `qid<TAB>pos_pid<TAB>neg_pid`), the texts looked up in the memory-mapped
// queries and collection, streamed a batch at a time into the published score format — what the paper's T1 and T2
// files are. In shards like `teacher-scores --shard`: shard I of N scores whole batches ⌊I·B/N⌋ ..< ⌊(I+1)·B/N⌋ of
// the file's B batches (one counting pass finds B), each batch as the unsharded run scores it, so `teacher-scores
// --merge` gives the unsharded file byte for byte.
// Leaves out: standardising the scores (it needs all of them: the published scores are raw logits too).

import Foundation
import Corpus
import Student
import Training

public enum IDTripleScoring {
    /// Rows of an id-triples file (one streaming pass).
    public static func count(_ path: String) throws -> Int {
        var n = 0
        try MSMarco.forEachIDTriple(path) { _, _, _, _ in n += 1 }
        return n
    }

    /// Scores the triples of `shard` in `file` with `teacher` (dropout off) and writes them to `out` with the shard's
    /// record beside it; a stopped shard goes on from its last progress record (every `checkpointSeconds`,
    /// `ResumableOutput`). `tokenize`: a text's word pieces without special tokens. `progress(done, total)` counts
    /// the shard's triples, resumed ones included. Returns the rows written.
    @discardableResult
    public static func score(file: String, queries: MappedCollection, passages: MappedCollection, teacher: any Ranker,
                             teacherIdentity: String, tokenize: (String) -> [Int], batchSize: Int = 128,
                             shard: Shard = Shard(index: 0, count: 1)!, to out: URL, checkpointSeconds: Double = 30,
                             progress: ((Int, Int) throws -> Void)? = nil) throws -> Int {
        let total = try count(file)
        let range = shard.range(items: total, batchSize: batchSize)
        let size = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.intValue ?? 0
        let fingerprint = stableHash(Array("id-triples|\(size)|\(total)|\(teacherIdentity)|\(batchSize)".utf8))
        let record = ShardRecord(shard: shard.index, of: shard.count, first: range.lowerBound, rows: range.count,
                                 total: total, fingerprint: fingerprint)
        let output = try ResumableOutput([out], record: record, checkpointSeconds: checkpointSeconds)
        // Resumed: the rows before `first` are in the partial file already (whole batches: records fall between them).
        let first = range.lowerBound + output.resumedUnits
        var batch: [TrainingTriple] = [], texts = TokenizedTexts(queries: [:], passages: [:])
        var row = 0, done = output.resumedUnits
        func flush() throws {
            guard !batch.isEmpty else { return }
            let scored = try scoreTriples(teacher, triples: batch, texts: texts, batchSize: batchSize)
            try output.write(Data(scored.map(TeacherScoreFile.line).joined().utf8))
            done += batch.count
            try output.boundary(units: done)
            try progress?(done, range.count)
            batch.removeAll(keepingCapacity: true)
            texts = TokenizedTexts(queries: [:], passages: [:])
        }
        try MSMarco.forEachIDTriple(file) { q, p, n, line in
            defer { row += 1 }
            guard row >= first && row < range.upperBound else { return }
            func text(_ c: MappedCollection, _ id: Int, _ what: String) throws -> [Int] {
                guard let t = c.text(id) else {
                    throw DataFormatError(file: file, line: line, expected: "a \(what) id found in \(c.path)", found: "\(id)")
                }
                return tokenize(t)
            }
            let (qid, pos, neg) = (String(q), String(p), String(n))
            if texts.queries[qid] == nil { texts.queries[qid] = try text(queries, q, "query") }
            if texts.passages[pos] == nil { texts.passages[pos] = try text(passages, p, "passage") }
            if texts.passages[neg] == nil { texts.passages[neg] = try text(passages, n, "passage") }
            batch.append(TrainingTriple(qid: qid, posPid: pos, negPid: neg))
            if batch.count == batchSize { try flush() }
        }
        try flush()
        try output.finish()
        return range.count
    }
}
