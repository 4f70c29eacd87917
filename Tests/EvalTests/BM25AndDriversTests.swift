// BM25 on a hand-checkable collection, the analyser, re-ranking with a closure scorer, exact dense retrieval against
// brute force, and the measurement helpers.
import Corpus
import Foundation
import PropertyTesting
import Testing
@testable import Eval

@Suite struct BM25AndDriversTests {
    @Test func analyser() {
        let a = Analyzer()
        #expect(a.terms("The Quick-brown fox's I/O, x 42 is_ok!") == ["quick", "brown", "fox", "42", "is_ok"])
        #expect(a.terms("Überraschung für Ærø") == ["überraschung", "für", "ærø"])
        #expect(a.terms("") == [])
    }

    @Test func bm25WorkedExample() throws {
        // N = 3; "cat" in d1 (tf 2, |d| 3) and d3 (tf 1, |d| 2); avgdl = 7/3.
        let docs = [("d1", "cat cat dog"), ("d2", "dog bird"), ("d3", "cat bird")]
        let idx = BM25Index(documents: docs)
        let s = idx.scores("cat")
        let idf = log(1 + (3 - 2 + 0.5) / (2 + 0.5))
        let avg = 7.0 / 3
        let s1 = idf * 2 / (2 + 0.9 * (1 - 0.4 + 0.4 * 3 / avg))
        let s3 = idf * 1 / (1 + 0.9 * (1 - 0.4 + 0.4 * 2 / avg))
        try requireClose(Double(s[0]), s1, atol: 1e-6); try requireClose(Double(s[2]), s3, atol: 1e-6)
        #expect(s[1] == 0)
        #expect(idx.search("cat", k: 10).map(\.docid) == ["d1", "d3"])
        #expect(idx.search("unknown words", k: 10).isEmpty)
    }

    @Test func topKEqualsFullSort() {
        propertyCheck(Gen.zip(Gen.array(of: .int(in: 0...5), count: 0...60), Gen.int(in: 0...70))) { scores, k in
            let top = TopK.select(scores.count, k: k, score: { Float(scores[$0]) }, before: { $0 < $1 })
            let full = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
            try require(top == Array(full.prefix(k)), "top-\(k) \(top) ≠ \(Array(full.prefix(k)))")
        }
    }

    @Test func rerankWithAClosure() throws {
        let candidates = Run(["q1": [ScoredDoc("a", 3), ScoredDoc("b", 2), ScoredDoc("c", 1)]])
        let passages = ["a": "x", "b": "xxx", "c": "xx"]
        var calls = 0
        let r = try Reranking.rerank(candidates: candidates, queries: ["q1": "query"], passages: passages,
                                     depth: 3, batchSize: 2) { _, ps in calls += 1; return ps.map { Float($0.count) } }
        #expect(r.ranked("q1").map(\.docid) == ["b", "c", "a"])
        #expect(calls == 2)
        #expect(throws: RerankError.self) {
            try Reranking.rerank(candidates: candidates, queries: [:], passages: passages) { _, ps in ps.map { _ in 0 } }
        }
        #expect(throws: RerankError.self) {
            try Reranking.rerank(candidates: candidates, queries: ["q1": "q"], passages: passages) { _, _ in [1] }
        }
    }

    @Test func denseSearchEqualsBruteForce() {
        propertyCheck(Gen.zip(Gen.int(in: 1...40), Gen.int(in: 1...70), Gen.int(in: 1...12)), cases: 40) { nd, dim, k in
            var g = SeededGenerator(seed: UInt64(nd * 1000 + dim))
            func f() -> Float { Float(Int(g.next() % 7)) - 3 }  // small integers: exact sums, many ties
            let docs = (0..<(nd * dim)).map { _ in f() }, qs = (0..<(3 * dim)).map { _ in f() }
            let res = DenseRetrieval.search(queries: qs, queryCount: 3, documents: docs, documentCount: nd, dim: dim,
                                            k: k, queryBatch: 2)
            for qi in 0..<3 {
                let s = (0..<nd).map { d in (0..<dim).reduce(Float(0)) { $0 + qs[qi * dim + $1] * docs[d * dim + $1] } }
                let want = (0..<nd).sorted { s[$0] != s[$1] ? s[$0] > s[$1] : $0 < $1 }.prefix(k)
                try require(res[qi].map(\.index) == Array(want), "query \(qi): \(res[qi].map(\.index)) ≠ \(Array(want))")
            }
        }
    }

    /// Documents added in blocks of any sizes, at their offsets, keep the top k one search over all of them keeps
    /// (ties by lower index across blocks too).
    @Test func denseTopKOverBlocksEqualsOneSearch() {
        propertyCheck(Gen.zip(Gen.int(in: 1...60), Gen.int(in: 1...20), Gen.int(in: 0...15)), cases: 40) { nd, dim, k in
            var g = SeededGenerator(seed: UInt64(nd * 7919 + dim * 31 + k))
            func f() -> Float { Float(Int(g.next() % 5)) - 2 }   // many ties
            let docs = (0..<(nd * dim)).map { _ in f() }, qs = (0..<(4 * dim)).map { _ in f() }
            let whole = DenseRetrieval.search(queries: qs, queryCount: 4, documents: docs, documentCount: nd, dim: dim, k: k)
            var top = DenseTopK(queries: qs, queryCount: 4, dim: dim, k: min(k, nd))
            var start = 0
            docs.withUnsafeBufferPointer { d in
                while start < nd {
                    let n = min(nd - start, 1 + Int(g.next() % 9))
                    top.add(d.baseAddress! + start * dim, count: n, firstIndex: start, queryBatch: 3)
                    start += n
                }
            }
            let blocks = top.results()
            for qi in 0..<4 {
                try require(blocks[qi].map(\.index) == whole[qi].map(\.index) && blocks[qi].map(\.score) == whole[qi].map(\.score),
                            "query \(qi): \(blocks[qi]) ≠ \(whole[qi])")
            }
        }
    }

    /// A run file read one query at a time gives what `evaluate` gives on the whole run, measure by measure with its
    /// own options; a query whose lines come back after another query's is an error naming the line.
    @Test func evaluatingARunFileQueryByQueryEqualsEvaluatingTheRun() throws {
        propertyCheck(Gen.zip(Gen.int(in: 1...12), Gen.int(in: 1...30)), cases: 30) { queries, depth in
            var g = SeededGenerator(seed: UInt64(queries * 100 + depth))
            var run: [String: [ScoredDoc]] = [:], judged: [String: [String: Int]] = [:]
            for q in 0..<queries {
                run["q\(q)"] = (0..<depth).map { d in ScoredDoc("d\(Int(g.next() % 40))-\(d)", Double(Int(g.next() % 9))) }
                if q % 4 != 3 {   // some queries unjudged
                    var grades: [String: Int] = [:]
                    for _ in 0..<10 { grades["d\(Int(g.next() % 40))-\(Int(g.next() % UInt64(depth)))"] = Int(g.next() % 4) }
                    judged["q\(q)"] = grades
                }
            }
            judged["unretrieved"] = ["x": 2]
            let qrels = Qrels(judged), r = Run(run)
            let path = try temporaryFile("streamed-\(queries)-\(depth).trec", run.keys.sorted().flatMap { q in
                run[q]!.enumerated().map { "\(q) Q0 \($1.docid) \($0 + 1) \($1.score) t\n" } }.joined())
            let specs: [(Measure, EvalOptions)] = [(.ndcgCut(10), EvalOptions()), (.recipRank, EvalOptions(relevanceLevel: 2, maxDocuments: 10)),
                                                   (.recall(1000), EvalOptions(relevanceLevel: 2)), (.map, EvalOptions())]
            let streamed = try TrecEval.evaluateFile(path, qrels: qrels, measures: specs)
            for (i, (m, o)) in specs.enumerated() {
                let whole = TrecEval.evaluate(qrels: qrels, run: r, measures: [m], options: o).value(m) ?? -1
                try requireClose(streamed[i], whole, atol: 1e-12, rtol: 0, "\(m)")
            }
        }
        let scattered = try temporaryFile("scattered.trec", "a Q0 x 1 2 t\nb Q0 y 1 2 t\na Q0 z 2 1 t\n")
        #expect(throws: DataFormatError.self) {
            try TrecEval.evaluateFile(scattered, qrels: Qrels(["a": ["x": 1]]), measures: [(.recipRank, EvalOptions())])
        }
    }

    @Test func measurementHelpers() throws {
        let l = Measurement.latency(warmup: 1, repeats: 9) { _ = (0..<1000).reduce(0, +) }
        #expect(l.samples == 9 && l.min <= l.median && l.median <= l.p90 && l.p90 <= l.max)
        let s = Measurement.summarize([4, 1, 3, 2])
        #expect(s.median == 2.5 && s.p90 == 3.7000000000000002 && s.mean == 2.5)
        #expect(Measurement.peakResidentBytes() > 1_000_000)
        let p = try temporaryFile("size.bin", String(repeating: "x", count: 1234))
        #expect(Measurement.sizeOnDisk(p) == 1234)
        #expect(Measurement.sizeOnDisk((p as NSString).deletingLastPathComponent) >= 1234)
        let e = Measurement.energy { var x = 0.0; for i in 0..<2_000_000 { x += Double(i).squareRoot() }; #expect(x > 0) }
        #expect(e.cpuSeconds > 0 && e.wallSeconds > 0)
        #expect(Measurement.raplJoules(root: "/nonexistent") == nil)
    }

    @Test func latencySamplesUntilRepeatsAndMinimumTime() {
        // A ~1 ms body with a 60 ms minimum: more than the 5 repeats asked for, and the samples add up to ≥ 60 ms.
        var calls = 0
        let l = Measurement.latency(warmup: 2, repeats: 5, minSeconds: 0.06) { calls += 1; usleep(1000) }
        #expect(l.samples > 5 && l.mean * Double(l.samples) >= 0.06, "\(l.samples) samples, mean \(l.mean)")
        #expect(calls == l.samples + 2)
        // The cap wins over the minimum time; the repeats win over both.
        #expect(Measurement.latency(warmup: 0, repeats: 3, minSeconds: 10, maxRepeats: 7) {}.samples == 7)
        #expect(Measurement.latency(warmup: 0, repeats: 12, minSeconds: 10, maxRepeats: 7) {}.samples == 12)
        #expect(Measurement.latency(warmup: 0, repeats: 4) { usleep(100) }.samples == 4)
    }
}

@Suite struct SyntheticBM25Tests {
    /// BM25 finds the documents written for each synthetic query: a smoke-scale sanity check of the whole pipeline.
    @Test func bm25OnTheSyntheticCollection() {
        let s = SyntheticCollection.generate()
        let run = BM25Index(documents: s.documents.map { ($0.id, $0.text) }).run(queries: s.queries.map { ($0.id, $0.text) }, k: 100)
        let e = TrecEval.evaluate(qrels: Qrels(s.judgements), run: run, measures: [.ndcgCut(10), .recipRank],
                                  options: EvalOptions(relevanceLevel: 2))
        #expect(e.queries.count == s.queries.count)
        #expect((e.value(.recipRank) ?? 0) > 0.6, "MRR \(e.value(.recipRank) ?? 0)")
    }
}

@Suite struct PorterStemmerTests {
    @Test func textbookExamples() {
        let cases = ["caresses": "caress", "ponies": "poni", "ties": "ti", "cats": "cat", "feed": "feed", "agreed": "agre",
                     "plastered": "plaster", "motoring": "motor", "sing": "sing", "conflated": "conflat", "hopping": "hop",
                     "falling": "fall", "filing": "file", "happy": "happi", "relational": "relat", "conditional": "condit",
                     "generalization": "gener", "archeology": "archeolog", "is": "is", "Running": "Running", "naïve": "naïve"]
        for (w, s) in cases { #expect(PorterStemmer.stem(w) == s, "\(w)") }
    }

    @Test func equalsNLTKMartinOnTwoVocabularies() throws {
        let lines = try String(contentsOfFile: Paths.fixtures + "/porter.tsv", encoding: .utf8).split(separator: "\n")
        var n = 0, wrong: [String] = []
        for l in lines where !l.hasPrefix("#") {
            let f = l.split(separator: "\t")
            let got = PorterStemmer.stem(String(f[0]))
            if got != f[1] { wrong.append("\(f[0]): \(got) vs \(f[1])") }
            n += 1
        }
        #expect(n > 10_000)
        #expect(wrong.isEmpty, "\(wrong.count) differ, e.g. \(wrong.prefix(10))")
    }
}
