// Grading a reproduction against the committed run, as a regression suite grades a build: the default run's numbers
// are kept as data (`paper-figures/expected-numbers.json`: every number of every table and figure CSV, per cell, with
// a tolerance per artefact), and `reproduce check` grades a fresh run cell by cell —
//   OK     |ours − expected| ≤ tolerance (the run is deterministic across hosts, so the committed run is matched to
//          the printed digits),
//   OKish  ≤ 10 × tolerance (a change in the last digits: e.g. a kernel that rounds differently),
//   FAIL   beyond that, or a cell, row or file that is not there —
// as Pyserini's reproduction matrix grades its runs. An artefact's grade is its worst cell's.
//
// Not graded: the paper's own numbers (columns named "paper …" and the provenance column) and what depends on the
// host — latencies, throughput, CPU time, energy, resident memory — listed per artefact in the expectation file, so
// that a reader can see what was left out.
// Leaves out: SVG figures (their CSV is graded), index.html, the generated READMEs.

import Foundation
import Report

public struct ExpectedNumbers: Codable, Sendable, Equatable {
    public struct Cell: Codable, Sendable, Equatable {
        /// Row index in the CSV (0 = the first row after the header).
        public var row: Int
        /// The row's label (its first text cells, carried down from the row above when blank), for the report.
        public var label: String
        public var column: String
        public var value: Double
    }
    public struct Artefact: Codable, Sendable, Equatable {
        /// The CSV, relative to the run's folder.
        public var file: String
        public var tolerance: Double
        /// The run that made it (its run-info.json entry): command, commit and date.
        public var madeBy: String
        /// Columns not graded (host-dependent measurements).
        public var ungraded: [String]
        public var cells: [Cell]
    }
    /// Where the numbers come from: the run's command, commit, host and date (its run-info.json).
    public var source: [String: String]
    public var artefacts: [String: Artefact]
}

public enum Grade: String, Codable, Sendable, Comparable {
    case ok = "OK", okish = "OKish", fail = "FAIL"
    var rank: Int { self == .ok ? 0 : self == .okish ? 1 : 2 }
    public static func < (a: Grade, b: Grade) -> Bool { a.rank < b.rank }
}

public struct ArtefactGrade: Sendable {
    public var artefact: String
    public var grade: Grade
    public var cells: Int
    /// The cells graded worse than OK (at most the first 20), as "row label · column: ours vs expected".
    public var problems: [String]
}

public enum RunCheck {
    /// Column headers that hold host-dependent measurements.
    static let hostDependent = ["latency", "throughput", "cpu-s", "j / ", "peak rss", "peak memory", "(ms)", "texts/s", "seconds", "minutes"]

    /// A number as the tables print it: "0.387†", "30,522", "1.7×", "92.1%", "*0.73*"; nil for text and "–".
    static func number(_ cell: String) -> Double? {
        let kept = cell.filter { "0123456789.-+eE".contains($0) }
        guard !kept.isEmpty, kept.contains(where: \.isNumber),
              cell.allSatisfy({ "0123456789.-+eE,×%†*‡ ".contains($0) }) else { return nil }
        return Double(kept)
    }

    /// The numbers of one CSV (header, rows) that are graded, and the columns left out.
    static func cells(_ csv: [[String]]) -> (cells: [ExpectedNumbers.Cell], ungraded: [String]) {
        guard let header = csv.first else { return ([], []) }
        let graded = header.indices.filter { j in
            let h = header[j].lowercased()
            return !h.hasPrefix("paper") && h != "source" && !hostDependent.contains { h.contains($0) }
        }
        let ungraded = header.indices.filter { j in
            let h = header[j].lowercased()
            return !h.hasPrefix("paper") && h != "source" && hostDependent.contains { h.contains($0) }
        }.map { header[$0] }
        var out: [ExpectedNumbers.Cell] = []
        var carried: [String] = []
        for (i, row) in csv.dropFirst().enumerated() {
            // The label: the row's first three cells that are not numbers, a blank one taking the value above it.
            let label = (0..<3).map { j -> String in
                guard j < row.count, number(row[j]) == nil else { return "" }
                return row[j].isEmpty && j < carried.count ? carried[j] : row[j]
            }
            carried = label
            for j in graded where j < row.count {
                if let v = number(row[j]) {
                    out.append(.init(row: i, label: label.filter { !$0.isEmpty }.joined(separator: " · "), column: header[j], value: v))
                }
            }
        }
        return (out, ungraded)
    }

    /// Every table and figure CSV under `run` (paper-a/…, paper-b/…) as expected numbers, tolerance `tolerance`.
    public static func snapshot(_ run: URL, tolerance: Double = 0.001) throws -> ExpectedNumbers {
        var source: [String: String] = [:], madeBy: [String: String] = [:]
        if let data = try? Data(contentsOf: run.appendingPathComponent("run-info.json")),
           let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            for k in ["command", "commit", "date", "machine", "scale"] { if let v = info[k] { source[k] = "\(v)" } }
            for item in info["items"] as? [[String: Any]] ?? [] {
                guard let id = item["id"] as? String else { continue }
                let own = item["command"] != nil
                madeBy[id] = "\(own ? item["command"]! : info["command"] ?? "?") at \(own ? item["commit"] ?? "?" : info["commit"] ?? "?"), "
                    + "\(own ? item["date"] ?? "?" : info["date"] ?? "?")"
            }
        }
        var artefacts: [String: ExpectedNumbers.Artefact] = [:]
        for paper in ["paper-a", "paper-b"] {
            let dir = run.appendingPathComponent(paper)
            for f in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where f.hasSuffix(".csv") {
                let csv = try parseCSV(String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8))
                let (cells, ungraded) = cells(csv)
                let id = "\(paper)/\(f.dropLast(4))"
                artefacts[id] = .init(file: "\(paper)/\(f)", tolerance: tolerance, madeBy: madeBy[id] ?? "unknown",
                                      ungraded: ungraded, cells: cells)
            }
        }
        return ExpectedNumbers(source: source, artefacts: artefacts)
    }

    /// Grades the run in `run` against `expected`, artefact by artefact (sorted by id).
    public static func grade(_ expected: ExpectedNumbers, run: URL) -> [ArtefactGrade] {
        expected.artefacts.keys.sorted().map { id in
            let e = expected.artefacts[id]!
            guard let text = try? String(contentsOf: run.appendingPathComponent(e.file), encoding: .utf8),
                  let csv = try? parseCSV(text) else {
                return ArtefactGrade(artefact: id, grade: .fail, cells: e.cells.count, problems: ["\(e.file) is missing or unreadable"])
            }
            let ours = Dictionary(cells(csv).cells.map { ("\($0.row)|\($0.column)", $0) }, uniquingKeysWith: { a, _ in a })
            var worst = Grade.ok
            var problems: [String] = []
            for c in e.cells {
                let g: Grade
                var what: String
                if let o = ours["\(c.row)|\(c.column)"] {
                    let d = abs(o.value - c.value)
                    g = d <= e.tolerance * (1 + 1e-9) ? .ok : d <= 10 * e.tolerance ? .okish : .fail
                    what = "\(o.value) vs \(c.value)"
                } else {
                    g = .fail
                    what = "missing (expected \(c.value))"
                }
                worst = max(worst, g)
                if g != .ok && problems.count < 20 { problems.append("\(g.rawValue): row \(c.row + 1) \(c.label) · \(c.column): \(what)") }
            }
            return ArtefactGrade(artefact: id, grade: worst, cells: e.cells.count, problems: problems)
        }
    }

    /// The grades as a Markdown table with each artefact's problems below it.
    public static func report(_ grades: [ArtefactGrade], expected: ExpectedNumbers) -> String {
        var out = "| artefact | cells | grade |\n|---|---:|---|\n"
        for g in grades { out += "| \(g.artefact) | \(g.cells) | \(g.grade.rawValue) |\n" }
        for g in grades where !g.problems.isEmpty {
            out += "\n\(g.artefact):\n" + g.problems.map { "- \($0)\n" }.joined()
        }
        let left = expected.artefacts.keys.sorted().compactMap { id -> String? in
            let u = expected.artefacts[id]!.ungraded
            return u.isEmpty ? nil : "\(id): \(u.joined(separator: ", "))"
        }
        if !left.isEmpty { out += "\nNot graded (host-dependent): " + left.joined(separator: "; ") + ".\n" }
        out += "\n"
        return out
    }
}
