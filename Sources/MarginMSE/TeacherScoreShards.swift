// Scoring the training triples in shards, on as many machines as a scheduler gives (Slurm array jobs, GNU parallel),
// and merging the shards into exactly the file one machine would have written.
//
// Shard I of N scores a contiguous run of whole batches: batches ⌊I·B/N⌋ ..< ⌊(I+1)·B/N⌋ of the B batches of the
// triple list, so every batch a shard scores is the batch the unsharded run scores — same triples, same padding, same
// arithmetic — and the concatenation of the shards in order is the unsharded file byte for byte. Each shard file has a
// sidecar `FILE.shard.json` (`ShardRecord`: which shard, of how many, which rows, and a fingerprint of the triples,
// the teacher and the batch size); the merge checks that every shard 0..<N is there once, that all come from the same
// run, that they cover the triples without gap or overlap and that each file holds the rows its record says, then
// writes the concatenation (temporary file, then rename).
// Leaves out: standardising over the triples (it needs all of them: standardise the merged file instead).

import Foundation
import Corpus
import Training

/// Shard `index` of `count` (`--shard I/N`, 0 ≤ I < N).
public struct Shard: Codable, Equatable, Sendable {
    public let index: Int, count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index; self.count = count
    }

    /// "I/N", e.g. "0/4" … "3/4".
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: i, count: n)
    }

    /// The items of this shard among `items`, cut at batch boundaries of `batchSize`.
    public func range(items: Int, batchSize: Int) -> Range<Int> {
        let batches = (items + batchSize - 1) / batchSize
        let first = index * batches / count, last = (index + 1) * batches / count
        return min(items, first * batchSize)..<min(items, last * batchSize)
    }
}

/// What a shard file holds, written beside it as `FILE.shard.json`.
public struct ShardRecord: Codable, Equatable, Sendable {
    public var shard: Int
    public var of: Int
    /// Rows `first ..< first + rows` of the unsharded file.
    public var first: Int
    public var rows: Int
    /// Rows of the unsharded file.
    public var total: Int
    /// The run: triples, teacher, batch size and score transformation (`TeacherScoreShards.fingerprint`).
    public var fingerprint: String

    public init(shard: Int, of: Int, first: Int, rows: Int, total: Int, fingerprint: String) {
        self.shard = shard; self.of = of; self.first = first; self.rows = rows; self.total = total
        self.fingerprint = fingerprint
    }
}

extension ShardRecord {
    /// The records beside `files` (one per shard, any order), checked — every shard 0..<N once, all of one run,
    /// covering 0..<total without gap or overlap — and put in shard order. `writtenBy` and `unit` word the errors.
    public static func ordered(_ files: [URL], writtenBy: String, unit: String) throws -> [(URL, ShardRecord)] {
        guard !files.isEmpty else { throw ShardMergeError("no shard files to merge") }
        var records: [(URL, ShardRecord)] = []
        for f in files {
            let side = TeacherScoreShards.sidecar(of: f)
            guard let data = FileManager.default.contents(atPath: side.path) else {
                throw ShardMergeError("\(f.path): no \(side.lastPathComponent) beside it (written by '\(writtenBy)')")
            }
            do { records.append((f, try JSONDecoder().decode(ShardRecord.self, from: data))) } catch {
                throw ShardMergeError("\(side.path): not a shard record (\(error))")
            }
        }
        let first = records[0].1
        for (f, r) in records where r.of != first.of || r.total != first.total || r.fingerprint != first.fingerprint {
            throw ShardMergeError("\(f.path) is shard \(r.shard)/\(r.of) of another run than \(records[0].0.path) "
                                  + "(fingerprint \(r.fingerprint) vs \(first.fingerprint))")
        }
        let byShard = Dictionary(grouping: records, by: { $0.1.shard })
        for (i, group) in byShard where group.count > 1 {
            throw ShardMergeError("shard \(i)/\(first.of) given \(group.count) times: \(group.map(\.0.path).joined(separator: ", "))")
        }
        let absent = (0..<first.of).filter { byShard[$0] == nil }
        guard absent.isEmpty else {
            throw ShardMergeError("missing shard\(absent.count > 1 ? "s" : "") \(absent.map { "\($0)/\(first.of)" }.joined(separator: ", "))")
        }
        let ordered = (0..<first.of).map { byShard[$0]![0] }
        var next = 0
        for (f, r) in ordered {
            guard r.first == next else {
                throw ShardMergeError("\(f.path): shard \(r.shard) starts at \(unit.dropLast()) \(r.first), expected \(next) (a gap or an overlap)")
            }
            next += r.rows
        }
        guard next == first.total else { throw ShardMergeError("the shards hold \(next) \(unit), the run has \(first.total)") }
        return ordered
    }

    /// Writes `record` as the sidecar of `file` (temporary file, then rename).
    func write(besides file: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let side = TeacherScoreShards.sidecar(of: file)
        let tmp = side.deletingLastPathComponent().appendingPathComponent(".\(side.lastPathComponent).tmp")
        try encoder.encode(self).write(to: tmp)
        try moveIntoPlace(tmp, to: side)
    }
}

public struct ShardMergeError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum TeacherScoreShards {
    public static func sidecar(of file: URL) -> URL {
        file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + ".shard.json")
    }

    /// The stable hash of the triple list (in order), the teacher's identity, the batch size and any transformation
    /// of the scores: shards of one run share it, shards of different runs almost surely do not.
    public static func fingerprint(triples: [TrainingTriple], teacher: String, batchSize: Int, transform: String = "") -> String {
        var bytes: [UInt8] = Array("\(teacher)\u{1F}\(batchSize)\u{1F}\(transform)\u{1F}".utf8)
        for t in triples { bytes += Array("\(t.qid)\t\(t.posPid)\t\(t.negPid)\n".utf8) }
        return stableHash(bytes)
    }

    /// Writes a shard's scores and its sidecar.
    public static func write(_ scores: [TeacherScore], record: ShardRecord, to file: URL) throws {
        precondition(scores.count == record.rows, "a shard's record must count its rows")
        try TeacherScoreFile.write(scores, to: file)
        try record.write(besides: file)
    }

    /// Checks `files` (one per shard, any order) and writes their rows, in shard order, to `out`. Returns the rows.
    @discardableResult
    public static func merge(_ files: [URL], to out: URL) throws -> Int {
        let ordered = try ShardRecord.ordered(files, writtenBy: "teacher-scores --shard I/N", unit: "rows")
        let next = ordered[0].1.total
        // Stream every shard into the output, checking each one's row count as it goes.
        try writeTextInPlace(out) { emit in
            for (f, r) in ordered {
                var rows = 0
                try TeacherScoreFile.forEachRow(f) { s in rows += 1; try emit(TeacherScoreFile.line(s)) }
                guard rows == r.rows else { throw ShardMergeError("\(f.path) holds \(rows) rows, its record says \(r.rows)") }
            }
        }
        return next
    }
}
