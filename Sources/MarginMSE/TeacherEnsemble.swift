// The mean ensemble of several teachers' score files (T2, Margin-MSE §2.4) and the cache that lets every student
// run reuse a teacher's scores.
//
// Ensemble: per row (= per triple, so per (qid, pid) pair), the arithmetic mean of the teachers' scores, no
// normalisation, no weights (matchmaker `teacher_scores_ensemble.py`, `ensemble_type = "mean"`); the output keeps the
// triple order of the files. The files are read in lockstep, streaming, so memory stays flat; they must list the same
// triples in the same order (ours do: every teacher scores one triple list) — a mismatch is an error naming the row.
// Averaging each pair's score first and then taking the margin equals the mean of the teachers' margins.
//
// Cache: `<directory>/<key>.tsv`, key = stable hash of (teacher identity, triples). The identity is whatever
// determines the teacher's scores, e.g. the hash of its Codable training configuration.

import Foundation
import Corpus
import Training

public enum TeacherEnsemble {
    /// Writes the mean ensemble of `inputs` to `output`; returns the number of rows.
    @discardableResult
    public static func mean(_ inputs: [URL], to output: URL) throws -> Int {
        guard let first = inputs.first else { throw TrainingDataError("ensemble of no teacher files") }
        // Stream the first file; pull the others through iterators over their own streams (one chunk each).
        let others = try inputs.dropFirst().map { try TeacherScoreStream($0) }
        var rows = 0
        var batch: [TeacherScore] = []
        let tmp = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).tmp")
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil),
              let h = FileHandle(forWritingAtPath: tmp.path) else { throw TrainingDataError("\(tmp.path): cannot create") }
        // A failure part-way (a mismatched row, a short file) leaves no temporary behind.
        var finished = false
        defer { if !finished { try? h.close(); try? FileManager.default.removeItem(at: tmp) } }
        func flush() throws { try h.write(contentsOf: Data(batch.map(TeacherScoreFile.line).joined().utf8)); batch.removeAll(keepingCapacity: true) }
        try TeacherScoreFile.forEachRow(first) { r in
            rows += 1
            var p = Double(r.positive), n = Double(r.negative)
            for o in others {
                guard let x = try o.next() else {
                    throw TrainingDataError("\(o.url.path): ends at row \(rows - 1), \(first.path) has more rows")
                }
                guard x.triple == r.triple else {
                    throw TrainingDataError("\(o.url.path):\(rows): triple \(x.triple) differs from \(first.path)'s \(r.triple)")
                }
                p += Double(x.positive); n += Double(x.negative)
            }
            let k = Double(inputs.count)
            batch.append(TeacherScore(r.triple, positive: Float(p / k), negative: Float(n / k)))
            if batch.count == 8192 { try flush() }
        }
        try flush()
        try h.close()
        for o in others {
            if try o.next() != nil { throw TrainingDataError("\(o.url.path): more rows than \(first.path) (\(rows))") }
        }
        finished = true
        try moveIntoPlace(tmp, to: output)
        return rows
    }

    /// The mean ensemble of in-memory score lists (same triples, same order).
    public static func mean(_ teachers: [[TeacherScore]]) throws -> [TeacherScore] {
        guard let first = teachers.first else { return [] }
        return try first.indices.map { i in
            var p = 0.0, n = 0.0
            for t in teachers {
                guard t.count == first.count, t[i].triple == first[i].triple else {
                    throw TrainingDataError("ensemble: teachers disagree on the triple at row \(i + 1)")
                }
                p += Double(t[i].positive); n += Double(t[i].negative)
            }
            return TeacherScore(first[i].triple, positive: Float(p / Double(teachers.count)),
                                negative: Float(n / Double(teachers.count)))
        }
    }
}

/// Pull-style reader of a teacher-score file (rows on demand, one 1 MiB chunk buffered): used for lockstep reading.
final class TeacherScoreStream {
    let url: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var line = 0
    private var done = false

    init(_ url: URL) throws {
        self.url = url
        guard let h = FileHandle(forReadingAtPath: url.path) else { throw TrainingDataError("\(url.path): cannot open") }
        handle = h
    }
    deinit { try? handle.close() }

    func next() throws -> TeacherScore? {
        while true {
            if let nl = buffer[position...].firstIndex(of: 0x0A) {
                let bytes = buffer[position..<nl]
                position = nl + 1
                line += 1
                if let row = try TeacherScoreFile.row(bytes, file: url.path, line: line) { return row }
                continue   // an empty line
            }
            if done {
                guard position < buffer.count else { return nil }
                let bytes = buffer[position...]
                position = buffer.count
                line += 1
                if let row = try TeacherScoreFile.row(bytes, file: url.path, line: line) { return row }
                return nil
            }
            buffer.removeSubrange(..<position)
            position = 0
            if let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { done = true }
        }
    }
}

/// Teacher scores on disk, keyed by the teacher and the triples, so that every student run reuses them.
public struct TeacherScoreCache: Sendable {
    public let directory: URL
    public init(directory: URL) { self.directory = directory }

    /// The file for `teacher` (an identity string, e.g. a configuration hash) scoring `triples`.
    public func url(teacher: String, triples: [TrainingTriple]) -> URL {
        let key = stableHash(Array((teacher + "\n" + tripleHash(triples.map { ScoredTriple($0) })).utf8))
        return directory.appendingPathComponent("teacher-\(key).tsv")
    }

    /// The cached scores, or `compute()`'s, written to the cache first. `hit` says which.
    public func scores(teacher: String, triples: [TrainingTriple],
                       compute: () throws -> [TeacherScore]) throws -> (scores: [TeacherScore], hit: Bool) {
        let u = url(teacher: teacher, triples: triples)
        if FileManager.default.fileExists(atPath: u.path) {
            let cached = try TeacherScoreFile.read(u)
            if cached.map(\.triple) == triples { return (cached, true) }
        }
        let fresh = try compute()
        try TeacherScoreFile.write(fresh, to: u)
        return (fresh, false)
    }
}
