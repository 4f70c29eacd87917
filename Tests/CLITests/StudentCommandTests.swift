// `reproduce encode` and `reproduce score`: output layout, agreement with the library, and clear errors.
import Foundation
import Testing
@testable import CLI

private let miniLM = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/models/all-MiniLM-L6-v2")
private let haveModel = FileManager.default.fileExists(atPath: miniLM.appendingPathComponent("config.json").path)

@Suite struct StudentCommandTests {
    @Test(.enabled(if: haveModel, "needs ../shared/models/all-MiniLM-L6-v2"))
    func encodePrintsOneNormalisedEmbeddingPerLine() {
        let (console, out, err) = Console.capturing(stdin: ["How many people live in London?", "", "Around 9 Million people live in London"])
        #expect(Commands.main(["encode", "--model", miniLM.path], console: console) == 0, "\(err())")
        let rows = out().split(separator: "\n").map { $0.split(separator: "\t").compactMap { Float($0) } }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.count == 384 })
        for r in rows { #expect(abs(r.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4) }
        let cos = zip(rows[0], rows[2]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(abs(cos - 0.8824) < 1e-4)
    }

    @Test(.enabled(if: haveModel, "needs ../shared/models/all-MiniLM-L6-v2"))
    func scoreBuildsAnArchitectureOnAHuggingFaceFolder() {
        let (console, out, err) = Console.capturing(stdin: ["london population\tAround 9 Million people live in London",
                                                             "london population\tThe mitochondria is the powerhouse of the cell"])
        #expect(Commands.main(["score", "--model", miniLM.path, "--arch", "bert-dot"], console: console) == 0, "\(err())")
        let scores = out().split(separator: "\n").compactMap { Float($0) }
        #expect(scores.count == 2)
        #expect(scores[0] > scores[1])
    }

    @Test func scoreErrorsSayWhatToDo() {
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["score", "--model", "/nonexistent"], console: console) == 2)
        #expect(err().contains("give --arch"))
        let (c2, _, e2) = Console.capturing()
        #expect(Commands.main(["score"], console: c2) == 2)
        #expect(e2().contains("missing --model"))
        let (c3, _, e3) = Console.capturing()
        #expect(Commands.main(["encode", "--model", "/nonexistent"], console: c3) == 1)
        #expect(e3().contains("cannot load the model"))
    }
}
