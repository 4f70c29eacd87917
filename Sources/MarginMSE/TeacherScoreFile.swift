// Teacher scores (Margin-MSE §2.1 step 2 and §3.1): the teacher scores ⟨q,p⁺⟩ and ⟨q,p⁻⟩ of every training triple
// once; the scores are stored in the published file format (Zenodo 4068216) and reused by every student run:
//   pos_score<TAB>neg_score<TAB>qid<TAB>pos_pid<TAB>neg_pid            (no header, one row per triple, in order)
// This file writes that format (atomically), reads it back streaming, and expands ids to text. The mean ensemble
// (T2) and the cache are in `TeacherEnsemble.swift`.

import Foundation
import Corpus
import Tensors
import Student

/// One row of a teacher-score file.
public struct TeacherScore: Sendable, Equatable {
    public var triple: TrainingTriple
    public var positive: Float
    public var negative: Float
    public init(_ triple: TrainingTriple, positive: Float, negative: Float) {
        self.triple = triple; self.positive = positive; self.negative = negative
    }
    /// The margin the student learns, t⁺ − t⁻.
    public var margin: Float { positive - negative }
    /// The row as a training example.
    public var scored: ScoredTriple { ScoredTriple(triple, teacherPositive: positive, teacherNegative: negative) }
}

public enum TeacherScoreFile {
    /// The row text: scores with the shortest representation that reads back to the same Float.
    public static func line(_ s: TeacherScore) -> String {
        "\(s.positive)\t\(s.negative)\t\(s.triple.qid)\t\(s.triple.posPid)\t\(s.triple.negPid)\n"
    }

    /// Writes `rows` to `url` (temporary file, then rename).
    public static func write(_ rows: some Sequence<TeacherScore>, to url: URL) throws {
        try writeTextInPlace(url) { emit in
            for r in rows { try emit(line(r)) }
        }
    }

    /// Streams the rows of a teacher-score file in order, with bounded memory (1 MiB chunks). A malformed line is a
    /// `TeacherScoreFormatError` naming the file and line.
    public static func forEachRow(_ url: URL, _ body: (TeacherScore) throws -> Void) throws {
        let path = url.path   // once: URL.path decodes the URL on every call
        guard let h = FileHandle(forReadingAtPath: path) else { throw TrainingDataError("\(path): cannot open") }
        defer { try? h.close() }
        var pending: [UInt8] = []
        var lineNumber = 0
        func handle(_ bytes: ArraySlice<UInt8>) throws {
            lineNumber += 1
            if let row = try row(bytes, file: path, line: lineNumber) { try body(row) }
        }
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(contentsOf: chunk)
            var start = pending.startIndex
            while let nl = pending[start...].firstIndex(of: 0x0A) {
                try handle(pending[start..<nl])
                start = nl + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty { try handle(pending[...]) }
    }

    /// One line of a score file (without its "\n"; a trailing "\r" is dropped): nil for an empty line, else the row, or
    /// a `TeacherScoreFormatError` naming `file` and `line` when it is not five fields with finite scores.
    static func row(_ bytes: ArraySlice<UInt8>, file: String, line: Int) throws -> TeacherScore? {
        var b = bytes
        if b.last == 0x0D { b = b.dropLast() }
        if b.isEmpty { return nil }
        let f = b.split(separator: 0x09, omittingEmptySubsequences: false)
        guard f.count == 5, let p = Float(String(decoding: f[0], as: UTF8.self)), p.isFinite,
              let n = Float(String(decoding: f[1], as: UTF8.self)), n.isFinite, !f[2].isEmpty, !f[3].isEmpty, !f[4].isEmpty else {
            throw TeacherScoreFormatError(file: file, line: line, found: String(decoding: b.prefix(120), as: UTF8.self))
        }
        return TeacherScore(TrainingTriple(qid: String(decoding: f[2], as: UTF8.self), posPid: String(decoding: f[3], as: UTF8.self),
                                           negPid: String(decoding: f[4], as: UTF8.self)), positive: p, negative: n)
    }

    /// All rows (small files; use `forEachRow` for the 40M-row published files).
    public static func read(_ url: URL) throws -> [TeacherScore] {
        var out: [TeacherScore] = []
        try forEachRow(url) { out.append($0) }
        return out
    }

    /// Expands ids to text, as matchmaker's `teacher_id_to_text.py`: `s_pos<TAB>s_neg<TAB>query<TAB>pos<TAB>neg`.
    /// Rows whose query or passage is missing are skipped and counted (the script's `key_error`).
    /// Returns (rows written, rows skipped).
    @discardableResult
    public static func expandToText(_ input: URL, queries: [String: String], passages: [String: String],
                                    to output: URL) throws -> (written: Int, skipped: Int) {
        var written = 0, skipped = 0
        var lines: [String] = []
        try forEachRow(input) { r in
            guard let q = queries[r.triple.qid], let p = passages[r.triple.posPid], let n = passages[r.triple.negPid] else {
                skipped += 1; return
            }
            func clean(_ s: String) -> String { s.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
            lines.append("\(r.positive)\t\(r.negative)\t\(clean(q))\t\(clean(p))\t\(clean(n))\n")
            written += 1
        }
        let tmp = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).tmp")
        try Data(lines.joined().utf8).write(to: tmp)
        try moveIntoPlace(tmp, to: output)
        return (written, skipped)
    }
}

/// Scores ⟨q,p⁺⟩ and ⟨q,p⁻⟩ of every triple with `teacher` (no graph, dropout off), in batches of `batchSize`
/// triples (2·batchSize pairs, scored in length groups). Step 2 of the paper's workflow. `progress` gets the fraction
/// of triples scored after each batch.
public func scoreTriples(_ teacher: any Ranker, triples: [TrainingTriple], texts: TokenizedTexts,
                         batchSize: Int = 128, grouping: LengthGrouping = LengthGrouping(),
                         progress: ((Double) -> Void)? = nil) throws -> [TeacherScore] {
    let wasTraining = teacher.training
    teacher.training = false
    defer { teacher.training = wasTraining }
    var out: [TeacherScore] = []
    out.reserveCapacity(triples.count)
    try withNoGrad {
        for start in stride(from: 0, to: triples.count, by: batchSize) {
            let chunk = triples[start..<min(start + batchSize, triples.count)]
            let pairs = try chunk.map { try texts.pair($0.qid, $0.posPid) } + chunk.map { try texts.pair($0.qid, $0.negPid) }
            let s = teacher.score(pairs, grouping: grouping).scalars
            for (k, t) in chunk.enumerated() { out.append(TeacherScore(t, positive: s[k], negative: s[chunk.count + k])) }
            progress?(Double(out.count) / Double(triples.count))
        }
    }
    return out
}

/// A malformed teacher-score line.
public struct TeacherScoreFormatError: Error, CustomStringConvertible, Equatable {
    public let file: String, line: Int, found: String
    public var description: String {
        "\(file):\(line): expected 5 tab-separated fields (pos_score, neg_score, qid, pos_pid, neg_pid) with finite scores, found '\(found)'"
    }
}

extension TeacherScore {
    /// Both scores multiplied by `k`: every margin multiplied by `k`.
    public func scaled(by k: Float) -> TeacherScore { TeacherScore(triple, positive: positive * k, negative: negative * k) }

    /// `scores` z-normalised: every positive and negative score s becomes (s − μ) / σ, with μ and σ the mean and
    /// (population) standard deviation of all 2n scores. Order and triples are kept; every margin is divided by σ, so
    /// a teacher whose scores live on a small scale (a bi-encoder's cosines, σ ≈ 0.1) teaches margins on the order of
    /// a cross-encoder's logits. With σ = 0 (all scores equal) the scores are only centred.
    public static func standardised(_ scores: [TeacherScore]) -> [TeacherScore] {
        guard !scores.isEmpty else { return [] }
        let all = scores.flatMap { [Double($0.positive), Double($0.negative)] }
        let mean = all.reduce(0, +) / Double(all.count)
        let sd = (all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(all.count)).squareRoot()
        let scale = sd > 0 ? 1 / sd : 1
        return scores.map {
            TeacherScore($0.triple, positive: Float((Double($0.positive) - mean) * scale),
                         negative: Float((Double($0.negative) - mean) * scale))
        }
    }
}
