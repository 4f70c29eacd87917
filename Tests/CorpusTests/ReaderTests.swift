// Every reader on a small fixture (worked examples), on malformed input (the error names file, line, expectation),
// and on the real files in ../shared/data (counts from data/README.md).
import Foundation
import PropertyTesting
import Testing
@testable import Corpus

@Suite struct ReaderTests {
    @Test func msmarco() throws {
        let c = try MSMarco.readRecords(Paths.fixture("collection.tsv"))
        #expect(c.count == 2 && c[1].id == "1" && c[1].text.hasPrefix("The second invented passage"))
        var triples: [Triple] = []
        try MSMarco.forEachTriple(Paths.fixture("triples.tsv")) { triples.append($0) }
        #expect(triples == [Triple(query: "what is x", positive: "x is a letter", negative: "y is not")])
        let bad = try temporaryFile("bad.tsv", "1\tok\n2 no tab here\n")
        do { _ = try MSMarco.readRecords(bad); Issue.record("no error") } catch let e as DataFormatError {
            #expect(e.file == bad && e.line == 2 && e.expected.contains("2 tab-separated fields"))
        }
    }

    @Test func teacherScores() throws {
        let rows = try TeacherScores.readAll(Paths.fixture("teacher-scores.tsv"))
        #expect(rows == [TeacherScoreRow(posScore: 12.5, negScore: -3.25, qid: 1185869, posPid: 0, negPid: 1),
                         TeacherScoreRow(posScore: 0.001, negScore: 2, qid: 42, posPid: 7, negPid: 8)])
        #expect(rows[0].margin == 15.75)
        for (text, line) in [("1\t2\t3\t4\t5\n1\t2\t3\t4\tx\n", 2), ("1\t2\t3\t4\t5\t6\n", 1), ("a\t2\t3\t4\t5\n", 1), ("1\t2\t3.5\t4\t5\n", 1)] {
            let p = try temporaryFile("bad-scores.tsv", text)
            do { _ = try TeacherScores.readAll(p); Issue.record("no error for \(text)") } catch let e as DataFormatError {
                #expect(e.line == line && e.description.contains("bad-scores.tsv:\(line): expected 5 tab-separated fields"))
            }
        }
    }

    @Test func teacherScoresRoundTrip() throws {
        let gen = Gen.array(of: Gen.zip(.gaussian(scale: 10), .gaussian(scale: 10), .int(in: 0...9_000_000)), count: 0...50)
        propertyCheck(gen, cases: 30) { rows in
            let want = rows.map { TeacherScoreRow(posScore: $0.0, negScore: $0.1, qid: $0.2, posPid: $0.2 / 3, negPid: $0.2 / 7) }
            let text = want.map { "\($0.posScore)\t\($0.negScore)\t\($0.qid)\t\($0.posPid)\t\($0.negPid)\n" }.joined()
            let p = try temporaryFile("rt-scores.tsv", text)
            try require(try TeacherScores.readAll(p) == want, "round trip changed the rows")
        }
    }

    @Test func numberParsingEqualsStrtod() {
        let digits = Gen.string(from: Array("0123456789".unicodeScalars), count: 1...20)
        propertyCheck(Gen.zip(digits, digits, Gen.int(in: -40...40)), cases: 300) { a, b, e in
            for s in ["\(a).\(b)", "-\(a)", "\(a)e\(e)", "-0.\(b)E\(e)", ".\(b)"] {
                let bytes = Array(s.utf8)
                let v = bytes.withUnsafeBufferPointer { Fields.double($0, 0..<bytes.count) }
                try require(v == Double(s), "\(s): \(String(describing: v)) ≠ \(String(describing: Double(s)))")
            }
        }
        for s in ["", "-", "1.2.3", "e5", "1e", "12a"] {
            let bytes = Array(s.utf8)
            #expect(bytes.withUnsafeBufferPointer { Fields.double($0, 0..<bytes.count) } == nil, "\(s)")
        }
    }

    @Test func lineReaderAcrossChunkBoundaries() throws {
        propertyCheck(Gen.zip(Gen.array(of: Gen.messyText(count: 0...30), count: 0...30), Gen.int(in: 1...17), Gen.bool),
                      cases: 60) { lines, chunk, trailingNewline in
            let clean = lines.map { $0.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ") }
            var text = clean.joined(separator: "\n")
            if trailingNewline && !clean.isEmpty { text += "\n" }
            let p = try temporaryFile("lines.txt", text)
            var got: [String] = [], numbers: [Int] = []
            try LineReader.forEachLine(p, chunkSize: chunk) { l, n in got.append(String(decoding: l, as: UTF8.self)); numbers.append(n) }
            // A final "\n" ends the last line; it does not start an empty one.
            var want = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if text.isEmpty || text.hasSuffix("\n") { want.removeLast() }
            try require(got == want, "\(got) ≠ \(want)")
            try require(numbers == Array(1...max(1, got.count)).prefix(got.count).map { $0 }, "line numbers \(numbers)")
        }
        #expect(throws: DataFormatError.self) { try LineReader.forEachLine("/nonexistent/file") { _, _ in } }
    }

    @Test func trecSGML() throws {
        let docs = try TrecSGML.readDocuments(Paths.fixture("docs.trec"))
        #expect(docs == [TextRecord(id: "1", text: "compact memories have flexible capacities a digital data storage system"),
                         TextRecord(id: "2", text: "an electronic analogue computer")])
        let topics = try TrecSGML.readTopics(Paths.fixture("topics.trec"))
        #expect(topics == [TextRecord(id: "1", text: "MEASUREMENT OF DIELECTRIC CONSTANT"),
                           TextRecord(id: "301", text: "International Organized Crime")])
        let bad = try temporaryFile("bad.trec", "<DOC>\n<DOCNO>1</DOCNO>\ntext\n<DOC>\n")
        do { _ = try TrecSGML.readDocuments(bad); Issue.record("no error") } catch let e as DataFormatError {
            #expect(e.line == 1 && e.expected.contains("</DOC>"))
        }
    }

    @Test func cranfield() throws {
        let docs = try Cranfield.readDocuments(Paths.fixture("cran.docs"))
        #expect(docs.map(\.id) == ["1", "2"])
        #expect(docs[0].text == "experimental investigation of the aerodynamics of a wing in a slipstream . an experimental study of a wing .")
        let q = try Cranfield.readQueries(Paths.fixture("cran.qry"))
        #expect(q == [TextRecord(id: "1", text: "what similarity laws must be obeyed when constructing aeroelastic models ."),
                      TextRecord(id: "2", text: "what problems of heat conduction .")])
        let j = try Cranfield.readQrels(Paths.fixture("cranqrel"))
        #expect(j == [Judgement(qid: "1", docid: "184", relevance: 3), Judgement(qid: "1", docid: "29", relevance: 0),
                      Judgement(qid: "2", docid: "12", relevance: 1)])
        let bad = try temporaryFile("badqrel", "1 2 3\n1 2 7\n")
        do { _ = try Cranfield.readQrels(bad); Issue.record("no error") } catch let e as DataFormatError { #expect(e.line == 2) }
    }

    @Test func csvAndSciFact() throws {
        let docs = try SciFact.readCorpus(Paths.fixture("scifact.csv"))
        #expect(docs == [TextRecord(id: "4983", text: "Microstructural development, in vivo. Alterations of the architecture. A line scan, \"diffusion\" sequence. It's structured."),
                         TextRecord(id: "5836", text: "Induction of myelodysplasia One sentence. Two sentences.")])
        #expect(CSV.pythonStringList("['a\\'b' \"c\"]") == ["a'b", "c"])
        #expect(CSV.pythonStringList("[]") == [])
        #expect(CSV.pythonStringList("['unterminated]") == nil)
        let bad = try temporaryFile("bad.csv", "a,b\n1,\"open\n2,3\n")
        do { _ = try CSV.read(bad); Issue.record("no error") } catch let e as DataFormatError {
            #expect(e.line == 2 && e.expected.contains("closing quote"))
        }
        // Round trip: quote every field, double the quotes.
        propertyCheck(Gen.array(of: Gen.array(of: Gen.messyText(count: 0...12), count: 1...4), count: 1...6), cases: 60) { rows in
            let text = rows.map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
                .joined(separator: "\n") + "\n"
            let p = try temporaryFile("rt.csv", text)
            let back = try CSV.read(p)
            // Quoted fields keep \r\n as written; compare after the same normalisation the writer did not do.
            try require(back == rows, "\(back) ≠ \(rows)")
        }
    }

    @Test func jsonLines() throws {
        #expect(try JSONLines.readBEIRCorpus(Paths.fixture("corpus.jsonl")) ==
                [TextRecord(id: "d1", text: "T body one"), TextRecord(id: "d2", text: "body two")])
        #expect(try JSONLines.readBEIRQueries(Paths.fixture("queries.jsonl")) == [TextRecord(id: "q1", text: "what is one")])
        #expect(try JSONLines.readBEIRQrels(Paths.fixture("qrels-beir.tsv")) == [Judgement(qid: "q1", docid: "d1", relevance: 1)])
        let ex = try JSONLines.readFlagEmbedding(Paths.fixture("flagembedding.jsonl"))
        #expect(ex == [ScoredExample(query: "q", positives: ["p"], negatives: ["n1", "n2"], positiveScores: [9.5], negativeScores: [1.25, -2])])
        let bad = try temporaryFile("bad.jsonl", "{\"query\": \"q\", \"pos\": [\"p\"], \"neg\": [], \"pos_scores\": [], \"neg_scores\": []}\n")
        do { _ = try JSONLines.readFlagEmbedding(bad); Issue.record("no error") } catch let e as DataFormatError {
            #expect(e.line == 1 && e.expected.contains("one score per passage"))
        }
    }

    @Test func formatDetection() throws {
        #expect(try TextFormat.detect(Paths.fixture("cran.docs")) == .cranfield)
        #expect(try TextFormat.detect(Paths.fixture("docs.trec")) == .trecDocuments)
        #expect(try TextFormat.detect(Paths.fixture("topics.trec")) == .trecTopics)
        #expect(try TextFormat.detect(Paths.fixture("scifact.csv")) == .scifact)
        #expect(try TextFormat.detect(Paths.fixture("corpus.jsonl")) == .jsonl)
        #expect(try TextFormat.detect(Paths.fixture("collection.tsv")) == .tsv)
        #expect(try TextFiles.readJudgements(Paths.fixture("cranqrel")).count == 3)
        #expect(try TextFiles.readJudgements(Paths.fixture("qrels-beir.tsv")).count == 1)
    }

    @Test func dataDirectoryResolution() throws {
        let dir = (try temporaryFile("marker", "") as NSString).deletingLastPathComponent
        #expect(try DataDirectory.resolve(explicit: dir, environment: [:], packageRoot: "/nonexistent") == dir)
        #expect(try DataDirectory.resolve(explicit: nil, environment: ["RANKER_DATA": dir], packageRoot: "/nonexistent") == dir)
        #expect(throws: DataFormatError.self) { try DataDirectory.resolve(explicit: "/nonexistent/data", environment: [:]) }
        #expect(try DataDirectory.resolve(explicit: nil, environment: ["RANKER_CACHE": "/nonexistent/c"], packageRoot: "/nonexistent") == nil)
        let c = DataDirectory.candidates(explicit: "/x", environment: ["RANKER_DATA": "/y", "RANKER_CACHE": "/z"], packageRoot: "/p")
        #expect(c.map(\.source) == ["--data", "RANKER_DATA", "../shared/data", "cache"])
        #expect(c.map(\.path) == ["/x", "/y", "/p/../shared/data", "/z"])
    }

    @Test(.enabled(if: SharedData.available, "needs ../shared/data"))
    func realFiles() throws {
        let d = Paths.shared
        var n = 0
        try MSMarco.forEachRecord(d + "/msmarco-passage-trec-dl/dl19/collection.tsv") { _ in n += 1 }
        #expect(n == 9_383)
        #expect(try MSMarco.readRecords(d + "/msmarco-passage-trec-dl/dl20/queries.tsv").count == 54)
        #expect(try MSMarco.readRecords(d + "/msmarco-passage-dev-small/queries.tsv").count == 6_980)
        #expect(try Cranfield.readDocuments(d + "/cranfield/cran.all.1400").count == 1_400)
        let cq = try Cranfield.readQueries(d + "/cranfield/cran.qry")
        #expect(cq.count == 225 && cq.last?.id == "225")
        #expect(try Cranfield.readQrels(d + "/cranfield/cranqrel").count == 1_837)
        #expect(try TrecSGML.readDocuments(d + "/vaswani/doc-text.trec").count == 11_429)
        #expect(try TrecSGML.readTopics(d + "/vaswani/query-text.trec").count == 93)
        let sf = try SciFact.readCorpus(d + "/scifact/corpus_train.csv")
        #expect(sf.count == 5_183 && sf.allSatisfy { !$0.text.isEmpty })
        #expect(try CSV.readTable(d + "/scifact/claims_test.csv").count == 300)
        let fe = try JSONLines.readFlagEmbedding(d + "/msmarco-train-sample/flagembedding-msmarco.jsonl")
        #expect(fe.count == 10 && fe.allSatisfy { $0.positives.count == 1 && $0.negatives.count == 25 })
    }
}

@Suite struct SyntheticCollectionTests {
    @Test func deterministicAndWellFormed() {
        let a = SyntheticCollection.generate(seed: 7), b = SyntheticCollection.generate(seed: 7)
        let c = SyntheticCollection.generate(seed: 8)
        #expect(a == b)
        #expect(a.documents != c.documents)
        #expect(a.documents.count == 8 * 25 && a.queries.count == 8 * 4)
        let docIds = Set(a.documents.map(\.id)), qIds = Set(a.queries.map(\.id))
        #expect(docIds.count == a.documents.count && qIds.count == a.queries.count)
        #expect(a.judgements.allSatisfy { docIds.contains($0.docid) && qIds.contains($0.qid) })
        #expect(a.triples.allSatisfy { docIds.contains($0.positive) && docIds.contains($0.negative) && $0.positive != $0.negative })
        // The grade-2 document of each query contains every query word.
        let text = Dictionary(uniqueKeysWithValues: a.documents.map { ($0.id, Set($0.text.split(separator: " "))) })
        for j in a.judgements where j.relevance == 2 {
            let q = a.queries.first { $0.id == j.qid }!
            #expect(q.text.split(separator: " ").allSatisfy { text[j.docid]!.contains($0) })
        }
    }
}

@Suite struct RankLLMTests {
    @Test func readsCandidateLists() throws {
        let r = try RankLLM.read(Paths.fixture("rank_llm.json"))
        #expect(r.count == 2)
        #expect(r[0].query == TextRecord(id: "1037798", text: "what is a lobster roll"))
        #expect(r[0].candidates == [Candidate(docid: "7130104", score: 12.5, text: "A lobster roll is a sandwich."),
                                    Candidate(docid: "42", score: 3, text: "Maine Lobsters live here.")])
        #expect(r[1].candidates.isEmpty && r[1].query.id == "q2")
        let bad = try temporaryFile("bad-rankllm.json", "[{\"query\": {\"text\": \"x\", \"qid\": 1}, \"candidates\": [{\"docid\": \"a\"}]}]")
        do { _ = try RankLLM.read(bad); Issue.record("no error") } catch let e as DataFormatError {
            #expect(e.expected.contains("candidate 1: docid and score"))
        }
    }
}
