// Sharded teacher scoring: shards cut at batch boundaries cover the triples exactly once, and merged they are the
// unsharded file byte for byte; the merge refuses a missing, doubled, foreign or truncated shard.
import Foundation
import Testing
import PropertyTesting
import Student
@testable import MarginMSE

@Suite struct TeacherScoreShardTests {
    @Test func shardsCoverTheItemsOnceAtBatchBoundaries() {
        propertyCheck(Gen<(Int, Int, Int)>.zip(.int(in: 0...300), .int(in: 1...17), .int(in: 1...12)), cases: 300) { (items, batch, n) in
            var next = 0
            for i in 0..<n {
                let r = Shard(index: i, count: n)!.range(items: items, batchSize: batch)
                try require(r.lowerBound == next, "shard \(i)/\(n) starts at \(r.lowerBound), expected \(next)")
                try require(r.lowerBound % batch == 0 || r.lowerBound == items, "shard \(i)/\(n) does not start on a batch")
                next = r.upperBound
            }
            try require(next == items, "\(n) shards cover \(next) of \(items)")
        }
        #expect(Shard(parsing: "2/4") == Shard(index: 2, count: 4))
        for bad in ["4/4", "-1/3", "1/0", "1", "a/b", "1/2/3", ""] { #expect(Shard(parsing: bad) == nil, "\(bad)") }
    }

    func directory() -> URL {
        let d = testScratchRoot.appendingPathComponent("shards-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// Scores the toy triples in `n` shards of batch 4 and writes them; returns the files.
    func shardFiles(_ n: Int, in dir: URL, teacher: BertCat, triples: [TrainingTriple], texts: TokenizedTexts,
                    fingerprint: String = "run") throws -> [URL] {
        try (0..<n).map { i in
            let r = Shard(index: i, count: n)!.range(items: triples.count, batchSize: 4)
            let scores = try scoreTriples(teacher, triples: Array(triples[r]), texts: texts, batchSize: 4)
            let f = dir.appendingPathComponent("part-\(i)-of-\(n).tsv")
            try TeacherScoreShards.write(scores, record: ShardRecord(shard: i, of: n, first: r.lowerBound, rows: r.count,
                                                                    total: triples.count, fingerprint: fingerprint), to: f)
            return f
        }
    }

    @Test func mergedShardsAreTheUnshardedFileByteForByte() throws {
        let data = ToyData(), teacher = tinyCat()
        let triples = data.triples.map(\.triple)
        let dir = directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = dir.appendingPathComponent("whole.tsv")
        try TeacherScoreFile.write(try scoreTriples(teacher, triples: triples, texts: data.texts, batchSize: 4), to: whole)
        let expected = try Data(contentsOf: whole)
        for n in [1, 2, 3, 7, triples.count] {
            let files = try shardFiles(n, in: dir, teacher: teacher, triples: triples, texts: data.texts)
            let merged = dir.appendingPathComponent("merged-\(n).tsv")
            #expect(try TeacherScoreShards.merge(files.reversed(), to: merged) == triples.count)
            #expect(try Data(contentsOf: merged) == expected, "\(n) shards")
        }
    }

    /// Scoring reports the fraction of triples done after every batch, rising to 1, and the scores do not change.
    @Test func scoringReportsItsProgress() throws {
        let data = ToyData(), teacher = tinyCat()
        let triples = data.triples.map(\.triple)
        var fractions: [Double] = []
        let scores = try scoreTriples(teacher, triples: triples, texts: data.texts, batchSize: 4) { fractions.append($0) }
        #expect(fractions.count == (triples.count + 3) / 4)
        #expect(fractions == fractions.sorted() && fractions.last == 1 && fractions.first! > 0)
        #expect(scores == (try scoreTriples(teacher, triples: triples, texts: data.texts, batchSize: 4)))
    }

    @Test func theMergeRefusesIncompleteOrForeignShards() throws {
        let data = ToyData(queries: 4), teacher = tinyCat()
        let triples = data.triples.map(\.triple)
        let dir = directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try shardFiles(3, in: dir, teacher: teacher, triples: triples, texts: data.texts)
        let out = dir.appendingPathComponent("out.tsv")
        func refusal(_ shards: [URL]) -> String {
            do { try TeacherScoreShards.merge(shards, to: out); return "" } catch { return "\(error)" }
        }
        #expect(refusal([files[0], files[2]]).contains("missing shard 1/3"))
        #expect(refusal(files + [files[1]]).contains("shard 1/3 given 2 times"))
        let foreign = try shardFiles(3, in: directory(), teacher: teacher, triples: triples, texts: data.texts, fingerprint: "other")
        #expect(refusal([files[0], foreign[1], files[2]]).contains("of another run"))
        // A shard that lost its last row.
        let text = try String(contentsOf: files[2], encoding: .utf8)
        try String(text.split(separator: "\n").dropLast().map { $0 + "\n" }.joined()).write(to: files[2], atomically: true, encoding: .utf8)
        let lost = refusal(files)
        #expect(lost.contains("part-2-of-3.tsv holds") && lost.contains("rows, its record says"), "\(lost)")
        try FileManager.default.removeItem(at: TeacherScoreShards.sidecar(of: files[1]))
        #expect(refusal(files).contains("no part-1-of-3.tsv.shard.json beside it"))
        #expect(!FileManager.default.fileExists(atPath: out.path), "a refused merge writes nothing")
    }
}
