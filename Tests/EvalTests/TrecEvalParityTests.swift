// Parity with trec_eval 9.0.4 itself: every case in Tests/Fixtures/Eval/goldens.json (made by make_goldens.py from
// the real binary) must print byte-for-byte what trec_eval printed; and per-query values must equal ir_measures to
// 1e-6 on queries without tied scores.
import Corpus
import Foundation
import Testing
@testable import Eval

struct GoldenCase: Decodable { let name: String; let qrels: String; let run: String; let args: [String]; let output: String }
struct IrmCase: Decodable { let name: String; let qrels: String; let run: String; let rel: Int; let depth: Int?; let values: [String: [String: Double]] }
struct Goldens: Decodable { let trec_eval: String; let cases: [GoldenCase]; let ir_measures: [IrmCase] }

/// Resolves a golden's file reference the way make_goldens.py does (see its `resolve`).
final class GoldenInputs: @unchecked Sendable {
    static let shared = GoldenInputs()
    private var runs: [String: Run] = [:]
    private let lock = NSLock()

    func qrels(_ ref: String) throws -> Qrels {
        if ref == "cranqrels" { return Qrels(try Cranfield.readQrels(Paths.shared + "/cranfield/cranqrel")) }
        if ref == "cranrawqrels" {  // raw grades, negative ones included
            var j: [String: [String: Int]] = [:]
            for line in try LineReader.lines(Paths.shared + "/cranfield/cranqrel") {
                let f = line.split(separator: " ")
                if f.count == 3 { j[String(f[0]), default: [:]][String(f[1])] = Int(f[2])! }
            }
            return Qrels(j)
        }
        return try Qrels.read(path(ref))
    }

    func path(_ ref: String) -> String {
        if ref.hasPrefix("shared:") { return Paths.shared + "/" + ref.dropFirst(7) }
        if ref.hasPrefix("fixture:") { return Paths.fixtures + "/" + ref.dropFirst(8) }
        fatalError("not a file reference: \(ref)")
    }

    func run(_ ref: String) throws -> Run {
        lock.lock(); defer { lock.unlock() }
        if let r = runs[ref] { return r }
        let r: Run
        if ref.hasPrefix("bm25:") {
            let (c, q) = ["cranfield": ("cranfield/cran.all.1400", "cranfield/cran.qry"),
                          "vaswani": ("vaswani/doc-text.trec", "vaswani/query-text.trec"),
                          "scifact": ("scifact/corpus_train.csv", "scifact/queries.test.tsv")][String(ref.dropFirst(5))]!
            let docs = try TextFiles.read(Paths.shared + "/" + c, queries: false)
            let queries = try TextFiles.read(Paths.shared + "/" + q, queries: true)
            r = BM25Index(documents: docs.map { ($0.id, $0.text) }).run(queries: queries.map { ($0.id, $0.text) }, k: 100)
        } else if ref.hasPrefix("trunc:") {
            let parts = ref.split(separator: ":", maxSplits: 2)
            let scale = pow(10.0, Double(parts[1])!)
            var base = try Run.read(path(String(parts[2])))
            for (q, docs) in base.results {
                base.results[q] = docs.map { ScoredDoc($0.docid, Double(Int($0.score * scale)) / scale) }
            }
            r = base
        } else {
            r = try Run.read(path(ref))
        }
        runs[ref] = r
        return r
    }
}

func loadGoldens() throws -> Goldens {
    try JSONDecoder().decode(Goldens.self, from: Data(contentsOf: URL(fileURLWithPath: Paths.fixtures + "/goldens.json")))
}

/// trec_eval's arguments → our evaluation, formatted.
func evaluateLikeTrecEval(_ args: [String], qrels: Qrels, run: Run) throws -> String {
    var opts = EvalOptions(), measures: [Measure] = [], perQuery = false, i = 0
    while i < args.count {
        switch args[i] {
        case "-q": perQuery = true
        case "-l": i += 1; opts.relevanceLevel = Int(args[i])!
        case "-M": i += 1; opts.maxDocuments = Int(args[i])!
        case "-m": i += 1; measures += try Measure.parse(args[i])
        default: Issue.record("unexpected argument \(args[i])")
        }
        i += 1
    }
    return TrecEval.format(TrecEval.evaluate(qrels: qrels, run: run, measures: measures, options: opts), perQuery: perQuery)
}

@Suite struct TrecEvalParityTests {
    @Test func goldensComeFromTrecEval904() throws {
        let g = try loadGoldens()
        #expect(g.trec_eval.contains("9.0.4"))
        #expect(g.cases.count >= 60)
    }

    /// The synthetic tie-heavy fixture is in the repository, so this runs everywhere.
    @Test func tiesFixtureEqualsTrecEval() throws {
        let g = try loadGoldens()
        let cases = g.cases.filter { $0.name == "ties" }
        #expect(cases.count == 5)
        for c in cases {
            let ours = try evaluateLikeTrecEval(c.args, qrels: GoldenInputs.shared.qrels(c.qrels),
                                                run: GoldenInputs.shared.run(c.run))
            #expect(ours == c.output, "ties \(c.args)")
        }
    }

    @Test(.enabled(if: SharedData.available, "needs ../shared/data"),
          arguments: ["dl19-bm25", "dl19-bm25-rm3", "dl19-tasb", "dl19-splade-pp-ed", "dl20-bm25", "dl20-bm25-rm3",
                      "dl20-tasb", "dl20-splade-pp-ed", "dl19-bm25-trunc0", "dl20-tasb-trunc1",
                      "cranfield-bm25", "cranfield-rawgrades-bm25", "vaswani-bm25", "scifact-bm25"])
    func sharedRunsEqualTrecEval(_ name: String) throws {
        let g = try loadGoldens()
        let cases = g.cases.filter { $0.name == name }
        #expect(cases.count == 5)
        for c in cases {
            let ours = try evaluateLikeTrecEval(c.args, qrels: GoldenInputs.shared.qrels(c.qrels),
                                                run: GoldenInputs.shared.run(c.run))
            if ours != c.output {
                let a = ours.split(separator: "\n"), b = c.output.split(separator: "\n")
                let first = zip(a, b).first { $0 != $1 }
                Issue.record("\(name) \(c.args): first difference ours '\(first?.0 ?? "")' vs trec_eval '\(first?.1 ?? "")' (\(a.count) vs \(b.count) lines)")
            }
        }
    }

    @Test(.enabled(if: SharedData.available, "needs ../shared/data"))
    func perQueryEqualsIrMeasuresWithoutTies() throws {
        let g = try loadGoldens()
        var compared = 0
        for c in g.ir_measures {
            let qrels = try GoldenInputs.shared.qrels(c.qrels), run = try GoldenInputs.shared.run(c.run)
            let names: [(String, Measure, EvalOptions)] = [
                ("nDCG@10", .ndcgCut(10), EvalOptions()),
                ("AP(rel=\(c.rel))", .map, EvalOptions(relevanceLevel: c.rel)),
                (c.depth.map { "RR(rel=\(c.rel))@\($0)" } ?? "RR(rel=\(c.rel))", .recipRank,
                 EvalOptions(relevanceLevel: c.rel, maxDocuments: c.depth ?? .max)),
                ("R(rel=\(c.rel))@100", .recall(100), EvalOptions(relevanceLevel: c.rel)),
                ("P(rel=\(c.rel))@10", .precision(10), EvalOptions(relevanceLevel: c.rel)),
            ]
            for (key, m, opts) in names {
                // ir_measures prints measures with default parameters without them (AP, RR, P@10, R@100).
                let alt = key.replacingOccurrences(of: "(rel=1)", with: "")
                guard let expected = c.values[key] ?? c.values[alt] else {
                    Issue.record("\(c.name): no ir_measures values for \(key); have \(c.values.keys.sorted())"); continue
                }
                let ours = TrecEval.evaluate(qrels: qrels, run: run, measures: [m], options: opts).values(m)
                for (q, v) in expected {
                    guard let o = ours[q] else { Issue.record("\(c.name) \(key): query \(q) missing"); continue }
                    #expect(abs(o - v) <= 1e-6, "\(c.name) \(key) q\(q): \(o) vs ir_measures \(v)")
                    compared += 1
                }
            }
        }
        #expect(compared > 3000)
    }
}
