// The full scale's streamed inputs: the teacher-score cursor returns the streaming reader's rows in order across
// epochs from any row it is sent to, forwards or backwards; the top-1000 candidate file groups every line under its
// query in file order; both name the file and line of a malformed row, and scores must be finite.
import Foundation
import Testing
import PropertyTesting
@testable import Corpus

@Suite struct FullScaleReaderTests {
    static func scoreFile(_ rows: Int, crlf: Bool = false, bom: Bool = false, finalNewline: Bool = true) -> String {
        var lines: [String] = []
        for i in 0..<rows { lines.append("\(Double(i) * 0.5 - 3)\t\(-Double(i) / 4)\t\(100 + i % 7)\t\(i * 3)\t\(i * 3 + 1)") }
        return (bom ? "\u{FEFF}" : "") + lines.joined(separator: crlf ? "\r\n" : "\n") + (finalNewline ? (crlf ? "\r\n" : "\n") : "")
    }

    @Test func cursorReadsTheRowsInOrderAcrossEpochsFromAnyRow() {
        let gen = Gen<(Int, Int, [Int])>.zip(.int(in: 1...25), .int(in: 0...7), .array(of: .int(in: 0...120), count: 1...8))
        propertyCheck(gen, cases: 150) { (rows, style, targets) in
            let path = try temporaryFile("scores-\(UUID().uuidString).tsv",
                                         Self.scoreFile(rows, crlf: style & 1 != 0, bom: style & 2 != 0, finalNewline: style & 4 == 0))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let all = try TeacherScores.readAll(path)
            try require(all.count == rows)
            let cursor = try TeacherScoreCursor(path: path)
            for t in targets {   // any order: forwards, backwards, several epochs ahead
                try cursor.seek(toRow: t)
                for k in 0..<3 {
                    let r = try cursor.next()
                    try require(r == all[(t + k) % rows], "row \(t + k) of a \(rows)-row file")
                }
            }
        }
    }

    @Test func cursorNamesTheLineOfABadRowAndRejectsNonFiniteScores() throws {
        for (bad, line) in [("1\t2\t3\t4", 3), ("nan\t0\t1\t2\t3", 3), ("0\tinf\t1\t2\t3", 3), ("1e39\t0\t1\t2\t3", 3)] {
            let text = Self.scoreFile(2) + bad + "\n"
            let path = try temporaryFile("bad-\(UUID().uuidString).tsv", text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let cursor = try TeacherScoreCursor(path: path)
            _ = try cursor.next(); _ = try cursor.next()
            #expect(throws: DataFormatError(file: path, line: line, expected: TeacherScores.expectation, found: bad)) {
                try cursor.next()
            }
            #expect(throws: DataFormatError.self) { try TeacherScores.readAll(path) }
        }
    }

    @Test func candidateFileGroupsLinesByQueryInFileOrder() {
        // Random candidate lists for a few queries, their lines interleaved in a random order.
        let gen = Gen<([Int], Int)>.zip(.array(of: .int(in: 1...6), count: 1...6), .int(in: 0...1_000_000))
        propertyCheck(gen, cases: 100) { (sizes, seed) in
            var state = UInt64(seed) | 1
            func next(_ n: Int) -> Int { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(state >> 33) % n }
            var lines: [(qid: Int, pid: Int, text: String)] = []
            for (q, n) in sizes.enumerated() { for k in 0..<n { lines.append((1000 - 7 * q, 10 * q + k, "passage \(q) \(k) é")) } }
            for i in stride(from: lines.count - 1, to: 0, by: -1) { lines.swapAt(i, next(i + 1)) }
            let file = lines.map { "\($0.qid)\t\($0.pid)\tquery \(($0.qid))\t\($0.text)" }.joined(separator: "\n") + "\n"
            let path = try temporaryFile("top-\(UUID().uuidString).tsv", file)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let c = try CandidateFile(path: path)
            try require(c.count == lines.count)
            try require(c.queryIDs == Set(lines.map(\.qid)).sorted())
            for i in c.queryIDs.indices {
                let (qid, text, candidates) = c.query(at: i)
                try require(text == "query \(qid)")
                let expected = lines.filter { $0.qid == qid }.map { CandidatePassage(pid: $0.pid, text: $0.text) }
                try require(candidates == expected, "query \(qid)")
            }
        }
    }

    @Test func candidateFileNamesTheLineOfABadRow() throws {
        let good = "1\t10\tq one\tp ten\n1\t11\tq one\tp eleven\n"
        for (tail, expected) in [("2\t12\tq two\n", CandidateFile.expectation), ("x\t12\tq\tp\n", CandidateFile.expectation),
                                 ("1\t13\tq another\tp\n", "query 1's text as on line 1")] {
            let path = try temporaryFile("top-bad-\(UUID().uuidString).tsv", good + tail)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: DataFormatError.self) { try CandidateFile(path: path) }
            do { _ = try CandidateFile(path: path) } catch let e as DataFormatError {
                #expect(e.line == 3 && e.expected == expected, "\(e)")
            }
        }
    }
}
