// Tables: worked examples of Markdown/HTML rendering, CSV round trips over messy text (commas, quotes, newlines),
// number formats, and typed errors for malformed rows and CSV.

import Foundation
import Testing
import PropertyTesting
@testable import Report

@Suite struct TableTests {
    static let example = Table(
        title: "Table B — teachers", caption: "TREC DL 2019, re-ranking BM25 top-100.",
        columns: ["Teacher", "nDCG@10", "MRR@10"],
        rows: [Row(["T1", .number(0.70149), .number(0.8812, marker: "†")]),
               .paper(["BERT-Base", .paper(0.689), .unknown])],
        notes: ["† p < 0.05 vs BM25."])

    @Test func markdownWorkedExample() {
        // Widths follow the longest cell; compare the pipe structure line by line.
        let got = Self.example.markdown()
        let gotLines = got.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(gotLines.first == "**Table B — teachers.** TREC DL 2019, re-ranking BM25 top-100.")
        #expect(got.contains("| T1          |  0.701  | 0.881<sup>†</sup> |"))  // values line up in raw text
        #expect(got.contains("| *BERT-Base* | *0.689* |    *?*            |"))
        #expect(got.contains("|:------------|--------:|------------------:|"))
        #expect(got.hasSuffix("- † p < 0.05 vs BM25.\n"))
    }

    @Test func markdownRowsAreAligned() throws {
        // Every table line has its pipes at the same character offsets.
        try propertyCheckTables { table in
            let lines = table.markdown(includeTitle: false).split(separator: "\n").filter { $0.hasPrefix("|") }
            let pipeOffsets = lines.map { line -> [Int] in
                var out: [Int] = []; var escaped = false
                for (i, c) in line.enumerated() {
                    if c == "|" && !escaped { out.append(i) }
                    escaped = c == "\\" && !escaped
                }
                return out
            }
            try require(Set(pipeOffsets.map { $0 }).count == 1, "pipes misaligned: \(lines)")
            try require(pipeOffsets.first?.count == table.columns.count + 1, "pipe count")
        }
    }

    @Test func csvRoundTripsCellsIncludingCommasQuotesNewlines() throws {
        try propertyCheckTables { table in
            let parsed = try parseCSV(table.csv())
            try require(parsed.count == table.rows.count + 1, "record count \(parsed.count)")
            let source = table.hasPaperCells
            try require(parsed[0] == table.columns.map(\.header) + (source ? ["source"] : []), "header \(parsed[0])")
            for (i, r) in table.rows.enumerated() {
                let fields = source ? Array(parsed[i + 1].dropLast()) : parsed[i + 1]
                try require(fields == r.cells.map(\.csvText), "row \(i): \(fields) vs \(r.cells.map(\.csvText))")
                if source {
                    let provs = Set(r.cells.indices.map { r.provenance(of: $0) })
                    try require(parsed[i + 1].last == (provs.count > 1 ? "mixed" : provs.first!.rawValue), "source column")
                }
            }
        }
    }

    @Test func csvCRLFParsesTheSame() throws {
        try propertyCheckTables { table in
            try require(try parseCSV(table.csv(lineEnding: "\r\n")) == parseCSV(table.csv()), "CRLF differs")
        }
    }

    @Test func csvQuotingExamples() throws {
        #expect(csvField("plain") == "plain")
        #expect(csvField("a,b") == "\"a,b\"")
        #expect(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(csvField("two\nlines") == "\"two\nlines\"")
        #expect(try parseCSV("a,\"b,c\"\n\"\"\"q\"\"\",\n") == [["a", "b,c"], ["\"q\"", ""]])
        #expect(throws: ReportError.csv(line: 1, message: "unterminated quoted field")) { try parseCSV("\"abc") }
        #expect(throws: ReportError.csv(line: 1, message: "quote inside an unquoted field")) { try parseCSV("ab\"c\n") }
    }

    @Test func csvMarksProvenanceAndUnknown() throws {
        let rows = try parseCSV(Self.example.csv())
        #expect(rows[0] == ["Teacher", "nDCG@10", "MRR@10", "source"])
        #expect(rows[1] == ["T1", "0.701", "0.881†", "ours"])
        #expect(rows[2] == ["BERT-Base", "0.689", "unknown", "paper"])
    }

    @Test func htmlEscapesAndMarksPaperCells() {
        var t = Self.example
        t.rows.append(Row(["<b>&\"x\"", .number(1)]))
        let h = t.html()
        #expect(h.contains("&lt;b&gt;&amp;&quot;x&quot;"))
        #expect(h.contains("class=\"paper\""))
        #expect(h.contains("<span class=\"unknown\">?</span>"))
        #expect(h.contains("<sup>†</sup>"))
        #expect(!h.contains("<b>"))
    }

    @Test func validateNamesTheBadRow() {
        var t = Self.example
        t.rows.append(Row(["only one"]))
        #expect(throws: ReportError.rowWidth(table: "Table B — teachers", row: 2, expected: 3, got: 1)) { try t.validate() }
        // Rendering never crashes on it: the short row is padded.
        #expect(t.markdown().contains("| only one"))
    }

    @Test func numberFormats() {
        #expect(NumberFormat.fixed(3).format(0.37149) == "0.371")
        #expect(NumberFormat.fixed(2).format(-0.001) == "0.00")
        #expect(NumberFormat.integer.format(30522) == "30,522")
        #expect(NumberFormat.integer.format(-1234567.4) == "-1,234,567")
        #expect(NumberFormat.percent(1).format(0.1234) == "12.3%")
        #expect(NumberFormat.scientific(2).format(0.000123) == "1.23e-4")
        #expect(NumberFormat.scientific(1).format(9.96) == "1.0e1")
        #expect(NumberFormat.significant(3).format(0.012345) == "0.0123")
        #expect(NumberFormat.significant(3).format(1234.6) == "1235")
        #expect(NumberFormat.fixed(0).format(2.5) == "2")  // printf rounding: an exact half goes to even
        #expect(NumberFormat.fixed(3).format(.nan) == "NaN")
    }

    @Test func writesMarkdownAndCSVAtomically() throws {
        let dir = testScratchRoot.appendingPathComponent("report-table-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.example.write(base: dir.appendingPathComponent("sub/table-b"), html: true)
        let md = try String(contentsOf: dir.appendingPathComponent("sub/table-b.md"), encoding: .utf8)
        let csv = try String(contentsOf: dir.appendingPathComponent("sub/table-b.csv"), encoding: .utf8)
        #expect(md == Self.example.markdown())
        #expect(csv == Self.example.csv())
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("sub/table-b.html").path))
    }
}

/// Random tables with messy text cells (commas, quotes, CR/LF, pipes, unicode), numbers, unknowns, markers.
func propertyCheckTables(_ body: @escaping (Table) throws -> Void) throws {
    let textGen = Gen<String>.string(from: Array("ab ,\"\n\r|*<>é中\\x1".unicodeScalars), count: 0...8)
    let cellGen: Gen<Cell> = Gen.zip(Gen.int(in: 0...3), textGen, Gen.float(in: -1000...1000)).map { kind, s, x in
        switch kind {
        case 0: return .text(s)
        case 1: return .number(Double(x), digits: 2, marker: s.count % 3 == 0 ? "†" : "")
        case 2: return .unknown
        default: return .text(s, provenance: .paper)
        }
    }
    let gen = Gen.int(in: 1...5).flatMap { cols in
        Gen<[[Cell]]>.array(of: Gen<[Cell]>.array(of: cellGen, count: cols...cols), count: 0...6)
    }.map { cols, rows -> Table in
        let headers = (0..<cols).map { j in Column(j == 0 ? "name, \"quoted\"" : "c\(j)") }
        return Table(title: "t", columns: headers, rows: rows.map { Row($0) })
    }
    propertyCheck(gen, cases: 150) { try body($0) }
}
