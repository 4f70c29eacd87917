// Docs/Compression.md's API example, compiled with the tests so that the page (which shows this function by symbol)
// cannot drift from the API. Running it takes the real teacher and data and about an hour on 2 cores: the grid's
// own code (`reproduce paper-b`) runs the same calls.
import Foundation
import Compression

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
