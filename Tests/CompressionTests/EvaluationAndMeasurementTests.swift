// Quality evaluation through a TextEmbedder (hand-made tasks with known answers), size/speed measurements on the
// tiny teacher, and the real-data loader (skipped without ../shared/data).

import Foundation
import Testing
import MarginMSE
import PropertyTesting
import Tensors
import Student
import Eval
import Corpus
import PCA
@testable import Compression

/// An embedder that puts each text on the axis of its first word's index in `axes` (unknown words: last axis).
private func axisEmbedder(_ axes: [String]) -> TextEmbedder {
    TextEmbedder(name: "axes") { texts in
        texts.map { t in
            var v = [Float](repeating: 0, count: axes.count + 1)
            v[axes.firstIndex(of: String(t.split(separator: " ").first ?? "")) ?? axes.count] = 1
            return v
        }
    }
}

@Suite struct EvaluationTests {
    @Test func rerankingPutsTheMatchingPassageFirst() throws {
        // q1 "apple": candidates p1 (banana, BM25 first, judged 0) and p2 (apple, judged 3): cosine swaps them.
        let task = RerankingTask(name: "toy", queries: ["q1": "apple pie"],
                                 passages: ["p1": "banana bread", "p2": "apple tart"],
                                 qrels: Qrels(["q1": ["p1": 0, "p2": 3]]),
                                 candidates: Run(["q1": [ScoredDoc("p1", 2), ScoredDoc("p2", 1)]]))
        let r = try QualityEvaluation.rerankDL19(axisEmbedder(["apple", "banana"]), task: task)
        #expect(r.ndcg10 == 1 && r.mrr10 == 1 && r.perQuery == ["q1": 1])
        // An embedder that prefers banana ranks p2 second: nDCG@10 = (7/log2 3)/(7/log2 2), MRR = 1/2.
        let table: [String: [Float]] = ["apple pie": [1, 0.1], "banana bread": [1, 0], "apple tart": [0, 1]]
        let wrong = TextEmbedder(name: "wrong") { $0.map { table[$0]! } }
        let w = try QualityEvaluation.rerankDL19(wrong, task: task)
        #expect(abs(w.ndcg10 - 1 / log2(3.0)) < 1e-9 && w.mrr10 == 0.5)
    }

    @Test func sciFactStyleRetrievalFindsTheSameAxisDocument() {
        let task = RetrievalTask(queries: [TextRecord(id: "1", text: "b query")],
                                 documents: [TextRecord(id: "d1", text: "a x"), TextRecord(id: "d2", text: "b y")],
                                 qrels: Qrels(["1": ["d2": 1]]))
        #expect(QualityEvaluation.retrieveSciFact(axisEmbedder(["a", "b"]), task: task) == 1)
    }

    @Test func teacherWithPCAHeadIsTheUncentredProjection() throws {
        let t = Tiny.teacher()
        let texts = Tiny.texts(30)
        let rows = t.embed(texts, maxLength: 64)
        let pca = try PCAModel.fit(rows, selection: .count(8))
        let e = TextEmbedder.teacherWithPCA(t, pca: pca, k: 8, maxLength: 64).embed(texts)
        let want = StudentInitialisation.project(rows, with: pca.componentsTensor(k: 8))
        for i in 0..<30 { for j in 0..<8 { #expect(abs(e[i][j] - want[i, j]) < 1e-5) } }
    }

    @Test func rememberedTeacherRowsAreTheRowsComputedAfresh() throws {
        // One memo behind the plain teacher and two PCA heads: each list of texts is embedded once, and every
        // embedder returns bit for bit what it returns without the memo (the memo changes time, not numbers).
        let t = Tiny.teacher()
        let texts = Tiny.texts(24), other = Array(texts.reversed().prefix(10))
        let pca = try PCAModel.fit(t.embed(texts, maxLength: 64), selection: .count(8))
        let memo = EmbeddingMemo()
        var embedded: [Int] = []
        let progress: (Int) -> (Double) -> Void = { n in embedded.append(n); return { _ in } }
        let plain = TextEmbedder.teacher(t, maxLength: 64), remembered = TextEmbedder.teacher(t, maxLength: 64, memo: memo,
                                                                                             progress: progress)
        let head8 = TextEmbedder.teacherWithPCA(t, pca: pca, k: 8, maxLength: 64)
        let head4 = TextEmbedder.teacherWithPCA(t, pca: pca, k: 4, maxLength: 64)
        let rememberedHead8 = TextEmbedder.teacherWithPCA(t, pca: pca, k: 8, maxLength: 64, memo: memo, progress: progress)
        let rememberedHead4 = TextEmbedder.teacherWithPCA(t, pca: pca, k: 4, maxLength: 64, memo: memo, progress: progress)
        #expect(remembered.embed(texts) == plain.embed(texts))
        #expect(rememberedHead8.embed(texts) == head8.embed(texts))
        #expect(rememberedHead4.embed(texts) == head4.embed(texts))
        #expect(remembered.embed(texts) == plain.embed(texts))
        #expect(embedded == [24] && memo.count == 1)
        #expect(rememberedHead4.embed(other) == head4.embed(other))   // a new list is embedded, then remembered
        #expect(embedded == [24, 10] && memo.count == 2)
        // Rows remembered from elsewhere (the teacher-embedding cache) are served without embedding.
        let third = Array(texts.prefix(5))
        memo.remember(third, rows: plain.embed(third))
        #expect(remembered.embed(third) == plain.embed(third) && embedded == [24, 10] && memo.count == 3)
    }
}

@Suite struct MeasurementTests {
    @Test func sizesFollowTheParameterCount() throws {
        let t = Tiny.teacher()
        let s = modelSize(t.model)
        let c = t.model.encoder.config
        let h = c.hiddenSize, f = c.intermediateSize
        let expected = c.vocabSize * h + c.maxPositionEmbeddings * h + 2 * h + 2 * h
            + c.numHiddenLayers * (4 * h * h + 2 * h * f + 9 * h + f)           // digest §6's formula, no pooler
        #expect(s.parameters == expected && s.fp32MB == Double(4 * expected) / 1e6)
        #expect(s.int8MB < s.fp32MB / 2)
        let m = measure(t.model, tokenizer: t.tokenizer, tokenSize: 52, texts: Tiny.texts(16), repeats: 3)
        #expect((m.latency52 ?? 0) > 0 && m.latency90 == nil && m.throughput > 0)  // 64 positions
        #expect(m.parameters == expected)
        // Peak memory holds the weights and more (where it can be measured).
        #expect(m.peakResidentMB.map { $0 > s.fp32MB } == true, "\(m)")
        #expect(untimedMeasurements(t.model).peakResidentMB == nil)
    }

    @Test func interleavedCostsTimeEveryModelAtEveryFittingSize() {
        // Two tiny models (64 positions): 52 tokens fit, 90 do not. Every model is run in every round, in turns.
        let a = Tiny.teacher(hidden: 32, seed: 1), b = Tiny.teacher(hidden: 64, seed: 2)
        let texts = Tiny.texts(8)
        let l = interleavedCosts([(a.model, a.tokenizer), (b.model, b.tokenizer)], texts: texts, tokenSize: 32,
                                 latencyTokenSizes: [52, 90], rounds: 3, throughputRounds: 2, secondsPerTurn: 0)
        #expect(l.count == 2 && l.allSatisfy { $0.latencies.count == 2 })
        #expect(l.allSatisfy { ($0.latencies[0] ?? 0) > 0 && $0.latencies[1] == nil }, "\(l)")
        #expect(l.allSatisfy { $0.throughput > 0 && $0.cpuSecondsPer1000 > 0 }, "\(l)")
        // Each model's peak memory: its weights and more, carried into the table row by `withTimings`.
        for (i, m) in [a.model, b.model].enumerated() {
            #expect(l[i].peakMemoryMB.map { $0 > modelSize(m).fp32MB } == true, "\(l[i])")
            #expect(untimedMeasurements(m).withTimings(of: l[i]).peakResidentMB == l[i].peakMemoryMB)
        }
        // The input is the text padded to exactly the token size, as `measure` times it.
        let input = latencyInput(a.model, tokenizer: a.tokenizer, text: texts[0], tokens: 52)
        #expect(input?.batch == 1 && input?.length == 52)
        #expect(latencyInput(a.model, tokenizer: a.tokenizer, text: texts[0], tokens: 90) == nil)
    }
}

enum SharedData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data").path
    static var available: Bool { FileManager.default.fileExists(atPath: root + "/msmarco-passage-trec-dl/dl19/qrels.txt") }
}

@Suite struct RealDataTests {
    @Test(.enabled(if: SharedData.available, "needs ../shared/data"))
    func loaderReadsTheTestSetsAndKeepsTestQueriesOut() throws {
        let d = try CompressionData.load(root: SharedData.root, distillationLimit: 5000, agreementSample: 200)
        #expect(d.dl19.candidates.results.count == 43)
        #expect(d.dl19.candidates.results.values.allSatisfy { $0.count == 100 })
        #expect(d.distillationTexts.count == 5000 && d.agreementTexts.count == 200)
        #expect(d.scifact.queries.count == 300 && d.scifact.documents.count > 5000)
        let queries = Set(d.dl19.queries.values).union(d.scifact.queries.map(\.text))
        #expect(d.distillationTexts.allSatisfy { !queries.contains($0) })
    }
}
