// A page's "current numbers" from the benchmark that measured them, so that a number on a page is the number a run
// wrote. A page marks a table with the result file it shows — a copy of `bench-results/NAME.json` committed under
// `Docs/bench/` —
//
//     <!-- bench: Docs/bench/zen2/collection.json -->
//     | case | ours | peer | ratio | unit | threads |
//     …
//     *`bench collection` on AMD EPYC, family 23 model 49 (AVX2; …), 2026-12-07, commit 9292d54.*
//
// and `reproduce docs` rewrites the lines after the marker, up to the first blank line, from the file: one row per
// result (our value, the peer's and their ratio — the benchmark's own, with its spread, where it recorded one — where
// the benchmark measured a peer), then a line naming the benchmark,
// its arguments, the host, the date and the commit. A test fails when a page and its file differ.
// Leaves out: choosing rows (a page shows a result file whole; commit a file per table).

import Foundation

public enum BenchTables {
    static let marker = "<!-- bench: "

    /// Significant digits: three, or the whole number when it is larger.
    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        let a = abs(x)
        if a >= 100 { return String(format: "%.0f", x) }
        if a >= 10 { return String(format: "%.1f", x) }
        if a >= 1 { return String(format: "%.2f", x) }
        if a == 0 { return "0" }
        return String(format: "%.3g", x)
    }

    /// The Markdown lines for the result file's contents (`json`, named `file` in errors).
    public static func render(_ json: Data, file: String) throws -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
              let rows = object["rows"] as? [[String: Any]] else {
            throw SourceSnippetError("\(file): not a bench result (bench-results/NAME.json)")
        }
        var lines = ["| case | ours | peer | ratio | unit | threads |", "|---|---:|---:|---:|---|---:|"]
        for r in rows {
            guard let name = r["case"] as? String, let ours = r["swift"] as? Double else {
                throw SourceSnippetError("\(file): a row without case or value")
            }
            let peer = r["peer"] as? Double
            let higher = r["higherIsBetter"] as? Bool ?? true
            // The benchmark's own ratio where it recorded one (`bench gemm`: the median of paired rounds, with its
            // interquartile range), else the ratio of the two values.
            var ratio = peer.map { p -> String in
                guard p > 0, ours > 0 else { return "–" }
                return String(format: "%.2f×", higher ? ours / p : p / ours)
            } ?? "–"
            if let recorded = r["ratio"] as? Double {
                ratio = String(format: "%.2f×", recorded)
                if let q1 = r["ratioQ1"] as? Double, let q3 = r["ratioQ3"] as? Double {
                    ratio += String(format: " (IQR %.2f–%.2f)", q1, q3)
                }
            }
            let peerName = (r["peerName"] as? String).map { " (\($0))" } ?? ""
            lines.append("| \(name) | \(format(ours)) | \(peer.map(format) ?? "–")\(peerName) | \(ratio) | "
                         + "\(r["unit"] as? String ?? "") | \(r["threads"] as? Int ?? 1) |")
        }
        let benchmark = object["benchmark"] as? String ?? "?"
        let arguments = (object["arguments"] as? [String] ?? []).joined(separator: " ")
        let date = (object["date"] as? String).map { String($0.prefix(10)) } ?? "date not recorded"
        let commit = object["commit"] as? String ?? "commit not recorded"
        lines.append("")
        lines.append("*`bench \(benchmark)\(arguments.isEmpty ? "" : " " + arguments)` on \(object["host"] as? String ?? "an unnamed host"), "
                     + "\(date), commit \(commit); ratio > 1: ours better.*")
        return lines
    }

    /// `page` with every marked table rewritten from its file, read through `read(file)`.
    public static func renderPage(_ page: String, pageName: String, read: (String) throws -> Data) throws -> String {
        var lines = page.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            let t = lines[i].trimmingCharacters(in: .whitespaces)
            if t.hasPrefix(marker), t.hasSuffix("-->") {
                let file = String(t.dropFirst(marker.count).dropLast(3)).trimmingCharacters(in: .whitespaces)
                guard !file.isEmpty else { throw SourceSnippetError("\(pageName):\(i + 1): '<!-- bench: FILE -->' names no file") }
                // The old table: up to and including the caption line after its blank line.
                var end = i + 1
                while end < lines.count && !lines[end].trimmingCharacters(in: .whitespaces).isEmpty { end += 1 }
                if end + 1 < lines.count && lines[end + 1].hasPrefix("*`bench ") { end += 2 }
                let table = try render(try read(file), file: file)
                lines.replaceSubrange((i + 1)..<min(end, lines.count), with: table)
                i += table.count
            }
            i += 1
        }
        return lines.joined(separator: "\n")
    }
}
