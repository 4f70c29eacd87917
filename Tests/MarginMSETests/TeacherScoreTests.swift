// Teacher-score files: the published row format, exact round trip, streaming reads with typed errors, id → text
// expansion, the mean ensemble (worked example, lockstep checks) and the cache; scoring triples with a teacher.

import Foundation
import Testing
import PropertyTesting
import Tensors
import Student
@testable import MarginMSE

private func row(_ q: String, _ p: String, _ n: String, _ sp: Float, _ sn: Float) -> TeacherScore {
    TeacherScore(TrainingTriple(qid: q, posPid: p, negPid: n), positive: sp, negative: sn)
}

@Suite struct TeacherScoreTests {
    @Test func standardisedScoresHaveMeanZeroUnitSpreadAndKeepEveryOrder() {
        let score = Gen<Float>.float(in: -0.4...0.9)
        let rows = Gen<[TeacherScore]>.array(of: Gen<(Float, Float)>.zip(score, score).map { row("q", "p", "n", $0.0, $0.1) }, count: 1...30)
        propertyCheck(rows, cases: 40) { rs in
            let z = TeacherScore.standardised(rs)
            try require(z.map(\.triple) == rs.map(\.triple), "triples kept in order")
            let all = z.flatMap { [Double($0.positive), Double($0.negative)] }
            let raw = rs.flatMap { [Double($0.positive), Double($0.negative)] }
            let mean = all.reduce(0, +) / Double(all.count)
            try requireClose(mean, 0, atol: 1e-5, rtol: 0, "mean")
            let rawMean = raw.reduce(0, +) / Double(raw.count)
            let sd = (raw.map { ($0 - rawMean) * ($0 - rawMean) }.reduce(0, +) / Double(raw.count)).squareRoot()
            if sd > 1e-3 {
                let zsd = (all.map { $0 * $0 }.reduce(0, +) / Double(all.count)).squareRoot()
                try requireClose(zsd, 1, atol: 1e-4, rtol: 0, "standard deviation")
                // Every margin divided by the same σ: signs and ratios of margins kept.
                for (a, b) in zip(rs, z) { try requireClose(Double(b.margin), Double(a.margin) / sd, atol: 1e-4, rtol: 1e-4, "margin") }
            }
        }
        // All scores equal: centred, not divided by zero.
        #expect(TeacherScore.standardised([row("q", "p", "n", 0.5, 0.5), row("q", "p2", "n", 0.5, 0.5)]).allSatisfy { $0.positive == 0 && $0.negative == 0 })
        #expect(TeacherScore.standardised([]).isEmpty)
        let r = row("q", "p", "n", 1.5, -0.5).scaled(by: 4)
        #expect(r.positive == 6 && r.negative == -2 && r.margin == 8 && r.triple == row("q", "p", "n", 0, 0).triple)
    }

    @Test func publishedRowFormat() {
        #expect(TeacherScoreFile.line(row("1185869", "0", "4119", 7.25, -1.5)) == "7.25\t-1.5\t1185869\t0\t4119\n")
    }

    @Test func roundTripIsExact() throws {
        let gen = Gen.array(of: Gen.zip(Gen.gaussian(scale: 10), Gen.gaussian(scale: 10)), count: 0...50)
        try propertyCheck(gen, cases: 30) { scores in
            let rows = scores.enumerated().map { i, s in row("\(i)", "\(i * 7)", "\(i * 13 + 1)", s.0, s.1) }
            let u = temporaryDirectory("rt").appendingPathComponent("scores.tsv")
            try TeacherScoreFile.write(rows, to: u)
            try require(try TeacherScoreFile.read(u) == rows, "round trip differs")
        }
    }

    @Test func malformedLineNamesFileAndLine() throws {
        let u = temporaryDirectory("bad").appendingPathComponent("s.tsv")
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("1\t2\t3\t4\t5\n1.5\tx\t3\t4\t5\n".utf8).write(to: u)
        do {
            _ = try TeacherScoreFile.read(u)
            Issue.record("no error")
        } catch let e as TeacherScoreFormatError {
            #expect(e.line == 2 && e.file == u.path && e.found == "1.5\tx\t3\t4\t5")
        }
    }

    @Test func ensembleWorkedExample() throws {
        // Teacher A: (q1,p,n) 1 / 3; teacher B: 3 / 5 → mean 2 / 4 (margins −2 and −2 → −2).
        let d = temporaryDirectory("ens")
        let a = d.appendingPathComponent("a.tsv"), b = d.appendingPathComponent("b.tsv"), o = d.appendingPathComponent("o.tsv")
        try TeacherScoreFile.write([row("1", "p", "n", 1, 3), row("2", "p", "m", 10, 0)], to: a)
        try TeacherScoreFile.write([row("1", "p", "n", 3, 5), row("2", "p", "m", 0, 0)], to: b)
        #expect(try TeacherEnsemble.mean([a, b], to: o) == 2)
        #expect(try TeacherScoreFile.read(o) == [row("1", "p", "n", 2, 4), row("2", "p", "m", 5, 0)])
        #expect(try TeacherEnsemble.mean([TeacherScoreFile.read(a), TeacherScoreFile.read(b)]) == TeacherScoreFile.read(o))
        // A file of other triples, or of another length, is refused.
        try TeacherScoreFile.write([row("1", "p", "x", 3, 5), row("2", "p", "m", 0, 0)], to: b)
        #expect(throws: TrainingDataError.self) { try TeacherEnsemble.mean([a, b], to: o) }
        try TeacherScoreFile.write([row("1", "p", "n", 3, 5)], to: b)
        #expect(throws: TrainingDataError.self) { try TeacherEnsemble.mean([a, b], to: o) }
    }

    @Test func streamingReaderAgreesWithWholeFileReader() throws {
        // More rows than one read chunk holds, so lines cross chunk boundaries.
        let rows = (0..<60_000).map { i in row("\(i % 97)", "\(i)", "\(i + 1)", Float(i) / 7, -Float(i) / 3) }
        let u = temporaryDirectory("big").appendingPathComponent("s.tsv")
        try TeacherScoreFile.write(rows, to: u)
        let s = try TeacherScoreStream(u)
        var streamed: [TeacherScore] = []
        while let r = try s.next() { streamed.append(r) }
        #expect(streamed == rows)
        #expect(try TeacherScoreFile.read(u) == rows)
    }

    @Test func cacheComputesOnceThenHits() throws {
        let cache = TeacherScoreCache(directory: temporaryDirectory("cache"))
        let triples = [TrainingTriple(qid: "1", posPid: "a", negPid: "b")]
        var computed = 0
        let compute = { () -> [TeacherScore] in computed += 1; return [TeacherScore(triples[0], positive: 2, negative: 1)] }
        let first = try cache.scores(teacher: "T1", triples: triples, compute: compute)
        let second = try cache.scores(teacher: "T1", triples: triples, compute: compute)
        #expect(!first.hit && second.hit && computed == 1 && first.scores == second.scores)
        #expect(cache.url(teacher: "T1", triples: triples) != cache.url(teacher: "T2", triples: triples))
    }

    @Test func scoreTriplesMatchesTheRankerAndExpandsToText() throws {
        let data = ToyData(queries: 3, withTeacher: false)
        let teacher = tinyCat()
        teacher.training = true
        let triples = data.triples.map(\.triple)
        let scores = try scoreTriples(teacher, triples: triples, texts: data.texts, batchSize: 4)
        #expect(teacher.training, "training flag restored")
        for s in scores {
            teacher.training = false
            let direct = withNoGrad { teacher.score([try! data.texts.pair(s.triple.qid, s.triple.posPid),
                                                     try! data.texts.pair(s.triple.qid, s.triple.negPid)]).scalars }
            #expect(abs(direct[0] - s.positive) < 1e-5 && abs(direct[1] - s.negative) < 1e-5)
        }
        let d = temporaryDirectory("expand")
        let ids = d.appendingPathComponent("ids.tsv"), text = d.appendingPathComponent("text.tsv")
        try TeacherScoreFile.write([row("q0", "p0", "n1", 1, 2), row("q9", "p0", "n1", 1, 2)], to: ids)
        let r = try TeacherScoreFile.expandToText(ids, queries: ["q0": "what\tis"], passages: ["p0": "a", "n1": "b"], to: text)
        #expect(r.written == 1 && r.skipped == 1)
        #expect(try String(contentsOf: text, encoding: .utf8) == "1.0\t2.0\twhat is\ta\tb\n")
    }
}
