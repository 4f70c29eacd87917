// Hostile option values against every command: each value an option's rule rejects is a usage error (exit 2) that
// names the option and what it accepts, before the command does any work; no value crashes the parser. The values
// the hostile-input review found accepted or crashing are checked by name.

import Foundation
import Testing
import PropertyTesting
@testable import CLI

@Suite struct HostileOptionTests {
    static let hostile = ["", "-1", "0", "-0", "1.5", "nan", "NaN", "inf", "-inf", "1e999", "abc", "99999999999999999999",
                          "2,x", "-5,3", ",", "0,9", " 3", "0x10", "1_000", "½", "\u{FEFF}1"]

    /// Every ruled option of every command, with the hostile values and random text: the parser throws exactly when
    /// the rule rejects the value, and the error names the option and its accepted values.
    @Test func everyRuledOptionRejectsWhatItsRuleRejects() throws {
        let gen = Gen.zip(Gen.messyText(count: 0...8), Gen.element(of: Self.hostile))
        for command in Commands.all {
            let name = "reproduce " + command.path.joined(separator: " ")
            for spec in command.options {
                guard let rule = spec.rule else { continue }
                try propertyCheck(gen, cases: 30) { v in
                    for value in [v.0, v.1] {
                        do {
                            // `--name=value`: a value that starts with "-" is still this option's value.
                            _ = try parseArguments(["--\(spec.name)=\(value)"], specs: command.options, command: name)
                            try require(rule.accepts(value), "\(name) --\(spec.name) '\(value)' accepted against its rule")
                        } catch let e as CLIError {
                            try require(!rule.accepts(value), "\(name) --\(spec.name) '\(value)': \(e.message)")
                            try require(e.kind == .usage && e.message.contains("--\(spec.name) takes \(rule.accepted)"), e.message)
                        }
                    }
                }
            }
        }
    }

    /// Rules never let through what no option can use: text, fractions for whole numbers, NaN and infinities.
    @Test func rulesRejectNonNumbers() {
        for command in Commands.all {
            for spec in command.options {
                guard let rule = spec.rule, rule.accepted.contains("number") else { continue }
                for bad in ["abc", "nan", "inf", "-inf", "1e999", ""] {
                    #expect(!rule.accepts(bad), "\(command.path) --\(spec.name) accepts '\(bad)'")
                }
                if rule.accepted.contains("whole") { #expect(!rule.accepts("1.5"), "\(command.path) --\(spec.name) accepts 1.5") }
            }
        }
    }

    /// The values the review found crashing or silently accepted: each is now a usage error from the command line,
    /// naming the option, with nothing loaded or written.
    @Test func reviewedBadValuesAreUsageErrors() {
        let cases: [[String]] = [
            ["train", "--batch-size", "0"], ["train", "--negatives-per-positive", "-2"], ["train", "--validation-queries", "-1"],
            ["train", "--depth", "-3"], ["train", "--seed", "-1"], ["train", "--lr", "-1"], ["train", "--warmup", "-5"],
            ["train", "--patience", "-1"], ["train", "--time-budget", "-1"], ["train", "--layers", "0,x"],
            ["teacher-scores", "--batch-size", "0", "--out", "o.tsv"], ["teacher-scores", "--scale", "nan", "--out", "o.tsv"],
            ["bm25", "--b", "nan"], ["bm25", "--b", "2"], ["bm25", "--k1", "-1"], ["bm25", "--k", "0"],
            ["encode", "--max-length", "1"], ["encode", "--batch-size", "0"], ["score", "--batch-size", "-4"],
            ["distill", "--lr", "inf"], ["distill", "--steps", "0"], ["distill", "--time-budget", "-1"],
            ["eval", "--depth", "0"], ["vocab", "train", "--size", "3"], ["vocab", "sweep", "--sizes", "30,x"],
            ["pca", "fit", "--variance", "1.5"], ["paper-a", "--threads", "0"], ["paper-a", "--seed", "-1"],
        ]
        for args in cases {
            let (console, _, err) = Console.capturing()
            let started = Date()
            #expect(Commands.main(args, console: console) == 2, "\(args)")
            let option = args.last { $0.hasPrefix("--") && $0 != "--out" }!
            #expect(err().contains("\(option) takes"), "\(args): \(err())")
            #expect(Date().timeIntervalSince(started) < 5, "\(args) did work before failing")
        }
    }

    /// The ensemble of score files takes no scaling: a usage error rather than a silently ignored option.
    @Test func ensembleRefusesScaling() {
        for extra in [["--scale", "2"], ["--standardise"]] {
            let (console, _, err) = Console.capturing()
            #expect(Commands.main(["teacher-scores", "--ensemble", "a.tsv", "--ensemble", "b.tsv", "--out", "o.tsv"] + extra,
                                  console: console) == 2)
            #expect(err().contains("\(extra[0]) applies when scoring with a teacher"), "\(err())")
        }
    }
}
