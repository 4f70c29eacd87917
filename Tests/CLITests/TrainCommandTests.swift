// `reproduce train` and `reproduce teacher-scores`: help texts, usage errors, the ensemble path end to end, and (with
// ../shared) the sentence-transformers teacher scoring the real DL20 triples.

import Foundation
import Testing
import Student
import MarginMSE
@testable import CLI

@Suite struct TrainCommandTests {
    func run(_ args: [String]) -> (code: Int32, out: String, err: String) {
        let (console, out, err) = Console.capturing()
        let code = Commands.main(args, console: console)
        return (code, out(), err())
    }

    @Test func helpNamesLossesAndArchitectures() {
        let h = run(["train", "--help"])
        #expect(h.code == 0)
        for name in PairwiseLoss.allCases.map(\.rawValue) + ["bert-cat", "bert-dot", "colbert", "prett", "tk"] {
            #expect(h.out.contains(name), "help lacks \(name)")
        }
        #expect(run(["teacher-scores", "--help"]).out.contains("--ensemble"))
    }

    @Test func usageErrors() {
        let a = run(["train", "--arch", "nope"])
        #expect(a.code == 2 && a.err.contains("unknown --arch 'nope'"))
        let l = run(["train", "--loss", "hinge"])
        #expect(l.code == 2 && l.err.contains("unknown --loss 'hinge'"))
        let t = run(["train", "--loss", "margin-mse"])
        #expect(t.code == 2 && t.err.contains("needs --teacher-scores"))
        let e = run(["teacher-scores", "--ensemble", "a.tsv", "--out", "o.tsv"])
        #expect(e.code == 2 && e.err.contains("at least two"))
        let both = run(["teacher-scores", "--teacher", "a", "--sentence-transformer", "b", "--out", "o.tsv"])
        #expect(both.code == 2 && both.err.contains("not both"))
        let neither = run(["teacher-scores", "--out", "o.tsv"])
        #expect(neither.code == 2 && neither.err.contains("--sentence-transformer DIR"))
        let badShard = run(["teacher-scores", "--sentence-transformer", "b", "--shard", "4/4", "--out", "o.tsv"])
        #expect(badShard.code == 2 && badShard.err.contains("--shard takes I/N with 0 ≤ I < N"))
        let shardStd = run(["teacher-scores", "--sentence-transformer", "b", "--shard", "0/2", "--standardise", "--out", "o.tsv"])
        #expect(shardStd.code == 2 && shardStd.err.contains("--standardise needs every triple"))
        let mergeMixed = run(["teacher-scores", "--merge", "a.tsv", "--teacher", "t", "--out", "o.tsv"])
        #expect(mergeMixed.code == 2 && mergeMixed.err.contains("--merge takes only the shard files"))
        let scale = run(["teacher-scores", "--sentence-transformer", "b", "--scale", "-1", "--out", "o.tsv"])
        #expect(scale.code == 2 && scale.err.contains("--scale takes a finite number > 0, not '-1'"))
    }

    @Test(.enabled(if: Shared.trecDL, "needs ../shared/data and ../shared/models"))
    func sentenceTransformerTeacherScoresTheRealTriples() throws {
        // all-MiniLM-L6-v2 as the teacher of `reproduce paper-a --minilm-teacher`, from the command line: its cosines,
        // z-normalised and scaled, for the DL20 triples (one negative per positive, to keep the test short).
        let model = Shared.miniLM
        let d = try scratchFolder("cli-st")
        let z = d.appendingPathComponent("z.tsv")
        let r = run(["teacher-scores", "--sentence-transformer", model.path, "--standardise", "--scale", "2",
                     "--negatives-per-positive", "1", "--data", Shared.data.path, "--model", model.path, "--out", z.path])
        #expect(r.code == 0, "\(r.err)")
        let scores = try TeacherScoreFile.read(z)
        #expect(scores.count > 500)
        let all = scores.flatMap { [Double($0.positive), Double($0.negative)] }
        let mean = all.reduce(0, +) / Double(all.count)
        let sd = (all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(all.count)).squareRoot()
        #expect(abs(mean) < 1e-4 && abs(sd - 2) < 1e-3, "standardised, then ×2: mean \(mean), sd \(sd)")
        // A good ranker: the judged passage above the BM25 negative in most triples (87.5 % with two negatives).
        #expect(Double(scores.filter { $0.margin > 0 }.count) / Double(scores.count) > 0.8)
    }

    @Test(.enabled(if: Shared.devSmall, "needs ../shared/data (dev-small, TREC DL) and ../shared/models"))
    func trainOnDevSmallFromTheCommandLine() throws {
        // `train --train-set dev-small`: the triples' summary, the validation curve beside BM25's order, and both test
        // sets. One step of a 1-layer BERT_DOT on 2 triples, validating on 3 queries, re-ranking the top 5.
        let model = Shared.miniLM
        let r = run(["train", "--train-set", "dev-small", "--titled", "keep", "--arch", "bert-dot", "--loss", "ranknet",
                     "--layers", "0", "--steps", "1", "--batch-size", "2", "--warmup", "0", "--validate-every", "1",
                     "--validation-queries", "3", "--depth", "5", "--test-set", "dl19,dl20",
                     "--data", Shared.data.path, "--model", model.path])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("dev-small (titled rows: keep)") && r.err.contains("3 held out"))
        #expect(r.out.contains("validation nDCG@10 by step: 1: ") && r.out.contains("(BM25's order: "))
        #expect(r.out.contains("dl19 re-ranking BM25 top-5") && r.out.contains("dl20 re-ranking BM25 top-5"))
        let bad = run(["train", "--train-set", "dev-small", "--titled", "sometimes", "--loss", "ranknet",
                       "--data", Shared.data.path, "--model", model.path])
        #expect(bad.code == 2 && bad.err.contains("--titled takes drop, keep, both-sides, not 'sometimes'"))
    }

    @Test func ensembleFromTheCommandLine() throws {
        let d = try scratchFolder("cli-ens")
        let a = d.appendingPathComponent("a.tsv"), b = d.appendingPathComponent("b.tsv"), o = d.appendingPathComponent("o.tsv")
        let t = TrainingTriple(qid: "1", posPid: "2", negPid: "3")
        try TeacherScoreFile.write([TeacherScore(t, positive: 1, negative: 0)], to: a)
        try TeacherScoreFile.write([TeacherScore(t, positive: 3, negative: -2)], to: b)
        let r = run(["teacher-scores", "--ensemble", a.path, "--ensemble", b.path, "--out", o.path])
        #expect(r.code == 0, "\(r.err)")
        #expect(try TeacherScoreFile.read(o) == [TeacherScore(t, positive: 2, negative: -1)])
        let missing = run(["teacher-scores", "--ensemble", a.path, "--ensemble", d.appendingPathComponent("x").path, "--out", o.path])
        #expect(missing.code == 1 && missing.err.contains("cannot open"))
        // Files that disagree, or a score that is not a number: an error naming the file and row, no output, no
        // temporary left behind.
        let c = d.appendingPathComponent("c.tsv"), bad = d.appendingPathComponent("nan.tsv"), o2 = d.appendingPathComponent("o2.tsv")
        try TeacherScoreFile.write([TeacherScore(TrainingTriple(qid: "1", posPid: "2", negPid: "4"), positive: 1, negative: 0)], to: c)
        try "nan\t0\t1\t2\t3\n".write(to: bad, atomically: true, encoding: .utf8)
        let differ = run(["teacher-scores", "--ensemble", a.path, "--ensemble", c.path, "--out", o2.path])
        #expect(differ.code == 1 && differ.err.contains("c.tsv:1: triple"), "\(differ.err)")
        let notANumber = run(["teacher-scores", "--ensemble", a.path, "--ensemble", bad.path, "--out", o2.path])
        #expect(notANumber.code == 1 && notANumber.err.contains("nan.tsv:1: expected") && notANumber.err.contains("finite"),
                "\(notANumber.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: d.path).sorted() == ["a.tsv", "b.tsv", "c.tsv", "nan.tsv", "o.tsv"])
    }
}
