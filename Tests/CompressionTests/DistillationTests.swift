// Embedding MSE, the distillation loop, the full pipeline on a tiny teacher, and the student folder round trip.

import Foundation
import Corpus
import Testing
import PropertyTesting
import Tensors
import Student
import Vocab
import PCA
@testable import Compression

@Suite struct DistillationTests {
    @Test func embeddingMSEIsTheMeanOverBatchAndDimensions() {
        let s = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), t = Tensor(zeros: [2, 2])
        #expect(EmbeddingMSE.loss(student: s, target: t).item == 7.5)        // (1 + 4 + 9 + 16) / 4
        propertyCheck(Gen.zip(Gen.int(in: 1...5), Gen.int(in: 1...7))) { (b, k) in
            var rng = Xoshiro256(seed: UInt64(b * 31 + k))
            let x = Tensor.randomNormal([b, k], rng: &rng), y = Tensor.randomNormal([b, k], rng: &rng)
            var sum = 0.0
            for i in 0..<(b * k) { let e = Double(x[flat: i] - y[flat: i]); sum += e * e }
            try requireClose(Double(EmbeddingMSE.loss(student: x, target: y).item), sum / Double(b * k), atol: 1e-5)
        }
    }

    @Test func updateCountFollowsEpochsAndCap() {
        var s = DistillationSettings()
        s.batchSize = 64; s.epochs = 2
        #expect(EmbeddingDistiller.updateCount(texts: 130, settings: s) == 4)    // ⌊130/64⌋ = 2 per epoch
        #expect(EmbeddingDistiller.updateCount(texts: 10, settings: s) == 2)     // fewer texts than a batch
        s.maxSteps = 4
        #expect(EmbeddingDistiller.updateCount(texts: 130, settings: s) == 4)
    }

    @Test func pipelineLowersTheLossAndIsDeterministic() throws {
        let teacher = Tiny.teacher()
        let config = DistillConfig(shape: StudentShape(vocabulary: .trained(size: 60), hidden: 32, layers: 1),
                                   rankerType: .semanticSimilarity, settings: Tiny.settings(steps: 40, lr: 3e-3))
        let texts = DistillationTexts(training: Tiny.texts(160))
        let r = try distillStudent(config, teacher: teacher, texts: texts)
        let first = r.log.losses.prefix(5).reduce(0, +) / 5, last = r.log.losses.suffix(5).reduce(0, +) / 5
        #expect(r.log.updates == 40)
        #expect(last < 0.5 * first, "loss \(first) → \(last)")
        #expect(r.student.tokenizer.vocabulary.count <= 60 && r.student.dimension == 32)
        #expect(r.student.pca != nil && r.explainedVariance > 0 && r.explainedVariance <= 1)
        #expect(r.student.inputIDs(Tiny.texts(1)[0]).count <= 52)
        let again = try distillStudent(config, teacher: teacher, texts: texts)
        #expect(again.log.losses == r.log.losses)
    }

    @Test func outputNormFromTargetsStartsAtTheTargetsScale() throws {
        let teacher = Tiny.teacher()
        var s = Tiny.settings(steps: 1, lr: 0)
        s.batchSize = 64
        let texts = DistillationTexts(training: Tiny.texts(64))
        func firstLoss(_ on: Bool) throws -> Float {
            s.outputNormFromTargets = on
            let c = DistillConfig(shape: StudentShape(vocabulary: .teacher, hidden: 16, layers: 1), settings: s)
            return try distillStudent(c, teacher: teacher, texts: texts).log.losses[0]
        }
        let informed = try firstLoss(true), plain = try firstLoss(false)
        #expect(informed < 0.2 * plain, "\(informed) vs \(plain)")
    }

    @Test func aResumedRunEqualsAnUninterruptedOne() throws {
        let teacher = Tiny.teacher()
        var settings = Tiny.settings(steps: 6, lr: 3e-3)
        settings.dropout = 0.1
        let config = DistillConfig(shape: StudentShape(vocabulary: .teacher, hidden: 16, layers: 1), settings: settings)
        let texts = DistillationTexts(training: Tiny.texts(64))
        let whole = try distillStudent(config, teacher: teacher, texts: texts)
        let dir = try Tiny.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cut = try distillStudent(config, teacher: teacher, texts: texts,
                                     options: DistillationOptions(checkpointDirectory: dir, timeBudgetSeconds: 0))
        #expect(cut.log.outOfTime && cut.log.updates == 1)
        let resumed = try distillStudent(config, teacher: teacher, texts: texts,
                                         options: DistillationOptions(checkpointDirectory: dir))
        #expect(resumed.log.losses == whole.log.losses)
        let probe = Tiny.texts(4, seed: 5)
        #expect(resumed.student.embed(probe) == whole.student.embed(probe))
    }

    @Test func targetsAreTheUncentredPCAProjection() throws {
        // With lr 0 the student does not move; its loss at step 0 is MSE to t·Wᵀ computed here independently.
        let teacher = Tiny.teacher()
        var s = Tiny.settings(steps: 1, lr: 0)
        s.batchSize = 200
        let texts = Tiny.texts(50)
        let config = DistillConfig(shape: StudentShape(vocabulary: .teacher, hidden: 16, layers: 1), settings: s)
        let r = try distillStudent(config, teacher: teacher, texts: DistillationTexts(training: texts))
        let t = teacher.embed(texts, maxLength: 256)
        let pca = try PCAModel.fit(t, selection: .count(16))
        let targets = StudentInitialisation.project(t, with: pca.componentsTensor(k: 16))
        let out = r.student.embed(texts)
        let want = EmbeddingMSE.loss(student: Tensor(shape: [50, 16], scalars: out.flatMap { $0 }), target: targets).item
        #expect(abs(r.log.losses[0] - want) < 1e-4 * max(1, want), "\(r.log.losses[0]) vs \(want)")
    }

    @Test func studentFolderRoundTripKeepsTheReducedShape() throws {
        let teacher = Tiny.teacher()
        let config = DistillConfig(shape: StudentShape(vocabulary: .trained(size: 50), hidden: 32, layers: 1),
                                   settings: Tiny.settings(steps: 3))
        let r = try distillStudent(config, teacher: teacher, texts: DistillationTexts(training: Tiny.texts(64)))
        let dir = try Tiny.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("student")
        try r.student.save(to: folder)
        // Saving again over a folder that holds files is refused, and the folder is left as it was.
        #expect(throws: OutputError.self) { try r.student.save(to: folder) }
        for f in ["modules.json", "config.json", "model.safetensors", "vocab.txt", "1_Pooling/config.json",
                  "sentence_bert_config.json", "tokenizer_config.json", "distillation.json", "pca.json"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(f).path), "\(f)")
        }
        let back = try DistilledStudent.load(from: folder)
        #expect(back.model.encoder.config == r.student.model.encoder.config)
        #expect(back.config == config && back.tokenSize == 90 && back.model.normalize == false)
        #expect(back.tokenizer.vocabulary == r.student.tokenizer.vocabulary)
        #expect(back.pca == r.student.pca)
        let texts = Tiny.texts(5, seed: 99)
        #expect(back.embed(texts) == r.student.embed(texts))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers == ["student"])
    }

    @Test func loadingAFolderWithAMismatchedVocabularyFails() throws {
        let teacher = Tiny.teacher()
        let config = DistillConfig(shape: StudentShape(vocabulary: .teacher, hidden: 32, layers: 1),
                                   settings: Tiny.settings(steps: 1))
        let r = try distillStudent(config, teacher: teacher, texts: DistillationTexts(training: Tiny.texts(40)))
        let dir = try Tiny.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try r.student.save(to: dir.appendingPathComponent("s"))
        let vocab = dir.appendingPathComponent("s/vocab.txt")
        try (try String(contentsOf: vocab, encoding: .utf8) + "extra\n").write(to: vocab, atomically: true, encoding: .utf8)
        #expect(throws: StudentFolderError.self) { try DistilledStudent.load(from: dir.appendingPathComponent("s")) }
    }

    @Test func teacherEmbeddingsAreCachedByContent() throws {
        let teacher = Tiny.teacher()
        let dir = try Tiny.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let texts = Tiny.texts(12)
        let a = try TeacherEmbeddingCache.embeddings(teacher: teacher, texts: texts, maxLength: 32, directory: dir)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.count == 1)
        let b = try TeacherEmbeddingCache.embeddings(teacher: teacher, texts: texts, maxLength: 32, directory: dir)
        #expect(a.scalars == b.scalars && a.shape == [12, 64])
        #expect(TeacherEmbeddingCache.key(teacher: teacher, texts: texts, maxLength: 32)
                != TeacherEmbeddingCache.key(teacher: teacher, texts: Array(texts.dropLast()), maxLength: 32))
        #expect(TeacherEmbeddingCache.key(teacher: teacher, texts: ["ab", "c"], maxLength: 32)
                != TeacherEmbeddingCache.key(teacher: teacher, texts: ["a", "bc"], maxLength: 32))
    }
}
