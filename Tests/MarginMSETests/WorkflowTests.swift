// The three-step workflow end to end on a toy collection with a tiny encoder: teacher (RankNet, validated by
// nDCG@10 through Eval), teacher scores, Margin-MSE student; and the real-data loader when ../shared is present.

import Eval
import Foundation
import PropertyTesting
import Student
import Tensors
import Testing
import Training
@testable import MarginMSE

enum SharedData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/data").standardizedFileURL
    static var available: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("msmarco-passage-trec-dl/dl19/qrels.txt").path) }
}

/// Query i is about token 10+i; p_i repeats it (grade 3), m_i mentions it once (grade 1), n_j are off-topic.
func toyDistillationData(queries n: Int = 8) -> DistillationData {
    var q: [String: [Int]] = [:], p: [String: [Int]] = [:]
    var judged: [String: [String: Int]] = [:], cands: [String: [ScoredDoc]] = [:]
    for i in 0..<n {
        q["q\(i)"] = [10 + i, 5]
        p["p\(i)"] = [10 + i, 10 + i, 7]; p["m\(i)"] = [10 + i, 40 + i, 8]; p["n\(i)"] = [60 + i, 8, 9]
        judged["q\(i)"] = ["p\(i)": 3, "m\(i)": 1]
    }
    for i in 0..<n {
        var list = ["n\(i)", "m\(i)", "p\(i)"] + (0..<n).filter { $0 != i }.map { "n\($0)" }
        list = Array(list.prefix(8))
        cands["q\(i)"] = list.enumerated().map { ScoredDoc($1, Double(100 - $0)) }
    }
    let texts = TokenizedTexts(queries: q, passages: p)
    let all = RerankingData(name: "toy", queries: [:], passages: [:], qrels: Qrels(judged), candidates: Run(cands))
    let set = buildTrainingTriples(judgements: judged, candidates: all.candidateLists,
                                   sampling: TripleSampling(negativesPerPositive: 4, validationQueries: 2, seed: 3))
    return DistillationData(triples: set, validation: all.restricted(to: set.validationQueries), texts: texts)
}

func tinyEncoder() -> TransformerEncoder {
    TransformerEncoder(config: BertConfig(vocabSize: 110, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2,
                                          intermediateSize: 32, maxPositionEmbeddings: 32), pooler: false, seed: 5)
}

@Suite(.serialized) struct WorkflowTests {
    @Test func teacherScoresStudent() throws {
        let data = toyDistillationData()
        #expect(data.validation.candidates.results.count == 2 && data.triples.triples.count > 0)
        let loop = TrainingLoopConfig(totalSteps: 30, learningRate: 5e-3, warmupSteps: 3, validateEvery: 10,
                                      checkpointEvery: 10)
        let tc = TeacherConfig(keepLayers: [0, 1], limits: InputLimits(maxQueryLength: 8, maxPassageLength: 8),
                               training: PairwiseTrainingConfig(loss: .rankNet, batchSize: 8, loop: loop), validationDepth: 8)
        let dir = temporaryDirectory("workflow")
        let (teacher, tr) = try trainTeacher(tc, encoder: tinyEncoder(), data: data,
                                             control: RunControl(checkpointDirectory: dir.appendingPathComponent("t1")))
        #expect(tr.state.validations.count == 3)
        #expect(tr.state.validations.allSatisfy { $0.score >= 0 && $0.score <= 1 })
        // The teacher has learnt the toy task: p⁺ above p⁻ for most training triples.
        let scores = try scoreTriples(teacher, triples: data.triples.triples, texts: data.texts, batchSize: 16)
        let correct = scores.filter { $0.margin > 0 }.count
        #expect(Double(correct) / Double(scores.count) > 0.8, "\(correct)/\(scores.count)")
        let cache = TeacherScoreCache(directory: dir.appendingPathComponent("cache"))
        let cached = try cache.scores(teacher: tc.identity, triples: data.triples.triples) { scores }
        #expect(!cached.hit)

        var sc = StudentConfig(architecture: "bert-dot", keepLayers: [0], limits: tc.limits, validationDepth: 8)
        sc.training = PairwiseTrainingConfig(loss: .marginMSE, batchSize: 8, loop: loop)
        let (student, sr) = try trainStudent(sc, encoder: tinyEncoder(), scores: cached.scores, data: data)
        #expect(student.architecture == "bert-dot")
        #expect(sr.state.steps.count == 30 && sr.state.steps.last!.loss < sr.state.steps.first!.loss)
        // Scores of another triple list are refused.
        #expect(throws: TrainingDataError.self) {
            try trainStudent(sc, encoder: tinyEncoder(), scores: Array(cached.scores.dropFirst()), data: data)
        }
    }

    @Test(.enabled(if: SharedData.available, "needs ../shared/data"))
    func loadsTrecDL() throws {
        let dl19 = try RerankingData.trecDL("dl19", dataDirectory: SharedData.root.path)
        #expect(dl19.qrels.queryCount == 43)
        let bm25 = RerankingEvaluation.scores(dl19.candidates, qrels: dl19.qrels)
        #expect(abs(bm25.ndcg10 - 0.5058) < 1e-3, "BM25 DL19 nDCG@10 \(bm25.ndcg10)")
        let set = buildTrainingTriples(judgements: dl19.qrels.judgements, candidates: dl19.candidateLists)
        #expect(set.validationQueries.count == 6 && !set.triples.isEmpty)
    }
}
