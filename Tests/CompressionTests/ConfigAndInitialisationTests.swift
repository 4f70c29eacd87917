// The student grid's configuration (hash, Codable, heads rule, kept layers) and the initialisation from the teacher.

import Foundation
import Testing
import PropertyTesting
import Tensors
import Student
import Vocab
@testable import Compression

@Suite struct ConfigTests {
    @Test func hashIsStableAndSeparatesConfigurations() throws {
        let a = DistillConfig(shape: StudentShape(vocabulary: .trained(size: 8000), hidden: 128, layers: 1))
        let b = DistillConfig(shape: StudentShape(vocabulary: .trained(size: 8000), hidden: 128, layers: 1))
        var c = a
        c.settings.seed = 43
        #expect(a.hash == b.hash && a.hash.count == 16)
        #expect(a.hash != c.hash)
        #expect(a.hash != DistillConfig(shape: StudentShape(vocabulary: .teacher, hidden: 128, layers: 1)).hash)
        let decoded = try JSONDecoder().decode(DistillConfig.self, from: a.canonicalJSON())
        #expect(decoded == a && decoded.hash == a.hash)
        #expect(a.tokenSize == 90 && DistillConfig(shape: a.shape, rankerType: .semanticSimilarity).tokenSize == 52)
    }

    @Test func projectedTeacherLayersStayOutOfTheCacheKeyUntilSet() throws {
        // Configurations cached before the field existed must keep their hashes.
        let a = DistillConfig(shape: StudentShape(vocabulary: .teacher, hidden: 128, layers: 1))
        #expect(!String(decoding: a.canonicalJSON(), as: UTF8.self).contains("projectedTeacherLayers"))
        var b = a
        b.settings.projectedTeacherLayers = [5]
        #expect(b.hash != a.hash)
        #expect(try JSONDecoder().decode(DistillConfig.self, from: b.canonicalJSON()) == b)
    }

    @Test func settingsDecodeWithDefaultsForMissingKeys() throws {
        let s = try JSONDecoder().decode(DistillationSettings.self, from: Data("{\"batchSize\": 8}".utf8))
        var want = DistillationSettings()
        want.batchSize = 8
        #expect(s == want)
    }

    @Test func vocabularyChoiceParses() {
        #expect(VocabularyChoice(parsing: "teacher") == .teacher)
        #expect(VocabularyChoice(parsing: "8k") == .trained(size: 8000))
        #expect(VocabularyChoice(parsing: "1500") == .trained(size: 1500))
        #expect(VocabularyChoice(parsing: "-3") == nil && VocabularyChoice(parsing: "big") == nil)
    }

    @Test func headsKeepHeadSize32AndDivideHidden() {
        #expect(StudentShape(vocabulary: .teacher, hidden: 128, layers: 1).heads == 4)
        #expect(StudentShape(vocabulary: .teacher, hidden: 384, layers: 1).heads == 12)
        #expect(StudentShape(vocabulary: .teacher, hidden: 16, layers: 1).heads == 1)
        propertyCheck(Gen.int(in: 1...1024)) { k in
            let a = StudentShape(vocabulary: .teacher, hidden: k, layers: 1).heads
            try require(a >= 1 && k % a == 0 && a <= max(1, k / 32), "k=\(k) heads=\(a)")
        }
    }

    @Test func defaultLayersAreTheLastOfEqualBlocks() {
        #expect(StudentShape.defaultLayers(keeping: 1, of: 6) == [5])
        #expect(StudentShape.defaultLayers(keeping: 2, of: 6) == [2, 5])
        #expect(StudentShape.defaultLayers(keeping: 3, of: 12) == [3, 7, 11])    // sentence-transformers' choice
        propertyCheck(Gen.zip(Gen.int(in: 1...24), Gen.int(in: 1...24)).filter { $0.0 <= $0.1 }) { (l, n) in
            let keep = StudentShape.defaultLayers(keeping: l, of: n)
            try require(keep.count == l && keep.last == n - 1 && zip(keep, keep.dropFirst()).allSatisfy { $0 < $1 })
        }
    }
}

@Suite struct InitialisationTests {
    @Test func newVocabularyRowIsTheMeanOfTheTeachersSubTokenRows() throws {
        let t = Tiny.teacher()
        let vocab = try Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "teacher", "##model",
                                            "rankingstudent", "€"])
        let rows = StudentInitialisation.newVocabularyRows(vocab, teacherTokenizer: t.tokenizer,
                                                           teacherRows: t.model.encoder.wordEmbeddings)
        let e = t.model.encoder.wordEmbeddings
        let d = e.shape[1]
        func expected(_ text: String) -> [Float] {
            var ids = t.tokenizer.tokenize(text).map(Int.init)
            if ids.isEmpty { ids = [Int(t.tokenizer.wordPiece.unkID)] }
            return (0..<d).map { j in ids.map { e[$0, j] }.reduce(0, +) / Float(ids.count) }
        }
        for (r, token) in vocab.tokens.enumerated() {
            let want = expected(token.hasPrefix("##") ? String(token.dropFirst(2)) : token)
            for j in 0..<d { #expect(abs(rows[r, j] - want[j]) < 1e-6, "\(token) column \(j)") }
        }
        // [CLS] keeps the teacher's [CLS] row; "rankingstudent" averages two or more teacher pieces.
        let cls = Int(t.tokenizer.clsID)
        #expect((0..<d).allSatisfy { rows[2, $0] == e[cls, $0] })
        #expect(t.tokenizer.tokenize("rankingstudent").count >= 2)
    }

    @Test func projectionIsRowsTimesWTransposed() {
        propertyCheck(Gen.zip(Gen.int(in: 1...6), Gen.int(in: 1...5), Gen.int(in: 1...5))) { (n, d, k) in
            var rng = Xoshiro256(seed: UInt64(n * 100 + d * 10 + k))
            let x = Tensor.randomNormal([n, d], rng: &rng), w = Tensor.randomNormal([k, d], rng: &rng)
            let y = StudentInitialisation.project(x, with: w)
            try require(y.shape == [n, k])
            for i in 0..<n { for j in 0..<k {
                let want = (0..<d).map { x[i, $0] * w[j, $0] }.reduce(0, +)
                try requireClose(Double(y[i, j]), Double(want), atol: 1e-5, rtol: 1e-5)
            } }
        }
    }

    @Test func narrowStudentHasTheReducedShapeAndProjectedEmbeddings() throws {
        let t = Tiny.teacher()
        var rng = Xoshiro256(seed: 9)
        let w = Tensor.randomNormal([32, 64], rng: &rng)
        let shape = StudentShape(vocabulary: .teacher, hidden: 32, layers: 1)
        let s = try StudentInitialisation.build(teacher: t.model.encoder, teacherTokenizer: t.tokenizer, vocabulary: nil,
                                                shape: shape, projection: w, seed: 1)
        #expect(s.config.hiddenSize == 32 && s.config.numHiddenLayers == 1 && s.config.numAttentionHeads == 1)
        #expect(s.config.intermediateSize == 128 && s.config.vocabSize == t.model.encoder.config.vocabSize)
        #expect(s.pooler == nil)
        let want = StudentInitialisation.project(t.model.encoder.wordEmbeddings, with: w)
        #expect(s.wordEmbeddings.scalars == want.scalars)
        let wantPos = StudentInitialisation.project(t.model.encoder.positionEmbeddings, with: w)
        #expect(s.positionEmbeddings.scalars == wantPos.scalars)
        #expect(throws: StudentInitialisationError.self) {
            try StudentInitialisation.build(teacher: t.model.encoder, teacherTokenizer: t.tokenizer, vocabulary: nil,
                                            shape: shape, projection: nil, seed: 1)
        }
        #expect(throws: StudentInitialisationError.self) {
            try StudentInitialisation.build(teacher: t.model.encoder, teacherTokenizer: t.tokenizer, vocabulary: nil,
                                            shape: StudentShape(vocabulary: .teacher, hidden: 96, layers: 1),
                                            projection: nil, seed: 1)
        }
    }

    /// k × d with orthonormal rows (Gram–Schmidt on Gaussian rows), as a PCA matrix has.
    static func orthonormalRows(_ k: Int, _ d: Int, seed: UInt64) -> Tensor {
        var rng = Xoshiro256(seed: seed)
        var rows: [[Double]] = []
        while rows.count < k {
            var v = (0..<d).map { _ in Double(rng.nextFloat()) - 0.5 }
            for r in rows {
                let dot = zip(v, r).reduce(0) { $0 + $1.0 * $1.1 }
                v = zip(v, r).map { $0 - dot * $1 }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            rows.append(v.map { $0 / norm })
        }
        return Tensor(shape: [k, d], scalars: rows.flatMap { $0.map(Float.init) })
    }

    @Test func projectedLayerThroughTheIdentityIsTheTeacherLayer() throws {
        let teacher = Tiny.teacher().model.encoder.layers[1]
        var eye = [Float](repeating: 0, count: 64 * 64)
        for i in 0..<64 { eye[i * 64 + i] = 1 }
        let layer = try StudentInitialisation.projectedLayer(teacher, projection: Tensor(shape: [64, 64], scalars: eye),
                                                             headDim: 32, heads: 2, intermediate: 128)
        for (got, want) in zip(layer.parameters, teacher.parameters) {
            #expect(got.name == want.name && got.tensor.scalars == want.tensor.scalars, "\(got.name)")
        }
    }

    @Test func projectedLayerActsOnTheSubspaceAsTheTeacherDoes() throws {
        // For an input x = Pᵀ·x' in the kept subspace, a kept head's query, key and value of x' equal the teacher's
        // of x; the output weights are P·W_o and P·W_2 restricted to the kept head and neurons; LayerNorm γ' = P²·γ.
        let teacher = Tiny.teacher().model.encoder.layers[0]
        let p = Self.orthonormalRows(32, 64, seed: 11)
        let layer = try StudentInitialisation.projectedLayer(teacher, projection: p, headDim: 32, heads: 1,
                                                             intermediate: 128)
        #expect(layer.query.weight.shape == [32, 32] && layer.intermediate.weight.shape == [128, 32])
        #expect(layer.output.weight.shape == [32, 128] && layer.attentionNorm.gamma.shape == [32])
        let P = p.scalars, wo = teacher.attentionOutput.weight.scalars
        func score(_ h: Int) -> Double {   // ‖P·W_o[:, head h]‖²
            (0..<32).reduce(0.0) { acc, i in
                acc + (0..<32).reduce(0.0) { a, j in
                    let x = (0..<64).reduce(0.0) { $0 + Double(P[i * 64 + $1]) * Double(wo[$1 * 64 + h * 32 + j]) }
                    return a + x * x
                }
            }
        }
        let kept = score(0) >= score(1) ? 0 : 1
        var rng = Xoshiro256(seed: 5)
        let xs = (0..<32).map { _ in rng.nextFloat() - 0.5 }
        let x = (0..<64).map { j in (0..<32).reduce(Float(0)) { $0 + P[$1 * 64 + j] * xs[$1] } }   // Pᵀ·x'
        for (student, full) in [(layer.query, teacher.query), (layer.key, teacher.key), (layer.value, teacher.value)] {
            let w = student.weight.scalars, wt = full.weight.scalars
            for r in 0..<32 {
                let got = (0..<32).reduce(Float(0)) { $0 + w[r * 32 + $1] * xs[$1] }
                let want = (0..<64).reduce(Float(0)) { $0 + wt[(kept * 32 + r) * 64 + $1] * x[$1] }
                #expect(abs(got - want) <= 1e-4 * (1 + abs(want)))
            }
            #expect(student.bias!.scalars == Array(full.bias!.scalars[(kept * 32)..<(kept * 32 + 32)]))
        }
        let g = teacher.outputNorm.gamma.scalars
        for i in 0..<32 {
            let want = (0..<64).reduce(Float(0)) { $0 + P[i * 64 + $1] * P[i * 64 + $1] * g[$1] }
            #expect(abs(layer.outputNorm.gamma.scalars[i] - want) <= 1e-5)
        }
        #expect(throws: StudentInitialisationError.self) {   // 2 heads of 32 do not make k = 32
            try StudentInitialisation.projectedLayer(teacher, projection: p, headDim: 32, heads: 2, intermediate: 128)
        }
    }

    @Test func narrowStudentStartsFromProjectedTeacherLayersWhenAsked() throws {
        let t = Tiny.teacher()
        let p = Self.orthonormalRows(32, 64, seed: 12)
        let shape = StudentShape(vocabulary: .teacher, hidden: 32, layers: 1)
        let s = try StudentInitialisation.build(teacher: t.model.encoder, teacherTokenizer: t.tokenizer, vocabulary: nil,
                                                shape: shape, projection: p, seed: 1, projectedLayers: [1])
        let want = try StudentInitialisation.projectedLayer(t.model.encoder.layers[1], projection: p, headDim: 32,
                                                            heads: 1, intermediate: 128)
        #expect(s.layers[0].output.weight.scalars == want.output.weight.scalars)
        #expect(throws: StudentInitialisationError.self) {   // one index per student layer
            try StudentInitialisation.build(teacher: t.model.encoder, teacherTokenizer: t.tokenizer, vocabulary: nil,
                                            shape: shape, projection: p, seed: 1, projectedLayers: [0, 1])
        }
    }

    @Test func fullWidthStudentCopiesTheKeptTeacherLayers() throws {
        let t = Tiny.teacher()
        let s = try StudentInitialisation.build(teacher: t.model.encoder, teacherTokenizer: t.tokenizer, vocabulary: nil,
                                                shape: StudentShape(vocabulary: .teacher, hidden: 64, layers: 1),
                                                projection: nil, seed: 1)
        #expect(s.layers.count == 1 && s.config.numHiddenLayers == 1)
        #expect(s.layers[0].query.weight.scalars == t.model.encoder.layers[1].query.weight.scalars)
        #expect(s.wordEmbeddings.scalars == t.model.encoder.wordEmbeddings.scalars)
        #expect(s.wordEmbeddings.storage !== t.model.encoder.wordEmbeddings.storage)
    }
}
