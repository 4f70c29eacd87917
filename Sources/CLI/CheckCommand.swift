// `reproduce check`: grades a reproduction's tables and figures against the committed expected numbers
// (Experiments/RunCheck.swift), or, with --write, records a run's numbers as the expected ones.

import Foundation
import Experiments

public struct CheckCommand: Command {
    public init() {}
    public let path = ["check"]
    public let summary = "Grade a run's tables and figures against the expected numbers (OK / OKish / FAIL)"
    public var usage: String {
        """
        Usage: reproduce check [--run DIR] [--expected FILE] [--write] [--tolerance X]

        Compares every number of every table and figure CSV in --run (a folder 'reproduce' wrote) with the
        expected numbers, cell by cell: OK within the artefact's tolerance, OKish within ten times it, FAIL
        beyond or missing. The paper's own numbers and host-dependent measurements (latency, throughput, CPU time,
        energy, memory) are not graded; the report lists them. Writes the report to --run/check.md and exits 1 when
        any artefact fails. --write records --run's numbers as the expected ones instead (after a deliberate change;
        commit the file with the run).
        """
    }
    public let options: [OptionSpec] = [
        .option("run", value: "DIR", help: "The run to grade", default: "paper-figures"),
        .option("expected", value: "FILE", help: "The expected numbers", default: "paper-figures/expected-numbers.json"),
        .flag("write", help: "Record --run's numbers as the expected ones"),
        .option("tolerance", value: "X", help: "With --write: the tolerance of every artefact", default: "0.001",
                rule: .number(atLeast: 0)),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let run = URL(fileURLWithPath: try args.string(defaulted: "run"))
        let file = URL(fileURLWithPath: try args.string(defaulted: "expected"))
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: run.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("reproduce check: --run \(run.path) is not a folder written by 'reproduce'")
        }
        if args.flag("write") {
            let expected = try RunCheck.snapshot(run, tolerance: try args.double(defaulted: "tolerance"))
            guard !expected.artefacts.isEmpty else { throw CLIError("reproduce check: no table or figure CSV under \(run.path)") }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(expected).write(to: file, options: .atomic)
            console.out("Recorded \(expected.artefacts.values.reduce(0) { $0 + $1.cells.count }) numbers of "
                        + "\(expected.artefacts.count) artefacts in \(file.path).\n")
            return
        }
        let expected: ExpectedNumbers
        do { expected = try JSONDecoder().decode(ExpectedNumbers.self, from: Data(contentsOf: file)) } catch {
            throw CLIError("reproduce check: \(file.path): not an expected-numbers file (\(error)); 'reproduce check --write' makes one",
                           kind: .failure)
        }
        let grades = RunCheck.grade(expected, run: run)
        let report = RunCheck.report(grades, expected: expected)
        try Data(("# Check of \(run.path) against \(file.lastPathComponent)\n\n" + report).utf8)
            .write(to: run.appendingPathComponent("check.md"), options: .atomic)
        console.out(report)
        let failed = grades.filter { $0.grade == .fail }
        if !failed.isEmpty {
            throw CLIError("reproduce check: \(failed.count) of \(grades.count) artefacts FAIL", kind: .failure)
        }
    }
}
