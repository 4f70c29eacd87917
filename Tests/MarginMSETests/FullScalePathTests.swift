// The full scale's training and evaluation paths on small files: streamed batches are the score file's rows in order
// with their texts, whatever order the batches are asked for; a streamed run killed and resumed ends with the
// parameters of an uninterrupted one; re-ranking a candidate file in N shards and merging gives the unsharded run byte
// for byte, and the merge refuses a missing or doubled shard.
import Foundation
import Testing
import PropertyTesting
import Corpus
import Student
import Training
@testable import MarginMSE

/// Word pieces of a toy text: each word to an id in 5..<40 (tinyCat's vocabulary), by its characters.
func toyTokenize(_ text: String) -> [Int] {
    text.split(separator: " ").map { w in 5 + w.unicodeScalars.reduce(0) { ($0 * 31 + Int($1.value)) % 35 } }
}

/// A toy full-scale data set in a fresh folder: queries, a collection, a score file of `rows` triples and a
/// candidate file of `queries` queries.
struct ToyFullScale {
    let dir: URL
    var scores: String { dir.appendingPathComponent("scores.tsv").path }
    var queries: String { dir.appendingPathComponent("queries.tsv").path }
    var collection: String { dir.appendingPathComponent("collection.tsv").path }
    var candidates: String { dir.appendingPathComponent("top.tsv").path }
    let rows: [TeacherScoreRow]

    init(rows count: Int = 37, queries: Int = 7) throws {
        dir = testScratchRoot.appendingPathComponent("toy-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let words = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa", "mu", "nu"]
        func text(_ i: Int, _ n: Int) -> String { (0..<n).map { words[(i * 7 + $0 * 3) % words.count] }.joined(separator: " ") }
        try (0..<30).map { "\(100 + 3 * $0)\t\(text($0, 3))" }.joined(separator: "\n").write(toFile: dir.appendingPathComponent("queries.tsv").path, atomically: true, encoding: .utf8)
        try (0..<50).map { "\($0)\t\(text($0 + 5, 4 + $0 % 5))" }.joined(separator: "\n").write(toFile: dir.appendingPathComponent("collection.tsv").path, atomically: true, encoding: .utf8)
        rows = (0..<count).map { i in
            TeacherScoreRow(posScore: Float(i % 5) + 1.5, negScore: Float(i % 3) - 1, qid: 100 + 3 * (i % 30), posPid: (i * 7) % 50, negPid: (i * 11 + 3) % 50)
        }
        try rows.map { "\($0.posScore)\t\($0.negScore)\t\($0.qid)\t\($0.posPid)\t\($0.negPid)" }.joined(separator: "\n")
            .write(toFile: dir.appendingPathComponent("scores.tsv").path, atomically: true, encoding: .utf8)
        var top: [String] = []
        for q in 0..<queries { for k in 0..<(3 + q % 4) { top.append("\(100 + 3 * q)\t\((q * 13 + k * 5) % 50)\t\(text(q, 3))\t\(text(q + k, 4))") } }
        try (top.reversed().joined(separator: "\n") + "\n").write(toFile: dir.appendingPathComponent("top.tsv").path, atomically: true, encoding: .utf8)
    }

    func stream(batchSize: Int) throws -> StreamedTriples {
        try StreamedTriples(scoreFile: scores, queries: try MappedCollection(path: queries),
                            passages: try MappedCollection(path: collection), batchSize: batchSize, tokenize: toyTokenize)
    }
}

@Suite(.serialized) struct FullScalePathTests {
    @Test func streamedBatchesAreTheFilesRowsWithTheirTexts() throws {
        let toy = try ToyFullScale()
        defer { try? FileManager.default.removeItem(at: toy.dir) }
        let q = try MappedCollection(path: toy.queries), p = try MappedCollection(path: toy.collection)
        propertyCheck(Gen<(Int, [Int])>.zip(.int(in: 1...9), .array(of: .int(in: 0...12), count: 1...6)), cases: 40) { (b, steps) in
            let stream = try toy.stream(batchSize: b)
            for step in steps {
                let batch = try stream.batch(step)
                for k in 0..<b {
                    let r = toy.rows[(step * b + k) % toy.rows.count]
                    try require(batch.teacherPositive![k] == r.posScore && batch.teacherNegative![k] == r.negScore)
                    try require(batch.positives[k] == RankerPair(query: toyTokenize(q.text(r.qid)!), passage: toyTokenize(p.text(r.posPid)!)))
                    try require(batch.negatives[k] == RankerPair(query: toyTokenize(q.text(r.qid)!), passage: toyTokenize(p.text(r.negPid)!)))
                }
            }
        }
    }

    @Test func aRowWithAnUnknownPassageNamesItsLine() throws {
        let toy = try ToyFullScale()
        defer { try? FileManager.default.removeItem(at: toy.dir) }
        try "1\t0\t100\t0\t1\n1\t0\t100\t999\t1\n".write(toFile: toy.scores, atomically: true, encoding: .utf8)
        let stream = try toy.stream(batchSize: 2)
        #expect(throws: DataFormatError(file: toy.scores, line: 2, expected: "a passage id found in \(toy.collection)", found: "999")) {
            try stream.batch(0)
        }
    }

    @Test func aKilledStreamedRunResumesToTheSameParameters() throws {
        let toy = try ToyFullScale()
        defer { try? FileManager.default.removeItem(at: toy.dir) }
        let config = PairwiseTrainingConfig(loss: .marginMSE, batchSize: 4,
                                            loop: TrainingLoopConfig(totalSteps: 12, learningRate: 3e-3, warmupSteps: 2,
                                                                     linearDecay: true, checkpointEvery: 3))
        let whole = tinyCat()
        let s1 = try toy.stream(batchSize: 4)
        try trainPairwise(whole, batches: { try s1.batch($0) }, identity: s1.identity, config: config)
        let resumed = tinyCat()
        let dir = toy.dir.appendingPathComponent("checkpoint")
        let s2 = try toy.stream(batchSize: 4)
        #expect(throws: SimulatedKill.self) {
            try trainPairwise(resumed, batches: { try s2.batch($0) }, identity: s2.identity, config: config,
                              checkpointDirectory: dir, interrupt: { if $0 == 7 { throw SimulatedKill() } })
        }
        let fresh = tinyCat(), s3 = try toy.stream(batchSize: 4)   // a new process: new model, new cursor
        let r = try trainPairwise(fresh, batches: { try s3.batch($0) }, identity: s3.identity, config: config, checkpointDirectory: dir)
        #expect(r.resumed)
        #expect(parameterValues(fresh) == parameterValues(whole))
        #expect(parameterValues(whole) != parameterValues(tinyCat()), "training changed nothing")
    }

    @Test func shardedCollectionEncodingMergesToTheUnshardedFilesByteForByte() throws {
        let toy = try ToyFullScale()
        defer { try? FileManager.default.removeItem(at: toy.dir) }
        let collection = try MappedCollection(path: toy.collection)
        let encoder = SentenceEncoder(encoder: tinyEncoder())
        let tokenize: (String) -> [Int] = { [2] + toyTokenize($0).map { $0 + 60 } + [3] }
        let whole = toy.dir.appendingPathComponent("whole.f32")
        #expect(try CollectionEncoding.encode(collection, with: encoder, model: "m", tokenize: tokenize, blockSize: 7,
                                              batchSize: 4, to: whole) == 50)
        let bytes = try Data(contentsOf: whole), ids = try Data(contentsOf: CollectionEncoding.idsFile(of: whole))
        #expect(bytes.count == 50 * 16 * 4)
        #expect(String(decoding: ids, as: UTF8.self) == (0..<50).map { "\($0)\n" }.joined())
        // The first row is the encoder's embedding of passage 0, as encoded alone.
        let alone = encoder.embed(ids: [tokenize(collection.text(0)!)])[0]
        let first = bytes.withUnsafeBytes { b in (0..<16).map { Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
        #expect(zip(first, alone).allSatisfy { abs($0 - $1) <= 1e-5 })
        for n in [2, 3, 8] {
            let parts = try (0..<n).map { i -> URL in
                let f = toy.dir.appendingPathComponent("part-\(i)-of-\(n).f32")
                try CollectionEncoding.encode(collection, with: encoder, model: "m", tokenize: tokenize,
                                              shard: Shard(index: i, count: n)!, blockSize: 7, batchSize: 4, to: f)
                return f
            }
            let merged = toy.dir.appendingPathComponent("merged-\(n).f32")
            #expect(try CollectionEncoding.merge(parts.shuffled(), to: merged) == 50)
            #expect(try Data(contentsOf: merged) == bytes, "\(n) shards")
            #expect(try Data(contentsOf: CollectionEncoding.idsFile(of: merged)) == ids)
            #expect(throws: ShardMergeError.self) { try CollectionEncoding.merge(Array(parts.dropLast()), to: merged) }
        }
    }

    @Test func aStoppedCollectionEncodingGoesOnWhereItsLastRecordLeftIt() throws {
        struct Stop: Error {}
        let toy = try ToyFullScale()
        defer { try? FileManager.default.removeItem(at: toy.dir) }
        let collection = try MappedCollection(path: toy.collection)
        func vector(_ ids: [Int]) -> [Float] { [Float(ids.count), Float(ids.first ?? 0), Float(ids.last ?? 0)] }
        func encode(_ out: URL, model: String = "v", checkpoint: Double = 30,
                    progress: ((Int, Int) throws -> Void)? = nil) throws {
            try CollectionEncoding.encode(collection, dimension: 3, model: model, tokenize: toyTokenize,
                                          embed: { $0.map(vector) }, blockSize: 7, to: out, checkpointSeconds: checkpoint,
                                          progress: progress)
        }
        let whole = toy.dir.appendingPathComponent("whole.f32")
        try encode(whole)
        let rows = try Data(contentsOf: whole), ids = try Data(contentsOf: CollectionEncoding.idsFile(of: whole))
        let out = toy.dir.appendingPathComponent("resumed.f32")
        // Stopped after 3 blocks of 7, a record after each; then stray bytes past the record in both partial files.
        #expect(throws: Stop.self) { try encode(out, checkpoint: 0) { done, _ in if done == 21 { throw Stop() } } }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        for f in [out.path + ".partial", CollectionEncoding.idsFile(of: out).path + ".partial"] {
            let h = try #require(FileHandle(forWritingAtPath: f))
            try h.seekToEnd(); try h.write(contentsOf: Data("999\n".utf8)); try h.close()
        }
        var reported: [Int] = []
        try encode(out) { done, total in reported.append(done); #expect(total == 50) }
        #expect(reported == [28, 35, 42, 49, 50], "resumed after 21 recorded passages: \(reported)")
        let same = try Data(contentsOf: out) == rows && Data(contentsOf: CollectionEncoding.idsFile(of: out)) == ids
        #expect(same, "the resumed files differ from the uninterrupted ones")
        #expect(!FileManager.default.fileExists(atPath: out.path + ".partial")
                && !FileManager.default.fileExists(atPath: out.path + ".progress"))
        // Another model's record is not resumed from.
        let other = toy.dir.appendingPathComponent("other.f32")
        #expect(throws: Stop.self) { try encode(other, model: "w", checkpoint: 0) { done, _ in if done == 14 { throw Stop() } } }
        reported = []
        try encode(other) { done, _ in reported.append(done) }
        #expect(reported.first == 7)
        let sameOther = try Data(contentsOf: other) == rows
        #expect(sameOther)
    }

    /// Dense retrieval over an encoded collection: shards (an empty one among them) searched apart merge to the run
    /// of one unsharded search byte for byte; that run is the exact top k by dot product, ties by collection order,
    /// and its scores read back as the same Floats. Merging a partial set, or runs of other queries, is an error.
    @Test func shardedCollectionSearchMergesToTheUnshardedRun() throws {
        let toy = try ToyFullScale()
        defer { try? FileManager.default.removeItem(at: toy.dir) }
        let collection = try MappedCollection(path: toy.collection)
        // A 4-d embedding of small integers from a passage's word pieces: exact sums and many ties.
        func vector(_ ids: [Int]) -> [Float] { (0..<4).map { j in Float(ids.enumerated().filter { $0.offset % 4 == j }.count % 3) - 1 } }
        let tokenize: (String) -> [Int] = { toyTokenize($0) }
        let queries: [Float] = [1, 0, -1, 1, 0, 1, 1, 0, -1, -1, 0, 1], queryIDs = ["q1", "q2", "q3"]
        func encodeAndSearch(_ shard: Shard, blockSize: Int = 7) throws -> URL {
            let rows = toy.dir.appendingPathComponent("c-\(shard.index)-of-\(shard.count)-\(blockSize).f32")
            try CollectionEncoding.encode(collection, dimension: 4, model: "v", tokenize: tokenize, embed: { $0.map(vector) },
                                          shard: shard, blockSize: blockSize, to: rows)
            return try CollectionSearch.searchShard(rows: rows, queries: queries, queryIDs: queryIDs, dim: 4, k: 12,
                                                    tag: "dot", to: toy.dir.appendingPathComponent("run-\(shard.index)-of-\(shard.count)-\(blockSize).trec"),
                                                    blockRows: 5)
        }
        let whole = toy.dir.appendingPathComponent("whole.trec")
        try CollectionSearch.merge([try encodeAndSearch(Shard(index: 0, count: 1)!)], k: 12, to: whole)
        let text = try String(contentsOf: whole, encoding: .utf8)
        // Exact: per query, the 12 best passages by (score descending, pid ascending), scores as computed.
        let all = (0..<collection.count).map { (pid: collection.entry(at: $0).0, v: vector(tokenize(collection.entry(at: $0).1))) }
        var want = ""
        for (qi, q) in queryIDs.enumerated() {
            let scored = all.map { p in (p.pid, zip(queries[(qi * 4)..<(qi * 4 + 4)], p.v).reduce(Float(0)) { $0 + $1.0 * $1.1 }) }
            for (r, h) in scored.sorted(by: { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }).prefix(12).enumerated() {
                want += "\(q) Q0 \(h.0) \(r + 1) \(h.1) dot\n"
            }
        }
        #expect(text == want)
        for n in [2, 3, 9] {   // 50 passages in blocks of 7: 8 blocks, so 9 shards leave one empty
            let parts = try (0..<n).map { try encodeAndSearch(Shard(index: $0, count: n)!) }
            let merged = toy.dir.appendingPathComponent("merged-\(n).trec")
            #expect(try CollectionSearch.merge(parts.shuffled(), k: 12, to: merged) == 3)
            #expect(try String(contentsOf: merged, encoding: .utf8) == text, "\(n) shards")
            #expect(throws: ShardMergeError.self) { try CollectionSearch.merge(Array(parts.dropFirst()), k: 12, to: merged) }
        }
        // A shard searched for other queries does not merge with the rest.
        let a = try encodeAndSearch(Shard(index: 0, count: 2)!)
        let rowsB = toy.dir.appendingPathComponent("c-1-of-2-7.f32")
        let b = try CollectionSearch.searchShard(rows: rowsB, queries: Array(queries.prefix(8)), queryIDs: ["q1", "q9"], dim: 4,
                                                 k: 12, tag: "dot", to: toy.dir.appendingPathComponent("other.trec"))
        #expect(throws: ShardMergeError.self) { try CollectionSearch.merge([a, b], k: 12, to: whole) }
    }

    /// A teacher scores id triples streamed from a file: the scores of `scoreTriples` on the same triples, in shards
    /// that merge to the unsharded file byte for byte; an id without a text names its line.
    @Test func idTriplesAreScoredInShardsThatMergeByteForByte() throws {
        let toy = try ToyFullScale()
        defer { try? FileManager.default.removeItem(at: toy.dir) }
        let ids = toy.dir.appendingPathComponent("triples.tsv").path
        try toy.rows.map { "\($0.qid)\t\($0.posPid)\t\($0.negPid)" }.joined(separator: "\n")
            .write(toFile: ids, atomically: true, encoding: .utf8)
        let q = try MappedCollection(path: toy.queries), p = try MappedCollection(path: toy.collection)
        let teacher = tinyCat(seed: 9)
        let whole = toy.dir.appendingPathComponent("whole.tsv")
        #expect(try IDTripleScoring.score(file: ids, queries: q, passages: p, teacher: teacher, teacherIdentity: "t",
                                          tokenize: toyTokenize, batchSize: 5, to: whole) == toy.rows.count)
        let triples = toy.rows.map { TrainingTriple(qid: "\($0.qid)", posPid: "\($0.posPid)", negPid: "\($0.negPid)") }
        var texts = TokenizedTexts(queries: [:], passages: [:])
        for t in triples {
            texts.queries[t.qid] = toyTokenize(q.text(t.qid)!)
            for pid in [t.posPid, t.negPid] { texts.passages[pid] = toyTokenize(p.text(pid)!) }
        }
        let expected = try scoreTriples(teacher, triples: triples, texts: texts, batchSize: 5)
        #expect(try TeacherScoreFile.read(whole) == expected)
        let bytes = try Data(contentsOf: whole)
        for n in [2, 3, 8] {
            let parts = try (0..<n).map { i -> URL in
                let f = toy.dir.appendingPathComponent("part-\(i)-of-\(n).tsv")
                try IDTripleScoring.score(file: ids, queries: q, passages: p, teacher: teacher, teacherIdentity: "t",
                                          tokenize: toyTokenize, batchSize: 5, shard: Shard(index: i, count: n)!, to: f)
                return f
            }
            let merged = toy.dir.appendingPathComponent("merged-\(n).tsv")
            #expect(try TeacherScoreShards.merge(parts.reversed(), to: merged) == toy.rows.count)
            #expect(try Data(contentsOf: merged) == bytes, "\(n) shards")
        }
        try "100\t0\t1\n103\t999\t2\n".write(toFile: ids, atomically: true, encoding: .utf8)
        #expect(throws: DataFormatError(file: ids, line: 2, expected: "a passage id found in \(toy.collection)", found: "999")) {
            try IDTripleScoring.score(file: ids, queries: q, passages: p, teacher: teacher, teacherIdentity: "t",
                                      tokenize: toyTokenize, to: toy.dir.appendingPathComponent("bad.tsv"))
        }
        #expect(!FileManager.default.fileExists(atPath: toy.dir.appendingPathComponent("bad.tsv").path),
                "a file with an unscored row must not be put in place")
        // Stopped after 2 batches of 5 (a record after each) with stray bytes past the record: the shard goes on at
        // row 10 and writes the whole file byte for byte.
        struct Stop: Error {}
        try toy.rows.map { "\($0.qid)\t\($0.posPid)\t\($0.negPid)" }.joined(separator: "\n")
            .write(toFile: ids, atomically: true, encoding: .utf8)
        let resumed = toy.dir.appendingPathComponent("resumed.tsv")
        #expect(throws: Stop.self) {
            try IDTripleScoring.score(file: ids, queries: q, passages: p, teacher: teacher, teacherIdentity: "t",
                                      tokenize: toyTokenize, batchSize: 5, to: resumed, checkpointSeconds: 0) { done, _ in
                if done == 10 { throw Stop() }
            }
        }
        let h = try #require(FileHandle(forWritingAtPath: resumed.path + ".partial"))
        try h.seekToEnd(); try h.write(contentsOf: Data("0.5\t".utf8)); try h.close()
        var reported: [Int] = []
        try IDTripleScoring.score(file: ids, queries: q, passages: p, teacher: teacher, teacherIdentity: "t",
                                  tokenize: toyTokenize, batchSize: 5, to: resumed) { done, _ in reported.append(done) }
        #expect(reported.first == 15, "resumed after the 10 recorded rows: \(reported)")
        let same = try Data(contentsOf: resumed) == bytes
        #expect(same, "the resumed file differs from the uninterrupted one")
    }

    @Test func aStoppedShardGoesOnWhereItsLastRecordLeftIt() throws {
        struct Stop: Error {}
        let toy = try ToyFullScale(queries: 9)
        defer { try? FileManager.default.removeItem(at: toy.dir) }
        let file = try CandidateFile(path: toy.candidates)
        let ranker = tinyCat()
        let shard = Shard(index: 0, count: 1)!
        let whole = toy.dir.appendingPathComponent("whole.trec")
        try CandidateReranking.rerankShard(ranker, file: file, shard: shard, model: "m", tokenize: toyTokenize, tag: "t",
                                           to: whole)
        let expected = try Data(contentsOf: whole)
        let out = toy.dir.appendingPathComponent("resumed.trec")
        let partial = URL(fileURLWithPath: out.path + ".partial"), marker = URL(fileURLWithPath: out.path + ".progress")
        // Killed after the 4th query, with a record after every query; then half a query's lines that no record holds.
        #expect(throws: Stop.self) {
            try CandidateReranking.rerankShard(ranker, file: file, shard: shard, model: "m", tokenize: toyTokenize, tag: "t",
                                               to: out, checkpointSeconds: 0) { done, _ in if done == 4 { throw Stop() } }
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "an unfinished run must not be in place")
        #expect(FileManager.default.fileExists(atPath: partial.path) && FileManager.default.fileExists(atPath: marker.path))
        let h = try FileHandle(forWritingTo: partial)
        try h.seekToEnd(); try h.write(contentsOf: Data("9 Q0 123 1 0.5 t\n9 Q0".utf8)); try h.close()
        var reported: [Int] = []
        try CandidateReranking.rerankShard(ranker, file: file, shard: shard, model: "m", tokenize: toyTokenize, tag: "t",
                                           to: out) { done, total in reported.append(done); #expect(total == 9) }
        #expect(reported == Array(5...9), "resumed after the 4 recorded queries: \(reported)")
        let same = try Data(contentsOf: out) == expected
        #expect(same, "the resumed run differs from the uninterrupted one")
        #expect(!FileManager.default.fileExists(atPath: partial.path) && !FileManager.default.fileExists(atPath: marker.path))
        // A record of another model's run is not resumed from: that shard starts over.
        let other = toy.dir.appendingPathComponent("other.trec")
        #expect(throws: Stop.self) {
            try CandidateReranking.rerankShard(ranker, file: file, shard: shard, model: "m2", tokenize: toyTokenize, tag: "t",
                                               to: other, checkpointSeconds: 0) { done, _ in if done == 3 { throw Stop() } }
        }
        reported = []
        try CandidateReranking.rerankShard(ranker, file: file, shard: shard, model: "m", tokenize: toyTokenize, tag: "t",
                                           to: other) { done, _ in reported.append(done) }
        #expect(reported == Array(1...9))
        let sameOther = try Data(contentsOf: other) == expected
        #expect(sameOther)
    }

    @Test func shardedRerankingMergesToTheUnshardedRunByteForByte() throws {
        let toy = try ToyFullScale(queries: 9)
        defer { try? FileManager.default.removeItem(at: toy.dir) }
        let file = try CandidateFile(path: toy.candidates)
        let ranker = tinyCat()
        let whole = toy.dir.appendingPathComponent("whole.trec")
        try CandidateReranking.rerankShard(ranker, file: file, shard: Shard(index: 0, count: 1)!, model: "m",
                                           tokenize: toyTokenize, tag: "t", to: whole)
        let expected = try Data(contentsOf: whole)
        #expect(String(decoding: expected, as: UTF8.self).split(separator: "\n").count == file.count)
        for n in 1...5 {
            let files = try (0..<n).map { i -> URL in
                let f = toy.dir.appendingPathComponent("run.\(i)-of-\(n).trec")
                return try CandidateReranking.rerankShard(ranker, file: file, shard: Shard(index: i, count: n)!, model: "m",
                                                          tokenize: toyTokenize, tag: "t", to: f)
            }
            let merged = toy.dir.appendingPathComponent("merged-\(n).trec")
            #expect(try CandidateReranking.merge(files.reversed(), to: merged) == file.queryIDs.count)
            #expect(try Data(contentsOf: merged) == expected, "\(n) shards")
            if n >= 2 {
                #expect(throws: ShardMergeError.self) { try CandidateReranking.merge(Array(files.dropFirst()), to: merged) }
                #expect(throws: ShardMergeError.self) { try CandidateReranking.merge(files + [files[0]], to: merged) }
            }
        }
        // A shard of another model is refused.
        let other = toy.dir.appendingPathComponent("other.trec")
        try CandidateReranking.rerankShard(ranker, file: file, shard: Shard(index: 1, count: 2)!, model: "other",
                                           tokenize: toyTokenize, tag: "t", to: other)
        let first = toy.dir.appendingPathComponent("run.0-of-2.trec")
        #expect(throws: ShardMergeError.self) { try CandidateReranking.merge([first, other], to: toy.dir.appendingPathComponent("x.trec")) }
    }
}
