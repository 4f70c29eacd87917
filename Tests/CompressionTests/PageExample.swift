// Docs/Compression.md's API example, compiled with the tests so that the page (which shows this function by symbol)
// cannot drift from the API. Running it takes the real teacher and data and about an hour on 2 cores: the grid's
// own code (`reproduce paper-b`) runs the same calls.
import Foundation
import Compression
import PCA

/// One student of the grid: distil it, measure its quality (fp32 and int8) and speed, and save it.
func compressionPageExample(dataDir: String, cache: URL, checkpoints: URL, folder: URL) throws {
    let teacher = try Teacher.load(URL(fileURLWithPath: "../shared/models/all-MiniLM-L6-v2"))
    let data = try CompressionData.load(root: dataDir, distillationLimit: 8000)
    let config = DistillConfig(shape: StudentShape(vocabulary: .trained(size: 8000), hidden: 128, layers: 1),
                               rankerType: .questionAnswer)              // config.hash: the cache key
    let result = try distillStudent(config, teacher: teacher, texts: DistillationTexts(training: data.distillationTexts),
                                    options: DistillationOptions(cacheDirectory: cache, checkpointDirectory: checkpoints))
    let teacherRows = try TeacherEmbeddingCache.embeddings(teacher: teacher, texts: data.agreementTexts,
                                                          maxLength: 256, directory: cache)
    let quality = try evaluateQuality(result.student, teacherRows: teacherRows, data: data)            // fp32
    let quality8 = try evaluateQuality(result.student, teacherRows: teacherRows, data: data, int8: true)
    let speed = measure(result.student, texts: Array(data.agreementTexts.prefix(256)))
    try result.student.save(to: folder)          // DistilledStudent.load(from: folder)
    print(quality, quality8, speed)
}

/// The teacher's DL19 row and three PCA heads, every list of texts embedded once (`EmbeddingMemo`).
func teacherHeadsPageExample(teacher: Teacher, pca: PCAModel, data: CompressionData) throws {
    let memo = EmbeddingMemo()
    let teacherRow = try QualityEvaluation.rerankDL19(.teacher(teacher, memo: memo), task: data.dl19)
    for k in [256, 128, 64] {          // each head reads the rows the line above computed
        let head = try QualityEvaluation.rerankDL19(.teacherWithPCA(teacher, pca: pca, k: k, memo: memo), task: data.dl19)
        print(k, head.ndcg10, "teacher", teacherRow.ndcg10)
    }
}
