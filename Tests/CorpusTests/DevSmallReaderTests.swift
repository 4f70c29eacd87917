// The dev-small readers (`MSMarcoDevSmall`): small fixtures written by the tests parse to exact values; every kind of
// bad input is a DataFormatError at the right line (worked cases, then properties: a random valid file round-trips,
// and one corrupted row in it is reported at its own line); rank gaps and duplicates within a query; and the real
// files' counts when ../shared/data has them (measured with awk/python on the files; data/README.md agrees).
import Foundation
import PropertyTesting
import Testing
import Corpus

private func formatError(_ body: () throws -> Void) -> DataFormatError? {
    do { try body(); return nil } catch let e as DataFormatError { return e } catch { return nil }
}

/// Text fields of the generated rows: messy text without the two separators and "\r", never blank.
private var textGen: Gen<String> {
    Gen.messyText(count: 0...30).map { s in
        "t" + s.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
    }
}

private func positiveFields(_ p: JudgedPositive) -> [String] { [p.qid, p.pid ?? "", p.status.rawValue, p.text] }
private func candidateFields(_ c: BM25Candidate) -> [String] { [c.qid, c.pid, "\(c.rank)", "\(c.label)", c.text] }
private func tsv(_ header: String, _ rows: [[String]]) -> String {
    ([header] + rows.map { $0.joined(separator: "\t") }).joined(separator: "\n") + "\n"
}

@Suite struct DevSmallReaderTests {
    @Test func positivesParse() throws {
        // U+0085 (NEL) and U+2028 occur in real texts and must not end a line; spaces at the ends are kept.
        let text = """
            qid\tpid\tstatus\ttext
            2\t4339068\ttitled\tAndrogen receptor The androgen receptor (AR) is a nuclear receptor.
            1215\t\tuntitled\t In Canada,\u{85} there are 3 levels\u{2028} of government.\u{20}
            300674\t7067032\tcollection\tAn invented passage.\r

            """
        let p = try temporaryFile("devsmall-positives.tsv", text)
        let rows = try MSMarcoDevSmall.readPositives(p)
        #expect(rows == [
            JudgedPositive(qid: "2", pid: "4339068", status: .titled,
                           text: "Androgen receptor The androgen receptor (AR) is a nuclear receptor."),
            JudgedPositive(qid: "1215", pid: nil, status: .untitled,
                           text: " In Canada,\u{85} there are 3 levels\u{2028} of government. "),
            JudgedPositive(qid: "300674", pid: "7067032", status: .collection, text: "An invented passage."),
        ])
        // A header alone is a valid, empty file.
        #expect(try MSMarcoDevSmall.readPositives(try temporaryFile("devsmall-header-only.tsv",
                                                                     MSMarcoDevSmall.positivesHeader + "\n")).isEmpty)
    }

    @Test func bm25Parse() throws {
        // Two queries, interleaved, one of them out of rank order in the file.
        let text = """
            qid\tpid\trank\tlabel\ttext
            9083\t7067274\t2\t1\tTRUE. Hippocrates is considered the father of modern medicine.
            17\t10\t1\t0\tA passage of query 17.
            9083\t4429824\t1\t0\tWho was Hippocrates?
            9083\t5\t3\t0\t\u{20} spaces kept \u{20}
            """  // no final newline: the last line still counts
        let p = try temporaryFile("devsmall-bm25.tsv", text)
        let a = BM25Candidate(qid: "9083", pid: "7067274", rank: 2, label: 1,
                              text: "TRUE. Hippocrates is considered the father of modern medicine.")
        let b = BM25Candidate(qid: "17", pid: "10", rank: 1, label: 0, text: "A passage of query 17.")
        let c = BM25Candidate(qid: "9083", pid: "4429824", rank: 1, label: 0, text: "Who was Hippocrates?")
        let d = BM25Candidate(qid: "9083", pid: "5", rank: 3, label: 0, text: "  spaces kept  ")
        #expect(try MSMarcoDevSmall.readBM25Candidates(p) == [a, b, c, d])
        var lines: [Int] = []
        try MSMarcoDevSmall.forEachBM25Candidate(p) { _, n in lines.append(n) }
        #expect(lines == [2, 3, 4, 5])
        #expect(try MSMarcoDevSmall.readBM25Lists(p) == [BM25CandidateList(qid: "9083", candidates: [c, a, d]),
                                                          BM25CandidateList(qid: "17", candidates: [b])])
    }

    /// Each kind of bad input, with the line it must be reported at and a piece of the expectation.
    @Test func badInputsNameFileAndLine() throws {
        let ph = MSMarcoDevSmall.positivesHeader, bh = MSMarcoDevSmall.bm25Header
        let positives: [(String, String, Int, String)] = [
            ("wrong header", "qid\tpid\ttext\n1\t2\tx\n", 1, "the header line 'qid\tpid\tstatus\ttext'"),
            ("header with spaces", "qid pid status text\n", 1, "the header line"),
            ("missing header", "1\t2\ttitled\tx\n", 1, "the header line"),
            ("empty file", "", 1, "the header line"),
            ("3 fields", "\(ph)\n1\t2\ttitled\tx\n3\ttitled\ty\n", 3, "4 tab-separated fields (qid, pid, status, text)"),
            ("5 fields", "\(ph)\n1\t2\ttitled\tx\ty\n", 2, "4 tab-separated fields"),
            ("empty line", "\(ph)\n1\t2\ttitled\tx\n\n", 3, "4 tab-separated fields"),
            ("bad status", "\(ph)\n1\t2\tTitled\tx\n", 2, "status (field 3) collection, untitled or titled"),
            ("empty status", "\(ph)\n1\t2\t\tx\n", 2, "status (field 3)"),
            ("empty qid", "\(ph)\n\t2\ttitled\tx\n", 2, "a non-empty qid"),
            ("empty text", "\(ph)\n1\t2\ttitled\t\n", 2, "a non-blank text"),
            ("blank text", "\(ph)\n1\t2\ttitled\tx\n1\t2\ttitled\t   \n", 3, "a non-blank text"),
        ]
        for (name, text, line, expected) in positives {
            let p = try temporaryFile("devsmall-bad-positives.tsv", text)
            let e = formatError { _ = try MSMarcoDevSmall.readPositives(p) }
            #expect(e?.file == p && e?.line == line && e?.expected.contains(expected) == true, "\(name): \(String(describing: e))")
        }
        let bm25: [(String, String, Int, String)] = [
            ("wrong header", "qid\tpid\trank\tscore\ttext\n", 1, "the header line 'qid\tpid\trank\tlabel\ttext'"),
            ("positives header", "\(ph)\n", 1, "the header line"),
            ("missing header", "1\t2\t1\t0\tx\n", 1, "the header line"),
            ("empty file", "", 1, "the header line"),
            ("4 fields", "\(bh)\n1\t2\t1\tx\n", 2, "5 tab-separated fields (qid, pid, rank, label, text)"),
            ("6 fields", "\(bh)\n1\t2\t1\t0\tx\n1\t3\t2\t0\tx\ty\n", 3, "5 tab-separated fields"),
            ("empty qid", "\(bh)\n\t2\t1\t0\tx\n", 2, "a non-empty qid"),
            ("empty pid", "\(bh)\n1\t\t1\t0\tx\n", 2, "a non-empty pid"),
            ("rank 0", "\(bh)\n1\t2\t0\t0\tx\n", 2, "rank (field 3) a positive integer"),
            ("negative rank", "\(bh)\n1\t2\t-1\t0\tx\n", 2, "rank (field 3)"),
            ("signed rank", "\(bh)\n1\t2\t+1\t0\tx\n", 2, "rank (field 3)"),
            ("word rank", "\(bh)\n1\t2\tone\t0\tx\n", 2, "rank (field 3)"),
            ("empty rank", "\(bh)\n1\t2\t\t0\tx\n", 2, "rank (field 3)"),
            ("decimal label", "\(bh)\n1\t2\t1\t0.5\tx\n", 2, "label (field 4) a non-negative integer"),
            ("negative label", "\(bh)\n1\t2\t1\t-1\tx\n", 2, "label (field 4)"),
            ("word label", "\(bh)\n1\t2\t1\ttrue\tx\n", 2, "label (field 4)"),
            ("empty label", "\(bh)\n1\t2\t1\t\tx\n", 2, "label (field 4)"),
            ("empty text", "\(bh)\n1\t2\t1\t0\t\n", 2, "a non-blank text"),
        ]
        for (name, text, line, expected) in bm25 {
            let p = try temporaryFile("devsmall-bad-bm25.tsv", text)
            let e = formatError { _ = try MSMarcoDevSmall.readBM25Candidates(p) }
            #expect(e?.file == p && e?.line == line && e?.expected.contains(expected) == true, "\(name): \(String(describing: e))")
            // The grouping reader reports the same error.
            #expect(formatError { _ = try MSMarcoDevSmall.readBM25Lists(p) } == e, "\(name)")
        }
        // The message names the file and the line, and shows what was found.
        let p = try temporaryFile("devsmall-bad-status.tsv", "\(ph)\n7\t\tTITLED\tx\n")
        #expect(formatError { _ = try MSMarcoDevSmall.readPositives(p) }?.description
                == "\(p):2: expected status (field 3) collection, untitled or titled, found 'TITLED'")
        #expect(formatError { _ = try MSMarcoDevSmall.readPositives("/nonexistent/positives.tsv") }?.line == 0)
    }

    @Test func rankGapsAndDuplicates() throws {
        let h = MSMarcoDevSmall.bm25Header
        let cases: [(String, String, Int, String)] = [
            ("gap", "\(h)\n1\ta\t1\t0\tx\n1\tb\t2\t0\tx\n1\tc\t4\t0\tx\n", 4, "without gaps (rank 3 next)"),
            ("no rank 1", "\(h)\n5\ta\t1\t0\tx\n1\tb\t2\t0\tx\n1\tc\t3\t0\tx\n", 3, "ranks of query 1 to run 1…n"),
            ("duplicate", "\(h)\n1\ta\t1\t0\tx\n1\tb\t2\t0\tx\n1\tc\t2\t0\tx\n", 4, "without duplicates (rank 2 already seen)"),
            ("duplicate, earlier in the file", "\(h)\n1\tc\t2\t0\tx\n1\ta\t1\t0\tx\n1\tb\t2\t0\tx\n", 4, "without duplicates"),
            ("second query", "\(h)\n1\ta\t1\t0\tx\n2\ta\t1\t0\tx\n1\tb\t2\t0\tx\n2\tb\t3\t0\tx\n", 5, "ranks of query 2"),
        ]
        for (name, text, line, expected) in cases {
            let p = try temporaryFile("devsmall-ranks.tsv", text)
            #expect(try MSMarcoDevSmall.readBM25Candidates(p).count == text.split(separator: "\n").count - 1, "\(name)")
            let e = formatError { _ = try MSMarcoDevSmall.readBM25Lists(p) }
            #expect(e?.file == p && e?.line == line && e?.expected.contains(expected) == true, "\(name): \(String(describing: e))")
        }
    }

    // MARK: properties

    static var positiveGen: Gen<JudgedPositive> {
        Gen.zip(Gen.zip(Gen.int(in: 0...1_200_000), Gen.int(in: -3_000_000...9_000_000)),  // a quarter without pid
                Gen.element(of: JudgedPositive.Status.allCases), textGen)
            .map { ids, status, text in
                JudgedPositive(qid: "\(ids.0)", pid: ids.1 < 0 ? nil : "\(ids.1)", status: status, text: text)
            }
    }

    static var candidateGen: Gen<BM25Candidate> {
        Gen.zip(Gen.zip(Gen.int(in: 0...1_200_000), Gen.int(in: 0...9_000_000)),
                Gen.zip(Gen.int(in: 1...1000), Gen.int(in: 0...3)), textGen)
            .map { ids, rl, text in BM25Candidate(qid: "\(ids.0)", pid: "\(ids.1)", rank: rl.0, label: rl.1, text: text) }
    }

    @Test func randomFilesRoundTrip() throws {
        propertyCheck(Gen.array(of: Self.positiveGen, count: 0...20), cases: 60) { rows in
            let p = try temporaryFile("devsmall-rt-positives.tsv", tsv(MSMarcoDevSmall.positivesHeader, rows.map(positiveFields)))
            let back = try MSMarcoDevSmall.readPositives(p)
            try require(back == rows, "\(back) ≠ \(rows)")
        }
        propertyCheck(Gen.array(of: Self.candidateGen, count: 0...20), cases: 60) { rows in
            let p = try temporaryFile("devsmall-rt-bm25.tsv", tsv(MSMarcoDevSmall.bm25Header, rows.map(candidateFields)))
            let back = try MSMarcoDevSmall.readBM25Candidates(p)
            try require(back == rows, "\(back) ≠ \(rows)")
        }
    }

    /// One corrupted row in an otherwise valid random file is reported at its own line (row k is line k + 2).
    @Test func oneBadRowIsReportedAtItsLine() throws {
        typealias Corruption = (name: String, apply: ([String]) -> [String], expected: String)
        func set(_ i: Int, _ v: String) -> ([String]) -> [String] { { f in var f = f; f[i] = v; return f } }
        let dropLast: ([String]) -> [String] = { Array($0.dropLast()) }, addField: ([String]) -> [String] = { $0 + ["x"] }
        let positives: [Corruption] = [
            ("too few fields", dropLast, "4 tab-separated fields"), ("too many fields", addField, "4 tab-separated fields"),
            ("status", set(2, "relevant"), "status (field 3)"), ("status case", set(2, "Collection"), "status (field 3)"),
            ("qid", set(0, ""), "a non-empty qid"), ("text", set(3, ""), "a non-blank text"), ("blank", set(3, " "), "a non-blank text"),
        ]
        let candidates: [Corruption] = [
            ("too few fields", dropLast, "5 tab-separated fields"), ("too many fields", addField, "5 tab-separated fields"),
            ("qid", set(0, ""), "a non-empty qid"), ("pid", set(1, ""), "a non-empty pid"),
            ("rank 0", set(2, "0"), "rank (field 3)"), ("rank -3", set(2, "-3"), "rank (field 3)"),
            ("rank 2.0", set(2, "2.0"), "rank (field 3)"), ("rank x", set(2, "x"), "rank (field 3)"),
            ("label 1.0", set(3, "1.0"), "label (field 4)"), ("label -1", set(3, "-1"), "label (field 4)"),
            ("label yes", set(3, "yes"), "label (field 4)"), ("label empty", set(3, ""), "label (field 4)"),
            ("text", set(4, ""), "a non-blank text"),
        ]
        let choice = Gen.zip(Gen.int(in: 0...999), Gen.int(in: 0...999))
        propertyCheck(Gen.zip(Gen.array(of: Self.positiveGen, count: 1...15), choice), cases: 80) { rows, c in
            let k = c.0 % rows.count, corruption = positives[c.1 % positives.count]
            var fields = rows.map(positiveFields)
            fields[k] = corruption.apply(fields[k])
            let p = try temporaryFile("devsmall-corrupt-positives.tsv", tsv(MSMarcoDevSmall.positivesHeader, fields))
            let e = formatError { _ = try MSMarcoDevSmall.readPositives(p) }
            try require(e?.line == k + 2 && e?.expected.contains(corruption.expected) == true,
                        "\(corruption.name) at row \(k): \(String(describing: e))")
        }
        propertyCheck(Gen.zip(Gen.array(of: Self.candidateGen, count: 1...15), choice), cases: 120) { rows, c in
            let k = c.0 % rows.count, corruption = candidates[c.1 % candidates.count]
            var fields = rows.map(candidateFields)
            fields[k] = corruption.apply(fields[k])
            let p = try temporaryFile("devsmall-corrupt-bm25.tsv", tsv(MSMarcoDevSmall.bm25Header, fields))
            let e = formatError { _ = try MSMarcoDevSmall.readBM25Candidates(p) }
            try require(e?.line == k + 2 && e?.expected.contains(corruption.expected) == true,
                        "\(corruption.name) at row \(k): \(String(describing: e))")
        }
    }

    /// Random interleaved lists with ranks 1…n per query (file order shuffled) group back into rank order; deleting a
    /// row that is not a query's last rank is a gap reported at the row ranked next, and a copied row is a duplicate
    /// reported at the copy's line.
    @Test func groupingProperties() throws {
        // Each element: which of 4 queries the next row belongs to; a shuffle key per row.
        let gen = Gen.zip(Gen.array(of: Gen.zip(Gen.int(in: 0...3), Gen.int(in: 0...1_000_000)), count: 1...30),
                          Gen.int(in: 0...999), Gen.bool)
        propertyCheck(gen, cases: 100) { picks, choice, copy in
            var next = [Int](repeating: 1, count: 4)
            var rows: [(BM25Candidate, key: Int)] = []
            for (i, (q, key)) in picks.enumerated() {
                rows.append((BM25Candidate(qid: "q\(q)", pid: "p\(i)", rank: next[q], label: i % 2, text: "text \(i)"), key))
                next[q] += 1
            }
            let file = rows.sorted { ($0.key, $0.0.pid) < ($1.key, $1.0.pid) }.map(\.0)  // ranks out of order in the file
            let p = try temporaryFile("devsmall-groups.tsv", tsv(MSMarcoDevSmall.bm25Header, file.map(candidateFields)))
            let lists = try MSMarcoDevSmall.readBM25Lists(p)
            var firstSeen: [String] = []
            for c in file where !firstSeen.contains(c.qid) { firstSeen.append(c.qid) }
            try require(lists.map(\.qid) == firstSeen, "query order \(lists.map(\.qid)) ≠ \(firstSeen)")
            for l in lists {
                try require(l.candidates.map(\.rank) == Array(1...l.candidates.count), "ranks of \(l.qid)")
                try require(l.candidates == file.filter { $0.qid == l.qid }.sorted { $0.rank < $1.rank }, "rows of \(l.qid)")
            }
            let k = choice % file.count, victim = file[k]
            let size = lists.first { $0.qid == victim.qid }!.candidates.count
            if copy {
                // A copy of row k at the end of the file: the duplicate is the copy (the last line).
                let q = try temporaryFile("devsmall-groups-dup.tsv",
                                          tsv(MSMarcoDevSmall.bm25Header, (file + [victim]).map(candidateFields)))
                let e = formatError { _ = try MSMarcoDevSmall.readBM25Lists(q) }
                try require(e?.line == file.count + 2 && e?.expected.contains("without duplicates") == true,
                            "copy of row \(k): \(String(describing: e))")
            } else if victim.rank < size {
                var rest = file
                rest.remove(at: k)
                let q = try temporaryFile("devsmall-groups-gap.tsv", tsv(MSMarcoDevSmall.bm25Header, rest.map(candidateFields)))
                let nextRow = rest.firstIndex { $0.qid == victim.qid && $0.rank == victim.rank + 1 }!
                let e = formatError { _ = try MSMarcoDevSmall.readBM25Lists(q) }
                try require(e?.line == nextRow + 2 && e?.expected.contains("without gaps (rank \(victim.rank) next)") == true,
                            "row \(k) removed: \(String(describing: e))")
            }
        }
    }

    // MARK: the real files

    static let folder = Paths.shared + "/msmarco-passage-dev-small"
    static var realFilesAvailable: Bool {
        ["positives.tsv", "bm25-top20.tsv", "queries.tsv"].allSatisfy { FileManager.default.fileExists(atPath: folder + "/" + $0) }
    }

    @Test(.enabled(if: realFilesAvailable, "needs ../shared/data/msmarco-passage-dev-small/{positives,bm25-top20,queries}.tsv"))
    func realFiles() throws {
        let positives = try MSMarcoDevSmall.readPositives(Self.folder + "/positives.tsv")
        #expect(positives.count == 6_980)
        var byStatus: [JudgedPositive.Status: Int] = [:]
        for p in positives { byStatus[p.status, default: 0] += 1 }
        #expect(byStatus == [.collection: 1_120, .untitled: 1_627, .titled: 4_233])
        #expect(positives.filter { $0.pid == nil }.count == 328)
        // One row per query, and the queries are dev-small's.
        let queries = Set(try MSMarco.readRecords(Self.folder + "/queries.tsv").map(\.id))
        #expect(Set(positives.map(\.qid)) == queries && queries.count == 6_980)

        let candidates = try MSMarcoDevSmall.readBM25Candidates(Self.folder + "/bm25-top20.tsv")
        #expect(candidates.count == 12_000)
        #expect(Set(candidates.map(\.pid)).count == 11_809)
        #expect(candidates.allSatisfy { $0.label == 0 || $0.label == 1 })
        let lists = try MSMarcoDevSmall.readBM25Lists(Self.folder + "/bm25-top20.tsv")
        #expect(lists.count == 600 && lists.allSatisfy { $0.candidates.count == 20 })
        #expect(lists.filter { $0.candidates.contains { $0.label >= 1 } }.count == 540)
        #expect(lists.allSatisfy { queries.contains($0.qid) })
    }
}
