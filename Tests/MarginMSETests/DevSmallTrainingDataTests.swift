// Paper A's dev-small training set (`DistillationData.devSmall`): on random dev-small-shaped data, the rules hold for
// every titled rule and seed (test passages never negatives, validation held out whole, no judged passage as a
// negative, titled rows as the rule says, deterministic); on the real files, the counts.

import Foundation
import Testing
import PropertyTesting
import Corpus
import Eval
import Tensors
import Vocab
@testable import MarginMSE

/// A random dev-small: `n` queries over a small word pool; a third with a BM25 top-5 list (sometimes holding the
/// judged passage), positives of every status, some pids empty, a few passages in the "test collections".
struct DevSmallCase: CustomStringConvertible {
    var data: DevSmallData
    var test: Set<String>
    var titled: TitledRows
    var seed: UInt64
    var description: String { "\(data.positives.count) queries, titled \(titled.rawValue), seed \(seed)" }
}

func devSmallCases() -> Gen<DevSmallCase> {
    Gen(generate: { rng in
        let words = ["alpha", "beta", "gamma", "delta", "omega", "river", "stone", "cloud", "music", "paper", "light"]
        func text(_ n: Int) -> String { (0..<n).map { _ in words[rng.nextInt(below: words.count)] }.joined(separator: " ") }
        let n = 6 + rng.nextInt(below: 30)
        var queries: [String: String] = [:], qrels: [String: [String: Int]] = [:]
        var positives: [JudgedPositive] = [], lists: [BM25CandidateList] = [], test = Set<String>()
        var nextPid = 1000
        for i in 0..<n {
            let qid = "\(i + 1)"
            queries[qid] = text(3)
            let pid = "\(nextPid)"; nextPid += 1
            let status = JudgedPositive.Status.allCases[rng.nextInt(below: 3)]
            let hasPid = status == .collection || rng.nextInt(below: 4) > 0
            positives.append(JudgedPositive(qid: qid, pid: hasPid ? pid : nil, status: status,
                                            text: (status == .titled ? "Title \(i) " : "") + text(6)))
            qrels[qid] = [pid: 1]
            if rng.nextInt(below: 5) == 0 { test.insert(pid) }
            if rng.nextInt(below: 3) == 0 {
                var cands: [BM25Candidate] = []
                let relevantAt = rng.nextInt(below: 7)   // ≥ 5: the judged passage is not in the top 5
                for r in 1...5 {
                    let c = r - 1 == relevantAt ? pid : "\(nextPid)"
                    if c != pid { nextPid += 1 }
                    if rng.nextInt(below: 8) == 0 { test.insert(c) }
                    cands.append(BM25Candidate(qid: qid, pid: c, rank: r, label: c == pid ? 1 : 0, text: text(6)))
                }
                lists.append(BM25CandidateList(qid: qid, candidates: cands))
            }
        }
        return DevSmallCase(data: DevSmallData(queries: queries, qrels: Qrels(qrels), positives: positives, bm25: lists),
                            test: test, titled: TitledRows.allCases[rng.nextInt(below: 3)], seed: rng.next())
    }, shrink: { _ in [] })
}

let devSmallTokenizer: BertTokenizer = {
    let words = "alpha beta gamma delta omega river stone cloud music paper light title 0 1 2 3 4 5 6 7 8 9"
    return try! BertTokenizer(vocabulary: try! WordPieceTrainer.train(
        texts: [words], config: WordPieceTrainerConfig(vocabSize: 200, minFrequency: 1)))
}()

@Suite struct DevSmallTrainingDataTests {
    @Test func triplesFollowTheRules() {
        propertyCheck(devSmallCases(), cases: 150) { c in
            let sampling = DevSmallSampling(titled: c.titled, negativesPerQuery: 3, negativeDepth: 4, validationQueries: 2,
                                            seed: c.seed)
            let (d, summary) = DistillationData.devSmall(c.data, testPassages: c.test, tokenizer: devSmallTokenizer,
                                                         sampling: sampling)
            let positives = Dictionary(uniqueKeysWithValues: c.data.positives.map { ($0.qid, $0) })
            let lists = Dictionary(uniqueKeysWithValues: c.data.bm25.map { ($0.qid, $0) })
            let validation = Set(d.triples.validationQueries), training = Set(d.triples.trainingQueries)
            func fail(_ m: String) -> PropertyFailure { PropertyFailure("\(c): \(m)") }
            guard validation.isDisjoint(with: training) else { throw fail("validation query in training") }
            for q in validation {
                guard let l = lists[q], l.candidates.contains(where: { $0.label > 0 }) else {
                    throw fail("validation query \(q) has no judged BM25 candidate")
                }
            }
            let validationPassages = Set(d.validation.candidates.results.values.flatMap { $0.map(\.docid) })
            guard validationPassages.isDisjoint(with: c.test) else { throw fail("test passage in validation") }
            for t in d.triples.triples {
                let p = positives[t.qid]!
                guard training.contains(t.qid) else { throw fail("triple of a non-training query \(t.qid)") }
                guard !c.test.contains(t.negPid), !c.test.contains(t.posPid) else { throw fail("test passage in \(t)") }
                guard !validationPassages.contains(t.negPid), !validationPassages.contains(t.posPid) else {
                    throw fail("validation passage in \(t)")
                }
                guard t.negPid != t.posPid, (c.data.qrels.judgements[t.qid]?[t.negPid] ?? 0) <= 0 else {
                    throw fail("judged passage as negative in \(t)")
                }
                if c.titled == .drop && p.status == .titled { throw fail("titled positive kept in \(t)") }
                if c.titled == .keep, let n = positives.values.first(where: { "dev-positive-\($0.qid)" == t.negPid }),
                   n.status == .titled { throw fail("titled negative with --titled keep in \(t)") }
                guard d.texts.queries[t.qid] != nil, d.texts.passages[t.posPid] != nil, d.texts.passages[t.negPid] != nil
                else { throw fail("no text for \(t)") }
            }
            for (qid, p) in positives where training.contains(qid) {
                if let pid = p.pid, c.test.contains(pid) { throw fail("query \(qid) kept with a test positive") }
            }
            guard summary.trainingQueries == training.count,
                  d.triples.triples.count <= 3 * training.count else { throw fail("counts \(summary)") }
            let again = DistillationData.devSmall(c.data, testPassages: c.test, tokenizer: devSmallTokenizer,
                                                  sampling: sampling).data
            guard again.triples == d.triples else { throw fail("not deterministic") }
        }
    }

    @Test func workedExample() throws {
        // Query 1 has a BM25 list: its negatives are the list's unjudged passages (b), never the judged one (a) nor a
        // test passage (t). Query 2 has none: its negative comes from the pool (b or query 1's positive a, by BM25).
        // Query 3's positive is a test passage: left out.
        let data = DevSmallData(
            queries: ["1": "river stone", "2": "cloud music", "3": "paper light"],
            qrels: Qrels(["1": ["a": 1], "2": ["c": 1], "3": ["t": 1]]),
            positives: [JudgedPositive(qid: "1", pid: "a", status: .collection, text: "river stone alpha"),
                        JudgedPositive(qid: "2", pid: "c", status: .untitled, text: "cloud music beta"),
                        JudgedPositive(qid: "3", pid: "t", status: .collection, text: "paper light")],
            bm25: [BM25CandidateList(qid: "1", candidates: [
                BM25Candidate(qid: "1", pid: "a", rank: 1, label: 1, text: "river stone alpha"),
                BM25Candidate(qid: "1", pid: "t", rank: 2, label: 0, text: "river"),
                BM25Candidate(qid: "1", pid: "b", rank: 3, label: 0, text: "stone cloud music")])])
        let (d, s) = DistillationData.devSmall(data, testPassages: ["t"], tokenizer: devSmallTokenizer,
                                               sampling: DevSmallSampling(validationQueries: 0, seed: 1))
        let triples = Set(d.triples.triples)
        #expect(triples.contains(TrainingTriple(qid: "1", posPid: "a", negPid: "b")))
        #expect(triples.filter { $0.qid == "1" }.count == 1)
        #expect(triples.contains(TrainingTriple(qid: "2", posPid: "c", negPid: "b")))   // BM25's best pool hit
        #expect(!triples.contains { $0.qid == "3" } && s.droppedTestPositive == 1)
        #expect(s.fileNegativeQueries == 1 && s.poolNegativeQueries == 1 && s.poolPassages == 3)   // a, b, c
    }

    @Test(.enabled(if: SharedData.devSmallAvailable, "needs ../shared/data/msmarco-passage-dev-small and the TREC DL folders"))
    func realDevSmall() throws {
        let dir = SharedData.root.path
        let data = try DevSmallData.load(dataDirectory: dir)
        var test = Set<String>()
        for year in ["dl19", "dl20"] { test.formUnion(try RerankingData.trecDL(year, dataDirectory: dir).passages.keys) }
        let tokenizer = try BertTokenizer(vocabFile: SharedData.root
            .appendingPathComponent("../models/all-MiniLM-L6-v2/vocab.txt").standardizedFileURL.path)
        for titled in [TitledRows.drop, .keep] {
            let (d, s) = DistillationData.devSmall(data, testPassages: test, tokenizer: tokenizer,
                                                   sampling: DevSmallSampling(titled: titled))
            #expect(s.validationQueries == 100 && d.validation.qrels.queryCount == 100)
            let kept = s.trainingQueries + s.validationQueries + s.droppedTestPositive + s.droppedTitled
                + s.droppedValidationPositive + s.droppedNoNegative
            #expect(kept == 6_980, "\(s)")
            // 4,233 titled rows, less those whose judged passage is in a test collection (left out for that first).
            // (Validation queries are held out whatever their positive.)
            let held = Set(d.triples.validationQueries)
            let titledClean = data.positives.filter {
                $0.status == .titled && !($0.pid.map(test.contains) ?? false) && !held.contains($0.qid)
            }.count
            #expect(s.droppedTitled == (titled == .drop ? titledClean : 0) && titledClean > 4_000, "\(s)")
            print("dev-small, titled \(titled.rawValue): \(s)")
            #expect(s.fileNegativeQueries + s.poolNegativeQueries == s.trainingQueries)
            #expect(d.triples.triples.allSatisfy { !test.contains($0.negPid) })
        }
    }
}

extension SharedData {
    static var devSmallAvailable: Bool {
        available && FileManager.default.fileExists(
            atPath: root.appendingPathComponent("msmarco-passage-dev-small/bm25-top20.tsv").path)
    }
}
