// Writes a 2-layer reduction of all-MiniLM-L6-v2 and a few embeddings when STUDENT_EXPORT_DIR is set, so that
// Tests/Fixtures/Student/check_transformers_load.py can confirm that `transformers` loads the folder with its reduced
// shape and computes the same hidden states. Without the variable the test only checks the round trip in Swift.
import Foundation
import Testing
import Tensors
@testable import Student

@Suite(.enabled(if: StudentPaths.miniLMAvailable, "needs ../shared/models/all-MiniLM-L6-v2"))
struct ReducedEncoderExportTests {
    @Test func reducedEncoderRoundTripsWithItsShape() throws {
        let m = try #require(MiniLM.model)
        let student = m.encoder.reduced(keepingLayers: [0, 3])
        let exportDir = ProcessInfo.processInfo.environment["STUDENT_EXPORT_DIR"].map { URL(fileURLWithPath: $0) }
        let dir = try exportDir ?? StudentPaths.temporaryFolder()
        try student.save(to: dir)
        let back = try TransformerEncoder.load(dir)
        #expect(back.config.numHiddenLayers == 2)
        #expect(back.layers.count == 2)
        let input = EncoderInput(sequences: [[101, 7592, 2088, 102], [101, 2129, 102]])
        let a = withNoGrad { student(input) }.scalars, b = withNoGrad { back(input) }.scalars
        #expect(a == b)
        // Hidden states of [CLS] hello world [SEP] for the Python check.
        let h = withNoGrad { student(EncoderInput(sequences: [[101, 7592, 2088, 102]])) }.scalars
        try JSONEncoder().encode(h).write(to: dir.appendingPathComponent("swift_hidden.json"))
        if ProcessInfo.processInfo.environment["STUDENT_EXPORT_DIR"] == nil { try? FileManager.default.removeItem(at: dir) }
    }
}
